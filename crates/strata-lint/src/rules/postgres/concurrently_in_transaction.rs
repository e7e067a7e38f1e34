use super::alter_table;
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY` and
/// `ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY` in a migration that runs in a transaction.
///
/// ## Why is this bad?
/// PostgreSQL refuses them inside a transaction block ("cannot run inside a transaction block"):
/// the concurrent forms commit several times internally so that they only ever hold a SHARE
/// UPDATE EXCLUSIVE lock. The migration fails when it is applied.
///
/// ## Example
/// ```sql
/// CREATE INDEX CONCURRENTLY orders_created_at ON orders (created_at);
/// ```
///
/// ## Use instead
/// Put the statement in its own migration marked to run outside a transaction:
/// ```sql
/// -- strata:no-transaction
/// CREATE INDEX CONCURRENTLY orders_created_at ON orders (created_at);
/// ```
pub struct ConcurrentlyInTransaction;

impl Rule for ConcurrentlyInTransaction {
    fn code(&self) -> &'static str {
        "PG003"
    }
    fn name(&self) -> &'static str {
        "concurrently-in-transaction"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, _ctx: &Context, out: &mut Findings) {
        if !file.transactional() {
            return;
        }
        let found = if stmt.starts_with(&["CREATE", "INDEX", "CONCURRENTLY"]) {
            Some((2, "CREATE INDEX CONCURRENTLY"))
        } else if stmt.starts_with(&["CREATE", "UNIQUE", "INDEX", "CONCURRENTLY"]) {
            Some((3, "CREATE INDEX CONCURRENTLY"))
        } else if stmt.starts_with(&["DROP", "INDEX", "CONCURRENTLY"]) {
            Some((2, "DROP INDEX CONCURRENTLY"))
        } else if stmt.starts_with(&["REINDEX"]) {
            // `REINDEX TABLE CONCURRENTLY t` or, since PG 14, `REINDEX (CONCURRENTLY) TABLE t`.
            stmt.find("CONCURRENTLY")
                .map(|c| (c, "REINDEX CONCURRENTLY"))
        } else if let Some(alter) = alter_table::parse(stmt) {
            alter.actions.iter().find_map(|a| {
                let c = a.find(stmt, "CONCURRENTLY")?;
                a.starts_with(stmt, &["DETACH", "PARTITION"])
                    .then_some((c, "DETACH PARTITION ... CONCURRENTLY"))
            })
        } else {
            None
        };
        let Some((at, what)) = found else { return };
        out.report_words(
            stmt,
            at,
            at,
            Severity::Error,
            format!(
                "{what} cannot run inside a transaction block, and this migration runs in one"
            ),
            Some(
                "move the statement to its own migration with `-- strata:no-transaction` in its header"
                    .into(),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check;

    #[test]
    fn finds_concurrent_statements_in_a_transaction() {
        insta::assert_snapshot!(check(
            &ConcurrentlyInTransaction,
            Engine::Postgres,
            "CREATE UNIQUE INDEX CONCURRENTLY a ON orders (x);\nDROP INDEX CONCURRENTLY b;\nREINDEX (VERBOSE) TABLE CONCURRENTLY orders;\nALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;"
        ));
    }

    #[test]
    fn does_not_find_them_outside_a_transaction() {
        insta::assert_snapshot!(check(
            &ConcurrentlyInTransaction,
            Engine::Postgres,
            "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY a ON orders (x);\nREINDEX INDEX CONCURRENTLY a;"
        ), @"no findings");
        insta::assert_snapshot!(check(
            &ConcurrentlyInTransaction,
            Engine::Postgres,
            "CREATE INDEX a ON orders (x);\nREFRESH MATERIALIZED VIEW CONCURRENTLY totals;"
        ), @"no findings");
    }
}
