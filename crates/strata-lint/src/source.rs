//! A migration file prepared for rules: its statements with spans, words and syntax trees, and
//! the suppressions written in its comments.

use sqlparser::dialect::{Dialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;
use std::collections::BTreeMap;
use strata_schema::directive::Directives;
use strata_schema::lex::words;
pub use strata_schema::lex::Word;
use strata_schema::split::split;
use strata_schema::Engine;

/// One statement of a migration file.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The 0-based position of the statement in the file.
    pub index: usize,
    /// The statement text, from its first token to its end, without the delimiter.
    pub sql: String,
    /// Byte offset of the statement in the file.
    pub offset: usize,
    /// 1-based line of its first token.
    pub line: usize,
    /// The words outside strings and comments, with offsets relative to `sql`.
    pub words: Vec<Word>,
    /// The syntax tree, when sqlparser understands the statement.
    pub ast: Option<sqlparser::ast::Statement>,
    /// Why sqlparser could not parse the statement into one syntax tree; `None` when `ast` is set.
    pub parse_error: Option<String>,
    /// `-- strata:allow <code> <reason>` comments right above the statement or on its lines.
    pub allow: Vec<Allow>,
}

/// One `-- strata:allow CODE reason` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    /// The rule code it suppresses.
    pub code: String,
    /// Why (empty when the comment gives none).
    pub reason: String,
    /// 1-based line of the comment.
    pub line: usize,
}

impl Statement {
    /// Whether the statement's words start with `seq` (case-insensitive keywords).
    pub fn starts_with(&self, seq: &[&str]) -> bool {
        self.words.len() >= seq.len() && self.words.iter().zip(seq).all(|(w, s)| w.upper == *s)
    }

    /// Index of the first word equal to `kw`.
    pub fn find(&self, kw: &str) -> Option<usize> {
        self.words.iter().position(|w| w.upper == kw)
    }

    /// Whether the statement has the keyword `kw`.
    pub fn has(&self, kw: &str) -> bool {
        self.find(kw).is_some()
    }

    /// Index of the first occurrence of the keyword sequence `seq`.
    pub fn find_seq(&self, seq: &[&str]) -> Option<usize> {
        if seq.is_empty() || self.words.len() < seq.len() {
            return None;
        }
        (0..=self.words.len() - seq.len()).find(|&i| {
            seq.iter()
                .enumerate()
                .all(|(k, s)| self.words[i + k].upper == *s)
        })
    }

    /// Indexes of every occurrence of `seq`.
    pub fn find_all(&self, seq: &[&str]) -> Vec<usize> {
        if seq.is_empty() || self.words.len() < seq.len() {
            return Vec::new();
        }
        (0..=self.words.len() - seq.len())
            .filter(|&i| {
                seq.iter()
                    .enumerate()
                    .all(|(k, s)| self.words[i + k].upper == *s)
            })
            .collect()
    }

    /// The word at `i`, if any.
    pub fn word(&self, i: usize) -> Option<&Word> {
        self.words.get(i)
    }

    /// The name (possibly `schema.name`) starting at word `i`: returns it and the index after it.
    pub fn name_at(&self, i: usize) -> Option<(String, usize)> {
        let first = self.words.get(i)?;
        let mut name = first.text.clone();
        let mut next = i + 1;
        // `schema.name`: the dot is not a word, so check the text between the words.
        if let Some(w) = self.words.get(next) {
            let between = &self.sql[first.offset + first.len..w.offset];
            if between.trim() == "." {
                name = format!("{name}.{}", w.text);
                next += 1;
            }
        }
        Some((name, next))
    }

    /// Byte range in the statement covering words `from..=to`.
    pub fn span_of(&self, from: usize, to: usize) -> (usize, usize) {
        let a = self.words.get(from).map_or(0, |w| w.offset);
        let b = self
            .words
            .get(to.min(self.words.len().saturating_sub(1)))
            .map_or(self.sql.len(), |w| w.offset + w.len);
        (a, b.max(a))
    }
}

/// A migration file ready for linting.
#[derive(Debug, Clone)]
pub struct LintFile {
    /// How reports name the file.
    pub path: String,
    /// The text, LF line endings.
    pub text: String,
    /// The engine the file is written for.
    pub engine: Engine,
    /// The file's header directives (an unreadable header gives the default).
    pub directives: Directives,
    /// Line of each file-level `-- strata:allow` (for findings about them).
    pub allow_lines: Vec<usize>,
    /// The statements in file order.
    pub statements: Vec<Statement>,
    /// Lowercase names of tables created by this file, with the statement that creates them
    /// (new tables are empty: locking them worries nobody).
    pub created_tables: BTreeMap<String, usize>,
    /// The byte offset of every `\n` in `text`, to turn offsets into lines and columns.
    pub newlines: Vec<usize>,
    /// The tables of `created_tables` by lowercase name without schema, with the first statement
    /// that creates one of that name.
    pub created_bare: BTreeMap<String, usize>,
}

fn dialect(engine: Engine) -> Box<dyn Dialect> {
    match engine {
        Engine::Postgres => Box::new(PostgreSqlDialect {}),
        Engine::Mysql => Box::new(MySqlDialect {}),
        Engine::Sqlite => Box::new(SQLiteDialect {}),
    }
}

impl LintFile {
    /// Prepares `text` (the content of `path`) for `engine`.
    pub fn new(path: &str, text: &str, engine: Engine) -> LintFile {
        let text = text
            .strip_prefix('\u{feff}')
            .unwrap_or(text)
            .replace("\r\n", "\n");
        let (directives, allow_lines) = header(&text);
        let newlines: Vec<usize> = text
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i)
            .collect();
        let d = dialect(engine);
        let mut statements = Vec::new();
        let mut cursor = 0;
        for (index, s) in split(&text, engine).into_iter().enumerate() {
            let offset = text[cursor..].find(&s.sql).map_or(cursor, |i| cursor + i);
            let before = &text[cursor..offset];
            let end = offset + s.sql.len();
            // Comments on the statement's own lines count too (e.g. a trailing comment).
            let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
            let mut allow = allows(before, newlines.partition_point(|&n| n < cursor) + 1);
            allow.extend(allows(&text[offset..line_end], s.line));
            let words = words(&s.sql, engine);
            let (ast, parse_error) = match Parser::parse_sql(d.as_ref(), &s.sql) {
                Ok(mut v) if v.len() == 1 => (v.pop(), None),
                Ok(v) => (None, Some(format!("parsed as {} statements", v.len()))),
                Err(e) => (None, Some(e.to_string())),
            };
            statements.push(Statement {
                index,
                sql: s.sql,
                offset,
                line: s.line,
                words,
                ast,
                parse_error,
                allow,
            });
            cursor = end.min(text.len());
        }
        let created_tables: BTreeMap<String, usize> = statements
            .iter()
            .filter_map(|s| {
                let start = if s.starts_with(&["CREATE", "TABLE"]) {
                    2
                } else if s.starts_with(&["CREATE", "MATERIALIZED", "VIEW"])
                    || s.starts_with(&["CREATE", "UNLOGGED", "TABLE"])
                    || s.starts_with(&["CREATE", "TEMPORARY", "TABLE"])
                    || s.starts_with(&["CREATE", "TEMP", "TABLE"])
                {
                    3
                } else {
                    return None;
                };
                let start = if s.find_seq(&["IF", "NOT", "EXISTS"]) == Some(start) {
                    start + 3
                } else {
                    start
                };
                s.name_at(start).map(|(n, _)| (n.to_lowercase(), s.index))
            })
            .collect();
        let mut created_bare: BTreeMap<String, usize> = BTreeMap::new();
        for (k, i) in &created_tables as &BTreeMap<String, usize> {
            let b = k.rsplit('.').next().unwrap_or(k).to_string();
            let e = created_bare.entry(b).or_insert(*i);
            if *i < *e {
                *e = *i;
            }
        }
        LintFile {
            newlines,
            created_bare,
            path: path.to_string(),
            text,
            engine,
            directives,
            allow_lines,
            statements,
            created_tables,
        }
    }

    /// Whether the file runs in one transaction.
    pub fn transactional(&self) -> bool {
        self.engine.transactional_ddl() && !self.directives.no_transaction
    }

    /// Whether `table` was created earlier in this file (before statement `before`).
    pub fn created_here(&self, table: &str, before: usize) -> bool {
        let t = table.to_lowercase();
        let bare = t.rsplit('.').next().unwrap_or(&t);
        self.created_bare.get(bare).is_some_and(|i| *i < before)
    }

    /// Whether a statement after `after` gives `table`'s name to another table (a rebuild or a
    /// swap: `ALTER TABLE new RENAME TO table`, MySQL `RENAME TABLE new TO table`) or creates a
    /// table of that name again, so dropping or renaming `table` loses nothing by itself.
    pub fn name_reused_later(&self, table: &str, after: usize) -> bool {
        let bare = |n: &str| n.rsplit('.').next().unwrap_or(n).to_lowercase();
        let target = bare(table);
        self.statements.iter().skip(after + 1).any(|s| {
            let renamed_to = s
                .find_all(&["TO"])
                .into_iter()
                .chain(s.find_all(&["AS"]))
                .filter(|&i| i > 0 && s.has("RENAME"))
                .filter_map(|i| s.name_at(i + 1))
                .any(|(n, _)| bare(&n) == target);
            let created = (s.starts_with(&["CREATE", "TABLE"])
                && s.name_at(2).is_some_and(|(n, _)| bare(&n) == target))
                || (s.find_seq(&["CREATE", "TABLE", "IF", "NOT", "EXISTS"]) == Some(0)
                    && s.name_at(5).is_some_and(|(n, _)| bare(&n) == target));
            renamed_to || created
        })
    }

    /// Whether a statement after `after` renames `table` away (so what is done to it is a
    /// temporary step of a rebuild).
    pub fn renamed_later(&self, table: &str, after: usize) -> bool {
        let bare = |n: &str| n.rsplit('.').next().unwrap_or(n).to_lowercase();
        let target = bare(table);
        self.statements.iter().skip(after + 1).any(|s| {
            s.has("RENAME")
                && ((s.starts_with(&["ALTER", "TABLE"])
                    && s.name_at(2).is_some_and(|(n, _)| bare(&n) == target)
                    && s.find_seq(&["RENAME", "TO"]).is_some())
                    || (s.starts_with(&["RENAME", "TABLE"])
                        && s.name_at(2).is_some_and(|(n, _)| bare(&n) == target)))
        })
    }

    /// 1-based (line, column) of a byte offset in the file.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let k = self.newlines.partition_point(|&n| n < offset);
        let line = k + 1;
        let line_start = if k == 0 { 0 } else { self.newlines[k - 1] + 1 };
        (line, self.text[line_start..offset].chars().count() + 1)
    }
}

/// File-level directives from the header comment block, and the lines of its allow comments.
fn header(text: &str) -> (Directives, Vec<usize>) {
    // An unknown directive is `apply`'s business; the linter reads what it can.
    let directives = Directives::parse(text).unwrap_or_default();
    let mut lines = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        if !t.starts_with("--") {
            break;
        }
        if t.trim_start_matches('-').trim().starts_with("strata:allow") {
            lines.push(i + 1);
        }
    }
    (directives, lines)
}

/// `-- strata:allow CODE reason` comments in `text` (which starts at line `first_line`).
fn allows(text: &str, first_line: usize) -> Vec<Allow> {
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let Some(at) = l.find("--") else { continue };
        let c = l[at + 2..].trim();
        let Some(rest) = c.strip_prefix("strata:allow") else {
            continue;
        };
        let rest = rest.trim();
        let mut parts = rest.splitn(2, char::is_whitespace);
        let code = parts.next().unwrap_or("").to_string();
        let reason = parts.next().unwrap_or("").trim().to_string();
        out.push(Allow {
            code,
            reason,
            line: first_line + i,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_have_words_asts_and_suppressions() {
        let f = LintFile::new(
            "m.sql",
            "-- strata:allow PG012 short table\nCREATE TABLE t (id int);\n-- strata:allow PG001 built at night\nCREATE INDEX i ON \"T x\" (id);\nREINDEX TABLE t;\n",
            Engine::Postgres,
        );
        assert_eq!(f.statements.len(), 3);
        assert_eq!(f.allow_lines, vec![1]);
        assert!(f.statements[1].starts_with(&["CREATE", "INDEX"]));
        assert_eq!(f.statements[1].allow[0].code, "PG001");
        assert_eq!(f.statements[1].words[4].text, "T x");
        assert!(f.statements[1].ast.is_some());
        assert!(f.statements[2].starts_with(&["REINDEX"]));
        assert!(f.created_here("t", 1) && !f.created_here("t", 0));
        assert_eq!(f.position(f.statements[1].offset), (4, 1));
    }
}
