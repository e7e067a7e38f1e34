use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::Engine;

/// Statements every rule handles by their words, so a parser that does not know them is no
/// reason to warn (sqlparser does not parse these PostgreSQL statements).
const WORD_LEVEL: &[&str] = &[
    "REINDEX",
    "CLUSTER",
    "VACUUM",
    "COMMENT",
    "GRANT",
    "REVOKE",
    "DO",
    "SET",
    "RESET",
    "DELIMITER",
    "PRAGMA",
    "OPTIMIZE",
];

/// ## What it does
/// Reports a statement the linter's SQL parser could not read.
///
/// ## Why is this bad?
/// Rules that need the statement's structure cannot check it, so a risky change could pass
/// unnoticed. (Rules that work on keywords, such as the lock rules, still run.)
///
/// ## Example
/// ```sql
/// CREATE TABEL users (id int);
/// ```
///
/// ## Use instead
/// Fix the syntax; if the engine accepts the statement and the parser does not, review it by
/// hand and accept it with `-- strata:allow ST001 <reason>`.
pub struct ParseError;

impl Rule for ParseError {
    fn code(&self) -> &'static str {
        "ST001"
    }
    fn name(&self) -> &'static str {
        "parse-error"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres, Engine::Mysql, Engine::Sqlite]
    }
    fn check(&self, _file: &LintFile, stmt: &Statement, _ctx: &Context, out: &mut Findings) {
        let Some(err) = &stmt.parse_error else { return };
        // Valid statements sqlparser 0.64 does not know are read by words: MySQL ALTERs with
        // CONVERT TO CHARACTER SET or FORCE, PostgreSQL DROP INDEX CONCURRENTLY.
        if (stmt.starts_with(&["ALTER", "TABLE"]) && (stmt.has("CONVERT") || stmt.has("FORCE")))
            || stmt.starts_with(&["DROP", "INDEX", "CONCURRENTLY"])
        {
            return;
        }
        if stmt
            .words
            .first()
            .is_some_and(|w| WORD_LEVEL.contains(&w.upper.as_str()))
        {
            return;
        }
        // Routine and trigger bodies vary too much between engines for a portable parser.
        if stmt.starts_with(&["CREATE"])
            && ["FUNCTION", "PROCEDURE", "TRIGGER", "AGGREGATE", "EVENT"]
                .iter()
                .any(|k| stmt.words.iter().take(6).any(|w| w.upper == *k))
        {
            return;
        }
        out.report_words(
            stmt,
            0,
            0,
            Severity::Warning,
            format!(
                "the linter could not parse this statement ({err}); structural rules skipped it"
            ),
            Some("check the syntax; if the engine accepts it, review it by hand".into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check;

    #[test]
    fn finds_unparsable_statements() {
        insta::assert_snapshot!(check(
            &ParseError,
            Engine::Postgres,
            "CREATE TABEL users (id int);"
        ));
    }

    #[test]
    fn does_not_find_word_level_statements() {
        insta::assert_snapshot!(check(&ParseError, Engine::Postgres, "REINDEX TABLE users;\nCLUSTER users USING users_pkey;\nSELECT 1;"), @"no findings");
    }
}
