//! MySQL 8 and MariaDB. DDL commits implicitly, so every migration runs statement by statement
//! with its progress recorded; the migration lock is `GET_LOCK`, held by the session.

use crate::database::{
    connect_error, connection_span, driver_error, tls_connect_error, RemoteCancel,
    STATEMENT_LOG_LEVEL,
};
use crate::error::EngineError;
use crate::history_table::{self, HistoryTable};
use crate::tls::{Security, TlsMode};
use crate::ConnectOptions;
use chrono::{NaiveDateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection, MySqlSslMode};
use sqlx::{ConnectOptions as _, Connection, Row};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use strata_migrate::Interrupt;
use strata_migrate::{Driver, DriverError, HistoryRow, Version};
use strata_schema::{quote, Engine, Name};

pub(crate) mod dialect;
mod inspect;

const E: Engine = Engine::Mysql;

/// A connection to a MySQL or MariaDB database.
pub struct MySql {
    conn: MySqlConnection,
    history: HistoryTable,
    lock_name: String,
    /// How this session was reached, for the connection that cancels its statements.
    options: ConnectOptions,
    security: Security,
    /// Where this connection's statements are logged (see `database::connection_span`).
    pub(crate) span: tracing::Span,
}

impl MySql {
    /// The underlying connection, for catalog queries outside the driver's primitives.
    pub(crate) fn connection(&mut self) -> &mut MySqlConnection {
        &mut self.conn
    }

    /// Connects to `options.url` (`mysql://` or `mariadb://`); the URL must name a database.
    pub async fn connect(options: &ConnectOptions) -> Result<MySql, EngineError> {
        let url = match options.url.strip_prefix("mariadb:") {
            Some(rest) => format!("mysql:{rest}"),
            None => options.url.clone(),
        };
        let url = crate::tls::normalize_url(&url, E)?;
        let opts =
            MySqlConnectOptions::from_str(&url).map_err(|e| connect_error(&options.url, e))?;
        // Views, routines and triggers record the creating session's character set, collation
        // and sql_mode (and TIMESTAMP literals are read in its time zone), so strata's session
        // must be the one the mysql/mariadb client opens, not sqlx's (utf8mb4_unicode_ci,
        // PIPES_AS_CONCAT, UTC, and the IGNORE_SPACE its handshake always asks for). A charset or
        // collation the URL names on purpose is kept.
        let named = url
            .split_once('?')
            .is_some_and(|(_, q)| q.contains("charset=") || q.contains("collation="));
        let opts = opts
            .pipes_as_concat(false)
            .no_engine_substitution(false)
            .timezone(None::<String>)
            .set_names(named)
            .log_statements(STATEMENT_LOG_LEVEL);
        let mode = match opts.get_ssl_mode() {
            MySqlSslMode::Disabled => TlsMode::Disable,
            MySqlSslMode::Preferred => TlsMode::Prefer,
            MySqlSslMode::Required => TlsMode::Require,
            MySqlSslMode::VerifyCa => TlsMode::VerifyCa,
            MySqlSslMode::VerifyIdentity => TlsMode::VerifyFull,
        };
        let host = match opts.get_socket() {
            Some(socket) => socket.display().to_string(),
            None => opts.get_host().to_string(),
        };
        let mut conn = MySqlConnection::connect_with(&opts)
            .await
            .map_err(|e| tls_connect_error(&options.url, e, E, mode))?;
        client_session(&mut conn, !named)
            .await
            .map_err(|e| connect_error(&options.url, e))?;
        // Empty values when the session is not encrypted.
        let status: Vec<(String, String)> = sqlx::query_as(
            "SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher')",
        )
        .fetch_all(&mut conn)
        .await
        .map_err(|e| connect_error(&options.url, e))?;
        let value = |name: &str| {
            status
                .iter()
                .find(|(k, v)| k.eq_ignore_ascii_case(name) && !v.is_empty())
                .map(|(_, v)| v.clone())
        };
        let security = Security::new(E, &host, mode, value("Ssl_version"), value("Ssl_cipher"));
        let (database, connection_id): (Option<String>, u64) =
            sqlx::query_as("SELECT DATABASE(), CONNECTION_ID()")
                .fetch_one(&mut conn)
                .await
                .map_err(|e| connect_error(&options.url, e))?;
        let Some(database) = database else {
            return Err(EngineError::Connect {
                url: crate::url::redact(&options.url),
                message:
                    "the URL names no database; add it as the path, e.g. mysql://user@host:3306/app"
                        .into(),
            });
        };
        let schema = options.history.schema.clone().unwrap_or(database);
        // GET_LOCK names are limited to 64 characters: hash long ones.
        let mut lock_name = format!("strata:{schema}.{}", options.history.name);
        if lock_name.len() > 64 {
            let digest = Sha256::digest(lock_name.as_bytes());
            lock_name = format!(
                "strata:{}",
                digest
                    .iter()
                    .take(16)
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            );
        }
        Ok(MySql {
            conn,
            history: options.history.clone(),
            lock_name,
            options: options.clone(),
            security,
            span: connection_span(&options.url, i64::try_from(connection_id).ok()),
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

/// Makes the session the one a mysql/mariadb client configured for utf8mb4 opens: the server's
/// sql_mode, and (when `names`) character set utf8mb4 (schema files are UTF-8) with the connected
/// database's default collation, or else the server's default collation for utf8mb4.
async fn client_session(conn: &mut MySqlConnection, names: bool) -> Result<(), sqlx::Error> {
    sqlx::raw_sql("SET SESSION sql_mode = @@GLOBAL.sql_mode")
        .execute(&mut *conn)
        .await?;
    if !names {
        return Ok(());
    }
    let (charset, collation): (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT CAST(@@character_set_database AS CHAR), CAST(@@collation_database AS CHAR)",
    )
    .fetch_one(&mut *conn)
    .await?;
    let sql = match (charset.as_deref(), collation) {
        (Some("utf8mb4"), Some(collation)) => format!(
            "SET NAMES utf8mb4 COLLATE {}",
            quote::literal(E, &collation)
        ),
        _ => "SET NAMES utf8mb4".to_string(),
    };
    sqlx::raw_sql(&sql).execute(&mut *conn).await.map(|_| ())
}

impl Driver for MySql {
    fn engine(&self) -> Engine {
        E
    }

    async fn try_lock(&mut self) -> Result<bool, DriverError> {
        let got: Option<i64> = sqlx::query_scalar("SELECT GET_LOCK(?, 0)")
            .bind(&self.lock_name)
            .fetch_one(&mut self.conn)
            .await
            .map_err(|e| driver_error(e, ""))?;
        Ok(got == Some(1))
    }

    async fn lock_holder(&mut self) -> Result<Option<String>, DriverError> {
        let id: Option<i64> = sqlx::query_scalar("SELECT CAST(IS_USED_LOCK(?) AS SIGNED)")
            .bind(&self.lock_name)
            .fetch_one(&mut self.conn)
            .await
            .map_err(|e| driver_error(e, ""))?;
        let Some(id) = id else { return Ok(None) };
        let row = sqlx::query(
            "SELECT CAST(USER AS CHAR), CAST(HOST AS CHAR), CAST(TIME AS SIGNED) FROM information_schema.PROCESSLIST WHERE ID = ?",
        )
        .bind(id)
        .fetch_optional(&mut self.conn)
        .await
        .map_err(|e| driver_error(e, ""))?;
        Ok(Some(match row {
            Some(r) => {
                let user: String = r.get(0);
                let host: String = r.get(1);
                let secs: i64 = r.get(2);
                format!("connection {id} ({user}@{host}, busy for {secs}s)")
            }
            None => format!("connection {id}"),
        }))
    }

    async fn unlock(&mut self) -> Result<(), DriverError> {
        sqlx::query("SELECT RELEASE_LOCK(?)")
            .bind(&self.lock_name)
            .execute(&mut self.conn)
            .await
            .map(|_| ())
            .map_err(|e| driver_error(e, ""))
    }

    async fn ensure_history(&mut self) -> Result<(), DriverError> {
        if let Some(schema) = &self.history.schema {
            let sql = format!("CREATE DATABASE IF NOT EXISTS {}", quote::ident(E, schema));
            self.raw(&sql).await?;
        }
        let sql = self.history.create_sql(E);
        self.raw(&sql).await
    }

    async fn read_history(&mut self) -> Result<Option<Vec<HistoryRow>>, DriverError> {
        let exists: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?",
        )
        .bind(&self.history.schema)
        .bind(&self.history.name)
        .fetch_one(&mut self.conn)
        .await
        .map_err(|e| driver_error(e, ""))?;
        if exists == 0 {
            return Ok(None);
        }
        let rows = sqlx::query(&self.history.select_sql(E))
            .fetch_all(&mut self.conn)
            .await
            .map_err(|e| driver_error(e, ""))?;
        Ok(Some(
            rows.into_iter()
                .map(|r| {
                    let applied_at = r
                        .get::<NaiveDateTime, _>(history_table::APPLIED_AT)
                        .and_utc();
                    history_table::decode_row(&r, applied_at, r.get(history_table::SUCCESS))
                })
                .collect(),
        ))
    }

    async fn write_history(&mut self, row: &HistoryRow) -> Result<(), DriverError> {
        let sql = self.history.upsert_bind_sql(E);
        let applied_at = row.applied_at.with_timezone(&Utc).naive_utc();
        let query = history_table::bind_row(&sql, row, applied_at);
        let written = history_table::run(&mut self.conn, query).await;
        written.map_err(|e| driver_error(e, ""))
    }

    async fn delete_history(&mut self, version: Version) -> Result<(), DriverError> {
        let sql = self.history.delete_sql(E, "?");
        let query = history_table::bind_version(&sql, version);
        let deleted = history_table::run(&mut self.conn, query).await;
        deleted.map_err(|e| driver_error(e, ""))
    }

    async fn begin(&mut self) -> Result<(), DriverError> {
        self.raw("START TRANSACTION").await
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

    async fn set_lock_timeout(
        &mut self,
        timeout: Option<Duration>,
        _local: bool,
    ) -> Result<(), DriverError> {
        let sql = match timeout {
            // lock_wait_timeout counts whole seconds, at least 1.
            Some(t) => format!(
                "SET SESSION lock_wait_timeout = {}",
                t.as_secs_f64().ceil().max(1.0) as u64
            ),
            None => "SET SESSION lock_wait_timeout = DEFAULT".to_string(),
        };
        self.raw(&sql).await
    }

    async fn write_history_and_commit(&mut self, row: &HistoryRow) -> Result<(), DriverError> {
        // The row is written with binds (a prepared statement), which cannot share a round
        // trip with the COMMIT.
        self.write_history(row).await?;
        self.commit().await
    }

    async fn begin_and_execute(&mut self, sql: &str) -> Result<(), DriverError> {
        // MySQL commits DDL implicitly, so strata runs its migrations statement by statement;
        // a transactional script here holds DML only and needs no fast path.
        self.begin().await?;
        self.execute(sql).await
    }

    async fn set_foreign_keys(&mut self, on: bool) -> Result<(), DriverError> {
        self.raw(if on {
            "SET SESSION foreign_key_checks = 1"
        } else {
            "SET SESSION foreign_key_checks = 0"
        })
        .await
    }

    async fn foreign_key_violations(&mut self) -> Result<Vec<String>, DriverError> {
        foreign_key_violations(&mut self.conn).await
    }

    async fn interrupter(&mut self) -> Result<Arc<dyn Interrupt>, DriverError> {
        let id: u64 = sqlx::query_scalar("SELECT CONNECTION_ID()")
            .fetch_one(&mut self.conn)
            .await
            .map_err(|e| driver_error(e, ""))?;
        Ok(Arc::new(RemoteCancel {
            options: self.options.clone(),
            id: id as i64,
        }))
    }

    async fn count_rows(&mut self, table: &Name) -> Result<Option<i64>, DriverError> {
        let exists: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND TABLE_TYPE = 'BASE TABLE'",
        )
        .bind(table.schema.as_deref())
        .bind(&table.name)
        .fetch_optional(&mut self.conn)
        .await
        .map_err(|e| driver_error(e, ""))?;
        if exists.is_none() {
            return Ok(None);
        }
        let sql = format!(
            "SELECT count(*) FROM {}",
            quote::qualified(E, table.schema.as_deref(), &table.name)
        );
        sqlx::query_scalar(&sql)
            .fetch_one(&mut self.conn)
            .await
            .map(Some)
            .map_err(|e| driver_error(e, &sql))
    }
}

/// One foreign key of the current database, as `KEY_COLUMN_USAGE` lists it.
struct FkColumns {
    table: String,
    constraint: String,
    ref_schema: String,
    ref_table: String,
    /// (column, referenced column), in key order.
    columns: Vec<(String, String)>,
}

/// Rows of the current database whose foreign-key columns (all non-NULL) match no row of the
/// referenced table: MySQL has no `foreign_key_check`, so one anti-join per key, at most ten
/// descriptions.
async fn foreign_key_violations(conn: &mut MySqlConnection) -> Result<Vec<String>, DriverError> {
    let rows = sqlx::query(
        "SELECT CONSTRAINT_NAME, TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
         FROM information_schema.KEY_COLUMN_USAGE
         WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL
         ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| driver_error(e, ""))?;
    let mut keys: Vec<FkColumns> = Vec::new();
    for r in &rows {
        let (constraint, table, column): (String, String, String) = (r.get(0), r.get(1), r.get(2));
        let (ref_schema, ref_table, ref_column): (String, String, String) =
            (r.get(3), r.get(4), r.get(5));
        match keys.last_mut() {
            Some(k) if k.table == table && k.constraint == constraint => {
                k.columns.push((column, ref_column))
            }
            _ => keys.push(FkColumns {
                table,
                constraint,
                ref_schema,
                ref_table,
                columns: vec![(column, ref_column)],
            }),
        }
    }
    let q = |s: &str| quote::ident(E, s);
    let mut out = Vec::new();
    for FkColumns {
        table,
        constraint,
        ref_schema,
        ref_table,
        columns,
    } in keys
    {
        let not_null: Vec<String> = columns
            .iter()
            .map(|(c, _)| format!("c.{} IS NOT NULL", q(c)))
            .collect();
        let matches: Vec<String> = columns
            .iter()
            .map(|(c, p)| format!("p.{} = c.{}", q(p), q(c)))
            .collect();
        let sql = format!(
            "SELECT count(*) FROM {} c WHERE {} AND NOT EXISTS (SELECT 1 FROM {}.{} p WHERE {})",
            q(&table),
            not_null.join(" AND "),
            q(&ref_schema),
            q(&ref_table),
            matches.join(" AND ")
        );
        let n: i64 = sqlx::query_scalar(&sql)
            .fetch_one(&mut *conn)
            .await
            .map_err(|e| driver_error(e, &sql))?;
        if n > 0 {
            out.push(format!(
                "{n} row(s) of {table} have no parent in {ref_table} (foreign key {constraint})"
            ));
            if out.len() == 10 {
                break;
            }
        }
    }
    Ok(out)
}
