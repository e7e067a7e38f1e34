use super::alter_table;
use super::locked_table::{severity, size};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER TABLE ... ADD [CONSTRAINT name] FOREIGN KEY` without `NOT VALID`, and
/// `ADD COLUMN ... REFERENCES`, on a table that already exists; and `VALIDATE CONSTRAINT` of a
/// foreign key added `NOT VALID` earlier in the same transaction.
///
/// ## Why is this bad?
/// Adding a validated foreign key takes a SHARE ROW EXCLUSIVE lock on both the table and the
/// referenced table and scans the whole table to check every row: writes to both tables wait
/// for the scan. Validating in the same transaction as the `NOT VALID` add gains nothing: the
/// SHARE ROW EXCLUSIVE lock of the add is held until commit, through the scan.
///
/// ## Example
/// ```sql
/// ALTER TABLE orders ADD CONSTRAINT orders_customer_fk
///     FOREIGN KEY (customer_id) REFERENCES customers (id);
/// ```
///
/// ## Use instead
/// Add it `NOT VALID` (checked for new rows only, a brief lock), then validate it in a later
/// migration: `VALIDATE CONSTRAINT` takes SHARE UPDATE EXCLUSIVE on the table and ROW SHARE on
/// the referenced one, so writes go on during the scan.
/// ```sql
/// ALTER TABLE orders ADD CONSTRAINT orders_customer_fk
///     FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
/// ```
/// ```sql
/// ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
/// ```
pub struct AddForeignKeyValidated;

impl Rule for AddForeignKeyValidated {
    fn code(&self) -> &'static str {
        "PG005"
    }
    fn name(&self) -> &'static str {
        "add-foreign-key-validated"
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
                ("FOREIGN", "SHARE ROW EXCLUSIVE locks"),
            ) {
                continue;
            }
            let Some((at, column)) = action.after_add(stmt) else {
                continue;
            };
            let Some(references) = action.find(stmt, "REFERENCES") else {
                continue;
            };
            if !column && stmt.word(at).is_none_or(|w| w.upper != "FOREIGN") {
                continue;
            }
            if !column && action.not_valid(stmt) {
                continue;
            }
            let Some((referenced, after)) = stmt.name_at(references + 1) else {
                continue;
            };
            let span_end = if column { after - 1 } else { at + 1 };
            let (span_start, help) = if column {
                (
                    references,
                    format!(
                        "add the column without REFERENCES, then ALTER TABLE {table} ADD CONSTRAINT <name> FOREIGN KEY (...) REFERENCES {referenced} NOT VALID, and VALIDATE CONSTRAINT <name> in a later migration"
                    ),
                )
            } else {
                (
                    action.from,
                    format!(
                        "add it with NOT VALID, then run ALTER TABLE {table} VALIDATE CONSTRAINT <name> in a later migration (writes go on during that scan)"
                    ),
                )
            };
            out.report_words(
                stmt,
                span_start,
                span_end,
                severity(ctx, table),
                format!(
                    "adding a validated foreign key takes SHARE ROW EXCLUSIVE locks on {table} and {referenced} and scans {table}{}: writes to both wait for the scan",
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
    fn finds_validated_foreign_keys() {
        insta::assert_snapshot!(check_with(
            &AddForeignKeyValidated,
            Engine::Postgres,
            "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);\nALTER TABLE orders ADD COLUMN shop_id bigint REFERENCES shops (id);\nALTER TABLE orders ADD CONSTRAINT orders_shop_fk FOREIGN KEY (shop_id) REFERENCES shops (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_shop_fk;",
            &with_rows("orders", 12_000_000)
        ));
    }

    #[test]
    fn does_not_find_not_valid_or_new_tables() {
        insta::assert_snapshot!(check(
            &AddForeignKeyValidated,
            Engine::Postgres,
            "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\nCREATE TABLE lines (order_id bigint);\nALTER TABLE lines ADD FOREIGN KEY (order_id) REFERENCES orders (id);"
        ), @"no findings");
        // Validated in a later migration: nothing to say.
        insta::assert_snapshot!(check(
            &AddForeignKeyValidated,
            Engine::Postgres,
            "ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;"
        ), @"no findings");
    }
}
