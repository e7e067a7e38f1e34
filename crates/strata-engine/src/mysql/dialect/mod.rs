//! [`MySqlDialect`]: how a [`Change`] is written as MySQL 8 / MariaDB 10.6+ DDL.
//!
//! By concern: `names` (bare or backquoted identifiers), `columns` (definitions, defaults,
//! widening), `constraints` (primary and unique keys, indexes, foreign keys, checks), `tables`
//! (`CREATE TABLE`, table options), `routines` (views, routines, triggers) and `rebuild`.

mod columns;
mod constraints;
mod names;
mod rebuild;
mod routines;
mod tables;

use strata_diff::{Change, ConstraintKind, Dialect, Unsupported};
use strata_schema::{Column, Engine, Routine, Trigger};

use columns::{add_column, alter_column, drop_column, rename_column, widens};
use constraints::{
    add_constraint, add_primary_key, check_clause, create_index, drop_check, drop_foreign_key,
    drop_index, drop_primary_key, drop_unique, foreign_key_clause, rename_index,
    replace_primary_key, unique_clause,
};
pub(crate) use names::ident;
use rebuild::rebuild_table;
use routines::{create_view, drop_routine, drop_trigger, drop_view, trigger_anchor};
use tables::{create_table, drop_table, rename_table, set_table_attrs, set_table_comment};

const E: Engine = Engine::Mysql;

/// The MySQL / MariaDB dialect.
pub struct MySqlDialect;

/// The one instance of [`MySqlDialect`] that drivers hand out.
pub static MYSQL_DIALECT: MySqlDialect = MySqlDialect;

impl Dialect for MySqlDialect {
    fn engine(&self) -> Engine {
        E
    }

    /// Types are compared exactly: `enum('a')` and `enum('A')` are different types, and both
    /// sides of a comparison are printed by the same server.
    fn same_type(&self, a: &str, b: &str) -> bool {
        a == b
    }

    /// "Cannot change column 'x': used in a foreign key constraint": the key goes first.
    fn retypes_foreign_key_columns(&self) -> bool {
        false
    }

    /// `MODIFY COLUMN ... FIRST | AFTER` moves a column (instantly on MariaDB 10.4+, by an
    /// in-place rebuild on MySQL 8).
    fn moves_columns(&self) -> bool {
        true
    }

    /// A column's comment is part of its definition: MySQL can only change it with
    /// `MODIFY COLUMN` and the full definition, so a comment change is an [`Change::AlterColumn`].
    fn same_column(&self, a: &Column, b: &Column) -> bool {
        strata_diff::same_column_definition(self, a, b) && a.comment == b.comment
    }

    fn comment_in_column_definition(&self) -> bool {
        true
    }

    fn replaces_primary_key_at_once(&self) -> bool {
        true
    }

    /// Unique keys are indexes and can be renamed; checks and foreign keys cannot.
    fn renames_constraint(&self, kind: ConstraintKind) -> bool {
        kind == ConstraintKind::Unique
    }

    fn is_widening(&self, from: &str, to: &str) -> bool {
        widens(from, to)
    }

    /// `FOLLOWS x` / `PRECEDES x`: the trigger named must exist first.
    fn trigger_anchor(&self, trigger: &Trigger) -> Option<String> {
        trigger_anchor(trigger)
    }

    /// A MySQL function returns one value and a procedure none: no routine returns a table's
    /// rows.
    fn routine_returns_table_rows(&self, _routine: &Routine) -> bool {
        false
    }

    fn render(&self, change: &Change) -> Result<Vec<String>, Unsupported> {
        Ok(match change {
            Change::CreateTable { table } => vec![create_table(table)],
            Change::DropTable { table } => vec![drop_table(&table.name)],
            Change::RenameTable { from, to } => vec![rename_table(from, to)],
            Change::SetTableAttrs { table, from, to } => set_table_attrs(table, from, to),
            Change::SetTableComment { table, comment } => {
                vec![set_table_comment(table, comment.as_deref())]
            }
            Change::RebuildTable { from, to } => rebuild_table(from, to),
            Change::AddColumn {
                table,
                column,
                position,
            } => vec![add_column(table, column, position.as_ref())],
            Change::DropColumn { table, column } => vec![drop_column(table, column)],
            Change::RenameColumn { table, from, to } => vec![rename_column(table, from, to)],
            Change::AlterColumn {
                table,
                from,
                to,
                position,
            } => alter_column(table, from, to, position.as_ref()),
            // The comment travels with the full definition in the `AlterColumn` the differ emits
            // beside this change (see `same_column`).
            Change::SetColumnComment { .. } => Vec::new(),
            Change::AddPrimaryKey { table, key } => vec![add_primary_key(table, key)],
            Change::DropPrimaryKey { table, .. } => vec![drop_primary_key(table)],
            Change::ReplacePrimaryKey { table, to, .. } => vec![replace_primary_key(table, to)],
            Change::AddUnique { table, key } => vec![add_constraint(table, &unique_clause(key))],
            Change::DropUnique { table, key } => vec![drop_unique(table, key)],
            // Only unique keys are renamed in place (they are indexes); see `renames_constraint`.
            Change::RenameConstraint {
                table, from, to, ..
            }
            | Change::RenameIndex { table, from, to } => vec![rename_index(table, from, to)],
            Change::CreateIndex { table, index } => vec![create_index(table, index)],
            Change::DropIndex { table, index } => vec![drop_index(table, &index.name)],
            Change::AddForeignKey { table, fk } => {
                vec![add_constraint(table, &foreign_key_clause(fk))]
            }
            Change::DropForeignKey { table, fk } => vec![drop_foreign_key(table, fk)],
            Change::AddCheck { table, check } => vec![add_constraint(table, &check_clause(check))],
            Change::DropCheck { table, check } => vec![drop_check(table, check)],
            Change::CreateTrigger { trigger, .. } => vec![trigger.definition.clone()],
            Change::DropTrigger { table, trigger } => vec![drop_trigger(table, trigger)],
            Change::CreateView { view } => vec![create_view(view)],
            Change::DropView { view } => vec![drop_view(view)],
            Change::CreateRoutine { routine } => vec![routine.definition.clone()],
            Change::DropRoutine { routine } => vec![drop_routine(routine)],
            // No NOT VALID constraints (a check is enforced or NOT ENFORCED, which is another
            // thing): every check and foreign key MySQL inspects is valid.
            Change::ValidateConstraint { .. } => return Err(Unsupported::new(E, change)),
            // No schemas inside a database, no extensions, exclusion constraints or policies:
            // inspection never produces them.
            Change::CreateNamespace { .. }
            | Change::DropNamespace { .. }
            | Change::CreateExtension { .. }
            | Change::DropExtension { .. } => return Err(Unsupported::new(E, change)),
            Change::AddExclusion { .. }
            | Change::DropExclusion { .. }
            | Change::CreatePolicy { .. }
            | Change::DropPolicy { .. } => return Err(Unsupported::new(E, change)),
            // No user types (an ENUM is a column type) and no standalone sequences strata tracks.
            Change::CreateType { .. }
            | Change::DropType { .. }
            | Change::ReplaceType { .. }
            | Change::AddEnumValue { .. }
            | Change::AlterCompositeType { .. }
            | Change::SetTypeComment { .. } => return Err(Unsupported::new(E, change)),
            Change::CreateSequence { .. }
            | Change::DropSequence { .. }
            | Change::AlterSequence { .. } => return Err(Unsupported::new(E, change)),
            // SQLite's virtual tables.
            Change::CreateVirtualTable { .. } | Change::DropVirtualTable { .. } => {
                return Err(Unsupported::new(E, change))
            }
        })
    }
}
