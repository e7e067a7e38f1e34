//! One SQL lexer for the places that must tell code from strings, comments and quoted
//! identifiers: lint's word scanner and the differ's "does this view name that table" check.
//! It knows each engine's quoting: `''` and (MySQL) backslash escapes in strings, `"` and
//! (MySQL/SQLite) backquoted identifiers, PostgreSQL dollar quotes, `--`, `/* */` and (MySQL) `#`
//! comments.

use crate::Engine;

/// A word of a statement outside strings and comments: a keyword or an identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// As written, without quotes for quoted identifiers.
    pub text: String,
    /// Uppercase, for keyword matching (empty for quoted identifiers, which are never keywords).
    pub upper: String,
    /// Byte offset of the word in the statement.
    pub offset: usize,
    /// Byte length in the statement (quotes included).
    pub len: usize,
    /// Whether the word was a quoted identifier (`"..."`, or a backquoted one on MySQL and SQLite).
    pub quoted: bool,
}

/// The words of a statement, outside strings and comments.
pub fn words(sql: &str, engine: Engine) -> Vec<Word> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'-' && b.get(i + 1) == Some(&b'-') || (c == b'#' && engine == Engine::Mysql) {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let end = sql[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            i = end;
        } else if c == b'\'' {
            i += 1;
            while i < b.len() {
                if b[i] == b'\\' && engine == Engine::Mysql {
                    i += 2;
                    continue;
                }
                if b[i] == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
        } else if c == b'$' && engine == Engine::Postgres {
            // Dollar-quoted body: skip to the closing tag.
            let tag_end = sql[i + 1..].find('$').map(|e| i + 1 + e);
            match tag_end {
                Some(te)
                    if sql[i + 1..te]
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_')
                        && !sql[i + 1..te].starts_with(|c: char| c.is_ascii_digit()) =>
                {
                    let tag = &sql[i..=te];
                    let close = sql[te + 1..]
                        .find(tag)
                        .map_or(b.len(), |e| te + 1 + e + tag.len());
                    i = close;
                }
                _ => i += 1,
            }
        } else if c == b'"' || (c == b'`' && engine != Engine::Postgres) {
            let q = c;
            let start = i;
            let mut text = String::new();
            i += 1;
            while i < b.len() {
                if b[i] == q {
                    if b.get(i + 1) == Some(&q) {
                        text.push(q as char);
                        i += 2;
                        continue;
                    }
                    break;
                }
                let ch = sql[i..].chars().next().unwrap_or(' ');
                text.push(ch);
                i += ch.len_utf8();
            }
            i += 1;
            out.push(Word {
                text,
                upper: String::new(),
                offset: start,
                len: i.min(b.len()) - start,
                quoted: true,
            });
        } else if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            let start = i;
            while i < b.len()
                && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$' || b[i] >= 0x80)
            {
                i += 1;
            }
            let text = sql[start..i].to_string();
            out.push(Word {
                upper: text.to_ascii_uppercase(),
                text,
                offset: start,
                len: i - start,
                quoted: false,
            });
        } else {
            i += 1;
        }
    }
    out
}

/// Whether `sql` names `name` as a word of its code — bare or quoted, in any letter case — not
/// inside a string literal or a comment.
pub fn mentions(sql: &str, engine: Engine, name: &str) -> bool {
    words(sql, engine)
        .iter()
        .any(|w| w.text.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_in_a_string_or_comment_is_not_mentioned() {
        for e in [Engine::Sqlite, Engine::Postgres, Engine::Mysql] {
            assert!(mentions("SELECT id FROM orders", e, "orders"));
            assert!(mentions("SELECT 1 FROM public.\"Orders\"", e, "orders"));
            assert!(!mentions(
                "SELECT 'orders' AS label FROM other",
                e,
                "orders"
            ));
            assert!(!mentions("SELECT 1 -- orders\nFROM other", e, "orders"));
            assert!(!mentions("SELECT 1 /* orders */ FROM other", e, "orders"));
            assert!(!mentions("SELECT id FROM orders_archive", e, "orders"));
        }
        assert!(!mentions(
            "SELECT 'it\\'s orders' FROM other",
            Engine::Mysql,
            "orders"
        ));
        assert!(!mentions(
            "SELECT $$orders$$ FROM other",
            Engine::Postgres,
            "orders"
        ));
    }
}
