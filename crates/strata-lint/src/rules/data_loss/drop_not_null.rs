use super::support::{ident_span, name_text, schema_column};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnOption, Ident, Statement as Ast,
};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER COLUMN ... DROP NOT NULL`, and MySQL's `MODIFY`/`CHANGE` that redefines a
/// `NOT NULL` column without `NOT NULL` (MySQL needs the schema before the migration to know
/// the column was `NOT NULL`). SQLite changes nullability only by rebuilding the table.
///
/// ## Why is this bad?
/// Once the column accepts NULL, new rows may have it, and application code (or reports,
/// exports, other services) that relies on a value being there gets NULLs it never handled.
/// Putting the constraint back later needs a full scan, and fails if a NULL got in.
///
/// ## Example
/// ```sql
/// ALTER TABLE orders ALTER COLUMN customer_id DROP NOT NULL;
/// ```
///
/// ## Use instead
/// Make sure every reader handles NULL and deploy that first; then drop the constraint. In MySQL,
/// repeat `NOT NULL` in `MODIFY` when the column should keep it:
/// ```sql
/// ALTER TABLE orders MODIFY customer_id bigint NOT NULL;
/// ```
pub struct DropNotNull;

impl Rule for DropNotNull {
    fn code(&self) -> &'static str {
        "DL007"
    }
    fn name(&self) -> &'static str {
        "drop-not-null"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres, Engine::Mysql]
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
            let column = match op {
                AlterTableOperation::AlterColumn {
                    column_name,
                    op: AlterColumnOperation::DropNotNull,
                } => column_name,
                AlterTableOperation::ModifyColumn {
                    col_name, options, ..
                } if becomes_nullable(ctx, &table, col_name, options) => col_name,
                AlterTableOperation::ChangeColumn {
                    old_name, options, ..
                } if becomes_nullable(ctx, &table, old_name, options) => old_name,
                _ => continue,
            };
            out.report(
                stmt,
                ident_span(stmt, column),
                Severity::Warning,
                format!(
                    "{table}.{} becomes nullable: code that expects a value there may now read NULL",
                    column.value
                ),
                Some(if file.engine == Engine::Mysql {
                    "add NOT NULL to the column definition to keep the constraint, or make every reader handle NULL first".into()
                } else {
                    "make every reader handle NULL and deploy that before dropping NOT NULL".into()
                }),
            );
        }
    }
}

/// Whether a MySQL column redefinition without `NOT NULL` (and not a primary key, which implies
/// it) makes a column nullable that the schema knows is `NOT NULL`.
fn becomes_nullable(ctx: &Context, table: &str, column: &Ident, options: &[ColumnOption]) -> bool {
    let keeps_not_null = options
        .iter()
        .any(|o| matches!(o, ColumnOption::NotNull | ColumnOption::PrimaryKey(_)));
    !keeps_not_null && schema_column(ctx, table, &column.value).is_some_and(|c| !c.nullable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, check_with};
    use strata_schema::{Column, Name, Schema, Table};

    fn orders() -> Context {
        let mut t = Table::new(Name::new("orders"));
        let mut c = Column::new("customer_id", "bigint");
        c.nullable = false;
        t.columns.push(c);
        t.columns.push(Column::new("note", "text"));
        Context {
            schema: Some(Schema {
                tables: vec![t],
                ..Schema::default()
            }),
            ..Context::default()
        }
    }

    #[test]
    fn finds_dropped_not_null() {
        insta::assert_snapshot!(
            "drop_not_null_postgres",
            check(
                &DropNotNull,
                Engine::Postgres,
                "ALTER TABLE orders ALTER COLUMN customer_id DROP NOT NULL;"
            )
        );
        insta::assert_snapshot!(
            "drop_not_null_mysql",
            check_with(
                &DropNotNull,
                Engine::Mysql,
                "ALTER TABLE orders MODIFY customer_id bigint NULL;",
                &orders()
            )
        );
    }

    #[test]
    fn does_not_find_kept_or_unknown_constraints() {
        insta::assert_snapshot!(check(
            &DropNotNull,
            Engine::Postgres,
            "CREATE TABLE t (a int NOT NULL);\nALTER TABLE t ALTER COLUMN a DROP NOT NULL;\nALTER TABLE orders ALTER COLUMN note SET NOT NULL;"
        ), @"no findings");
        // Without the schema MySQL's MODIFY says nothing about what the column was.
        insta::assert_snapshot!(check_with(
            &DropNotNull,
            Engine::Mysql,
            "ALTER TABLE orders MODIFY customer_id bigint NOT NULL;\nALTER TABLE orders MODIFY note varchar(200);\nALTER TABLE invoices MODIFY total int;",
            &orders()
        ), @"no findings");
    }
}
