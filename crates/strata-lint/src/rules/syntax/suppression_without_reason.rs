use crate::rule::{Findings, Rule};
use crate::{Context, LintFile, Severity, Statement};
use strata_schema::Engine;

/// ## What it does
/// Finds `-- strata:allow <code>` comments that give no reason.
///
/// ## Why is this bad?
/// A suppression says "this risk is accepted on purpose". Without the why, the next reader cannot
/// tell a reviewed decision from a silenced warning.
///
/// ## Example
/// ```sql
/// -- strata:allow PG001
/// CREATE INDEX orders_created_at ON orders (created_at);
/// ```
///
/// ## Use instead
/// ```sql
/// -- strata:allow PG001 orders has 200 rows; built before launch
/// CREATE INDEX orders_created_at ON orders (created_at);
/// ```
pub struct SuppressionWithoutReason;

impl Rule for SuppressionWithoutReason {
    fn code(&self) -> &'static str {
        "ST002"
    }
    fn name(&self) -> &'static str {
        "suppression-without-reason"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres, Engine::Mysql, Engine::Sqlite]
    }
    fn check(&self, file: &LintFile, stmt: &Statement, _ctx: &Context, out: &mut Findings) {
        let mut missing: Vec<(String, usize)> = stmt
            .allow
            .iter()
            .filter(|a| a.reason.is_empty() && !file.allow_lines.contains(&a.line))
            .map(|a| (a.code.clone(), a.line))
            .collect();
        if stmt.index == 0 {
            for (i, (code, reason)) in file.directives.allow.iter().enumerate() {
                if reason.is_empty() {
                    missing.push((code.clone(), file.allow_lines.get(i).copied().unwrap_or(1)));
                }
            }
        }
        for (code, line) in missing {
            // Point at the comment's line.
            let line_start: usize = file.text.lines().take(line - 1).map(|l| l.len() + 1).sum();
            let len = file.text.lines().nth(line - 1).map_or(0, str::len);
            out.report_at(
                stmt,
                line_start,
                line_start + len,
                Severity::Error,
                format!("`strata:allow {code}` gives no reason"),
                Some(format!(
                    "write why the risk is accepted: `-- strata:allow {code} <reason>`"
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
    fn finds_suppressions_without_reason() {
        insta::assert_snapshot!(check(
            &SuppressionWithoutReason,
            Engine::Postgres,
            "-- strata:allow DL001\n\n-- strata:allow PG001\nCREATE INDEX a ON t (x);"
        ));
    }

    #[test]
    fn does_not_find_explained_suppressions() {
        insta::assert_snapshot!(check(
            &SuppressionWithoutReason,
            Engine::Postgres,
            "-- strata:allow PG001 tiny table\nCREATE INDEX a ON t (x);"
        ), @"no findings");
    }
}
