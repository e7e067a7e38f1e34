//! Reading MySQL DDL by its words: the table a statement locks, and an `ALTER TABLE` cut into its
//! comma-separated clauses with the `ALGORITHM=` and `LOCK=` it asserts.

use crate::Statement;

/// One clause of an `ALTER TABLE`: words `from..to` (exclusive) and the clause's byte range in
/// the statement.
#[derive(Debug, Clone, Copy)]
pub(super) struct Clause {
    pub from: usize,
    pub to: usize,
    pub start: usize,
    pub end: usize,
}

impl Clause {
    /// Whether the clause's words start with `seq`.
    pub fn starts_with(&self, stmt: &Statement, seq: &[&str]) -> bool {
        self.to - self.from >= seq.len()
            && seq
                .iter()
                .enumerate()
                .all(|(k, s)| stmt.words[self.from + k].upper == *s)
    }

    /// Index of the first word of the clause equal to `kw`.
    pub fn find(&self, stmt: &Statement, kw: &str) -> Option<usize> {
        (self.from..self.to).find(|&i| stmt.words[i].upper == kw)
    }
}

/// An `ALTER TABLE` statement read by its words.
#[derive(Debug, Clone)]
pub(super) struct Alter {
    pub table: String,
    /// Word index of the table name's first and last word.
    pub name_from: usize,
    pub name_to: usize,
    pub clauses: Vec<Clause>,
    /// `ALGORITHM=...` value (uppercase), when asserted.
    pub algorithm: Option<String>,
    /// `LOCK=...` value (uppercase), when asserted.
    pub lock: Option<String>,
}

impl Alter {
    /// Reads `ALTER [ONLINE | IGNORE] TABLE [IF EXISTS] name clause, clause, ...`.
    pub fn parse(stmt: &Statement) -> Option<Alter> {
        if !stmt.starts_with(&["ALTER"]) {
            return None;
        }
        let mut i = 1;
        while stmt
            .word(i)
            .is_some_and(|w| matches!(w.upper.as_str(), "ONLINE" | "IGNORE"))
        {
            i += 1;
        }
        if stmt.word(i).is_none_or(|w| w.upper != "TABLE") {
            return None;
        }
        i += 1;
        if stmt.find_seq(&["IF", "EXISTS"]) == Some(i) {
            i += 2;
        }
        let (table, next) = stmt.name_at(i)?;
        let name_start = stmt.words[next - 1].offset + stmt.words[next - 1].len;
        let clauses = clauses(stmt, next, name_start);
        let mut alter = Alter {
            table,
            name_from: i,
            name_to: next - 1,
            clauses,
            algorithm: None,
            lock: None,
        };
        for c in &alter.clauses {
            let value = || stmt.word(c.from + 1).map(|w| w.upper.clone());
            if c.starts_with(stmt, &["ALGORITHM"]) {
                alter.algorithm = value().filter(|v| v != "DEFAULT");
            } else if c.starts_with(stmt, &["LOCK"]) {
                alter.lock = value().filter(|v| v != "DEFAULT");
            }
        }
        Some(alter)
    }

    /// Whether the server refuses (rather than copies) when the change cannot be done in place.
    pub fn asserts_no_copy(&self) -> bool {
        matches!(
            self.algorithm.as_deref(),
            Some("INSTANT" | "INPLACE" | "NOCOPY")
        ) || self.lock.as_deref() == Some("NONE")
    }
}

/// The clauses of the statement after byte `start` (word `first` is the first one's start),
/// split at commas outside parentheses, strings and comments.
fn clauses(stmt: &Statement, first: usize, start: usize) -> Vec<Clause> {
    let sql = stmt.sql.as_bytes();
    let mut cuts = Vec::new();
    let mut depth = 0i32;
    let mut i = start;
    while i < sql.len() {
        match sql[i] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b',' if depth == 0 => cuts.push(i),
            b'\'' | b'"' | b'`' => {
                let q = sql[i];
                i += 1;
                while i < sql.len() && sql[i] != q {
                    if sql[i] == b'\\' && q != b'`' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'#' => {
                while i < sql.len() && sql[i] != b'\n' {
                    i += 1;
                }
            }
            b'-' if sql.get(i + 1) == Some(&b'-') => {
                while i < sql.len() && sql[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if sql.get(i + 1) == Some(&b'*') => {
                i = stmt.sql[i + 2..]
                    .find("*/")
                    .map_or(sql.len(), |e| i + 2 + e + 1);
            }
            _ => {}
        }
        i += 1;
    }
    let end = stmt.sql.trim_end().trim_end_matches(';').len();
    let mut out = Vec::new();
    let mut from = first;
    let mut byte = stmt.word(first).map_or(end, |w| w.offset);
    for cut in cuts.into_iter().chain(std::iter::once(end)) {
        let to = stmt
            .words
            .iter()
            .position(|w| w.offset > cut)
            .unwrap_or(stmt.words.len());
        if to > from {
            out.push(Clause {
                from,
                to,
                start: byte,
                end: cut.min(end),
            });
        }
        from = to;
        byte = stmt.word(to).map_or(end, |w| w.offset);
    }
    out
}

/// The table a DDL statement takes a metadata lock on, with the word index of its name: `ALTER
/// TABLE`, `CREATE INDEX ... ON`, `DROP INDEX ... ON`, `DROP TABLE`, `RENAME TABLE`, `TRUNCATE`,
/// `OPTIMIZE TABLE`. (`CREATE TABLE` locks nothing that exists.)
pub(super) fn locked_tables(stmt: &Statement) -> Vec<(String, usize)> {
    if let Some(a) = Alter::parse(stmt) {
        return vec![(a.table, a.name_from)];
    }
    let w0 = stmt.word(0).map_or("", |w| w.upper.as_str());
    let w1 = stmt.word(1).map_or("", |w| w.upper.as_str());
    let names_from = |mut i: usize, stop: &[&str]| {
        let mut out = Vec::new();
        while let Some((name, next)) = stmt.name_at(i) {
            if stop.contains(&stmt.words[i].upper.as_str()) {
                break;
            }
            out.push((name, i));
            i = next;
        }
        out
    };
    match (w0, w1) {
        ("CREATE" | "DROP", _) if stmt.has("INDEX") && stmt.has("ON") => {
            let on = stmt.find("ON").unwrap_or(0);
            stmt.name_at(on + 1)
                .map(|(n, _)| vec![(n, on + 1)])
                .unwrap_or_default()
        }
        ("DROP", "TABLE") => {
            let i = if stmt.find_seq(&["IF", "EXISTS"]) == Some(2) {
                4
            } else {
                2
            };
            names_from(i, &["CASCADE", "RESTRICT", "WAIT", "NOWAIT"])
        }
        ("RENAME", "TABLE") => {
            // RENAME TABLE a TO b, c TO d: every source name.
            let mut out = Vec::new();
            let mut i = 2;
            while let Some((name, next)) = stmt.name_at(i) {
                out.push((name, i));
                let Some(to) = (next..stmt.words.len()).find(|&k| stmt.words[k].upper == "TO")
                else {
                    break;
                };
                i = stmt.name_at(to + 1).map_or(stmt.words.len(), |(_, n)| n);
            }
            out
        }
        ("TRUNCATE", _) => {
            let i = if w1 == "TABLE" { 2 } else { 1 };
            stmt.name_at(i)
                .map(|(n, _)| vec![(n, i)])
                .unwrap_or_default()
        }
        ("OPTIMIZE", "TABLE") => names_from(2, &[]),
        _ => Vec::new(),
    }
}

/// Whether the statement is DDL that commits implicitly (temporary tables do not).
pub(super) fn is_ddl(stmt: &Statement) -> bool {
    let Some(first) = stmt.word(0) else {
        return false;
    };
    matches!(
        first.upper.as_str(),
        "CREATE" | "ALTER" | "DROP" | "RENAME" | "TRUNCATE"
    ) && stmt.word(1).is_some_and(|w| w.upper != "TEMPORARY")
}
