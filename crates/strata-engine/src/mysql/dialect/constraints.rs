//! Keys, constraints and indexes: MySQL keeps primary and unique keys as indexes, so they are
//! dropped and renamed as indexes; checks and foreign keys are constraints.

use strata_schema::{Check, ForeignKey, Index, IndexPart, Key, Name};

use super::names::{literal, NAMES};

/// `ALTER TABLE ... ADD` a constraint clause.
pub(super) fn add_constraint(table: &Name, clause: &str) -> String {
    format!("ALTER TABLE {} ADD {clause}", NAMES.qualified(table))
}

/// `ADD PRIMARY KEY`.
pub(super) fn add_primary_key(table: &Name, key: &Key) -> String {
    add_constraint(
        table,
        &format!("PRIMARY KEY ({})", NAMES.idents(&key.columns)),
    )
}

/// `DROP PRIMARY KEY`.
pub(super) fn drop_primary_key(table: &Name) -> String {
    format!("ALTER TABLE {} DROP PRIMARY KEY", NAMES.qualified(table))
}

/// The primary key replaced in one statement, so the table is never without one (an
/// `AUTO_INCREMENT` column must be part of a key).
pub(super) fn replace_primary_key(table: &Name, to: &Key) -> String {
    format!(
        "ALTER TABLE {} DROP PRIMARY KEY, ADD PRIMARY KEY ({})",
        NAMES.qualified(table),
        NAMES.idents(&to.columns)
    )
}

/// The name of a unique key's index: unnamed unique keys get the name of their first column.
fn unique_name(key: &Key) -> String {
    key.name
        .clone()
        .unwrap_or_else(|| key.columns.first().cloned().unwrap_or_default())
}

/// `[CONSTRAINT name] UNIQUE (...)`.
pub(super) fn unique_clause(key: &Key) -> String {
    match &key.name {
        Some(n) => format!(
            "CONSTRAINT {} UNIQUE ({})",
            NAMES.ident(n),
            NAMES.idents(&key.columns)
        ),
        None => format!("UNIQUE ({})", NAMES.idents(&key.columns)),
    }
}

/// A unique key is dropped as the index it is.
pub(super) fn drop_unique(table: &Name, key: &Key) -> String {
    format!(
        "ALTER TABLE {} DROP INDEX {}",
        NAMES.qualified(table),
        NAMES.ident(&unique_name(key))
    )
}

/// Whether an index method is really a kind of index (`FULLTEXT`, `SPATIAL`), written before
/// `INDEX` rather than as `USING`.
fn is_index_kind(method: &str) -> bool {
    method.eq_ignore_ascii_case("FULLTEXT") || method.eq_ignore_ascii_case("SPATIAL")
}

/// `CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX`.
pub(super) fn create_index(table: &Name, i: &Index) -> String {
    format!(
        "CREATE {}INDEX {} ON {} ({}){}",
        index_kind(i),
        NAMES.ident(&i.name),
        NAMES.qualified(table),
        index_parts(&i.parts),
        index_options(i)
    )
}

/// An index inside `CREATE TABLE`.
pub(super) fn inline_index(i: &Index) -> String {
    format!(
        "{}INDEX {} ({}){}",
        index_kind(i),
        NAMES.ident(&i.name),
        index_parts(&i.parts),
        index_options(i)
    )
}

/// `UNIQUE `, `FULLTEXT ` or `SPATIAL ` before `INDEX`, or nothing for a plain index.
fn index_kind(i: &Index) -> String {
    match i.method.as_deref() {
        Some(m) if is_index_kind(m) => format!("{} ", m.to_ascii_uppercase()),
        _ if i.unique => "UNIQUE ".to_string(),
        _ => String::new(),
    }
}

/// The indexed columns and expressions, with prefix lengths and directions.
fn index_parts(parts: &[IndexPart]) -> String {
    parts
        .iter()
        .map(|p| {
            let mut s = match (&p.column, &p.expression) {
                (Some(c), _) => NAMES.ident(c),
                (None, Some(e)) => format!("({e})"),
                (None, None) => String::new(),
            };
            if let Some(n) = p.prefix {
                s.push_str(&format!("({n})"));
            }
            if p.descending {
                s.push_str(" DESC");
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `USING HASH|BTREE` for a non-default method that is not a kind of index, and the comment.
fn index_options(i: &Index) -> String {
    let mut s = String::new();
    if let Some(m) = i.method.as_deref().filter(|m| !is_index_kind(m)) {
        s.push_str(&format!(" USING {}", m.to_ascii_uppercase()));
    }
    if let Some(c) = &i.comment {
        s.push_str(&format!(" COMMENT {}", literal(c)));
    }
    s
}

/// `DROP INDEX`.
pub(super) fn drop_index(table: &Name, name: &str) -> String {
    format!(
        "DROP INDEX {} ON {}",
        NAMES.ident(name),
        NAMES.qualified(table)
    )
}

/// `RENAME INDEX`, also for unique keys (see `renames_constraint`).
pub(super) fn rename_index(table: &Name, from: &str, to: &str) -> String {
    format!(
        "ALTER TABLE {} RENAME INDEX {} TO {}",
        NAMES.qualified(table),
        NAMES.ident(from),
        NAMES.ident(to)
    )
}

/// Both actions are always written: the servers disagree on what an omitted one means (MariaDB
/// reports RESTRICT, MySQL 8 NO ACTION), and a round trip must give back what was inspected.
pub(super) fn foreign_key_clause(fk: &ForeignKey) -> String {
    let mut s = String::new();
    if let Some(n) = &fk.name {
        s.push_str(&format!("CONSTRAINT {} ", NAMES.ident(n)));
    }
    s.push_str(&format!(
        "FOREIGN KEY ({}) REFERENCES {} ({}) ON UPDATE {} ON DELETE {}",
        NAMES.idents(&fk.columns),
        NAMES.qualified(&fk.ref_table),
        NAMES.idents(&fk.ref_columns),
        fk.on_update.sql(),
        fk.on_delete.sql()
    ));
    s
}

/// `DROP FOREIGN KEY`.
pub(super) fn drop_foreign_key(table: &Name, fk: &ForeignKey) -> String {
    format!(
        "ALTER TABLE {} DROP FOREIGN KEY {}",
        NAMES.qualified(table),
        NAMES.ident(fk.name.as_deref().unwrap_or_default())
    )
}

/// `[CONSTRAINT name] CHECK (...)`.
pub(super) fn check_clause(c: &Check) -> String {
    match &c.name {
        Some(n) => format!("CONSTRAINT {} CHECK ({})", NAMES.ident(n), c.expression),
        None => format!("CHECK ({})", c.expression),
    }
}

/// `DROP CONSTRAINT` works on MariaDB and MySQL 8.0.19+ (MariaDB has no `DROP CHECK`).
pub(super) fn drop_check(table: &Name, check: &Check) -> String {
    format!(
        "ALTER TABLE {} DROP CONSTRAINT {}",
        NAMES.qualified(table),
        NAMES.ident(check.name.as_deref().unwrap_or_default())
    )
}
