use super::alter_table;
use super::locked_table::{severity, size};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER TABLE ... ADD [CONSTRAINT name] EXCLUDE ...` on a table that already exists.
///
/// ## Why is this bad?
/// The constraint's index is built, and every row checked against it, while the statement holds
/// an ACCESS EXCLUSIVE lock on the table: every read and write waits for the whole build.
/// Unlike a unique constraint, an exclusion constraint cannot be attached to an index built
/// beforehand (`USING INDEX` takes only unique b-tree indexes), and it has no `NOT VALID` form.
///
/// ## Example
/// ```sql
/// ALTER TABLE booking ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);
/// ```
///
/// ## Use instead
/// There is no online path inside PostgreSQL. Add it while the table is small or at a quiet
/// time with a short `lock_timeout` (so the migration gives up rather than queue reads behind
/// it), or create a new table with the constraint and move the rows in batches.
pub struct AddExclusionConstraint;

impl Rule for AddExclusionConstraint {
    fn code(&self) -> &'static str {
        "PG014"
    }
    fn name(&self) -> &'static str {
        "add-exclusion-constraint"
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
            let Some((at, false)) = action.after_add(stmt) else {
                continue;
            };
            if stmt.word(at).is_none_or(|w| w.upper != "EXCLUDE") {
                continue;
            }
            out.report_words(
                stmt,
                action.from,
                at,
                severity(ctx, table),
                format!(
                    "ADD EXCLUDE builds an index on {table}{} and checks every row while holding an ACCESS EXCLUSIVE lock: reads and writes wait for the whole build",
                    size(ctx, table)
                ),
                Some(
                    "an exclusion constraint cannot use an index built beforehand: add it while the table is small, or at a quiet time with a short lock_timeout (-- strata:lock-timeout 5s)".into(),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, check_with, with_rows};

    #[test]
    fn finds_an_exclusion_constraint_added_to_a_table() {
        insta::assert_snapshot!(check_with(
            &AddExclusionConstraint,
            Engine::Postgres,
            "ALTER TABLE booking ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&),\n  ADD EXCLUDE USING gist (during WITH &&) WHERE (room > 0);",
            &with_rows("booking", 2_500_000)
        ));
    }

    #[test]
    fn does_not_find_new_tables_or_other_constraints() {
        insta::assert_snapshot!(check(
            &AddExclusionConstraint,
            Engine::Postgres,
            "CREATE TABLE b (room int, during tstzrange);\nALTER TABLE b ADD CONSTRAINT x EXCLUDE USING gist (during WITH &&);\nALTER TABLE booking ADD CONSTRAINT c CHECK (room > 0) NOT VALID;\nALTER TABLE booking ADD COLUMN exclude_me int;"
        ), @"no findings");
    }
}
