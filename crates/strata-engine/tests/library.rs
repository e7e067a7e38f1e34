//! strata as a library inside a Rust application: embedded migrations, connect by URL, apply,
//! status and rollback without the CLI.

use strata_engine::{connect, ConnectOptions};
use strata_migrate::{Driver, MigrationSet, Migrator, RollbackTarget, State, SumFile};

const FILES: &[(&str, &str)] = &[
    (
        "20260101000000_users.up.sql",
        "CREATE TABLE users (id integer PRIMARY KEY);\n",
    ),
    ("20260101000000_users.down.sql", "DROP TABLE users;\n"),
    (
        "20260102000000_posts.up.sql",
        "CREATE TABLE posts (id integer PRIMARY KEY);\n",
    ),
    ("20260102000000_posts.down.sql", "DROP TABLE posts;\n"),
];

fn embedded() -> MigrationSet {
    // What `strata_migrate::embed::write_embedded` produces from a build script, with strata.sum.
    let sum = SumFile::compute(FILES.iter().copied()).render();
    let mut files = FILES.to_vec();
    files.push(("strata.sum", &sum));
    MigrationSet::from_files("migrations", &files).unwrap()
}

#[tokio::test]
async fn apply_status_rollback_from_rust() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("app.db").display());
    let mut db = connect(&ConnectOptions::new(&url)).await.unwrap();
    let migrator = Migrator::new(embedded());
    let report = migrator
        .apply(&mut db, None, false, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(report.migrations.len(), 2);
    let status = migrator.status(&mut db).await.unwrap();
    assert!(status.migrations.iter().all(|m| m.state == State::Applied));
    migrator
        .rollback(&mut db, RollbackTarget::Steps(1), false, &mut |_| {})
        .await
        .unwrap();
    let status = migrator.status(&mut db).await.unwrap();
    assert_eq!(status.count(State::Pending), 1);
}

/// While a SQLite migrator runs it keeps the file to itself across transactions for a moment;
/// once it is done, other connections read and write again while it stays open.
#[tokio::test]
async fn sqlite_file_is_shared_again_after_a_run() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("app.db").display());
    let mut db = connect(&ConnectOptions::new(&url)).await.unwrap();
    let migrator = Migrator::new(embedded());
    migrator
        .apply(&mut db, None, false, &mut |_| {})
        .await
        .unwrap();
    let mut other = connect(&ConnectOptions::new(&url)).await.unwrap();
    other
        .execute("PRAGMA busy_timeout = 0; INSERT INTO users (id) VALUES (1)")
        .await
        .expect("the file is not held after apply");
    migrator
        .rollback(&mut db, RollbackTarget::Steps(1), false, &mut |_| {})
        .await
        .unwrap();
    other
        .execute("PRAGMA busy_timeout = 0; INSERT INTO users (id) VALUES (2)")
        .await
        .expect("the file is not held after rollback");
    assert!(!dir.path().join("app.db-journal").exists());
}

#[test]
fn embedded_set_refuses_a_tampered_sum() {
    let mut files = FILES.to_vec();
    files.push(("strata.sum", "h1:AAAA\n"));
    let set = MigrationSet::from_files("migrations", &files).unwrap();
    let err = set.verify_sum().unwrap_err();
    assert!(err.is_refusal());
    assert!(
        err.to_string()
            .contains("20260101000000_users.up.sql was added"),
        "{err}"
    );
}
