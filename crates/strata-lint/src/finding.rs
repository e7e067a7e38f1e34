//! [`Finding`]: what a rule found, where, and what to do instead.

use serde::Serialize;

/// How serious a finding is. `apply` refuses error-level findings unless told otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never blocks anything.
    Info,
    /// Likely a problem; `apply` counts it and goes on.
    Warning,
    /// A problem `apply` refuses to run unless the finding is suppressed or `--allow-unsafe`
    /// (`--allow-destructive` for `DL` rules) is given.
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
    /// How serious the rule considers it.
    pub severity: Severity,
    /// What the rule found at the span.
    pub message: String,
    /// What to do instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The file as the caller named it (its path, usually).
    pub file: String,
    /// 1-based line of the span start.
    pub line: usize,
    /// 1-based column of the span start, counted in characters.
    pub column: usize,
    /// 1-based line of the position just after the span.
    pub end_line: usize,
    /// 1-based column of the position just after the span, counted in characters.
    pub end_column: usize,
    /// Byte offset of the span start in the file.
    pub start: usize,
    /// Byte offset just after the span (exclusive).
    pub end: usize,
    /// Index of the statement in the file (0-based).
    pub statement: usize,
    /// Suppressed on purpose with `-- strata:allow <code> <reason>`; the reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
}
