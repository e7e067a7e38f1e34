//! The short text of each object in the changelog: one line, close to its SQL.

use std::fmt::Write as _;
use strata_schema::{
    Check, Column, ForeignKey, Index, Key, Routine, Sequence, Table, UserType, UserTypeKind, View,
};

pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn comment_text(c: &Option<String>) -> String {
    match c {
        Some(c) => format!("comment '{c}'"),
        None => "no comment".into(),
    }
}

pub(super) fn column_text(c: &Column) -> String {
    let mut s = c.data_type.clone();
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        let _ = write!(s, " DEFAULT {d}");
    }
    if let Some(g) = &c.generated {
        let _ = write!(
            s,
            " GENERATED ALWAYS AS ({}){}",
            g.expression,
            if g.stored { " STORED" } else { "" }
        );
    }
    s
}

pub(super) fn column_detail(c: &Column) -> String {
    let mut s = column_text(c);
    if let Some(i) = &c.identity {
        let _ = write!(s, " identity {i:?}");
    }
    if let Some(col) = &c.collation {
        let _ = write!(s, " COLLATE {col}");
    }
    if c.comment.is_some() {
        let _ = write!(s, " {}", comment_text(&c.comment));
    }
    s
}

pub(super) fn table_text(t: &Table) -> String {
    let mut parts: Vec<String> = t
        .columns
        .iter()
        .map(|c| format!("{} {}", c.name, column_text(c)))
        .collect();
    parts.extend(t.primary_key.iter().map(|k| key_text("PRIMARY KEY", k)));
    parts.extend(t.uniques.iter().map(|k| key_text("UNIQUE", k)));
    parts.extend(t.foreign_keys.iter().map(fk_text));
    parts.extend(t.checks.iter().map(check_text));
    parts.extend(t.exclusions.iter().map(|x| one_line(&x.definition)));
    format!("({})", parts.join(", "))
}

pub(super) fn key_text(what: &str, k: &Key) -> String {
    format!("{what} ({})", k.columns.join(", "))
}

pub(super) fn fk_text(fk: &ForeignKey) -> String {
    let mut s = format!(
        "FOREIGN KEY ({}) REFERENCES {} ({})",
        fk.columns.join(", "),
        fk.ref_table,
        fk.ref_columns.join(", ")
    );
    if fk.on_delete != Default::default() {
        let _ = write!(s, " ON DELETE {}", fk.on_delete.sql());
    }
    if fk.on_update != Default::default() {
        let _ = write!(s, " ON UPDATE {}", fk.on_update.sql());
    }
    s.push_str(fk.deferrable.sql());
    // Validating a key is a change of its own (old → new reads NOT VALID → validated).
    if fk.not_valid {
        s.push_str(" NOT VALID");
    }
    s
}

pub(super) fn check_text(c: &Check) -> String {
    format!(
        "CHECK ({}){}",
        one_line(&c.expression),
        if c.not_valid { " NOT VALID" } else { "" }
    )
}

pub(super) fn index_text(i: &Index) -> String {
    let parts: Vec<String> = i
        .parts
        .iter()
        .map(|p| {
            let mut s = p
                .column
                .clone()
                .or_else(|| p.expression.clone())
                .unwrap_or_default();
            if let Some(n) = p.prefix {
                let _ = write!(s, "({n})");
            }
            if p.descending {
                s.push_str(" DESC");
            }
            s
        })
        .collect();
    let mut s = format!(
        "{}({})",
        if i.unique { "UNIQUE " } else { "" },
        parts.join(", ")
    );
    if let Some(m) = &i.method {
        let _ = write!(s, " USING {m}");
    }
    if !i.include.is_empty() {
        let _ = write!(s, " INCLUDE ({})", i.include.join(", "));
    }
    if !i.with.is_empty() {
        let _ = write!(s, " WITH ({})", i.with.join(", "));
    }
    if let Some(p) = &i.predicate {
        let _ = write!(s, " WHERE {}", one_line(p));
    }
    s
}

pub(super) fn type_text(t: &UserType) -> String {
    match &t.kind {
        UserTypeKind::Enum { values } => format!("ENUM ('{}')", values.join("', '")),
        UserTypeKind::Composite { attributes } => format!(
            "({})",
            attributes
                .iter()
                .map(|a| format!("{} {}", a.name, a.data_type))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        UserTypeKind::Domain {
            data_type,
            not_null,
            default,
            checks,
        } => {
            let mut s = format!("DOMAIN {data_type}");
            if *not_null {
                s.push_str(" NOT NULL");
            }
            if let Some(d) = default {
                let _ = write!(s, " DEFAULT {d}");
            }
            for c in checks {
                let _ = write!(s, " {}", check_text(c));
            }
            s
        }
    }
}

pub(super) fn sequence_text(s: &Sequence) -> String {
    format!(
        "{} START {} INCREMENT {} MINVALUE {} MAXVALUE {} CACHE {}{}",
        s.data_type,
        s.start,
        s.increment,
        s.min_value,
        s.max_value,
        s.cache,
        if s.cycle { " CYCLE" } else { "" }
    )
}

pub(super) fn view_text(v: &View) -> String {
    format!(
        "{}{}AS {}",
        if v.materialized { "MATERIALIZED " } else { "" },
        if v.options.is_empty() {
            String::new()
        } else {
            format!("WITH ({}) ", v.options.join(", "))
        },
        one_line(&v.definition)
    )
}

pub(super) fn routine_name(r: &Routine) -> String {
    format!("{}({})", r.name, r.signature)
}
