//! Dependency order among tables, types, views and triggers.

use super::*;

/// Whether SQL text mentions a table or view name as a word, strings and comments included.
///
/// A plain word scan, not the lexer's `mentions`, on purpose: a routine's body is a string
/// literal (PostgreSQL `$$ ... $$`), where the lexer would hide the names it uses; and where
/// this only orders creations, a name inside a literal costs nothing but a later position.
/// Whether a view must be dropped and recreated uses the lexer (`views.rs`).
pub(super) fn mentions(sql: &str, name: &Name) -> bool {
    let lower = sql.to_lowercase();
    let n = name.name.to_lowercase();
    let bytes = lower.as_bytes();
    let mut start = 0;
    while let Some(i) = lower[start..].find(&n) {
        let at = start + i;
        let end = at + n.len();
        let before_ok = at == 0 || !is_ident_byte(bytes[at - 1]);
        let after_ok = end >= bytes.len() || !is_ident_byte(bytes[end]);
        if before_ok && after_ok {
            return true;
        }
        start = at + 1;
    }
    false
}

pub(super) fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Tables ordered so that a referenced table comes before the tables referencing it
/// (cycles keep their input order).
pub(super) fn order_by_references<'a>(tables: &[&'a Table]) -> Vec<&'a Table> {
    let names: BTreeSet<&Name> = tables.iter().map(|t| &t.name).collect();
    let mut done: BTreeSet<&Name> = BTreeSet::new();
    let mut out = Vec::new();
    let mut remaining: Vec<&Table> = tables.to_vec();
    while !remaining.is_empty() {
        let before = remaining.len();
        remaining.retain(|t| {
            // A table comes after the tables it references, inherits from or partitions.
            let parents = t.attrs.iter().flat_map(|a| match a {
                strata_schema::TableAttr::PgInherits(parents) => parents.iter().collect(),
                strata_schema::TableAttr::PgPartitionOf { parent, .. } => vec![parent],
                _ => Vec::new(),
            });
            let ready = t
                .foreign_keys
                .iter()
                .map(|fk| &fk.ref_table)
                .chain(parents)
                .all(|r| *r == t.name || !names.contains(r) || done.contains(r));
            if ready {
                done.insert(&t.name);
                out.push(*t);
            }
            !ready
        });
        if remaining.len() == before {
            // A cycle: take the first one and go on.
            let t = remaining.remove(0);
            done.insert(&t.name);
            out.push(t);
        }
    }
    out
}

/// Triggers ordered so that one declared to fire after or before another (the dialect's
/// [`Dialect::trigger_anchor`]) is created after it; otherwise in the given order.
pub(super) fn order_triggers<'a>(
    d: &dyn Dialect,
    mut remaining: Vec<&'a Trigger>,
) -> Vec<&'a Trigger> {
    let mut out: Vec<&Trigger> = Vec::new();
    while !remaining.is_empty() {
        let waiting: Vec<String> = remaining.iter().map(|t| t.name.clone()).collect();
        let i = remaining
            .iter()
            .position(|t| {
                d.trigger_anchor(t)
                    .is_none_or(|a| a == t.name || !waiting.contains(&a))
            })
            .unwrap_or(0);
        out.push(remaining.remove(i));
    }
    out
}

/// Types ordered so that a type comes after the types it is built on (a domain over an enum, a
/// composite with a domain attribute).
pub(super) fn order_types(types: &[strata_schema::UserType]) -> Vec<&strata_schema::UserType> {
    order_by_mentions(
        types,
        |t| &t.name,
        |t| match &t.kind {
            strata_schema::UserTypeKind::Enum { .. } => String::new(),
            strata_schema::UserTypeKind::Domain { data_type, .. } => data_type.clone(),
            strata_schema::UserTypeKind::Composite { attributes } => attributes
                .iter()
                .map(|a| a.data_type.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        },
    )
}

/// Views ordered so that a view comes after the views it mentions.
pub(super) fn order_views(views: &[View]) -> Vec<&View> {
    order_by_mentions(views, |v| &v.name, |v| v.definition.clone())
}

/// `items` in passes: each pass takes, in the given order, those whose text mentions none of the
/// items still waiting at the start of the pass; a pass that takes nothing (a cycle) takes the
/// first waiting item.
pub(super) fn order_by_mentions<T>(
    items: &[T],
    name: impl Fn(&T) -> &Name,
    text: impl Fn(&T) -> String,
) -> Vec<&T> {
    let texts: Vec<String> = items.iter().map(text).collect();
    let mut out: Vec<&T> = Vec::new();
    let mut remaining: Vec<usize> = (0..items.len()).collect();
    while !remaining.is_empty() {
        let waiting: Vec<&Name> = remaining.iter().map(|&i| name(&items[i])).collect();
        let before = remaining.len();
        remaining.retain(|&i| {
            let own = name(&items[i]);
            let ready = waiting
                .iter()
                .filter(|n| **n != own)
                .all(|n| !mentions(&texts[i], n));
            if ready {
                out.push(&items[i]);
            }
            !ready
        });
        if remaining.len() == before {
            out.push(&items[remaining.remove(0)]);
        }
    }
    out
}
