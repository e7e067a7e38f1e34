//! The Graphviz DOT of a schema (render with `dot -Tsvg`).

use super::{label, markers, relationships, selected, TableFilter};
use std::fmt::Write as _;
use strata_schema::{Schema, Table};

fn dot_id(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The schema as a Graphviz `digraph` (render with `dot -Tsvg`): HTML-label tables with one
/// row per column (ports `c0`, `c1`, ... so edges attach to the key columns) and crow's-foot
/// edges from each child to its parent.
pub fn dot(schema: &Schema, filter: &TableFilter) -> String {
    let tables = selected(schema, filter);
    let mut out = String::from(
        "digraph erd {\n    graph [rankdir=LR, nodesep=0.5, ranksep=1.2, fontname=\"Helvetica\"];\n    node [shape=plaintext, fontname=\"Helvetica\", fontsize=11];\n    edge [fontname=\"Helvetica\", fontsize=9, dir=both, color=\"#555555\"];\n",
    );
    for t in &tables {
        let _ = write!(
            out,
            "    {} [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n        <tr><td colspan=\"3\" bgcolor=\"#dde5f0\"><b>{}</b></td></tr>\n",
            dot_id(&t.name.to_string()),
            label(&t.name.to_string())
        );
        for (i, c) in t.columns.iter().enumerate() {
            let name = if c.nullable {
                label(&c.name)
            } else {
                format!("<b>{}</b>", label(&c.name))
            };
            let _ = writeln!(
                out,
                "        <tr><td port=\"c{i}\" align=\"left\">{name}</td><td align=\"left\">{}</td><td align=\"left\">{}</td></tr>",
                label(&c.data_type),
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
        let head = r.parent_side.mark(["teetee", "teeodot", "teeodot"]);
        let tail = r.child_side.mark(["teeodot", "teeodot", "crowodot"]);
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
