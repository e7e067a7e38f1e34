//! Descriptions written as `--` comments in schema files.
//!
//! SQLite has no `COMMENT ON`, and many teams document PostgreSQL and MySQL schemas in the file
//! rather than the catalog, so the docs also read plain comments:
//!
//! ```sql
//! -- Everyone who can sign in.           <- the table's description
//! CREATE TABLE users (
//!     -- Lower-cased, unique.              <- the column's description
//!     email TEXT NOT NULL,
//!     name TEXT NOT NULL -- shown on posts  <- a trailing comment works too
//! );
//! ```
//!
//! Rules: comment lines directly above a column (no blank line between) describe it; otherwise a
//! trailing comment on the column's line does. Comment lines directly above `CREATE TABLE`
//! describe the table, except the block a file starts with (a file header). `strata:` directives
//! are never descriptions. A catalog comment (`COMMENT ON`, MySQL `COMMENT '...'`) wins over a
//! file comment: it is what the database itself says.

use std::collections::HashMap;
use strata_schema::split::split;
use strata_schema::{Engine, Name, Schema};

/// Table and column descriptions read from schema files, keyed by lower-cased names as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Descriptions {
    /// `(schema, table)` → description.
    pub tables: HashMap<(Option<String>, String), String>,
    /// `(schema, table, column)` → description.
    pub columns: HashMap<(Option<String>, String, String), String>,
}

impl Descriptions {
    /// Reads the descriptions of one schema file and adds them.
    pub fn read(&mut self, text: &str, engine: Engine) {
        let lines: Vec<&str> = text.lines().collect();
        for stmt in split(text, engine) {
            let Some(table) = create_table_name(&stmt.sql) else {
                continue;
            };
            let start = stmt.line.saturating_sub(1);
            // Comment lines directly above the statement.
            let mut above = Vec::new();
            let mut i = start;
            while i > 0 && comment_only(lines[i - 1]).is_some() {
                i -= 1;
            }
            if i > 0 || start == 0 {
                for line in &lines[i..start] {
                    above.extend(comment_only(line).and_then(description));
                }
            }
            if !above.is_empty() {
                self.tables.insert(table.clone(), above.join(" "));
            }
            let count = stmt.sql.lines().count().max(1);
            let end = (start + count).min(lines.len());
            self.read_columns(&table, &lines[start..end]);
        }
    }

    fn read_columns(&mut self, table: &(Option<String>, String), lines: &[&str]) {
        let mut depth = 0i32;
        // True when the next code at depth 1 starts a column or constraint.
        let mut item_start = false;
        let mut pending: Vec<String> = Vec::new();
        for line in lines {
            let (code, comment) = split_comment(line);
            let code = code.trim();
            if code.is_empty() {
                match comment {
                    Some(c) => pending.extend(description(c)),
                    None => pending.clear(),
                }
                continue;
            }
            if depth == 1 && item_start {
                if let Some(col) = first_ident(code).filter(|w| !is_constraint_word(w)) {
                    let text = if pending.is_empty() {
                        comment.and_then(description)
                    } else {
                        Some(pending.join(" "))
                    };
                    if let Some(text) = text {
                        self.columns
                            .insert((table.0.clone(), table.1.clone(), col.to_lowercase()), text);
                    }
                }
            }
            pending.clear();
            for (_, ch) in unquoted(code) {
                match ch {
                    '(' => {
                        depth += 1;
                        if depth == 1 {
                            item_start = true;
                            continue;
                        }
                    }
                    ')' => depth -= 1,
                    ',' if depth == 1 => {
                        item_start = true;
                        continue;
                    }
                    c if c.is_whitespace() => continue,
                    _ => {}
                }
                if depth >= 1 {
                    item_start = false;
                }
            }
        }
    }

    /// Fills the `comment` of tables and columns that have none from these descriptions.
    pub fn apply(&self, schema: &mut Schema) {
        if self.tables.is_empty() && self.columns.is_empty() {
            return;
        }
        for t in &mut schema.tables {
            if t.comment.is_none() {
                t.comment = lookup(&self.tables, &t.name, |s, n| (s, n)).cloned();
            }
            for c in &mut t.columns {
                if c.comment.is_none() {
                    let col = c.name.to_lowercase();
                    c.comment = lookup(&self.columns, &t.name, |s, n| (s, n, col.clone())).cloned();
                }
            }
        }
    }
}

/// Looks `name` up: as the catalog names it, then unqualified (a file that does not say the
/// schema), then as `public.` / `main.` / `dbo.` (a file that spells out the default schema).
fn lookup<'a, K: std::hash::Hash + Eq>(
    map: &'a HashMap<K, String>,
    name: &Name,
    key: impl Fn(Option<String>, String) -> K,
) -> Option<&'a String> {
    let n = name.name.to_lowercase();
    let s = name.schema.as_ref().map(|s| s.to_lowercase());
    let mut candidates = vec![s.clone()];
    match s {
        Some(_) => candidates.push(None),
        None => candidates.extend(["public", "main", "dbo"].map(|d| Some(d.to_string()))),
    }
    candidates
        .into_iter()
        .find_map(|s| map.get(&key(s, n.clone())))
}

/// The comment text of a line that holds only a comment.
fn comment_only(line: &str) -> Option<&str> {
    line.trim_start().strip_prefix("--")
}

/// A comment's text as a description: trimmed, not empty, not a `strata:` directive.
fn description(comment: &str) -> Option<String> {
    let text = comment.trim_start_matches('-').trim();
    if text.is_empty() || text.starts_with("strata:") {
        return None;
    }
    Some(text.to_string())
}

/// The characters of `code` outside quoted strings and identifiers (`'...'`, `"..."`,
/// `` `...` ``) with their byte offsets: an opening quote is included, what it quotes and its
/// closing quote are not.
fn unquoted(code: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut quote: Option<char> = None;
    code.char_indices().filter(move |&(_, ch)| match quote {
        Some(q) => {
            if ch == q {
                quote = None;
            }
            false
        }
        None => {
            if matches!(ch, '\'' | '"' | '`') {
                quote = Some(ch);
            }
            true
        }
    })
}

/// Splits a line into code and the text after `--` (outside quotes).
fn split_comment(line: &str) -> (&str, Option<&str>) {
    let bytes = line.as_bytes();
    for (i, ch) in unquoted(line) {
        if ch == '-' && bytes.get(i + 1) == Some(&b'-') {
            return (&line[..i], Some(&line[i + 2..]));
        }
    }
    (line, None)
}

fn is_constraint_word(w: &str) -> bool {
    [
        "CONSTRAINT",
        "PRIMARY",
        "UNIQUE",
        "CHECK",
        "FOREIGN",
        "KEY",
        "INDEX",
        "EXCLUDE",
        "LIKE",
        "FULLTEXT",
        "SPATIAL",
        "PERIOD",
    ]
    .iter()
    .any(|k| w.eq_ignore_ascii_case(k))
}

/// The identifier a piece of code starts with, unquoted.
fn first_ident(code: &str) -> Option<String> {
    ident(code).map(|(n, _)| n)
}

/// Reads one identifier (bare, "quoted", `quoted` or [quoted]); returns it and the rest.
fn ident(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start();
    let mut chars = s.char_indices();
    let (_, first) = chars.next()?;
    let close = match first {
        '"' => Some('"'),
        '`' => Some('`'),
        '[' => Some(']'),
        _ => None,
    };
    if let Some(close) = close {
        let mut out = String::new();
        let body = &s[1..];
        let mut it = body.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            if c == close {
                if it.peek().map(|(_, n)| *n) == Some(close) && close != ']' {
                    out.push(c);
                    it.next();
                    continue;
                }
                return Some((out, &body[i + 1..]));
            }
            out.push(c);
        }
        return None;
    }
    if !(first.is_alphabetic() || first == '_') {
        return None;
    }
    let end = s
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '$'))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    Some((s[..end].to_string(), &s[end..]))
}

/// The `(schema, table)` a `CREATE ... TABLE` statement creates, lower-cased.
fn create_table_name(sql: &str) -> Option<(Option<String>, String)> {
    let mut rest = sql.trim_start();
    let (word, r) = ident(rest)?;
    if !word.eq_ignore_ascii_case("CREATE") {
        return None;
    }
    rest = r;
    // CREATE [OR REPLACE] [GLOBAL|LOCAL] [TEMP|TEMPORARY|UNLOGGED] TABLE [IF NOT EXISTS] name
    for _ in 0..5 {
        let (word, r) = ident(rest)?;
        rest = r;
        if word.eq_ignore_ascii_case("TABLE") {
            let t = rest.trim_start();
            if t.len() >= 13 && t[..13].eq_ignore_ascii_case("IF NOT EXISTS") {
                rest = &t[13..];
            }
            let (first, after) = ident(rest)?;
            return Some(match after.strip_prefix('.').and_then(ident) {
                Some((second, _)) => (Some(first.to_lowercase()), second.to_lowercase()),
                None => (None, first.to_lowercase()),
            });
        }
        let known = [
            "OR",
            "REPLACE",
            "GLOBAL",
            "LOCAL",
            "TEMP",
            "TEMPORARY",
            "UNLOGGED",
            "VIRTUAL",
        ];
        if !known.iter().any(|k| word.eq_ignore_ascii_case(k)) {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_schema::{Column, Table};

    const FILE: &str = "\
-- The blog's schema (a file header, not a description).
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    -- Where we send the newsletter.
    -- Lower-cased on write.
    email TEXT NOT NULL,

    -- strata:renamed-from name
    display_name TEXT NOT NULL, -- shown on posts
    bio TEXT, -- free text, 'with -- dashes'
    CONSTRAINT -- not a column
      users_email UNIQUE (email),
    \"Quoted Col\" TEXT -- quoted
);

-- A post; drafts have no published_at.
CREATE TABLE IF NOT EXISTS app.posts (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL
        -- not the description of a column: inside a definition
        REFERENCES users (id),
    -- When it went public.
    published_at TEXT CHECK (published_at IS NULL
        OR published_at > '2000'),
    -- Body, markdown.
    body TEXT
);
";

    fn read() -> Descriptions {
        let mut d = Descriptions::default();
        d.read(FILE, Engine::Sqlite);
        d
    }

    #[test]
    fn reads_table_and_column_comments() {
        let d = read();
        let col = |t: &str, c: &str, s: Option<&str>| {
            d.columns
                .get(&(s.map(str::to_string), t.to_string(), c.to_string()))
                .cloned()
        };
        assert_eq!(d.tables.get(&(None, "users".into())), None, "file header");
        assert_eq!(
            d.tables.get(&(Some("app".into()), "posts".into())).unwrap(),
            "A post; drafts have no published_at."
        );
        assert_eq!(col("users", "id", None), None);
        assert_eq!(
            col("users", "email", None).unwrap(),
            "Where we send the newsletter. Lower-cased on write."
        );
        assert_eq!(
            col("users", "display_name", None).unwrap(),
            "shown on posts"
        );
        assert_eq!(
            col("users", "bio", None).unwrap(),
            "free text, 'with -- dashes'"
        );
        assert_eq!(col("users", "quoted col", None).unwrap(), "quoted");
        assert_eq!(col("users", "constraint", None), None);
        assert_eq!(col("posts", "author_id", Some("app")), None);
        assert_eq!(
            col("posts", "published_at", Some("app")).unwrap(),
            "When it went public."
        );
        assert_eq!(
            col("posts", "body", Some("app")).unwrap(),
            "Body, markdown."
        );
        assert_eq!(d.columns.len(), 6, "{:?}", d.columns);
    }

    #[test]
    fn catalog_comments_win() {
        let d = read();
        let mut users = Table::new(Name::new("users"));
        let mut email = Column::new("email", "TEXT");
        email.comment = Some("from the catalog".into());
        users.columns = vec![email, Column::new("display_name", "TEXT")];
        let mut posts = Table::new(Name::qualified("app", "posts"));
        posts.columns = vec![Column::new("body", "TEXT")];
        let mut schema = Schema {
            tables: vec![users, posts],
            ..Schema::default()
        };
        d.apply(&mut schema);
        assert_eq!(
            schema.tables[0].columns[0].comment.as_deref(),
            Some("from the catalog")
        );
        assert_eq!(
            schema.tables[0].columns[1].comment.as_deref(),
            Some("shown on posts")
        );
        assert_eq!(
            schema.tables[1].comment.as_deref(),
            Some("A post; drafts have no published_at.")
        );
        assert_eq!(
            schema.tables[1].columns[0].comment.as_deref(),
            Some("Body, markdown.")
        );
    }

    #[test]
    fn public_prefix_matches_default_schema() {
        let mut d = Descriptions::default();
        d.read(
            "SELECT 1;\n-- Films.\nCREATE TABLE public.film (\n  -- The title.\n  title text\n);\n",
            Engine::Postgres,
        );
        let mut film = Table::new(Name::new("film"));
        film.columns = vec![Column::new("title", "text")];
        let mut schema = Schema {
            tables: vec![film],
            ..Schema::default()
        };
        d.apply(&mut schema);
        assert_eq!(schema.tables[0].comment.as_deref(), Some("Films."));
        assert_eq!(
            schema.tables[0].columns[0].comment.as_deref(),
            Some("The title.")
        );
    }
}
