//! `-- strata:renamed-from OLD` hints in schema files: at the end of a column's (or a table's
//! `CREATE TABLE`) line, or alone on the line just above it.

use crate::sqlite::ddl_text::ident;
use strata_migrate::split::split;
use strata_schema::{Engine, Schema};

/// One rename hint: the table (as written), the column when it is a column hint, and the old name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameHint {
    /// The table's name without its schema, unquoted, as the `CREATE TABLE` writes it.
    pub table: String,
    /// The column the hint is on; `None` for a table hint.
    pub column: Option<String>,
    /// The old name of the table or column, unquoted.
    pub old: String,
    /// 1-based line of the hint, for messages.
    pub line: usize,
}

const MARK: &str = "strata:renamed-from";

fn hint_in(line: &str) -> Option<String> {
    let at = line.find("--")?;
    let comment = line[at + 2..].trim();
    let rest = comment.strip_prefix(MARK)?;
    let old = rest.trim();
    ident(old).map(|(n, _)| n).filter(|n| !n.is_empty())
}

/// Reads the rename hints of a schema file.
pub fn read_hints(text: &str, engine: Engine) -> Vec<RenameHint> {
    let mut out = Vec::new();
    for stmt in split(text, engine) {
        let upper = stmt.sql.to_ascii_uppercase();
        let words: Vec<&str> = upper.split_whitespace().take(6).collect();
        let Some(pos) = words.iter().position(|w| *w == "TABLE") else {
            continue;
        };
        if words.first() != Some(&"CREATE") {
            continue;
        }
        // The table name follows TABLE [IF NOT EXISTS].
        let mut rest = stmt.sql.as_str();
        for _ in 0..=pos {
            rest = rest.trim_start();
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            rest = &rest[end..];
        }
        let trimmed = rest.trim_start();
        if trimmed.to_ascii_uppercase().starts_with("IF NOT EXISTS") {
            rest = &trimmed["IF NOT EXISTS".len()..];
        }
        let Some((first, after)) = ident(rest) else {
            continue;
        };
        let table = match after.strip_prefix('.').and_then(ident) {
            Some((second, _)) => second,
            None => first,
        };
        // Lines of the statement as they are in the file (the splitter starts at its first token).
        let lines: Vec<&str> = text.lines().collect();
        let start = stmt.line - 1;
        let count = stmt.sql.lines().count();
        let end = (start + count).min(lines.len());
        let mut pending: Option<(String, usize)> = None;
        // A hint on the line above `CREATE TABLE` belongs to the table.
        if start > 0 {
            if let Some(old) = hint_in(lines[start - 1])
                .filter(|_| lines[start - 1].trim_start().starts_with("--"))
            {
                out.push(RenameHint {
                    table: table.clone(),
                    column: None,
                    old,
                    line: start,
                });
            }
        }
        for (i, line) in lines.iter().enumerate().take(end).skip(start) {
            let code = line.split("--").next().unwrap_or("").trim();
            if code.is_empty() {
                if let Some(old) = hint_in(line) {
                    pending = Some((old, i + 1));
                }
                continue;
            }
            let hint = hint_in(line).map(|o| (o, i + 1)).or(pending.take());
            let Some((old, hint_line)) = hint else {
                continue;
            };
            if i == start || code.to_ascii_uppercase().starts_with("CREATE") {
                out.push(RenameHint {
                    table: table.clone(),
                    column: None,
                    old,
                    line: hint_line,
                });
                continue;
            }
            let code = code.trim_start_matches(['(', ',']).trim_start();
            let Some((col, _)) = ident(code) else {
                continue;
            };
            let keyword = [
                "CONSTRAINT",
                "PRIMARY",
                "UNIQUE",
                "CHECK",
                "FOREIGN",
                "KEY",
                "INDEX",
            ]
            .iter()
            .any(|k| col.eq_ignore_ascii_case(k));
            if !keyword {
                out.push(RenameHint {
                    table: table.clone(),
                    column: Some(col),
                    old,
                    line: hint_line,
                });
            }
        }
    }
    out
}

/// Sets `renamed_from` on the tables and columns of `schema` that the hints name
/// (names compared case-insensitively: the hint is written as the user wrote the DDL).
pub fn apply_hints(schema: &mut Schema, hints: &[RenameHint]) {
    for h in hints {
        let Some(t) = schema
            .tables
            .iter_mut()
            .find(|t| t.name.name.eq_ignore_ascii_case(&h.table))
        else {
            continue;
        };
        let folded = |old: &str, actual: &str| {
            // Keep the old name in the case the engine stored the new one.
            if actual.chars().all(|c| !c.is_uppercase()) {
                old.to_lowercase()
            } else {
                old.to_string()
            }
        };
        match &h.column {
            None => t.renamed_from = Some(folded(&h.old, &t.name.name)),
            Some(col) => {
                if let Some(c) = t
                    .columns
                    .iter_mut()
                    .find(|c| c.name.eq_ignore_ascii_case(col))
                {
                    c.renamed_from = Some(folded(&h.old, &c.name));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_table_and_column_hints() {
        let sql = "-- strata:renamed-from people\nCREATE TABLE persons (\n    id integer PRIMARY KEY,\n    full_name text, -- strata:renamed-from name\n    -- strata:renamed-from mail\n    email text\n);\nCREATE TABLE other (x int); -- strata:renamed-from nothing_here_is_column\n";
        let hints = read_hints(sql, Engine::Sqlite);
        assert_eq!(
            hints
                .iter()
                .map(|h| (h.table.as_str(), h.column.as_deref(), h.old.as_str()))
                .collect::<Vec<_>>(),
            vec![
                ("persons", None, "people"),
                ("persons", Some("full_name"), "name"),
                ("persons", Some("email"), "mail"),
                ("other", None, "nothing_here_is_column"),
            ]
        );
    }
}
