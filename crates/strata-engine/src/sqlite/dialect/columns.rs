//! Columns: their definition, which defaults SQLite takes bare, the rowid alias, and what
//! `ALTER TABLE ... ADD COLUMN` can do without a rebuild.

use strata_schema::{Column, Name, Table, TableAttr};

use super::names::NAMES;

/// Whether a default is a literal that SQLite accepts without parentheses.
fn is_literal(d: &str) -> bool {
    let t = d.trim();
    let upper = t.to_ascii_uppercase();
    (t.starts_with('\'')
        && t.ends_with('\'')
        && t.len() >= 2
        && !t[1..t.len() - 1].replace("''", "").contains('\''))
        || t.trim_start_matches(['-', '+']).parse::<f64>().is_ok()
        || [
            "NULL",
            "TRUE",
            "FALSE",
            "CURRENT_TIMESTAMP",
            "CURRENT_DATE",
            "CURRENT_TIME",
        ]
        .contains(&upper.as_str())
        || (upper.starts_with("X'") && t.ends_with('\''))
}

/// `DEFAULT x`, with an expression in the parentheses SQLite requires.
fn default_clause(d: &str) -> String {
    if is_literal(d) {
        format!("DEFAULT {d}")
    } else {
        format!("DEFAULT ({d})")
    }
}

/// The column of `t` that is an alias of the rowid: the single-column primary key of type
/// `INTEGER` (exactly that name, any case) of a rowid table.
///
/// Such a column is never NULL; SQLite's table_info reports it nullable unless `NOT NULL` is
/// written, and neither the model nor the DDL strata writes depends on that spelling.
pub(crate) fn rowid_alias(t: &Table) -> Option<&str> {
    let key = t.primary_key.as_ref().filter(|k| k.columns.len() == 1)?;
    if t.attrs.contains(&TableAttr::SqliteWithoutRowid) {
        return None;
    }
    let c = t.column(&key.columns[0])?;
    c.data_type
        .eq_ignore_ascii_case("integer")
        .then_some(c.name.as_str())
}

/// A column's definition; `inline_pk` writes `PRIMARY KEY` on it, `rowid` says it is the rowid
/// alias, whose `NOT NULL` goes without saying.
pub(super) fn column_def(c: &Column, inline_pk: bool, rowid: bool) -> String {
    let mut s = format!("{} {}", NAMES.ident(&c.name), c.data_type);
    if inline_pk {
        s.push_str(" PRIMARY KEY");
        if c.identity.is_some() {
            s.push_str(" AUTOINCREMENT");
        }
    }
    if !c.nullable && !rowid {
        s.push_str(" NOT NULL");
    }
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {}", NAMES.ident(coll)));
    }
    if let Some(d) = &c.default {
        s.push(' ');
        s.push_str(&default_clause(d));
    }
    if let Some(g) = &c.generated {
        s.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {}",
            g.expression,
            if g.stored { "STORED" } else { "VIRTUAL" }
        ));
    }
    s
}

/// Whether `ALTER TABLE ... ADD COLUMN` can add `column` (sqlite.org/lang_altertable.html): it
/// must be nullable or have a default, the default a constant, and the column neither a stored
/// generated nor an AUTOINCREMENT one.
pub(super) fn adds_in_place(column: &Column) -> bool {
    let constant_default = column
        .default
        .as_deref()
        .is_none_or(|d| is_literal(d) && !d.to_ascii_uppercase().starts_with("CURRENT_"));
    (column.nullable || column.default.is_some())
        && constant_default
        && column.generated.as_ref().is_none_or(|g| !g.stored)
        && column.identity.is_none()
}

/// `ADD COLUMN`.
pub(super) fn add_column(table: &Name, column: &Column) -> String {
    let (table, column) = (NAMES.qualified(table), column_def(column, false, false));
    format!("ALTER TABLE {table} ADD COLUMN {column}")
}

/// `RENAME COLUMN` (SQLite 3.25+), which also rewrites the column in indexes, triggers and views.
pub(super) fn rename_column(table: &Name, from: &str, to: &str) -> String {
    let (table, from, to) = (NAMES.qualified(table), NAMES.ident(from), NAMES.ident(to));
    format!("ALTER TABLE {table} RENAME COLUMN {from} TO {to}")
}

/// The affinity of a declared type, by SQLite's rules (datatype3.html, section 3.1) in their
/// order: `INT`, then `CHAR`/`CLOB`/`TEXT`, then `BLOB` or no type, then `REAL`/`FLOA`/`DOUB`,
/// else `NUMERIC`.
pub(super) fn affinity(declared: &str) -> &'static str {
    let t = declared.to_ascii_uppercase();
    if t.contains("INT") {
        "INTEGER"
    } else if ["CHAR", "CLOB", "TEXT"].iter().any(|k| t.contains(k)) {
        "TEXT"
    } else if t.contains("BLOB") || t.trim().is_empty() {
        "BLOB"
    } else if ["REAL", "FLOA", "DOUB"].iter().any(|k| t.contains(k)) {
        "REAL"
    } else {
        "NUMERIC"
    }
}
