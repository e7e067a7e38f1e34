//! Tables as a whole: `CREATE TABLE` (plain, partition, inheriting) with its constraints and
//! comments, storage parameters, logging and row security, renames and drops.

use strata_schema::{Name, Table, TableAttr};

use super::columns::column_def;
use super::constraints::{check_clause, exclusion_clause, key_clause};
use super::names::{comment_on, sibling, NAMES};

/// `CREATE TABLE` for `table` under the name `as_name`, then its comments (indexes, foreign keys
/// and triggers are separate changes).
pub(super) fn create_table(table: &Table, as_name: &Name) -> Vec<String> {
    let name = NAMES.qualified(as_name);
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut constraints = Vec::new();
    if let Some(pk) = &table.primary_key {
        constraints.push(key_clause(pk, "PRIMARY KEY"));
    }
    for u in &table.uniques {
        constraints.push(key_clause(u, "UNIQUE"));
    }
    // CREATE TABLE accepts `NOT VALID` on a table constraint but makes the constraint valid
    // anyway (PostgreSQL 15): such checks are added by ALTER TABLE once the table exists.
    let mut not_valid = Vec::new();
    for c in &table.checks {
        if c.not_valid {
            not_valid.push(format!("ALTER TABLE {name} ADD {}", check_clause(c)));
        } else {
            constraints.push(check_clause(c));
        }
    }
    for x in &table.exclusions {
        constraints.push(exclusion_clause(x));
    }
    let partition_of = table.attrs.iter().find_map(|a| match a {
        TableAttr::PgPartitionOf { parent, bound } => Some((parent, bound)),
        _ => None,
    });
    let unlogged = if table.attrs.contains(&TableAttr::PgUnlogged) {
        "UNLOGGED "
    } else {
        ""
    };
    let mut sql = match partition_of {
        Some((parent, bound)) => {
            // A partition's columns are its parent's; its own constraints follow in parentheses.
            let mut s = format!(
                "CREATE {unlogged}TABLE {name} PARTITION OF {}",
                NAMES.qualified(parent)
            );
            if !constraints.is_empty() {
                s.push_str(&format!(" (\n    {}\n)", constraints.join(",\n    ")));
            }
            s.push(' ');
            s.push_str(bound);
            s
        }
        None => {
            let mut lines: Vec<String> = table
                .columns
                .iter()
                .map(|c| column_def(as_name, c, &mut before, &mut after))
                .collect();
            lines.extend(constraints);
            let mut s = format!("CREATE {unlogged}TABLE {name} (");
            if !lines.is_empty() {
                s.push_str(&format!("\n    {}\n", lines.join(",\n    ")));
            }
            s.push(')');
            s
        }
    };
    for a in &table.attrs {
        match a {
            TableAttr::PgInherits(parents) => sql.push_str(&format!(
                " INHERITS ({})",
                parents
                    .iter()
                    .map(|n| NAMES.qualified(n))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            TableAttr::PgPartitionBy(key) => sql.push_str(&format!(" PARTITION BY {key}")),
            _ => {}
        }
    }
    let params = storage(&table.attrs);
    if !params.is_empty() {
        sql.push_str(&format!(" WITH ({})", params.join(", ")));
    }
    let mut out = before;
    out.push(sql);
    out.extend(after);
    out.extend(not_valid);
    if table.attrs.contains(&TableAttr::PgRowSecurity) {
        out.push(format!("ALTER TABLE {name} ENABLE ROW LEVEL SECURITY"));
    }
    if table.attrs.contains(&TableAttr::PgForceRowSecurity) {
        out.push(format!("ALTER TABLE {name} FORCE ROW LEVEL SECURITY"));
    }
    if let Some(c) = &table.comment {
        out.push(comment_on("TABLE", &name, Some(c)));
    }
    for c in &table.columns {
        if let Some(comment) = &c.comment {
            out.push(comment_on(
                "COLUMN",
                &format!("{name}.{}", NAMES.ident(&c.name)),
                Some(comment),
            ));
        }
    }
    out
}

/// `DROP TABLE`.
pub(super) fn drop_table(table: &Table) -> String {
    format!("DROP TABLE {}", NAMES.qualified(&table.name))
}

/// `RENAME TO`, then `SET SCHEMA` when the table moves to another schema.
pub(super) fn rename_table(from: &Name, to: &Name) -> Vec<String> {
    let mut out = vec![format!(
        "ALTER TABLE {} RENAME TO {}",
        NAMES.qualified(from),
        NAMES.ident(&to.name)
    )];
    if from.schema != to.schema {
        out.push(format!(
            "ALTER TABLE {} SET SCHEMA {}",
            NAMES.qualified(&sibling(from, &to.name)),
            to.schema
                .as_deref()
                .map_or("public".to_string(), |s| NAMES.ident(s))
        ));
    }
    out
}

/// `COMMENT ON TABLE`, or `IS NULL` to remove it.
pub(super) fn set_table_comment(table: &Name, comment: Option<&str>) -> String {
    comment_on("TABLE", &NAMES.qualified(table), comment)
}

/// Logging, storage parameters and row security that changed; partitioning and inheritance
/// differences rebuild the table instead (`needs_rebuild`).
pub(super) fn set_table_attrs(table: &Name, from: &[TableAttr], to: &[TableAttr]) -> Vec<String> {
    let name = NAMES.qualified(table);
    let mut out = Vec::new();
    match (
        from.contains(&TableAttr::PgUnlogged),
        to.contains(&TableAttr::PgUnlogged),
    ) {
        (false, true) => out.push(format!("ALTER TABLE {name} SET UNLOGGED")),
        (true, false) => out.push(format!("ALTER TABLE {name} SET LOGGED")),
        _ => {}
    }
    out.extend(set_storage(table, storage(from), storage(to)));
    for (attr, on, off) in [
        (&TableAttr::PgRowSecurity, "ENABLE", "DISABLE"),
        (&TableAttr::PgForceRowSecurity, "FORCE", "NO FORCE"),
    ] {
        match (from.contains(attr), to.contains(attr)) {
            (false, true) => out.push(format!("ALTER TABLE {name} {on} ROW LEVEL SECURITY")),
            (true, false) => out.push(format!("ALTER TABLE {name} {off} ROW LEVEL SECURITY")),
            _ => {}
        }
    }
    out
}

/// A table's storage parameters (`name=value`).
fn storage(attrs: &[TableAttr]) -> &[String] {
    attrs
        .iter()
        .find_map(|a| match a {
            TableAttr::PgStorage(p) => Some(p.as_slice()),
            _ => None,
        })
        .unwrap_or(&[])
}

/// `ALTER TABLE ... SET (...)` for parameters that are new or changed, `RESET (...)` for those
/// that are gone.
fn set_storage(table: &Name, from: &[String], to: &[String]) -> Vec<String> {
    let key = |p: &String| p.split_once('=').map_or(p.clone(), |(k, _)| k.to_string());
    let set: Vec<&String> = to.iter().filter(|p| !from.contains(p)).collect();
    let reset: Vec<String> = from
        .iter()
        .map(key)
        .filter(|k| !to.iter().any(|p| &key(p) == k))
        .collect();
    let mut out = Vec::new();
    if !set.is_empty() {
        let list: Vec<&str> = set.iter().map(|s| s.as_str()).collect();
        out.push(format!(
            "ALTER TABLE {} SET ({})",
            NAMES.qualified(table),
            list.join(", ")
        ));
    }
    if !reset.is_empty() {
        out.push(format!(
            "ALTER TABLE {} RESET ({})",
            NAMES.qualified(table),
            reset.join(", ")
        ));
    }
    out
}
