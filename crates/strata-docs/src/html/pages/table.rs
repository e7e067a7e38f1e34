//! `tables/<slug>.html`: one table's columns, indexes, constraints, relationships, triggers and
//! the diagram of its neighbourhood.

use crate::erd::{self, TableFilter};
use crate::html::fragments::{
    attr, cols, default_cell, diagram, fk_actions, grid, heads, index_keys, index_props, joined,
    key, page_head, section, thousands,
};
use crate::html::markdown;
use crate::html::site::{Incoming, Site};
use maud::{html, Markup};
use std::collections::{HashMap, HashSet};
use strata_schema::{ForeignKey, Table};

/// Table pages are one folder down from the site's root.
const ROOT: &str = "../";

impl Site<'_> {
    /// The page of table `t`.
    pub(in crate::html) fn table(&self, t: &Table) -> String {
        let incoming = self.incoming.get(&t.name).map(Vec::as_slice).unwrap_or(&[]);
        let constraints = t.primary_key.is_some()
            || !t.uniques.is_empty()
            || !t.checks.is_empty()
            || !t.exclusions.is_empty();
        let related = !t.foreign_keys.is_empty() || !incoming.is_empty();
        let toc = [
            ("columns", "Columns", true),
            ("indexes", "Indexes", !t.indexes.is_empty()),
            ("constraints", "Constraints", constraints),
            ("relationships", "Relationships", related),
            ("triggers", "Triggers", !t.triggers.is_empty()),
            ("diagram", "Diagram", true),
        ];
        let neighbourhood = erd::svg(
            &erd::neighbourhood(self.schema, &t.name),
            &TableFilter::default(),
        );
        let body = html! {
            (self.table_head(t))
            nav class="toc" {
                @for (id, label, shown) in toc {
                    @if shown { a href={ "#" (id) } { (label) } }
                }
            }
            "\n"
            (section("columns", "Columns", self.columns(t)))
            @if !t.indexes.is_empty() {
                (section("indexes", "Indexes", grid(None, None, heads(&["Name", "Keys", "Properties"]), html! {
                    @for i in &t.indexes {
                        tr { td class="name" { code { (i.name) } } td { (index_keys(i)) } td { (index_props(i)) } }
                        "\n"
                    }
                })))
            }
            @if constraints { (section("constraints", "Constraints", constraints_grid(t))) }
            @if related { (section("relationships", "Relationships", self.relationships(t, incoming))) }
            @if !t.triggers.is_empty() {
                (section("triggers", "Triggers", html! {
                    @for tr in &t.triggers {
                        details class="card" open {
                            summary { code { (tr.name) } } "\n"
                            pre class="sql" { (tr.definition.trim()) } "\n"
                        }
                        "\n"
                    }
                }))
            }
            (section("diagram", "Diagram", diagram(
                &neighbourhood,
                "This table with the tables it references and the tables that reference it.",
            )))
        };
        self.page(ROOT, &t.name.to_string(), Some(&self.slugs[&t.name]), body)
    }

    /// The name, row estimate, column count, attributes and description.
    fn table_head(&self, t: &Table) -> Markup {
        let mut chips = Vec::new();
        if let Some(r) = self.rows_of(&t.name) {
            chips.push(html! { "~" (thousands(r)) " rows" });
        }
        chips.push(html! { (t.columns.len()) " column" @if t.columns.len() != 1 { "s" } });
        for a in &t.attrs {
            chips.push(attr(a, self, ROOT));
        }
        let chips = chips
            .into_iter()
            .map(|c| html! { span class="chip" { (c) } });
        page_head(
            html! { a href={ (ROOT) "index.html#tables" } { "Tables" } },
            html! { code { (t.name) } },
            html! {
                p class="meta" { (joined(chips, " ")) } "\n"
                @if let Some(c) = &t.comment { p class="lead" { (c) } "\n" }
            },
        )
    }

    /// Every column with its key badges, type, nullability, default and description.
    fn columns(&self, t: &Table) -> Markup {
        let pk: HashSet<&str> = t
            .primary_key
            .iter()
            .flat_map(|k| k.columns.iter().map(String::as_str))
            .collect();
        let unique: HashSet<&str> = t
            .uniques
            .iter()
            .filter(|k| k.columns.len() == 1)
            .map(|k| k.columns[0].as_str())
            .chain(
                t.indexes
                    .iter()
                    .filter(|i| {
                        i.unique
                            && i.predicate.is_none()
                            && i.parts.len() == 1
                            && i.parts[0].column.is_some()
                    })
                    .filter_map(|i| i.parts[0].column.as_deref()),
            )
            .collect();
        let mut fk_of: HashMap<&str, Vec<(&ForeignKey, usize)>> = HashMap::new();
        for fk in &t.foreign_keys {
            for (i, c) in fk.columns.iter().enumerate() {
                fk_of.entry(c.as_str()).or_default().push((fk, i));
            }
        }
        let head = heads(&["Column", "Type", "Nullable", "Default", "Description"]);
        grid(
            Some("columns"),
            None,
            head,
            html! {
                @for c in &t.columns {
                    @let badges = self.badges(
                        pk.contains(c.name.as_str()),
                        fk_of.get(c.name.as_str()).map(Vec::as_slice).unwrap_or(&[]),
                        unique.contains(c.name.as_str()),
                    );
                    tr id={ "col-" (markdown::anchor(&c.name)) } {
                        td class="name" { code { (c.name) } @if !badges.0.is_empty() { " " (badges) } }
                        td { code class="type" { (c.data_type) } }
                        td {
                            @if c.nullable { span class="muted" { "null" } }
                            @else { span class="nn" { "not null" } }
                        }
                        td { (default_cell(c)) }
                        td class="desc" { @if let Some(d) = &c.comment { (d) } }
                    }
                    "\n"
                }
            },
        )
    }

    /// A column's `PK`, `FK → table.column` (linked) and `UQ` badges; empty when it has none.
    fn badges(&self, pk: bool, fks: &[(&ForeignKey, usize)], unique: bool) -> Markup {
        html! {
            @if pk { span class="badge pk" title="Primary key" { "PK" } }
            @for (fk, i) in fks {
                @let target = format!(
                    "{}.{}",
                    fk.ref_table,
                    fk.ref_columns.get(*i).map(String::as_str).unwrap_or("?")
                );
                @match self.href(&fk.ref_table, ROOT) {
                    Some(h) => a class="badge fk" href=(h) title={ "References " (target) } { "FK → " (target) },
                    None => span class="badge fk" title={ "References " (target) } { "FK → " (target) },
                }
            }
            @if unique { span class="badge uq" title="Unique" { "UQ" } }
        }
    }

    /// The foreign keys out of the table and into it.
    fn relationships(&self, t: &Table, incoming: &[Incoming]) -> Markup {
        html! {
            @if !t.foreign_keys.is_empty() {
                h3 { "References " span class="count" { (t.foreign_keys.len()) } } "\n"
                (grid(None, None, heads(&["Columns", "References", "Actions", "Name"]), html! {
                    @for fk in &t.foreign_keys {
                        tr {
                            td { (cols(&fk.columns)) }
                            td { (self.table_link(&fk.ref_table, ROOT)) " " (cols(&fk.ref_columns)) }
                            td { (fk_actions(fk)) }
                            td class="muted" { @if let Some(n) = &fk.name { (n) } }
                        }
                        "\n"
                    }
                }))
            }
            @if !incoming.is_empty() {
                h3 { "Referenced by " span class="count" { (incoming.len()) } } "\n"
                (grid(None, None, heads(&["Table", "Columns", "To", "Actions", "Name"]), html! {
                    @for inc in incoming {
                        tr {
                            td { (self.table_link(&inc.from.name, ROOT)) }
                            td { (cols(&inc.fk.columns)) }
                            td { (cols(&inc.fk.ref_columns)) }
                            td { (fk_actions(inc.fk)) }
                            td class="muted" { @if let Some(n) = &inc.fk.name { (n) } }
                        }
                        "\n"
                    }
                }))
            }
        }
    }
}

/// The primary key, unique keys, checks and exclusions.
fn constraints_grid(t: &Table) -> Markup {
    let keys = t.primary_key.iter().map(|k| ("pk", "primary key", k));
    let keys = keys.chain(t.uniques.iter().map(|k| ("uq", "unique", k)));
    let mut rows: Vec<(Option<&str>, &str, &str, Markup)> = keys
        .map(|(class, kind, k)| {
            (
                k.name.as_deref(),
                class,
                kind,
                key(&k.columns, k.deferrable),
            )
        })
        .collect();
    let code = |text: &str| html! { code { (text) } };
    for c in &t.checks {
        rows.push((c.name.as_deref(), "ck", "check", code(&c.expression)));
    }
    for x in &t.exclusions {
        rows.push((Some(&x.name), "ck", "exclusion", code(&x.definition)));
    }
    grid(
        None,
        None,
        heads(&["Name", "Kind", "Definition"]),
        html! {
            @for (name, class, kind, def) in rows {
                tr {
                    td class="name" {
                        @match name {
                            Some(n) => code { (n) },
                            None => span class="muted" { "(unnamed)" },
                        }
                    }
                    td { span class={ "badge " (class) } { (kind) } }
                    td { (def) }
                }
                "\n"
            }
        },
    )
}
