use super::alter_table::{self, followed_by_paren, ident};
use super::locked_table::{severity, size};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER TABLE ... ADD COLUMN` that rewrites a table that already exists: a volatile
/// default (`gen_random_uuid()`, `random()`, `clock_timestamp()`, `nextval(...)`, ...), a
/// `serial`/`bigserial`/`smallserial` type, an identity column or a `GENERATED ... STORED` column.
///
/// ## Why is this bad?
/// Every existing row needs its own value, so PostgreSQL rewrites the whole table (and its
/// indexes) while holding an ACCESS EXCLUSIVE lock: reads and writes wait for the rewrite, and
/// the table briefly needs twice its disk space. A constant or STABLE default (`0`, `'new'`,
/// `now()`, `current_timestamp`) is only recorded in the catalog since PostgreSQL 11: no rewrite.
///
/// ## Example
/// ```sql
/// ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
/// ```
///
/// ## Use instead
/// Add the column nullable without the volatile default, give new rows the default, backfill
/// the existing rows in batches, then add the constraint (see PG007 for `NOT NULL`):
/// ```sql
/// ALTER TABLE orders ADD COLUMN public_id uuid;
/// ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
/// -- then, in batches: UPDATE orders SET public_id = gen_random_uuid()
/// --                   WHERE id BETWEEN ... AND public_id IS NULL;
/// ```
pub struct AddColumnRewrite;

/// Functions PostgreSQL marks VOLATILE that appear in column defaults. (`now()`,
/// `current_timestamp` and `statement_timestamp()` are STABLE: evaluated once, no rewrite.)
const VOLATILE: &[&str] = &[
    "RANDOM",
    "RANDOM_NORMAL",
    "GEN_RANDOM_UUID",
    "UUIDV4",
    "UUIDV7",
    "UUID_GENERATE_V1",
    "UUID_GENERATE_V1MC",
    "UUID_GENERATE_V4",
    "GEN_RANDOM_BYTES",
    "CLOCK_TIMESTAMP",
    "TIMEOFDAY",
    "NEXTVAL",
];

const SERIAL: &[&str] = &[
    "SERIAL",
    "BIGSERIAL",
    "SMALLSERIAL",
    "SERIAL2",
    "SERIAL4",
    "SERIAL8",
];

impl Rule for AddColumnRewrite {
    fn code(&self) -> &'static str {
        "PG008"
    }
    fn name(&self) -> &'static str {
        "add-column-rewrite"
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
            let Some((at, true)) = action.after_add(stmt) else {
                continue;
            };
            if at + 1 > action.to {
                continue;
            }
            let column = ident(stmt, at);
            let words = &stmt.words;
            let serial = SERIAL.contains(&words[at + 1].upper.as_str());
            let generated = action.find(stmt, "GENERATED");
            let stored = generated.and(action.find(stmt, "STORED"));
            let identity = generated.and(action.find(stmt, "IDENTITY"));
            let volatile = action.find(stmt, "DEFAULT").and_then(|d| {
                (d + 1..=action.to).find(|&i| {
                    VOLATILE.contains(&words[i].upper.as_str()) && followed_by_paren(stmt, i)
                })
            });
            let (end, why, help) = if serial {
                (
                    at + 1,
                    format!("a {} column", words[at + 1].text.to_lowercase()),
                    format!("add a nullable integer column, give it a sequence default with ALTER COLUMN {column} SET DEFAULT nextval(...) (new rows only), backfill existing rows in batches, then add NOT NULL (see PG007)"),
                )
            } else if let Some(v) = volatile {
                (
                    v,
                    format!("the volatile default {}()", words[v].text),
                    format!("add {column} nullable without the default, then ALTER COLUMN {column} SET DEFAULT ... (new rows only), backfill existing rows in batches, then add NOT NULL (see PG007)"),
                )
            } else if let Some(s) = stored {
                (
                    s,
                    "a GENERATED ... STORED column".to_string(),
                    format!("add {column} as a plain nullable column kept current by a trigger, backfill it in batches (PostgreSQL 18: a VIRTUAL generated column needs no rewrite)"),
                )
            } else if let Some(i) = identity {
                (
                    i,
                    "an identity column".to_string(),
                    format!("add {column} as a nullable column with a sequence default (new rows only), backfill in batches, then add NOT NULL (see PG007)"),
                )
            } else {
                continue;
            };
            out.report_words(
                stmt,
                action.from,
                end,
                severity(ctx, table),
                format!(
                    "adding {column} with {why} rewrites {table}{} under an ACCESS EXCLUSIVE lock: reads and writes wait for the whole rewrite",
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
    fn finds_columns_that_rewrite() {
        insta::assert_snapshot!(check_with(
            &AddColumnRewrite,
            Engine::Postgres,
            "ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();\nALTER TABLE orders ADD seq bigserial,\n  ADD COLUMN IF NOT EXISTS total_cents bigint GENERATED ALWAYS AS (total * 100) STORED,\n  ADD n int GENERATED BY DEFAULT AS IDENTITY,\n  ADD r float8 DEFAULT public.random();",
            &with_rows("orders", 12_000_000)
        ));
    }

    #[test]
    fn does_not_find_constant_or_stable_defaults_or_new_tables() {
        insta::assert_snapshot!(check(
            &AddColumnRewrite,
            Engine::Postgres,
            "ALTER TABLE orders ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),\n  ADD COLUMN seen timestamptz DEFAULT current_timestamp,\n  ADD COLUMN status text NOT NULL DEFAULT 'new',\n  ADD COLUMN \"random\" int DEFAULT 4,\n  ADD COLUMN serial_no text;\nCREATE TABLE n (a int);\nALTER TABLE n ADD COLUMN id uuid DEFAULT gen_random_uuid();"
        ), @"no findings");
    }
}
