use super::locked_table::{index_table, severity, size};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `DROP INDEX` without `CONCURRENTLY` on an index of a table that already exists.
///
/// ## Why is this bad?
/// `DROP INDEX` takes an ACCESS EXCLUSIVE lock on the index's table: every read and write of the
/// table waits until the migration commits, and while the drop waits for running queries to
/// finish, every later query queues behind it.
///
/// ## Example
/// ```sql
/// DROP INDEX orders_created_at;
/// ```
///
/// ## Use instead
/// Drop it concurrently (SHARE UPDATE EXCLUSIVE: reads and writes go on), in its own migration
/// that runs outside a transaction:
/// ```sql
/// -- strata:no-transaction
/// DROP INDEX CONCURRENTLY IF EXISTS orders_created_at;
/// ```
pub struct DropIndexNonConcurrently;

impl Rule for DropIndexNonConcurrently {
    fn code(&self) -> &'static str {
        "PG002"
    }
    fn name(&self) -> &'static str {
        "drop-index-non-concurrently"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        if !stmt.starts_with(&["DROP", "INDEX"])
            || stmt.word(2).is_some_and(|w| w.upper == "CONCURRENTLY")
        {
            return;
        }
        let mut i = if stmt.find_seq(&["IF", "EXISTS"]) == Some(2) {
            4
        } else {
            2
        };
        // DROP INDEX a, b: every name (commas are not words).
        while let Some((index, next)) = stmt.name_at(i) {
            if matches!(
                stmt.word(i).map(|w| w.upper.as_str()),
                Some("CASCADE" | "RESTRICT")
            ) {
                break;
            }
            let table = index_table(file, stmt.index, ctx, &index);
            let message = match &table {
                Some(t) if file.created_here(t, stmt.index) => {
                    i = next;
                    continue;
                }
                Some(t) => format!(
                    "DROP INDEX {index} takes an ACCESS EXCLUSIVE lock on {t}{}: reads and writes wait until the migration commits",
                    size(ctx, t)
                ),
                None => format!(
                    "DROP INDEX {index} takes an ACCESS EXCLUSIVE lock on its table: reads and writes wait until the migration commits"
                ),
            };
            out.report_words(
                stmt,
                i,
                next - 1,
                severity(ctx, table.as_deref().unwrap_or(&index)),
                message,
                Some(format!(
                    "use DROP INDEX CONCURRENTLY {index} in a migration marked `-- strata:no-transaction`"
                )),
            );
            i = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_schema::{context, table, with_index};
    use super::*;
    use crate::rules::test_support::{check, check_with};

    #[test]
    fn finds_a_plain_drop_index() {
        insta::assert_snapshot!(check(
            &DropIndexNonConcurrently,
            Engine::Postgres,
            "DROP INDEX IF EXISTS orders_created_at, public.orders_total;"
        ));
        let ctx = context(
            vec![with_index(
                table("orders", &[("created_at", "timestamptz")]),
                "orders_created_at",
                "created_at",
            )],
            12_000_000,
        );
        insta::assert_snapshot!(
            "with_table_size",
            check_with(
                &DropIndexNonConcurrently,
                Engine::Postgres,
                "DROP INDEX orders_created_at;",
                &ctx
            )
        );
    }

    #[test]
    fn does_not_find_concurrent_drops_or_new_tables() {
        insta::assert_snapshot!(check(
            &DropIndexNonConcurrently,
            Engine::Postgres,
            "DROP INDEX CONCURRENTLY orders_created_at;\nCREATE TABLE n (id int);\nCREATE INDEX n_id ON n (id);\nDROP INDEX n_id;"
        ), @"no findings");
    }
}
