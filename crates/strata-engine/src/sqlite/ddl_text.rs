//! Reading what SQLite's pragmas do not report (checks, generated expressions, collations,
//! AUTOINCREMENT, index expressions and predicates) from the `CREATE` statements it stores.

use strata_schema::lex::{self, Token, TokenKind, Tokens};
use strata_schema::{Deferrable, Engine};

/// A token-level view of a `CREATE TABLE` statement's column and constraint definitions.
#[derive(Debug, Default)]
pub struct TableText {
    pub columns: Vec<ColumnText>,
    /// Table-level checks: (constraint name, expression).
    pub checks: Vec<(Option<String>, String)>,
    /// Table-level unique constraints: (constraint name, columns).
    pub uniques: Vec<(Option<String>, Vec<String>)>,
    /// Foreign keys' deferrability (the pragma does not report it), by their columns.
    pub fk_deferrable: Vec<(Vec<String>, Deferrable)>,
    pub without_rowid: bool,
    pub strict: bool,
}

/// What a column definition says beyond its pragma row.
#[derive(Debug, Default)]
pub struct ColumnText {
    pub name: String,
    pub checks: Vec<(Option<String>, String)>,
    pub generated: Option<(String, bool)>,
    pub collate: Option<String>,
    pub autoincrement: bool,
    pub unique: bool,
}

fn tokens(s: &str) -> Tokens<'_> {
    lex::tokens(s, Engine::Sqlite)
}

/// The tokens of `s` outside parentheses (other than the parentheses themselves) with their
/// nesting depth before them; quotes and comments are single tokens, so nothing in them counts.
fn top_level(s: &str) -> impl Iterator<Item = Token> + '_ {
    let mut depth = 0i32;
    tokens(s).filter(move |t| {
        let here = depth;
        if t.is_punct(s, '(') {
            depth += 1;
        } else if t.is_punct(s, ')') {
            depth -= 1;
        }
        here == 0 && depth == 0
    })
}

/// Splits `s` at top-level occurrences of `sep` (outside parentheses, quotes and comments).
pub fn split_top(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for t in top_level(s).filter(|t| t.is_punct(s, sep)) {
        out.push(&s[start..t.start]);
        start = t.end;
    }
    out.push(&s[start..]);
    out
}

/// The byte range of the parenthesised group starting at `open` (which must be `(`), inner part.
pub fn group(s: &str, open: usize) -> Option<(usize, usize)> {
    let mut depth = 0i32;
    for t in tokens(&s[open..]) {
        if t.is_punct(&s[open..], '(') {
            depth += 1;
        } else if t.is_punct(&s[open..], ')') {
            depth -= 1;
            if depth == 0 {
                return Some((open + 1, open + t.start));
            }
        }
    }
    None
}

/// The first `(` of `s` outside quotes and comments, with its group's inner byte range.
fn first_group(s: &str) -> Option<(usize, usize, usize)> {
    let open = tokens(s).find(|t| t.is_punct(s, '('))?.start;
    group(s, open).map(|(a, b)| (open, a, b))
}

/// Reads one identifier (bare, "quoted", `quoted` or [quoted]) at the start of `s`; returns it
/// unquoted with the rest of the text.
pub fn ident(s: &str) -> Option<(String, &str)> {
    let t = tokens(s).find(|t| !t.is_trivia())?;
    let name = match t.kind {
        TokenKind::Word | TokenKind::Number => t.text(s).to_string(),
        TokenKind::QuotedIdent => lex::unquote(t.text(s)),
        _ => return None,
    };
    Some((name, &s[t.end..]))
}

fn starts_kw(s: &str, kw: &str) -> bool {
    let t = s.trim_start();
    // `get` rather than slicing: the text may hold non-ASCII names right where a keyword would be.
    t.get(..kw.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(kw))
        && t[kw.len()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
}

fn after_kw<'a>(s: &'a str, kw: &str) -> &'a str {
    &s.trim_start()[kw.len()..]
}

/// Finds `kw` as a word at top level (outside parens/quotes) in `s`; returns its byte offset.
fn find_kw(s: &str, kw: &str) -> Option<usize> {
    top_level(s).find(|t| t.is_word(s, kw)).map(|t| t.start)
}

/// The deferrability a foreign key clause's text declares (SQLite reads `DEFERRABLE` alone, or
/// with `INITIALLY IMMEDIATE`, as not deferred; the model keeps what was written).
fn deferrable(clause: &str) -> Deferrable {
    let Some(i) = find_kw(clause, "DEFERRABLE") else {
        return Deferrable::Not;
    };
    if clause[..i].trim_end().to_ascii_uppercase().ends_with("NOT") {
        return Deferrable::Not;
    }
    let after = clause[i + "DEFERRABLE".len()..].to_ascii_uppercase();
    let words: Vec<&str> = after.split_whitespace().take(2).collect();
    if words == ["INITIALLY", "DEFERRED"] {
        Deferrable::InitiallyDeferred
    } else {
        Deferrable::InitiallyImmediate
    }
}

/// Parses a `CREATE TABLE` statement's body.
pub fn parse_table(sql: &str) -> TableText {
    let mut t = TableText::default();
    let Some((_, a, b)) = first_group(sql) else {
        return t;
    };
    let tail = &sql[b + 1..];
    t.without_rowid = find_kw(tail, "WITHOUT").is_some_and(|i| starts_kw(&tail[i + 7..], "ROWID"));
    t.strict = find_kw(tail, "STRICT").is_some();
    for item in split_top(&sql[a..b], ',') {
        let item = item.trim();
        if !table_constraint(&mut t, item) {
            if let Some(c) = column(&mut t, item) {
                t.columns.push(c);
            }
        }
    }
    t
}

/// Reads `item` into `t` when it is a table constraint; false when it is a column definition.
fn table_constraint(t: &mut TableText, item: &str) -> bool {
    let mut rest = item;
    let mut cname = None;
    if starts_kw(rest, "CONSTRAINT") {
        if let Some((n, r)) = ident(after_kw(rest, "CONSTRAINT")) {
            cname = Some(n);
            rest = r;
        }
    }
    // The column list of a UNIQUE or FOREIGN KEY constraint, and the text after it.
    let columns = |r: &str| {
        first_group(r).map(|(_, x, y)| {
            let cols: Vec<String> = split_top(&r[x..y], ',')
                .into_iter()
                .filter_map(|c| ident(c).map(|(n, _)| n))
                .collect();
            (cols, y + 1)
        })
    };
    if starts_kw(rest, "CHECK") {
        let r = after_kw(rest, "CHECK");
        if let Some((_, x, y)) = first_group(r) {
            t.checks.push((cname, r[x..y].trim().to_string()));
        }
    } else if starts_kw(rest, "UNIQUE") {
        if let Some((cols, _)) = columns(after_kw(rest, "UNIQUE")) {
            t.uniques.push((cname, cols));
        }
    } else if starts_kw(rest, "FOREIGN") {
        let r = after_kw(rest, "FOREIGN");
        if let Some((cols, after)) = columns(r) {
            t.fk_deferrable.push((cols, deferrable(&r[after..])));
        }
    } else if !starts_kw(rest, "PRIMARY") {
        return false;
    }
    true
}

/// Reads a column definition; its foreign key's deferrability goes to `t`.
fn column(t: &mut TableText, item: &str) -> Option<ColumnText> {
    let (name, def) = ident(item)?;
    let mut c = ColumnText {
        name,
        ..Default::default()
    };
    c.autoincrement = find_kw(def, "AUTOINCREMENT").is_some();
    c.unique = find_kw(def, "UNIQUE").is_some();
    if let Some(i) = find_kw(def, "REFERENCES") {
        t.fk_deferrable
            .push((vec![c.name.clone()], deferrable(&def[i..])));
    }
    if let Some(i) = find_kw(def, "COLLATE") {
        c.collate = ident(&def[i + "COLLATE".len()..]).map(|(n, _)| n);
    }
    // Generated: `[GENERATED ALWAYS] AS (expr) [STORED|VIRTUAL]`.
    if let Some(i) = find_kw(def, "AS") {
        let r = &def[i + 2..];
        if let Some((p, x, y)) = first_group(r) {
            if r[..p].trim().is_empty() {
                c.generated = Some((r[x..y].trim().to_string(), starts_kw(&r[y + 1..], "STORED")));
            }
        }
    }
    // Column checks, possibly named.
    let mut scan = def;
    while let Some(i) = find_kw(scan, "CHECK") {
        let before = scan[..i].trim_end();
        let name = before
            .rsplit_once(char::is_whitespace)
            .and_then(|(pre, last)| {
                pre.trim_end()
                    .to_ascii_uppercase()
                    .ends_with("CONSTRAINT")
                    .then(|| ident(last).map(|(n, _)| n))
                    .flatten()
            });
        let r = &scan[i + 5..];
        let Some((_, x, y)) = first_group(r) else {
            break;
        };
        c.checks.push((name, r[x..y].trim().to_string()));
        scan = &r[y + 1..];
    }
    Some(c)
}

/// The key parts and predicate of a `CREATE INDEX` statement: (part texts, WHERE text).
pub fn parse_index(sql: &str) -> (Vec<String>, Option<String>) {
    let Some(on) = find_kw(sql, "ON") else {
        return (Vec::new(), None);
    };
    let rest = &sql[on..];
    let Some((_, a, b)) = first_group(rest) else {
        return (Vec::new(), None);
    };
    let parts = split_top(&rest[a..b], ',')
        .into_iter()
        .map(|s| s.trim().to_string())
        .collect();
    let tail = &rest[b + 1..];
    let predicate = find_kw(tail, "WHERE").map(|i| tail[i + 5..].trim().to_string());
    (parts, predicate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_checks_generated_and_collations() {
        let t = parse_table(
            "CREATE TABLE \"t x\" (id INTEGER PRIMARY KEY AUTOINCREMENT, \"a b\" TEXT COLLATE NOCASE CONSTRAINT pos CHECK (length(\"a b\") > 0), d INT GENERATED ALWAYS AS (id * 2) STORED, CONSTRAINT two CHECK (d > 0), UNIQUE (d, id)) STRICT",
        );
        assert!(t.strict && !t.without_rowid);
        assert!(t.columns[0].autoincrement);
        assert_eq!(t.columns[1].name, "a b");
        assert_eq!(t.columns[1].collate.as_deref(), Some("NOCASE"));
        assert_eq!(
            t.columns[1].checks,
            vec![(Some("pos".into()), "length(\"a b\") > 0".into())]
        );
        assert_eq!(t.columns[2].generated, Some(("id * 2".into(), true)));
        assert_eq!(t.checks, vec![(Some("two".into()), "d > 0".into())]);
        assert_eq!(t.uniques, vec![(None, vec!["d".into(), "id".into()])]);
    }

    #[test]
    fn reads_non_ascii_names_without_panicking() {
        let t = parse_table(
            "CREATE TABLE \"Café\" (\"Prix €\" REAL, naïve TEXT COLLATE NOCASE, \"€\" INT CHECK (\"€\" > 0))",
        );
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Prix €", "naïve", "€"]);
        assert_eq!(t.columns[1].collate.as_deref(), Some("NOCASE"));
        assert_eq!(t.columns[2].checks, vec![(None, "\"€\" > 0".into())]);
        let (parts, _) = parse_index("CREATE INDEX \"i €\" ON \"Café\" (\"Prix €\" DESC, naïve)");
        assert_eq!(parts, vec!["\"Prix €\" DESC", "naïve"]);
    }

    #[test]
    fn quotes_and_comments_hide_separators_and_keywords() {
        let t = parse_table(
            "CREATE TABLE \"a(b\" (\n  [x,y] TEXT DEFAULT 'a,(CHECK' -- a, b) CHECK (\n  , `z` INT /* , */ CHECK (z > ')'),\n  FOREIGN KEY (`z`) REFERENCES p DEFERRABLE INITIALLY DEFERRED\n) WITHOUT ROWID",
        );
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["x,y", "z"]);
        assert!(t.columns[0].checks.is_empty());
        assert_eq!(t.columns[1].checks, vec![(None, "z > ')'".into())]);
        assert_eq!(
            t.fk_deferrable,
            vec![(vec!["z".into()], Deferrable::InitiallyDeferred)]
        );
        assert!(t.without_rowid && !t.strict);
    }

    #[test]
    fn reads_index_parts_and_predicate() {
        let (parts, pred) = parse_index("CREATE INDEX i ON t (lower(b) DESC, a) WHERE a > 0");
        assert_eq!(parts, vec!["lower(b) DESC", "a"]);
        assert_eq!(pred.as_deref(), Some("a > 0"));
    }
}
