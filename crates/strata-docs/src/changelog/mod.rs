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

mod markdown;
mod table;
mod text;

pub use markdown::markdown;

use serde::Serialize;
use strata_diff::{Dialect, Renames};
use strata_schema::{Name, Schema, Trigger};
use table::{implicit_index, part, table_parts};
use text::{index_text, one_line, routine_name, sequence_text, table_text, type_text, view_text};

/// What kind of object an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A schema (PostgreSQL namespace).
    Schema,
    /// A PostgreSQL extension.
    Extension,
    /// A user-defined type: enum, domain or composite.
    Type,
    /// A sequence.
    Sequence,
    /// A table.
    Table,
    /// A column of a table.
    Column,
    /// Primary key, unique, foreign key or check constraint (the text says which).
    Constraint,
    /// An index.
    Index,
    /// A trigger.
    Trigger,
    /// A PostgreSQL row-level security policy.
    Policy,
    /// A view or materialized view.
    View,
    /// A function or procedure.
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
    /// What kind of object it is.
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
    /// What kind of object it is.
    pub kind: Kind,
    /// The name after the migration (see [`Item::name`]).
    pub name: String,
    /// Its short definition before the migration.
    pub old: String,
    /// Its short definition after the migration.
    pub new: String,
}

/// What one migration changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The migration's version (`YYYYMMDDHHMMSS`).
    pub version: i64,
    /// The migration's name (the file name's slug).
    pub name: String,
    /// Objects the migration creates.
    pub added: Vec<Item>,
    /// Objects whose definition it changes.
    pub modified: Vec<Modified>,
    /// Objects it drops.
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

/// Collects the added, modified and dropped objects of one migration.
#[derive(Default)]
struct Builder {
    added: Vec<Item>,
    modified: Vec<Modified>,
    dropped: Vec<Item>,
}

impl Builder {
    fn add(&mut self, kind: Kind, name: String, definition: String) {
        let item = Item {
            kind,
            name,
            definition,
        };
        self.added.push(item);
    }
    fn drop(&mut self, kind: Kind, name: String, definition: String) {
        let item = Item {
            kind,
            name,
            definition,
        };
        self.dropped.push(item);
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

    /// Pairs `from` and `to` by `same`; unpaired ones are dropped / added, pairs whose text
    /// differs are modified.
    fn compare<T>(
        &mut self,
        kind: Kind,
        (from, to): (&[T], &[T]),
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

    /// [`Builder::compare`] of objects that pair by the name they are listed under.
    fn compare_named<T>(
        &mut self,
        kind: Kind,
        sides: (&[T], &[T]),
        name: impl Fn(&T) -> String,
        text: impl Fn(&T) -> String,
    ) {
        self.compare(kind, sides, |a, b| name(a) == name(b), &name, text);
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
    let mut b = Builder::default();
    let (x, y) = (before, after);
    b.compare_named(
        Kind::Schema,
        (&x.namespaces, &y.namespaces),
        String::clone,
        |_| String::new(),
    );
    b.compare_named(
        Kind::Extension,
        (&x.extensions, &y.extensions),
        |e| e.name.clone(),
        |e| {
            e.schema
                .as_ref()
                .map_or(String::new(), |s| format!("in schema {s}"))
        },
    );
    b.compare_named(
        Kind::Type,
        (&x.types, &y.types),
        |t| t.name.to_string(),
        type_text,
    );
    b.compare_named(
        Kind::Sequence,
        (&x.sequences, &y.sequences),
        |s| s.name.to_string(),
        sequence_text,
    );
    tables(&mut b, before, after, &renames, dialect);
    b.compare_named(
        Kind::Table,
        (&x.virtual_tables, &y.virtual_tables),
        |v| v.name.to_string(),
        |v| one_line(&v.definition),
    );
    b.compare_named(
        Kind::View,
        (&x.views, &y.views),
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
    b.compare_named(
        Kind::Trigger,
        (&view_triggers(before), &view_triggers(after)),
        |t| t.0.clone(),
        |t| one_line(&t.1.definition),
    );
    b.compare_named(
        Kind::Routine,
        (&x.routines, &y.routines),
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

/// The tables added, dropped, renamed or changed: a new table with its indexes, triggers and
/// policies; a table on both sides part by part.
fn tables(b: &mut Builder, before: &Schema, after: &Schema, renames: &Renames, d: &dyn Dialect) {
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
                table_parts(b, f, t, renames, d);
            }
        }
    }
    for f in &before.tables {
        let renamed = renames.renames_table(&f.name);
        if after.table(&f.name).is_none() && !renamed {
            b.drop(Kind::Table, f.name.to_string(), table_text(f));
        }
    }
}
