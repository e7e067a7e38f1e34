use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER TYPE ... ADD VALUE` in a migration that runs in a transaction.
///
/// ## Why is this bad?
/// Before PostgreSQL 12 it fails: `ALTER TYPE ... ADD VALUE cannot run inside a transaction
/// block`. Since 12 it runs, but the new value cannot be used until the transaction commits: a
/// later statement of the same migration that inserts or compares it fails with "unsafe use of
/// new value". (It also takes an ACCESS EXCLUSIVE lock on the type, briefly.)
///
/// ## Example
/// ```sql
/// ALTER TYPE order_status ADD VALUE 'refunded';
/// UPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL;
/// ```
///
/// ## Use instead
/// Add the value in its own migration that runs outside a transaction, and use it in a later
/// one:
/// ```sql
/// -- strata:no-transaction
/// ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded';
/// ```
pub struct AddEnumValueInTransaction;

impl Rule for AddEnumValueInTransaction {
    fn code(&self) -> &'static str {
        "PG013"
    }
    fn name(&self) -> &'static str {
        "add-enum-value-in-transaction"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        if !file.transactional() || !stmt.starts_with(&["ALTER", "TYPE"]) {
            return;
        }
        let Some((ty, after)) = stmt.name_at(2) else {
            return;
        };
        if stmt.find_seq(&["ADD", "VALUE"]) != Some(after) {
            return;
        }
        let help = Some(
            "move it to its own migration marked `-- strata:no-transaction`, and use the new value in a later migration".to_string(),
        );
        if ctx.server_major.is_some_and(|v| v < 12) {
            out.report_words(
                stmt,
                0,
                after + 1,
                Severity::Error,
                format!("ALTER TYPE {ty} ADD VALUE cannot run inside a transaction block before PostgreSQL 12, and this migration runs in one"),
                help,
            );
            return;
        }
        // The value is the string right after ADD VALUE [IF NOT EXISTS].
        let w = &stmt.words[after + 1];
        let rest = &stmt.sql[w.offset + w.len..];
        let value = rest
            .split('\'')
            .nth(1)
            .map(|v| format!("'{v}'"))
            .unwrap_or_default();
        let used = (!value.is_empty())
            .then(|| {
                file.statements[stmt.index + 1..]
                    .iter()
                    .find(|s| s.sql.contains(&value))
            })
            .flatten();
        let (severity, message) = match used {
            Some(s) => (
                Severity::Error,
                format!(
                    "ALTER TYPE {ty} ADD VALUE {value} runs in a transaction, and line {} uses the new value before it commits: that fails with \"unsafe use of new value\"",
                    s.line
                ),
            ),
            None => (
                Severity::Warning,
                format!("ALTER TYPE {ty} ADD VALUE {value} runs in a transaction: the new value cannot be used until it commits"),
            ),
        };
        out.report_words(stmt, 0, after + 1, severity, message, help);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, check_with};

    #[test]
    fn finds_enum_values_added_in_a_transaction() {
        insta::assert_snapshot!(check(
            &AddEnumValueInTransaction,
            Engine::Postgres,
            "ALTER TYPE order_status ADD VALUE 'refunded' AFTER 'paid';\nUPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL;\nALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh';"
        ));
        let ctx = Context {
            server_major: Some(11),
            ..Default::default()
        };
        insta::assert_snapshot!(
            "before_pg12",
            check_with(
                &AddEnumValueInTransaction,
                Engine::Postgres,
                "ALTER TYPE mood ADD VALUE 'meh';",
                &ctx
            )
        );
    }

    #[test]
    fn does_not_find_it_outside_a_transaction() {
        insta::assert_snapshot!(check(
            &AddEnumValueInTransaction,
            Engine::Postgres,
            "-- strata:no-transaction\nALTER TYPE order_status ADD VALUE 'refunded';\nALTER TYPE order_status RENAME VALUE 'a' TO 'b';"
        ), @"no findings");
    }
}
