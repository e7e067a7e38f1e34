//! Rows of the history table (`strata_history` by default).

use crate::migration::Version;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// What a history row's progress columns describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    /// The up script ran (or is running, or stopped part-way).
    Apply,
    /// The down script is running or stopped part-way; the row disappears when it completes.
    Rollback,
}

impl Operation {
    /// The value stored in the `operation` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Apply => "apply",
            Operation::Rollback => "rollback",
        }
    }

    /// Reads the stored value; anything unknown is treated as an apply.
    pub fn parse(text: &str) -> Operation {
        if text == "rollback" {
            Operation::Rollback
        } else {
            Operation::Apply
        }
    }
}

/// One row of the history table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryRow {
    /// The migration's version.
    pub version: Version,
    /// The migration's name (the slug after the version) when it was applied.
    pub name: String,
    /// Checksum of the up file when it was applied.
    pub checksum: String,
    /// When the run of the migration started (UTC), or when it was marked applied.
    pub applied_at: DateTime<Utc>,
    /// The wall-clock time the script took, in milliseconds (0 for a migration marked applied
    /// without running).
    pub execution_ms: i64,
    /// `user@host` of the process that ran it.
    pub applied_by: String,
    /// Statements of the running script that completed (progress of non-transactional scripts).
    pub statements_applied: i64,
    /// How many statements the running script has in all.
    pub statements_total: i64,
    /// Hash of the statements that completed, checked before resuming.
    pub progress_hash: String,
    /// Whether the migration completed; false means it stopped part-way.
    pub success: bool,
    /// Whether the progress columns describe the up script or a rollback's down script.
    pub operation: Operation,
    /// The error that stopped it, with file and line.
    pub error: Option<String>,
}

impl HistoryRow {
    /// The row of migration `m` with every one of its `total` statements run and recorded now;
    /// callers that record progress adjust the counts, the operation and the success flag.
    pub(crate) fn completed(m: &crate::migration::Migration, total: usize) -> HistoryRow {
        HistoryRow {
            version: m.version,
            name: m.name.clone(),
            checksum: m.up.checksum.to_string(),
            applied_at: Utc::now(),
            execution_ms: 0,
            applied_by: applied_by(),
            statements_applied: total as i64,
            statements_total: total as i64,
            progress_hash: String::new(),
            success: true,
            operation: Operation::Apply,
            error: None,
        }
    }
}

/// The `user@host` string recorded as `applied_by` (read once per process).
pub fn applied_by() -> String {
    static APPLIED_BY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    APPLIED_BY
        .get_or_init(|| {
            let user = std::env::var("USER")
                .or_else(|_| std::env::var("USERNAME"))
                .unwrap_or_else(|_| "unknown".to_string());
            format!("{user}@{}", hostname())
        })
        .clone()
}

/// This machine's host name, for history rows and lock holders.
pub fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "localhost".to_string())
}
