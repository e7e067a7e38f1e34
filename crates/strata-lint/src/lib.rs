//! The migration linter: rules that find locks, table rewrites, data loss and backward-incompatible
//! changes in migration SQL, for every engine.
//!
//! A file is split into statements (the same splitter `apply` uses), each parsed by sqlparser in
//! the engine's dialect. Rules read the syntax tree when there is one and the statement's words
//! otherwise, so a statement sqlparser does not know (PostgreSQL's `REINDEX`, `CLUSTER`) is still
//! checked. With a database, rules also know the tables' sizes ([`Context`]). Findings are data,
//! never errors: the tool only fails on I/O.

mod context;
mod finding;
mod report;
mod rule;
pub mod rules;
mod source;

pub use context::{Context, TableFacts};
pub use finding::{Finding, Severity};
pub use report::{render, render_styled, Format};
pub use rule::{Findings, Rule};
pub use source::{LintFile, Statement, Word};

/// Lints one file of migration SQL with every rule that applies to `file.engine`.
pub fn lint(file: &LintFile, ctx: &Context) -> Vec<Finding> {
    let mut out = Findings::new(file);
    for rule in rules::all() {
        if !rule.engines().contains(&file.engine) {
            continue;
        }
        for stmt in &file.statements {
            out.set_rule(*rule);
            rule.check(file, stmt, ctx, &mut out);
        }
    }
    out.finish()
}
