use crate::rule::{small_table, Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `CREATE INDEX` without `CONCURRENTLY` on a table that already exists.
///
/// ## Why is this bad?
/// A plain `CREATE INDEX` takes a SHARE lock on the table for the whole build: reads go on, but
/// every `INSERT`, `UPDATE` and `DELETE` waits until the index is built — minutes on a large table.
///
/// ## Example
/// ```sql
/// CREATE INDEX orders_created_at ON orders (created_at);
/// ```
///
/// ## Use instead
/// Build it concurrently (SHARE UPDATE EXCLUSIVE: writes go on), in its own migration that runs
/// outside a transaction; a failed build leaves an INVALID index to drop:
/// ```sql
/// -- strata:no-transaction
/// CREATE INDEX CONCURRENTLY orders_created_at ON orders (created_at);
/// ```
pub struct CreateIndexNonConcurrently;

impl Rule for CreateIndexNonConcurrently {
    fn code(&self) -> &'static str {
        "PG001"
    }
    fn name(&self) -> &'static str {
        "create-index-non-concurrently"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        let start = if stmt.starts_with(&["CREATE", "INDEX"]) {
            2
        } else if stmt.starts_with(&["CREATE", "UNIQUE", "INDEX"]) {
            3
        } else {
            return;
        };
        if stmt.word(start).is_some_and(|w| w.upper == "CONCURRENTLY") {
            return;
        }
        let Some(on) = stmt.find("ON") else { return };
        let table_at = if stmt.word(on + 1).is_some_and(|w| w.upper == "ONLY") {
            on + 2
        } else {
            on + 1
        };
        let Some((table, _)) = stmt.name_at(table_at) else {
            return;
        };
        if file.created_here(&table, stmt.index) {
            return;
        }
        let size = ctx
            .describe(&table)
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let severity = if small_table(ctx, &table) {
            Severity::Warning
        } else {
            Severity::Error
        };
        out.report_words(
            stmt,
            0,
            start - 1,
            severity,
            format!("CREATE INDEX blocks writes to {table}{size} until the index is built"),
            Some(
                "use CREATE INDEX CONCURRENTLY in a migration marked `-- strata:no-transaction`"
                    .into(),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, check_with, with_rows};

    #[test]
    fn finds_a_plain_create_index() {
        insta::assert_snapshot!(check(
            &CreateIndexNonConcurrently,
            Engine::Postgres,
            "CREATE INDEX orders_created_at ON orders (created_at);"
        ));
        insta::assert_snapshot!(
            "small_table",
            check_with(
                &CreateIndexNonConcurrently,
                Engine::Postgres,
                "CREATE UNIQUE INDEX t_a ON public.t (a);",
                &with_rows("public.t", 120)
            )
        );
    }

    #[test]
    fn does_not_find_concurrent_or_new_tables() {
        insta::assert_snapshot!(check(
            &CreateIndexNonConcurrently,
            Engine::Postgres,
            "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY a ON orders (x);\nCREATE TABLE n (id int);\nCREATE INDEX b ON n (id);"
        ), @"no findings");
    }
}
