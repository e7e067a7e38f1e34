//! Entity-relationship diagrams of a [`Schema`]: Mermaid `erDiagram` (renders on GitHub and
//! GitLab), Graphviz DOT, and SVG laid out by strata itself.
//!
//! Every format shows the same thing: each table with its columns, their types and `PK`/`FK`/`UK`
//! markers, and one relationship per foreign key whose cardinality follows from the schema:
//!
//! - parent side: exactly one when every foreign-key column is `NOT NULL`, zero or one otherwise;
//! - child side: zero or one when the foreign-key columns are unique in the child (its primary
//!   key, a unique constraint or a unique index on exactly those columns: one-to-one), zero or
//!   many otherwise (one-to-many);
//! - identifying (solid line) when the foreign-key columns are part of the child's primary key,
//!   non-identifying (dashed) otherwise.
//!
//! Relationships to tables left out by the filters are not drawn (the `FK` marker stays).

mod dot;
mod layout;
mod mermaid;
mod svg;

pub use dot::dot;
pub use mermaid::mermaid;
pub use svg::svg;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::collections::{BTreeMap, BTreeSet};
use strata_schema::{ForeignKey, Name, Schema, Table};

/// Which tables a diagram shows, as the user wrote it; [`ErdOptions::filter`] checks the globs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErdOptions {
    /// Globs (`*`, `?`) a table must match, by name or `schema.name`; empty: every table.
    pub tables: Vec<String>,
    /// Globs of tables to leave out, matched the same way.
    pub exclude: Vec<String>,
    /// Only tables of this namespace (PostgreSQL schema). `public` and `main` also select the
    /// tables of the default schema, whose names carry no schema.
    pub schema: Option<String>,
}

/// A `--tables`/`--exclude` pattern that is not a valid glob.
#[derive(Debug, thiserror::Error)]
#[error("invalid table pattern `{pattern}` in --{option}: {reason}; use `*` for any run of characters and `?` for one (quote the pattern in the shell)")]
pub struct PatternError {
    /// The pattern as given.
    pub pattern: String,
    /// `tables` or `exclude`.
    pub option: &'static str,
    reason: String,
}

impl ErdOptions {
    /// The options with their globs compiled: case-sensitive, `*` and `?` match any character
    /// (`.` and `/` included), `\` escapes the next character on every platform.
    pub fn filter(&self) -> Result<TableFilter, PatternError> {
        Ok(TableFilter {
            tables: if self.tables.is_empty() {
                None
            } else {
                Some(glob_set(&self.tables, "tables")?)
            },
            exclude: glob_set(&self.exclude, "exclude")?,
            schema: self.schema.clone(),
        })
    }
}

fn glob_set(patterns: &[String], option: &'static str) -> Result<GlobSet, PatternError> {
    let error = |pattern: &str, reason: String| PatternError {
        pattern: pattern.to_string(),
        option,
        reason,
    };
    let mut set = GlobSetBuilder::new();
    for p in patterns {
        let glob = GlobBuilder::new(p)
            .literal_separator(false)
            .backslash_escape(true)
            .build()
            .map_err(|e| error(p, e.kind().to_string()))?;
        set.add(glob);
    }
    set.build()
        .map_err(|e| error(e.glob().unwrap_or(""), e.kind().to_string()))
}

/// The compiled table selection of [`ErdOptions`]; the default shows every table.
#[derive(Debug, Clone, Default)]
pub struct TableFilter {
    tables: Option<GlobSet>,
    exclude: GlobSet,
    schema: Option<String>,
}

impl TableFilter {
    /// Whether the diagram shows the table `name`.
    pub fn shows(&self, name: &Name) -> bool {
        let in_schema = self
            .schema
            .as_deref()
            .is_none_or(|ns| in_namespace(name, ns));
        in_schema
            && self.tables.as_ref().is_none_or(|g| matches(g, name))
            && !matches(&self.exclude, name)
    }
}

fn matches(globs: &GlobSet, name: &Name) -> bool {
    globs.is_match(&name.name) || globs.is_match(name.to_string())
}

fn in_namespace(name: &Name, ns: &str) -> bool {
    match &name.schema {
        Some(s) => s == ns,
        None => ns == "public" || ns == "main",
    }
}

/// The tables `filter` selects, in the schema's order.
pub fn selected<'a>(schema: &'a Schema, filter: &TableFilter) -> Vec<&'a Table> {
    schema
        .tables
        .iter()
        .filter(|t| filter.shows(&t.name))
        .collect()
}

/// How many rows of a side take part in a relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cardinality {
    /// Exactly one row (a NOT NULL foreign key's parent).
    ExactlyOne,
    /// None or one row (a nullable foreign key's parent, or a child under a unique key).
    ZeroOrOne,
    /// Any number of rows (the children of a parent).
    ZeroOrMany,
}

impl Cardinality {
    /// This cardinality's mark in a format: `[exactly one, zero or one, zero or many]`.
    pub fn mark(self, marks: [&'static str; 3]) -> &'static str {
        match self {
            Cardinality::ExactlyOne => marks[0],
            Cardinality::ZeroOrOne => marks[1],
            Cardinality::ZeroOrMany => marks[2],
        }
    }
}

/// One foreign key drawn as a relationship: `child` (the table with the key) refers to `parent`.
#[derive(Debug, Clone)]
pub struct Relationship<'a> {
    /// The table that holds the foreign key.
    pub child: &'a Table,
    /// The table the key refers to.
    pub parent: &'a Table,
    /// The foreign key itself.
    pub fk: &'a ForeignKey,
    /// How many parent rows one child row refers to (exactly one, or zero or one when nullable).
    pub parent_side: Cardinality,
    /// How many child rows refer to one parent row.
    pub child_side: Cardinality,
    /// The foreign key is part of the child's primary key.
    pub identifying: bool,
}

impl Relationship<'_> {
    /// `one-to-one`, `one-to-many`, with `optional` when the child may refer to nothing.
    pub fn describe(&self) -> String {
        let kind = match self.child_side {
            Cardinality::ZeroOrMany => "one-to-many",
            _ => "one-to-one",
        };
        if self.parent_side == Cardinality::ZeroOrOne {
            format!("{kind}, optional")
        } else {
            kind.to_string()
        }
    }
}

fn same_set(a: &[String], b: &[String]) -> bool {
    let a: BTreeSet<&String> = a.iter().collect();
    let b: BTreeSet<&String> = b.iter().collect();
    a == b
}

/// Whether `columns` are unique in `t` (primary key, unique constraint or plain unique index).
fn unique_on(t: &Table, columns: &[String]) -> bool {
    t.primary_key
        .as_ref()
        .is_some_and(|k| same_set(&k.columns, columns))
        || t.uniques.iter().any(|k| same_set(&k.columns, columns))
        || t.indexes.iter().any(|i| {
            i.unique
                && i.predicate.is_none()
                && i.parts.iter().all(|p| p.column.is_some())
                && same_set(
                    &i.parts
                        .iter()
                        .filter_map(|p| p.column.clone())
                        .collect::<Vec<_>>(),
                    columns,
                )
        })
}

/// The relationships between the selected tables.
pub fn relationships<'a>(tables: &[&'a Table]) -> Vec<Relationship<'a>> {
    let by_name: BTreeMap<&Name, &'a Table> = tables.iter().map(|t| (&t.name, *t)).collect();
    let mut out = Vec::new();
    for child in tables {
        for fk in &child.foreign_keys {
            let Some(parent) = by_name.get(&fk.ref_table) else {
                continue;
            };
            let nullable = fk
                .columns
                .iter()
                .any(|c| child.column(c).is_none_or(|c| c.nullable));
            out.push(Relationship {
                child,
                parent,
                fk,
                parent_side: if nullable {
                    Cardinality::ZeroOrOne
                } else {
                    Cardinality::ExactlyOne
                },
                child_side: if unique_on(child, &fk.columns) {
                    Cardinality::ZeroOrOne
                } else {
                    Cardinality::ZeroOrMany
                },
                identifying: child
                    .primary_key
                    .as_ref()
                    .is_some_and(|k| fk.columns.iter().all(|c| k.columns.contains(c))),
            });
        }
    }
    out
}

/// `PK`, `FK`, `UK` markers of a column.
pub fn markers(t: &Table, column: &str) -> Vec<&'static str> {
    let mut m = Vec::new();
    if t.primary_key
        .as_ref()
        .is_some_and(|k| k.columns.iter().any(|c| c == column))
    {
        m.push("PK");
    }
    if t.foreign_keys
        .iter()
        .any(|fk| fk.columns.iter().any(|c| c == column))
    {
        m.push("FK");
    }
    let single = [column.to_string()];
    if unique_on(t, &single) && !m.contains(&"PK") {
        m.push("UK");
    }
    m
}

/// The table plus the tables it references and the tables that reference it (for a per-table
/// diagram). Views and routines are left out; types stay (columns may use them).
pub fn neighbourhood(schema: &Schema, table: &Name) -> Schema {
    let mut keep: BTreeSet<&Name> = BTreeSet::new();
    if let Some(t) = schema.table(table) {
        keep.insert(&t.name);
        keep.extend(t.foreign_keys.iter().map(|fk| &fk.ref_table));
    }
    for t in &schema.tables {
        if t.foreign_keys.iter().any(|fk| &fk.ref_table == table) {
            keep.insert(&t.name);
        }
    }
    only_tables(schema, |t| keep.contains(&t.name))
}

/// The tables of `schema` that `keep` selects, with the namespaces and types their columns may
/// use; no views, routines or sequences (a diagram shows tables only).
pub fn only_tables(schema: &Schema, keep: impl Fn(&Table) -> bool) -> Schema {
    Schema {
        namespaces: schema.namespaces.clone(),
        types: schema.types.clone(),
        tables: schema.tables.iter().filter(|t| keep(t)).cloned().collect(),
        ..Schema::default()
    }
}

/// Text for an HTML-like DOT label or SVG text and attributes: line breaks flattened to spaces,
/// escaped by maud, the escaper of the HTML site too.
fn label(s: &str) -> String {
    crate::escape::text(&s.replace('\n', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(tables: &[&str], exclude: &[&str], name: &str) -> bool {
        let opts = ErdOptions {
            tables: tables.iter().map(|s| s.to_string()).collect(),
            exclude: exclude.iter().map(|s| s.to_string()).collect(),
            schema: None,
        };
        let name = match name.split_once('.') {
            Some((schema, name)) => Name::qualified(schema, name),
            None => Name::new(name),
        };
        opts.filter().unwrap().shows(&name)
    }

    #[test]
    fn globs() {
        assert!(shown(&["user*"], &[], "users"));
        assert!(shown(&["a?c"], &[], "abc"));
        assert!(!shown(&["a?c"], &[], "ac"));
        assert!(shown(&["*_log*"], &[], "audit_log_2024"));
        assert!(!shown(&["users"], &[], "users2"));
        assert!(!shown(&["Users"], &[], "users"), "case-sensitive");
        assert!(shown(&["sales.*"], &[], "sales.orders"), "by schema.name");
        assert!(shown(&["orders"], &[], "sales.orders"), "by name");
        assert!(!shown(&[], &["audit_*"], "audit_log"));
        assert!(shown(&[], &["audit_*"], "orders"));
        assert!(shown(&["{users,posts}"], &[], "posts"), "alternatives");
        assert!(shown(&["t_[0-9]"], &[], "t_7") && !shown(&["t_[0-9]"], &[], "t_x"));
        assert!(shown(&["a\\*"], &[], "a*") && !shown(&["a\\*"], &[], "ab"));
    }

    #[test]
    fn a_bad_glob_names_the_pattern_and_the_option() {
        let opts = ErdOptions {
            exclude: vec!["ok*".into(), "[a".into()],
            ..ErdOptions::default()
        };
        let e = opts.filter().unwrap_err().to_string();
        assert!(
            e.starts_with("invalid table pattern `[a` in --exclude: "),
            "{e}"
        );
    }
}
