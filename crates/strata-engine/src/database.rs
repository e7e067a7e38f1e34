//! Connecting by URL, and [`Database`], the driver of whichever engine the URL names.

use crate::error::EngineError;
use crate::history_table::HistoryTable;
use crate::url::{engine_of, redact, scrub};
use crate::{MySql, Postgres, Sqlite};
use std::sync::Arc;
use std::time::Duration;
use strata_migrate::{Driver, DriverError, HistoryRow, Interrupt, Transient, Version};
use strata_schema::{Engine, Name};
use tracing::Instrument;

/// The level at which every statement sent on a connection is logged, with its duration, by
/// sqlx's statement logger (target `sqlx::query`); slow ones keep sqlx's warning.
pub(crate) const STATEMENT_LOG_LEVEL: log::LevelFilter = log::LevelFilter::Info;

/// The span a connection's statements are logged in: the database by its redacted URL, and the
/// server's id of the session (PostgreSQL backend pid, MySQL connection id; none for SQLite),
/// the id a DBA finds in `pg_stat_activity` or `SHOW PROCESSLIST`.
pub(crate) fn connection_span(url: &str, backend: Option<i64>) -> tracing::Span {
    tracing::info_span!(parent: None, "db", url = %redact(url), backend)
}

/// How to reach a target database.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// The database URL (`sqlite://`, `postgres://`, `mysql://`), TLS and session settings
    /// included; printed only through `url::redact`.
    pub url: String,
    /// Where the history table lives (name, and schema or database on PostgreSQL/MySQL).
    pub history: HistoryTable,
    /// How long to wait for the server to accept the connection.
    pub connect_timeout: Duration,
    /// PostgreSQL: refuse a connection through a pooler in transaction or statement mode
    /// (it costs a second, short-lived connection; the CLI turns it on for target databases).
    pub refuse_transaction_pooling: bool,
}

impl ConnectOptions {
    /// Options for `url` with the default history table.
    pub fn new(url: impl Into<String>) -> Self {
        ConnectOptions {
            url: url.into(),
            history: HistoryTable::default(),
            connect_timeout: Duration::from_secs(10),
            refuse_transaction_pooling: false,
        }
    }
}

/// A connected target database of any engine.
pub enum Database {
    /// A SQLite file (or `sqlite::memory:`).
    Sqlite(Sqlite),
    /// A PostgreSQL server's database.
    Postgres(Postgres),
    /// A MySQL or MariaDB server's database.
    MySql(MySql),
}

/// Connects to the database `options.url` names.
pub async fn connect(options: &ConnectOptions) -> Result<Database, EngineError> {
    let engine = engine_of(&options.url)?;
    let connecting = async {
        match engine {
            Engine::Sqlite => Sqlite::connect(options).await.map(Database::Sqlite),
            Engine::Postgres => Postgres::connect(options).await.map(Database::Postgres),
            Engine::Mysql => MySql::connect(options).await.map(Database::MySql),
        }
    };
    let connecting = connecting.instrument(connection_span(&options.url, None));
    match tokio::time::timeout(options.connect_timeout, connecting).await {
        Ok(result) => result,
        Err(_) => Err(EngineError::Unreachable {
            url: redact(&options.url),
            message: format!(
                "no answer within {}s; check the host and port, and that the server is running",
                options.connect_timeout.as_secs()
            ),
        }),
    }
}

/// A connection error that names the cause of a failed TLS handshake when there was one.
pub(crate) fn tls_connect_error(
    url: &str,
    e: sqlx::Error,
    engine: Engine,
    mode: crate::tls::TlsMode,
) -> EngineError {
    match crate::tls::tls_failure(&e, engine, mode) {
        Some(message) => EngineError::Connect {
            url: redact(url),
            message: scrub(&message, url),
        },
        None => connect_error(url, e),
    }
}

/// Turns a sqlx connection error into a message that names the URL (redacted) and the next step.
pub(crate) fn connect_error(url: &str, e: sqlx::Error) -> EngineError {
    let hint = match &e {
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "; is the server running on that host and port?"
        }
        sqlx::Error::Io(_) => "; check the host name and port",
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("28P01") | Some("28000") => "; check the user name and password",
            Some("3D000") => "; create the database first, or fix its name in the URL",
            _ if db.message().contains("Access denied") => "; check the user name and password",
            _ if db.message().contains("Unknown database") => {
                "; create the database first, or fix its name in the URL"
            }
            _ => "",
        },
        sqlx::Error::Configuration(_) => {
            "; fix the URL (see `strata --help` for the forms strata accepts)"
        }
        _ => "",
    };
    let message = match &e {
        sqlx::Error::Database(db) => db.message().to_string(),
        other => other.to_string(),
    };
    let url_shown = redact(url);
    let message = scrub(&format!("{message}{hint}"), url);
    // Refused, reset or a server still starting (57P03): the server is not there yet.
    let unreachable = match &e {
        sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => db.code().as_deref() == Some("57P03"),
        _ => false,
    };
    if unreachable {
        EngineError::Unreachable {
            url: url_shown,
            message,
        }
    } else {
        EngineError::Connect {
            url: url_shown,
            message,
        }
    }
}

/// A sqlx error as a driver error: the engine's message with its code, and the error position
/// (as a byte offset into `sql`) when the engine reports one.
pub(crate) fn driver_error(e: sqlx::Error, sql: &str) -> DriverError {
    match &e {
        sqlx::Error::Database(db) => {
            let mut message = db.message().to_string();
            // SQLite's generic code 1 (SQLITE_ERROR) adds nothing to its message.
            if let Some(code) = db.code().filter(|c| c != "1") {
                message.push_str(&format!(" (code {code})"));
            }
            let position = db
                .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                .and_then(|pg| match pg.position() {
                    Some(sqlx::postgres::PgErrorPosition::Original(chars)) => sql
                        .char_indices()
                        .nth(chars.saturating_sub(1))
                        .map(|(b, _)| b),
                    _ => None,
                });
            DriverError {
                message,
                position,
                transient: transient_database_error(db.as_ref()),
            }
        }
        sqlx::Error::Io(_) | sqlx::Error::WorkerCrashed | sqlx::Error::PoolClosed => DriverError {
            transient: Some(Transient::ConnectionLost),
            ..DriverError::new(e.to_string())
        },
        // sqlx reports a connection that ended mid-answer as a protocol error.
        sqlx::Error::Protocol(p) if p.contains("expected to read") || p.contains("EOF") => {
            DriverError {
                transient: Some(Transient::ConnectionLost),
                ..DriverError::new(format!("the server closed the connection ({p})"))
            }
        }
        _ => DriverError::new(e.to_string()),
    }
}

/// Whether a server error is about the session or the server's state rather than the SQL.
fn transient_database_error(db: &dyn sqlx::error::DatabaseError) -> Option<Transient> {
    if let Some(my) = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
        return match my.number() {
            1053 | 1927 => Some(Transient::ServerShutdown),
            2006 | 2013 => Some(Transient::ConnectionLost),
            1213 => Some(Transient::Deadlock),
            1205 | 3572 => Some(Transient::LockTimeout),
            1290 | 1836 => Some(Transient::ReadOnly),
            _ => None,
        };
    }
    let code = db.code()?;
    match code.as_ref() {
        "57P01" | "57P02" | "57P03" => Some(Transient::ServerShutdown),
        c if c.starts_with("08") => Some(Transient::ConnectionLost),
        "40P01" => Some(Transient::Deadlock),
        "40001" => Some(Transient::SerializationFailure),
        "55P03" => Some(Transient::LockTimeout),
        "25006" => Some(Transient::ReadOnly),
        _ => None,
    }
}

macro_rules! delegate {
    ($self:ident, $d:ident => $e:expr) => {
        match $self {
            Database::Sqlite($d) => $e,
            Database::Postgres($d) => $e,
            Database::MySql($d) => $e,
        }
    };
}

/// Forwards an async call to the engine inside the connection's span, so that the statements
/// it sends are logged with the database and session they ran on.
macro_rules! delegate_logged {
    ($self:ident, $d:ident => $call:expr) => {{
        let span = $self.span();
        delegate!($self, $d => $call.instrument(span).await)
    }};
}

impl Database {
    /// The span this connection's statements are logged in.
    fn span(&self) -> tracing::Span {
        delegate!(self, d => d.span.clone())
    }

    /// What protects the connection: `None` for SQLite, which has none to protect.
    pub fn security(&self) -> Option<&crate::tls::Security> {
        match self {
            Database::Sqlite(_) => None,
            Database::Postgres(d) => Some(d.security()),
            Database::MySql(d) => Some(d.security()),
        }
    }
}

/// Every [`Driver`] method is required (none has a default body), so a method this does not
/// forward to the engine fails to compile instead of silently doing nothing.
impl Driver for Database {
    fn engine(&self) -> Engine {
        delegate!(self, d => d.engine())
    }
    async fn try_lock(&mut self) -> Result<bool, DriverError> {
        delegate_logged!(self, d => d.try_lock())
    }
    async fn lock_holder(&mut self) -> Result<Option<String>, DriverError> {
        delegate_logged!(self, d => d.lock_holder())
    }
    async fn unlock(&mut self) -> Result<(), DriverError> {
        delegate_logged!(self, d => d.unlock())
    }
    async fn ensure_history(&mut self) -> Result<(), DriverError> {
        delegate_logged!(self, d => d.ensure_history())
    }
    async fn read_history(&mut self) -> Result<Option<Vec<HistoryRow>>, DriverError> {
        delegate_logged!(self, d => d.read_history())
    }
    async fn write_history(&mut self, row: &HistoryRow) -> Result<(), DriverError> {
        delegate_logged!(self, d => d.write_history(row))
    }
    async fn delete_history(&mut self, version: Version) -> Result<(), DriverError> {
        delegate_logged!(self, d => d.delete_history(version))
    }
    async fn begin(&mut self) -> Result<(), DriverError> {
        delegate_logged!(self, d => d.begin())
    }
    async fn commit(&mut self) -> Result<(), DriverError> {
        delegate_logged!(self, d => d.commit())
    }
    async fn rollback(&mut self) -> Result<(), DriverError> {
        delegate_logged!(self, d => d.rollback())
    }
    async fn execute(&mut self, sql: &str) -> Result<(), DriverError> {
        delegate_logged!(self, d => d.execute(sql))
    }
    async fn set_lock_timeout(
        &mut self,
        timeout: Option<Duration>,
        local: bool,
    ) -> Result<(), DriverError> {
        delegate_logged!(self, d => d.set_lock_timeout(timeout, local))
    }
    async fn write_history_and_commit(&mut self, row: &HistoryRow) -> Result<(), DriverError> {
        delegate_logged!(self, d => d.write_history_and_commit(row))
    }
    async fn begin_and_execute(&mut self, sql: &str) -> Result<(), DriverError> {
        delegate_logged!(self, d => d.begin_and_execute(sql))
    }
    async fn set_foreign_keys(&mut self, on: bool) -> Result<(), DriverError> {
        delegate_logged!(self, d => d.set_foreign_keys(on))
    }
    async fn foreign_key_violations(&mut self) -> Result<Vec<String>, DriverError> {
        delegate_logged!(self, d => d.foreign_key_violations())
    }
    async fn count_rows(&mut self, table: &Name) -> Result<Option<i64>, DriverError> {
        delegate_logged!(self, d => d.count_rows(table))
    }
    async fn interrupter(&mut self) -> Result<Arc<dyn Interrupt>, DriverError> {
        delegate_logged!(self, d => d.interrupter())
    }
}

/// Cancels the statement of a server session (`id`: PostgreSQL backend pid, MySQL connection
/// id) from a new connection, on a thread and runtime of its own: the caller may be a signal
/// thread while the migrator's runtime waits on the statement.
pub(crate) struct RemoteCancel {
    pub options: ConnectOptions,
    pub id: i64,
}

impl RemoteCancel {
    /// Runs `sql(id)` on a new connection to the same server, on a thread of its own (callable
    /// from a signal handler's thread, or from async code through `spawn_blocking`); the
    /// receiver gets the outcome.
    fn on_new_connection(
        &self,
        sql: fn(Engine, i64) -> Option<String>,
    ) -> std::sync::mpsc::Receiver<Result<(), String>> {
        let (mut options, id) = (self.options.clone(), self.id);
        // The session to reach was checked when it connected; this must not wait on that.
        options.refuse_transaction_pooling = false;
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = std::thread::Builder::new()
            .name("strata-cancel".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = tx.send(Err(e.to_string()));
                        return;
                    }
                };
                let outcome = rt.block_on(async move {
                    let mut db = connect(&options).await.map_err(|e| e.to_string())?;
                    match sql(db.engine(), id) {
                        Some(sql) => db.execute(&sql).await.map_err(|e| e.message),
                        None => Ok(()),
                    }
                });
                let _ = tx.send(outcome);
            });
        rx
    }
}

impl Interrupt for RemoteCancel {
    fn interrupt(&self) {
        // Best effort, without waiting: a statement that already ended has nothing to cancel.
        let _ = self.on_new_connection(|engine, id| match engine {
            Engine::Postgres => Some(format!("SELECT pg_cancel_backend({id})")),
            Engine::Mysql => Some(format!("KILL QUERY {id}")),
            Engine::Sqlite => None,
        });
    }

    fn end_session(&self, within: std::time::Duration) -> Result<String, String> {
        let id = self.id;
        let outcome = self
            .on_new_connection(|engine, id| match engine {
                Engine::Postgres => Some(format!("SELECT pg_terminate_backend({id})")),
                Engine::Mysql => Some(format!("KILL CONNECTION {id}")),
                Engine::Sqlite => None,
            })
            .recv_timeout(within);
        match outcome {
            Ok(Ok(())) => Ok(format!("strata ended its old session {id} on the server")),
            // MySQL 1094: the server noticed first and the session is already gone.
            Ok(Err(e)) if e.contains("1094") || e.contains("Unknown thread id") => Ok(format!(
                "its old session {id} had already ended on the server"
            )),
            Ok(Err(e)) => Err(format!(
                "could not end its old session {id} on the server: {e}"
            )),
            Err(_) => Err(format!(
                "could not reach the server within {}s to end its old session {id}",
                within.as_secs()
            )),
        }
    }
}

/// The dialect of `engine`.
pub fn dialect(engine: Engine) -> &'static dyn strata_diff::Dialect {
    match engine {
        Engine::Sqlite => &crate::sqlite::dialect::SQLITE_DIALECT,
        Engine::Postgres => &crate::postgres::dialect::POSTGRES_DIALECT,
        Engine::Mysql => &crate::mysql::dialect::MYSQL_DIALECT,
    }
}

impl crate::SchemaDriver for Database {
    async fn inspect(&mut self) -> Result<strata_schema::Schema, DriverError> {
        delegate_logged!(self, d => d.inspect())
    }

    fn dialect(&self) -> &'static dyn strata_diff::Dialect {
        dialect(self.engine())
    }
}
