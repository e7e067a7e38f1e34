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

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use strata_schema::{ForeignKey, Name, Schema, Table};

/// Which tables a diagram shows.
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

/// Whether `text` matches the glob `pattern` (`*` any run of characters, `?` one character).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matcher with backtracking to the last `*`: linear in practice, no recursion.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn matches_any(globs: &[String], name: &Name) -> bool {
    let qualified = name.to_string();
    globs
        .iter()
        .any(|g| glob_match(g, &name.name) || glob_match(g, &qualified))
}

fn in_namespace(name: &Name, ns: &str) -> bool {
    match &name.schema {
        Some(s) => s == ns,
        None => ns == "public" || ns == "main",
    }
}

/// The tables `opts` selects, in the schema's order.
pub fn selected<'a>(schema: &'a Schema, opts: &ErdOptions) -> Vec<&'a Table> {
    schema
        .tables
        .iter()
        .filter(|t| {
            opts.schema
                .as_deref()
                .is_none_or(|ns| in_namespace(&t.name, ns))
        })
        .filter(|t| opts.tables.is_empty() || matches_any(&opts.tables, &t.name))
        .filter(|t| !matches_any(&opts.exclude, &t.name))
        .collect()
}

/// How many rows of a side take part in a relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cardinality {
    ExactlyOne,
    ZeroOrOne,
    ZeroOrMany,
}

/// One foreign key drawn as a relationship: `child` (the table with the key) refers to `parent`.
#[derive(Debug, Clone)]
pub struct Relationship<'a> {
    pub child: &'a Table,
    pub parent: &'a Table,
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
    Schema {
        namespaces: schema.namespaces.clone(),
        extensions: Vec::new(),
        virtual_tables: Vec::new(),
        types: schema.types.clone(),
        sequences: Vec::new(),
        tables: schema
            .tables
            .iter()
            .filter(|t| keep.contains(&t.name))
            .cloned()
            .collect(),
        views: Vec::new(),
        routines: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Mermaid

/// An identifier Mermaid accepts as an entity or attribute name: letters, digits, `_` and `-`,
/// not starting with a digit or `-`.
fn mermaid_ident(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        out.insert(0, '_');
    }
    out
}

/// A column type as a Mermaid attribute type: `character varying(100)` → `character_varying(100)`,
/// `numeric(10,2)` → `numeric(10-2)` (commas end an attribute in Mermaid's grammar).
fn mermaid_type(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        match c {
            c if c.is_ascii_alphanumeric() || "_-()[]".contains(c) => out.push(c),
            ',' => out.push('-'),
            _ => out.push('_'),
        }
    }
    while out.contains("__") {
        out = out.replace("__", "_");
    }
    if out.is_empty() || !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, 't');
        out.insert(1, '_');
    }
    out
}

/// Text inside a Mermaid double-quoted string (no quotes or line breaks allowed).
fn mermaid_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '"' => '\'',
            '\n' | '\r' | '\t' => ' ',
            c => c,
        })
        .collect()
}

/// Entity ids for the selected tables: the table name made safe, unique across namespaces.
fn entity_ids(tables: &[&Table]) -> BTreeMap<Name, String> {
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut ids = BTreeMap::new();
    for t in tables {
        let base = mermaid_ident(&t.name.to_string());
        let mut id = base.clone();
        let mut n = 2;
        while !used.insert(id.clone()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        ids.insert(t.name.clone(), id);
    }
    ids
}

/// The schema as a Mermaid `erDiagram`.
pub fn mermaid(schema: &Schema, opts: &ErdOptions) -> String {
    let tables = selected(schema, opts);
    let ids = entity_ids(&tables);
    let mut out = String::from("erDiagram\n");
    for t in &tables {
        let id = &ids[&t.name];
        let label = t.name.to_string();
        // An alias shows the real name where the id had to change it.
        if *id == label {
            let _ = writeln!(out, "    {id} {{");
        } else {
            let _ = writeln!(out, "    {id}[\"{}\"] {{", mermaid_text(&label));
        }
        for c in &t.columns {
            let m = markers(t, &c.name);
            let _ = write!(
                out,
                "        {} {}",
                mermaid_type(&c.data_type),
                mermaid_ident(&c.name)
            );
            if !m.is_empty() {
                let _ = write!(out, " {}", m.join(", "));
            }
            let mut notes = Vec::new();
            if mermaid_ident(&c.name) != c.name {
                notes.push(c.name.clone());
            }
            if !c.nullable && !m.contains(&"PK") {
                notes.push("not null".into());
            }
            if let Some(comment) = &c.comment {
                notes.push(comment.clone());
            }
            if !notes.is_empty() {
                let _ = write!(out, " \"{}\"", mermaid_text(&notes.join("; ")));
            }
            out.push('\n');
        }
        out.push_str("    }\n");
    }
    for r in relationships(&tables) {
        let left = match r.parent_side {
            Cardinality::ExactlyOne => "||",
            _ => "|o",
        };
        let right = match r.child_side {
            Cardinality::ZeroOrMany => "o{",
            _ => "o|",
        };
        let line = if r.identifying { "--" } else { ".." };
        let _ = writeln!(
            out,
            "    {} {left}{line}{right} {} : \"{}\"",
            ids[&r.parent.name],
            ids[&r.child.name],
            mermaid_text(&r.fk.columns.join(", "))
        );
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Graphviz DOT

fn dot_id(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The schema as a Graphviz `digraph` (render with `dot -Tsvg`): HTML-label tables with one
/// row per column (ports `c0`, `c1`, ... so edges attach to the key columns) and crow's-foot
/// edges from each child to its parent.
pub fn dot(schema: &Schema, opts: &ErdOptions) -> String {
    let tables = selected(schema, opts);
    let mut out = String::from(
        "digraph erd {\n    graph [rankdir=LR, nodesep=0.5, ranksep=1.2, fontname=\"Helvetica\"];\n    node [shape=plaintext, fontname=\"Helvetica\", fontsize=11];\n    edge [fontname=\"Helvetica\", fontsize=9, dir=both, color=\"#555555\"];\n",
    );
    for t in &tables {
        let _ = write!(
            out,
            "    {} [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n        <tr><td colspan=\"3\" bgcolor=\"#dde5f0\"><b>{}</b></td></tr>\n",
            dot_id(&t.name.to_string()),
            html(&t.name.to_string())
        );
        for (i, c) in t.columns.iter().enumerate() {
            let name = if c.nullable {
                html(&c.name)
            } else {
                format!("<b>{}</b>", html(&c.name))
            };
            let _ = writeln!(
                out,
                "        <tr><td port=\"c{i}\" align=\"left\">{name}</td><td align=\"left\">{}</td><td align=\"left\">{}</td></tr>",
                html(&c.data_type),
                markers(t, &c.name).join(" ")
            );
        }
        out.push_str("    </table>>];\n");
    }
    for r in relationships(&tables) {
        let port = |t: &Table, col: Option<&String>| {
            col.and_then(|c| t.columns.iter().position(|x| &x.name == c))
                .map(|i| format!(":c{i}"))
                .unwrap_or_default()
        };
        let head = match r.parent_side {
            Cardinality::ExactlyOne => "teetee",
            _ => "teeodot",
        };
        let tail = match r.child_side {
            Cardinality::ZeroOrMany => "crowodot",
            _ => "teeodot",
        };
        let _ = writeln!(
            out,
            "    {}{} -> {}{} [arrowhead={head}, arrowtail={tail}{}, label={}];",
            dot_id(&r.child.name.to_string()),
            port(r.child, r.fk.columns.first()),
            dot_id(&r.parent.name.to_string()),
            port(r.parent, r.fk.ref_columns.first()),
            if r.identifying { "" } else { ", style=dashed" },
            dot_id(&r.fk.columns.join(", "))
        );
    }
    out.push_str("}\n");
    out
}

// ---------------------------------------------------------------------------------------------
// SVG

/// Monospace metrics: widths are estimated from character counts, so the text must be monospace.
const FONT: f64 = 12.0;
const CHAR_W: f64 = 7.3;
const HEADER_H: f64 = 24.0;
const ROW_H: f64 = 18.0;
const PAD: f64 = 8.0;

struct BoxSize {
    w: f64,
    h: f64,
    name_w: f64,
    type_w: f64,
}

fn text_w(s: &str) -> f64 {
    s.chars().count() as f64 * CHAR_W
}

fn box_size(t: &Table) -> BoxSize {
    let name_w = t
        .columns
        .iter()
        .map(|c| text_w(&c.name))
        .fold(0.0, f64::max);
    let type_w = t
        .columns
        .iter()
        .map(|c| text_w(&c.data_type))
        .fold(0.0, f64::max);
    let mark_w = t
        .columns
        .iter()
        .map(|c| text_w(&markers(t, &c.name).join(",")))
        .fold(0.0, f64::max);
    let cols_w = name_w + type_w + mark_w + 4.0 * PAD;
    let title_w = text_w(&t.name.to_string()) + 2.0 * PAD;
    BoxSize {
        w: cols_w.max(title_w).max(80.0),
        h: HEADER_H + ROW_H * t.columns.len().max(1) as f64 + PAD / 2.0,
        name_w,
        type_w,
    }
}

/// A routed edge: (point x, point y, control x, control y) per point of the curve.
type EdgePath = Vec<(f64, f64, f64, f64)>;

/// A render backend that keeps only the edge paths layout-rs routes (strata draws the boxes).
#[derive(Default)]
struct EdgeCollector {
    /// (edge index, path, whether the path starts at the parent).
    edges: Vec<(usize, EdgePath, bool)>,
}

mod backend {
    use super::EdgeCollector;
    use layout::core::format::{ClipHandle, RenderBackend};
    use layout::core::geometry::Point;
    use layout::core::style::StyleAttr;

    impl RenderBackend for EdgeCollector {
        fn draw_rect(
            &mut self,
            _: Point,
            _: Point,
            _: &StyleAttr,
            _: Option<String>,
            _: Option<ClipHandle>,
        ) {
        }
        fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}
        fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}
        fn draw_text(&mut self, _: Point, _: &str, _: &StyleAttr) {}
        fn draw_arrow(
            &mut self,
            path: &[(Point, Point)],
            _dashed: bool,
            head: (bool, bool),
            _look: &StyleAttr,
            properties: Option<String>,
            _text: &str,
        ) {
            let Some(index) = properties.and_then(|p| p.parse::<usize>().ok()) else {
                return;
            };
            let path = path.iter().map(|(a, b)| (a.x, a.y, b.x, b.y)).collect();
            // Edges go parent → child, so the head marks the child's end; layout-rs reverses
            // edges (and swaps the heads) to make the graph acyclic.
            self.edges.push((index, path, head.1 && !head.0));
        }
        fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
            0
        }
    }
}

/// The schema as a self-contained SVG: one box per table listing its columns with types and
/// `PK`/`FK`/`UK` markers (`NOT NULL` columns in bold), and a curve per foreign key from the
/// child to the parent, with crow's-foot ends for the cardinality. Laid out by layout-rs.
pub fn svg(schema: &Schema, opts: &ErdOptions) -> String {
    use layout::core::base::Orientation;
    use layout::core::geometry::Point;
    use layout::core::style::StyleAttr;
    use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
    use layout::topo::layout::VisualGraph;

    let tables = selected(schema, opts);
    let rels = relationships(&tables);
    if tables.is_empty() {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"240\" height=\"40\" viewBox=\"0 0 240 40\"><text x=\"10\" y=\"25\" font-family=\"monospace\" font-size=\"12\">no tables to show</text></svg>\n".to_string();
    }
    let sizes: Vec<BoxSize> = tables.iter().map(|t| box_size(t)).collect();
    let mut vg = VisualGraph::new(Orientation::TopToBottom);
    let index: BTreeMap<&Name, usize> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| (&t.name, i))
        .collect();
    let handles: Vec<_> = sizes
        .iter()
        .map(|s| {
            vg.add_node(Element::create(
                ShapeKind::new_box(""),
                StyleAttr::simple(),
                Orientation::TopToBottom,
                Point::new(s.w, s.h),
            ))
        })
        .collect();
    // layout-rs re-checks the whole graph for cycles after each edge, walking every path: with
    // many tables referencing shared hub tables that explodes (200 hub-shaped tables took over
    // 90 s). It gets a spanning forest — one incoming edge per table — which places every
    // table near a parent; strata draws the other relationships itself, as straight lines.
    let mut has_parent = vec![false; tables.len()];
    let mut extra: Vec<usize> = Vec::new();
    for (i, r) in rels.iter().enumerate() {
        let (c, p) = (index[&r.child.name], index[&r.parent.name]);
        if c == p || has_parent[c] {
            extra.push(i);
            continue;
        }
        has_parent[c] = true;
        // Parent above child: edges point from the referenced table down to its dependants.
        let mut arrow = Arrow::simple("");
        arrow.properties = Some(i.to_string());
        vg.add_edge(arrow, handles[p], handles[c]);
    }
    let mut edges = EdgeCollector::default();
    // Many tables: skip the crossing optimisation, whose cost grows fastest with size.
    let disable_opt = tables.len() > 400;
    vg.do_it(false, disable_opt, false, &mut edges);

    // Boxes at the laid-out positions, shifted so that everything starts at a margin.
    let mut rects = Vec::with_capacity(tables.len());
    for (h, s) in handles.iter().zip(&sizes) {
        let c = vg.pos(*h).center();
        rects.push((c.x - s.w / 2.0, c.y - s.h / 2.0));
    }
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for ((x, y), s) in rects.iter().zip(&sizes) {
        min_x = min_x.min(*x);
        min_y = min_y.min(*y);
        max_x = max_x.max(x + s.w);
        max_y = max_y.max(y + s.h);
    }
    for (_, path, _) in &edges.edges {
        for (x, y, cx, cy) in path {
            min_x = min_x.min(x.min(*cx));
            min_y = min_y.min(y.min(*cy));
            max_x = max_x.max(x.max(*cx));
            max_y = max_y.max(y.max(*cy));
        }
    }
    let margin = 20.0;
    let (dx, dy) = (margin - min_x, margin - min_y);
    let (width, height) = (max_x - min_x + 2.0 * margin, max_y - min_y + 2.0 * margin);

    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\" font-family=\"ui-monospace, SFMono-Regular, Menlo, Consolas, monospace\" font-size=\"{FONT}\">",
        w = width.ceil(),
        h = height.ceil()
    );
    out.push_str(concat!(
        "<defs>\n",
        "<marker id=\"one\" viewBox=\"0 0 12 12\" refX=\"12\" refY=\"6\" markerWidth=\"12\" markerHeight=\"12\" orient=\"auto-start-reverse\" markerUnits=\"userSpaceOnUse\"><path d=\"M4 0 V12 M8 0 V12\" stroke=\"#555\" fill=\"none\"/></marker>\n",
        "<marker id=\"zero-one\" viewBox=\"0 0 16 12\" refX=\"16\" refY=\"6\" markerWidth=\"16\" markerHeight=\"12\" orient=\"auto-start-reverse\" markerUnits=\"userSpaceOnUse\"><circle cx=\"4\" cy=\"6\" r=\"3\" stroke=\"#555\" fill=\"#fff\"/><path d=\"M12 0 V12\" stroke=\"#555\" fill=\"none\"/></marker>\n",
        "<marker id=\"many\" viewBox=\"0 0 16 12\" refX=\"16\" refY=\"6\" markerWidth=\"16\" markerHeight=\"12\" orient=\"auto-start-reverse\" markerUnits=\"userSpaceOnUse\"><circle cx=\"4\" cy=\"6\" r=\"3\" stroke=\"#555\" fill=\"#fff\"/><path d=\"M7 6 L16 0 M7 6 H16 M7 6 L16 12\" stroke=\"#555\" fill=\"none\"/></marker>\n",
        "</defs>\n",
        "<style>.t rect.h{fill:#dde5f0}.t rect{stroke:#4a5a70;fill:#fff}.t .n{font-weight:bold}.t .nn{font-weight:bold}.t .ty{fill:#555}.t .k{fill:#a0522d}path.e{stroke:#555;fill:none;stroke-width:1.3}path.e.d{stroke-dasharray:5 4}</style>\n",
    ));
    out.push_str("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
    edges.edges.sort_by_key(|e| e.0);
    let mut drawn: Vec<(usize, String, bool)> = edges
        .edges
        .iter()
        .filter_map(|(i, path, at_parent)| svg_path(path, dx, dy).map(|d| (*i, d, *at_parent)))
        .collect();
    for i in extra {
        let r = &rels[i];
        let (c, p) = (index[&r.child.name], index[&r.parent.name]);
        let boxed = |k: usize| (rects[k].0 + dx, rects[k].1 + dy, sizes[k].w, sizes[k].h);
        drawn.push((i, straight_edge(boxed(c), boxed(p), c == p), false));
    }
    drawn.sort_by_key(|e| e.0);
    for (i, d, starts_at_parent) in &drawn {
        let r = &rels[*i];
        let parent_marker = match r.parent_side {
            Cardinality::ExactlyOne => "one",
            _ => "zero-one",
        };
        let child_marker = match r.child_side {
            Cardinality::ZeroOrMany => "many",
            _ => "zero-one",
        };
        let (start, end) = if *starts_at_parent {
            (parent_marker, child_marker)
        } else {
            (child_marker, parent_marker)
        };
        let _ = writeln!(
            out,
            "<path class=\"e{}\" d=\"{d}\" marker-start=\"url(#{start})\" marker-end=\"url(#{end})\"><title>{} ({}) → {} ({}): {}</title></path>",
            if r.identifying { "" } else { " d" },
            xml(&r.child.name.to_string()),
            xml(&r.fk.columns.join(", ")),
            xml(&r.parent.name.to_string()),
            xml(&r.fk.ref_columns.join(", ")),
            r.describe()
        );
    }
    for ((t, (x, y)), s) in tables.iter().zip(&rects).zip(&sizes) {
        let (x, y) = (x + dx, y + dy);
        let _ = writeln!(
            out,
            "<g class=\"t\" id=\"{}\"><title>{}</title>",
            xml(&format!("table-{}", t.name)),
            xml(&t.name.to_string())
        );
        let _ = writeln!(
            out,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"3\"/>",
            s.w, s.h
        );
        let _ = writeln!(
            out,
            "<rect class=\"h\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{HEADER_H}\" rx=\"3\"/>",
            s.w
        );
        let _ = writeln!(
            out,
            "<text class=\"n\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            x + PAD,
            y + HEADER_H - 8.0,
            xml(&t.name.to_string())
        );
        for (row, c) in t.columns.iter().enumerate() {
            let base = y + HEADER_H + ROW_H * (row as f64 + 1.0) - 5.0;
            let _ = writeln!(
                out,
                "<text x=\"{:.1}\" y=\"{base:.1}\"><tspan{}>{}</tspan><tspan class=\"ty\" x=\"{:.1}\">{}</tspan><tspan class=\"k\" x=\"{:.1}\">{}</tspan></text>",
                x + PAD,
                if c.nullable { "" } else { " class=\"nn\"" },
                xml(&c.name),
                x + 2.0 * PAD + s.name_w,
                xml(&c.data_type),
                x + 3.0 * PAD + s.name_w + s.type_w,
                markers(t, &c.name).join(",")
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// A path from the child box `(x, y, w, h)` to the parent box, between the facing sides; a table
/// referencing itself gets a loop on its right side.
fn straight_edge(
    child: (f64, f64, f64, f64),
    parent: (f64, f64, f64, f64),
    self_ref: bool,
) -> String {
    let (cx, cy, cw, ch) = child;
    let (px, py, pw, ph) = parent;
    if self_ref {
        let (x, y1, y2) = (cx + cw, cy + ch * 0.35, cy + ch * 0.65);
        return format!(
            "M{x:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x:.1},{y2:.1}",
            x + 40.0,
            x + 40.0
        );
    }
    let (ccx, ccy, pcx, pcy) = (cx + cw / 2.0, cy + ch / 2.0, px + pw / 2.0, py + ph / 2.0);
    let (start, end) = if py + ph <= cy {
        ((ccx, cy), (pcx, py + ph))
    } else if cy + ch <= py {
        ((ccx, cy + ch), (pcx, py))
    } else if pcx < ccx {
        ((cx, ccy), (px + pw, pcy))
    } else {
        ((cx + cw, ccy), (px, pcy))
    };
    format!("M{:.1},{:.1} L{:.1},{:.1}", start.0, start.1, end.0, end.1)
}

/// An SVG path from layout-rs's (point, control) list, as its own SVG backend draws it.
fn svg_path(path: &[(f64, f64, f64, f64)], dx: f64, dy: f64) -> Option<String> {
    if path.len() < 2 {
        return None;
    }
    let p = |v: f64, d: f64| format!("{:.1}", v + d);
    let mut d = format!(
        "M{} {} C{} {}, {} {}, {} {}",
        p(path[0].0, dx),
        p(path[0].1, dy),
        p(path[0].2, dx),
        p(path[0].3, dy),
        p(path[1].0, dx),
        p(path[1].1, dy),
        p(path[1].2, dx),
        p(path[1].3, dy)
    );
    for q in &path[2..] {
        let _ = write!(
            d,
            " S{} {}, {} {}",
            p(q.0, dx),
            p(q.1, dy),
            p(q.2, dx),
            p(q.3, dy)
        );
    }
    Some(d)
}

fn xml(s: &str) -> String {
    html(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("user*", "users"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "ac"));
        assert!(glob_match("*_log*", "audit_log_2024"));
        assert!(!glob_match("users", "users2"));
    }

    #[test]
    fn mermaid_identifiers() {
        assert_eq!(mermaid_ident("sales.orders"), "sales_orders");
        assert_eq!(mermaid_ident("1st"), "_1st");
        assert_eq!(
            mermaid_type("character varying(100)"),
            "character_varying(100)"
        );
        assert_eq!(mermaid_type("numeric(10,2)"), "numeric(10-2)");
        assert_eq!(
            mermaid_type("timestamp with time zone"),
            "timestamp_with_time_zone"
        );
    }
}
