use super::alter::Alter;
use crate::rule::{small_table, Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER TABLE` on an existing table that does not assert how it may run: no
/// `ALGORITHM=` clause, or `ALGORITHM=INPLACE|COPY` without `LOCK=`. (`ALGORITHM=INSTANT` needs
/// no `LOCK=`: MySQL only accepts `LOCK=DEFAULT` with it.)
///
/// ## Why is this bad?
/// Without the clauses MySQL quietly picks the best algorithm it can, and the worst one it can
/// pick is a full table copy that blocks writes. The clauses are assertions: when the change
/// cannot run that way, the server refuses it at once instead of locking production.
///
/// ## Example
/// ```sql
/// ALTER TABLE orders ADD COLUMN shipped_at DATETIME NULL;
/// ```
///
/// ## Use instead
/// ```sql
/// ALTER TABLE orders ADD COLUMN shipped_at DATETIME NULL, ALGORITHM=INSTANT;
/// ALTER TABLE orders ADD INDEX orders_shipped_at (shipped_at), ALGORITHM=INPLACE, LOCK=NONE;
/// ```
pub struct AlterWithoutAlgorithm;

impl Rule for AlterWithoutAlgorithm {
    fn code(&self) -> &'static str {
        "MY002"
    }
    fn name(&self) -> &'static str {
        "alter-without-algorithm"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Mysql]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        let Some(alter) = Alter::parse(stmt) else {
            return;
        };
        let table = &alter.table;
        if file.created_here(table, stmt.index) {
            return;
        }
        let size = ctx
            .describe(table)
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let (severity, message) = match (alter.algorithm.as_deref(), alter.lock.as_deref()) {
            (Some("INSTANT"), _) | (Some(_), Some(_)) => return,
            (None, None) => (
                if small_table(ctx, table) {
                    Severity::Info
                } else {
                    Severity::Warning
                },
                format!("ALTER TABLE {table} asserts neither ALGORITHM nor LOCK: MySQL may silently copy the table and block writes{size}"),
            ),
            (Some(a), None) => (
                Severity::Info,
                format!("ALTER TABLE {table} asserts ALGORITHM={a} but no LOCK: it may still block writes while it runs{size}"),
            ),
            (None, Some(l)) => (
                Severity::Info,
                format!("ALTER TABLE {table} asserts LOCK={l} but no ALGORITHM: MySQL picks the algorithm{size}"),
            ),
        };
        out.report_words(
            stmt,
            0,
            alter.name_to,
            severity,
            message,
            Some("append `, ALGORITHM=INSTANT` for metadata-only changes, or `, ALGORITHM=INPLACE, LOCK=NONE`; the server then refuses rather than copies or locks".into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, check_with, with_rows};

    #[test]
    fn finds_alters_without_assertions() {
        insta::assert_snapshot!(check(
            &AlterWithoutAlgorithm,
            Engine::Mysql,
            "ALTER TABLE orders ADD COLUMN shipped_at DATETIME NULL;\nALTER TABLE shop.orders ADD INDEX i (a), ALGORITHM = INPLACE;\nALTER TABLE orders DROP INDEX i, LOCK=NONE;"
        ));
        insta::assert_snapshot!(
            "small_table",
            check_with(
                &AlterWithoutAlgorithm,
                Engine::Mysql,
                "ALTER TABLE countries ADD COLUMN iso3 CHAR(3) NULL;",
                &with_rows("countries", 250)
            )
        );
    }

    #[test]
    fn does_not_find_asserted_alters_or_new_tables() {
        insta::assert_snapshot!(check(
            &AlterWithoutAlgorithm,
            Engine::Mysql,
            "ALTER TABLE orders ADD COLUMN a INT, ALGORITHM=INSTANT;\nALTER TABLE orders ADD INDEX i (a), ALGORITHM=INPLACE, LOCK=NONE;\nCREATE TABLE n (id INT);\nALTER TABLE n ADD COLUMN b INT;"
        ), @"no findings");
    }
}
