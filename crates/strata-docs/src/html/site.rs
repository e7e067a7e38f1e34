//! The site as a whole: the tables' page names, the foreign keys seen from the referenced side,
//! the frame every page shares and the search data; the pages themselves are in `pages/`.

use super::{slug, SiteInput};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use strata_schema::{ForeignKey, Name, Schema, Table};

const STYLE: &str = include_str!("style.css");
const APP: &str = include_str!("app.js");

/// The sidebar's logo: three stacked bars, static markup.
const LOGO: &str = "<svg viewBox=\"0 0 20 20\" width=\"20\" height=\"20\"><rect x=\"2\" y=\"3\" width=\"16\" height=\"4\" rx=\"1.5\"/>\
<rect x=\"2\" y=\"8.5\" width=\"16\" height=\"4\" rx=\"1.5\" opacity=\".7\"/>\
<rect x=\"2\" y=\"14\" width=\"16\" height=\"4\" rx=\"1.5\" opacity=\".45\"/></svg>";

/// A foreign key pointing at a table, seen from the referenced side.
pub(super) struct Incoming<'a> {
    pub from: &'a Table,
    pub fk: &'a ForeignKey,
}

/// The schema and what the site shows besides it, with each table's page name.
pub(super) struct Site<'a> {
    pub schema: &'a Schema,
    pub input: &'a SiteInput,
    pub slugs: HashMap<&'a Name, String>,
    pub incoming: HashMap<&'a Name, Vec<Incoming<'a>>>,
    /// Whether row estimates were read (a rows column on the overview).
    pub rows: bool,
}

impl<'a> Site<'a> {
    /// The site of `schema`: page names made unique, foreign keys indexed by referenced table.
    pub fn new(schema: &'a Schema, input: &'a SiteInput) -> Site<'a> {
        let mut slugs = HashMap::new();
        let mut taken = HashSet::new();
        for t in &schema.tables {
            let base = slug(&t.name);
            let mut s = base.clone();
            let mut n = 2;
            while !taken.insert(s.clone()) {
                s = format!("{base}-{n}");
                n += 1;
            }
            slugs.insert(&t.name, s);
        }
        let mut incoming: HashMap<&Name, Vec<Incoming>> = HashMap::new();
        for t in &schema.tables {
            for fk in &t.foreign_keys {
                incoming
                    .entry(&fk.ref_table)
                    .or_default()
                    .push(Incoming { from: t, fk });
            }
        }
        Site {
            schema,
            input,
            slugs,
            incoming,
            rows: !input.rows.is_empty(),
        }
    }

    /// Every file of the site, as (path, content).
    pub fn files(&self) -> Vec<(String, String)> {
        let mut files = Vec::with_capacity(self.schema.tables.len() + 5);
        files.push(("assets/style.css".to_string(), STYLE.to_string()));
        files.push(("assets/app.js".to_string(), APP.to_string()));
        files.push(("assets/data.js".to_string(), self.data_js()));
        files.push(("index.html".to_string(), self.index()));
        files.push(("changelog.html".to_string(), self.changelog()));
        for t in &self.schema.tables {
            files.push((
                format!("tables/{}.html", self.slugs[&t.name]),
                self.table(t),
            ));
        }
        files
    }

    /// The site's title, `Schema` when none was given.
    pub fn title(&self) -> &str {
        if self.input.title.is_empty() {
            "Schema"
        } else {
            &self.input.title
        }
    }

    /// The estimated rows of a table, when they were read.
    pub fn rows_of(&self, name: &Name) -> Option<i64> {
        self.input
            .rows
            .get(&name.to_string().to_lowercase())
            .copied()
    }

    /// `href` of a table's page from a page `root` deep (`""` or `"../"`).
    pub fn href(&self, name: &Name, root: &str) -> Option<String> {
        self.slugs
            .get(name)
            .map(|s| format!("{root}tables/{s}.html"))
    }

    /// A table's name linked to its page, or as plain text when the schema does not have it.
    pub fn table_link(&self, name: &Name, root: &str) -> Markup {
        html! {
            @match self.href(name, root) {
                Some(h) => a href=(h) { (name) },
                None => span { (name) },
            }
        }
    }

    /// The search index and sidebar data, as a script that sets `window.STRATA_DOCS`.
    fn data_js(&self) -> String {
        let mut out = String::from("window.STRATA_DOCS = {\n\"title\": ");
        out.push_str(&js(self.title()));
        out.push_str(",\n\"tables\": [\n");
        for (i, t) in self.schema.tables.iter().enumerate() {
            if i > 0 {
                out.push_str(",\n");
            }
            let _ = write!(
                out,
                "{{\"n\":{},\"s\":{},\"c\":[",
                js(&t.name.to_string()),
                js(&self.slugs[&t.name])
            );
            for (j, c) in t.columns.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                out.push_str(&js(&c.name));
            }
            out.push(']');
            if let Some(d) = &t.comment {
                let _ = write!(out, ",\"d\":{}", js(d));
            }
            out.push('}');
        }
        out.push_str("\n],\n\"views\": [");
        for (i, v) in self.schema.views.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{{\"n\":{}}}", js(&v.name.to_string()));
        }
        out.push_str("]\n};\n");
        out
    }

    /// The frame every page shares: head, sidebar, main. `current` marks the page in the sidebar.
    pub fn page(&self, root: &str, title: &str, current: Option<&str>, body: Markup) -> String {
        let active = |page: &str| current == Some(page);
        html! {
            (DOCTYPE) "\n"
            html lang="en" {
                "\n"
                head {
                    "\n"
                    meta charset="utf-8"; "\n"
                    meta name="viewport" content="width=device-width, initial-scale=1"; "\n"
                    meta name="generator" content="strata docs"; "\n"
                    title { (title) " · " (self.title()) } "\n"
                    link rel="stylesheet" href={ (root) "assets/style.css" }; "\n"
                    script src={ (root) "assets/data.js" } defer {} "\n"
                    script src={ (root) "assets/app.js" } defer {} "\n"
                }
                "\n"
                body data-root=(root) data-current=(current.unwrap_or("")) {
                    "\n"
                    aside class="sidebar" {
                        "\n"
                        a class="brand" href={ (root) "index.html" } {
                            span class="logo" aria-hidden="true" { (PreEscaped(LOGO)) }
                            span { (self.title()) }
                        }
                        "\n"
                        div class="search" {
                            input id="search" type="search" placeholder="Search tables and columns"
                                autocomplete="off" spellcheck="false" aria-label="Search tables and columns";
                            kbd { "/" }
                        }
                        "\n"
                        nav class="nav" {
                            "\n"
                            a.nav-top.active[active("index")] href={ (root) "index.html" } { "Overview" }
                            "\n"
                            a.nav-top.active[active("changelog")] href={ (root) "changelog.html" } { "Changelog" }
                            "\n"
                            div class="nav-head" {
                                span { "Tables" }
                                span id="nav-count" { (self.schema.tables.len()) }
                            }
                            "\n"
                            ul id="nav-list" {}
                            "\n"
                        }
                        "\n"
                        div class="sidebar-foot" { "Generated by strata" }
                        "\n"
                    }
                    "\n"
                    main { "\n" (body) }
                    "\n"
                }
                "\n"
            }
            "\n"
        }
        .into_string()
    }
}

/// Escapes text for a JavaScript string literal inside a `<script>` file: `<` too, so no
/// `</script>` can end the script early.
fn js(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '<' => out.push_str("\\u003c"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
