//! SQLite's dialect: what its `ALTER TABLE` can do in place (add, rename), and the documented
//! table rebuild (new table, copy rows, drop, rename, recreate indexes and triggers) for the rest.

use strata_diff::{Change, Dialect, Unsupported};
use strata_schema::{
    quote, Column, Engine, FkAction, Index, Name, Routine, Table, TableAttr, Trigger,
};

/// The SQLite dialect.
pub struct SqliteDialect;

/// The one instance.
pub static SQLITE_DIALECT: SqliteDialect = SqliteDialect;

const E: Engine = Engine::Sqlite;

/// The prefix of the temporary table a rebuild copies rows into.
pub const REBUILD_PREFIX: &str = "_strata_new_";

const RESERVED: &[&str] = &[
    "abort",
    "action",
    "add",
    "after",
    "all",
    "alter",
    "always",
    "analyze",
    "and",
    "as",
    "asc",
    "attach",
    "autoincrement",
    "before",
    "begin",
    "between",
    "by",
    "cascade",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "commit",
    "conflict",
    "constraint",
    "create",
    "cross",
    "current",
    "current_date",
    "current_time",
    "current_timestamp",
    "database",
    "default",
    "deferrable",
    "deferred",
    "delete",
    "desc",
    "detach",
    "distinct",
    "do",
    "drop",
    "each",
    "else",
    "end",
    "escape",
    "except",
    "exclude",
    "exclusive",
    "exists",
    "explain",
    "fail",
    "filter",
    "first",
    "following",
    "for",
    "foreign",
    "from",
    "full",
    "generated",
    "glob",
    "group",
    "groups",
    "having",
    "if",
    "ignore",
    "immediate",
    "in",
    "index",
    "indexed",
    "initially",
    "inner",
    "insert",
    "instead",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "key",
    "last",
    "left",
    "like",
    "limit",
    "match",
    "materialized",
    "natural",
    "no",
    "not",
    "nothing",
    "notnull",
    "null",
    "nulls",
    "of",
    "offset",
    "on",
    "or",
    "order",
    "others",
    "outer",
    "over",
    "partition",
    "plan",
    "pragma",
    "preceding",
    "primary",
    "query",
    "raise",
    "range",
    "recursive",
    "references",
    "regexp",
    "reindex",
    "release",
    "rename",
    "replace",
    "restrict",
    "returning",
    "right",
    "rollback",
    "row",
    "rows",
    "savepoint",
    "select",
    "set",
    "table",
    "temp",
    "temporary",
    "then",
    "ties",
    "to",
    "transaction",
    "trigger",
    "unbounded",
    "union",
    "unique",
    "update",
    "using",
    "vacuum",
    "values",
    "view",
    "virtual",
    "when",
    "where",
    "window",
    "with",
    "without",
];

/// An identifier, quoted only when SQLite needs it.
pub fn q(name: &str) -> String {
    let bare = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&name.to_ascii_lowercase().as_str())
        && !name.to_ascii_lowercase().starts_with("sqlite_");
    if bare {
        name.to_string()
    } else {
        quote::ident(E, name)
    }
}

fn n(name: &Name) -> String {
    q(&name.name)
}

fn cols(names: &[String]) -> String {
    names.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ")
}

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

fn default_sql(d: &str) -> String {
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
fn column_def(c: &Column, inline_pk: bool, rowid: bool) -> String {
    let mut s = format!("{} {}", q(&c.name), c.data_type);
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
        s.push_str(&format!(" COLLATE {}", q(coll)));
    }
    if let Some(d) = &c.default {
        s.push(' ');
        s.push_str(&default_sql(d));
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

fn fk_actions(on_update: FkAction, on_delete: FkAction) -> String {
    let mut s = String::new();
    if on_update != FkAction::NoAction {
        s.push_str(&format!(" ON UPDATE {}", on_update.sql()));
    }
    if on_delete != FkAction::NoAction {
        s.push_str(&format!(" ON DELETE {}", on_delete.sql()));
    }
    s
}

/// `CREATE TABLE` for `t` under the name `name`.
fn create_table(t: &Table, name: &str) -> String {
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
            column_def(
                c,
                single_pk.as_deref() == Some(c.name.as_str()),
                rowid == Some(c.name.as_str()),
            )
        })
        .collect();
    if let Some(pk) = t.primary_key.as_ref().filter(|k| k.columns.len() > 1) {
        items.push(format!("PRIMARY KEY ({})", cols(&pk.columns)));
    }
    for u in &t.uniques {
        let prefix = u
            .name
            .as_ref()
            .map(|n| format!("CONSTRAINT {} ", q(n)))
            .unwrap_or_default();
        items.push(format!("{prefix}UNIQUE ({})", cols(&u.columns)));
    }
    for c in &t.checks {
        let prefix = c
            .name
            .as_ref()
            .map(|n| format!("CONSTRAINT {} ", q(n)))
            .unwrap_or_default();
        items.push(format!("{prefix}CHECK ({})", c.expression));
    }
    for fk in &t.foreign_keys {
        items.push(format!(
            "FOREIGN KEY ({}) REFERENCES {} ({}){}{}",
            cols(&fk.columns),
            n(&fk.ref_table),
            cols(&fk.ref_columns),
            fk_actions(fk.on_update, fk.on_delete),
            fk.deferrable.sql()
        ));
    }
    let mut options = Vec::new();
    if t.attrs.contains(&TableAttr::SqliteWithoutRowid) {
        options.push("WITHOUT ROWID");
    }
    if t.attrs.contains(&TableAttr::SqliteStrict) {
        options.push("STRICT");
    }
    format!(
        "CREATE TABLE {} (\n    {}\n){}",
        name,
        items.join(",\n    "),
        if options.is_empty() {
            String::new()
        } else {
            format!(" {}", options.join(", "))
        }
    )
}

fn create_index(table: &Name, i: &Index) -> String {
    let parts: Vec<String> = i
        .parts
        .iter()
        .map(|p| {
            let mut s = match (&p.column, &p.expression) {
                (Some(c), _) => q(c),
                (None, Some(e)) => e.clone(),
                (None, None) => String::new(),
            };
            if let Some(coll) = &p.collation {
                s.push_str(&format!(" COLLATE {}", q(coll)));
            }
            if p.descending {
                s.push_str(" DESC");
            }
            s
        })
        .collect();
    let mut s = format!(
        "CREATE {}INDEX {} ON {} ({})",
        if i.unique { "UNIQUE " } else { "" },
        q(&i.name),
        n(table),
        parts.join(", ")
    );
    if let Some(p) = &i.predicate {
        s.push_str(&format!(" WHERE {p}"));
    }
    s
}

impl Dialect for SqliteDialect {
    fn engine(&self) -> Engine {
        E
    }

    fn inline_foreign_keys(&self) -> bool {
        true
    }

    fn alters_in_place(&self, change: &Change) -> bool {
        match change {
            Change::AddColumn { column, .. } => {
                let constant_default = column.default.as_deref().is_none_or(|d| {
                    is_literal(d) && !d.to_ascii_uppercase().starts_with("CURRENT_")
                });
                (column.nullable || column.default.is_some())
                    && constant_default
                    && column.generated.as_ref().is_none_or(|g| !g.stored)
                    && column.identity.is_none()
            }
            Change::RenameColumn { .. }
            | Change::RenameTable { .. }
            | Change::CreateIndex { .. }
            | Change::DropIndex { .. }
            | Change::CreateTrigger { .. }
            | Change::DropTrigger { .. }
            | Change::SetTableComment { .. }
            | Change::SetColumnComment { .. } => true,
            _ => false,
        }
    }

    /// SQLite cannot rename constraints; their names live in the table definition.
    fn renames_constraint(&self, _kind: strata_diff::ConstraintKind) -> bool {
        false
    }

    /// SQLite has no `ALTER INDEX ... RENAME`: a renamed index is dropped and created.
    fn renames_index(&self) -> bool {
        false
    }

    /// SQLite enforces no length or precision: a type change keeps every value when both types
    /// have the same affinity (`varchar(100)` → `varchar(200)`, `numeric(10,2)` →
    /// `numeric(12,2)`, `int` → `bigint`), since the rebuild's copy converts nothing then.
    fn is_widening(&self, from: &str, to: &str) -> bool {
        affinity(from) == affinity(to)
    }

    fn needs_rebuild(&self, from: &Table, to: &Table) -> bool {
        from.attrs != to.attrs
    }

    fn rebuild_needs_foreign_keys_off(&self) -> bool {
        true
    }

    /// SQLite fires triggers in an order of its own; `CREATE TRIGGER` has no clause that names
    /// another trigger.
    fn trigger_anchor(&self, _trigger: &Trigger) -> Option<String> {
        None
    }

    /// SQLite has no stored routines.
    fn routine_returns_table_rows(&self, _routine: &Routine) -> bool {
        false
    }

    fn render(&self, change: &Change) -> Result<Vec<String>, Unsupported> {
        Ok(match change {
            Change::CreateTable { table } => vec![create_table(table, &n(&table.name))],
            Change::DropTable { table } => vec![format!("DROP TABLE {}", n(&table.name))],
            Change::RenameTable { from, to } => {
                vec![format!("ALTER TABLE {} RENAME TO {}", n(from), n(to))]
            }
            Change::AddColumn { table, column, .. } => vec![format!(
                "ALTER TABLE {} ADD COLUMN {}",
                n(table),
                column_def(column, false, false)
            )],
            Change::RenameColumn { table, from, to } => vec![format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {}",
                n(table),
                q(from),
                q(to)
            )],
            Change::CreateIndex { table, index } => vec![create_index(table, index)],
            Change::DropIndex { index, .. } => vec![format!("DROP INDEX {}", q(&index.name))],
            Change::CreateTrigger { trigger, .. } => vec![trigger.definition.clone()],
            Change::DropTrigger { trigger, .. } => {
                vec![format!("DROP TRIGGER {}", q(&trigger.name))]
            }
            Change::CreateView { view } => {
                if view
                    .definition
                    .trim_start()
                    .to_ascii_uppercase()
                    .starts_with("CREATE")
                {
                    vec![view.definition.clone()]
                } else {
                    vec![format!(
                        "CREATE VIEW {} AS {}",
                        n(&view.name),
                        view.definition
                    )]
                }
            }
            Change::DropView { view } => vec![format!("DROP VIEW {}", n(&view.name))],
            Change::RebuildTable { from, to } => rebuild(from, to),
            Change::CreateVirtualTable { table } => {
                let mut out = vec![table.definition.clone()];
                // A full-text index over another table's rows starts empty: fill it from them.
                if external_content_fts(&table.definition) {
                    let name = n(&table.name);
                    out.push(format!(
                        "INSERT INTO {name} ({}) VALUES ('rebuild')",
                        q(&table.name.name)
                    ));
                }
                out
            }
            Change::DropVirtualTable { table } => vec![format!("DROP TABLE {}", n(&table.name))],
            // SQLite has no comments, types, sequences, schemas or stored routines: the
            // inspector never reports them, so the differ never asks for them.
            Change::SetTableComment { .. }
            | Change::SetColumnComment { .. }
            | Change::CreateNamespace { .. }
            | Change::DropNamespace { .. }
            | Change::CreateExtension { .. }
            | Change::DropExtension { .. }
            | Change::AddExclusion { .. }
            | Change::DropExclusion { .. }
            | Change::CreatePolicy { .. }
            | Change::DropPolicy { .. }
            | Change::CreateType { .. }
            | Change::DropType { .. }
            | Change::AddEnumValue { .. }
            | Change::AlterCompositeType { .. }
            | Change::CreateSequence { .. }
            | Change::DropSequence { .. }
            | Change::CreateRoutine { .. }
            | Change::DropRoutine { .. }
            | Change::ReplaceType { .. }
            | Change::AlterSequence { .. }
            | Change::SetTypeComment { .. } => return Err(Unsupported::new(E, change)),
            // SQLite has no NOT VALID constraints: every check and foreign key it inspects is
            // valid, so there is never one to validate.
            Change::ValidateConstraint { .. } => return Err(Unsupported::new(E, change)),
            // Everything else is turned into a rebuild by the differ (alters_in_place is false).
            Change::DropColumn { .. }
            | Change::AlterColumn { .. }
            | Change::AddPrimaryKey { .. }
            | Change::DropPrimaryKey { .. }
            | Change::AddUnique { .. }
            | Change::DropUnique { .. }
            | Change::AddForeignKey { .. }
            | Change::DropForeignKey { .. }
            | Change::AddCheck { .. }
            | Change::DropCheck { .. }
            | Change::ReplacePrimaryKey { .. }
            | Change::RenameConstraint { .. }
            | Change::RenameIndex { .. }
            | Change::SetTableAttrs { .. } => return Err(Unsupported::new(E, change)),
        })
    }
}

/// SQLite's documented table rebuild; foreign keys are switched off around the migration by the
/// `-- strata:foreign-keys-off` directive the planner writes, and checked before commit.
fn rebuild(from: &Table, to: &Table) -> Vec<String> {
    let temp = q(&format!("{REBUILD_PREFIX}{}", to.name.name));
    let mut out = vec![create_table(to, &temp)];
    let mut targets = Vec::new();
    let mut sources = Vec::new();
    for c in &to.columns {
        if c.generated.is_some() {
            continue;
        }
        if let Some(f) = from
            .columns
            .iter()
            .find(|f| f.name == c.name && f.generated.is_none())
        {
            targets.push(q(&c.name));
            sources.push(q(f.renamed_from.as_deref().unwrap_or(&f.name)));
        }
    }
    if !targets.is_empty() {
        out.push(format!(
            "INSERT INTO {temp} ({}) SELECT {} FROM {}",
            targets.join(", "),
            sources.join(", "),
            n(&to.name)
        ));
    }
    // The AUTOINCREMENT counter lives in `sqlite_sequence` under the table's name, and goes
    // with the old table; the copy only raised the new table's to its largest id, so an id
    // deleted from the end would be handed out again. Move the old counter to the new table
    // (the rename below renames it along). It moves also when `to` drops AUTOINCREMENT, so that
    // the down of this rebuild, which adds it back, finds it; SQLite ignores the counter of a
    // table without AUTOINCREMENT and never hands out an id below the largest one present.
    if autoincrement(from) || autoincrement(to) {
        let seq = |name: &str| quote::literal(E, name);
        let (old, new) = (
            seq(&to.name.name),
            seq(&format!("{REBUILD_PREFIX}{}", to.name.name)),
        );
        out.push(format!("DELETE FROM sqlite_sequence WHERE name = {new}"));
        out.push(format!(
            "UPDATE sqlite_sequence SET name = {new} WHERE name = {old}"
        ));
    }
    out.push(format!("DROP TABLE {}", n(&to.name)));
    // Triggers and views of other tables that name this one would make a checked RENAME fail
    // while the old table is gone; the legacy rename leaves them alone, and they are valid
    // again once the new table has the old name.
    out.push("PRAGMA legacy_alter_table = ON".to_string());
    out.push(format!("ALTER TABLE {temp} RENAME TO {}", n(&to.name)));
    out.push("PRAGMA legacy_alter_table = OFF".to_string());
    for i in &to.indexes {
        out.push(create_index(&to.name, i));
    }
    for t in &to.triggers {
        out.push(t.definition.clone());
    }
    out
}

/// The affinity of a declared type, by SQLite's rules (datatype3.html, section 3.1) in their
/// order: `INT`, then `CHAR`/`CLOB`/`TEXT`, then `BLOB` or no type, then `REAL`/`FLOA`/`DOUB`,
/// else `NUMERIC`.
fn affinity(declared: &str) -> &'static str {
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

/// Whether `t` has an AUTOINCREMENT column, i.e. a counter in `sqlite_sequence`.
fn autoincrement(t: &Table) -> bool {
    t.columns.iter().any(|c| c.identity.is_some())
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
mod fts_tests {
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

#[cfg(test)]
mod unsupported_tests {
    use strata_diff::{Change, Dialect};
    use strata_schema::{Name, UserType, UserTypeKind};

    /// A change SQLite has no object for is an error naming it, never an empty statement list.
    #[test]
    fn a_change_sqlite_cannot_write_is_an_error() {
        let change = Change::CreateType {
            ty: UserType {
                name: Name::new("mood"),
                kind: UserTypeKind::Enum {
                    values: vec!["sad".into(), "happy".into()],
                },
                comment: None,
            },
        };
        let err = super::SQLITE_DIALECT.render(&change).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unsupported change `create type mood` on sqlite: strata cannot write it as sqlite SQL"
        );
    }
}
