//! The questions the differ asks an engine, and how the engine writes a change as SQL.

use crate::change::{Change, ConstraintKind};
use strata_schema::{Column, Engine, Routine, Table, Trigger};

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
        same_column_definition(self, a, b)
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

    /// Whether a changed routine can be replaced in place (`CREATE OR REPLACE`) rather than
    /// dropped and created (which fails while triggers or views use it).
    fn replaces_routine(&self, _from: &Routine, _to: &Routine) -> bool {
        false
    }

    /// Whether a constraint of `kind` can be renamed in place; otherwise it is dropped and added.
    fn renames_constraint(&self, _kind: ConstraintKind) -> bool {
        true
    }

    /// Whether an index can be renamed in place; otherwise it is dropped and created.
    fn renames_index(&self) -> bool {
        true
    }

    /// Whether the primary key must be replaced in one statement (MySQL) rather than dropped
    /// and added.
    fn replaces_primary_key_at_once(&self) -> bool {
        false
    }

    /// Whether a column comment is part of the column definition (MySQL), so a comment change
    /// is an `AlterColumn` rather than a separate comment statement.
    fn comment_in_column_definition(&self) -> bool {
        false
    }

    /// Whether a migration that rebuilds a table runs with foreign-key enforcement switched off
    /// (SQLite: dropping the old table would otherwise fire the `ON DELETE` actions of every
    /// table that references it).
    fn rebuild_needs_foreign_keys_off(&self) -> bool {
        false
    }

    /// Whether changing a column from type `from` to `to` keeps every value (a widening such as
    /// `varchar(50)` → `varchar(200)` or `int` → `bigint`), so the change is not destructive.
    fn is_widening(&self, _from: &str, _to: &str) -> bool {
        false
    }

    /// Whether a column can be moved within its table in place (MySQL `MODIFY ... AFTER`), so a
    /// difference in column order is migrated.
    fn moves_columns(&self) -> bool {
        false
    }

    /// Whether a column's type can change while a foreign key uses it (on either side); when not
    /// (MySQL), the differ drops the key before and adds it again after.
    fn retypes_foreign_key_columns(&self) -> bool {
        true
    }

    /// The trigger that `trigger` is declared to fire after or before (MySQL `FOLLOWS x` /
    /// `PRECEDES x`), which must therefore be created first; `None` when the engine has no such
    /// clause.
    ///
    /// Required, not defaulted: an engine with trigger ordering that fell back to "none" would
    /// create triggers in an order its server rejects, and nothing would say why.
    fn trigger_anchor(&self, trigger: &Trigger) -> Option<String>;

    /// Whether `routine` returns rows of a table its definition names (PostgreSQL
    /// `RETURNS SETOF t`), so that creating it waits for the tables created in the same plan.
    ///
    /// Required, not defaulted: a wrong "no" creates the routine before its table and the
    /// migration fails on the server; each engine says what its routines can return.
    fn routine_returns_table_rows(&self, routine: &Routine) -> bool;

    /// The statements (without trailing `;`) that make `change`, or [`Unsupported`] when the
    /// engine has no such object: a dialect never answers a change with silence.
    fn render(&self, change: &Change) -> Result<Vec<String>, Unsupported>;
}

/// Whether two columns have the same type, nullability, default, identity, generation and
/// collation: [`Dialect::same_column`]'s default, for dialects that compare one thing more.
pub fn same_column_definition<D: Dialect + ?Sized>(d: &D, a: &Column, b: &Column) -> bool {
    d.same_type(&a.data_type, &b.data_type)
        && a.nullable == b.nullable
        && a.default == b.default
        && a.identity == b.identity
        && a.generated == b.generated
        && a.collation == b.collation
}

/// A change that an engine's dialect cannot write as SQL (a PostgreSQL-only object in a SQLite
/// plan, say): planning stops with it instead of writing a migration that silently omits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// The engine whose dialect refused the change.
    pub engine: Engine,
    /// The change, as its plan summary describes it.
    pub change: String,
}

impl Unsupported {
    /// The error for `change` on `engine`.
    pub fn new(engine: Engine, change: &Change) -> Unsupported {
        Unsupported {
            engine,
            change: change.describe(),
        }
    }
}

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unsupported change `{}` on {}: strata cannot write it as {} SQL",
            self.change, self.engine, self.engine
        )
    }
}

impl std::error::Error for Unsupported {}

/// Whether a decimal of `to = (precision, scale)` holds every value of one of `from`: at least as
/// many digits after the point and at least as many before it (`numeric(10,2)` →
/// `numeric(12,2)` or `numeric(11,3)`), for the engines' `is_widening`.
pub fn decimal_widens(from: (u64, u64), to: (u64, u64)) -> bool {
    let ((p, s), (q, t)) = (from, to);
    t >= s && q.saturating_sub(t) >= p.saturating_sub(s)
}

/// The `(precision, scale)` of a type's arguments such as `(10,2)` or `(10)`: the scale
/// defaults to 0.
pub fn decimal_args(args: &str) -> Option<(u64, u64)> {
    let inner = args.trim().strip_prefix('(')?.strip_suffix(')')?;
    let mut parts = inner.split(',').map(|p| p.trim().parse::<u64>());
    let p = parts.next()?.ok()?;
    let s = match parts.next() {
        Some(s) => s.ok()?,
        None => 0,
    };
    parts.next().is_none().then_some((p, s))
}

#[cfg(test)]
mod tests {
    use super::{decimal_args, decimal_widens};

    #[test]
    fn decimals_widen_when_no_digit_is_lost() {
        assert_eq!(decimal_args("(10,2)"), Some((10, 2)));
        assert_eq!(decimal_args("(10)"), Some((10, 0)));
        assert_eq!(decimal_args("10,2"), None);
        assert!(decimal_widens((10, 2), (12, 2)));
        assert!(decimal_widens((10, 2), (11, 3)));
        assert!(!decimal_widens((12, 2), (10, 2)));
        assert!(
            !decimal_widens((10, 2), (10, 3)),
            "one digit fewer before the point"
        );
        assert!(
            !decimal_widens((10, 2), (12, 1)),
            "one digit fewer after the point"
        );
    }
}
