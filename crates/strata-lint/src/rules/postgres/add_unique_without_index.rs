use super::alter_table;
use super::locked_table::{severity, size};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER TABLE ... ADD [CONSTRAINT name] UNIQUE | PRIMARY KEY` (and `ADD COLUMN ... UNIQUE |
/// PRIMARY KEY`) that builds a new index on a table that already exists.
///
/// ## Why is this bad?
/// The constraint's index is built while the statement holds an ACCESS EXCLUSIVE lock on the
/// table: every read and write waits for the whole build — minutes on a large table.
///
/// ## Example
/// ```sql
/// ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
/// ```
///
/// ## Use instead
/// Build the index concurrently in a migration that runs outside a transaction, then attach it
/// (a catalog change, with only a brief lock):
/// ```sql
/// -- strata:no-transaction
/// CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
/// ```
/// ```sql
/// ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
/// ```
pub struct AddUniqueWithoutIndex;

impl Rule for AddUniqueWithoutIndex {
    fn code(&self) -> &'static str {
        "PG004"
    }
    fn name(&self) -> &'static str {
        "add-unique-without-index"
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
            let Some((at, column)) = action.after_add(stmt) else {
                continue;
            };
            let kw = if column {
                action
                    .find(stmt, "UNIQUE")
                    .or_else(|| action.find_seq(stmt, &["PRIMARY", "KEY"]))
            } else {
                stmt.word(at)
                    .is_some_and(|w| w.upper == "UNIQUE" || w.upper == "PRIMARY")
                    .then_some(at)
            };
            let Some(kw) = kw else { continue };
            let using_index = action
                .find_seq(stmt, &["USING", "INDEX"])
                .is_some_and(|u| stmt.word(u + 2).is_none_or(|w| w.upper != "TABLESPACE"));
            if using_index {
                continue;
            }
            let primary = stmt.words[kw].upper == "PRIMARY";
            let what = if primary { "PRIMARY KEY" } else { "UNIQUE" };
            let last = if primary { kw + 1 } else { kw };
            let name = if column {
                None
            } else if action.starts_with(stmt, &["ADD", "CONSTRAINT"]) {
                stmt.word(action.from + 2).map(|w| w.text.clone())
            } else {
                None
            };
            let index = name.clone().unwrap_or_else(|| "<index>".into());
            let help = if column {
                format!(
                    "add the column without {what}, build the index with CREATE UNIQUE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration, then ALTER TABLE {table} ADD CONSTRAINT <name> {what} USING INDEX <index>"
                )
            } else {
                format!(
                    "build it first with CREATE UNIQUE INDEX CONCURRENTLY {index} ON {table} (...) in a `-- strata:no-transaction` migration, then ALTER TABLE {table} ADD CONSTRAINT {} {what} USING INDEX {index}",
                    name.as_deref().unwrap_or("<name>")
                )
            };
            out.report_words(
                stmt,
                action.from,
                last,
                severity(ctx, table),
                format!(
                    "ADD {what} builds an index on {table}{} while holding an ACCESS EXCLUSIVE lock: reads and writes wait for the whole build",
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
    fn finds_constraints_that_build_an_index() {
        insta::assert_snapshot!(check_with(
            &AddUniqueWithoutIndex,
            Engine::Postgres,
            "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email),\n  ADD PRIMARY KEY (id) USING INDEX TABLESPACE fast,\n  ADD COLUMN handle text UNIQUE;",
            &with_rows("users", 3_400_000)
        ));
    }

    #[test]
    fn does_not_find_using_index_or_new_tables() {
        insta::assert_snapshot!(check(
            &AddUniqueWithoutIndex,
            Engine::Postgres,
            "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;\nALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx;\nCREATE TABLE n (id int);\nALTER TABLE n ADD PRIMARY KEY (id);"
        ), @"no findings");
    }
}
