//! SQLite: the embedded default engine.
//!
//! The migration lock is a row in a companion table (`<history>_lock`) taken in a `BEGIN IMMEDIATE`
//! transaction, so two processes can never both insert it. A holder that was killed leaves its
//! row behind; a waiter on the same host takes the lock over once that process is gone.

pub(crate) mod ddl_text;
pub(crate) mod dialect;
mod inspect;
mod raw;

use crate::database::{connect_error, connection_span, driver_error, STATEMENT_LOG_LEVEL};
use crate::error::EngineError;
use crate::history_table::{self, HistoryTable};
use crate::ConnectOptions;
use chrono::{DateTime, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions as _, Connection, Row};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use strata_migrate::history::hostname;
use strata_migrate::{Driver, DriverError, HistoryRow, Interrupt, Version};
use strata_schema::{quote, Engine, Name};

const BUSY_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a migrator keeps the database file to itself across transactions (see
/// [`Sqlite::share_when_due`]); readers wait at most this plus one migration.
const EXCLUSIVE_FOR: Duration = Duration::from_secs(1);
const E: Engine = Engine::Sqlite;

/// A connection to a SQLite database file.
pub struct Sqlite {
    conn: raw::Conn,
    history: HistoryTable,
    /// Identifies this connection's lock row, so a second migrator in the same process waits too.
    token: String,
    /// Set while SQLite's locking mode is EXCLUSIVE: when to go back to sharing the file.
    exclusive_until: Option<Instant>,
    /// Where this connection's statements are logged (see `database::connection_span`); the
    /// URL names the file, and SQLite has no server session to name.
    pub(crate) span: tracing::Span,
}

impl Sqlite {
    /// The underlying connection, for catalog queries outside the driver's primitives.
    pub(crate) fn connection(&mut self) -> &mut SqliteConnection {
        self.conn.sqlx()
    }

    /// Opens (creating if needed) the database file of `options.url`.
    pub async fn connect(options: &ConnectOptions) -> Result<Sqlite, EngineError> {
        if options.history.schema.is_some() {
            return Err(EngineError::Config(
                "SQLite has no schemas for the history table: remove `history_schema` from strata.toml for this environment".into(),
            ));
        }
        let url = options.url.replacen("sqlite3:", "sqlite:", 1);
        let url = url
            .strip_prefix("file:")
            .map_or(url.clone(), |p| format!("sqlite:{p}"));
        let opts = SqliteConnectOptions::from_str(&url)
            .map_err(|e| connect_error(&options.url, e))?
            .create_if_missing(true)
            .busy_timeout(BUSY_TIMEOUT)
            .log_statements(STATEMENT_LOG_LEVEL);
        let conn = SqliteConnection::connect_with(&opts)
            .await
            .map_err(|e| connect_error(&options.url, e))?;
        Ok(Sqlite {
            conn: raw::Conn::new(conn),
            history: options.history.clone(),
            token: format!("{}-{}", std::process::id(), rand_token()),
            exclusive_until: None,
            span: connection_span(&options.url, None),
        })
    }

    /// Runs `sql` (any number of statements) on this thread, in one hand-over from sqlx's
    /// worker thread (see `raw`).
    async fn raw(&mut self, sql: &str) -> Result<(), DriverError> {
        self.conn.exec(sql).await
    }

    /// The first column of the first row of `sql`, as an integer (tests and row estimates).
    pub async fn scalar_i64(&mut self, sql: &str) -> Result<i64, DriverError> {
        sqlx::query_scalar(sql)
            .fetch_one(self.conn.sqlx())
            .await
            .map_err(|e| driver_error(e, sql))
    }

    /// Prepares a read of the most recently created view, so that a view over a missing table
    /// or column fails now rather than when it is first used.
    pub async fn check_last_view(&mut self) -> Result<(), DriverError> {
        let name: Option<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_schema WHERE type = 'view' ORDER BY rowid DESC LIMIT 1",
        )
        .fetch_optional(self.conn.sqlx())
        .await
        .map_err(|e| driver_error(e, ""))?;
        if let Some(name) = name {
            let sql = format!(
                "SELECT * FROM {} LIMIT 0",
                strata_schema::quote::ident(E, &name)
            );
            self.raw(&sql).await?;
        }
        Ok(())
    }

    /// Ends the exclusive stretch that `try_lock` started once it has lasted [`EXCLUSIVE_FOR`]:
    /// SQLite lets the file go when the next transaction ends, and from then on readers get in
    /// between migrations again. Called before each transaction or statement of a run.
    async fn share_when_due(&mut self) -> Result<(), DriverError> {
        if self.exclusive_until.is_some_and(|t| Instant::now() >= t) {
            self.exclusive_until = None;
            self.raw("PRAGMA locking_mode = NORMAL").await?;
        }
        Ok(())
    }

    fn lock_table(&self) -> String {
        self.history.sibling(E, "_lock")
    }

    /// The statement that writes `row`, with literals rather than binds: it runs through
    /// [`Sqlite::raw`] like the migration itself, and can travel with the COMMIT.
    fn history_upsert(&self, row: &HistoryRow) -> String {
        self.history.upsert_literal_sql(row)
    }

    async fn try_lock_inner(&mut self) -> Result<bool, DriverError> {
        let table = self.lock_table();
        self.raw(&format!(
            "CREATE TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY CHECK (id = 1), token TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, acquired_at TEXT NOT NULL)"
        ))
        .await?;
        let row = sqlx::query(&format!(
            "SELECT token, host, pid FROM {table} WHERE id = 1"
        ))
        .fetch_optional(self.conn.sqlx())
        .await
        .map_err(|e| driver_error(e, ""))?;
        if let Some(row) = row {
            let token: String = row.get(0);
            let host: String = row.get(1);
            let pid: i64 = row.get(2);
            if token == self.token {
                return Ok(true);
            }
            if host != hostname() || process_alive(pid) {
                return Ok(false);
            }
            // The holder was killed without releasing the lock: take it over.
            sqlx::query(&format!("DELETE FROM {table} WHERE id = 1"))
                .execute(self.conn.sqlx())
                .await
                .map_err(|e| driver_error(e, ""))?;
        }
        sqlx::query(&format!(
            "INSERT INTO {table} (id, token, host, pid, acquired_at) VALUES (1, ?, ?, ?, ?)"
        ))
        .bind(&self.token)
        .bind(hostname())
        .bind(std::process::id() as i64)
        .bind(Utc::now().to_rfc3339())
        .execute(self.conn.sqlx())
        .await
        .map_err(|e| driver_error(e, ""))?;
        Ok(true)
    }
}

fn rand_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    format!("{:016x}", h.finish())
}

/// Whether process `pid` of this host is alive; where that cannot be told, assume it is.
fn process_alive(pid: i64) -> bool {
    let proc = std::path::Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    let Ok(stat) = std::fs::read_to_string(proc.join(pid.to_string()).join("stat")) else {
        return false;
    };
    // A zombie (state Z) has exited; only its parent has not collected it yet.
    let state = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().next());
    state != Some("Z")
}

fn is_busy(e: &DriverError) -> bool {
    e.message.contains("database is locked") || e.message.contains("(code 5)")
}

impl Driver for Sqlite {
    fn engine(&self) -> Engine {
        E
    }

    async fn try_lock(&mut self) -> Result<bool, DriverError> {
        // A holder keeps the write lock while a migration runs: do not queue behind it for the
        // whole busy timeout, report "not yet" so the migrator's --lock-timeout applies.
        self.raw("PRAGMA busy_timeout = 200").await?;
        let began = self.raw("BEGIN IMMEDIATE").await;
        self.raw(&format!(
            "PRAGMA busy_timeout = {}",
            BUSY_TIMEOUT.as_millis()
        ))
        .await?;
        match began {
            Ok(()) => {}
            Err(e) if is_busy(&e) => return Ok(false),
            Err(e) => return Err(e),
        }
        match self.try_lock_inner().await {
            Ok(true) => match self.raw("COMMIT").await {
                Ok(()) => {
                    // Keep the database file from the next transaction on, for a bounded
                    // stretch (`share_when_due`): each migration still commits and syncs on its
                    // own, but SQLite keeps its journal open and its cache warm instead of
                    // creating, syncing the directory of and deleting a journal file per
                    // transaction — 10-20% of a run of small migrations (README, "SQLite").
                    self.raw("PRAGMA locking_mode = EXCLUSIVE").await?;
                    self.exclusive_until = Some(Instant::now() + EXCLUSIVE_FOR);
                    Ok(true)
                }
                Err(e) if is_busy(&e) => {
                    let _ = self.raw("ROLLBACK").await;
                    Ok(false)
                }
                Err(e) => Err(e),
            },
            Ok(false) => {
                self.raw("ROLLBACK").await?;
                Ok(false)
            }
            Err(e) => {
                let _ = self.raw("ROLLBACK").await;
                if is_busy(&e) {
                    Ok(false)
                } else {
                    Err(e)
                }
            }
        }
    }

    async fn lock_holder(&mut self) -> Result<Option<String>, DriverError> {
        // While the holder writes a large transaction it may hold SQLite's exclusive lock, and
        // the row cannot be read: say so instead of waiting behind it.
        self.raw("PRAGMA busy_timeout = 200").await?;
        let row = sqlx::query(&format!(
            "SELECT host, pid, acquired_at FROM {} WHERE id = 1",
            self.lock_table()
        ))
        .fetch_optional(self.conn.sqlx())
        .await
        .map_err(|e| driver_error(e, ""));
        self.raw(&format!(
            "PRAGMA busy_timeout = {}",
            BUSY_TIMEOUT.as_millis()
        ))
        .await?;
        match row {
            Ok(row) => Ok(row.map(|r| {
                let host: String = r.get(0);
                let pid: i64 = r.get(1);
                let since: String = r.get(2);
                format!("strata process {pid} on {host} (since {since})")
            })),
            Err(e) if is_busy(&e) => Ok(Some(
                "a strata process that is writing to the database right now".to_string(),
            )),
            Err(e) => Err(e),
        }
    }

    async fn unlock(&mut self) -> Result<(), DriverError> {
        // Back to shared access: SQLite lets the file go when the DELETE below commits.
        if self.exclusive_until.take().is_some() {
            self.raw("PRAGMA locking_mode = NORMAL").await?;
        }
        sqlx::query(&format!(
            "DELETE FROM {} WHERE id = 1 AND token = ?",
            self.lock_table()
        ))
        .bind(&self.token)
        .execute(self.conn.sqlx())
        .await
        .map(|_| ())
        .map_err(|e| driver_error(e, ""))
    }

    async fn ensure_history(&mut self) -> Result<(), DriverError> {
        self.raw(&self.history.create_sql(E)).await
    }

    async fn read_history(&mut self) -> Result<Option<Vec<HistoryRow>>, DriverError> {
        let exists = sqlx::query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
            .bind(&self.history.name)
            .fetch_optional(self.conn.sqlx())
            .await
            .map_err(|e| driver_error(e, ""))?;
        if exists.is_none() {
            return Ok(None);
        }
        let rows = sqlx::query(&self.history.select_sql(E))
            .fetch_all(self.conn.sqlx())
            .await
            .map_err(|e| driver_error(e, ""))?;
        rows.into_iter()
            .map(|r| {
                let applied_at: String = r.get(history_table::APPLIED_AT);
                let applied_at = DateTime::parse_from_rfc3339(&applied_at)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|e| {
                        DriverError::new(format!(
                            "history row has an unreadable applied_at \"{applied_at}\": {e}"
                        ))
                    })?;
                let success = r.get::<i64, _>(history_table::SUCCESS) != 0;
                Ok(history_table::decode_row(&r, applied_at, success))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    async fn write_history(&mut self, row: &HistoryRow) -> Result<(), DriverError> {
        let sql = self.history_upsert(row);
        self.raw(&sql).await
    }

    async fn write_history_and_commit(&mut self, row: &HistoryRow) -> Result<(), DriverError> {
        let sql = format!("{};\nCOMMIT", self.history_upsert(row));
        self.raw(&sql).await
    }

    async fn delete_history(&mut self, version: Version) -> Result<(), DriverError> {
        let sql = self.history.delete_sql(E, &version.to_string());
        self.raw(&sql).await
    }

    async fn begin(&mut self) -> Result<(), DriverError> {
        self.share_when_due().await?;
        self.raw("BEGIN IMMEDIATE").await
    }

    async fn commit(&mut self) -> Result<(), DriverError> {
        self.raw("COMMIT").await
    }

    async fn rollback(&mut self) -> Result<(), DriverError> {
        self.raw("ROLLBACK").await
    }

    async fn execute(&mut self, sql: &str) -> Result<(), DriverError> {
        self.share_when_due().await?;
        self.raw(sql).await
    }

    async fn begin_and_execute(&mut self, sql: &str) -> Result<(), DriverError> {
        self.share_when_due().await?;
        const BEGIN: &str = "BEGIN IMMEDIATE;\n";
        self.raw(&format!("{BEGIN}{sql}")).await.map_err(|mut e| {
            e.position = e.position.and_then(|p| p.checked_sub(BEGIN.len()));
            e
        })
    }

    async fn set_foreign_keys(&mut self, on: bool) -> Result<(), DriverError> {
        self.raw(if on {
            "PRAGMA foreign_keys = ON"
        } else {
            "PRAGMA foreign_keys = OFF"
        })
        .await
    }

    async fn foreign_key_violations(&mut self) -> Result<Vec<String>, DriverError> {
        let rows =
            sqlx::query("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check LIMIT 10")
                .fetch_all(self.conn.sqlx())
                .await
                .map_err(|e| driver_error(e, ""))?;
        Ok(rows
            .iter()
            .map(|r| {
                let table: String = r.get(0);
                let rowid: Option<i64> = r.get(1);
                let parent: String = r.get(2);
                format!(
                    "{table} row {} has no parent in {parent}",
                    rowid.map_or("?".to_string(), |r| r.to_string())
                )
            })
            .collect())
    }

    async fn set_lock_timeout(
        &mut self,
        timeout: Option<Duration>,
        _local: bool,
    ) -> Result<(), DriverError> {
        let ms = timeout.unwrap_or(BUSY_TIMEOUT).as_millis();
        self.raw(&format!("PRAGMA busy_timeout = {ms}")).await
    }

    async fn interrupter(&mut self) -> Result<Arc<dyn Interrupt>, DriverError> {
        let i: Arc<dyn Interrupt> = self.conn.interrupter().await?;
        Ok(i)
    }

    async fn count_rows(&mut self, table: &Name) -> Result<Option<i64>, DriverError> {
        let schema = table.schema.as_deref().unwrap_or("main");
        let catalog = format!("{}.sqlite_schema", quote::ident(E, schema));
        let exists: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT 1 FROM {catalog} WHERE type = 'table' AND name = ?"
        ))
        .bind(&table.name)
        .fetch_optional(self.conn.sqlx())
        .await
        .map_err(|e| driver_error(e, ""))?;
        if exists.is_none() {
            return Ok(None);
        }
        let sql = format!(
            "SELECT count(*) FROM {}",
            quote::qualified(E, table.schema.as_deref(), &table.name)
        );
        self.scalar_i64(&sql).await.map(Some)
    }
}
