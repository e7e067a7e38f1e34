//! The questions the differ asks an engine, and how the engine writes a change as SQL.

use crate::change::Change;
use strata_schema::{Column, Engine, Table};

/// Engine hooks for diffing and rendering.
pub trait Dialect {
    /// The engine this dialect speaks.
    fn engine(&self) -> Engine;

    /// Whether two column types, as the catalogs print them, are the same type.
    fn same_type(&self, a: &str, b: &str) -> bool {
        a.eq_ignore_ascii_case(b)
    }

    /// Whether two columns are equal for the purpose of a migration (type, nullability, default,
    /// identity, generation, collation).
    fn same_column(&self, a: &Column, b: &Column) -> bool {
        self.same_type(&a.data_type, &b.data_type)
            && a.nullable == b.nullable
            && a.default == b.default
            && a.identity == b.identity
            && a.generated == b.generated
            && a.collation == b.collation
    }

    /// Whether foreign keys are written inside `CREATE TABLE` (SQLite) instead of added after.
    fn inline_foreign_keys(&self) -> bool {
        false
    }

    /// Whether `ALTER TABLE` can make this table-level change in place; when it cannot (SQLite),
    /// the differ rebuilds the table instead.
    fn alters_in_place(&self, _change: &Change) -> bool {
        true
    }

    /// Whether `from` and `to` need a rebuild regardless of the individual changes (e.g. SQLite
    /// `WITHOUT ROWID` / `STRICT` differences).
    fn needs_rebuild(&self, _from: &Table, _to: &Table) -> bool {
        false
    }

    /// The statements (without trailing `;`) that make `change`.
    fn render(&self, change: &Change) -> Vec<String>;
}
