use super::support::{ident_span, name_text};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use sqlparser::ast::{AlterTableOperation, Statement as Ast};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER TABLE ... RENAME [COLUMN] a TO b` and MySQL's `CHANGE [COLUMN] a b <type>` that
/// gives a column of an existing table a new name.
///
/// ## Why is this bad?
/// Every running query that names the old column fails from the moment the migration commits,
/// including the previous version of the application during a rolling deploy.
///
/// ## Example
/// ```sql
/// ALTER TABLE users RENAME COLUMN mail TO email;
/// ```
///
/// ## Use instead
/// Expand/contract: add the new column, write to both and backfill, move readers to the new
/// column, and drop the old one in a later release.
/// ```sql
/// ALTER TABLE users ADD COLUMN email text;
/// -- application writes both; backfill: UPDATE users SET email = mail WHERE email IS NULL (in batches)
/// ```
pub struct RenameColumn;

impl Rule for RenameColumn {
    fn code(&self) -> &'static str {
        "DL006"
    }
    fn name(&self) -> &'static str {
        "rename-column"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres, Engine::Mysql, Engine::Sqlite]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, _ctx: &Context, out: &mut Findings) {
        let Some(Ast::AlterTable(alter)) = &stmt.ast else {
            return;
        };
        let table = name_text(&alter.name);
        if file.created_here(&table, stmt.index) {
            return;
        }
        for op in &alter.operations {
            let (old, new) = match op {
                AlterTableOperation::RenameColumn {
                    old_column_name,
                    new_column_name,
                } => (old_column_name, new_column_name),
                // MySQL column names are case-insensitive: `CHANGE a A ...` renames nothing.
                AlterTableOperation::ChangeColumn {
                    old_name, new_name, ..
                } if !old_name.value.eq_ignore_ascii_case(&new_name.value) => (old_name, new_name),
                _ => continue,
            };
            out.report(
                stmt,
                ident_span(stmt, old),
                Severity::Error,
                format!(
                    "renaming {table}.{} to {} breaks every running query that still uses {}",
                    old.value, new.value, old.value
                ),
                Some(format!(
                    "add {} next to {}, write to both and backfill, move readers, then drop {} in a later release",
                    new.value, old.value, old.value
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check;

    const ENGINES: [Engine; 3] = [Engine::Postgres, Engine::Mysql, Engine::Sqlite];

    #[test]
    fn finds_renamed_columns() {
        for engine in ENGINES {
            insta::assert_snapshot!(
                format!("rename_column_{engine}"),
                check(
                    &RenameColumn,
                    engine,
                    "ALTER TABLE users RENAME COLUMN mail TO email;"
                )
            );
        }
        insta::assert_snapshot!(
            "rename_column_mysql_change",
            check(
                &RenameColumn,
                Engine::Mysql,
                "ALTER TABLE users CHANGE COLUMN mail email varchar(255) NOT NULL;"
            )
        );
    }

    #[test]
    fn does_not_find_new_tables_or_same_name_changes() {
        for engine in ENGINES {
            insta::allow_duplicates! {
                insta::assert_snapshot!(check(
                    &RenameColumn,
                    engine,
                    "CREATE TABLE t (a int);\nALTER TABLE t RENAME COLUMN a TO b;\nALTER TABLE users ADD COLUMN email text;"
                ), @"no findings");
            }
        }
        insta::assert_snapshot!(check(
            &RenameColumn,
            Engine::Mysql,
            "ALTER TABLE users CHANGE COLUMN email Email varchar(320) NOT NULL;"
        ), @"no findings");
    }
}
