//! Tables: `CREATE TABLE` with its keys, checks and foreign keys (SQLite keeps all of them in
//! the table's definition), indexes, renames, drops and virtual tables.

use strata_schema::{Check, FkAction, ForeignKey, Index, IndexPart, Key, Name, Table, TableAttr};

use super::columns::{column_def, rowid_alias};
use super::names::NAMES;

/// `CREATE TABLE` for `t` under the (quoted) name `name`.
pub(super) fn create_table(t: &Table, name: &str) -> String {
    let single_pk = t
        .primary_key
        .as_ref()
        .filter(|k| k.columns.len() == 1)
        .map(|k| k.columns[0].clone());
    let rowid = rowid_alias(t);
    let mut items: Vec<String> = t
        .columns
        .iter()
        .map(|c| {
            let name = Some(c.name.as_str());
            column_def(c, single_pk.as_deref() == name, rowid == name)
        })
        .collect();
    if let Some(pk) = t.primary_key.as_ref().filter(|k| k.columns.len() > 1) {
        items.push(format!("PRIMARY KEY ({})", NAMES.idents(&pk.columns)));
    }
    items.extend(t.uniques.iter().map(unique_clause));
    items.extend(t.checks.iter().map(check_clause));
    items.extend(t.foreign_keys.iter().map(foreign_key_clause));
    let mut options = Vec::new();
    if t.attrs.contains(&TableAttr::SqliteWithoutRowid) {
        options.push("WITHOUT ROWID");
    }
    if t.attrs.contains(&TableAttr::SqliteStrict) {
        options.push("STRICT");
    }
    let options = if options.is_empty() {
        String::new()
    } else {
        format!(" {}", options.join(", "))
    };
    format!(
        "CREATE TABLE {name} (\n    {}\n){options}",
        items.join(",\n    ")
    )
}

/// `CONSTRAINT name ` when the constraint has a name.
fn constraint_name(name: Option<&String>) -> String {
    name.map(|n| format!("CONSTRAINT {} ", NAMES.ident(n)))
        .unwrap_or_default()
}

/// `[CONSTRAINT name] UNIQUE (...)`.
fn unique_clause(key: &Key) -> String {
    let prefix = constraint_name(key.name.as_ref());
    format!("{prefix}UNIQUE ({})", NAMES.idents(&key.columns))
}

/// `[CONSTRAINT name] CHECK (...)`.
fn check_clause(check: &Check) -> String {
    let prefix = constraint_name(check.name.as_ref());
    format!("{prefix}CHECK ({})", check.expression)
}

/// `FOREIGN KEY ... REFERENCES ...` with the actions that are not the default `NO ACTION`.
/// SQLite keeps no name for a foreign key, so none is written.
fn foreign_key_clause(fk: &ForeignKey) -> String {
    let mut s = format!(
        "FOREIGN KEY ({}) REFERENCES {} ({})",
        NAMES.idents(&fk.columns),
        NAMES.qualified(&fk.ref_table),
        NAMES.idents(&fk.ref_columns)
    );
    for (event, action) in [("UPDATE", fk.on_update), ("DELETE", fk.on_delete)] {
        if action != FkAction::NoAction {
            s.push_str(&format!(" ON {event} {}", action.sql()));
        }
    }
    s.push_str(fk.deferrable.sql());
    s
}

/// `CREATE [UNIQUE] INDEX`, partial when it has a predicate.
pub(super) fn create_index(table: &Name, i: &Index) -> String {
    let mut s = format!(
        "CREATE {}INDEX {} ON {} ({})",
        if i.unique { "UNIQUE " } else { "" },
        NAMES.ident(&i.name),
        NAMES.qualified(table),
        index_parts(&i.parts)
    );
    if let Some(p) = &i.predicate {
        s.push_str(&format!(" WHERE {p}"));
    }
    s
}

/// The indexed columns and expressions, with collations and directions.
fn index_parts(parts: &[IndexPart]) -> String {
    let part = |p: &IndexPart| {
        let mut s = match (&p.column, &p.expression) {
            (Some(c), _) => NAMES.ident(c),
            (None, Some(e)) => e.clone(),
            (None, None) => String::new(),
        };
        if let Some(coll) = &p.collation {
            s.push_str(&format!(" COLLATE {}", NAMES.ident(coll)));
        }
        if p.descending {
            s.push_str(" DESC");
        }
        s
    };
    parts.iter().map(part).collect::<Vec<_>>().join(", ")
}

/// `DROP INDEX`.
pub(super) fn drop_index(index: &Index) -> String {
    format!("DROP INDEX {}", NAMES.ident(&index.name))
}

/// `DROP TABLE`, also for virtual tables.
pub(super) fn drop_table(name: &Name) -> String {
    format!("DROP TABLE {}", NAMES.qualified(name))
}

/// `ALTER TABLE ... RENAME TO`.
pub(super) fn rename_table(from: &Name, to: &Name) -> String {
    format!(
        "ALTER TABLE {} RENAME TO {}",
        NAMES.qualified(from),
        NAMES.qualified(to)
    )
}

/// A virtual table from its definition; a full-text index over another table's rows starts
/// empty, so it is filled from them.
pub(super) fn create_virtual_table(name: &Name, definition: &str) -> Vec<String> {
    let mut out = vec![definition.to_string()];
    if external_content_fts(definition) {
        out.push(format!(
            "INSERT INTO {} ({}) VALUES ('rebuild')",
            NAMES.qualified(name),
            NAMES.ident(&name.name)
        ));
    }
    out
}

/// Whether a `CREATE VIRTUAL TABLE` is an FTS4/FTS5 index over another table's rows
/// (`content='docs'`, not the contentless `content=''`).
fn external_content_fts(definition: &str) -> bool {
    let lower = definition.to_ascii_lowercase();
    let fts = lower.contains("using fts5") || lower.contains("using fts4");
    let external = lower.match_indices("content").any(|(i, _)| {
        let rest = lower[i + "content".len()..].trim_start();
        let Some(value) = rest.strip_prefix('=') else {
            return false;
        };
        let value = value.trim_start();
        let mut chars = value.chars();
        match (chars.next(), chars.next()) {
            (Some(open @ ('\'' | '"')), Some(next)) => next != open,
            (Some(c), _) => c.is_ascii_alphanumeric() || c == '_',
            _ => false,
        }
    });
    fts && external
}

#[cfg(test)]
mod tests {
    use super::external_content_fts;

    #[test]
    fn external_content_is_told_from_contentless_and_own_content() {
        assert!(external_content_fts(
            "CREATE VIRTUAL TABLE f USING fts5(a, content='docs', content_rowid='id')"
        ));
        assert!(external_content_fts(
            "CREATE VIRTUAL TABLE f USING fts4(a, content=\"docs\")"
        ));
        assert!(!external_content_fts(
            "CREATE VIRTUAL TABLE f USING fts5(a, content='')"
        ));
        assert!(!external_content_fts(
            "CREATE VIRTUAL TABLE f USING fts5(a, b)"
        ));
        assert!(!external_content_fts(
            "CREATE VIRTUAL TABLE r USING rtree(id, a, b)"
        ));
    }
}
