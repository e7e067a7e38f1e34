use super::support::{ident_span, name_text};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use sqlparser::ast::{AlterTableOperation, Statement as Ast};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER TABLE ... DROP [COLUMN]` of a column of a table that exists before the migration.
///
/// ## Why is this bad?
/// The column's values are gone for good (a down migration can add the column back, not its
/// data), and application code still reading or writing it fails as soon as the migration runs —
/// including the old version of the application during a rolling deploy.
///
/// ## Example
/// ```sql
/// ALTER TABLE users DROP COLUMN legacy_email;
/// ```
///
/// ## Use instead
/// Expand/contract: stop reading and writing the column in the application and deploy that first;
/// once no running code uses it (and a backup exists), drop it with an explicit
/// `-- strata:allow DL002 <why>` so the loss is on purpose.
pub struct DropColumn;

impl Rule for DropColumn {
    fn code(&self) -> &'static str {
        "DL002"
    }
    fn name(&self) -> &'static str {
        "drop-column"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres, Engine::Mysql, Engine::Sqlite]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, _ctx: &Context, out: &mut Findings) {
        let Some(Ast::AlterTable(alter)) = &stmt.ast else {
            return check_words(file, stmt, out);
        };
        let table = name_text(&alter.name);
        if file.created_here(&table, stmt.index) {
            return;
        }
        for op in &alter.operations {
            if let AlterTableOperation::DropColumn { column_names, .. } = op {
                for column in column_names {
                    report(stmt, ident_span(stmt, column), &table, &column.value, out);
                }
            }
        }
    }
}

/// `ALTER TABLE t DROP COLUMN c` the parser could not read (e.g. next to a clause it does not know).
fn check_words(file: &LintFile, stmt: &Statement, out: &mut Findings) {
    if !stmt.starts_with(&["ALTER", "TABLE"]) {
        return;
    }
    let mut at = 2;
    while matches!(
        stmt.word(at).map(|w| w.upper.as_str()),
        Some("IF" | "EXISTS" | "ONLY")
    ) {
        at += 1;
    }
    let Some((table, _)) = stmt.name_at(at) else {
        return;
    };
    if file.created_here(&table, stmt.index) {
        return;
    }
    for i in stmt.find_all(&["DROP", "COLUMN"]) {
        let mut c = i + 2;
        if stmt.find_seq(&["IF", "EXISTS"]) == Some(c) {
            c += 2;
        }
        if let Some(column) = stmt.word(c) {
            let span = stmt.span_of(c, c);
            report(stmt, span, &table, &column.text, out);
        }
    }
}

fn report(stmt: &Statement, span: (usize, usize), table: &str, column: &str, out: &mut Findings) {
    out.report(
        stmt,
        span,
        Severity::Error,
        format!("DROP COLUMN deletes {table}.{column} and all its values; code still using it fails"),
        Some(format!(
            "stop using {column} in the application and deploy that first; then accept the drop with `-- strata:allow DL002 <reason>`"
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check;

    const ENGINES: [Engine; 3] = [Engine::Postgres, Engine::Mysql, Engine::Sqlite];

    #[test]
    fn finds_dropped_columns() {
        for engine in ENGINES {
            insta::assert_snapshot!(
                format!("drop_column_{engine}"),
                check(
                    &DropColumn,
                    engine,
                    "ALTER TABLE users DROP COLUMN legacy_email;\nALTER TABLE orders DROP note;"
                )
            );
        }
    }

    #[test]
    fn does_not_find_new_tables_or_other_drops() {
        for engine in ENGINES {
            insta::allow_duplicates! {
                insta::assert_snapshot!(check(
                    &DropColumn,
                    engine,
                    "CREATE TABLE tmp (id int, x int);\nALTER TABLE tmp DROP COLUMN x;\nALTER TABLE users ADD COLUMN note text;"
                ), @"no findings");
            }
        }
    }
}
