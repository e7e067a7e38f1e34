//! Pieces of markup several pages share: sections, grids, diagrams, and how a column's default,
//! an index or a foreign key's actions read.

use super::site::Site;
use maud::{html, Markup, PreEscaped};
use strata_schema::{
    Column, Deferrable, FkAction, ForeignKey, Identity, Index, IndexPart, TableAttr,
};

/// A number with thousands separators.
pub(super) fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// `items` with `sep` between them.
pub(super) fn joined(items: impl IntoIterator<Item = Markup>, sep: &str) -> Markup {
    html! {
        @for (i, item) in items.into_iter().enumerate() {
            @if i > 0 { (sep) }
            (item)
        }
    }
}

/// The head of a page: a small line above the title, the title, and what follows it.
pub(super) fn page_head(eyebrow: Markup, title: Markup, rest: Markup) -> Markup {
    html! {
        header class="page-head" {
            "\n" div class="eyebrow" { (eyebrow) } "\n"
            h1 { (title) } "\n"
            (rest)
        }
        "\n"
    }
}

/// A section of a page with its heading; `id` is what the table of contents links to.
pub(super) fn section(id: &str, heading: &str, content: Markup) -> Markup {
    html! {
        section id=(id) { "\n" h2 { (heading) } "\n" (content) }
        "\n"
    }
}

/// A data grid: `class` added to `grid`, head cells, and the rows (each ending in a line break).
pub(super) fn grid(class: Option<&str>, id: Option<&str>, head: Markup, rows: Markup) -> Markup {
    html! {
        div class="table-wrap" {
            table class={ "grid" @if let Some(c) = class { " " (c) } } id=[id] {
                "\n" thead { tr { (head) } } "\n"
                tbody { "\n" (rows) }
                "\n"
            }
        }
        "\n"
    }
}

/// Head cells with plain labels.
pub(super) fn heads(labels: &[&str]) -> Markup {
    html! { @for l in labels { th { (l) } } }
}

/// An inline SVG diagram in its frame, with zoom buttons.
pub(super) fn diagram(svg: &str, caption: &str) -> Markup {
    html! {
        figure class="erd" {
            "\n"
            div class="erd-tools" {
                span class="erd-caption" { (caption) }
                button type="button" data-zoom="out" title="Zoom out" { "−" }
                button type="button" data-zoom="fit" title="Fit to width" { "Fit" }
                button type="button" data-zoom="in" title="Zoom in" { "+" }
            }
            "\n"
            div class="erd-canvas" { (PreEscaped(svg)) }
            "\n"
        }
        "\n"
    }
}

/// A table's attribute as a chip's text, parents and partitions linked.
pub(super) fn attr(a: &TableAttr, site: &Site, root: &str) -> Markup {
    html! {
        @match a {
            TableAttr::MysqlEngine(e) => { "engine " (e) }
            TableAttr::MysqlCharset { charset, collation } => { (charset) " / " (collation) }
            TableAttr::SqliteWithoutRowid => "WITHOUT ROWID",
            TableAttr::SqliteStrict => "STRICT",
            TableAttr::PgPartitionBy(p) => { "partitioned by " (p) }
            TableAttr::PgPartitionOf { parent, bound } => {
                "partition of " (site.table_link(parent, root)) " " (bound)
            }
            TableAttr::PgUnlogged => "UNLOGGED",
            TableAttr::PgRowSecurity => "row level security",
            TableAttr::PgForceRowSecurity => "row level security forced on the owner",
            TableAttr::MysqlPartitionBy(p) => (p),
            TableAttr::PgStorage(p) => { "WITH (" (p.join(", ")) ")" }
            TableAttr::PgInherits(parents) => {
                "inherits " (joined(parents.iter().map(|p| site.table_link(p, root)), ", "))
            }
        }
    }
}

/// A column list: `(a, b)`, each name as code.
pub(super) fn cols(columns: &[String]) -> Markup {
    html! { "(" (joined(columns.iter().map(|c| html! { code { (c) } }), ", ")) ")" }
}

/// What `deferrable` adds after a key; nothing when it is not deferrable.
fn deferrable_note(d: Deferrable) -> Option<Markup> {
    let text = match d {
        Deferrable::Not => return None,
        Deferrable::InitiallyImmediate => "deferrable",
        Deferrable::InitiallyDeferred => "deferrable, initially deferred",
    };
    Some(html! { span class="muted" { (text) } })
}

/// A key's columns and whether it is deferrable.
pub(super) fn key(columns: &[String], d: Deferrable) -> Markup {
    html! { (cols(columns)) @if let Some(n) = deferrable_note(d) { " " (n) } }
}

/// A foreign key's `on delete`/`on update` actions and deferrability.
pub(super) fn fk_actions(fk: &ForeignKey) -> Markup {
    let mut out = Vec::new();
    for (event, action) in [("delete", fk.on_delete), ("update", fk.on_update)] {
        if action != FkAction::NoAction {
            out.push(html! { "on " (event) " " strong { (action.sql().to_lowercase()) } });
        }
    }
    out.extend(deferrable_note(fk.deferrable));
    if out.is_empty() {
        html! { span class="muted" { "no action" } }
    } else {
        joined(out, ", ")
    }
}

/// A column's identity, generation expression and default.
pub(super) fn default_cell(c: &Column) -> Markup {
    let mut parts = Vec::new();
    let identity = match &c.identity {
        Some(Identity::Always) => Some("identity always"),
        Some(Identity::ByDefault) => Some("identity by default"),
        Some(Identity::Serial { .. }) => Some("serial"),
        Some(Identity::AutoIncrement) => Some("auto increment"),
        None => None,
    };
    if let Some(i) = identity {
        parts.push(html! { span class="badge id" { (i) } });
    }
    if let Some(g) = &c.generated {
        parts.push(html! {
            span class="badge id" { "generated" @if g.stored { ", stored" } }
            " " code { (g.expression) }
        });
    }
    // A serial's default is the sequence call the badge already says.
    if let (Some(d), false) = (
        &c.default,
        matches!(c.identity, Some(Identity::Serial { .. })),
    ) {
        parts.push(html! { code { (d) } });
    }
    joined(parts, " ")
}

fn index_part(p: &IndexPart) -> Markup {
    html! {
        @match (&p.column, &p.expression) {
            (Some(c), _) => code { (c) },
            (None, Some(e)) => { code { "(" (e) ")" } }
            (None, None) => "?",
        }
        @if let Some(n) = p.prefix { "(" (n) ")" }
        @if let Some(c) = &p.collation { " collate " (c) }
        @if let Some(o) = &p.opclass { " " (o) }
        @if p.descending { " desc" }
        @match p.nulls_first {
            Some(true) => " nulls first",
            Some(false) => " nulls last",
            None => {}
        }
    }
}

/// An index's keys and included columns.
pub(super) fn index_keys(i: &Index) -> Markup {
    html! {
        "(" (joined(i.parts.iter().map(index_part), ", ")) ")"
        @if !i.include.is_empty() { " include " (cols(&i.include)) }
    }
}

/// Whether an index is unique, its method, predicate and comment.
pub(super) fn index_props(i: &Index) -> Markup {
    let mut out = Vec::new();
    if i.unique {
        out.push(html! { span class="badge uq" { "unique" } });
    }
    if let Some(m) = &i.method {
        out.push(html! { span class="badge" { (m) } });
    }
    if let Some(p) = &i.predicate {
        out.push(html! { "where " code { (p) } });
    }
    if let Some(c) = &i.comment {
        out.push(html! { span class="muted" { (c) } });
    }
    joined(out, " ")
}
