//! Splitting a migration file into statements, with the line each one starts on.
//!
//! Non-transactional migrations (and every MySQL migration) run statement by statement and record
//! their progress, so strata has to know where statements end without a full parser: it tracks
//! string literals, quoted identifiers, comments, PostgreSQL dollar quotes, `BEGIN ... END` bodies of
//! triggers and routines, and the MySQL client's `DELIMITER` command.

use crate::Engine;

/// One statement of a migration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The statement text, from its first token to its end, without the delimiter.
    pub sql: String,
    /// 1-based line of the statement's first token in the file.
    pub line: usize,
}

/// Splits `sql` into statements for `engine`; comment-only and empty pieces are dropped.
pub fn split(sql: &str, engine: Engine) -> Vec<Statement> {
    Splitter::new(sql, engine).run()
}

struct Splitter<'a> {
    src: &'a str,
    bytes: &'a [u8],
    engine: Engine,
    pos: usize,
    line: usize,
    out: Vec<Statement>,
}

impl<'a> Splitter<'a> {
    fn new(src: &'a str, engine: Engine) -> Self {
        Splitter {
            src,
            bytes: src.as_bytes(),
            engine,
            pos: 0,
            line: 1,
            out: Vec::new(),
        }
    }

    fn run(mut self) -> Vec<Statement> {
        let mut delimiter = ";".to_string();
        loop {
            self.skip_blank_and_comments();
            if self.pos >= self.bytes.len() {
                break;
            }
            // The MySQL client's DELIMITER command is a line of its own, not SQL.
            if self.engine == Engine::Mysql && self.at_keyword("DELIMITER") {
                let end = self.src[self.pos..]
                    .find('\n')
                    .map_or(self.bytes.len(), |i| self.pos + i);
                let new = self.src[self.pos + "DELIMITER".len()..end].trim();
                if !new.is_empty() {
                    delimiter = new.to_string();
                }
                self.pos = end;
                continue;
            }
            let start = self.pos;
            let start_line = self.line;
            let end = self.scan_statement(&delimiter);
            let text = self.src[start..end].trim_end();
            if !text.is_empty() {
                self.out.push(Statement {
                    sql: text.to_string(),
                    line: start_line,
                });
            }
        }
        self.out
    }

    /// Scans one statement from `self.pos`; returns the end of its text and leaves `pos` after the delimiter.
    fn scan_statement(&mut self, delimiter: &str) -> usize {
        let statement_start = self.pos;
        let mut block_depth = 0usize;
        let mut routine: Option<bool> = None;
        while self.pos < self.bytes.len() {
            if block_depth == 0 && self.src[self.pos..].starts_with(delimiter) {
                let end = self.pos;
                self.pos += delimiter.len();
                return end;
            }
            let b = self.bytes[self.pos];
            match b {
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                }
                b'\'' => self.skip_quoted(b'\'', self.backslash_escapes_at(self.pos)),
                b'"' => self.skip_quoted(b'"', self.engine == Engine::Mysql),
                b'`' if self.engine != Engine::Postgres => self.skip_quoted(b'`', false),
                b'[' if self.engine == Engine::Sqlite => self.skip_until(b']'),
                b'-' if self.peek(1) == Some(b'-') => self.skip_line_comment(),
                b'#' if self.engine == Engine::Mysql => self.skip_line_comment(),
                b'/' if self.peek(1) == Some(b'*') => self.skip_block_comment(),
                b'$' if self.engine == Engine::Postgres => {
                    if !self.skip_dollar_quoted() {
                        self.pos += 1;
                    }
                }
                c if is_word_start(c) && !self.prev_is_word() => {
                    let word_end = self.word_end();
                    let word = &self.src[self.pos..word_end];
                    let is_routine = *routine
                        .get_or_insert_with(|| starts_routine(&self.src[statement_start..]));
                    if is_routine {
                        if word.eq_ignore_ascii_case("BEGIN") || word.eq_ignore_ascii_case("CASE") {
                            block_depth += 1;
                        } else if word.eq_ignore_ascii_case("END") && block_depth > 0 {
                            // `END IF`, `END LOOP`, `END WHILE`... close a block opened by a
                            // keyword strata does not count; only a bare END closes BEGIN/CASE.
                            let rest = self.src[word_end..].trim_start();
                            let next = rest
                                .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                                .next()
                                .unwrap_or("");
                            let closes_other = ["IF", "LOOP", "WHILE", "REPEAT", "FOR"]
                                .iter()
                                .any(|k| next.eq_ignore_ascii_case(k));
                            if !closes_other {
                                block_depth -= 1;
                            }
                        }
                    }
                    self.pos = word_end;
                }
                _ => self.pos += 1,
            }
        }
        self.bytes.len()
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn prev_is_word(&self) -> bool {
        self.pos > 0 && is_word_byte(self.bytes[self.pos - 1])
    }

    fn word_end(&self) -> usize {
        let mut i = self.pos;
        while i < self.bytes.len() && is_word_byte(self.bytes[i]) {
            i += 1;
        }
        i
    }

    fn at_keyword(&self, kw: &str) -> bool {
        let end = self.pos + kw.len();
        end <= self.bytes.len()
            && self.src.is_char_boundary(end)
            && self.src[self.pos..end].eq_ignore_ascii_case(kw)
            && self.bytes.get(end).is_none_or(|b| !is_word_byte(*b))
    }

    /// PostgreSQL's `E'...'` strings and every MySQL string treat backslash as an escape.
    fn backslash_escapes_at(&self, quote_pos: usize) -> bool {
        match self.engine {
            Engine::Mysql => true,
            Engine::Postgres => {
                quote_pos > 0
                    && matches!(self.bytes[quote_pos - 1], b'E' | b'e')
                    && (quote_pos < 2 || !is_word_byte(self.bytes[quote_pos - 2]))
            }
            Engine::Sqlite => false,
        }
    }

    fn skip_quoted(&mut self, quote: u8, backslash: bool) {
        self.pos += 1;
        while self.pos < self.bytes.len() {
            let b = self.bytes[self.pos];
            if b == b'\n' {
                self.line += 1;
            }
            if backslash && b == b'\\' {
                if self.peek(1) == Some(b'\n') {
                    self.line += 1;
                }
                self.pos += 2;
                continue;
            }
            self.pos += 1;
            if b == quote {
                if self.bytes.get(self.pos) == Some(&quote) {
                    self.pos += 1;
                } else {
                    return;
                }
            }
        }
    }

    fn skip_until(&mut self, close: u8) {
        while self.pos < self.bytes.len() {
            let b = self.bytes[self.pos];
            self.pos += 1;
            if b == b'\n' {
                self.line += 1;
            }
            if b == close {
                return;
            }
        }
    }

    fn skip_line_comment(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
            self.pos += 1;
        }
    }

    fn skip_block_comment(&mut self) {
        // PostgreSQL nests block comments; the others end at the first `*/`.
        let nests = self.engine == Engine::Postgres;
        let mut depth = 0usize;
        while self.pos < self.bytes.len() {
            if self.bytes[self.pos] == b'/' && self.peek(1) == Some(b'*') {
                if depth == 0 || nests {
                    depth += 1;
                }
                self.pos += 2;
            } else if self.bytes[self.pos] == b'*' && self.peek(1) == Some(b'/') {
                depth -= 1;
                self.pos += 2;
                if depth == 0 {
                    return;
                }
            } else {
                if self.bytes[self.pos] == b'\n' {
                    self.line += 1;
                }
                self.pos += 1;
            }
        }
    }

    /// Skips `$tag$ ... $tag$`; returns false when `$` does not open a dollar quote (e.g. `$1`).
    fn skip_dollar_quoted(&mut self) -> bool {
        if self.prev_is_word() {
            return false;
        }
        let rest = &self.src[self.pos + 1..];
        let Some(close) = rest.find('$') else {
            return false;
        };
        let tag = &rest[..close];
        if tag.starts_with(|c: char| c.is_ascii_digit())
            || !tag.chars().all(|c| c.is_alphanumeric() || c == '_')
        {
            return false;
        }
        let delim = format!("${tag}$");
        let body_start = self.pos + delim.len();
        let end = match self.src[body_start..].find(&delim) {
            Some(i) => body_start + i + delim.len(),
            None => self.bytes.len(),
        };
        self.line += self.src[self.pos..end].matches('\n').count();
        self.pos = end;
        true
    }

    fn skip_blank_and_comments(&mut self) {
        while self.pos < self.bytes.len() {
            let b = self.bytes[self.pos];
            if b == b'\n' {
                self.line += 1;
                self.pos += 1;
            } else if b.is_ascii_whitespace() || (b == b';' && self.engine != Engine::Mysql) {
                self.pos += 1;
            } else if (b == b'-' && self.peek(1) == Some(b'-'))
                || (b == b'#' && self.engine == Engine::Mysql)
            {
                self.skip_line_comment();
            } else if b == b'/'
                && self.peek(1) == Some(b'*')
                // MySQL's `/*! ... */` conditional comments are executable SQL.
                && !(self.engine == Engine::Mysql && self.peek(2) == Some(b'!'))
            {
                self.skip_block_comment();
            } else if b == 0xEF && self.src[self.pos..].starts_with('\u{feff}') {
                self.pos += '\u{feff}'.len_utf8();
            } else {
                return;
            }
        }
    }
}

fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Whether a statement creates a trigger, function, procedure or event whose body may hold
/// `BEGIN ... END` blocks with semicolons inside.
fn starts_routine(statement: &str) -> bool {
    let words: Vec<String> = statement
        .split(|c: char| c.is_whitespace() || c == '(')
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| w.to_ascii_uppercase())
        .collect();
    if words.first().map(String::as_str) != Some("CREATE") {
        return false;
    }
    words
        .iter()
        .skip(1)
        .any(|w| matches!(w.as_str(), "TRIGGER" | "FUNCTION" | "PROCEDURE" | "EVENT"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str, engine: Engine) -> Vec<(usize, String)> {
        split(sql, engine)
            .into_iter()
            .map(|s| (s.line, s.sql))
            .collect()
    }

    #[test]
    fn splits_on_semicolons_outside_literals_and_comments() {
        let sql = "-- header\nCREATE TABLE a (x text default ';');\n/* c; */ INSERT INTO a VALUES ('it''s;');\n\n";
        assert_eq!(
            texts(sql, Engine::Sqlite),
            vec![
                (2, "CREATE TABLE a (x text default ';')".to_string()),
                (3, "INSERT INTO a VALUES ('it''s;')".to_string()),
            ]
        );
    }

    #[test]
    fn keeps_dollar_quoted_bodies_whole() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $body$\nBEGIN\n  RETURN 1;\nEND;\n$body$ LANGUAGE plpgsql;\nSELECT $1;";
        let got = texts(sql, Engine::Postgres);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], (6, "SELECT $1".to_string()));
    }

    #[test]
    fn keeps_sqlite_trigger_bodies_whole() {
        let sql = "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE a SET x = CASE WHEN 1 THEN 'y' END;\n  DELETE FROM b;\nEND;\nSELECT 1;";
        let got = texts(sql, Engine::Sqlite);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].1.ends_with("END"));
        assert_eq!(got[1].0, 5);
    }

    #[test]
    fn honours_mysql_delimiter_and_backslashes() {
        let sql = "INSERT INTO a VALUES ('a\\';b');\nDELIMITER //\nCREATE PROCEDURE p() BEGIN\n SELECT 1;\n IF 1 THEN SELECT 2; END IF;\nEND//\nDELIMITER ;\nSELECT 3;";
        let got = texts(sql, Engine::Mysql);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[1].0, 3);
        assert!(got[1].1.ends_with("END"));
        assert_eq!(got[2], (8, "SELECT 3".to_string()));
    }

    #[test]
    fn mysql_routine_without_delimiter_command() {
        let sql = "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN\n IF NEW.x IS NULL THEN SET NEW.x = 1; END IF;\nEND;\nSELECT 1;";
        let got = texts(sql, Engine::Mysql);
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn comment_only_file_has_no_statements() {
        assert!(split(
            "-- strata:no-transaction\n/* nothing */\n",
            Engine::Postgres
        )
        .is_empty());
    }
}
