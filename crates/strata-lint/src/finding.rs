//! [`Finding`]: what a rule found, where, and what to do instead.

use serde::Serialize;

/// How serious a finding is. `apply` refuses error-level findings unless told otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// The lowercase word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding of one rule on one statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable rule code, e.g. `PG001`.
    pub code: String,
    /// Rule name, e.g. `create-index-non-concurrently`.
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// What to do instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub file: String,
    /// 1-based line and column of the span start.
    pub line: usize,
    pub column: usize,
    /// 1-based line and column just after the span.
    pub end_line: usize,
    pub end_column: usize,
    /// Byte range of the span in the file.
    pub start: usize,
    pub end: usize,
    /// Index of the statement in the file (0-based).
    pub statement: usize,
    /// Suppressed on purpose with `-- strata:allow <code> <reason>`; the reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
}
