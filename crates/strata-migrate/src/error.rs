//! The errors of loading and running migrations.

use crate::migration::Version;
use crate::sum::SumProblem;
use std::path::PathBuf;

/// An error from a database driver, with the engine's own message (never a password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriverError {
    /// The engine's message, with its error code when it gives one (`... (code 42P01)`).
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
    /// A file or folder could not be read or written.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A migration or seed file is not valid UTF-8.
    #[error("{} is not valid UTF-8 (invalid byte at offset {offset}); save it as UTF-8 and retry", path.display())]
    InvalidUtf8 {
        /// The file.
        path: PathBuf,
        /// The byte offset of the first invalid byte.
        offset: usize,
    },
    /// A file in the migrations folder, or a name for a new migration, does not follow
    /// `<version>_<name>.up.sql` / `.down.sql`.
    #[error("{}: {reason}", path.display())]
    BadFileName {
        /// The file (or the file a new migration would get).
        path: PathBuf,
        /// What is wrong with the name and how to name it instead.
        reason: String,
    },
    /// A `-- strata:` header directive of a migration file could not be read.
    #[error("{}:{line}: {message}", path.display())]
    Directive {
        /// The migration file.
        path: PathBuf,
        /// The 1-based line of the directive.
        line: usize,
        /// What is wrong and what to write instead.
        message: String,
    },
    /// `strata.sum` could not be parsed.
    #[error("{}:{line}: malformed strata.sum: {message}; run `strata validate --rehash` to rewrite it", path.display())]
    SumMalformed {
        /// The `strata.sum` file.
        path: PathBuf,
        /// The 1-based line that could not be read.
        line: usize,
        /// What is wrong with the line.
        message: String,
    },
    /// The folder holds migrations but no `strata.sum`.
    #[error("{} is missing but the folder holds migrations; run `strata validate --rehash` to write it after reviewing the files", path.display())]
    SumMissing {
        /// Where `strata.sum` should be.
        path: PathBuf,
    },
    /// The migration files differ from what `strata.sum` records.
    #[error("migrations do not match strata.sum:\n{}\nIf these changes are intended, run `strata validate --rehash`; otherwise restore the files", list(problems))]
    SumMismatch {
        /// Each file added, removed or edited since `strata.sum` was written.
        problems: Vec<SumProblem>,
    },
    /// An applied migration's up file changed since it was applied.
    #[error("migration {file} was applied with checksum {applied} but the file now has {current}; restore the file (applied migrations must not change) or add a new migration")]
    Modified {
        /// The up file's name inside the migrations folder.
        file: String,
        /// The checksum the history table recorded when it was applied (`h1:<base64>`).
        applied: String,
        /// The checksum of the file now.
        current: String,
    },
    /// The history table records a migration whose file is gone.
    #[error("migration {version}_{name} is recorded as applied but its file is missing from the migrations folder; restore it")]
    Missing {
        /// The recorded version.
        version: Version,
        /// The recorded name (the slug after the version).
        name: String,
    },
    /// A pending migration is older than the newest applied one and `--out-of-order` was not
    /// given.
    #[error("migration {file} is pending but older than the last applied migration {last}; rename it to a newer version, or pass --out-of-order to apply it anyway")]
    OutOfOrder {
        /// The pending migration's up file name.
        file: String,
        /// The version of the newest applied migration.
        last: Version,
    },
    /// A half-applied script cannot resume: the statements that already ran changed since.
    #[error("migration {file} failed part-way and its statements already run were changed since (statement {statement} no longer matches); restore the file or repair the database by hand and remove its row from the history table")]
    ResumeMismatch {
        /// The file name of the script that stopped part-way.
        file: String,
        /// The 1-based number of the first statement that no longer matches (one past the end
        /// when the file now has fewer statements than had run).
        statement: usize,
    },
    /// A migration stopped part-way while applying: rollback refuses until `strata apply` has
    /// finished it.
    #[error(
        "migration {file} is half-applied: {detail}; fix the file and run `strata apply` to resume"
    )]
    Dirty {
        /// The file of the statement that failed.
        file: String,
        /// Where it stopped and why: statement, line and the recorded error.
        detail: String,
    },
    /// A rollback stopped part-way: apply refuses until `strata rollback` has finished it.
    #[error("rollback of {file} stopped part-way: {detail}; fix the down file and run `strata rollback` to resume it")]
    RollbackDirty {
        /// The file of the statement that failed (the down file).
        file: String,
        /// Where it stopped and why: statement, line and the recorded error.
        detail: String,
    },
    /// A migration to roll back has no down file.
    #[error("cannot roll back {label}: down file {file} is missing; write it (or roll back by hand and remove the history row)")]
    DownMissing {
        /// The migration as `<version>_<name>`.
        label: String,
        /// The down file's expected name, `<version>_<name>.down.sql`.
        file: String,
    },
    /// A version given on the command line is not a migration in the folder.
    #[error("version {version} is not a migration in the folder; `strata status` lists them")]
    UnknownVersion {
        /// The version asked for.
        version: Version,
    },
    /// A statement of a migration or seed file failed, or a check after it did.
    #[error("{file}:{line}: {message}{}", if hint.is_empty() { String::new() } else { format!("\n{hint}") })]
    Execution {
        /// The script's file name inside the migrations folder (a seed file's path).
        file: String,
        /// The 1-based line of the failing statement (of the first one when the failure is not tied
        /// to a statement).
        line: usize,
        /// What failed, with the engine's message (`statement N failed: ...`).
        message: String,
        /// What state the failure left behind and what to do next.
        hint: String,
        /// Set when the cause was the connection or the server, not the file.
        transient: Option<Transient>,
    },
    /// Another process held the migration lock for longer than the lock timeout.
    #[error("timed out after {waited_secs}s waiting for the migration lock{}; retry later, or raise --lock-timeout", holder.as_ref().map(|h| format!(" held by {h}")).unwrap_or_default())]
    LockTimeout {
        /// How long strata waited, in whole seconds.
        waited_secs: u64,
        /// Who holds the lock (host, process, since when); `None` when the engine cannot tell.
        holder: Option<String>,
    },
    /// The user stopped the run (Ctrl-C, SIGTERM); `summary` says what was applied, what was
    /// rolled back or left half-way, and what to run next.
    #[error("stopped by {}: {summary}", crate::stop::signal_name(*signal))]
    Interrupted {
        /// The signal number (2 for SIGINT, 15 for SIGTERM).
        signal: i32,
        /// What the run did before it stopped and the command that goes on.
        summary: String,
    },
    /// A database operation outside a migration's own statements failed (locking, history,
    /// transactions).
    #[error("{context}: {source}")]
    Database {
        /// What strata was doing, e.g. `cannot record the migration`.
        context: String,
        /// The engine's error.
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
