use super::alter::locked_tables;
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds the first DDL statement on an existing table in a file that neither sets a session
/// `lock_wait_timeout` before it (`SET [SESSION] lock_wait_timeout = 5`) nor has a
/// `-- strata:lock-timeout` directive. Reported once per file.
///
/// ## Why is this bad?
/// Every DDL needs an exclusive metadata lock on the table at its start and end. While it waits
/// for one (behind a long transaction or a slow query), every later query on the table queues
/// behind it: the application stalls. `lock_wait_timeout` defaults to one year on MySQL and one
/// day on MariaDB, so the wait is effectively unbounded.
///
/// ## Example
/// ```sql
/// ALTER TABLE orders ADD COLUMN shipped_at DATETIME NULL, ALGORITHM=INSTANT;
/// ```
///
/// ## Use instead
/// Give up quickly and retry later:
/// ```sql
/// -- strata:lock-timeout 5s
/// ALTER TABLE orders ADD COLUMN shipped_at DATETIME NULL, ALGORITHM=INSTANT;
/// ```
pub struct MissingLockWaitTimeout;

/// The first DDL statement of `file` that locks an existing table, with the table and its word.
fn first_locking(file: &LintFile) -> Option<(usize, String, usize)> {
    file.statements.iter().find_map(|s| {
        locked_tables(s)
            .into_iter()
            .find(|(t, _)| !file.created_here(t, s.index))
            .map(|(t, w)| (s.index, t, w))
    })
}

/// Whether `stmt` sets this session's `lock_wait_timeout` to a number.
fn sets_timeout(stmt: &Statement) -> bool {
    if !stmt.starts_with(&["SET"]) || stmt.starts_with(&["SET", "STATEMENT"]) {
        return false;
    }
    let Some(at) = stmt.find("LOCK_WAIT_TIMEOUT") else {
        return false;
    };
    let global = stmt.words[..at]
        .iter()
        .any(|w| matches!(w.upper.as_str(), "GLOBAL" | "PERSIST" | "PERSIST_ONLY"));
    // `= DEFAULT` puts the year-long wait back.
    let default = stmt.word(at + 1).is_some_and(|w| w.upper == "DEFAULT");
    !global && !default
}

impl Rule for MissingLockWaitTimeout {
    fn code(&self) -> &'static str {
        "MY003"
    }
    fn name(&self) -> &'static str {
        "missing-lock-wait-timeout"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Mysql]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        if file.directives.lock_timeout.is_some() {
            return;
        }
        let Some((index, table, word)) = first_locking(file) else {
            return;
        };
        if index != stmt.index || file.statements[..index].iter().any(sets_timeout) {
            return;
        }
        let size = ctx
            .describe(&table)
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let name_end = stmt.name_at(word).map_or(word, |(_, next)| next - 1);
        out.report_words(
            stmt,
            0,
            name_end,
            Severity::Warning,
            format!("no lock_wait_timeout before this DDL on {table}{size}: it waits up to a year (MySQL) or a day (MariaDB) for the metadata lock while every query on {table} queues behind it"),
            Some("add `-- strata:lock-timeout 5s` to the file's header (or `SET SESSION lock_wait_timeout = 5;` before the DDL) and retry when it times out".into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check;

    #[test]
    fn finds_the_first_ddl_without_timeout() {
        insta::assert_snapshot!(check(
            &MissingLockWaitTimeout,
            Engine::Mysql,
            "CREATE TABLE audit (id INT);\nSET GLOBAL lock_wait_timeout = 5;\nCREATE INDEX orders_total ON orders (total);\nALTER TABLE customers ADD COLUMN vip BOOL;"
        ));
    }

    #[test]
    fn does_not_find_with_a_timeout() {
        insta::assert_snapshot!(check(
            &MissingLockWaitTimeout,
            Engine::Mysql,
            "SET SESSION lock_wait_timeout = 5;\nALTER TABLE orders ADD COLUMN a INT;"
        ), @"no findings");
        insta::assert_snapshot!(check(
            &MissingLockWaitTimeout,
            Engine::Mysql,
            "-- strata:lock-timeout 3s\nALTER TABLE orders ADD COLUMN a INT;\nDROP TABLE old_orders;"
        ), @"no findings");
    }
}
