//! What the lock rules say about the table they lock: how serious the lock is for its size, how
//! to name it in a message, and what the context schema knows about it.

use crate::rule::small_table;
use crate::{Context, LintFile, Severity};
use strata_schema::Table;

/// Error for a lock on a table that may be large, warning when the context says it is small.
pub(super) fn severity(ctx: &Context, table: &str) -> Severity {
    if small_table(ctx, table) {
        Severity::Warning
    } else {
        Severity::Error
    }
}

/// " (table orders has ~12M rows)" when the context knows, else "".
pub(super) fn size(ctx: &Context, table: &str) -> String {
    ctx.describe(table)
        .map(|d| format!(" ({d})"))
        .unwrap_or_default()
}

/// The table called `table` (`name` or `schema.name`, as written) in the context schema.
pub(super) fn schema_table<'c>(ctx: &'c Context, table: &str) -> Option<&'c Table> {
    let schema = ctx.schema.as_ref()?;
    let (ns, name) = match table.rsplit_once('.') {
        Some((ns, name)) => (Some(ns), name),
        None => (None, table),
    };
    let same = |a: &str, b: &str| a == b || a.eq_ignore_ascii_case(b);
    schema.tables.iter().find(|t| {
        same(&t.name.name, name)
            && match (ns, t.name.schema.as_deref()) {
                (None, None) => true,
                (Some(n), None) => same(n, "public"),
                (Some(n), Some(s)) => same(n, s),
                (None, Some(_)) => false,
            }
    })
}

/// The table an index belongs to: from a `CREATE INDEX` earlier in the file, else from the
/// context schema.
pub(super) fn index_table(
    file: &LintFile,
    before: usize,
    ctx: &Context,
    index: &str,
) -> Option<String> {
    let bare = |n: &str| n.rsplit('.').next().unwrap_or(n).to_lowercase();
    let wanted = bare(index);
    let from_file = file.statements[..before.min(file.statements.len())]
        .iter()
        .rev()
        .find_map(|s| {
            let start = if s.starts_with(&["CREATE", "INDEX"]) {
                2
            } else if s.starts_with(&["CREATE", "UNIQUE", "INDEX"]) {
                3
            } else {
                return None;
            };
            let on = s.find("ON")?;
            let mut i = start;
            while i < on
                && matches!(
                    s.word(i).map(|w| w.upper.as_str()),
                    Some("CONCURRENTLY" | "IF" | "NOT" | "EXISTS")
                )
            {
                i += 1;
            }
            let (name, _) = s.name_at(i).filter(|_| i < on)?;
            if bare(&name) != wanted {
                return None;
            }
            let at = if s.word(on + 1).is_some_and(|w| w.upper == "ONLY") {
                on + 2
            } else {
                on + 1
            };
            s.name_at(at).map(|(t, _)| t)
        });
    from_file.or_else(|| {
        ctx.schema.as_ref()?.tables.iter().find_map(|t| {
            t.indexes
                .iter()
                .any(|i| i.name.eq_ignore_ascii_case(&wanted))
                .then(|| t.name.to_string())
        })
    })
}
