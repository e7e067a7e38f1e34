//! What a run reports: events while it works, and the report when it ends.

use crate::history::Operation;
use crate::migration::Version;
use serde::Serialize;
use std::time::Duration;

/// Something a long run reports while it works (progress bars, log lines).
#[derive(Debug, Clone)]
pub enum Event {
    /// Another process holds the lock; emitted when waiting starts and when the holder changes.
    WaitingForLock { holder: Option<String> },
    /// The migrations about to run, in order.
    Plan { labels: Vec<String> },
    /// A migration starts; `resume_at` > 0 when it continues a half-applied run.
    Started {
        label: String,
        operation: Operation,
        resume_at: usize,
        statements: usize,
    },
    /// A statement of a non-transactional script completed.
    Statement {
        label: String,
        done: usize,
        total: usize,
    },
    /// A migration completed.
    Finished {
        label: String,
        operation: Operation,
        elapsed: Duration,
    },
}

/// One migration run (or, in a dry run, that would run).
#[derive(Debug, Clone, Serialize)]
pub struct RunEntry {
    pub version: Version,
    pub name: String,
    pub file: String,
    pub execution_ms: u64,
    /// The statement it resumed at (1-based), if it continued a half-applied run.
    pub resumed_at: Option<usize>,
    /// In a dry run, the SQL that would run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
}

/// The result of `apply` or `rollback`.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub dry_run: bool,
    pub migrations: Vec<RunEntry>,
}
