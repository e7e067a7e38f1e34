//! SQL run straight on a SQLite connection's handle, on the calling thread.
//!
//! sqlx runs every SQLite connection on a worker thread of its own and streams each statement's
//! result back over a channel, waking the caller every time: a migration of three statements
//! plus its history row cost about 24 thread wake-ups (`perf stat` on bench/apply.sh, 36k
//! context switches for 1,000 migrations against 12.5k for the sqlite3 shell running the same
//! SQL). The driver's statements instead run here, with SQLite's C API, on the handle that
//! `SqliteConnection::lock_handle` — sqlx's documented way to reach the raw `sqlite3*` — lends
//! out. [`Conn`] keeps that loan between calls, so a whole `apply` runs without a single
//! hand-over to sqlx's thread; a sqlx query (catalog reads) takes the connection back first.
//!
//! The module is the workspace's one exception to `unsafe_code = "deny"`: calls into SQLite on
//! a handle the loan keeps open and keeps to this thread, on statements this module prepares and
//! finalizes itself, and the loan's borrow of the connection that [`Conn`] owns.
#![allow(unsafe_code)]

use crate::database::{driver_error, STATEMENT_LOG_LEVEL};
use libsqlite3_sys as ffi;
use sqlx::sqlite::{LockedSqliteHandle, SqliteConnection};
use sqlx_core::connection::LogSettings;
use sqlx_core::logger::QueryLogger;
use std::ffi::{c_int, CStr};
use std::ptr::{self, NonNull};
use std::sync::{Arc, Mutex};
use strata_migrate::{DriverError, Transient};

/// A sqlx SQLite connection, plus the loan of its raw handle while this thread runs SQL on it.
pub(crate) struct Conn {
    /// Owned: from `Box::leak` in [`Conn::new`], freed in `Drop`.
    conn: NonNull<SqliteConnection>,
    /// The raw handle for `sqlite3_interrupt` from other threads, while the connection is open.
    interrupt: Arc<Interrupter>,
    /// While `Some`, borrows `*conn`. The `'static` is a private fiction: the loan never leaves
    /// this struct (callers get it reborrowed for the length of their `&mut self`), and it is
    /// dropped before `*conn` is reached any other way or freed.
    loan: Option<LockedSqliteHandle<'static>>,
}

// SAFETY: both parts are `Send` on their own (checked below); only the `NonNull` that stands
// for the owning `Box` hides it.
unsafe impl Send for Conn {}
const _: () = {
    const fn send<T: Send>() {}
    send::<SqliteConnection>();
    send::<LockedSqliteHandle<'static>>();
};

impl Conn {
    pub(crate) fn new(conn: SqliteConnection) -> Conn {
        Conn {
            conn: NonNull::from(Box::leak(Box::new(conn))),
            interrupt: Arc::new(Interrupter(Mutex::new(None))),
            loan: None,
        }
    }

    /// What interrupts the statement this connection runs, from any thread.
    pub(crate) async fn interrupter(&mut self) -> Result<Arc<Interrupter>, DriverError> {
        self.handle().await?;
        Ok(self.interrupt.clone())
    }

    /// The connection, for sqlx queries: ends the loan first (one hand-over to sqlx's thread
    /// the next time [`Conn::exec`] runs).
    pub(crate) fn sqlx(&mut self) -> &mut SqliteConnection {
        self.loan = None;
        // SAFETY: `*conn` is alive until `Drop`, and with the loan ended nothing else borrows
        // it; the returned borrow is tied to `&mut self`.
        unsafe { self.conn.as_mut() }
    }

    /// The raw handle, on loan from sqlx's thread until [`Conn::sqlx`] or `Drop`.
    async fn handle(&mut self) -> Result<&mut LockedSqliteHandle<'static>, DriverError> {
        if self.loan.is_none() {
            // SAFETY: `*conn` stays at this address until `Drop`, which ends the loan before
            // freeing it; no other borrow of it is alive (`sqlx()` borrows `&mut self`, which
            // this call holds) and none is made while the loan lives.
            let conn: &'static mut SqliteConnection = unsafe { &mut *self.conn.as_ptr() };
            let mut loan = conn.lock_handle().await.map_err(|e| driver_error(e, ""))?;
            let mut db = self.interrupt.0.lock().unwrap_or_else(|p| p.into_inner());
            if db.is_none() {
                *db = Some(RawDb(loan.as_raw_handle()));
            }
            drop(db);
            self.loan = Some(loan);
        }
        Ok(self.loan.as_mut().expect("the loan was just taken"))
    }

    /// Runs every statement of `sql` in order on this thread (see [`exec`]).
    pub(crate) async fn exec(&mut self, sql: &str) -> Result<(), DriverError> {
        let handle = self.handle().await?;
        exec(handle, sql)
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        // No interrupt may reach the handle from now on (it is closed below).
        *self.interrupt.0.lock().unwrap_or_else(|p| p.into_inner()) = None;
        // The loan borrows the connection: end it first.
        self.loan = None;
        // SAFETY: made by `Box::leak` in `new`, freed only here.
        drop(unsafe { Box::from_raw(self.conn.as_ptr()) });
    }
}

/// The raw `sqlite3*` of an open connection.
struct RawDb(NonNull<ffi::sqlite3>);

// SAFETY: the pointer is only passed to `sqlite3_interrupt`, which SQLite documents as safe to
// call from any thread while the connection is open; `Conn::drop` clears it (under the mutex)
// before the connection closes.
unsafe impl Send for RawDb {}

/// Interrupts the statement running on a [`Conn`] (`sqlite3_interrupt`), from any thread.
pub(crate) struct Interrupter(Mutex<Option<RawDb>>);

impl strata_migrate::Interrupt for Interrupter {
    fn interrupt(&self) {
        let db = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(RawDb(p)) = db.as_ref() {
            // SAFETY: the connection is open while the pointer is set; the mutex keeps
            // `Conn::drop` from closing it until this returns.
            unsafe { ffi::sqlite3_interrupt(p.as_ptr()) };
        }
    }

    fn end_session(&self, _within: std::time::Duration) -> Result<String, String> {
        // The connection lives in this process: it cannot be lost while the process runs, and
        // SQLite rolls back an open transaction when the file is next opened.
        Ok("nothing to end: SQLite runs in this process".into())
    }
}

/// Runs every statement of `sql` in order, discarding rows; stops at the first error.
///
/// Each statement is logged by sqlx's own statement logger, as the statements sqlx runs are,
/// so a statement log holds every statement whichever path ran it.
///
/// The error's position is the byte offset in `sql` of the failing statement, or of the exact
/// token SQLite names when it reports one (syntax errors, unknown columns).
fn exec(handle: &mut LockedSqliteHandle<'_>, sql: &str) -> Result<(), DriverError> {
    let db = handle.as_raw_handle().as_ptr();
    let mut log_settings = LogSettings::default();
    log_settings.log_statements(STATEMENT_LOG_LEVEL);
    let bytes = sql.as_bytes();
    let mut offset = 0usize;
    while offset < bytes.len() {
        let rest = &bytes[offset..];
        let Ok(len) = c_int::try_from(rest.len()) else {
            return Err(DriverError::new(format!(
                "the SQL text is too large for SQLite ({} bytes)",
                rest.len()
            )));
        };
        let mut stmt: *mut ffi::sqlite3_stmt = ptr::null_mut();
        let mut tail: *const std::ffi::c_char = ptr::null();
        // SAFETY: `db` is open and ours while `handle` is borrowed; `rest` is valid for `len`
        // bytes (no terminator needed when the length is given); `stmt` and `tail` are
        // out-pointers SQLite fills.
        let rc =
            unsafe { ffi::sqlite3_prepare_v2(db, rest.as_ptr().cast(), len, &mut stmt, &mut tail) };
        if rc != ffi::SQLITE_OK {
            // SAFETY: as above; prepare failed, so there is no statement to finalize.
            let at = unsafe { ffi::sqlite3_error_offset(db) };
            // Without a token to point at, point at the statement.
            let at = usize::try_from(at).unwrap_or_else(|_| leading_trivia(rest));
            let position = offset + at;
            return Err(error(db, rc, position));
        }
        let consumed = if tail.is_null() {
            rest.len()
        } else {
            // `tail` points into `rest`, at the first byte after the prepared statement.
            (tail as usize)
                .saturating_sub(rest.as_ptr() as usize)
                .min(rest.len())
        };
        if stmt.is_null() {
            // Only white space or comments were left.
            offset += consumed.max(1);
            continue;
        }
        // Where the statement itself starts: skip the white space and comments before it.
        let start = offset + leading_trivia(&rest[..consumed]);
        let text = sql.get(start..offset + consumed).unwrap_or_default();
        let mut logger = QueryLogger::new(text.trim_end(), log_settings.clone());
        let result = step_all(db, stmt, start, &mut logger);
        drop(logger);
        // SAFETY: `stmt` came from prepare above and is finalized exactly once.
        unsafe { ffi::sqlite3_finalize(stmt) };
        result?;
        offset += consumed.max(1);
    }
    Ok(())
}

fn step_all(
    db: *mut ffi::sqlite3,
    stmt: *mut ffi::sqlite3_stmt,
    start: usize,
    logger: &mut QueryLogger<'_>,
) -> Result<(), DriverError> {
    loop {
        // SAFETY: `stmt` is a live statement of `db`, stepped on the thread that holds the handle.
        match unsafe { ffi::sqlite3_step(stmt) } {
            ffi::SQLITE_ROW => logger.increment_rows_returned(),
            ffi::SQLITE_DONE => return Ok(()),
            rc => return Err(error(db, rc, start)),
        }
    }
}

/// SQLite's message for the last error on `db`, worded like sqlx's (the extended code appended
/// unless it is the generic 1), so that busy detection and messages do not depend on the path.
fn error(db: *mut ffi::sqlite3, rc: c_int, position: usize) -> DriverError {
    // SAFETY: `db` is open; errmsg returns a NUL-terminated string owned by SQLite, copied here
    // before any other call on `db`.
    let (message, code) = unsafe {
        let msg = ffi::sqlite3_errmsg(db);
        let message = if msg.is_null() {
            String::new()
        } else {
            CStr::from_ptr(msg).to_string_lossy().into_owned()
        };
        (message, ffi::sqlite3_extended_errcode(db))
    };
    let code = if code == ffi::SQLITE_OK { rc } else { code };
    let mut message = if message.is_empty() {
        format!("SQLite error {code}")
    } else {
        message
    };
    if code != ffi::SQLITE_ERROR {
        message.push_str(&format!(" (code {code})"));
    }
    // A busy database is the one cause of these that a rerun fixes by itself.
    let transient = (code & 0xff == ffi::SQLITE_BUSY).then_some(Transient::LockTimeout);
    DriverError {
        message,
        position: Some(position),
        transient,
    }
}

/// Length of the white space and comments that open `sql`.
fn leading_trivia(sql: &[u8]) -> usize {
    let mut i = 0;
    loop {
        while i < sql.len() && sql[i].is_ascii_whitespace() {
            i += 1;
        }
        if sql[i..].starts_with(b"--") {
            while i < sql.len() && sql[i] != b'\n' {
                i += 1;
            }
        } else if sql[i..].starts_with(b"/*") {
            match sql[i + 2..].windows(2).position(|w| w == b"*/") {
                Some(p) => i += 2 + p + 2,
                None => return sql.len(),
            }
        } else {
            return i;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{leading_trivia, Conn};
    use sqlx::Connection;

    async fn memory() -> Conn {
        Conn::new(
            sqlx::sqlite::SqliteConnection::connect("sqlite::memory:")
                .await
                .unwrap(),
        )
    }

    #[tokio::test]
    async fn runs_every_statement_and_points_at_the_failing_one() {
        let mut c = memory().await;
        let script = "CREATE TABLE t (id integer PRIMARY KEY);\n-- two rows\nINSERT INTO t VALUES (1);\n\nINSERT INTO t VALUES (1);\nINSERT INTO t VALUES (3);\n";
        let e = c.exec(script).await.unwrap_err();
        assert!(
            e.message.starts_with("UNIQUE constraint failed: t.id"),
            "{}",
            e.message
        );
        assert!(e.message.ends_with("(code 1555)"), "{}", e.message);
        assert_eq!(e.position, script.find("INSERT INTO t VALUES (1);\nINSERT"));
        // The statements before it ran; the one after it did not.
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM t")
            .fetch_one(c.sqlx())
            .await
            .unwrap();
        assert_eq!(n, 1);
        // The handle is lent again after a sqlx query.
        c.exec("INSERT INTO t VALUES (3)").await.unwrap();
    }

    #[tokio::test]
    async fn syntax_errors_point_at_the_token() {
        let mut c = memory().await;
        let script = "SELECT 1;\nSELECT nope FROM sqlite_schema;";
        let e = c.exec(script).await.unwrap_err();
        assert_eq!(e.message, "no such column: nope");
        assert_eq!(e.position, script.find("nope"));
        let e = c.exec("CREAT TABLE x (id int)").await.unwrap_err();
        assert!(e.message.contains("syntax error"), "{}", e.message);
        assert_eq!(e.position, Some(0));
    }

    #[tokio::test]
    async fn rows_comments_and_blank_text_are_fine() {
        let mut c = memory().await;
        c.exec("").await.unwrap();
        c.exec("  -- nothing\n/* at all */\n").await.unwrap();
        c.exec("SELECT 1 UNION ALL SELECT 2; PRAGMA table_list; -- done")
            .await
            .unwrap();
    }

    #[test]
    fn trivia_is_white_space_and_comments() {
        assert_eq!(leading_trivia(b"  -- a\n /* b */ SELECT 1"), 16);
        assert_eq!(leading_trivia(b"SELECT 1"), 0);
        assert_eq!(leading_trivia(b"/* open"), 7);
        assert_eq!(leading_trivia(b"-- only"), 7);
    }
}
