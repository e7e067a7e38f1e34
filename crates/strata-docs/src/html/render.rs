//! The pages of the site.

use super::{markdown, slug, SiteInput};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use strata_schema::{
    Column, Deferrable, FkAction, ForeignKey, Identity, Index, IndexPart, Name, Schema, Table,
    TableAttr, UserTypeKind,
};

const STYLE: &str = include_str!("style.css");
const APP: &str = include_str!("app.js");

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for a JavaScript string literal inside a `<script>` file.
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

/// A number with thousands separators.
fn thousands(n: i64) -> String {
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

/// A foreign key pointing at a table, seen from the referenced side.
struct Incoming<'a> {
    from: &'a Table,
    fk: &'a ForeignKey,
}

pub struct Site<'a> {
    schema: &'a Schema,
    input: &'a SiteInput,
    slugs: HashMap<&'a Name, String>,
    incoming: HashMap<&'a Name, Vec<Incoming<'a>>>,
    rows: bool,
}

impl<'a> Site<'a> {
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

    fn title(&self) -> &str {
        if self.input.title.is_empty() {
            "Schema"
        } else {
            &self.input.title
        }
    }

    fn rows_of(&self, name: &Name) -> Option<i64> {
        self.input
            .rows
            .get(&name.to_string().to_lowercase())
            .copied()
    }

    /// `href` of a table's page from a page `root` deep (`""` or `"../"`).
    fn href(&self, name: &Name, root: &str) -> Option<String> {
        self.slugs
            .get(name)
            .map(|s| format!("{root}tables/{}.html", esc(s)))
    }

    fn table_link(&self, name: &Name, root: &str) -> String {
        match self.href(name, root) {
            Some(h) => format!("<a href=\"{h}\">{}</a>", esc(&name.to_string())),
            None => format!("<span>{}</span>", esc(&name.to_string())),
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

    /// The frame every page shares: head, sidebar, main.
    fn page(&self, root: &str, title: &str, current: Option<&str>, body: &str) -> String {
        let mut out = String::with_capacity(body.len() + 2048);
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"strata docs\">\n\
             <title>{title} · {site}</title>\n\
             <link rel=\"stylesheet\" href=\"{root}assets/style.css\">\n\
             <script src=\"{root}assets/data.js\" defer></script>\n\
             <script src=\"{root}assets/app.js\" defer></script>\n\
             </head>\n<body data-root=\"{root}\" data-current=\"{current}\">\n\
             <aside class=\"sidebar\">\n\
             <a class=\"brand\" href=\"{root}index.html\"><span class=\"logo\" aria-hidden=\"true\">\
             <svg viewBox=\"0 0 20 20\" width=\"20\" height=\"20\"><rect x=\"2\" y=\"3\" width=\"16\" height=\"4\" rx=\"1.5\"/>\
             <rect x=\"2\" y=\"8.5\" width=\"16\" height=\"4\" rx=\"1.5\" opacity=\".7\"/>\
             <rect x=\"2\" y=\"14\" width=\"16\" height=\"4\" rx=\"1.5\" opacity=\".45\"/></svg></span>\
             <span>{site}</span></a>\n\
             <div class=\"search\"><input id=\"search\" type=\"search\" placeholder=\"Search tables and columns\" \
             autocomplete=\"off\" spellcheck=\"false\" aria-label=\"Search tables and columns\"><kbd>/</kbd></div>\n\
             <nav class=\"nav\">\n<a class=\"nav-top{idx}\" href=\"{root}index.html\">Overview</a>\n\
             <a class=\"nav-top{chg}\" href=\"{root}changelog.html\">Changelog</a>\n\
             <div class=\"nav-head\"><span>Tables</span><span id=\"nav-count\">{count}</span></div>\n\
             <ul id=\"nav-list\"></ul>\n</nav>\n\
             <div class=\"sidebar-foot\">Generated by strata</div>\n\
             </aside>\n<main>\n{body}</main>\n</body>\n</html>\n",
            title = esc(title),
            site = esc(self.title()),
            current = esc(current.unwrap_or("")),
            idx = if current == Some("index") { " active" } else { "" },
            chg = if current == Some("changelog") {
                " active"
            } else {
                ""
            },
            count = self.schema.tables.len(),
        );
        out
    }

    /// An inline SVG diagram in its frame, with zoom buttons.
    fn diagram(&self, svg: &str, caption: &str) -> String {
        format!(
            "<figure class=\"erd\">\n<div class=\"erd-tools\"><span class=\"erd-caption\">{}</span>\
             <button type=\"button\" data-zoom=\"out\" title=\"Zoom out\">−</button>\
             <button type=\"button\" data-zoom=\"fit\" title=\"Fit to width\">Fit</button>\
             <button type=\"button\" data-zoom=\"in\" title=\"Zoom in\">+</button></div>\n\
             <div class=\"erd-canvas\">{}</div>\n</figure>\n",
            esc(caption),
            svg
        )
    }

    fn index(&self) -> String {
        let s = self.schema;
        let mut b = String::new();
        let columns: usize = s.tables.iter().map(|t| t.columns.len()).sum();
        let fks: usize = s.tables.iter().map(|t| t.foreign_keys.len()).sum();
        let indexes: usize = s.tables.iter().map(|t| t.indexes.len()).sum();
        let _ = write!(
            b,
            "<header class=\"page-head\">\n<div class=\"eyebrow\">Schema documentation</div>\n<h1>{}</h1>\n",
            esc(self.title())
        );
        let mut meta = Vec::new();
        if let Some(e) = self.input.engine {
            meta.push(format!(
                "<span class=\"chip\">{}</span>",
                esc(engine_label(e))
            ));
        }
        if !self.input.source.is_empty() {
            meta.push(format!(
                "<span class=\"muted\">from <code>{}</code></span>",
                esc(&self.input.source)
            ));
        }
        if !meta.is_empty() {
            let _ = writeln!(b, "<p class=\"meta\">{}</p>", meta.join(" "));
        }
        b.push_str("</header>\n<section class=\"stats\">\n");
        let mut stat = |n: String, label: &str| {
            let _ = writeln!(
                b,
                "<div class=\"stat\"><div class=\"stat-n\">{n}</div><div class=\"stat-l\">{label}</div></div>"
            );
        };
        stat(thousands(s.tables.len() as i64), "tables");
        stat(thousands(columns as i64), "columns");
        stat(thousands(fks as i64), "foreign keys");
        stat(thousands(indexes as i64), "indexes");
        if !s.views.is_empty() {
            stat(thousands(s.views.len() as i64), "views");
        }
        if self.rows {
            let total: i64 = s.tables.iter().filter_map(|t| self.rows_of(&t.name)).sum();
            stat(thousands(total), "rows (estimated)");
        }
        b.push_str("</section>\n");

        if !s.tables.is_empty() {
            b.push_str("<section id=\"diagram\">\n<h2>Entity-relationship diagram</h2>\n");
            let (svg, caption) = if s.tables.len() <= OVERVIEW_MAX_TABLES {
                (
                    erd_svg(s),
                    "Click a table to open its page. Lines join a foreign key to the table it references."
                        .to_string(),
                )
            } else {
                let core = core_tables(s, OVERVIEW_CORE_TABLES);
                (
                    erd_svg(&core),
                    format!(
                        "The {} most connected of {} tables (one diagram of every table would be unreadable); each table's page has the diagram of its neighbourhood. Click a table to open its page.",
                        core.tables.len(),
                        thousands(s.tables.len() as i64)
                    ),
                )
            };
            b.push_str(&self.diagram(&svg, &caption));
            b.push_str("</section>\n");
        }

        b.push_str("<section id=\"tables\">\n<h2>Tables</h2>\n");
        if s.tables.is_empty() {
            b.push_str("<p class=\"empty\">This schema has no tables.</p>\n");
        } else {
            b.push_str(
                "<div class=\"table-wrap\"><table class=\"grid\" id=\"tables-list\">\n<thead><tr><th>Table</th><th>Description</th><th class=\"num\">Columns</th>",
            );
            if self.rows {
                b.push_str("<th class=\"num\">Rows (est.)</th>");
            }
            b.push_str("<th class=\"num\">References</th><th class=\"num\">Referenced by</th></tr></thead>\n<tbody>\n");
            for t in &s.tables {
                let mut search = t.name.to_string().to_lowercase();
                for c in &t.columns {
                    search.push(' ');
                    search.push_str(&c.name.to_lowercase());
                }
                let _ = write!(
                    b,
                    "<tr data-search=\"{}\"><td class=\"name\">{}</td><td class=\"desc\">{}</td><td class=\"num\">{}</td>",
                    esc(&search),
                    self.table_link(&t.name, ""),
                    t.comment.as_deref().map(esc).unwrap_or_default(),
                    t.columns.len()
                );
                if self.rows {
                    let _ = write!(
                        b,
                        "<td class=\"num\">{}</td>",
                        self.rows_of(&t.name)
                            .map(thousands)
                            .unwrap_or_else(|| "—".into())
                    );
                }
                let inc = self.incoming.get(&t.name).map_or(0, Vec::len);
                let _ = writeln!(
                    b,
                    "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    t.foreign_keys.len(),
                    inc
                );
            }
            b.push_str("</tbody>\n</table></div>\n<p class=\"empty\" id=\"tables-none\" hidden>No table matches the search.</p>\n");
        }
        b.push_str("</section>\n");

        if !s.views.is_empty() {
            b.push_str("<section id=\"views\">\n<h2>Views</h2>\n");
            for v in &s.views {
                let _ = write!(
                    b,
                    "<details class=\"card\"><summary><code>{}</code>{}{}</summary>\n<pre class=\"sql\">{}</pre>\n</details>\n",
                    esc(&v.name.to_string()),
                    if v.materialized {
                        " <span class=\"badge\">materialized</span>"
                    } else {
                        ""
                    },
                    v.comment
                        .as_deref()
                        .map(|c| format!(" <span class=\"muted\">— {}</span>", esc(c)))
                        .unwrap_or_default(),
                    esc(v.definition.trim())
                );
            }
            b.push_str("</section>\n");
        }

        if !s.types.is_empty() {
            b.push_str("<section id=\"types\">\n<h2>Types</h2>\n<div class=\"table-wrap\"><table class=\"grid\">\n<thead><tr><th>Type</th><th>Kind</th><th>Definition</th></tr></thead>\n<tbody>\n");
            for t in &s.types {
                let (kind, def) = match &t.kind {
                    UserTypeKind::Enum { values } => (
                        "enum",
                        values
                            .iter()
                            .map(|v| format!("<code>{}</code>", esc(v)))
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    UserTypeKind::Domain {
                        data_type,
                        not_null,
                        default,
                        checks,
                    } => {
                        let mut d = format!("<code>{}</code>", esc(data_type));
                        if *not_null {
                            d.push_str(" not null");
                        }
                        if let Some(x) = default {
                            let _ = write!(d, " default <code>{}</code>", esc(x));
                        }
                        for c in checks {
                            let _ = write!(d, " check <code>{}</code>", esc(&c.expression));
                        }
                        ("domain", d)
                    }
                    UserTypeKind::Composite { attributes } => (
                        "composite",
                        attributes
                            .iter()
                            .map(|a| format!("<code>{}</code> {}", esc(&a.name), esc(&a.data_type)))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                };
                let _ = writeln!(
                    b,
                    "<tr><td class=\"name\"><code>{}</code></td><td>{kind}</td><td>{def}</td></tr>",
                    esc(&t.name.to_string())
                );
            }
            b.push_str("</tbody>\n</table></div>\n</section>\n");
        }
        self.page("", "Overview", Some("index"), &b)
    }

    fn changelog(&self) -> String {
        let mut b = String::from(
            "<header class=\"page-head\">\n<div class=\"eyebrow\">History</div>\n<h1>Changelog</h1>\n</header>\n<section class=\"changelog prose\">\n",
        );
        match &self.input.changelog {
            Some(md) if !md.trim().is_empty() => {
                // The page has its own <h1>: drop a leading top-level heading of the Markdown.
                let md = match md.trim_start().strip_prefix("# ") {
                    Some(rest) => rest.split_once('\n').map_or("", |(_, r)| r),
                    None => md.as_str(),
                };
                b.push_str(&markdown::to_html(md));
            }
            _ => b.push_str(
                "<p class=\"empty\">No migrations were read, so there is no changelog. Run <code>strata docs</code> in a project with a migrations folder.</p>\n",
            ),
        }
        b.push_str("</section>\n");
        self.page("", "Changelog", Some("changelog"), &b)
    }

    fn table(&self, t: &Table) -> String {
        let root = "../";
        let mut b = String::new();
        let name = t.name.to_string();
        let _ = write!(
            b,
            "<header class=\"page-head\">\n<div class=\"eyebrow\"><a href=\"{root}index.html#tables\">Tables</a></div>\n<h1><code>{}</code></h1>\n",
            esc(&name)
        );
        let mut chips = Vec::new();
        if let Some(r) = self.rows_of(&t.name) {
            chips.push(format!(
                "<span class=\"chip\">~{} rows</span>",
                thousands(r)
            ));
        }
        chips.push(format!(
            "<span class=\"chip\">{} column{}</span>",
            t.columns.len(),
            if t.columns.len() == 1 { "" } else { "s" }
        ));
        for a in &t.attrs {
            chips.push(format!(
                "<span class=\"chip\">{}</span>",
                attr_html(a, self, root)
            ));
        }
        let _ = writeln!(b, "<p class=\"meta\">{}</p>", chips.join(" "));
        if let Some(c) = &t.comment {
            let _ = writeln!(b, "<p class=\"lead\">{}</p>", esc(c));
        }
        b.push_str("</header>\n");

        // Section links.
        let incoming = self.incoming.get(&t.name).map(Vec::as_slice).unwrap_or(&[]);
        let constraints = t.primary_key.is_some()
            || !t.uniques.is_empty()
            || !t.checks.is_empty()
            || !t.exclusions.is_empty();
        let mut toc = vec![("columns", "Columns")];
        if !t.indexes.is_empty() {
            toc.push(("indexes", "Indexes"));
        }
        if constraints {
            toc.push(("constraints", "Constraints"));
        }
        if !t.foreign_keys.is_empty() || !incoming.is_empty() {
            toc.push(("relationships", "Relationships"));
        }
        if !t.triggers.is_empty() {
            toc.push(("triggers", "Triggers"));
        }
        toc.push(("diagram", "Diagram"));
        b.push_str("<nav class=\"toc\">");
        for (id, label) in &toc {
            let _ = write!(b, "<a href=\"#{id}\">{label}</a>");
        }
        b.push_str("</nav>\n");

        // Columns.
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
        b.push_str("<section id=\"columns\">\n<h2>Columns</h2>\n<div class=\"table-wrap\"><table class=\"grid columns\">\n<thead><tr><th>Column</th><th>Type</th><th>Nullable</th><th>Default</th><th>Description</th></tr></thead>\n<tbody>\n");
        for c in &t.columns {
            let mut badges = String::new();
            if pk.contains(c.name.as_str()) {
                badges.push_str("<span class=\"badge pk\" title=\"Primary key\">PK</span>");
            }
            if let Some(refs) = fk_of.get(c.name.as_str()) {
                for (fk, i) in refs {
                    let target = format!(
                        "{}.{}",
                        fk.ref_table,
                        fk.ref_columns.get(*i).map(String::as_str).unwrap_or("?")
                    );
                    match self.href(&fk.ref_table, root) {
                        Some(h) => {
                            let _ = write!(
                                badges,
                                "<a class=\"badge fk\" href=\"{h}\" title=\"References {t}\">FK → {t}</a>",
                                t = esc(&target)
                            );
                        }
                        None => {
                            let _ = write!(
                                badges,
                                "<span class=\"badge fk\" title=\"References {t}\">FK → {t}</span>",
                                t = esc(&target)
                            );
                        }
                    }
                }
            }
            if unique.contains(c.name.as_str()) {
                badges.push_str("<span class=\"badge uq\" title=\"Unique\">UQ</span>");
            }
            let _ = writeln!(
                b,
                "<tr id=\"col-{id}\"><td class=\"name\"><code>{n}</code>{sep}{badges}</td><td><code class=\"type\">{ty}</code></td><td>{null}</td><td>{def}</td><td class=\"desc\">{desc}</td></tr>",
                id = esc(&markdown::anchor(&c.name)),
                n = esc(&c.name),
                sep = if badges.is_empty() { "" } else { " " },
                ty = esc(&c.data_type),
                null = if c.nullable {
                    "<span class=\"muted\">null</span>"
                } else {
                    "<span class=\"nn\">not null</span>"
                },
                def = default_html(c),
                desc = c.comment.as_deref().map(esc).unwrap_or_default(),
            );
        }
        b.push_str("</tbody>\n</table></div>\n</section>\n");

        // Indexes.
        if !t.indexes.is_empty() {
            b.push_str("<section id=\"indexes\">\n<h2>Indexes</h2>\n<div class=\"table-wrap\"><table class=\"grid\">\n<thead><tr><th>Name</th><th>Keys</th><th>Properties</th></tr></thead>\n<tbody>\n");
            for i in &t.indexes {
                let _ = writeln!(
                    b,
                    "<tr><td class=\"name\"><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                    esc(&i.name),
                    index_keys(i),
                    index_props(i)
                );
            }
            b.push_str("</tbody>\n</table></div>\n</section>\n");
        }

        // Constraints.
        if constraints {
            b.push_str("<section id=\"constraints\">\n<h2>Constraints</h2>\n<div class=\"table-wrap\"><table class=\"grid\">\n<thead><tr><th>Name</th><th>Kind</th><th>Definition</th></tr></thead>\n<tbody>\n");
            let mut row = |name: Option<&str>, kind: &str, def: String| {
                let _ = writeln!(
                    b,
                    "<tr><td class=\"name\">{}</td><td><span class=\"badge {}\">{}</span></td><td>{}</td></tr>",
                    name.map(|n| format!("<code>{}</code>", esc(n)))
                        .unwrap_or_else(|| "<span class=\"muted\">(unnamed)</span>".into()),
                    match kind {
                        "primary key" => "pk",
                        "unique" => "uq",
                        _ => "ck",
                    },
                    kind,
                    def
                );
            };
            if let Some(k) = &t.primary_key {
                row(
                    k.name.as_deref(),
                    "primary key",
                    cols(&k.columns) + &deferrable(k.deferrable),
                );
            }
            for k in &t.uniques {
                row(
                    k.name.as_deref(),
                    "unique",
                    cols(&k.columns) + &deferrable(k.deferrable),
                );
            }
            for c in &t.checks {
                row(
                    c.name.as_deref(),
                    "check",
                    format!("<code>{}</code>", esc(&c.expression)),
                );
            }
            for x in &t.exclusions {
                row(
                    Some(&x.name),
                    "exclusion",
                    format!("<code>{}</code>", esc(&x.definition)),
                );
            }
            b.push_str("</tbody>\n</table></div>\n</section>\n");
        }

        // Relationships.
        if !t.foreign_keys.is_empty() || !incoming.is_empty() {
            b.push_str("<section id=\"relationships\">\n<h2>Relationships</h2>\n");
            if !t.foreign_keys.is_empty() {
                let _ = write!(
                    b,
                    "<h3>References <span class=\"count\">{}</span></h3>\n<div class=\"table-wrap\"><table class=\"grid\">\n<thead><tr><th>Columns</th><th>References</th><th>Actions</th><th>Name</th></tr></thead>\n<tbody>\n",
                    t.foreign_keys.len()
                );
                for fk in &t.foreign_keys {
                    let _ = writeln!(
                        b,
                        "<tr><td>{}</td><td>{} {}</td><td>{}</td><td class=\"muted\">{}</td></tr>",
                        cols(&fk.columns),
                        self.table_link(&fk.ref_table, root),
                        cols(&fk.ref_columns),
                        fk_actions(fk),
                        fk.name.as_deref().map(esc).unwrap_or_default()
                    );
                }
                b.push_str("</tbody>\n</table></div>\n");
            }
            if !incoming.is_empty() {
                let _ = write!(
                    b,
                    "<h3>Referenced by <span class=\"count\">{}</span></h3>\n<div class=\"table-wrap\"><table class=\"grid\">\n<thead><tr><th>Table</th><th>Columns</th><th>To</th><th>Actions</th><th>Name</th></tr></thead>\n<tbody>\n",
                    incoming.len()
                );
                for inc in incoming {
                    let _ = writeln!(
                        b,
                        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"muted\">{}</td></tr>",
                        self.table_link(&inc.from.name, root),
                        cols(&inc.fk.columns),
                        cols(&inc.fk.ref_columns),
                        fk_actions(inc.fk),
                        inc.fk.name.as_deref().map(esc).unwrap_or_default()
                    );
                }
                b.push_str("</tbody>\n</table></div>\n");
            }
            b.push_str("</section>\n");
        }

        // Triggers.
        if !t.triggers.is_empty() {
            b.push_str("<section id=\"triggers\">\n<h2>Triggers</h2>\n");
            for tr in &t.triggers {
                let _ = writeln!(
                    b,
                    "<details class=\"card\" open><summary><code>{}</code></summary>\n<pre class=\"sql\">{}</pre>\n</details>",
                    esc(&tr.name),
                    esc(tr.definition.trim())
                );
            }
            b.push_str("</section>\n");
        }

        // Neighbourhood diagram.
        b.push_str("<section id=\"diagram\">\n<h2>Diagram</h2>\n");
        let svg = erd_neighbourhood_svg(self.schema, &t.name);
        b.push_str(&self.diagram(
            &svg,
            "This table with the tables it references and the tables that reference it.",
        ));
        b.push_str("</section>\n");
        self.page(root, &name, Some(&self.slugs[&t.name]), &b)
    }
}

fn engine_label(e: strata_schema::Engine) -> &'static str {
    match e {
        strata_schema::Engine::Sqlite => "SQLite",
        strata_schema::Engine::Postgres => "PostgreSQL",
        strata_schema::Engine::Mysql => "MySQL / MariaDB",
    }
}

fn attr_html(a: &TableAttr, site: &Site, root: &str) -> String {
    match a {
        TableAttr::MysqlEngine(e) => format!("engine {}", esc(e)),
        TableAttr::MysqlCharset { charset, collation } => {
            format!("{} / {}", esc(charset), esc(collation))
        }
        TableAttr::SqliteWithoutRowid => "WITHOUT ROWID".into(),
        TableAttr::SqliteStrict => "STRICT".into(),
        TableAttr::PgPartitionBy(p) => format!("partitioned by {}", esc(p)),
        TableAttr::PgPartitionOf { parent, bound } => format!(
            "partition of {} {}",
            site.table_link(parent, root),
            esc(bound)
        ),
        TableAttr::PgUnlogged => "UNLOGGED".into(),
        TableAttr::PgRowSecurity => "row level security".into(),
        TableAttr::PgForceRowSecurity => "row level security forced on the owner".into(),
        TableAttr::MysqlPartitionBy(p) => esc(p),
        TableAttr::PgStorage(p) => format!("WITH ({})", esc(&p.join(", "))),
        TableAttr::PgInherits(parents) => format!(
            "inherits {}",
            parents
                .iter()
                .map(|p| site.table_link(p, root))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn cols(columns: &[String]) -> String {
    let inner: Vec<String> = columns
        .iter()
        .map(|c| format!("<code>{}</code>", esc(c)))
        .collect();
    format!("({})", inner.join(", "))
}

fn deferrable(d: Deferrable) -> String {
    match d {
        Deferrable::Not => String::new(),
        Deferrable::InitiallyImmediate => " <span class=\"muted\">deferrable</span>".into(),
        Deferrable::InitiallyDeferred => {
            " <span class=\"muted\">deferrable, initially deferred</span>".into()
        }
    }
}

fn fk_actions(fk: &ForeignKey) -> String {
    let mut out = Vec::new();
    if fk.on_delete != FkAction::NoAction {
        out.push(format!(
            "on delete <strong>{}</strong>",
            fk.on_delete.sql().to_lowercase()
        ));
    }
    if fk.on_update != FkAction::NoAction {
        out.push(format!(
            "on update <strong>{}</strong>",
            fk.on_update.sql().to_lowercase()
        ));
    }
    let d = deferrable(fk.deferrable);
    if !d.is_empty() {
        out.push(d.trim().to_string());
    }
    if out.is_empty() {
        "<span class=\"muted\">no action</span>".into()
    } else {
        out.join(", ")
    }
}

fn default_html(c: &Column) -> String {
    let mut parts = Vec::new();
    match &c.identity {
        Some(Identity::Always) => {
            parts.push("<span class=\"badge id\">identity always</span>".to_string())
        }
        Some(Identity::ByDefault) => {
            parts.push("<span class=\"badge id\">identity by default</span>".to_string())
        }
        Some(Identity::Serial { .. }) => {
            parts.push("<span class=\"badge id\">serial</span>".to_string())
        }
        Some(Identity::AutoIncrement) => {
            parts.push("<span class=\"badge id\">auto increment</span>".to_string())
        }
        None => {}
    }
    if let Some(g) = &c.generated {
        parts.push(format!(
            "<span class=\"badge id\">generated{}</span> <code>{}</code>",
            if g.stored { ", stored" } else { "" },
            esc(&g.expression)
        ));
    }
    // A serial's default is the sequence call the badge already says.
    if let (Some(d), false) = (
        &c.default,
        matches!(c.identity, Some(Identity::Serial { .. })),
    ) {
        parts.push(format!("<code>{}</code>", esc(d)));
    }
    parts.join(" ")
}

fn index_part(p: &IndexPart) -> String {
    let mut s = match (&p.column, &p.expression) {
        (Some(c), _) => format!("<code>{}</code>", esc(c)),
        (None, Some(e)) => format!("<code>({})</code>", esc(e)),
        (None, None) => "?".into(),
    };
    if let Some(n) = p.prefix {
        let _ = write!(s, "({n})");
    }
    if let Some(c) = &p.collation {
        let _ = write!(s, " collate {}", esc(c));
    }
    if let Some(o) = &p.opclass {
        let _ = write!(s, " {}", esc(o));
    }
    if p.descending {
        s.push_str(" desc");
    }
    match p.nulls_first {
        Some(true) => s.push_str(" nulls first"),
        Some(false) => s.push_str(" nulls last"),
        None => {}
    }
    s
}

fn index_keys(i: &Index) -> String {
    let parts: Vec<String> = i.parts.iter().map(index_part).collect();
    let mut s = format!("({})", parts.join(", "));
    if !i.include.is_empty() {
        let _ = write!(s, " include {}", cols(&i.include));
    }
    s
}

fn index_props(i: &Index) -> String {
    let mut out = Vec::new();
    if i.unique {
        out.push("<span class=\"badge uq\">unique</span>".to_string());
    }
    if let Some(m) = &i.method {
        out.push(format!("<span class=\"badge\">{}</span>", esc(m)));
    }
    if let Some(p) = &i.predicate {
        out.push(format!("where <code>{}</code>", esc(p)));
    }
    if let Some(c) = &i.comment {
        out.push(format!("<span class=\"muted\">{}</span>", esc(c)));
    }
    out.join(" ")
}

/// Up to this many tables, the overview shows the ERD of the whole schema; above, of the
/// [`OVERVIEW_CORE_TABLES`] most connected tables. Past ~100 boxes a whole-schema diagram is
/// unreadable on a screen, and its layout time grows much faster than the number of tables.
const OVERVIEW_MAX_TABLES: usize = 100;
const OVERVIEW_CORE_TABLES: usize = 50;

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
    Schema {
        namespaces: schema.namespaces.clone(),
        types: schema.types.clone(),
        tables: schema
            .tables
            .iter()
            .filter(|t| keep.contains(&t.name))
            .cloned()
            .collect(),
        ..Schema::default()
    }
}

/// The ERD of the whole schema.
fn erd_svg(schema: &Schema) -> String {
    crate::erd::svg(schema, &crate::erd::ErdOptions::default())
}

/// The ERD of a table and its neighbours.
fn erd_neighbourhood_svg(schema: &Schema, name: &Name) -> String {
    let sub = crate::erd::neighbourhood(schema, name);
    crate::erd::svg(&sub, &crate::erd::ErdOptions::default())
}
