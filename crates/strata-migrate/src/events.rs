//! What a run reports: events while it works, and the report when it ends.

use crate::history::Operation;
use crate::migration::Version;
use serde::Serialize;
use std::time::Duration;

/// Something a long run reports while it works (progress bars, log lines).
#[derive(Debug, Clone)]
pub enum Event {
    /// Another process holds the lock; emitted when waiting starts and when the holder changes.
    WaitingForLock {
        /// Who holds the lock (host, process, since when); `None` when the engine cannot tell.
        holder: Option<String>,
    },
    /// The migrations about to run, in order.
    Plan {
        /// Each migration as `<version>_<name>`, in the order they will run.
        labels: Vec<String>,
    },
    /// A migration starts; `resume_at` > 0 when it continues a half-applied run.
    Started {
        /// The migration as `<version>_<name>`.
        label: String,
        /// Whether its up or its down script runs.
        operation: Operation,
        /// How many of its statements already ran in an earlier, interrupted run (0 for a fresh
        /// start).
        resume_at: usize,
        /// How many statements the script has in all.
        statements: usize,
    },
    /// A statement of a non-transactional script completed.
    Statement {
        /// The migration as `<version>_<name>`.
        label: String,
        /// How many of the script's statements have completed, this one included.
        done: usize,
        /// How many statements the script has in all.
        total: usize,
    },
    /// A migration completed.
    Finished {
        /// The migration as `<version>_<name>`, or a seed file's path.
        label: String,
        /// Whether its up or its down script ran (always `Apply` for a seed file).
        operation: Operation,
        /// The wall-clock time the script took.
        elapsed: Duration,
    },
}

/// One migration run (or, in a dry run, that would run).
#[derive(Debug, Clone, Serialize)]
pub struct RunEntry {
    /// The migration's version.
    pub version: Version,
    /// The migration's name (the slug after the version).
    pub name: String,
    /// The file that ran (the up file for apply, the down file for rollback).
    pub file: String,
    /// The wall-clock time the script took, in milliseconds; 0 in a dry run.
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
    /// Whether nothing ran and the entries show what would have.
    pub dry_run: bool,
    /// The migrations run, in the order they ran; on a dry run, those that would run.
    pub migrations: Vec<RunEntry>,
}
