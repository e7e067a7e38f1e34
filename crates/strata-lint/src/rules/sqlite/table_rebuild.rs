use super::rebuild::rebuilds;
use crate::rule::{small_table, Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds table rebuilds: a new table created, the rows copied into it, the old table dropped and
/// the new one renamed to the old name. That is how `strata plan` writes changes SQLite's
/// `ALTER TABLE` cannot make (`CREATE TABLE _strata_new_orders ...`), and how they are written by
/// hand (`new_orders`, or renaming the old table away first).
///
/// ## Why is this bad?
/// The whole table is copied while the database's write lock is held: every other writer waits
/// (or fails with `SQLITE_BUSY` once its `busy_timeout` runs out) until the copy, the index
/// rebuilds and the commit are done. On a large table that is a noticeable outage.
///
/// ## Example
/// ```sql
/// CREATE TABLE _strata_new_orders (id INTEGER PRIMARY KEY, total INTEGER NOT NULL);
/// INSERT INTO _strata_new_orders (id, total) SELECT id, total FROM orders;
/// DROP TABLE orders;
/// ALTER TABLE _strata_new_orders RENAME TO orders;
/// ```
///
/// ## Use instead
/// A rebuild is often the only way; run it when writes are quiet, and check the table's size
/// first (`strata lint --database ...` reports it). Where an `ALTER TABLE` form exists (`ADD
/// COLUMN`, `RENAME COLUMN`, `DROP COLUMN`), prefer it: it does not copy rows.
pub struct TableRebuild;

impl Rule for TableRebuild {
    fn code(&self) -> &'static str {
        "SL001"
    }
    fn name(&self) -> &'static str {
        "table-rebuild"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Sqlite]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        for r in rebuilds(file) {
            if r.create != stmt.index {
                continue;
            }
            let table = &r.table;
            let severity = if ctx.table(table).is_some() && !small_table(ctx, table) {
                Severity::Warning
            } else {
                Severity::Info
            };
            let size = ctx
                .describe(table)
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            let how = match r.copy {
                Some(_) => format!("every row of {table}{size} is copied"),
                None => format!("{table}{size} is replaced"),
            };
            let end = stmt.name_at(2).map_or(1, |(_, next)| next - 1);
            out.report_words(
                stmt,
                0,
                end,
                severity,
                format!("rebuilds {table} through {}: {how} while the database's write lock is held", r.other),
                Some("run it when writes are quiet; where ALTER TABLE can make the change (ADD/RENAME/DROP COLUMN), use it instead".into()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, check_with, with_rows};

    const STRATA_REBUILD: &str = "-- strata:foreign-keys-off\nCREATE TABLE \"_strata_new_orders\" (id INTEGER PRIMARY KEY, total INTEGER NOT NULL);\nINSERT INTO \"_strata_new_orders\" (id, total) SELECT id, total FROM orders;\nDROP TABLE orders;\nPRAGMA legacy_alter_table = ON;\nALTER TABLE \"_strata_new_orders\" RENAME TO orders;\nPRAGMA legacy_alter_table = OFF;";

    #[test]
    fn finds_rebuilds() {
        insta::assert_snapshot!(check_with(
            &TableRebuild,
            Engine::Sqlite,
            STRATA_REBUILD,
            &with_rows("orders", 1_200_000)
        ));
        insta::assert_snapshot!(
            "renamed_away",
            check(
                &TableRebuild,
                Engine::Sqlite,
                "ALTER TABLE users RENAME TO users_old;\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);\nINSERT INTO users (id, email) SELECT id, email FROM users_old;\nDROP TABLE users_old;"
            )
        );
    }

    #[test]
    fn does_not_find_plain_changes() {
        insta::assert_snapshot!(check(
            &TableRebuild,
            Engine::Sqlite,
            "CREATE TABLE new_users (id INTEGER PRIMARY KEY);\nALTER TABLE users ADD COLUMN email TEXT;\nALTER TABLE accounts RENAME TO users_accounts;\nDROP TABLE legacy;"
        ), @"no findings");
    }
}
