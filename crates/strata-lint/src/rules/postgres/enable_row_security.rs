use super::alter_table;
use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `ALTER TABLE ... ENABLE ROW LEVEL SECURITY` (and `FORCE ROW LEVEL SECURITY`) on a table
/// that already exists.
///
/// ## Why is this bad?
/// From that statement on, every role but the table's owner (and superusers or roles with
/// `BYPASSRLS`) sees and changes only the rows a policy allows: with no policy at all, none. An
/// application that read the table a moment ago gets empty results, without an error. `FORCE`
/// applies the policies to the owner as well. Found without a policy for the table in the same
/// file or in the schema, it is an error; with one, a warning to check that the policies cover
/// every role the application uses.
///
/// ## Example
/// ```sql
/// ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
/// ```
///
/// ## Use instead
/// Create the policies in the same migration (it runs in one transaction):
/// ```sql
/// CREATE POLICY documents_owner ON documents USING (owner = current_user);
/// ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
/// ```
pub struct EnableRowSecurity;

impl Rule for EnableRowSecurity {
    fn code(&self) -> &'static str {
        "PG015"
    }
    fn name(&self) -> &'static str {
        "enable-row-level-security"
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
            let force = action.starts_with(stmt, &["FORCE", "ROW", "LEVEL", "SECURITY"]);
            if !force && !action.starts_with(stmt, &["ENABLE", "ROW", "LEVEL", "SECURITY"]) {
                continue;
            }
            let bare = |n: &str| n.rsplit('.').next().unwrap_or(n).to_lowercase();
            let in_file = file.statements.iter().any(|s| {
                s.starts_with(&["CREATE", "POLICY"])
                    && s.find_all(&["ON"])
                        .into_iter()
                        .filter_map(|i| s.name_at(i + 1))
                        .any(|(n, _)| bare(&n) == bare(table))
            });
            let in_schema = ctx.schema.as_ref().is_some_and(|s| {
                s.tables.iter().any(|t| {
                    t.name.name.eq_ignore_ascii_case(&bare(table)) && !t.policies.is_empty()
                })
            });
            let who = if force {
                "every role, its owner included,"
            } else {
                "every role but its owner"
            };
            let (severity, message) = if in_file || in_schema {
                (
                    Severity::Warning,
                    format!("{} ROW LEVEL SECURITY on {table}: from now on {who} sees and changes only the rows its policies allow", if force { "FORCE" } else { "ENABLE" }),
                )
            } else {
                (
                    Severity::Error,
                    format!("{} ROW LEVEL SECURITY on {table}, which has no policy: from now on {who} sees no rows at all", if force { "FORCE" } else { "ENABLE" }),
                )
            };
            out.report_words(
                stmt,
                action.from,
                action.from + 3,
                severity,
                message,
                Some(format!(
                    "create the policies for {table} (CREATE POLICY ... ON {table} ...) in the same migration (one transaction: nobody sees the table without them), and check that they cover every role the application connects as"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check;

    #[test]
    fn finds_row_security_switched_on() {
        insta::assert_snapshot!(check(
            &EnableRowSecurity,
            Engine::Postgres,
            "ALTER TABLE documents ENABLE ROW LEVEL SECURITY;\nCREATE POLICY notes_owner ON notes USING (owner = current_user);\nALTER TABLE notes FORCE ROW LEVEL SECURITY;"
        ));
    }

    #[test]
    fn does_not_find_new_tables_or_other_switches() {
        insta::assert_snapshot!(check(
            &EnableRowSecurity,
            Engine::Postgres,
            "CREATE TABLE t (id int);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\nALTER TABLE documents DISABLE ROW LEVEL SECURITY;\nALTER TABLE documents NO FORCE ROW LEVEL SECURITY;"
        ), @"no findings");
    }
}
