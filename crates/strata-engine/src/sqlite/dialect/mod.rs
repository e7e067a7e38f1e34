//! SQLite's dialect: what its `ALTER TABLE` can do in place (add, rename), and the documented
//! table rebuild (new table, copy rows, drop, rename, recreate indexes and triggers) for the rest.
//!
//! By concern: `names` (bare or double-quoted identifiers), `columns` (definitions, defaults,
//! affinity), `tables` (`CREATE TABLE` with its keys, indexes, virtual tables), `views` (views
//! and triggers) and `rebuild`.

mod columns;
mod names;
mod rebuild;
mod tables;
mod views;

use strata_diff::{Change, ConstraintKind, Dialect, Unsupported};
use strata_schema::{Engine, Routine, Table, Trigger};

pub(crate) use columns::rowid_alias;
use columns::{add_column, adds_in_place, affinity, rename_column};
use names::NAMES;
use rebuild::rebuild_table;
use tables::{
    create_index, create_table, create_virtual_table, drop_index, drop_table, rename_table,
};
use views::{create_view, drop_trigger, drop_view};

/// The SQLite dialect.
pub struct SqliteDialect;

/// The one instance.
pub static SQLITE_DIALECT: SqliteDialect = SqliteDialect;

const E: Engine = Engine::Sqlite;

impl Dialect for SqliteDialect {
    fn engine(&self) -> Engine {
        E
    }

    fn inline_foreign_keys(&self) -> bool {
        true
    }

    fn alters_in_place(&self, change: &Change) -> bool {
        match change {
            Change::AddColumn { column, .. } => adds_in_place(column),
            Change::RenameColumn { .. }
            | Change::RenameTable { .. }
            | Change::CreateIndex { .. }
            | Change::DropIndex { .. }
            | Change::CreateTrigger { .. }
            | Change::DropTrigger { .. }
            | Change::SetTableComment { .. }
            | Change::SetColumnComment { .. } => true,
            _ => false,
        }
    }

    /// SQLite cannot rename constraints; their names live in the table definition.
    fn renames_constraint(&self, _kind: ConstraintKind) -> bool {
        false
    }

    /// SQLite has no `ALTER INDEX ... RENAME`: a renamed index is dropped and created.
    fn renames_index(&self) -> bool {
        false
    }

    /// SQLite enforces no length or precision: a type change keeps every value when both types
    /// have the same affinity (`varchar(100)` → `varchar(200)`, `numeric(10,2)` →
    /// `numeric(12,2)`, `int` → `bigint`), since the rebuild's copy converts nothing then.
    fn is_widening(&self, from: &str, to: &str) -> bool {
        affinity(from) == affinity(to)
    }

    fn needs_rebuild(&self, from: &Table, to: &Table) -> bool {
        from.attrs != to.attrs
    }

    fn rebuild_needs_foreign_keys_off(&self) -> bool {
        true
    }

    /// SQLite fires triggers in an order of its own; `CREATE TRIGGER` has no clause that names
    /// another trigger.
    fn trigger_anchor(&self, _trigger: &Trigger) -> Option<String> {
        None
    }

    /// SQLite has no stored routines.
    fn routine_returns_table_rows(&self, _routine: &Routine) -> bool {
        false
    }

    fn render(&self, change: &Change) -> Result<Vec<String>, Unsupported> {
        Ok(match change {
            Change::CreateTable { table } => {
                vec![create_table(table, &NAMES.qualified(&table.name))]
            }
            Change::DropTable { table } => vec![drop_table(&table.name)],
            Change::RenameTable { from, to } => vec![rename_table(from, to)],
            Change::RebuildTable { from, to } => rebuild_table(from, to),
            Change::AddColumn { table, column, .. } => vec![add_column(table, column)],
            Change::RenameColumn { table, from, to } => vec![rename_column(table, from, to)],
            Change::CreateIndex { table, index } => vec![create_index(table, index)],
            Change::DropIndex { index, .. } => vec![drop_index(index)],
            Change::CreateTrigger { trigger, .. } => vec![trigger.definition.clone()],
            Change::DropTrigger { trigger, .. } => vec![drop_trigger(trigger)],
            Change::CreateView { view } => vec![create_view(view)],
            Change::DropView { view } => vec![drop_view(view)],
            Change::CreateVirtualTable { table } => {
                create_virtual_table(&table.name, &table.definition)
            }
            Change::DropVirtualTable { table } => vec![drop_table(&table.name)],
            // Everything else about a table is turned into a rebuild by the differ
            // (alters_in_place is false).
            Change::DropColumn { .. }
            | Change::AlterColumn { .. }
            | Change::AddPrimaryKey { .. }
            | Change::DropPrimaryKey { .. }
            | Change::ReplacePrimaryKey { .. }
            | Change::AddUnique { .. }
            | Change::DropUnique { .. }
            | Change::AddForeignKey { .. }
            | Change::DropForeignKey { .. }
            | Change::AddCheck { .. }
            | Change::DropCheck { .. }
            | Change::RenameConstraint { .. }
            | Change::RenameIndex { .. }
            | Change::SetTableAttrs { .. } => return Err(Unsupported::new(E, change)),
            // No NOT VALID constraints: every check and foreign key SQLite inspects is valid,
            // so there is never one to validate.
            Change::ValidateConstraint { .. } => return Err(Unsupported::new(E, change)),
            // No comments, schemas, extensions, types, sequences or stored routines: the
            // inspector never reports them, so the differ never asks for them.
            Change::SetTableComment { .. }
            | Change::SetColumnComment { .. }
            | Change::SetTypeComment { .. } => return Err(Unsupported::new(E, change)),
            Change::CreateNamespace { .. }
            | Change::DropNamespace { .. }
            | Change::CreateExtension { .. }
            | Change::DropExtension { .. }
            | Change::CreateRoutine { .. }
            | Change::DropRoutine { .. } => return Err(Unsupported::new(E, change)),
            Change::CreateType { .. }
            | Change::DropType { .. }
            | Change::ReplaceType { .. }
            | Change::AddEnumValue { .. }
            | Change::AlterCompositeType { .. } => return Err(Unsupported::new(E, change)),
            Change::CreateSequence { .. }
            | Change::DropSequence { .. }
            | Change::AlterSequence { .. } => return Err(Unsupported::new(E, change)),
            // PostgreSQL's exclusion constraints and row-level security policies.
            Change::AddExclusion { .. }
            | Change::DropExclusion { .. }
            | Change::CreatePolicy { .. }
            | Change::DropPolicy { .. } => return Err(Unsupported::new(E, change)),
        })
    }
}

#[cfg(test)]
mod tests {
    use strata_diff::{Change, Dialect};
    use strata_schema::{Name, UserType, UserTypeKind};

    /// A change SQLite has no object for is an error naming it, never an empty statement list.
    #[test]
    fn a_change_sqlite_cannot_write_is_an_error() {
        let change = Change::CreateType {
            ty: UserType {
                name: Name::new("mood"),
                kind: UserTypeKind::Enum {
                    values: vec!["sad".into(), "happy".into()],
                },
                comment: None,
            },
        };
        let err = super::SQLITE_DIALECT.render(&change).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unsupported change `create type mood` on sqlite: strata cannot write it as sqlite SQL"
        );
    }
}
