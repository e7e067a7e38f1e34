//! Helpers for rule tests: lint SQL with one rule and render what it found for a snapshot.

use crate::{render, Context, Findings, Format, LintFile, Rule, TableFacts};
use std::collections::BTreeMap;
use strata_schema::Engine;

/// Lints `sql` for `engine` with `rule` only and renders the findings in the human format.
pub fn check(rule: &dyn Rule, engine: Engine, sql: &str) -> String {
    check_with(rule, engine, sql, &Context::default())
}

/// Like [`check`] with a context.
pub fn check_with(rule: &dyn Rule, engine: Engine, sql: &str, ctx: &Context) -> String {
    let file = LintFile::new("migration.sql", sql, engine);
    let mut out = Findings::new(&file);
    out.set_rule(rule);
    for stmt in &file.statements {
        rule.check(&file, stmt, ctx, &mut out);
    }
    let findings = out.finish();
    let sources = BTreeMap::from([("migration.sql".to_string(), file.text.clone())]);
    render(Format::Human, &findings, &sources)
}

/// A context where `table` has `rows` rows.
pub fn with_rows(table: &str, rows: i64) -> Context {
    let mut ctx = Context::default();
    ctx.tables
        .insert(table.to_string(), TableFacts { rows, bytes: None });
    ctx
}
