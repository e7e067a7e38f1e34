//! Splitting a migration file into statements, with the line each one starts on.
//!
//! Non-transactional migrations (and every MySQL migration) run statement by statement and record
//! their progress, so strata has to know where statements end without a full parser: it reads
//! [`lex`] tokens (so a delimiter inside a string, quoted identifier, comment or dollar quote does
//! not count) and tracks `BEGIN ... END` bodies of triggers and routines and the MySQL client's
//! `DELIMITER` command.

use crate::lex::{self, Token, TokenKind, Tokens};
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
    engine: Engine,
    lexer: Tokens<'a>,
    /// The line of byte `line_pos`; statements are met in order, so lines are counted once.
    line: usize,
    line_pos: usize,
    out: Vec<Statement>,
}

impl<'a> Splitter<'a> {
    fn new(src: &'a str, engine: Engine) -> Self {
        Splitter {
            src,
            engine,
            lexer: lex::tokens(src, engine),
            line: 1,
            line_pos: 0,
            out: Vec::new(),
        }
    }

    fn run(mut self) -> Vec<Statement> {
        let mut delimiter = ";".to_string();
        loop {
            self.skip_blank_and_comments();
            let start = self.lexer.pos();
            let Some(first) = self.lexer.clone().next() else {
                break;
            };
            // The MySQL client's DELIMITER command is a line of its own, not SQL.
            if self.engine == Engine::Mysql && self.at_keyword(first, "DELIMITER") {
                let end = self.src[start..]
                    .find('\n')
                    .map_or(self.src.len(), |i| start + i);
                let new = self.src[start + "DELIMITER".len()..end].trim();
                if !new.is_empty() {
                    delimiter = new.to_string();
                }
                self.lexer.seek(end);
                continue;
            }
            let start_line = self.line_at(start);
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

    fn line_at(&mut self, pos: usize) -> usize {
        self.line += self.src[self.line_pos..pos].matches('\n').count();
        self.line_pos = pos;
        self.line
    }

    /// Scans one statement from the lexer's position; returns the end of its text and leaves the
    /// lexer after the delimiter.
    fn scan_statement(&mut self, delimiter: &str) -> usize {
        let statement_start = self.lexer.pos();
        let mut block_depth = 0usize;
        let mut routine: Option<bool> = None;
        loop {
            let pos = self.lexer.pos();
            if block_depth == 0 && self.src[pos..].starts_with(delimiter) {
                self.lexer.seek(pos + delimiter.len());
                return pos;
            }
            let Some(tok) = self.lexer.next() else {
                return self.src.len();
            };
            if tok.kind != TokenKind::Word {
                continue;
            }
            // `$` is a word character to the servers, but `END$$` ends a routine under the
            // client's `DELIMITER $$`: the keyword is the part before the first `$`, and the
            // delimiter may start at any `$` of the word.
            let text = tok.text(self.src);
            let word = text.split('$').next().unwrap_or(text);
            let is_routine =
                *routine.get_or_insert_with(|| starts_routine(&self.src[statement_start..]));
            if is_routine {
                if word.eq_ignore_ascii_case("BEGIN") || word.eq_ignore_ascii_case("CASE") {
                    block_depth += 1;
                } else if word.eq_ignore_ascii_case("END") && block_depth > 0 {
                    // `END IF`, `END LOOP`, `END WHILE`... close a block opened by a keyword
                    // strata does not count; only a bare END closes BEGIN/CASE.
                    let rest = self.src[tok.start + word.len()..].trim_start();
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
            if block_depth == 0 {
                let inside = text
                    .match_indices('$')
                    .map(|(i, _)| tok.start + i)
                    .find(|&at| self.src[at..].starts_with(delimiter));
                if let Some(at) = inside {
                    self.lexer.seek(at + delimiter.len());
                    return at;
                }
            }
        }
    }

    /// Whether `tok` is the word `kw`, also when a `$` follows it (`DELIMITER$$`).
    fn at_keyword(&self, tok: Token, kw: &str) -> bool {
        tok.kind == TokenKind::Word
            && tok
                .text(self.src)
                .split('$')
                .next()
                .is_some_and(|w| w.eq_ignore_ascii_case(kw))
    }

    fn skip_blank_and_comments(&mut self) {
        loop {
            let mut ahead = self.lexer.clone();
            let Some(tok) = ahead.next() else {
                return;
            };
            let skip = match tok.kind {
                TokenKind::Space | TokenKind::LineComment => true,
                // MySQL's `/*! ... */` conditional comments are executable SQL.
                TokenKind::BlockComment => {
                    !(self.engine == Engine::Mysql && tok.text(self.src).starts_with("/*!"))
                }
                TokenKind::Punct => self.engine != Engine::Mysql && tok.is_punct(self.src, ';'),
                _ => false,
            };
            if !skip {
                return;
            }
            self.lexer = ahead;
        }
    }
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
    fn mysql_delimiter_glued_to_end() {
        let sql = "DELIMITER $$\nCREATE PROCEDURE p() BEGIN\n SELECT 'a$$';\nEND$$\nDELIMITER ;\nSELECT 1;";
        let got = texts(sql, Engine::Mysql);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].1.ends_with("END"), "{got:?}");
        assert_eq!(got[1], (6, "SELECT 1".to_string()));
    }

    #[test]
    fn semicolons_inside_engine_specific_quotes_and_comments_do_not_split() {
        let pg = "SELECT E'a\\';b' /* x /* y; */ z; */ ;\nSELECT 2;";
        assert_eq!(
            texts(pg, Engine::Postgres).len(),
            2,
            "{:?}",
            texts(pg, Engine::Postgres)
        );
        let sqlite = "CREATE TABLE [a;b] (x);\nSELECT 2;";
        assert_eq!(texts(sqlite, Engine::Sqlite)[0].1, "CREATE TABLE [a;b] (x)");
        let mysql = "SELECT \"a\\\";b\" # c;\n;\nSELECT 2;";
        assert_eq!(
            texts(mysql, Engine::Mysql).len(),
            2,
            "{:?}",
            texts(mysql, Engine::Mysql)
        );
    }

    #[test]
    fn mysql_conditional_comment_is_a_statement() {
        let got = texts(
            "/*!40101 SET NAMES utf8 */;\n/* plain */ SELECT 1;",
            Engine::Mysql,
        );
        assert_eq!(
            got,
            vec![
                (1, "/*!40101 SET NAMES utf8 */".to_string()),
                (2, "SELECT 1".to_string())
            ]
        );
    }

    #[test]
    fn a_word_starting_with_a_non_ascii_letter_is_one_word() {
        // The byte scanner this replaced stepped into `Ü` and panicked on a slice.
        for e in [Engine::Sqlite, Engine::Postgres, Engine::Mysql] {
            let got = texts("SELECT Über FROM t;\nSELECT 2;", e);
            assert_eq!(got[1], (2, "SELECT 2".to_string()), "{e:?}");
        }
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
