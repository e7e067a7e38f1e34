//! Tables as a whole: `CREATE TABLE` with everything it carries, table options (engine,
//! character set, partitioning), comments, renames and drops.

use strata_schema::{Name, Table, TableAttr};

use super::columns::column_def;
use super::constraints::{check_clause, foreign_key_clause, inline_index, unique_clause};
use super::names::{literal, NAMES};

/// `CREATE TABLE` with columns, keys and checks; indexes, foreign keys and triggers normally
/// come as their own changes, but are written inline when the table carries them.
pub(super) fn create_table(t: &Table) -> String {
    let mut lines: Vec<String> = t.columns.iter().map(column_def).collect();
    if let Some(pk) = &t.primary_key {
        lines.push(format!("PRIMARY KEY ({})", NAMES.idents(&pk.columns)));
    }
    lines.extend(t.uniques.iter().map(unique_clause));
    lines.extend(t.indexes.iter().map(inline_index));
    lines.extend(t.foreign_keys.iter().map(foreign_key_clause));
    lines.extend(t.checks.iter().map(check_clause));
    let mut sql = format!(
        "CREATE TABLE {} (\n  {}\n)",
        NAMES.qualified(&t.name),
        lines.join(",\n  ")
    );
    for attr in &t.attrs {
        match attr {
            TableAttr::MysqlEngine(engine) => sql.push_str(&format!(" ENGINE={engine}")),
            TableAttr::MysqlCharset { charset, collation } => {
                sql.push_str(&format!(" DEFAULT CHARSET={charset} COLLATE={collation}"))
            }
            _ => {}
        }
    }
    if let Some(c) = &t.comment {
        sql.push_str(&format!(" COMMENT={}", literal(c)));
    }
    if let Some(p) = partitioning(&t.attrs) {
        sql.push('\n');
        sql.push_str(p);
    }
    sql
}

/// `DROP TABLE`.
pub(super) fn drop_table(name: &Name) -> String {
    format!("DROP TABLE {}", NAMES.qualified(name))
}

/// `RENAME TABLE`, which also moves a table to another database.
pub(super) fn rename_table(from: &Name, to: &Name) -> String {
    format!(
        "RENAME TABLE {} TO {}",
        NAMES.qualified(from),
        NAMES.qualified(to)
    )
}

/// `COMMENT = '...'`; an empty comment removes it.
pub(super) fn set_table_comment(table: &Name, comment: Option<&str>) -> String {
    format!(
        "ALTER TABLE {} COMMENT = {}",
        NAMES.qualified(table),
        literal(comment.unwrap_or_default())
    )
}

/// A table's `PARTITION BY ...` clause.
fn partitioning(attrs: &[TableAttr]) -> Option<&str> {
    attrs.iter().find_map(|a| match a {
        TableAttr::MysqlPartitionBy(p) => Some(p.as_str()),
        _ => None,
    })
}

/// The table options that changed: engine, default character set, partitioning. Only what
/// changed is written, since each of these copies the table.
pub(super) fn set_table_attrs(table: &Name, from: &[TableAttr], to: &[TableAttr]) -> Vec<String> {
    let engine = |v: &[TableAttr]| {
        v.iter().find_map(|a| match a {
            TableAttr::MysqlEngine(e) => Some(e.clone()),
            _ => None,
        })
    };
    let charset = |v: &[TableAttr]| {
        v.iter().find_map(|a| match a {
            TableAttr::MysqlCharset { charset, collation } => {
                Some((charset.clone(), collation.clone()))
            }
            _ => None,
        })
    };
    let mut options = Vec::new();
    if engine(from) != engine(to) {
        if let Some(e) = engine(to) {
            options.push(format!("ENGINE = {e}"));
        }
    }
    if charset(from) != charset(to) {
        // Columns without their own collation follow the table's default, as the desired
        // schema says: convert them with it.
        if let Some((charset, collation)) = charset(to) {
            options.push(format!(
                "CONVERT TO CHARACTER SET {charset} COLLATE {collation}"
            ));
        }
    }
    let mut out = Vec::new();
    if !options.is_empty() {
        out.push(format!(
            "ALTER TABLE {} {}",
            NAMES.qualified(table),
            options.join(", ")
        ));
    }
    if partitioning(from) != partitioning(to) {
        out.push(match partitioning(to) {
            Some(p) => format!("ALTER TABLE {} {p}", NAMES.qualified(table)),
            None => format!("ALTER TABLE {} REMOVE PARTITIONING", NAMES.qualified(table)),
        });
    }
    out
}
