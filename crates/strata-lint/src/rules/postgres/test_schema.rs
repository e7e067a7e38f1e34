//! Context schemas for the family's tests.

use crate::{Context, TableFacts};
use strata_schema::{Check, Column, Index, IndexPart, Name, Schema, Table};

/// A table called `name` with `(column, type)` columns.
pub(super) fn table(name: &str, columns: &[(&str, &str)]) -> Table {
    let mut t = Table::new(match name.split_once('.') {
        Some((s, n)) => Name::qualified(s, n),
        None => Name::new(name),
    });
    t.columns = columns.iter().map(|(c, ty)| Column::new(*c, *ty)).collect();
    t
}

/// `table` with a check constraint.
pub(super) fn with_check(mut t: Table, expression: &str) -> Table {
    t.checks.push(Check {
        name: None,
        expression: expression.into(),
        not_valid: false,
    });
    t
}

/// `table` with an index on `column`.
pub(super) fn with_index(mut t: Table, index: &str, column: &str) -> Table {
    t.indexes.push(Index {
        name: index.into(),
        unique: false,
        parts: vec![IndexPart::column(column)],
        predicate: None,
        method: None,
        include: Vec::new(),
        nulls_not_distinct: false,
        with: Vec::new(),
        comment: None,
    });
    t
}

/// A context with `tables` as the schema, each with `rows` rows.
pub(super) fn context(tables: Vec<Table>, rows: i64) -> Context {
    let mut ctx = Context::default();
    for t in &tables {
        ctx.tables.insert(
            t.name.to_string().to_lowercase(),
            TableFacts { rows, bytes: None },
        );
    }
    ctx.schema = Some(Schema {
        tables,
        ..Default::default()
    });
    ctx
}
