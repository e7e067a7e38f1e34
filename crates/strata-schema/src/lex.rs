//! One SQL lexer for every place that must tell code from strings, comments and quoted
//! identifiers: the statement splitter, lint's word scanner, the differ's "does this view name
//! that table" check, SQLite's `CREATE` text reader and the MySQL inspector's view cleaning.
//!
//! It knows each engine's quoting: `''` and (MySQL, PostgreSQL `E'...'`) backslash escapes in
//! strings, `"` and (MySQL/SQLite) backquoted identifiers, SQLite's `[...]`, PostgreSQL dollar
//! quotes, `--`, `/* */` (nested on PostgreSQL) and (MySQL) `#` comments. It never fails: an
//! unclosed string or comment runs to the end of the text, as the engine would read it.

use crate::Engine;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A keyword or bare identifier (letters, digits, `_`, `$`, any non-ASCII character).
    Word,
    /// A quoted identifier: `"..."`, (MySQL/SQLite) `` `...` `` or (SQLite) `[...]`. MySQL reads
    /// `"..."` as a string unless `ANSI_QUOTES` is set; it is lexed here, with backslash escapes.
    QuotedIdent,
    /// A string literal `'...'`, PostgreSQL's `E'...'` included.
    String,
    /// A PostgreSQL dollar-quoted string, `$tag$ ... $tag$`.
    DollarString,
    /// A number, with the letters, digits, `_`, `$` and `.` that follow its first digit.
    Number,
    /// `-- ...` or (MySQL) `# ...`, up to the end of the line (the newline is not part of it).
    LineComment,
    /// `/* ... */`; MySQL's executable `/*! ... */` is one too (callers check its text).
    BlockComment,
    /// A run of ASCII whitespace and byte-order marks.
    Space,
    /// Any other single character: punctuation, operators, `;`, a `$` that opens no dollar quote.
    Punct,
}

/// One token: its kind and byte span in the text it was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What the token is.
    pub kind: TokenKind,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
}

impl Token {
    /// The token's text in `sql`, the text it was read from.
    pub fn text<'a>(&self, sql: &'a str) -> &'a str {
        &sql[self.start..self.end]
    }

    /// Whether the token is a comment or whitespace, which never changes what a statement means.
    pub fn is_trivia(&self) -> bool {
        matches!(
            self.kind,
            TokenKind::Space | TokenKind::LineComment | TokenKind::BlockComment
        )
    }

    /// Whether the token is the punctuation character `c`.
    pub fn is_punct(&self, sql: &str, c: char) -> bool {
        self.kind == TokenKind::Punct && sql[self.start..].starts_with(c)
    }

    /// Whether the token is the word `kw`, in any letter case.
    pub fn is_word(&self, sql: &str, kw: &str) -> bool {
        self.kind == TokenKind::Word && self.text(sql).eq_ignore_ascii_case(kw)
    }
}

/// The tokens of `sql` for `engine`, in order; every byte belongs to exactly one token.
pub fn tokens(sql: &str, engine: Engine) -> Tokens<'_> {
    Tokens {
        sql,
        engine,
        pos: 0,
    }
}

/// An iterator over the tokens of a text; [`Tokens::seek`] restarts it at another offset.
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    sql: &'a str,
    engine: Engine,
    pos: usize,
}

const BOM: char = '\u{feff}';

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

impl<'a> Tokens<'a> {
    /// Byte offset where the next token starts.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Continues lexing at byte offset `pos` (a character boundary outside any token's inside,
    /// e.g. just past a delimiter the caller recognised).
    pub fn seek(&mut self, pos: usize) {
        self.pos = pos.min(self.sql.len());
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.sql.as_bytes().get(i).copied()
    }

    /// The end of a quoted run opened at `from - 1` by `quote`: doubled quotes stay inside, and
    /// with `backslash` a backslash escapes the next byte.
    fn quoted_end(&self, from: usize, quote: u8, backslash: bool) -> usize {
        let b = self.sql.as_bytes();
        let mut i = from;
        while i < b.len() {
            if backslash && b[i] == b'\\' {
                i += 2;
                continue;
            }
            i += 1;
            if b[i - 1] == quote {
                if b.get(i) == Some(&quote) {
                    i += 1;
                } else {
                    return i;
                }
            }
        }
        b.len()
    }

    fn block_comment_end(&self, from: usize) -> usize {
        // PostgreSQL nests block comments; the others end at the first `*/`.
        let nests = self.engine == Engine::Postgres;
        let b = self.sql.as_bytes();
        let mut depth = 0usize;
        let mut i = from;
        while i < b.len() {
            if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                if depth == 0 || nests {
                    depth += 1;
                }
                i += 2;
            } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            } else {
                i += 1;
            }
        }
        b.len()
    }

    /// The end of a `$tag$ ... $tag$` string opened at `from`, or None when this `$` opens none
    /// (a parameter such as `$1`).
    fn dollar_end(&self, from: usize) -> Option<usize> {
        let rest = &self.sql[from + 1..];
        let tag = &rest[..rest.find('$')?];
        if tag.starts_with(|c: char| c.is_ascii_digit())
            || !tag.chars().all(|c| c.is_alphanumeric() || c == '_')
        {
            return None;
        }
        let body = from + tag.len() + 2;
        let close = format!("${tag}$");
        Some(
            self.sql[body..]
                .find(&close)
                .map_or(self.sql.len(), |i| body + i + close.len()),
        )
    }

    fn run_end(&self, from: usize, more: impl Fn(u8) -> bool) -> usize {
        let b = self.sql.as_bytes();
        let mut i = from;
        while i < b.len() && more(b[i]) {
            i += 1;
        }
        i
    }

    fn space_end(&self, from: usize) -> usize {
        let mut i = from;
        loop {
            i = self.run_end(i, |b| b.is_ascii_whitespace());
            if self.sql[i..].starts_with(BOM) {
                i += BOM.len_utf8();
            } else {
                return i;
            }
        }
    }
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        use TokenKind::*;
        let start = self.pos;
        let c = self.byte(start)?;
        let next = self.byte(start + 1);
        let (pg, mysql, sqlite) = (
            self.engine == Engine::Postgres,
            self.engine == Engine::Mysql,
            self.engine == Engine::Sqlite,
        );
        let (kind, end) = match c {
            b'\'' => (String, self.quoted_end(start + 1, b'\'', mysql)),
            b'E' | b'e' if pg && next == Some(b'\'') => {
                (String, self.quoted_end(start + 2, b'\'', true))
            }
            b'"' => (QuotedIdent, self.quoted_end(start + 1, b'"', mysql)),
            b'`' if !pg => (QuotedIdent, self.quoted_end(start + 1, b'`', false)),
            b'[' if sqlite => (
                QuotedIdent,
                self.sql[start..]
                    .find(']')
                    .map_or(self.sql.len(), |i| start + i + 1),
            ),
            b'-' if next == Some(b'-') => (LineComment, self.run_end(start, |b| b != b'\n')),
            b'#' if mysql => (LineComment, self.run_end(start, |b| b != b'\n')),
            b'/' if next == Some(b'*') => (BlockComment, self.block_comment_end(start)),
            b'$' if pg => match self.dollar_end(start) {
                Some(end) => (DollarString, end),
                None => (Punct, start + 1),
            },
            b'0'..=b'9' => (
                Number,
                self.run_end(start, |b| is_word_byte(b) || b == b'.'),
            ),
            _ if c.is_ascii_whitespace() || self.sql[start..].starts_with(BOM) => {
                (Space, self.space_end(start))
            }
            _ if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                (Word, self.run_end(start, is_word_byte))
            }
            _ => (Punct, start + 1),
        };
        // A backslash escape or a broken character may step past the end or into a character.
        let mut end = end.min(self.sql.len());
        while !self.sql.is_char_boundary(end) {
            end += 1;
        }
        self.pos = end;
        Some(Token { kind, start, end })
    }
}

/// The name a quoted identifier token stands for: quotes removed, doubled quotes undoubled.
pub fn unquote(raw: &str) -> String {
    let Some(q) = raw.chars().next() else {
        return String::new();
    };
    let close = if q == '[' { ']' } else { q };
    let inner = &raw[q.len_utf8()..];
    let inner = inner.strip_suffix(close).unwrap_or(inner);
    if q == '[' {
        inner.to_string()
    } else {
        inner.replace(&format!("{q}{q}"), &q.to_string())
    }
}

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
    tokens(sql, engine)
        .filter_map(|t| {
            let raw = t.text(sql);
            let (text, upper, quoted) = match t.kind {
                TokenKind::Word => (raw.to_string(), raw.to_ascii_uppercase(), false),
                TokenKind::QuotedIdent => (unquote(raw), String::new(), true),
                _ => return None,
            };
            Some(Word {
                text,
                upper,
                offset: t.start,
                len: t.end - t.start,
                quoted,
            })
        })
        .collect()
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
    use TokenKind::*;

    /// The tokens of `sql` other than whitespace, as (kind, text).
    fn lexed(sql: &str, engine: Engine) -> Vec<(TokenKind, &str)> {
        tokens(sql, engine)
            .filter(|t| t.kind != Space)
            .map(|t| (t.kind, t.text(sql)))
            .collect()
    }

    #[test]
    fn every_byte_belongs_to_one_token() {
        let sql = "SELECT \u{feff}'a''b', \"x\"\"y\" -- c\n/* d */ 1.5e3 $1 naïve;";
        for e in [Engine::Sqlite, Engine::Postgres, Engine::Mysql] {
            let mut at = 0;
            for t in tokens(sql, e) {
                assert_eq!(t.start, at, "{e:?}: gap before {t:?}");
                assert!(t.end > t.start, "{e:?}: empty {t:?}");
                at = t.end;
            }
            assert_eq!(at, sql.len());
        }
    }

    #[test]
    fn words_numbers_and_punctuation() {
        assert_eq!(
            lexed("select a_1, $x, naïve+12.5e3 FROM t1;", Engine::Sqlite),
            vec![
                (Word, "select"),
                (Word, "a_1"),
                (Punct, ","),
                (Punct, "$"),
                (Word, "x"),
                (Punct, ","),
                (Word, "naïve"),
                (Punct, "+"),
                (Number, "12.5e3"),
                (Word, "FROM"),
                (Word, "t1"),
                (Punct, ";"),
            ]
        );
        // `$` continues a word on every engine (`END$$` stays one word; the splitter looks inside).
        assert_eq!(lexed("a$b", Engine::Mysql), vec![(Word, "a$b")]);
    }

    #[test]
    fn whitespace_runs_include_byte_order_marks() {
        let t: Vec<_> = tokens("\u{feff} \n\tx", Engine::Sqlite).collect();
        assert_eq!(t[0].kind, Space);
        assert_eq!(t[0].end, "\u{feff} \n\t".len());
    }

    #[test]
    fn strings_double_their_quote_and_escape_by_engine() {
        assert_eq!(lexed("'it''s' x", Engine::Sqlite)[0], (String, "'it''s'"));
        // Backslash is an escape on MySQL, plain text on SQLite and in standard PostgreSQL strings.
        assert_eq!(lexed(r"'a\'b' x", Engine::Mysql)[0], (String, r"'a\'b'"));
        assert_eq!(lexed(r"'a\' x", Engine::Sqlite)[0], (String, r"'a\'"));
        assert_eq!(lexed(r"'a\' x", Engine::Postgres)[0], (String, r"'a\'"));
        assert_eq!(
            lexed(r"E'a\'b' e'\\' x", Engine::Postgres),
            vec![(String, r"E'a\'b'"), (String, r"e'\\'"), (Word, "x")]
        );
        // E'...' is a word and a string elsewhere, and a longer word before a quote stays a word.
        assert_eq!(
            lexed("E'a'", Engine::Sqlite),
            vec![(Word, "E"), (String, "'a'")]
        );
        assert_eq!(lexed("ne'a'", Engine::Postgres)[0], (Word, "ne"));
        // Unclosed: to the end of the text.
        assert_eq!(lexed("'abc", Engine::Postgres), vec![(String, "'abc")]);
        assert_eq!(lexed("'ab\\", Engine::Mysql), vec![(String, "'ab\\")]);
    }

    #[test]
    fn quoted_identifiers_by_engine() {
        assert_eq!(
            lexed("\"a\"\"b\" `c``d` [e f]", Engine::Sqlite),
            vec![
                (QuotedIdent, "\"a\"\"b\""),
                (QuotedIdent, "`c``d`"),
                (QuotedIdent, "[e f]")
            ]
        );
        // PostgreSQL has no backquotes; MySQL and PostgreSQL have no brackets.
        assert_eq!(lexed("`c`", Engine::Postgres)[0], (Punct, "`"));
        assert_eq!(lexed("[e]", Engine::Mysql)[0], (Punct, "["));
        // MySQL's double-quoted text honours backslash escapes.
        assert_eq!(
            lexed(r#""a\"b" x"#, Engine::Mysql)[0],
            (QuotedIdent, r#""a\"b""#)
        );
        assert_eq!(unquote("\"a\"\"b\""), "a\"b");
        assert_eq!(unquote("`c``d`"), "c`d");
        assert_eq!(unquote("[e]]"), "e]");
        assert_eq!(unquote("\"open"), "open");
    }

    #[test]
    fn comments_by_engine() {
        assert_eq!(
            lexed("a -- b 'c\nd", Engine::Sqlite),
            vec![(Word, "a"), (LineComment, "-- b 'c"), (Word, "d")]
        );
        assert_eq!(lexed("# x\ny", Engine::Mysql)[0], (LineComment, "# x"));
        assert_eq!(lexed("# x", Engine::Postgres)[0], (Punct, "#"));
        assert_eq!(
            lexed("/* a 'b */ c", Engine::Mysql),
            vec![(BlockComment, "/* a 'b */"), (Word, "c")]
        );
        assert_eq!(
            lexed("/*!50100 x */", Engine::Mysql)[0],
            (BlockComment, "/*!50100 x */")
        );
        // PostgreSQL nests block comments; SQLite and MySQL end at the first `*/`.
        assert_eq!(
            lexed("/* a /* b */ c */ d", Engine::Postgres),
            vec![(BlockComment, "/* a /* b */ c */"), (Word, "d")]
        );
        assert_eq!(
            lexed("/* a /* b */ c */", Engine::Sqlite)[..2],
            [(BlockComment, "/* a /* b */"), (Word, "c")]
        );
        assert_eq!(
            lexed("/* open", Engine::Sqlite),
            vec![(BlockComment, "/* open")]
        );
    }

    #[test]
    fn dollar_quotes_on_postgres_only() {
        assert_eq!(
            lexed("$$a;'b$$ $f$ $$ $f$ $1 $2x", Engine::Postgres),
            vec![
                (DollarString, "$$a;'b$$"),
                (DollarString, "$f$ $$ $f$"),
                (Punct, "$"),
                (Number, "1"),
                (Punct, "$"),
                (Number, "2x"),
            ]
        );
        assert_eq!(
            lexed("$body$ open", Engine::Postgres),
            vec![(DollarString, "$body$ open")]
        );
        assert_eq!(lexed("$$a$$", Engine::Mysql)[0], (Punct, "$"));
    }

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
        assert!(!mentions(
            "SELECT E'it\\'s orders' FROM other",
            Engine::Postgres,
            "orders"
        ));
        assert!(mentions("SELECT 1 FROM [Orders]", Engine::Sqlite, "orders"));
    }

    #[test]
    fn words_keep_offsets_and_quotes() {
        let w = words("select \"A\"\"b\" from t", Engine::Postgres);
        assert_eq!(w[1].text, "A\"b");
        assert_eq!((w[1].offset, w[1].len, w[1].quoted), (7, 6, true));
        assert_eq!(w[2].upper, "FROM");
    }
}
