//! Proofs, against a real MySQL/MariaDB server, of MY001's claims about partitioning: the server
//! can only copy the table for `PARTITION BY` and `REMOVE PARTITIONING` (asking for
//! `ALGORITHM=INPLACE` is refused with ER_ALTER_OPERATION_NOT_SUPPORTED, 1845), so the lint
//! reports them as copies.
//!
//! The server comes from `STRATA_TEST_MYSQL_URL`; outside CI an unset variable skips the test
//! with a notice, with `CI=true` it fails it. The test works in its own scratch database.

use sqlx::MySqlConnection;
use strata_schema::Engine;
use strata_testkit::{server_url, ScratchDb};

/// The server's error number for `sql`, or `None` when it succeeds.
async fn error_number(conn: &mut MySqlConnection, sql: &str) -> Option<String> {
    match sqlx::raw_sql(sql).execute(&mut *conn).await {
        Ok(_) => None,
        Err(e) => Some(
            e.as_database_error()
                .and_then(|d| d.code().map(|c| c.into_owned()))
                .unwrap_or_else(|| e.to_string()),
        ),
    }
}

#[tokio::test]
async fn my001_partitioning_changes_can_only_copy() {
    let Some(url) = server_url(Engine::Mysql) else {
        return;
    };
    let db = ScratchDb::create(Engine::Mysql, &url).await;
    let mut conn = db.mysql().await;
    sqlx::raw_sql(
        "CREATE TABLE plain (id int PRIMARY KEY);
         CREATE TABLE parted (id int PRIMARY KEY) PARTITION BY KEY (id) PARTITIONS 2;",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    // Collected rather than asserted one by one, so that every claim is reported at once.
    let mut wrong = Vec::new();
    // sqlx reports MySQL's SQLSTATE as the code: 0A000 (feature not supported) for 1845.
    for sql in [
        "ALTER TABLE plain ALGORITHM=INPLACE PARTITION BY KEY (id) PARTITIONS 4",
        "ALTER TABLE parted ALGORITHM=INPLACE REMOVE PARTITIONING",
    ] {
        let got = error_number(&mut conn, sql).await;
        if got.as_deref() != Some("0A000") {
            wrong.push(format!("`{sql}` should be refused in place, got {got:?}"));
        }
    }
    for sql in [
        "ALTER TABLE plain ALGORITHM=COPY PARTITION BY KEY (id) PARTITIONS 4",
        "ALTER TABLE parted ALGORITHM=COPY REMOVE PARTITIONING",
    ] {
        if let Some(e) = error_number(&mut conn, sql).await {
            wrong.push(format!("`{sql}` should run as a copy, got {e}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
