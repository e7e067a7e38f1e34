//! The SVG ERD: strata draws the table boxes and edges at the places `layout` found.

use super::layout::{layout, Layout, FONT, HEADER_H, PAD, ROW_H};
use super::{label, markers, relationships, selected, TableFilter};
use std::fmt::Write as _;
use strata_schema::Schema;

/// The schema as a self-contained SVG: one box per table listing its columns with types and
/// `PK`/`FK`/`UK` markers (`NOT NULL` columns in bold), and a curve per foreign key from the
/// child to the parent, with crow's-foot ends for the cardinality. Laid out by layout-rs.
pub fn svg(schema: &Schema, filter: &TableFilter) -> String {
    let tables = selected(schema, filter);
    let rels = relationships(&tables);
    if tables.is_empty() {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"240\" height=\"40\" viewBox=\"0 0 240 40\"><text x=\"10\" y=\"25\" font-family=\"monospace\" font-size=\"12\">no tables to show</text></svg>\n".to_string();
    }
    let Layout {
        width,
        height,
        corners,
        sizes,
        edges,
    } = layout(&tables, &rels);
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
    for (i, d, starts_at_parent) in &edges {
        let r = &rels[*i];
        let parent_marker = r.parent_side.mark(["one", "zero-one", "zero-one"]);
        let child_marker = r.child_side.mark(["zero-one", "zero-one", "many"]);
        let (start, end) = if *starts_at_parent {
            (parent_marker, child_marker)
        } else {
            (child_marker, parent_marker)
        };
        let _ = writeln!(
            out,
            "<path class=\"e{}\" d=\"{d}\" marker-start=\"url(#{start})\" marker-end=\"url(#{end})\"><title>{} ({}) → {} ({}): {}</title></path>",
            if r.identifying { "" } else { " d" },
            label(&r.child.name.to_string()),
            label(&r.fk.columns.join(", ")),
            label(&r.parent.name.to_string()),
            label(&r.fk.ref_columns.join(", ")),
            r.describe()
        );
    }
    for ((t, &(x, y)), s) in tables.iter().zip(&corners).zip(&sizes) {
        let _ = writeln!(
            out,
            "<g class=\"t\" id=\"{}\"><title>{}</title>",
            label(&format!("table-{}", t.name)),
            label(&t.name.to_string())
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
            label(&t.name.to_string())
        );
        for (row, c) in t.columns.iter().enumerate() {
            let base = y + HEADER_H + ROW_H * (row as f64 + 1.0) - 5.0;
            let _ = writeln!(
                out,
                "<text x=\"{:.1}\" y=\"{base:.1}\"><tspan{}>{}</tspan><tspan class=\"ty\" x=\"{:.1}\">{}</tspan><tspan class=\"k\" x=\"{:.1}\">{}</tspan></text>",
                x + PAD,
                if c.nullable { "" } else { " class=\"nn\"" },
                label(&c.name),
                x + 2.0 * PAD + s.name_w,
                label(&c.data_type),
                x + 3.0 * PAD + s.name_w + s.type_w,
                markers(t, &c.name).join(",")
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}
