use super::support::{ident_span, name_text};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use sqlparser::ast::{AlterTableOperation, ColumnDef, ColumnOption, DataType, Statement as Ast};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER TABLE ... ADD COLUMN ... NOT NULL` without a `DEFAULT` on a table that exists
/// before the migration (tables created in the same file are empty and fine).
///
/// ## Why is this bad?
/// Existing rows have no value for the new column. PostgreSQL and SQLite refuse the statement as
/// soon as the table has a row, so the migration that passed on an empty development database
/// fails in production. MySQL instead fills every existing row with the type's implicit default
/// (`0`, `''`, a zero date) — values nobody chose, indistinguishable from real data.
///
/// ## Example
/// ```sql
/// ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL;
/// ```
///
/// ## Use instead
/// Give it a default (a constant default is metadata-only on PostgreSQL 11+ and MySQL 8), or add
/// it nullable, backfill in batches, then add the constraint:
/// ```sql
/// ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL DEFAULT 'EUR';
/// ```
pub struct AddNotNullColumnWithoutDefault;

impl Rule for AddNotNullColumnWithoutDefault {
    fn code(&self) -> &'static str {
        "DL009"
    }
    fn name(&self) -> &'static str {
        "add-not-null-column-without-default"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres, Engine::Mysql, Engine::Sqlite]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        let Some(Ast::AlterTable(alter)) = &stmt.ast else {
            return;
        };
        let table = name_text(&alter.name);
        if file.created_here(&table, stmt.index) {
            return;
        }
        for op in &alter.operations {
            let AlterTableOperation::AddColumn { column_def, .. } = op else {
                continue;
            };
            if !needs_a_value(column_def) {
                continue;
            }
            let column = &column_def.name.value;
            let empty = ctx.table(&table).is_some_and(|f| f.rows == 0);
            let mut message = match file.engine {
                Engine::Mysql => format!(
                    "NOT NULL column {table}.{column} has no DEFAULT: MySQL fills existing rows with the type's implicit default (0, '', zero date)"
                ),
                _ => format!(
                    "NOT NULL column {table}.{column} has no DEFAULT: adding it fails if {table} has any row"
                ),
            };
            if empty {
                message.push_str(&format!(" ({table} is empty in the database checked)"));
            } else if let Some(size) = ctx.describe(&table) {
                message.push_str(&format!(" ({size})"));
            }
            out.report(
                stmt,
                ident_span(stmt, &column_def.name),
                if empty {
                    Severity::Warning
                } else {
                    Severity::Error
                },
                message,
                Some(format!(
                    "add `DEFAULT <value>`, or add {column} nullable, backfill it, then set NOT NULL"
                )),
            );
        }
    }
}

/// Whether the new column is `NOT NULL` and nothing gives existing rows a value: no default,
/// no generated expression or identity, no serial type, no MySQL `AUTO_INCREMENT`.
fn needs_a_value(column: &ColumnDef) -> bool {
    let mut not_null = false;
    for o in &column.options {
        match &o.option {
            ColumnOption::NotNull => not_null = true,
            ColumnOption::Default(_)
            | ColumnOption::Generated { .. }
            | ColumnOption::Materialized(_)
            | ColumnOption::Alias(_) => return false,
            ColumnOption::DialectSpecific(tokens)
                if tokens.iter().any(|t| {
                    t.to_string().eq_ignore_ascii_case("AUTO_INCREMENT")
                        || t.to_string().eq_ignore_ascii_case("AUTOINCREMENT")
                }) =>
            {
                return false
            }
            _ => {}
        }
    }
    let serial = matches!(&column.data_type, DataType::Custom(name, _)
        if name.to_string().to_lowercase().contains("serial"));
    not_null && !serial
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, check_with, with_rows};

    const ENGINES: [Engine; 3] = [Engine::Postgres, Engine::Mysql, Engine::Sqlite];

    #[test]
    fn finds_not_null_columns_without_default() {
        for engine in ENGINES {
            insta::assert_snapshot!(
                format!("add_not_null_column_without_default_{engine}"),
                check(
                    &AddNotNullColumnWithoutDefault,
                    engine,
                    "ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL;"
                )
            );
        }
        insta::assert_snapshot!(
            "add_not_null_column_without_default_empty_table",
            check_with(
                &AddNotNullColumnWithoutDefault,
                Engine::Postgres,
                "ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL;",
                &with_rows("orders", 0)
            )
        );
    }

    #[test]
    fn does_not_find_defaults_nullable_or_new_tables() {
        for engine in ENGINES {
            insta::allow_duplicates! {
                insta::assert_snapshot!(check(
                    &AddNotNullColumnWithoutDefault,
                    engine,
                    "ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL DEFAULT 'EUR';\nALTER TABLE orders ADD COLUMN note text;\nCREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN x int NOT NULL;"
                ), @"no findings");
            }
        }
    }
}
