//! Small helpers the data-loss and hygiene rules share: byte spans of syntax-tree nodes, object
//! names as text, and lookups in the schema before the migration.

use crate::{Context, Statement};
use sqlparser::ast::{Ident, ObjectName, Spanned};
use sqlparser::tokenizer::{Location, Span};
use strata_schema::{Column, Table};

/// Byte offset in `sql` of a sqlparser location (1-based line, 1-based column in characters).
fn offset_of(sql: &str, loc: Location) -> Option<usize> {
    if loc.line == 0 || loc.column == 0 {
        return None;
    }
    let mut line_start = 0;
    for _ in 1..loc.line {
        line_start += sql[line_start..].find('\n')? + 1;
    }
    let col = usize::try_from(loc.column - 1).ok()?;
    let rest = &sql[line_start..];
    Some(line_start + rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i))
}

/// The byte range in the statement of a sqlparser span, when the parser recorded one.
pub(crate) fn byte_span(stmt: &Statement, span: Span) -> Option<(usize, usize)> {
    let a = offset_of(&stmt.sql, span.start)?;
    let b = offset_of(&stmt.sql, span.end)?;
    (b >= a).then_some((a, b))
}

/// The byte range of an identifier, or of the statement's first two words when unknown.
pub(crate) fn ident_span(stmt: &Statement, ident: &Ident) -> (usize, usize) {
    byte_span(stmt, ident.span).unwrap_or_else(|| stmt.span_of(0, 1))
}

/// The byte range of an object name, or of the statement's first two words when unknown.
pub(crate) fn name_span(stmt: &Statement, name: &ObjectName) -> (usize, usize) {
    byte_span(stmt, name.span()).unwrap_or_else(|| stmt.span_of(0, 1))
}

/// `schema.table` as written, without quotes.
pub(crate) fn name_text(name: &ObjectName) -> String {
    name.0
        .iter()
        .map(|p| {
            p.as_ident()
                .map_or_else(|| p.to_string(), |i| i.value.clone())
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The table `name` (possibly `schema.table`, matched case-insensitively) in the schema before
/// the migration, when the context has one.
pub(crate) fn schema_table<'c>(ctx: &'c Context, name: &str) -> Option<&'c Table> {
    let schema = ctx.schema.as_ref()?;
    let (qualifier, bare) = match name.rsplit_once('.') {
        Some((q, b)) => (Some(q), b),
        None => (None, name),
    };
    let default_schema = |s: &str| ["public", "main"].iter().any(|d| s.eq_ignore_ascii_case(d));
    schema.tables.iter().find(|t| {
        t.name.name.eq_ignore_ascii_case(bare)
            && match (qualifier, &t.name.schema) {
                (None, None) => true,
                (None, Some(s)) => default_schema(s),
                (Some(q), None) => default_schema(q),
                (Some(q), Some(s)) => q.eq_ignore_ascii_case(s),
            }
    })
}

/// The column `column` of table `table` in the schema before the migration.
pub(crate) fn schema_column<'c>(ctx: &'c Context, table: &str, column: &str) -> Option<&'c Column> {
    schema_table(ctx, table)?
        .columns
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(column))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LintFile;
    use strata_schema::Engine;

    #[test]
    fn spans_count_characters_on_later_lines() {
        let f = LintFile::new(
            "m.sql",
            "ALTER TABLE \"é\"\n  DROP COLUMN naïve_x;",
            Engine::Postgres,
        );
        let stmt = &f.statements[0];
        let Some(sqlparser::ast::Statement::AlterTable(a)) = &stmt.ast else {
            panic!("no tree")
        };
        let (s, e) = name_span(stmt, &a.name);
        assert_eq!(&stmt.sql[s..e], "\"é\"");
        let sqlparser::ast::AlterTableOperation::DropColumn { column_names, .. } = &a.operations[0]
        else {
            panic!("not a drop")
        };
        let (s, e) = ident_span(stmt, &column_names[0]);
        assert_eq!(&stmt.sql[s..e], "naïve_x");
    }
}
