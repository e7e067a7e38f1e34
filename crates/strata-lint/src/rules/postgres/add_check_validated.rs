use super::alter_table;
use super::locked_table::{severity, size};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER TABLE ... ADD [CONSTRAINT name] CHECK (...)` without `NOT VALID` on a table that
/// already exists, and `VALIDATE CONSTRAINT` of a check added `NOT VALID` earlier in the same
/// transaction.
///
/// ## Why is this bad?
/// Adding a validated check takes an ACCESS EXCLUSIVE lock on the table and scans every row
/// while holding it: reads and writes wait for the scan. Validating in the same transaction as
/// the `NOT VALID` add gains nothing: the ACCESS EXCLUSIVE lock of the add is held until commit.
///
/// ## Example
/// ```sql
/// ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);
/// ```
///
/// ## Use instead
/// Add it `NOT VALID` (checked for new rows only, a brief lock), then validate it in a later
/// migration: `VALIDATE CONSTRAINT` takes SHARE UPDATE EXCLUSIVE, so reads and writes go on.
/// ```sql
/// ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;
/// ```
/// ```sql
/// ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;
/// ```
pub struct AddCheckValidated;

impl Rule for AddCheckValidated {
    fn code(&self) -> &'static str {
        "PG006"
    }
    fn name(&self) -> &'static str {
        "add-check-validated"
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
            if alter_table::report_validate_in_same_transaction(
                file,
                stmt,
                ctx,
                out,
                table,
                action,
                ("CHECK", "ACCESS EXCLUSIVE lock"),
            ) {
                continue;
            }
            let Some((at, false)) = action.after_add(stmt) else {
                continue;
            };
            if stmt.word(at).is_none_or(|w| w.upper != "CHECK") || action.not_valid(stmt) {
                continue;
            }
            out.report_words(
                stmt,
                action.from,
                at,
                severity(ctx, table),
                format!(
                    "ADD CHECK takes an ACCESS EXCLUSIVE lock on {table}{} and scans every row while holding it: reads and writes wait for the scan",
                    size(ctx, table)
                ),
                Some(format!(
                    "add it with NOT VALID, then run ALTER TABLE {table} VALIDATE CONSTRAINT <name> in a later migration (reads and writes go on during that scan)"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, check_with, with_rows};

    #[test]
    fn finds_validated_checks() {
        insta::assert_snapshot!(check_with(
            &AddCheckValidated,
            Engine::Postgres,
            "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);\nALTER TABLE orders ADD CONSTRAINT orders_qty CHECK (qty > 0) NOT VALID, VALIDATE CONSTRAINT orders_qty;",
            &with_rows("orders", 12_000_000)
        ));
    }

    #[test]
    fn does_not_find_not_valid_or_new_tables() {
        insta::assert_snapshot!(check(
            &AddCheckValidated,
            Engine::Postgres,
            "ALTER TABLE orders ADD CHECK (total >= 0) NOT VALID;\nCREATE TABLE n (a int);\nALTER TABLE n ADD CHECK (a > 0);"
        ), @"no findings");
        // In a file without a transaction, each statement commits on its own.
        insta::assert_snapshot!(check(
            &AddCheckValidated,
            Engine::Postgres,
            "-- strata:no-transaction\nALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT c;"
        ), @"no findings");
    }
}
