use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `DROP TABLE` of a table that exists before the migration.
///
/// ## Why is this bad?
/// The table's rows are gone for good (a down migration can recreate the table, not its data),
/// and application code still reading or writing it fails at once.
///
/// ## Example
/// ```sql
/// DROP TABLE invoices;
/// ```
///
/// ## Use instead
/// Stop using the table in the application first and deploy that; take a backup (or rename the
/// table and drop it in a later release), then drop it with an explicit
/// `-- strata:allow DL001 <why>` so the loss is on purpose.
pub struct DropTable;

impl Rule for DropTable {
    fn code(&self) -> &'static str {
        "DL001"
    }
    fn name(&self) -> &'static str {
        "drop-table"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres, Engine::Mysql, Engine::Sqlite]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        if !stmt.starts_with(&["DROP", "TABLE"]) {
            return;
        }
        let mut i = 2;
        if stmt.find_seq(&["IF", "EXISTS"]) == Some(2) {
            i = 4;
        }
        // DROP TABLE a, b, c: each name, separated by commas (not words).
        while let Some((table, next)) = stmt.name_at(i) {
            if matches!(
                stmt.word(i).map(|w| w.upper.as_str()),
                Some("CASCADE" | "RESTRICT")
            ) {
                break;
            }
            // A rebuild drops the old table after copying its rows into the one that takes its name.
            if !file.created_here(&table, stmt.index) && !file.name_reused_later(&table, stmt.index)
            {
                let size = ctx
                    .describe(&table)
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default();
                out.report_words(
                    stmt,
                    i,
                    next - 1,
                    Severity::Error,
                    format!("DROP TABLE deletes {table} and all its rows{size}"),
                    Some("make sure nothing uses it and a backup exists; accept with `-- strata:allow DL001 <reason>`".into()),
                );
            }
            i = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check;

    #[test]
    fn finds_dropped_tables() {
        for engine in [Engine::Postgres, Engine::Mysql, Engine::Sqlite] {
            insta::assert_snapshot!(
                format!("drop_table_{engine}"),
                check(
                    &DropTable,
                    engine,
                    "DROP TABLE IF EXISTS invoices, archive;"
                )
            );
        }
    }

    #[test]
    fn does_not_find_tables_created_here_or_suppressed() {
        insta::assert_snapshot!(check(
            &DropTable,
            Engine::Postgres,
            "CREATE TABLE tmp (id int);\nDROP TABLE tmp;\n-- strata:allow DL001 archived to S3 on 2026-11-01\nDROP TABLE old_logs;"
        ), @"no findings, 1 suppressed with strata:allow");
    }
}
