//! The changelog as Markdown, the form `strata changelog` prints and the docs site shows.

use super::{Entry, Item};
use std::fmt::Write as _;

/// Inline code that survives backticks in the text.
fn code(s: &str) -> String {
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

/// Long definitions (view bodies, routines) are cut in Markdown; JSON keeps them whole.
fn short(s: &str) -> String {
    const MAX: usize = 160;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    }
}

/// The entries as Markdown, one section per migration in the order given.
pub fn markdown(entries: &[Entry]) -> String {
    let mut out = String::from("# Schema changelog\n");
    if entries.is_empty() {
        out.push_str("\nNo migrations yet.\n");
    }
    for e in entries {
        let _ = writeln!(out, "\n## {} {}\n", e.version, e.name);
        if e.is_empty() {
            out.push_str("No schema changes (data or settings only).\n");
        }
        let list = |title: &str, items: &[Item], out: &mut String| {
            if items.is_empty() {
                return;
            }
            let _ = writeln!(out, "**{title}**\n");
            for i in items {
                let _ = write!(out, "- {} {}", i.kind.word(), code(&i.name));
                if !i.definition.is_empty() {
                    let _ = write!(out, ": {}", code(&short(&i.definition)));
                }
                out.push('\n');
            }
            out.push('\n');
        };
        list("Added", &e.added, &mut out);
        if !e.modified.is_empty() {
            out.push_str("**Modified**\n\n");
            for m in &e.modified {
                let _ = writeln!(
                    out,
                    "- {} {}: {} → {}",
                    m.kind.word(),
                    code(&m.name),
                    code(&short(&m.old)),
                    code(&short(&m.new))
                );
            }
            out.push('\n');
        }
        list("Dropped", &e.dropped, &mut out);
        if !e.destructive.is_empty() {
            out.push_str("**Destructive** (data can be lost)\n\n");
            for d in &e.destructive {
                let _ = writeln!(out, "- ⚠️ {d}");
            }
            out.push('\n');
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
    }
    out
}
