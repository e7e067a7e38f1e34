//! [`PostgresDialect`]: how strata writes each [`Change`] as PostgreSQL DDL.
//!
//! Everything PostgreSQL can alter in place is altered in place (types with `USING`, identity,
//! defaults, constraints), so only a change of partitioning or inheritance rebuilds a table.
//! Identifiers are quoted only where PostgreSQL needs it (upper case, unusual characters,
//! reserved words), which keeps the generated migrations as readable as hand-written ones;
//! expressions, types and routine bodies are the text the catalog printed and are written back
//! unchanged.
//!
//! By concern: `names` (identifiers, literals, comments), `schemas` (schemas, extensions),
//! `types` (type comparison, user types, sequences), `columns`, `constraints` (keys, checks,
//! foreign keys, exclusions, indexes), `tables` (`CREATE TABLE`, table attributes), `routines`
//! (views, routines, triggers, policies) and `rebuild`.

mod columns;
mod constraints;
mod names;
mod rebuild;
mod routines;
mod schemas;
mod tables;
mod types;

use strata_diff::{Change, Dialect, Unsupported};
use strata_schema::{Engine, Routine, Table, TableAttr, Trigger};

use columns::{add_column, alter_column, drop_column, rename_column, set_column_comment};
use constraints::{
    add_constraint, check_clause, create_index, drop_check, drop_constraint, drop_foreign_key,
    drop_index, drop_primary_key, drop_unique, exclusion_clause, foreign_key_clause, key_clause,
    rename_constraint, rename_index, replace_primary_key, validate_constraint,
};
pub(crate) use names::{ident, qualified};
use rebuild::rebuild_table;
use routines::{
    create_routine, create_view, drop_policy, drop_routine, drop_trigger, drop_view,
    replaces_routine,
};
use schemas::{create_extension, create_schema, drop_extension, drop_schema};
use tables::{create_table, drop_table, rename_table, set_table_attrs, set_table_comment};
use types::{
    add_enum_value, alter_composite_type, alter_sequence, create_sequence, create_type,
    drop_sequence, drop_type, replace_type, same_type, set_type_comment, widens,
};

const E: Engine = Engine::Postgres;

/// The PostgreSQL dialect.
#[derive(Debug, Clone, Copy, Default)]
pub struct PostgresDialect;

/// The one PostgreSQL dialect value.
pub static POSTGRES_DIALECT: PostgresDialect = PostgresDialect;

impl Dialect for PostgresDialect {
    fn engine(&self) -> Engine {
        E
    }

    fn same_type(&self, a: &str, b: &str) -> bool {
        same_type(a, b)
    }

    /// `CREATE OR REPLACE` keeps a routine's dependants (triggers, views) when the kind and the
    /// result type stay; aggregates cannot be replaced.
    fn replaces_routine(&self, from: &Routine, to: &Routine) -> bool {
        replaces_routine(from, to)
    }

    /// Partitioning and inheritance cannot be changed by ALTER TABLE.
    fn needs_rebuild(&self, from: &Table, to: &Table) -> bool {
        let structural = |t: &Table| -> Vec<TableAttr> {
            t.attrs
                .iter()
                .filter(|a| {
                    !matches!(
                        a,
                        TableAttr::PgUnlogged
                            | TableAttr::PgStorage(_)
                            | TableAttr::PgRowSecurity
                            | TableAttr::PgForceRowSecurity
                    )
                })
                .cloned()
                .collect()
        };
        structural(from) != structural(to)
    }

    fn is_widening(&self, from: &str, to: &str) -> bool {
        widens(from, to)
    }

    /// PostgreSQL fires a table's triggers in name order; `CREATE TRIGGER` has no clause that
    /// names another trigger.
    fn trigger_anchor(&self, _trigger: &Trigger) -> Option<String> {
        None
    }

    /// `RETURNS SETOF t` names the table whose rows the function returns.
    fn routine_returns_table_rows(&self, routine: &Routine) -> bool {
        routine.definition.contains("RETURNS SETOF")
    }

    fn render(&self, change: &Change) -> Result<Vec<String>, Unsupported> {
        Ok(match change {
            Change::CreateNamespace { name } => vec![create_schema(name)],
            Change::DropNamespace { name } => vec![drop_schema(name)],
            Change::CreateExtension { extension } => vec![create_extension(extension)],
            Change::DropExtension { extension } => vec![drop_extension(extension)],
            Change::CreateType { ty } => create_type(ty),
            Change::DropType { ty } => vec![drop_type(ty)],
            Change::AddEnumValue {
                name,
                value,
                after,
                before,
            } => vec![add_enum_value(
                name,
                value,
                after.as_deref(),
                before.as_deref(),
            )],
            Change::ReplaceType { from, to, columns } => replace_type(from, to, columns),
            Change::AlterCompositeType { name, add, drop } => {
                vec![alter_composite_type(name, add, drop)]
            }
            Change::SetTypeComment { name, comment } => {
                vec![set_type_comment(name, comment.as_deref())]
            }
            Change::CreateSequence { sequence } => create_sequence(sequence),
            Change::DropSequence { sequence } => vec![drop_sequence(sequence)],
            Change::AlterSequence { to, .. } => alter_sequence(to),
            Change::CreateTable { table } => create_table(table, &table.name),
            Change::DropTable { table } => vec![drop_table(table)],
            Change::RenameTable { from, to } => rename_table(from, to),
            Change::SetTableAttrs { table, from, to } => set_table_attrs(table, from, to),
            Change::SetTableComment { table, comment } => {
                vec![set_table_comment(table, comment.as_deref())]
            }
            Change::RebuildTable { from, to } => rebuild_table(from, to),
            Change::AddColumn { table, column, .. } => add_column(table, column),
            Change::DropColumn { table, column } => vec![drop_column(table, column)],
            Change::RenameColumn { table, from, to } => vec![rename_column(table, from, to)],
            Change::AlterColumn {
                table, from, to, ..
            } => alter_column(table, from, to),
            Change::SetColumnComment {
                table,
                column,
                comment,
            } => vec![set_column_comment(table, column, comment.as_deref())],
            Change::AddPrimaryKey { table, key } => {
                vec![add_constraint(table, &key_clause(key, "PRIMARY KEY"))]
            }
            Change::DropPrimaryKey { table, key } => vec![drop_primary_key(table, key)],
            Change::ReplacePrimaryKey { table, from, to } => replace_primary_key(table, from, to),
            Change::AddUnique { table, key } => {
                vec![add_constraint(table, &key_clause(key, "UNIQUE"))]
            }
            Change::DropUnique { table, key } => vec![drop_unique(table, key)],
            Change::AddForeignKey { table, fk } => {
                vec![add_constraint(table, &foreign_key_clause(fk))]
            }
            Change::DropForeignKey { table, fk } => vec![drop_foreign_key(table, fk)],
            Change::AddCheck { table, check } => vec![add_constraint(table, &check_clause(check))],
            Change::DropCheck { table, check } => vec![drop_check(table, check)],
            Change::AddExclusion { table, exclusion } => {
                vec![add_constraint(table, &exclusion_clause(exclusion))]
            }
            Change::DropExclusion { table, exclusion } => {
                vec![drop_constraint(table, &exclusion.name)]
            }
            Change::ValidateConstraint { table, name, .. } => {
                vec![validate_constraint(table, name)]
            }
            Change::RenameConstraint {
                table, from, to, ..
            } => vec![rename_constraint(table, from, to)],
            Change::CreateIndex { table, index } => create_index(table, index),
            Change::DropIndex { table, index } => vec![drop_index(table, index)],
            Change::RenameIndex { table, from, to } => vec![rename_index(table, from, to)],
            Change::CreatePolicy { policy, .. } => vec![policy.definition.clone()],
            Change::DropPolicy { table, policy } => vec![drop_policy(table, policy)],
            Change::CreateTrigger { trigger, .. } => vec![trigger.definition.clone()],
            Change::DropTrigger { table, trigger } => vec![drop_trigger(table, trigger)],
            Change::CreateView { view } => create_view(view),
            Change::DropView { view } => vec![drop_view(view)],
            Change::CreateRoutine { routine } => create_routine(routine),
            Change::DropRoutine { routine } => vec![drop_routine(routine)],
            // SQLite only: the inspector never reports them here.
            Change::CreateVirtualTable { .. } | Change::DropVirtualTable { .. } => {
                return Err(Unsupported::new(E, change))
            }
        })
    }
}
