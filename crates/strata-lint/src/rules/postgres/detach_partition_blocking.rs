use super::alter_table;
use super::locked_table::{severity, size};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER TABLE ... DETACH PARTITION` without `CONCURRENTLY` on a partitioned table that
/// already exists.
///
/// ## Why is this bad?
/// A plain detach takes an ACCESS EXCLUSIVE lock on the partitioned table and on the partition:
/// reads and writes of every partition wait until the migration commits, and while the detach
/// waits for running queries, every later query queues behind it.
///
/// ## Example
/// ```sql
/// ALTER TABLE events DETACH PARTITION events_2020;
/// ```
///
/// ## Use instead
/// On PostgreSQL 14 or later, detach concurrently (SHARE UPDATE EXCLUSIVE: reads and writes go
/// on) in a migration that runs outside a transaction:
/// ```sql
/// -- strata:no-transaction
/// ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;
/// ```
pub struct DetachPartitionBlocking;

impl Rule for DetachPartitionBlocking {
    fn code(&self) -> &'static str {
        "PG011"
    }
    fn name(&self) -> &'static str {
        "detach-partition-blocking"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        let Some(alter) = alter_table::parse(stmt) else {
            return;
        };
        let table = &alter.table;
        if file.created_here(table, stmt.index) {
            return;
        }
        for action in &alter.actions {
            if !action.starts_with(stmt, &["DETACH", "PARTITION"])
                || action.find(stmt, "CONCURRENTLY").is_some()
                || action.find(stmt, "FINALIZE").is_some()
            {
                continue;
            }
            let Some((partition, after)) = stmt.name_at(action.from + 2) else {
                continue;
            };
            let help = if ctx.server_major.is_some_and(|v| v < 14) {
                "DETACH PARTITION ... CONCURRENTLY needs PostgreSQL 14; until then, detach at a quiet time with a short lock_timeout".to_string()
            } else {
                format!("use ALTER TABLE {table} DETACH PARTITION {partition} CONCURRENTLY in a migration marked `-- strata:no-transaction`")
            };
            out.report_words(
                stmt,
                action.from,
                after - 1,
                severity(ctx, table),
                format!(
                    "DETACH PARTITION takes an ACCESS EXCLUSIVE lock on {table}{} and {partition}: reads and writes of every partition wait until the migration commits",
                    size(ctx, table)
                ),
                Some(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, check_with, with_rows};

    #[test]
    fn finds_a_blocking_detach() {
        insta::assert_snapshot!(check_with(
            &DetachPartitionBlocking,
            Engine::Postgres,
            "ALTER TABLE events DETACH PARTITION archive.events_2020;",
            &with_rows("events", 80_000_000)
        ));
    }

    #[test]
    fn does_not_find_concurrent_detach_or_new_tables() {
        insta::assert_snapshot!(check(
            &DetachPartitionBlocking,
            Engine::Postgres,
            "-- strata:no-transaction\nALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;\nALTER TABLE events DETACH PARTITION events_2020 FINALIZE;\nCREATE TABLE m (d date) PARTITION BY RANGE (d);\nALTER TABLE m DETACH PARTITION m1;"
        ), @"no findings");
    }
}
