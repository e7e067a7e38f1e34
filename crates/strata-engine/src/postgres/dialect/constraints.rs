//! Keys, constraints and indexes: the clauses `CREATE TABLE` and `ALTER TABLE ... ADD` share,
//! the names PostgreSQL gives unnamed constraints, and index DDL.

use strata_schema::{Check, Exclusion, ForeignKey, Index, IndexPart, Key, Name};

use super::names::{collation, comment_on, sibling, NAMES};

/// `CONSTRAINT name ` when the constraint has a name.
fn constraint_name(name: &Option<String>) -> String {
    name.as_ref()
        .map(|n| format!("CONSTRAINT {} ", NAMES.ident(n)))
        .unwrap_or_default()
}

/// A primary key or unique clause (`kind`), with `NULLS NOT DISTINCT` and deferrability.
pub(super) fn key_clause(key: &Key, kind: &str) -> String {
    format!(
        "{}{kind}{} ({}){}",
        constraint_name(&key.name),
        if key.nulls_not_distinct {
            " NULLS NOT DISTINCT"
        } else {
            ""
        },
        NAMES.idents(&key.columns),
        key.deferrable.sql()
    )
}

/// `[CONSTRAINT name] CHECK (...) [NOT VALID]`.
pub(super) fn check_clause(c: &Check) -> String {
    format!(
        "{}CHECK ({}){}",
        constraint_name(&c.name),
        c.expression,
        if c.not_valid { " NOT VALID" } else { "" }
    )
}

/// `[CONSTRAINT name] FOREIGN KEY ...`, writing only the actions that are not `NO ACTION`.
pub(super) fn foreign_key_clause(fk: &ForeignKey) -> String {
    let mut s = format!(
        "{}FOREIGN KEY ({}) REFERENCES {} ({})",
        constraint_name(&fk.name),
        NAMES.idents(&fk.columns),
        NAMES.qualified(&fk.ref_table),
        NAMES.idents(&fk.ref_columns)
    );
    if fk.on_update != Default::default() {
        s.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    if fk.on_delete != Default::default() {
        s.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    s.push_str(fk.deferrable.sql());
    if fk.not_valid {
        s.push_str(" NOT VALID");
    }
    s
}

/// `CONSTRAINT name EXCLUDE ...` from the definition the catalog printed.
pub(super) fn exclusion_clause(x: &Exclusion) -> String {
    format!("CONSTRAINT {} {}", NAMES.ident(&x.name), x.definition)
}

/// `ALTER TABLE ... ADD` a constraint clause.
pub(super) fn add_constraint(table: &Name, clause: &str) -> String {
    format!("ALTER TABLE {} ADD {clause}", NAMES.qualified(table))
}

/// `ALTER TABLE ... DROP CONSTRAINT name`.
pub(super) fn drop_constraint(table: &Name, name: &str) -> String {
    format!(
        "ALTER TABLE {} DROP CONSTRAINT {}",
        NAMES.qualified(table),
        NAMES.ident(name)
    )
}

/// The primary key's name, or the one PostgreSQL gives an unnamed one.
fn primary_key_name(table: &Name, key: &Key) -> String {
    key.name
        .clone()
        .unwrap_or_else(|| format!("{}_pkey", table.name))
}

/// Drops the primary key by its name.
pub(super) fn drop_primary_key(table: &Name, key: &Key) -> String {
    drop_constraint(table, &primary_key_name(table, key))
}

/// The old primary key dropped, the new one added.
pub(super) fn replace_primary_key(table: &Name, from: &Key, to: &Key) -> Vec<String> {
    vec![
        drop_primary_key(table, from),
        add_constraint(table, &key_clause(to, "PRIMARY KEY")),
    ]
}

/// Drops a unique key by its name, or the one PostgreSQL gives an unnamed one.
pub(super) fn drop_unique(table: &Name, key: &Key) -> String {
    let default = || format!("{}_{}_key", table.name, key.columns.join("_"));
    drop_constraint(table, &key.name.clone().unwrap_or_else(default))
}

/// Drops a foreign key by its name, or the one PostgreSQL gives an unnamed one.
pub(super) fn drop_foreign_key(table: &Name, fk: &ForeignKey) -> String {
    let default = || format!("{}_{}_fkey", table.name, fk.columns.join("_"));
    drop_constraint(table, &fk.name.clone().unwrap_or_else(default))
}

/// Drops a check by its name, or the one PostgreSQL gives an unnamed one.
pub(super) fn drop_check(table: &Name, check: &Check) -> String {
    let default = || format!("{}_check", table.name);
    drop_constraint(table, &check.name.clone().unwrap_or_else(default))
}

/// `RENAME CONSTRAINT`.
pub(super) fn rename_constraint(table: &Name, from: &str, to: &str) -> String {
    let (table, from, to) = (NAMES.qualified(table), NAMES.ident(from), NAMES.ident(to));
    format!("ALTER TABLE {table} RENAME CONSTRAINT {from} TO {to}")
}

/// `VALIDATE CONSTRAINT`: checks the rows a `NOT VALID` constraint skipped.
pub(super) fn validate_constraint(table: &Name, name: &str) -> String {
    let (table, name) = (NAMES.qualified(table), NAMES.ident(name));
    format!("ALTER TABLE {table} VALIDATE CONSTRAINT {name}")
}

/// The indexed columns and expressions, each with collation, operator class, direction and
/// nulls order.
fn index_parts(parts: &[IndexPart]) -> String {
    parts.iter().map(index_part).collect::<Vec<_>>().join(", ")
}

/// One indexed column or expression.
fn index_part(p: &IndexPart) -> String {
    let mut s = match (&p.column, &p.expression) {
        (Some(c), _) => NAMES.ident(c),
        (None, Some(e)) => format!("({e})"),
        (None, None) => String::new(),
    };
    if let Some(coll) = &p.collation {
        s.push_str(&format!(" COLLATE {}", collation(coll)));
    }
    if let Some(op) = &p.opclass {
        s.push_str(&format!(" {}", NAMES.ident(op)));
    }
    if p.descending {
        s.push_str(" DESC");
    }
    match p.nulls_first {
        Some(true) => s.push_str(" NULLS FIRST"),
        Some(false) => s.push_str(" NULLS LAST"),
        None => {}
    }
    s
}

/// `CREATE [UNIQUE] INDEX` with method, included columns, storage and predicate, then its
/// comment.
pub(super) fn create_index(table: &Name, index: &Index) -> Vec<String> {
    let mut s = format!(
        "CREATE {}INDEX {} ON {}",
        if index.unique { "UNIQUE " } else { "" },
        NAMES.ident(&index.name),
        NAMES.qualified(table)
    );
    if let Some(m) = &index.method {
        s.push_str(&format!(" USING {}", NAMES.ident(m)));
    }
    s.push_str(&format!(" ({})", index_parts(&index.parts)));
    if !index.include.is_empty() {
        s.push_str(&format!(" INCLUDE ({})", NAMES.idents(&index.include)));
    }
    if index.nulls_not_distinct {
        s.push_str(" NULLS NOT DISTINCT");
    }
    if !index.with.is_empty() {
        s.push_str(&format!(" WITH ({})", index.with.join(", ")));
    }
    if let Some(p) = &index.predicate {
        s.push_str(&format!(" WHERE {p}"));
    }
    let mut out = vec![s];
    if let Some(c) = &index.comment {
        out.push(comment_on(
            "INDEX",
            &NAMES.qualified(&sibling(table, &index.name)),
            Some(c),
        ));
    }
    out
}

/// `DROP INDEX`: an index lives in its table's schema.
pub(super) fn drop_index(table: &Name, index: &Index) -> String {
    format!(
        "DROP INDEX {}",
        NAMES.qualified(&sibling(table, &index.name))
    )
}

/// `ALTER INDEX ... RENAME TO`.
pub(super) fn rename_index(table: &Name, from: &str, to: &str) -> String {
    format!(
        "ALTER INDEX {} RENAME TO {}",
        NAMES.qualified(&sibling(table, from)),
        NAMES.ident(to)
    )
}
