//! The [`Rule`] trait and [`Findings`], the collector rules report into.

use crate::finding::{Finding, Severity};
use crate::source::{LintFile, Statement};
use crate::Context;
use strata_schema::Engine;

/// A lint rule: one file in `rules/`, with a doc comment (*What it does*, *Why is this bad?*,
/// *Example*, *Use instead*) that becomes its documentation.
pub trait Rule: Sync {
    /// Stable code, e.g. `PG001`.
    fn code(&self) -> &'static str;
    /// Kebab-case name, e.g. `create-index-non-concurrently`.
    fn name(&self) -> &'static str;
    /// Engines the rule applies to.
    fn engines(&self) -> &'static [Engine];
    /// Checks one statement (the whole file is there for context) and reports into `out`.
    fn check(&self, file: &LintFile, stmt: &Statement, ctx: &Context, out: &mut Findings);
}

/// Collects findings for a file, applying `-- strata:allow` suppressions.
pub struct Findings<'f> {
    file: &'f LintFile,
    rule: Option<(&'static str, &'static str)>,
    found: Vec<Finding>,
}

impl<'f> Findings<'f> {
    /// A collector for `file`.
    pub fn new(file: &'f LintFile) -> Findings<'f> {
        Findings {
            file,
            rule: None,
            found: Vec::new(),
        }
    }

    /// Sets the rule the next reports come from.
    pub fn set_rule(&mut self, rule: &dyn Rule) {
        self.rule = Some((rule.code(), rule.name()));
    }

    /// Reports a finding on bytes `span` (relative to the statement) of `stmt`.
    pub fn report(
        &mut self,
        stmt: &Statement,
        span: (usize, usize),
        severity: Severity,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let start = stmt.offset + span.0.min(stmt.sql.len());
        let end = stmt.offset + span.1.min(stmt.sql.len()).max(span.0.min(stmt.sql.len()));
        self.report_at(stmt, start, end, severity, message, help);
    }

    /// Reports a finding about `stmt` on bytes `start..end` of the file (e.g. a comment above it).
    pub fn report_at(
        &mut self,
        stmt: &Statement,
        start: usize,
        end: usize,
        severity: Severity,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let (code, name) = self.rule.unwrap_or(("ST000", "unknown"));
        let (line, column) = self.file.position(start);
        let (end_line, end_column) = self.file.position(end);
        let file_allows = self
            .file
            .directives
            .allow
            .iter()
            .map(|(c, r)| (c.as_str(), r.as_str()));
        let suppressed = stmt
            .allow
            .iter()
            .map(|a| (a.code.as_str(), a.reason.as_str()))
            .chain(file_allows)
            .find(|(c, _)| c.eq_ignore_ascii_case(code) || c.eq_ignore_ascii_case(name))
            .map(|(_, r)| r.to_string());
        self.found.push(Finding {
            code: code.to_string(),
            rule: name.to_string(),
            severity,
            message: message.into(),
            help,
            file: self.file.path.clone(),
            line,
            column,
            end_line,
            end_column,
            start,
            end,
            statement: stmt.index,
            suppressed,
        });
    }

    /// Reports on the words `from..=to` of `stmt`.
    pub fn report_words(
        &mut self,
        stmt: &Statement,
        from: usize,
        to: usize,
        severity: Severity,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let span = stmt.span_of(from, to);
        self.report(stmt, span, severity, message, help);
    }

    /// The findings, in file order.
    pub fn finish(mut self) -> Vec<Finding> {
        self.found
            .sort_by(|a, b| (a.start, &a.code).cmp(&(b.start, &b.code)));
        self.found
    }

    /// The file being linted.
    pub fn file(&self) -> &LintFile {
        self.file
    }
}

/// Whether `ctx` says `table` is small enough for a lock on it not to matter; used to lower the
/// severity of lock rules. Without a database every table is treated as large (the safe
/// assumption); with one, a table it does not have yet is new, hence empty.
pub fn small_table(ctx: &Context, table: &str) -> bool {
    match ctx.table(table) {
        Some(f) => f.rows < crate::context::LARGE_TABLE_ROWS,
        None => ctx.connected(),
    }
}
