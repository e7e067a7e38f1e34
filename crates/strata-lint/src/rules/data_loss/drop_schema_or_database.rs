use super::support::{name_span, name_text};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use sqlparser::ast::{ObjectType, Statement as Ast};
use strata_schema::Engine;

/// ## What it does
/// Finds `DROP SCHEMA` and `DROP DATABASE` of a schema or database that exists before the
/// migration. (SQLite has neither statement: `DETACH` deletes nothing.)
///
/// ## Why is this bad?
/// Every table, view and routine in it is deleted with all its rows. In MySQL a schema is a
/// database, and `DROP SCHEMA` deletes it outright; in PostgreSQL `CASCADE` deletes everything
/// in the schema, and without it the statement fails unless the schema is already empty.
///
/// ## Example
/// ```sql
/// DROP SCHEMA reporting CASCADE;
/// ```
///
/// ## Use instead
/// Drop the objects one by one in migrations that say why, after backing them up, or accept the
/// drop on purpose with `-- strata:allow DL003 <why>`.
pub struct DropSchemaOrDatabase;

impl Rule for DropSchemaOrDatabase {
    fn code(&self) -> &'static str {
        "DL003"
    }
    fn name(&self) -> &'static str {
        "drop-schema-or-database"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres, Engine::Mysql]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, _ctx: &Context, out: &mut Findings) {
        if let Some(Ast::Drop {
            object_type: kind @ (ObjectType::Schema | ObjectType::Database),
            names,
            cascade,
            ..
        }) = &stmt.ast
        {
            let what = if *kind == ObjectType::Schema {
                "SCHEMA"
            } else {
                "DATABASE"
            };
            for name in names {
                let name_str = name_text(name);
                if !created_here(file, stmt, &name_str) {
                    let span = name_span(stmt, name);
                    report(file, stmt, span, what, &name_str, *cascade, out);
                }
            }
            return;
        }
        // Statements the parser could not read: the words tell what and which.
        let what = if stmt.starts_with(&["DROP", "SCHEMA"]) {
            "SCHEMA"
        } else if stmt.starts_with(&["DROP", "DATABASE"]) {
            "DATABASE"
        } else {
            return;
        };
        let at = if stmt.find_seq(&["IF", "EXISTS"]) == Some(2) {
            4
        } else {
            2
        };
        if let Some((name, next)) = stmt.name_at(at) {
            if !created_here(file, stmt, &name) {
                let span = stmt.span_of(at, next - 1);
                report(file, stmt, span, what, &name, stmt.has("CASCADE"), out);
            }
        }
    }
}

/// Whether an earlier statement of the file creates the schema or database `name`.
fn created_here(file: &LintFile, stmt: &Statement, name: &str) -> bool {
    file.statements[..stmt.index].iter().any(|s| {
        let at = if s.starts_with(&["CREATE", "SCHEMA"]) || s.starts_with(&["CREATE", "DATABASE"]) {
            2
        } else {
            return false;
        };
        let at = if s.find_seq(&["IF", "NOT", "EXISTS"]) == Some(at) {
            at + 3
        } else {
            at
        };
        s.name_at(at)
            .is_some_and(|(n, _)| n.eq_ignore_ascii_case(name))
    })
}

fn report(
    file: &LintFile,
    stmt: &Statement,
    span: (usize, usize),
    what: &str,
    name: &str,
    cascade: bool,
    out: &mut Findings,
) {
    let message = match (file.engine, what, cascade) {
        (Engine::Postgres, "SCHEMA", true) => format!(
            "DROP SCHEMA {name} CASCADE deletes every table, view and function in it, with all their rows"
        ),
        (Engine::Postgres, "SCHEMA", false) => format!(
            "DROP SCHEMA {name} deletes the schema; it fails while anything is left in it, and with CASCADE it deletes everything"
        ),
        _ => format!("DROP {what} {name} deletes the database {name} with every table and row in it"),
    };
    out.report(
        stmt,
        span,
        Severity::Error,
        message,
        Some("back up what it holds and drop its objects in reviewed migrations, or accept with `-- strata:allow DL003 <reason>`".into()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check;

    #[test]
    fn finds_dropped_schemas_and_databases() {
        for (engine, sql) in [
            (
                Engine::Postgres,
                "DROP SCHEMA IF EXISTS reporting CASCADE;\nDROP SCHEMA archive;\nDROP DATABASE analytics;",
            ),
            (
                Engine::Mysql,
                "DROP SCHEMA IF EXISTS reporting;\nDROP DATABASE analytics;",
            ),
        ] {
            insta::assert_snapshot!(
                format!("drop_schema_or_database_{engine}"),
                check(&DropSchemaOrDatabase, engine, sql)
            );
        }
    }

    #[test]
    fn does_not_find_schemas_created_here() {
        for engine in [Engine::Postgres, Engine::Mysql] {
            insta::allow_duplicates! {
                insta::assert_snapshot!(check(
                    &DropSchemaOrDatabase,
                    engine,
                    "CREATE SCHEMA scratch;\nDROP SCHEMA scratch;\nDROP TABLE reporting;"
                ), @"no findings");
            }
        }
    }
}
