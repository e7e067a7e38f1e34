//! `index.html`: summary, the ERD, every table, views and types.

use crate::erd::{self, TableFilter};
use crate::html::fragments::{diagram, grid, heads, joined, page_head, section, thousands};
use crate::html::site::Site;
use maud::{html, Markup};
use std::collections::{HashMap, HashSet};
use strata_schema::{Engine, Name, Schema, Table, UserType, UserTypeKind};

/// Up to this many tables, the overview shows the ERD of the whole schema; above, of the
/// [`OVERVIEW_CORE_TABLES`] most connected tables. Past ~100 boxes a whole-schema diagram is
/// unreadable on a screen, and its layout time grows much faster than the number of tables.
const OVERVIEW_MAX_TABLES: usize = 100;
const OVERVIEW_CORE_TABLES: usize = 50;

impl Site<'_> {
    /// The overview page.
    pub(in crate::html) fn index(&self) -> String {
        let s = self.schema;
        let body = html! {
            (self.summary())
            @if !s.tables.is_empty() {
                (section("diagram", "Entity-relationship diagram", self.overview_diagram()))
            }
            (section("tables", "Tables", self.tables_list()))
            @if !s.views.is_empty() {
                (section("views", "Views", html! {
                    @for v in &s.views {
                        details class="card" {
                            summary {
                                code { (v.name) }
                                @if v.materialized { " " span class="badge" { "materialized" } }
                                @if let Some(c) = &v.comment { " " span class="muted" { "— " (c) } }
                            }
                            "\n" pre class="sql" { (v.definition.trim()) } "\n"
                        }
                        "\n"
                    }
                }))
            }
            @if !s.types.is_empty() {
                (section("types", "Types", grid(None, None, heads(&["Type", "Kind", "Definition"]), html! {
                    @for t in &s.types { (type_row(t)) }
                })))
            }
        };
        self.page("", "Overview", Some("index"), body)
    }

    /// The title, engine and source, and the counts.
    fn summary(&self) -> Markup {
        let s = self.schema;
        let mut meta = Vec::new();
        if let Some(e) = self.input.engine {
            meta.push(html! { span class="chip" { (engine_label(e)) } });
        }
        if !self.input.source.is_empty() {
            meta.push(html! { span class="muted" { "from " code { (self.input.source) } } });
        }
        let mut stats = vec![
            (s.tables.len(), "tables"),
            (s.tables.iter().map(|t| t.columns.len()).sum(), "columns"),
            (
                s.tables.iter().map(|t| t.foreign_keys.len()).sum(),
                "foreign keys",
            ),
            (s.tables.iter().map(|t| t.indexes.len()).sum(), "indexes"),
        ]
        .into_iter()
        .map(|(n, label)| (n as i64, label))
        .collect::<Vec<_>>();
        if !s.views.is_empty() {
            stats.push((s.views.len() as i64, "views"));
        }
        if self.rows {
            let total: i64 = s.tables.iter().filter_map(|t| self.rows_of(&t.name)).sum();
            stats.push((total, "rows (estimated)"));
        }
        html! {
            (page_head(html! { "Schema documentation" }, html! { (self.title()) }, html! {
                @if !meta.is_empty() { p class="meta" { (joined(meta, " ")) } "\n" }
            }))
            section class="stats" {
                "\n"
                @for (n, label) in stats {
                    div class="stat" { div class="stat-n" { (thousands(n)) } div class="stat-l" { (label) } }
                    "\n"
                }
            }
            "\n"
        }
    }

    /// The ERD of the whole schema, or of its most connected tables when it is large.
    fn overview_diagram(&self) -> Markup {
        let s = self.schema;
        let all = TableFilter::default();
        if s.tables.len() <= OVERVIEW_MAX_TABLES {
            diagram(
                &erd::svg(s, &all),
                "Click a table to open its page. Lines join a foreign key to the table it references.",
            )
        } else {
            let core = core_tables(s, OVERVIEW_CORE_TABLES);
            diagram(
                &erd::svg(&core, &all),
                &format!(
                    "The {} most connected of {} tables (one diagram of every table would be unreadable); each table's page has the diagram of its neighbourhood. Click a table to open its page.",
                    core.tables.len(),
                    thousands(s.tables.len() as i64)
                ),
            )
        }
    }

    /// Every table with its description and counts, filtered by the search box.
    fn tables_list(&self) -> Markup {
        let s = self.schema;
        if s.tables.is_empty() {
            return html! { p class="empty" { "This schema has no tables." } "\n" };
        }
        let head = html! {
            th { "Table" } th { "Description" } th class="num" { "Columns" }
            @if self.rows { th class="num" { "Rows (est.)" } }
            th class="num" { "References" } th class="num" { "Referenced by" }
        };
        html! {
            (grid(None, Some("tables-list"), head, html! {
                @for t in &s.tables { (self.table_row(t)) }
            }))
            p class="empty" id="tables-none" hidden { "No table matches the search." }
            "\n"
        }
    }

    fn table_row(&self, t: &Table) -> Markup {
        let mut search = t.name.to_string().to_lowercase();
        for c in &t.columns {
            search.push(' ');
            search.push_str(&c.name.to_lowercase());
        }
        html! {
            tr data-search=(search) {
                td class="name" { (self.table_link(&t.name, "")) }
                td class="desc" { @if let Some(c) = &t.comment { (c) } }
                td class="num" { (t.columns.len()) }
                @if self.rows {
                    td class="num" { (self.rows_of(&t.name).map(thousands).unwrap_or_else(|| "—".into())) }
                }
                td class="num" { (t.foreign_keys.len()) }
                td class="num" { (self.incoming.get(&t.name).map_or(0, Vec::len)) }
            }
            "\n"
        }
    }
}

/// A user-defined type: enum values, a domain's base type and checks, a composite's attributes.
fn type_row(t: &UserType) -> Markup {
    let (kind, def) = match &t.kind {
        UserTypeKind::Enum { values } => (
            "enum",
            joined(values.iter().map(|v| html! { code { (v) } }), " "),
        ),
        UserTypeKind::Domain {
            data_type,
            not_null,
            default,
            checks,
        } => (
            "domain",
            html! {
                code { (data_type) }
                @if *not_null { " not null" }
                @if let Some(x) = default { " default " code { (x) } }
                @for c in checks { " check " code { (c.expression) } }
            },
        ),
        UserTypeKind::Composite { attributes } => (
            "composite",
            joined(
                attributes
                    .iter()
                    .map(|a| html! { code { (a.name) } " " (a.data_type) }),
                ", ",
            ),
        ),
    };
    html! {
        tr { td class="name" { code { (t.name) } } td { (kind) } td { (def) } }
        "\n"
    }
}

fn engine_label(e: Engine) -> &'static str {
    match e {
        Engine::Sqlite => "SQLite",
        Engine::Postgres => "PostgreSQL",
        Engine::Mysql => "MySQL / MariaDB",
    }
}

/// The `n` tables with the most foreign keys in and out (ties by name), as a schema of their own.
fn core_tables(schema: &Schema, n: usize) -> Schema {
    let mut degree: HashMap<&Name, usize> = HashMap::new();
    for t in &schema.tables {
        for fk in &t.foreign_keys {
            if fk.ref_table != t.name {
                *degree.entry(&t.name).or_default() += 1;
                *degree.entry(&fk.ref_table).or_default() += 1;
            }
        }
    }
    let mut order: Vec<&Table> = schema.tables.iter().collect();
    order.sort_by(|a, b| {
        let (da, db) = (degree.get(&a.name), degree.get(&b.name));
        db.cmp(&da).then_with(|| a.name.cmp(&b.name))
    });
    let keep: HashSet<&Name> = order.iter().take(n).map(|t| &t.name).collect();
    erd::only_tables(schema, |t| keep.contains(&t.name))
}
