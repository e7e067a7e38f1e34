use crate::rule::{Findings, Rule};
use crate::rules::data_loss::support::{name_span, name_text};
use crate::{Context, LintFile, Severity, Statement};
use sqlparser::ast::{AlterTableOperation, ColumnOption, Statement as Ast, TableConstraint};
use strata_schema::Engine;

/// ## What it does
/// Finds `CREATE TABLE` without a primary key (inline or table-level). Temporary tables,
/// `CREATE TABLE ... AS`/`LIKE` and PostgreSQL partitions (whose key comes from the parent) are
/// left alone.
///
/// ## Why is this bad?
/// Without a key nothing identifies one row: duplicates creep in, and updating or deleting a
/// single row is guesswork. PostgreSQL logical replication cannot replicate `UPDATE`/`DELETE` on
/// it, MySQL Group Replication refuses writes to it, and online schema-change tools (gh-ost,
/// pt-online-schema-change) need a key to copy the table.
///
/// ## Example
/// ```sql
/// CREATE TABLE page_views (path text, viewed_at timestamptz);
/// ```
///
/// ## Use instead
/// ```sql
/// CREATE TABLE page_views (
///     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
///     path text,
///     viewed_at timestamptz
/// );
/// ```
pub struct TableWithoutPrimaryKey;

impl Rule for TableWithoutPrimaryKey {
    fn code(&self) -> &'static str {
        "HY006"
    }
    fn name(&self) -> &'static str {
        "table-without-primary-key"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres, Engine::Mysql, Engine::Sqlite]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, _ctx: &Context, out: &mut Findings) {
        let Some(Ast::CreateTable(ct)) = &stmt.ast else {
            return;
        };
        if ct.temporary
            || ct.query.is_some()
            || ct.like.is_some()
            || ct.clone.is_some()
            || ct.partition_of.is_some()
        {
            return;
        }
        let inline = ct.columns.iter().any(|c| {
            c.options
                .iter()
                .any(|o| matches!(o.option, ColumnOption::PrimaryKey(_)))
        });
        let table_level = ct.constraints.iter().any(|c| {
            matches!(
                c,
                TableConstraint::PrimaryKey(_) | TableConstraint::PrimaryKeyUsingIndex(_)
            )
        });
        let table = name_text(&ct.name);
        if inline || table_level || key_added_later(file, stmt, &table) {
            return;
        }
        let help = match file.engine {
            Engine::Mysql => format!("add `id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY` to {table}, or a PRIMARY KEY on its natural key"),
            Engine::Sqlite => format!("add `id INTEGER PRIMARY KEY` to {table}, or a PRIMARY KEY on its natural key"),
            Engine::Postgres => format!("add `id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY` to {table}, or a PRIMARY KEY on its natural key"),
        };
        out.report(
            stmt,
            name_span(stmt, &ct.name),
            Severity::Warning,
            format!("table {table} has no primary key: no row can be addressed on its own, and replication and online schema-change tools need one"),
            Some(help),
        );
    }
}

/// Whether a later `ALTER TABLE ... ADD PRIMARY KEY` of the file gives the table its key.
fn key_added_later(file: &LintFile, stmt: &Statement, table: &str) -> bool {
    file.statements[stmt.index + 1..]
        .iter()
        .any(|s| match &s.ast {
            Some(Ast::AlterTable(alter)) => {
                name_text(&alter.name).eq_ignore_ascii_case(table)
                    && alter.operations.iter().any(|op| {
                        matches!(
                            op,
                            AlterTableOperation::AddConstraint {
                                constraint: TableConstraint::PrimaryKey(_)
                                    | TableConstraint::PrimaryKeyUsingIndex(_),
                                ..
                            }
                        )
                    })
            }
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check;

    const ENGINES: [Engine; 3] = [Engine::Postgres, Engine::Mysql, Engine::Sqlite];

    #[test]
    fn finds_tables_without_primary_key() {
        for engine in ENGINES {
            insta::assert_snapshot!(
                format!("table_without_primary_key_{engine}"),
                check(
                    &TableWithoutPrimaryKey,
                    engine,
                    "CREATE TABLE page_views (path text, viewed_at timestamp);"
                )
            );
        }
    }

    #[test]
    fn does_not_find_keyed_or_derived_tables() {
        for engine in ENGINES {
            insta::allow_duplicates! {
                insta::assert_snapshot!(check(
                    &TableWithoutPrimaryKey,
                    engine,
                    "CREATE TABLE a (id bigint PRIMARY KEY);\nCREATE TABLE b (x int, y int, CONSTRAINT b_pk PRIMARY KEY (x, y));\nCREATE TABLE c AS SELECT * FROM a;\nCREATE TEMPORARY TABLE scratch (x int);\nCREATE TABLE d (id int NOT NULL);\nALTER TABLE d ADD PRIMARY KEY (id);"
                ), @"no findings");
            }
        }
    }
}
