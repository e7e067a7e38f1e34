//! The changelog of a migration: what it added, modified (old → new) and dropped, from the
//! schemas before and after it.
//!
//! Objects are compared one by one rather than read off the differ's [`Change`]s, so a SQLite
//! table rebuild, an index dropped and re-created, or a view recreated because a table under it
//! changed still read as the one thing that changed. A new table is one entry (its columns and
//! constraints are part of it); its indexes and triggers, created by their own statements, are
//! entries of their own. A dropped table takes its columns, indexes and triggers with it.
//! Renames come from `-- strata:renamed-from` hints, as in plans. The destructive steps are the
//! differ's, so they read like the plan summary.
//!
//! [`Change`]: strata_diff::Change

use serde::Serialize;
use std::fmt::Write as _;
use strata_diff::{Dialect, Renames};
use strata_schema::{
    Check, Column, ForeignKey, Index, Key, Name, Routine, Schema, Sequence, Table, Trigger,
    UserType, UserTypeKind, View,
};

/// What kind of object an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Schema,
    Extension,
    Type,
    Sequence,
    Table,
    Column,
    /// Primary key, unique, foreign key or check constraint (the text says which).
    Constraint,
    Index,
    Trigger,
    Policy,
    View,
    Routine,
}

impl Kind {
    /// The word used in Markdown.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Schema => "schema",
            Kind::Extension => "extension",
            Kind::Type => "type",
            Kind::Sequence => "sequence",
            Kind::Table => "table",
            Kind::Column => "column",
            Kind::Constraint => "constraint",
            Kind::Index => "index",
            Kind::Trigger => "trigger",
            Kind::Policy => "policy",
            Kind::View => "view",
            Kind::Routine => "routine",
        }
    }
}

/// An object that was added or dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub kind: Kind,
    /// The object's name; table parts are `table.part` (a column `users.email`, an index
    /// `users.users_email_idx`, an unnamed constraint `users.UNIQUE (email)`).
    pub name: String,
    /// Its definition in short (a column's type and nullability, a constraint's clause).
    pub definition: String,
}

/// An object whose definition changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Modified {
    pub kind: Kind,
    /// The name after the migration (see [`Item::name`]).
    pub name: String,
    pub old: String,
    pub new: String,
}

/// What one migration changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub version: i64,
    pub name: String,
    pub added: Vec<Item>,
    pub modified: Vec<Modified>,
    pub dropped: Vec<Item>,
    /// The steps that can lose data, as the plan describes them.
    pub destructive: Vec<String>,
}

impl Entry {
    /// Whether the migration changed no schema object (a data-only migration).
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.modified.is_empty() && self.dropped.is_empty()
    }
}

struct Builder {
    added: Vec<Item>,
    modified: Vec<Modified>,
    dropped: Vec<Item>,
}

impl Builder {
    fn add(&mut self, kind: Kind, name: String, definition: String) {
        self.added.push(Item {
            kind,
            name,
            definition,
        });
    }
    fn drop(&mut self, kind: Kind, name: String, definition: String) {
        self.dropped.push(Item {
            kind,
            name,
            definition,
        });
    }
    fn modify(&mut self, kind: Kind, name: String, old: String, new: String) {
        if old != new {
            self.modified.push(Modified {
                kind,
                name,
                old,
                new,
            });
        }
    }

    /// Pairs `from` and `to` by `key`; unpaired ones are dropped / added, pairs whose text
    /// differs are modified.
    #[allow(clippy::too_many_arguments)]
    fn compare<T>(
        &mut self,
        kind: Kind,
        from: &[T],
        to: &[T],
        same: impl Fn(&T, &T) -> bool,
        name: impl Fn(&T) -> String,
        text: impl Fn(&T) -> String,
    ) {
        for b in to {
            match from.iter().find(|a| same(a, b)) {
                None => self.add(kind, name(b), text(b)),
                Some(a) => self.modify(kind, name(b), text(a), text(b)),
            }
        }
        for a in from {
            if !to.iter().any(|b| same(a, b)) {
                self.drop(kind, name(a), text(a));
            }
        }
    }
}

/// The changelog entry of migration `version`/`name` that takes `before` to `after`.
pub fn entry(
    version: i64,
    name: &str,
    before: &Schema,
    after: &Schema,
    dialect: &dyn Dialect,
) -> Entry {
    let renames = Renames::from_hints(before, after);
    let mut b = Builder {
        added: Vec::new(),
        modified: Vec::new(),
        dropped: Vec::new(),
    };
    b.compare(
        Kind::Schema,
        &before.namespaces,
        &after.namespaces,
        |a, b| a == b,
        String::clone,
        |_| String::new(),
    );
    b.compare(
        Kind::Extension,
        &before.extensions,
        &after.extensions,
        |a, b| a.name == b.name,
        |e| e.name.clone(),
        |e| {
            e.schema
                .as_ref()
                .map_or(String::new(), |s| format!("in schema {s}"))
        },
    );
    b.compare(
        Kind::Type,
        &before.types,
        &after.types,
        |a, b| a.name == b.name,
        |t| t.name.to_string(),
        type_text,
    );
    b.compare(
        Kind::Sequence,
        &before.sequences,
        &after.sequences,
        |a, b| a.name == b.name,
        |s| s.name.to_string(),
        sequence_text,
    );

    // Tables, with renames.
    let old_name_of = |n: &Name| {
        renames
            .tables
            .iter()
            .find(|r| &r.to == n)
            .map(|r| r.from.clone())
    };
    for t in &after.tables {
        let old_name = old_name_of(&t.name);
        let before_t = before.table(old_name.as_ref().unwrap_or(&t.name));
        match before_t {
            None => {
                b.add(Kind::Table, t.name.to_string(), table_text(t));
                for i in t.indexes.iter().filter(|i| !implicit_index(t, i)) {
                    b.add(Kind::Index, part(t, &i.name), index_text(i));
                }
                for tr in &t.triggers {
                    b.add(Kind::Trigger, part(t, &tr.name), one_line(&tr.definition));
                }
                for x in &t.policies {
                    b.add(Kind::Policy, part(t, &x.name), one_line(&x.definition));
                }
            }
            Some(f) => {
                if let Some(old) = &old_name {
                    b.modify(
                        Kind::Table,
                        t.name.to_string(),
                        format!("name {old}"),
                        format!("name {}", t.name),
                    );
                }
                table_parts(&mut b, f, t, &renames, dialect);
            }
        }
    }
    for f in &before.tables {
        let renamed = renames.renames_table(&f.name);
        if after.table(&f.name).is_none() && !renamed {
            b.drop(Kind::Table, f.name.to_string(), table_text(f));
        }
    }

    b.compare(
        Kind::Table,
        &before.virtual_tables,
        &after.virtual_tables,
        |a, b| a.name == b.name,
        |v| v.name.to_string(),
        |v| one_line(&v.definition),
    );
    b.compare(
        Kind::View,
        &before.views,
        &after.views,
        |a, b| a.name == b.name,
        |v| v.name.to_string(),
        view_text,
    );
    // A view's INSTEAD OF triggers, as entries of their own like a table's.
    let view_triggers = |s: &Schema| -> Vec<(String, Trigger)> {
        s.views
            .iter()
            .flat_map(|v| {
                v.triggers
                    .iter()
                    .map(|t| (format!("{}.{}", v.name, t.name), t.clone()))
            })
            .collect()
    };
    b.compare(
        Kind::Trigger,
        &view_triggers(before),
        &view_triggers(after),
        |x, y| x.0 == y.0,
        |t| t.0.clone(),
        |t| one_line(&t.1.definition),
    );
    b.compare(
        Kind::Routine,
        &before.routines,
        &after.routines,
        |a, b| a.name == b.name && a.signature == b.signature,
        routine_name,
        |r| one_line(&r.definition),
    );

    let destructive = strata_diff::diff_with(before, after, &renames, dialect)
        .iter()
        .filter(|c| c.is_destructive(dialect))
        .map(|c| c.describe())
        .collect();
    Entry {
        version,
        name: name.to_string(),
        added: b.added,
        modified: b.modified,
        dropped: b.dropped,
        destructive,
    }
}

/// The columns, keys, indexes, constraints, triggers, comment and options of a table that
/// exists on both sides.
fn table_parts(b: &mut Builder, from: &Table, to: &Table, renames: &Renames, d: &dyn Dialect) {
    let tn = to.name.to_string();
    // Columns by name, or by the old name of a renamed column.
    let old_col = |new: &str| {
        renames
            .columns
            .iter()
            .find(|r| r.table == to.name && r.to == new)
            .map(|r| r.from.clone())
    };
    let mut seen = Vec::new();
    for c in &to.columns {
        let old = old_col(&c.name);
        match from.column(old.as_deref().unwrap_or(&c.name)) {
            None => b.add(Kind::Column, format!("{tn}.{}", c.name), column_text(c)),
            Some(f) => {
                seen.push(f.name.clone());
                let mut renamed = f.clone();
                renamed.name = c.name.clone();
                let changed = !d.same_column(&renamed, c) || f.comment != c.comment;
                if old.is_some() {
                    b.modify(
                        Kind::Column,
                        format!("{tn}.{}", c.name),
                        format!("{} {}", f.name, column_text(f)),
                        format!("{} {}", c.name, column_text(c)),
                    );
                } else if changed {
                    let (old_text, new_text) = (column_text(f), column_text(c));
                    if old_text == new_text {
                        // Differences the short text does not show (identity, collation, ...).
                        b.modify(
                            Kind::Column,
                            format!("{tn}.{}", c.name),
                            column_detail(f),
                            column_detail(c),
                        );
                    } else {
                        b.modify(Kind::Column, format!("{tn}.{}", c.name), old_text, new_text);
                    }
                }
            }
        }
    }
    for f in &from.columns {
        if !seen.contains(&f.name) {
            b.drop(Kind::Column, format!("{tn}.{}", f.name), column_text(f));
        }
    }
    // Columns moved within the table (migrated where the engine moves columns).
    if d.moves_columns() {
        let now: Vec<&str> = from
            .columns
            .iter()
            .filter_map(|f| {
                to.columns
                    .iter()
                    .find(|c| old_col(&c.name).as_deref().unwrap_or(&c.name) == f.name)
                    .map(|c| c.name.as_str())
            })
            .collect();
        let desired: Vec<&str> = to
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .filter(|n| now.contains(n))
            .collect();
        if now != desired {
            b.modify(
                Kind::Table,
                format!("{tn} (column order)"),
                now.join(", "),
                desired.join(", "),
            );
        }
    }

    // The primary key.
    let pk_name = |k: &Key| part(to, k.name.as_deref().unwrap_or("PRIMARY KEY"));
    match (&from.primary_key, &to.primary_key) {
        (None, Some(k)) => b.add(Kind::Constraint, pk_name(k), key_text("PRIMARY KEY", k)),
        (Some(k), None) => b.drop(Kind::Constraint, pk_name(k), key_text("PRIMARY KEY", k)),
        (Some(a), Some(k)) => b.modify(
            Kind::Constraint,
            pk_name(k),
            key_text("PRIMARY KEY", a),
            key_text("PRIMARY KEY", k),
        ),
        (None, None) => {}
    }
    // Named constraints pair by name, unnamed ones by definition.
    let same_named = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(a), Some(b)) => Some(a == b),
        _ => None,
    };
    b.compare(
        Kind::Constraint,
        &from.uniques,
        &to.uniques,
        |x, y| same_named(&x.name, &y.name).unwrap_or(x.columns == y.columns),
        |k| part(to, &k.name.clone().unwrap_or_else(|| key_text("UNIQUE", k))),
        |k| key_text("UNIQUE", k),
    );
    b.compare(
        Kind::Constraint,
        &from.foreign_keys,
        &to.foreign_keys,
        |x, y| {
            same_named(&x.name, &y.name)
                .unwrap_or(x.columns == y.columns && x.ref_table == y.ref_table)
        },
        |fk| part(to, &fk.name.clone().unwrap_or_else(|| fk_text(fk))),
        fk_text,
    );
    b.compare(
        Kind::Constraint,
        &from.checks,
        &to.checks,
        |x, y| same_named(&x.name, &y.name).unwrap_or(x.expression == y.expression),
        |c| part(to, &c.name.clone().unwrap_or_else(|| check_text(c))),
        check_text,
    );
    b.compare(
        Kind::Constraint,
        &from.exclusions,
        &to.exclusions,
        |x, y| x.name == y.name,
        |x| part(to, &x.name),
        |x| one_line(&x.definition),
    );
    let explicit = |t: &Table| -> Vec<Index> {
        t.indexes
            .iter()
            .filter(|i| !implicit_index(t, i))
            .cloned()
            .collect()
    };
    b.compare(
        Kind::Index,
        &explicit(from),
        &explicit(to),
        |x, y| x.name == y.name,
        |i| part(to, &i.name),
        index_text,
    );
    b.compare(
        Kind::Trigger,
        &from.triggers,
        &to.triggers,
        |x, y| x.name == y.name,
        |t| part(to, &t.name),
        |t| one_line(&t.definition),
    );
    b.compare(
        Kind::Policy,
        &from.policies,
        &to.policies,
        |x, y| x.name == y.name,
        |x| part(to, &x.name),
        |x| one_line(&x.definition),
    );
    if from.comment != to.comment {
        b.modify(
            Kind::Table,
            tn.clone(),
            comment_text(&from.comment),
            comment_text(&to.comment),
        );
    }
    if from.attrs != to.attrs {
        b.modify(
            Kind::Table,
            tn,
            format!("options {:?}", from.attrs),
            format!("options {:?}", to.attrs),
        );
    }
}

/// An index the engine made for a foreign key (MySQL names it after the constraint): part of
/// the foreign key, not an object of its own.
fn implicit_index(t: &Table, i: &Index) -> bool {
    t.foreign_keys.iter().any(|fk| {
        fk.name.as_deref() == Some(i.name.as_str())
            && i.parts.len() == fk.columns.len()
            && i.parts
                .iter()
                .zip(&fk.columns)
                .all(|(p, c)| p.column.as_ref() == Some(c))
    })
}

fn part(t: &Table, name: &str) -> String {
    format!("{}.{name}", t.name)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn comment_text(c: &Option<String>) -> String {
    match c {
        Some(c) => format!("comment '{c}'"),
        None => "no comment".into(),
    }
}

fn column_text(c: &Column) -> String {
    let mut s = c.data_type.clone();
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        let _ = write!(s, " DEFAULT {d}");
    }
    if let Some(g) = &c.generated {
        let _ = write!(
            s,
            " GENERATED ALWAYS AS ({}){}",
            g.expression,
            if g.stored { " STORED" } else { "" }
        );
    }
    s
}

fn column_detail(c: &Column) -> String {
    let mut s = column_text(c);
    if let Some(i) = &c.identity {
        let _ = write!(s, " identity {i:?}");
    }
    if let Some(col) = &c.collation {
        let _ = write!(s, " COLLATE {col}");
    }
    if c.comment.is_some() {
        let _ = write!(s, " {}", comment_text(&c.comment));
    }
    s
}

fn table_text(t: &Table) -> String {
    let mut parts: Vec<String> = t
        .columns
        .iter()
        .map(|c| format!("{} {}", c.name, column_text(c)))
        .collect();
    parts.extend(t.primary_key.iter().map(|k| key_text("PRIMARY KEY", k)));
    parts.extend(t.uniques.iter().map(|k| key_text("UNIQUE", k)));
    parts.extend(t.foreign_keys.iter().map(fk_text));
    parts.extend(t.checks.iter().map(check_text));
    parts.extend(t.exclusions.iter().map(|x| one_line(&x.definition)));
    format!("({})", parts.join(", "))
}

fn key_text(what: &str, k: &Key) -> String {
    format!("{what} ({})", k.columns.join(", "))
}

fn fk_text(fk: &ForeignKey) -> String {
    let mut s = format!(
        "FOREIGN KEY ({}) REFERENCES {} ({})",
        fk.columns.join(", "),
        fk.ref_table,
        fk.ref_columns.join(", ")
    );
    if fk.on_delete != Default::default() {
        let _ = write!(s, " ON DELETE {}", fk.on_delete.sql());
    }
    if fk.on_update != Default::default() {
        let _ = write!(s, " ON UPDATE {}", fk.on_update.sql());
    }
    s.push_str(fk.deferrable.sql());
    // Validating a key is a change of its own (old → new reads NOT VALID → validated).
    if fk.not_valid {
        s.push_str(" NOT VALID");
    }
    s
}

fn check_text(c: &Check) -> String {
    format!(
        "CHECK ({}){}",
        one_line(&c.expression),
        if c.not_valid { " NOT VALID" } else { "" }
    )
}

fn index_text(i: &Index) -> String {
    let parts: Vec<String> = i
        .parts
        .iter()
        .map(|p| {
            let mut s = p
                .column
                .clone()
                .or_else(|| p.expression.clone())
                .unwrap_or_default();
            if let Some(n) = p.prefix {
                let _ = write!(s, "({n})");
            }
            if p.descending {
                s.push_str(" DESC");
            }
            s
        })
        .collect();
    let mut s = format!(
        "{}({})",
        if i.unique { "UNIQUE " } else { "" },
        parts.join(", ")
    );
    if let Some(m) = &i.method {
        let _ = write!(s, " USING {m}");
    }
    if !i.include.is_empty() {
        let _ = write!(s, " INCLUDE ({})", i.include.join(", "));
    }
    if !i.with.is_empty() {
        let _ = write!(s, " WITH ({})", i.with.join(", "));
    }
    if let Some(p) = &i.predicate {
        let _ = write!(s, " WHERE {}", one_line(p));
    }
    s
}

fn type_text(t: &UserType) -> String {
    match &t.kind {
        UserTypeKind::Enum { values } => format!("ENUM ('{}')", values.join("', '")),
        UserTypeKind::Composite { attributes } => format!(
            "({})",
            attributes
                .iter()
                .map(|a| format!("{} {}", a.name, a.data_type))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        UserTypeKind::Domain {
            data_type,
            not_null,
            default,
            checks,
        } => {
            let mut s = format!("DOMAIN {data_type}");
            if *not_null {
                s.push_str(" NOT NULL");
            }
            if let Some(d) = default {
                let _ = write!(s, " DEFAULT {d}");
            }
            for c in checks {
                let _ = write!(s, " {}", check_text(c));
            }
            s
        }
    }
}

fn sequence_text(s: &Sequence) -> String {
    format!(
        "{} START {} INCREMENT {} MINVALUE {} MAXVALUE {} CACHE {}{}",
        s.data_type,
        s.start,
        s.increment,
        s.min_value,
        s.max_value,
        s.cache,
        if s.cycle { " CYCLE" } else { "" }
    )
}

fn view_text(v: &View) -> String {
    format!(
        "{}{}AS {}",
        if v.materialized { "MATERIALIZED " } else { "" },
        if v.options.is_empty() {
            String::new()
        } else {
            format!("WITH ({}) ", v.options.join(", "))
        },
        one_line(&v.definition)
    )
}

fn routine_name(r: &Routine) -> String {
    format!("{}({})", r.name, r.signature)
}

/// Inline code that survives backticks in the text.
fn code(s: &str) -> String {
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

/// Long definitions (view bodies, routines) are cut in Markdown; JSON keeps them whole.
fn short(s: &str) -> String {
    const MAX: usize = 160;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    }
}

/// The entries as Markdown, one section per migration in the order given.
pub fn markdown(entries: &[Entry]) -> String {
    let mut out = String::from("# Schema changelog\n");
    if entries.is_empty() {
        out.push_str("\nNo migrations yet.\n");
    }
    for e in entries {
        let _ = writeln!(out, "\n## {} {}\n", e.version, e.name);
        if e.is_empty() {
            out.push_str("No schema changes (data or settings only).\n");
        }
        let list = |title: &str, items: &[Item], out: &mut String| {
            if items.is_empty() {
                return;
            }
            let _ = writeln!(out, "**{title}**\n");
            for i in items {
                let _ = write!(out, "- {} {}", i.kind.word(), code(&i.name));
                if !i.definition.is_empty() {
                    let _ = write!(out, ": {}", code(&short(&i.definition)));
                }
                out.push('\n');
            }
            out.push('\n');
        };
        list("Added", &e.added, &mut out);
        if !e.modified.is_empty() {
            out.push_str("**Modified**\n\n");
            for m in &e.modified {
                let _ = writeln!(
                    out,
                    "- {} {}: {} → {}",
                    m.kind.word(),
                    code(&m.name),
                    code(&short(&m.old)),
                    code(&short(&m.new))
                );
            }
            out.push('\n');
        }
        list("Dropped", &e.dropped, &mut out);
        if !e.destructive.is_empty() {
            out.push_str("**Destructive** (data can be lost)\n\n");
            for d in &e.destructive {
                let _ = writeln!(out, "- ⚠️ {d}");
            }
            out.push('\n');
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
    }
    out
}
