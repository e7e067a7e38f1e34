use super::rebuild::foreign_keys_off_at;
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER TABLE` forms SQLite refuses. SQLite only knows `RENAME TO`, `RENAME COLUMN`, `ADD
/// COLUMN` and `DROP COLUMN`, one per statement: `ALTER COLUMN`, `MODIFY`, `ADD CONSTRAINT`,
/// `DROP CONSTRAINT` and comma-separated changes are syntax errors. `ADD COLUMN` refuses a
/// `PRIMARY KEY` or `UNIQUE` column, and on a table with rows also `NOT NULL` without a default,
/// a non-constant default (`CURRENT_TIMESTAMP`, a function call in parentheses), a `STORED`
/// generated column, and a `REFERENCES` column with a non-NULL default while foreign keys are on.
/// With the schema before the migration, `DROP COLUMN` of a primary-key, unique, indexed or
/// foreign-key column is found too.
///
/// ## Why is this bad?
/// The migration fails when it runs, usually in production first, where the table has rows.
///
/// ## Example
/// ```sql
/// ALTER TABLE users ALTER COLUMN email SET NOT NULL;
/// ALTER TABLE users ADD COLUMN created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP;
/// ```
///
/// ## Use instead
/// Rebuild the table (create the new shape, copy the rows, drop the old table, rename the new
/// one), or let `strata plan` write the rebuild from the schema file. For a new column, a
/// constant default works:
/// ```sql
/// ALTER TABLE users ADD COLUMN created_at TEXT NOT NULL DEFAULT '1970-01-01 00:00:00';
/// ```
pub struct AlterUnsupportedBySqlite;

const HELP: &str = "write the rebuild (create the new table, copy the rows, drop the old one, rename the new one), or let `strata plan` write it from the schema file";

impl Rule for AlterUnsupportedBySqlite {
    fn code(&self) -> &'static str {
        "SL003"
    }
    fn name(&self) -> &'static str {
        "alter-unsupported-by-sqlite"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Sqlite]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        if !stmt.starts_with(&["ALTER", "TABLE"]) {
            return;
        }
        let Some((table, at)) = stmt.name_at(2) else {
            return;
        };
        let w = |k: usize| stmt.word(k).map_or("", |w| w.upper.as_str());
        let mut report = |from: usize, to: usize, message: String| {
            out.report_words(stmt, from, to, Severity::Error, message, Some(HELP.into()));
        };
        if let Some(comma) =
            top_level_comma(stmt, stmt.words[at - 1].offset + stmt.words[at - 1].len)
        {
            let next = stmt
                .words
                .iter()
                .position(|x| x.offset > comma)
                .unwrap_or(stmt.words.len());
            report(next, next, "SQLite makes one change per ALTER TABLE: the comma-separated changes are a syntax error".into());
            return;
        }
        match w(at) {
            "RENAME" => {}
            "ADD" => {
                let col = if w(at + 1) == "COLUMN" {
                    at + 2
                } else {
                    at + 1
                };
                if matches!(
                    w(col),
                    "CONSTRAINT" | "PRIMARY" | "UNIQUE" | "FOREIGN" | "CHECK"
                ) {
                    report(
                        at,
                        col,
                        format!("SQLite cannot add a constraint to an existing table ({table})"),
                    );
                    return;
                }
                let Some(name) = stmt.word(col) else { return };
                self.add_column(file, stmt, ctx, &table, col, &name.text, &mut report);
            }
            "DROP" => {
                let col = if w(at + 1) == "COLUMN" {
                    at + 2
                } else {
                    at + 1
                };
                if matches!(
                    w(col),
                    "CONSTRAINT" | "PRIMARY" | "FOREIGN" | "INDEX" | "DEFAULT"
                ) {
                    report(at, col, format!("SQLite cannot drop a constraint from {table}: ALTER TABLE only drops columns"));
                    return;
                }
                if let Some(name) = stmt.word(col) {
                    if let Some(why) = undroppable(ctx, &table, &name.text) {
                        report(
                            at,
                            col,
                            format!("SQLite cannot drop {table}.{}: it is {why}", name.text),
                        );
                    }
                }
            }
            other => {
                let end = if other == "ALTER" && w(at + 1) == "COLUMN" {
                    at + 1
                } else {
                    at
                };
                let form: Vec<&str> = (at..=end).map(w).collect();
                report(at, end, format!("SQLite's ALTER TABLE has no {} ({table}): it only renames the table and adds, renames or drops a column", form.join(" ")));
            }
        }
    }
}

impl AlterUnsupportedBySqlite {
    #[allow(clippy::too_many_arguments)]
    fn add_column(
        &self,
        file: &LintFile,
        stmt: &Statement,
        ctx: &Context,
        table: &str,
        col: usize,
        name: &str,
        report: &mut dyn FnMut(usize, usize, String),
    ) {
        let w = |k: usize| stmt.word(k).map_or("", |w| w.upper.as_str());
        let n = stmt.words.len();
        let find = |a: &str, b: Option<&str>| {
            (col + 1..n).find(|&k| w(k) == a && b.is_none_or(|b| w(k + 1) == b))
        };
        if let Some(k) = find("PRIMARY", Some("KEY")).or_else(|| find("UNIQUE", None)) {
            let end = if w(k) == "PRIMARY" { k + 1 } else { k };
            report(
                k,
                end,
                format!(
                    "SQLite cannot add a {} column ({table}.{name})",
                    if w(k) == "PRIMARY" {
                        "PRIMARY KEY"
                    } else {
                        "UNIQUE"
                    }
                ),
            );
            return;
        }
        // The rest fails only when the table has rows.
        let rows = ctx.table(table).map(|f| f.rows);
        if file.created_here(table, stmt.index) || rows == Some(0) {
            return;
        }
        let when = match rows {
            Some(r) => format!("{table} has ~{} rows", crate::context::human_count(r)),
            None => format!("it fails if {table} has rows"),
        };
        let default = find("DEFAULT", None);
        if let (Some(k), None) = (find("NOT", Some("NULL")), default) {
            report(k, k + 1, format!("SQLite cannot add the NOT NULL column {table}.{name} without a default: {when}"));
        }
        if let Some(d) = default {
            if !constant_default(stmt, d) {
                report(
                    d,
                    d + 1,
                    format!("SQLite cannot add {table}.{name} with a non-constant default: {when}"),
                );
            } else if find("REFERENCES", None).is_some()
                && w(d + 1) != "NULL"
                && !foreign_keys_off_at(file, stmt.index)
            {
                report(d, d + 1, format!("SQLite cannot add the REFERENCES column {table}.{name} with a non-NULL default while foreign keys are on: {when}"));
            }
        }
        if let Some(k) = find("STORED", None) {
            report(k, k, format!("SQLite cannot add the STORED generated column {table}.{name} (VIRTUAL works): {when}"));
        }
    }
}

/// Whether the default after word `d` is a constant: a literal, or parentheses around literals.
fn constant_default(stmt: &Statement, d: usize) -> bool {
    let after = stmt.words[d].offset + stmt.words[d].len;
    let rest = stmt.sql[after..].trim_start();
    if let Some(inner) = rest.strip_prefix('(') {
        let open = stmt.sql.len() - inner.len() - 1;
        let close = matching_paren(stmt, open);
        return stmt
            .words
            .iter()
            .filter(|x| x.offset > open && x.offset < close)
            .all(|x| matches!(x.upper.as_str(), "NULL" | "TRUE" | "FALSE"));
    }
    !stmt.word(d + 1).is_some_and(|x| {
        matches!(
            x.upper.as_str(),
            "CURRENT_TIMESTAMP" | "CURRENT_DATE" | "CURRENT_TIME"
        )
    })
}

/// Byte offset of the parenthesis closing the one at `open` (outside strings and quoted names).
fn matching_paren(stmt: &Statement, open: usize) -> usize {
    let b = stmt.sql.as_bytes();
    let mut depth = 0;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            q @ (b'\'' | b'"' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// Byte offset of the first comma after `start` outside parentheses, strings and comments.
fn top_level_comma(stmt: &Statement, start: usize) -> Option<usize> {
    let b = stmt.sql.as_bytes();
    let mut depth = 0;
    let mut i = start;
    while i < b.len() {
        match b[i] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b',' if depth == 0 => return Some(i),
            q @ (b'\'' | b'"' | b'`' | b'[') => {
                let close = if q == b'[' { b']' } else { q };
                i += 1;
                while i < b.len() && b[i] != close {
                    i += 1;
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = stmt.sql[i + 2..]
                    .find("*/")
                    .map_or(b.len(), |e| i + 2 + e + 1);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Why SQLite refuses to drop `column` of `table`, from the schema before the migration.
fn undroppable(ctx: &Context, table: &str, column: &str) -> Option<&'static str> {
    let bare = table.rsplit('.').next().unwrap_or(table);
    let t = ctx
        .schema
        .as_ref()?
        .tables
        .iter()
        .find(|t| t.name.name.eq_ignore_ascii_case(bare))?;
    let is = |c: &String| c.eq_ignore_ascii_case(column);
    if t.primary_key
        .as_ref()
        .is_some_and(|k| k.columns.iter().any(is))
    {
        Some("part of the primary key")
    } else if t.uniques.iter().any(|k| k.columns.iter().any(is)) {
        Some("part of a UNIQUE constraint")
    } else if t
        .indexes
        .iter()
        .any(|i| i.parts.iter().any(|p| p.column.as_ref().is_some_and(is)))
    {
        Some("indexed (drop the index first)")
    } else if t.foreign_keys.iter().any(|f| f.columns.iter().any(is)) {
        Some("part of a foreign key")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, check_with};
    use strata_schema::{Column, Index, IndexPart, Name, Schema, Table};

    #[test]
    fn finds_refused_alters() {
        insta::assert_snapshot!(check(
            &AlterUnsupportedBySqlite,
            Engine::Sqlite,
            "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\nALTER TABLE users ADD CONSTRAINT users_email UNIQUE (email);\nALTER TABLE users DROP CONSTRAINT users_email;\nALTER TABLE users ADD COLUMN a INT, ADD COLUMN b INT;\nALTER TABLE users ADD COLUMN code TEXT UNIQUE;\nALTER TABLE users ADD COLUMN created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP;\nALTER TABLE users ADD COLUMN plan TEXT NOT NULL;\nALTER TABLE users ADD COLUMN slug TEXT DEFAULT (lower(name));\nALTER TABLE users ADD COLUMN team_id INTEGER REFERENCES teams (id) DEFAULT 1;"
        ));
        let mut t = Table::new(Name::new("users"));
        t.columns = vec![Column::new("id", "INTEGER"), Column::new("email", "TEXT")];
        t.indexes.push(Index {
            name: "users_email".into(),
            unique: false,
            parts: vec![IndexPart::column("email")],
            predicate: None,
            method: None,
            include: vec![],
            nulls_not_distinct: false,
            with: Vec::new(),
            comment: None,
        });
        let ctx = Context {
            schema: Some(Schema {
                tables: vec![t],
                ..Schema::default()
            }),
            ..Context::default()
        };
        insta::assert_snapshot!(
            "drop_indexed_column",
            check_with(
                &AlterUnsupportedBySqlite,
                Engine::Sqlite,
                "ALTER TABLE users DROP COLUMN email;",
                &ctx
            )
        );
    }

    #[test]
    fn does_not_find_supported_alters() {
        insta::assert_snapshot!(check(
            &AlterUnsupportedBySqlite,
            Engine::Sqlite,
            "ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'free';\nALTER TABLE users ADD COLUMN score INTEGER DEFAULT (-1) CHECK (score >= 0);\nALTER TABLE users ADD full_name TEXT GENERATED ALWAYS AS (first || ' ' || last) VIRTUAL;\nALTER TABLE users RENAME COLUMN name TO display_name;\nALTER TABLE users DROP COLUMN legacy;\nALTER TABLE users RENAME TO accounts;\nCREATE TABLE t (id INTEGER PRIMARY KEY);\nALTER TABLE t ADD COLUMN created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP;"
        ), @"no findings");
    }
}
