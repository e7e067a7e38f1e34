use super::support::{name_span, name_text};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use sqlparser::ast::{CascadeOption, Statement as Ast};
use strata_schema::Engine;

/// ## What it does
/// Finds `TRUNCATE [TABLE]` of a table that exists before the migration. (SQLite has no
/// `TRUNCATE`.)
///
/// ## Why is this bad?
/// Every row of the table is deleted at once, and a down migration cannot bring them back. With
/// PostgreSQL's `CASCADE`, every table with a foreign key to it is emptied too — tables the
/// statement does not even name.
///
/// ## Example
/// ```sql
/// TRUNCATE TABLE customers CASCADE;
/// ```
///
/// ## Use instead
/// Move data out of the migration: delete the rows you mean to delete (in batches) from a
/// maintenance job, or, when emptying the table is the point, accept it on purpose with
/// `-- strata:allow DL004 <why>`.
pub struct Truncate;

impl Rule for Truncate {
    fn code(&self) -> &'static str {
        "DL004"
    }
    fn name(&self) -> &'static str {
        "truncate"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres, Engine::Mysql]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings) {
        if let Some(Ast::Truncate(t)) = &stmt.ast {
            let cascade = t.cascade == Some(CascadeOption::Cascade);
            for target in &t.table_names {
                let table = name_text(&target.name);
                if !file.created_here(&table, stmt.index) {
                    report(
                        stmt,
                        name_span(stmt, &target.name),
                        &table,
                        cascade,
                        ctx,
                        out,
                    );
                }
            }
            return;
        }
        if !stmt.starts_with(&["TRUNCATE"]) {
            return;
        }
        let mut i = 1;
        while matches!(
            stmt.word(i).map(|w| w.upper.as_str()),
            Some("TABLE" | "ONLY" | "IF" | "EXISTS")
        ) {
            i += 1;
        }
        let cascade = stmt.has("CASCADE");
        while let Some((table, next)) = stmt.name_at(i) {
            if matches!(
                stmt.word(i).map(|w| w.upper.as_str()),
                Some("CASCADE" | "RESTRICT" | "RESTART" | "CONTINUE")
            ) {
                break;
            }
            if !file.created_here(&table, stmt.index) {
                report(stmt, stmt.span_of(i, next - 1), &table, cascade, ctx, out);
            }
            i = next;
        }
    }
}

fn report(
    stmt: &Statement,
    span: (usize, usize),
    table: &str,
    cascade: bool,
    ctx: &Context,
    out: &mut Findings,
) {
    let size = ctx
        .describe(table)
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    let cascade = if cascade {
        "; CASCADE also empties every table with a foreign key to it"
    } else {
        ""
    };
    out.report(
        stmt,
        span,
        Severity::Error,
        format!("TRUNCATE deletes every row of {table}{size}{cascade}"),
        Some("delete the rows you mean to delete outside the migration, or accept with `-- strata:allow DL004 <reason>`".into()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, check_with, with_rows};

    #[test]
    fn finds_truncated_tables() {
        insta::assert_snapshot!(
            "truncate_postgres",
            check_with(
                &Truncate,
                Engine::Postgres,
                "TRUNCATE TABLE customers, orders CASCADE;",
                &with_rows("customers", 52_000)
            )
        );
        insta::assert_snapshot!(
            "truncate_mysql",
            check(&Truncate, Engine::Mysql, "TRUNCATE TABLE sessions;")
        );
    }

    #[test]
    fn does_not_find_new_tables() {
        for engine in [Engine::Postgres, Engine::Mysql] {
            insta::allow_duplicates! {
                insta::assert_snapshot!(check(
                    &Truncate,
                    engine,
                    "CREATE TABLE staging (id int);\nTRUNCATE TABLE staging;\nDELETE FROM sessions WHERE id = 1;"
                ), @"no findings");
            }
        }
    }
}
