use super::alter_table::{self, ident};
use super::locked_table::{schema_table, severity, size};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER TABLE ... ALTER COLUMN col SET NOT NULL` on a table that already exists, unless a
/// validated `CHECK (col IS NOT NULL)` is already there (added earlier in the file, or known from
/// the database).
///
/// ## Why is this bad?
/// `SET NOT NULL` takes an ACCESS EXCLUSIVE lock on the table and scans every row for NULLs while
/// holding it: reads and writes wait for the scan. Since PostgreSQL 12 the scan is skipped when a
/// validated check constraint already proves the column has no NULLs.
///
/// ## Example
/// ```sql
/// ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
/// ```
///
/// ## Use instead
/// On PostgreSQL 12 or later, prove it with a check first, each step in its own migration:
/// ```sql
/// ALTER TABLE orders ADD CONSTRAINT orders_customer_id_not_null
///     CHECK (customer_id IS NOT NULL) NOT VALID;
/// ```
/// ```sql
/// -- SHARE UPDATE EXCLUSIVE: reads and writes go on during the scan
/// ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_not_null;
/// ```
/// ```sql
/// -- no scan: the validated check proves it
/// ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
/// ALTER TABLE orders DROP CONSTRAINT orders_customer_id_not_null;
/// ```
pub struct SetNotNullWithoutCheck;

impl Rule for SetNotNullWithoutCheck {
    fn code(&self) -> &'static str {
        "PG007"
    }
    fn name(&self) -> &'static str {
        "set-not-null-without-check"
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
            let Some((col, next)) = action.altered_column(stmt) else {
                continue;
            };
            if !(next + 2 == action.to
                && stmt.words[next].upper == "SET"
                && stmt.words[next + 1].upper == "NOT"
                && stmt.words[next + 2].upper == "NULL")
            {
                continue;
            }
            let column = ident(stmt, col);
            if proven_in_file(file, stmt, table, &column) || proven_in_schema(ctx, table, &column) {
                continue;
            }
            let help = if ctx.server_major.is_some_and(|v| v < 12) {
                "PostgreSQL before 12 always scans: keep a validated CHECK (col IS NOT NULL) constraint (added NOT VALID, then VALIDATE CONSTRAINT) instead of NOT NULL, or upgrade".to_string()
            } else {
                let name = format!(
                    "{}_{column}_not_null",
                    table.rsplit('.').next().unwrap_or(table)
                );
                format!(
                    "PG 12+: ADD CONSTRAINT {name} CHECK ({column} IS NOT NULL) NOT VALID; in a later migration VALIDATE CONSTRAINT {name} (writes go on); then SET NOT NULL skips the scan, and DROP CONSTRAINT {name}"
                )
            };
            out.report_words(
                stmt,
                action.from,
                action.to,
                severity(ctx, table),
                format!(
                    "SET NOT NULL on {table}.{column} takes an ACCESS EXCLUSIVE lock on {table}{} and scans every row for NULLs while holding it",
                    size(ctx, table)
                ),
                Some(help),
            );
        }
    }
}

/// `col is not null`, from a check expression as written or as the catalog prints it.
fn normalize(expression: &str) -> String {
    expression
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '"'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether the context schema has `CHECK (column IS NOT NULL)` on `table`. (The schema model does
/// not say whether a check is validated; a check of a live database usually is.)
fn proven_in_schema(ctx: &Context, table: &str, column: &str) -> bool {
    let wanted = format!("{} is not null", column.to_lowercase());
    schema_table(ctx, table)
        .is_some_and(|t| t.checks.iter().any(|c| normalize(&c.expression) == wanted))
}

/// Whether a statement before this one (or an earlier action of it) added a validated
/// `CHECK (column IS NOT NULL)` to `table`: without `NOT VALID`, or validated afterwards.
fn proven_in_file(file: &LintFile, stmt: &Statement, table: &str, column: &str) -> bool {
    let wanted = format!("{} is not null", column.to_lowercase());
    let mut not_valid: Vec<String> = Vec::new();
    for s in &file.statements[..=stmt.index] {
        let Some(alter) = alter_table::parse(s).filter(|a| a.table.eq_ignore_ascii_case(table))
        else {
            continue;
        };
        for a in &alter.actions {
            if a.starts_with(s, &["VALIDATE", "CONSTRAINT"]) {
                let name = ident(s, a.from + 2);
                if not_valid.contains(&name) {
                    return true;
                }
                continue;
            }
            let Some((at, false)) = a.after_add(s) else {
                continue;
            };
            if s.word(at).is_none_or(|w| w.upper != "CHECK") {
                continue;
            }
            let start = s.words[at].offset + s.words[at].len;
            let end = if a.not_valid(s) {
                s.words[a.to - 1].offset
            } else {
                s.words[a.to].offset + s.words[a.to].len
            };
            if normalize(&s.sql[start..end.max(start)]) != wanted {
                continue;
            }
            if !a.not_valid(s) {
                return true;
            }
            if a.starts_with(s, &["ADD", "CONSTRAINT"]) {
                not_valid.push(ident(s, a.from + 2));
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::test_schema::{context, table, with_check};
    use super::*;
    use crate::rules::test_support::{check, check_with};

    #[test]
    fn finds_set_not_null_without_a_proof() {
        insta::assert_snapshot!(check_with(
            &SetNotNullWithoutCheck,
            Engine::Postgres,
            "ALTER TABLE orders ADD CONSTRAINT c CHECK (customer_id IS NOT NULL) NOT VALID;\nALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL, ALTER note SET NOT NULL;",
            &context(vec![table("orders", &[("customer_id", "bigint"), ("note", "text")])], 12_000_000)
        ));
    }

    #[test]
    fn does_not_find_proven_columns_or_new_tables() {
        insta::assert_snapshot!(check(
            &SetNotNullWithoutCheck,
            Engine::Postgres,
            "-- strata:no-transaction\nALTER TABLE orders ADD CONSTRAINT c CHECK (customer_id IS NOT NULL) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT c;\nALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;\nALTER TABLE orders ADD CHECK (\"total\" IS NOT NULL), ALTER total SET NOT NULL;\nCREATE TABLE n (a int);\nALTER TABLE n ALTER a SET NOT NULL;"
        ), @"no findings");
        insta::assert_snapshot!(check_with(
            &SetNotNullWithoutCheck,
            Engine::Postgres,
            "ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;",
            &context(vec![with_check(table("orders", &[("customer_id", "bigint")]), "((customer_id IS NOT NULL))")], 12_000_000)
        ), @"no findings");
    }
}
