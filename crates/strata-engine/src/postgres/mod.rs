//! PostgreSQL: the migration lock is a session advisory lock, polled with
//! `pg_try_advisory_lock` outside any transaction (a blocking wait inside one can deadlock with a
//! holder running `CREATE INDEX CONCURRENTLY`).

pub(crate) mod dialect;
mod inspect;

use crate::database::{
    connect_error, connection_span, driver_error, tls_connect_error, RemoteCancel,
    STATEMENT_LOG_LEVEL,
};
use crate::error::EngineError;
use crate::history_table::{self, HistoryTable};
use crate::tls::{Security, TlsMode};
use crate::ConnectOptions;
use sha2::{Digest, Sha256};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgSslMode};
use sqlx::{ConnectOptions as _, Connection, Row};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use strata_migrate::history::hostname;
use strata_migrate::Interrupt;
use strata_migrate::{Driver, DriverError, HistoryRow, Version};
use strata_schema::{quote, Engine, Name};

const E: Engine = Engine::Postgres;

/// A connection to a PostgreSQL database.
pub struct Postgres {
    conn: PgConnection,
    history: HistoryTable,
    lock_key: i64,
    /// How this session was reached, for the connection that cancels its statements.
    options: ConnectOptions,
    security: Security,
    /// Where this connection's statements are logged (see `database::connection_span`).
    pub(crate) span: tracing::Span,
}

impl Postgres {
    /// The underlying connection, for catalog queries outside the driver's primitives.
    pub(crate) fn connection(&mut self) -> &mut PgConnection {
        &mut self.conn
    }

    /// Connects to `options.url`. Unless the URL (or `PGAPPNAME`) names one, the session's
    /// `application_name` names this strata process, which is what a DBA sees in
    /// `pg_stat_activity` and what a waiting migrator prints as the lock holder.
    pub async fn connect(options: &ConnectOptions) -> Result<Postgres, EngineError> {
        let url = crate::tls::normalize_url(&options.url, E)?;
        let mut opts =
            PgConnectOptions::from_str(&url).map_err(|e| connect_error(&options.url, e))?;
        opts = opts.log_statements(STATEMENT_LOG_LEVEL);
        if opts.get_application_name().is_none() {
            opts = opts.application_name(&format!(
                "strata pid {} on {}",
                std::process::id(),
                hostname()
            ));
        }
        let mode = match opts.get_ssl_mode() {
            PgSslMode::Disable => TlsMode::Disable,
            PgSslMode::Allow => TlsMode::Allow,
            PgSslMode::Prefer => TlsMode::Prefer,
            PgSslMode::Require => TlsMode::Require,
            PgSslMode::VerifyCa => TlsMode::VerifyCa,
            PgSslMode::VerifyFull => TlsMode::VerifyFull,
        };
        let host = match opts.get_socket() {
            Some(socket) => socket.display().to_string(),
            None => opts.get_host().to_string(),
        };
        let mut conn = PgConnection::connect_with(&opts)
            .await
            .map_err(|e| tls_connect_error(&options.url, e, E, mode))?;
        if options.refuse_transaction_pooling {
            refuse_transaction_pooling(&mut conn, &opts)
                .await
                .map_err(|message| EngineError::Connect {
                    url: crate::url::redact(&options.url),
                    message,
                })?;
        }
        // Simple-protocol queries (no prepared statement) until the session is known to be ours.
        let row = sqlx::raw_sql(
            "SELECT CASE WHEN ssl THEN version END, CASE WHEN ssl THEN cipher END, pid FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        )
        .fetch_all(&mut conn)
        .await
        .map_err(|e| connect_error(&options.url, e))?;
        let (tls_version, cipher, pid): (Option<String>, Option<String>, Option<i32>) =
            match row.first() {
                Some(r) => (r.get(0), r.get(1), r.get(2)),
                None => (None, None, None),
            };
        Ok(Postgres {
            conn,
            lock_key: lock_key(&options.history),
            history: options.history.clone(),
            options: options.clone(),
            security: Security::new(E, &host, mode, tls_version, cipher),
            span: connection_span(&options.url, pid.map(i64::from)),
        })
    }

    /// What protects this connection.
    pub fn security(&self) -> &Security {
        &self.security
    }

    async fn raw(&mut self, sql: &str) -> Result<(), DriverError> {
        sqlx::raw_sql(sql)
            .execute(&mut self.conn)
            .await
            .map(|_| ())
            .map_err(|e| driver_error(e, sql))
    }
}

/// The server process behind `conn`, asked with the simple protocol (a prepared statement would
/// not survive a change of server process).
async fn backend_pid(conn: &mut PgConnection) -> Result<i32, sqlx::Error> {
    let row = sqlx::raw_sql("SELECT pg_backend_pid()")
        .fetch_one(conn)
        .await?;
    row.try_get(0)
}

/// Refuses a session that a pooler hands to another server process between transactions
/// (PgBouncer `pool_mode = transaction` or `statement`): strata's migration lock is a session
/// advisory lock and lock timeouts are session settings, and neither would hold there.
///
/// A second connection opens a transaction, which makes such a pooler pin a server process to
/// it, right after this connection's last transaction released its own; then this connection
/// asks again which server process it has. In session mode both answers are this connection's
/// own process and the second connection has a different one; any other outcome proves the
/// session is not ours. A pooler reusing the last released process first (PgBouncer's default)
/// gives the second connection this one's process unless another client takes it in between,
/// so the probe runs a few rounds; it is a strong check, not a proof, when other clients are
/// busy on the same pool. When the second connection cannot be made or starts no transaction,
/// the check cannot tell and lets the connection through.
async fn refuse_transaction_pooling(
    conn: &mut PgConnection,
    opts: &PgConnectOptions,
) -> Result<(), String> {
    const ROUNDS: usize = 3;
    let wait = Duration::from_secs(5);
    let refuse = |how: String| {
        format!(
            "the connection goes through a pooler in transaction or statement mode (PgBouncer pool_mode = transaction): {how}, so the session advisory lock that keeps two migrators apart, and SET lock_timeout, would not hold. Connect strata to PostgreSQL directly (the server's own host and port, usually 5432 rather than the pooler's 6432), or through a PgBouncer database with pool_mode = session"
        )
    };
    let mut before = backend_pid(conn).await.map_err(|e| e.to_string())?;
    let Ok(Ok(mut other)) = tokio::time::timeout(wait, PgConnection::connect_with(opts)).await
    else {
        return Ok(());
    };
    let mut verdict = Ok(());
    for _ in 0..ROUNDS {
        let other_pid = match tokio::time::timeout(wait, async {
            sqlx::raw_sql("BEGIN").execute(&mut other).await?;
            backend_pid(&mut other).await
        })
        .await
        {
            Ok(Ok(pid)) => pid,
            Ok(Err(e)) if e.to_string().contains("pool mode") => {
                verdict = Err(refuse(format!("it refused a transaction ({e})")));
                break;
            }
            _ => break,
        };
        if other_pid == before {
            verdict = Err(refuse(format!(
                "another connection was given this connection's server process (pid {before})"
            )));
            break;
        }
        match tokio::time::timeout(wait, backend_pid(conn)).await {
            Ok(Ok(after)) if after == before => {}
            Ok(Ok(after)) => {
                verdict = Err(refuse(format!(
                    "the server process changed between two transactions (pid {before}, then {after})"
                )));
                break;
            }
            Ok(Err(e)) => {
                verdict = Err(e.to_string());
                break;
            }
            Err(_) => {
                verdict = Err(refuse(
                    "this connection lost its server process while another connection held one in a transaction".into(),
                ));
                break;
            }
        }
        if tokio::time::timeout(wait, sqlx::raw_sql("ROLLBACK").execute(&mut other))
            .await
            .is_err()
        {
            break;
        }
        before = match backend_pid(conn).await {
            Ok(pid) => pid,
            Err(e) => return Err(e.to_string()),
        };
    }
    let _ = tokio::time::timeout(wait, other.close()).await;
    verdict
}

/// The advisory lock key: a hash of the history table's schema and name, so projects sharing a
/// database with different history tables do not block each other.
fn lock_key(history: &HistoryTable) -> i64 {
    let digest = Sha256::digest(
        format!(
            "strata:{}:{}",
            history.schema.as_deref().unwrap_or(""),
            history.name
        )
        .as_bytes(),
    );
    i64::from_be_bytes(digest[..8].try_into().expect("8 bytes"))
}

impl Driver for Postgres {
    fn engine(&self) -> Engine {
        E
    }

    async fn try_lock(&mut self) -> Result<bool, DriverError> {
        sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(self.lock_key)
            .fetch_one(&mut self.conn)
            .await
            .map_err(|e| driver_error(e, ""))
    }

    async fn lock_holder(&mut self) -> Result<Option<String>, DriverError> {
        let row = sqlx::query(
            "SELECT a.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local socket'), a.backend_start::text
             FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND l.objsubid = 1
               AND ((l.classid::bigint << 32) | l.objid::bigint) = $1
             LIMIT 1",
        )
        .bind(self.lock_key)
        .fetch_optional(&mut self.conn)
        .await
        .map_err(|e| driver_error(e, ""))?;
        Ok(row.map(|r| {
            let pid: i32 = r.get(0);
            let app: String = r.get(1);
            let addr: String = r.get(2);
            let since: String = r.get(3);
            format!("\"{app}\" (server pid {pid}, from {addr}, connected since {since})")
        }))
    }

    async fn unlock(&mut self) -> Result<(), DriverError> {
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(self.lock_key)
            .execute(&mut self.conn)
            .await
            .map(|_| ())
            .map_err(|e| driver_error(e, ""))
    }

    async fn ensure_history(&mut self) -> Result<(), DriverError> {
        if let Some(schema) = &self.history.schema {
            let sql = format!("CREATE SCHEMA IF NOT EXISTS {}", quote::ident(E, schema));
            self.raw(&sql).await?;
        }
        let sql = self.history.create_sql(E);
        self.raw(&sql).await
    }

    async fn read_history(&mut self) -> Result<Option<Vec<HistoryRow>>, DriverError> {
        let exists: Option<String> = sqlx::query_scalar("SELECT to_regclass($1)::text")
            .bind(self.history.qualified(E))
            .fetch_one(&mut self.conn)
            .await
            .map_err(|e| driver_error(e, ""))?;
        if exists.is_none() {
            return Ok(None);
        }
        let rows = sqlx::query(&self.history.select_sql(E))
            .fetch_all(&mut self.conn)
            .await
            .map_err(|e| driver_error(e, ""))?;
        Ok(Some(
            rows.into_iter()
                .map(|r| {
                    let applied_at = r.get(history_table::APPLIED_AT);
                    history_table::decode_row(&r, applied_at, r.get(history_table::SUCCESS))
                })
                .collect(),
        ))
    }

    async fn write_history(&mut self, row: &HistoryRow) -> Result<(), DriverError> {
        let sql = self.history.upsert_bind_sql(E);
        let query = history_table::bind_row(&sql, row, row.applied_at);
        let written = history_table::run(&mut self.conn, query).await;
        written.map_err(|e| driver_error(e, ""))
    }

    async fn delete_history(&mut self, version: Version) -> Result<(), DriverError> {
        let sql = self.history.delete_sql(E, "$1");
        let query = history_table::bind_version(&sql, version);
        let deleted = history_table::run(&mut self.conn, query).await;
        deleted.map_err(|e| driver_error(e, ""))
    }

    async fn begin(&mut self) -> Result<(), DriverError> {
        self.raw("BEGIN").await
    }

    async fn commit(&mut self) -> Result<(), DriverError> {
        self.raw("COMMIT").await
    }

    async fn rollback(&mut self) -> Result<(), DriverError> {
        self.raw("ROLLBACK").await
    }

    async fn execute(&mut self, sql: &str) -> Result<(), DriverError> {
        self.raw(sql).await
    }

    async fn begin_and_execute(&mut self, sql: &str) -> Result<(), DriverError> {
        const BEGIN: &str = "BEGIN;\n";
        self.raw(&format!("{BEGIN}{sql}")).await.map_err(|mut e| {
            e.position = e.position.and_then(|p| p.checked_sub(BEGIN.len()));
            e
        })
    }

    async fn set_lock_timeout(
        &mut self,
        timeout: Option<Duration>,
        local: bool,
    ) -> Result<(), DriverError> {
        let sql = match (timeout, local) {
            (Some(t), true) => format!("SET LOCAL lock_timeout = '{}ms'", t.as_millis()),
            (Some(t), false) => format!("SET lock_timeout = '{}ms'", t.as_millis()),
            (None, _) => "RESET lock_timeout".to_string(),
        };
        self.raw(&sql).await
    }

    async fn write_history_and_commit(&mut self, row: &HistoryRow) -> Result<(), DriverError> {
        // The row is written with binds (a prepared statement), which cannot share a round
        // trip with the COMMIT: two round trips, both on this session.
        self.write_history(row).await?;
        self.commit().await
    }

    async fn set_foreign_keys(&mut self, on: bool) -> Result<(), DriverError> {
        if on {
            // Enforcement is never off on PostgreSQL (see below): nothing to restore.
            return Ok(());
        }
        Err(DriverError::new(
            "PostgreSQL cannot switch foreign-key enforcement off for one session (only `session_replication_role`, which also silences triggers and needs superuser): remove `-- strata:foreign-keys-off` from the file; PostgreSQL alters tables in place, strata never plans a rebuild there",
        ))
    }

    async fn foreign_key_violations(&mut self) -> Result<Vec<String>, DriverError> {
        // Enforcement cannot be switched off (set_foreign_keys refuses), so every row has been
        // checked by the server when it was written.
        Ok(Vec::new())
    }

    async fn interrupter(&mut self) -> Result<Arc<dyn Interrupt>, DriverError> {
        let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut self.conn)
            .await
            .map_err(|e| driver_error(e, ""))?;
        Ok(Arc::new(RemoteCancel {
            options: self.options.clone(),
            id: i64::from(pid),
        }))
    }

    async fn count_rows(&mut self, table: &Name) -> Result<Option<i64>, DriverError> {
        let qualified = quote::qualified(E, table.schema.as_deref(), &table.name);
        let exists: Option<i64> = sqlx::query_scalar(
            "SELECT 1::int8 FROM pg_class WHERE oid = to_regclass($1) AND relkind IN ('r', 'p')",
        )
        .bind(&qualified)
        .fetch_optional(&mut self.conn)
        .await
        .map_err(|e| driver_error(e, ""))?;
        if exists.is_none() {
            return Ok(None);
        }
        let sql = format!("SELECT count(*) FROM {qualified}");
        sqlx::query_scalar(&sql)
            .fetch_one(&mut self.conn)
            .await
            .map(Some)
            .map_err(|e| driver_error(e, &sql))
    }
}
