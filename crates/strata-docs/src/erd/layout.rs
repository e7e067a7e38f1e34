//! Where the SVG ERD's boxes and edges go: box sizes from monospace metrics, positions from
//! layout-rs (rank assignment, crossing reduction, edge routing), the rest drawn straight.

use super::{markers, Relationship};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use strata_schema::{Name, Table};

/// Monospace metrics: widths are estimated from character counts, so the text must be monospace.
pub(super) const FONT: f64 = 12.0;
const CHAR_W: f64 = 7.3;
pub(super) const HEADER_H: f64 = 24.0;
pub(super) const ROW_H: f64 = 18.0;
pub(super) const PAD: f64 = 8.0;

/// A table's box: its size and the widths of its name and type columns.
pub(super) struct BoxSize {
    pub w: f64,
    pub h: f64,
    pub name_w: f64,
    pub type_w: f64,
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

/// The laid-out diagram, shifted so that everything starts at a margin.
pub(super) struct Layout {
    pub width: f64,
    pub height: f64,
    /// Top-left corner of each table's box, in the order of the tables.
    pub corners: Vec<(f64, f64)>,
    pub sizes: Vec<BoxSize>,
    /// (relationship index, SVG path, whether the path starts at the parent), by index.
    pub edges: Vec<(usize, String, bool)>,
}

/// Lays out `tables` and the relationships `rels` between them.
pub(super) fn layout(tables: &[&Table], rels: &[Relationship]) -> Layout {
    use layout::core::base::Orientation;
    use layout::core::geometry::Point;
    use layout::core::style::StyleAttr;
    use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
    use layout::topo::layout::VisualGraph;

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
    Layout {
        width,
        height,
        corners: rects.iter().map(|(x, y)| (x + dx, y + dy)).collect(),
        sizes,
        edges: drawn,
    }
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
