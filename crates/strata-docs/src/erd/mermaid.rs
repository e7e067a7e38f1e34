//! The Mermaid `erDiagram` of a schema (renders on GitHub and GitLab).

use super::{markers, relationships, selected, TableFilter};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use strata_schema::{Name, Schema, Table};

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
pub fn mermaid(schema: &Schema, filter: &TableFilter) -> String {
    let tables = selected(schema, filter);
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
        let left = r.parent_side.mark(["||", "|o", "|o"]);
        let right = r.child_side.mark(["o|", "o|", "o{"]);
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

#[cfg(test)]
mod tests {
    use super::*;

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
