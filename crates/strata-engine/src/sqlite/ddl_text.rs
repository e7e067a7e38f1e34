//! Reading what SQLite's pragmas do not report (checks, generated expressions, collations,
//! AUTOINCREMENT, index expressions and predicates) from the `CREATE` statements it stores.

use strata_schema::Deferrable;

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

/// Splits `s` at top-level occurrences of `sep` (outside parentheses, quotes and comments).
pub fn split_top(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"' | b'`') => {
                i += 1;
                while i < b.len() {
                    if b[i] == q {
                        if i + 1 < b.len() && b[i + 1] == q {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    i += 1;
                }
            }
            b'[' => {
                while i < b.len() && b[i] != b']' {
                    i += 1;
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' => depth += 1,
            b')' => depth -= 1,
            c if depth == 0 && c == sep as u8 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&s[start..]);
    out
}

/// The byte range of the parenthesised group starting at `open` (which must be `(`), inner part.
pub fn group(s: &str, open: usize) -> Option<(usize, usize)> {
    let parts = &s[open..];
    let mut depth = 0i32;
    let b = parts.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
            }
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some((open + 1, open + i));
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Reads one identifier (bare, "quoted", `quoted` or [quoted]) at the start of `s`; returns it
/// unquoted with the rest of the text.
pub fn ident(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start();
    let first = s.chars().next()?;
    let close = match first {
        '"' => '"',
        '`' => '`',
        '[' => ']',
        _ => {
            let end = s
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                .unwrap_or(s.len());
            if end == 0 {
                return None;
            }
            return Some((s[..end].to_string(), &s[end..]));
        }
    };
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == close {
            if close != ']' && chars.peek().map(|(_, n)| *n) == Some(close) {
                out.push(c);
                chars.next();
                continue;
            }
            return Some((out, &s[i + c.len_utf8()..]));
        }
        out.push(c);
    }
    None
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
    let lower = s.to_ascii_lowercase();
    let kw = kw.to_ascii_lowercase();
    let b = s.as_bytes();
    let mut depth = 0i32;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
            }
            b'(' => depth += 1,
            b')' => depth -= 1,
            _ if depth == 0
                && lower.as_bytes()[i..].starts_with(kw.as_bytes())
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
                && b.get(i + kw.len())
                    .is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_')) =>
            {
                return Some(i);
            }
            _ => {}
        }
        i += 1;
    }
    None
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
    let Some(open) = sql.find('(') else { return t };
    let Some((a, b)) = group(sql, open) else {
        return t;
    };
    let tail = sql[b + 1..].to_ascii_uppercase();
    t.without_rowid = tail.contains("WITHOUT ROWID");
    t.strict = tail.contains("STRICT");
    for item in split_top(&sql[a..b], ',') {
        let item = item.trim();
        let mut rest = item;
        let mut cname = None;
        if starts_kw(rest, "CONSTRAINT") {
            if let Some((n, r)) = ident(after_kw(rest, "CONSTRAINT")) {
                cname = Some(n);
                rest = r;
            }
        }
        if starts_kw(rest, "CHECK") {
            let r = after_kw(rest, "CHECK");
            if let Some(p) = r.find('(') {
                if let Some((x, y)) = group(r, p) {
                    t.checks.push((cname, r[x..y].trim().to_string()));
                }
            }
            continue;
        }
        if starts_kw(rest, "UNIQUE") {
            let r = after_kw(rest, "UNIQUE");
            if let Some(p) = r.find('(') {
                if let Some((x, y)) = group(r, p) {
                    let cols = split_top(&r[x..y], ',')
                        .into_iter()
                        .filter_map(|c| ident(c).map(|(n, _)| n))
                        .collect();
                    t.uniques.push((cname, cols));
                }
            }
            continue;
        }
        if starts_kw(rest, "FOREIGN") {
            let r = after_kw(rest, "FOREIGN");
            if let Some(p) = r.find('(') {
                if let Some((x, y)) = group(r, p) {
                    let cols = split_top(&r[x..y], ',')
                        .into_iter()
                        .filter_map(|c| ident(c).map(|(n, _)| n))
                        .collect();
                    t.fk_deferrable.push((cols, deferrable(&r[y + 1..])));
                }
            }
            continue;
        }
        if starts_kw(rest, "PRIMARY") {
            continue;
        }
        let Some((name, def)) = ident(item) else {
            continue;
        };
        let mut c = ColumnText {
            name,
            ..Default::default()
        };
        let upper = def.to_ascii_uppercase();
        c.autoincrement = upper.contains("AUTOINCREMENT");
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
            if let Some(p) = r.find('(') {
                if r[..p].trim().is_empty() {
                    if let Some((x, y)) = group(r, p) {
                        let stored = r[y + 1..]
                            .trim_start()
                            .to_ascii_uppercase()
                            .starts_with("STORED");
                        c.generated = Some((r[x..y].trim().to_string(), stored));
                    }
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
            let Some(p) = r.find('(') else { break };
            let Some((x, y)) = group(r, p) else { break };
            c.checks.push((name, r[x..y].trim().to_string()));
            scan = &r[y + 1..];
        }
        t.columns.push(c);
    }
    t
}

/// The key parts and predicate of a `CREATE INDEX` statement: (part texts, WHERE text).
pub fn parse_index(sql: &str) -> (Vec<String>, Option<String>) {
    let Some(on) = find_kw(sql, "ON") else {
        return (Vec::new(), None);
    };
    let rest = &sql[on..];
    let Some(p) = rest.find('(') else {
        return (Vec::new(), None);
    };
    let Some((a, b)) = group(rest, p) else {
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
    fn reads_index_parts_and_predicate() {
        let (parts, pred) = parse_index("CREATE INDEX i ON t (lower(b) DESC, a) WHERE a > 0");
        assert_eq!(parts, vec!["lower(b) DESC", "a"]);
        assert_eq!(pred.as_deref(), Some("a > 0"));
    }
}
