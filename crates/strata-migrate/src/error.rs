//! The errors of loading and running migrations.

use crate::migration::Version;
use crate::sum::SumProblem;
use std::path::PathBuf;

/// An error from a database driver, with the engine's own message (never a password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriverError {
    pub message: String,
    /// 0-based byte offset into the executed SQL where the engine located the error, if it did.
    pub position: Option<usize>,
    /// Set when the cause is the connection or the server's state, not the SQL: the same file
    /// succeeds when run again.
    pub transient: Option<Transient>,
}

impl DriverError {
    /// A driver error with only a message.
    pub fn new(message: impl Into<String>) -> Self {
        DriverError {
            message: message.into(),
            position: None,
            transient: None,
        }
    }
}

/// A failure that says nothing about the migration file: running it again is the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Transient {
    /// The connection was closed, reset or ended mid-answer (a killed session, a failover).
    ConnectionLost,
    /// The server ended the session: terminated by an administrator, shutting down or
    /// restarting (PostgreSQL 57P01-57P03, MySQL 1053, 1927).
    ServerShutdown,
    /// Chosen as a deadlock victim (40P01, 1213).
    Deadlock,
    /// A serializable transaction could not be ordered (40001).
    SerializationFailure,
    /// A lock wait ran out (55P03, 1205, 3572).
    LockTimeout,
    /// The server is read-only, as a former primary is after a failover (25006, 1290).
    ReadOnly,
}

impl Transient {
    /// What happened, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Transient::ConnectionLost => "the connection to the server was lost",
            Transient::ServerShutdown => "the server ended the session (an administrator's terminate, a shutdown or a restart)",
            Transient::Deadlock => "the server chose this migration as a deadlock victim",
            Transient::SerializationFailure => "the server could not serialize the transaction",
            Transient::LockTimeout => "a lock wait timed out",
            Transient::ReadOnly => "the server is read-only (a replica, or a former primary after a failover)",
        }
    }
}

impl std::fmt::Display for DriverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DriverError {}

/// Everything that can stop a migration command.
///
/// [`Error::is_refusal`] separates a refusal (the files or history are not what strata expects;
/// exit code 1) from a failure (exit code 2).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not valid UTF-8 (invalid byte at offset {offset}); save it as UTF-8 and retry", path.display())]
    InvalidUtf8 { path: PathBuf, offset: usize },
    #[error("{}: {reason}", path.display())]
    BadFileName { path: PathBuf, reason: String },
    #[error("{}:{line}: {message}", path.display())]
    Directive {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}:{line}: malformed strata.sum: {message}; run `strata validate --rehash` to rewrite it", path.display())]
    SumMalformed {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{} is missing but the folder holds migrations; run `strata validate --rehash` to write it after reviewing the files", path.display())]
    SumMissing { path: PathBuf },
    #[error("migrations do not match strata.sum:\n{}\nIf these changes are intended, run `strata validate --rehash`; otherwise restore the files", list(problems))]
    SumMismatch { problems: Vec<SumProblem> },
    #[error("migration {file} was applied with checksum {applied} but the file now has {current}; restore the file (applied migrations must not change) or add a new migration")]
    Modified {
        file: String,
        applied: String,
        current: String,
    },
    #[error("migration {version}_{name} is recorded as applied but its file is missing from the migrations folder; restore it")]
    Missing { version: Version, name: String },
    #[error("migration {file} is pending but older than the last applied migration {last}; rename it to a newer version, or pass --out-of-order to apply it anyway")]
    OutOfOrder { file: String, last: Version },
    #[error("migration {file} failed part-way and its statements already run were changed since (statement {statement} no longer matches); restore the file or repair the database by hand and remove its row from the history table")]
    ResumeMismatch { file: String, statement: usize },
    #[error(
        "migration {file} is half-applied: {detail}; fix the file and run `strata apply` to resume"
    )]
    Dirty { file: String, detail: String },
    #[error("rollback of {file} stopped part-way: {detail}; fix the down file and run `strata rollback` to resume it")]
    RollbackDirty { file: String, detail: String },
    #[error("cannot roll back {label}: down file {file} is missing; write it (or roll back by hand and remove the history row)")]
    DownMissing { label: String, file: String },
    #[error("version {version} is not a migration in the folder; `strata status` lists them")]
    UnknownVersion { version: Version },
    #[error("{file}:{line}: {message}{}", if hint.is_empty() { String::new() } else { format!("\n{hint}") })]
    Execution {
        file: String,
        line: usize,
        message: String,
        /// What state the failure left behind and what to do next.
        hint: String,
        /// Set when the cause was the connection or the server, not the file.
        transient: Option<Transient>,
    },
    #[error("timed out after {waited_secs}s waiting for the migration lock{}; retry later, or raise --lock-timeout", holder.as_ref().map(|h| format!(" held by {h}")).unwrap_or_default())]
    LockTimeout {
        waited_secs: u64,
        holder: Option<String>,
    },
    /// The user stopped the run (Ctrl-C, SIGTERM); `summary` says what was applied, what was
    /// rolled back or left half-way, and what to run next.
    #[error("stopped by {}: {summary}", crate::stop::signal_name(*signal))]
    Interrupted { signal: i32, summary: String },
    #[error("{context}: {source}")]
    Database {
        context: String,
        source: DriverError,
    },
}

fn list(problems: &[SumProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// The transient cause of this failure, when running the same files again can succeed.
    pub fn transient(&self) -> Option<Transient> {
        match self {
            Error::Execution { transient, .. } => *transient,
            Error::Database { source, .. } => source.transient,
            _ => None,
        }
    }

    /// Whether this is a refusal (exit code 1) rather than a failure (exit code 2).
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            Error::SumMismatch { .. }
                | Error::SumMissing { .. }
                | Error::Modified { .. }
                | Error::Missing { .. }
                | Error::OutOfOrder { .. }
                | Error::ResumeMismatch { .. }
                | Error::Dirty { .. }
                | Error::RollbackDirty { .. }
        )
    }

    pub(crate) fn db(context: impl Into<String>) -> impl FnOnce(DriverError) -> Error {
        let context = context.into();
        move |source| Error::Database { context, source }
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
