use super::support::{name_span, name_text};
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use sqlparser::ast::{AlterTableOperation, RenameTableNameKind, Statement as Ast};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER TABLE a RENAME TO b` (and MySQL's `RENAME TABLE a TO b`) of a table that exists
/// before the migration.
///
/// ## Why is this bad?
/// The rename itself is fast, but every query of the running application still names the old
/// table and fails from the moment the migration commits — and during a rolling deploy the old
/// version keeps running for a while.
///
/// ## Example
/// ```sql
/// ALTER TABLE customers RENAME TO clients;
/// ```
///
/// ## Use instead
/// Expand/contract: create the new table and write to both (or rename the table and leave a
/// simple view with the old name for old code), move readers to the new name, and drop the old
/// name in a later release.
/// ```sql
/// ALTER TABLE customers RENAME TO clients;
/// CREATE VIEW customers AS SELECT * FROM clients;
/// ```
pub struct RenameTable;

impl Rule for RenameTable {
    fn code(&self) -> &'static str {
        "DL005"
    }
    fn name(&self) -> &'static str {
        "rename-table"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres, Engine::Mysql, Engine::Sqlite]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, _ctx: &Context, out: &mut Findings) {
        match &stmt.ast {
            Some(Ast::AlterTable(alter)) => {
                let old = name_text(&alter.name);
                for op in &alter.operations {
                    if let AlterTableOperation::RenameTable {
                        table_name: RenameTableNameKind::To(new) | RenameTableNameKind::As(new),
                    } = op
                    {
                        // Renamed away and recreated in the same file: a rebuild, not a rename.
                        if !file.created_here(&old, stmt.index)
                            && !file.name_reused_later(&old, stmt.index)
                        {
                            let span = name_span(stmt, &alter.name);
                            report(file, stmt, span, &old, &name_text(new), out);
                        }
                    }
                }
            }
            Some(Ast::RenameTable(renames)) => {
                // A swap (`t TO t_old, t_new TO t`) gives the name back in the same atomic
                // statement: code using `t` keeps working.
                let given_back = |old: &str| {
                    renames
                        .iter()
                        .any(|r| name_text(&r.new_name).eq_ignore_ascii_case(old))
                };
                for r in renames {
                    let old = name_text(&r.old_name);
                    if !file.created_here(&old, stmt.index) && !given_back(&old) {
                        let span = name_span(stmt, &r.old_name);
                        report(file, stmt, span, &old, &name_text(&r.new_name), out);
                    }
                }
            }
            _ => {}
        }
    }
}

fn report(
    file: &LintFile,
    stmt: &Statement,
    span: (usize, usize),
    old: &str,
    new: &str,
    out: &mut Findings,
) {
    // A view keeps old readers working on PostgreSQL and MySQL (simple views are updatable);
    // SQLite views are read-only, so there the old code must move first.
    let help = if file.engine == Engine::Sqlite {
        format!("create {new}, write to both tables and move readers to {new} before dropping {old} in a later release")
    } else {
        format!("leave a view named {old} over {new} (or create {new} and write to both) until no code uses {old}")
    };
    out.report(
        stmt,
        span,
        Severity::Error,
        format!("renaming {old} to {new} breaks every running query that still uses {old}"),
        Some(help),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check;

    const ENGINES: [Engine; 3] = [Engine::Postgres, Engine::Mysql, Engine::Sqlite];

    #[test]
    fn finds_renamed_tables() {
        for engine in ENGINES {
            insta::assert_snapshot!(
                format!("rename_table_{engine}"),
                check(
                    &RenameTable,
                    engine,
                    "ALTER TABLE customers RENAME TO clients;"
                )
            );
        }
        insta::assert_snapshot!(
            "rename_table_mysql_statement",
            check(
                &RenameTable,
                Engine::Mysql,
                "RENAME TABLE orders TO orders_archive, invoices TO bills;"
            )
        );
    }

    #[test]
    fn does_not_find_new_tables_or_column_renames() {
        for engine in ENGINES {
            insta::allow_duplicates! {
                insta::assert_snapshot!(check(
                    &RenameTable,
                    engine,
                    "CREATE TABLE orders_new (id int);\nALTER TABLE orders_new RENAME TO orders_next;\nALTER TABLE users RENAME COLUMN a TO b;"
                ), @"no findings");
            }
        }
    }
}
