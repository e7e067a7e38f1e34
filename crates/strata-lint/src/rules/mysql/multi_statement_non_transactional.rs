use super::alter::is_ddl;
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds MySQL migration files with more than one DDL statement, on the second one.
///
/// ## Why is this bad?
/// MySQL commits each DDL statement on its own, before and after it: a migration cannot run in
/// one transaction. When the second statement fails, the first stays applied and nothing rolls
/// it back; the database is between two versions until someone finishes or undoes it by hand.
///
/// ## Example
/// ```sql
/// ALTER TABLE orders ADD COLUMN shipped_at DATETIME NULL, ALGORITHM=INSTANT;
/// ALTER TABLE orders ADD INDEX orders_shipped_at (shipped_at), ALGORITHM=INPLACE, LOCK=NONE;
/// ```
///
/// ## Use instead
/// One DDL statement per migration file, or several changes to one table in one `ALTER TABLE`:
/// ```sql
/// ALTER TABLE orders
///   ADD COLUMN shipped_at DATETIME NULL,
///   ADD INDEX orders_shipped_at (shipped_at),
///   ALGORITHM=INPLACE, LOCK=NONE;
/// ```
pub struct MultiStatementNonTransactional;

impl Rule for MultiStatementNonTransactional {
    fn code(&self) -> &'static str {
        "MY004"
    }
    fn name(&self) -> &'static str {
        "multi-statement-non-transactional"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Mysql]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, _ctx: &Context, out: &mut Findings) {
        if !is_ddl(stmt) {
            return;
        }
        let before = file.statements[..stmt.index]
            .iter()
            .filter(|s| is_ddl(s))
            .count();
        if before != 1 {
            return;
        }
        let total = file.statements.iter().filter(|s| is_ddl(s)).count();
        out.report_words(
            stmt,
            0,
            1,
            Severity::Warning,
            format!("second of {total} DDL statements in this file: MySQL commits each one on its own, so if this one or a later one fails, the earlier ones stay applied and nothing rolls them back"),
            Some("put one DDL statement per migration (several changes to one table fit in one ALTER TABLE); strata records progress and resumes a failed file, but cannot roll it back".into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check;

    #[test]
    fn finds_the_second_ddl() {
        insta::assert_snapshot!(check(
            &MultiStatementNonTransactional,
            Engine::Mysql,
            "SET SESSION lock_wait_timeout = 5;\nCREATE TABLE tags (id INT PRIMARY KEY);\nINSERT INTO tags VALUES (1);\nALTER TABLE posts ADD COLUMN tag_id INT;\nCREATE INDEX posts_tag ON posts (tag_id);"
        ));
    }

    #[test]
    fn does_not_find_one_ddl() {
        insta::assert_snapshot!(check(
            &MultiStatementNonTransactional,
            Engine::Mysql,
            "SET SESSION lock_wait_timeout = 5;\nALTER TABLE posts ADD COLUMN tag_id INT, ADD INDEX posts_tag (tag_id);\nCREATE TEMPORARY TABLE scratch (id INT);\nUPDATE posts SET tag_id = 1;"
        ), @"no findings");
    }
}
