//! Ctrl-C and SIGTERM during `strata apply` on every engine: the running statement is cancelled
//! on the server, its transaction rolled back (or, outside a transaction, its progress kept),
//! nothing more starts, the exit code is 130 / 143, the message says what was applied and what
//! was not, and a rerun applies the rest exactly once.

mod common;

use common::{assert_transient, finish, run, spawn, Project, TestDb};
use std::time::{Duration, Instant};
use strata_schema::Engine;

/// A statement that runs for a few seconds, recognisable in the server's activity by `tag`.
fn slow(engine: Engine, tag: &str) -> String {
    match engine {
        Engine::Postgres => format!("SELECT pg_sleep(4) /* {tag} */"),
        Engine::Mysql => format!("SELECT SLEEP(4) /* {tag} */"),
        Engine::Sqlite => "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 40000000) SELECT count(*) FROM c".into(),
    }
}

/// How many server sessions other than the test's run a statement tagged `tag`.
fn running(db: &TestDb, tag: &str) -> i64 {
    match db.engine {
        Engine::Postgres => db.scalar(&format!(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%{tag}%' AND query NOT LIKE '%pg_stat_activity%'"
        )),
        Engine::Mysql => db.scalar(&format!(
            "SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%{tag}%' AND INFO NOT LIKE '%PROCESSLIST%'"
        )),
        Engine::Sqlite => 0,
    }
}

/// Returns once the slow statement tagged `tag` runs on the server (SQLite, whose statement
/// runs in strata's own process: once it has had 1.5 s to start).
fn wait_for_slow(db: &TestDb, tag: &str) {
    if db.engine == Engine::Sqlite {
        std::thread::sleep(Duration::from_millis(1500));
        return;
    }
    let started = Instant::now();
    while running(db, tag) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the slow statement never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn stop_during_the_first_migration(db: TestDb, signal: &str, code: i32) {
    let p = Project::new(&db);
    let tag = format!("strata_slow_{}", rand::random::<u32>());
    // Only the first is slow: the others are there to be not started, and then applied once.
    for i in 1..=3 {
        let slow = if i == 1 {
            slow(db.engine, &tag)
        } else {
            "SELECT 1".into()
        };
        p.write(
            20260101000000 + i,
            &format!("m{i}"),
            &format!("CREATE TABLE t{i} (id integer);\n{slow};\n"),
            None,
        );
    }
    p.rehash();
    let child = spawn(p.path(), &["apply"]);
    // Interrupt while the first migration's slow statement runs on the server.
    wait_for_slow(&db, &tag);
    if db.engine != Engine::Sqlite {
        std::thread::sleep(Duration::from_millis(300));
    }
    common::signal(&child, signal);
    let (exit, err) = finish(child);
    assert_eq!(exit, code, "{err}");
    assert!(err.contains("stopped by SIG"), "{err}");
    assert!(
        err.contains("not started: 20260101000002_m2, 20260101000003_m3"),
        "{err}"
    );
    assert!(
        err.contains("Run `strata apply` to apply the rest"),
        "{err}"
    );
    match db.engine {
        // One transaction per migration: the first was rolled back, nothing is applied.
        Engine::Sqlite | Engine::Postgres => {
            assert!(err.contains("rolled back 20260101000001_m1"), "{err}");
            assert_eq!(db.history_count(), 0, "{err}");
            assert!(!db.table_exists("t1"));
            if db.engine == Engine::Sqlite {
                assert_eq!(
                    db.scalar(
                        "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"
                    ),
                    0
                );
            }
        }
        // Statement by statement: the CREATE TABLE stays (and is recorded), the sleep was
        // cancelled, and the rerun resumes at it.
        Engine::Mysql => {
            assert!(
                err.contains("cancelled statement 2 of 2 of 20260101000001_m1: statement 1 ran and is recorded; the file is fine (`strata apply` resumes at statement 2)"),
                "{err}"
            );
            assert!(db.table_exists("t1"));
        }
    }
    // The server is not still running the statement once strata has exited.
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(running(&db, &tag), 0, "a backend still runs the statement");
    // The lock is free and a rerun applies the rest, each migration once.
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(db.history_count(), 3);
    for t in ["t1", "t2", "t3"] {
        assert!(db.table_exists(t), "{t}");
    }
}

/// The server ends strata's session in the middle of a migration (`pg_terminate_backend`,
/// MariaDB `KILL`): exit 2 with a message that names the cause as transient and the file as
/// fine, nothing half-applied in a transaction, and a rerun completes.
fn terminated_session_is_transient(db: TestDb) {
    let p = Project::new(&db);
    let tag = format!("strata_slow_{}", rand::random::<u32>());
    for i in 1..=2 {
        p.write(
            20260101000000 + i,
            &format!("m{i}"),
            &format!(
                "CREATE TABLE t{i} (id integer);\n{};\n",
                slow(db.engine, &tag)
            ),
            None,
        );
    }
    p.rehash();
    let child = spawn(p.path(), &["apply"]);
    wait_for_slow(&db, &tag);
    match db.engine {
        Engine::Postgres => db.exec(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%{tag}%' AND pid <> pg_backend_pid()"
        )),
        _ => {
            let id = db.scalar(&format!(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '%{tag}%' AND INFO NOT LIKE '%PROCESSLIST%'"
            ));
            db.exec(&format!("KILL {id}"));
        }
    }
    let (code, err) = finish(child);
    assert_transient(code, &err);
    if db.engine == Engine::Postgres {
        assert!(err.contains("nothing of this file was applied"), "{err}");
        assert_eq!(db.history_count(), 0, "{err}");
        assert!(!db.table_exists("t1"));
    }
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(db.history_count(), 2);
}

fn ctrl_c_stops_before_the_next_migration(db: TestDb) {
    stop_during_the_first_migration(db, "-INT", 130);
}

fn sigterm_stops_before_the_next_migration(db: TestDb) {
    stop_during_the_first_migration(db, "-TERM", 143);
}

/// A SQLite database that runs out of room (SQLITE_FULL; here the migration's own
/// `max_page_count`): exit 2 naming the file and the cause, nothing of the migration applied.
#[test]
fn sqlite_full_database_applies_nothing() {
    let Some(db) = TestDb::new(Engine::Sqlite) else {
        return;
    };
    let p = Project::new(&db);
    p.add(
        20260101000001,
        "small",
        "CREATE TABLE small (id integer);\n",
        None,
    );
    p.add(
        20260101000002,
        "too_big",
        "PRAGMA max_page_count = 8;\nCREATE TABLE filler (id integer);\nCREATE TABLE big AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000) SELECT x, randomblob(2000) AS b FROM c;\n",
        None,
    );
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("20260101000002_too_big.up.sql"), "{err}");
    assert!(err.contains("database or disk is full"), "{err}");
    assert!(err.contains("nothing of this file was applied"), "{err}");
    assert_eq!(db.history_count(), 1);
    assert!(db.table_exists("small"));
    assert!(!db.table_exists("filler"));
    assert_eq!(
        db.scalar("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"),
        0
    );
}

/// Ctrl-C during `strata rollback --steps 2`, in the down file of the newest migration: it
/// stays applied (its transaction undone) or, statement by statement, keeps its recorded
/// progress; the older one is not touched; a rerun finishes both.
fn ctrl_c_during_rollback(db: TestDb) {
    let p = Project::new(&db);
    let tag = format!("strata_slow_{}", rand::random::<u32>());
    p.write(
        20260101000001,
        "m1",
        "CREATE TABLE t1 (id integer);\n",
        Some("DROP TABLE t1;\n"),
    );
    p.write(
        20260101000002,
        "m2",
        "CREATE TABLE t2 (id integer);\n",
        Some(&format!("DROP TABLE t2;\n{};\n", slow(db.engine, &tag))),
    );
    p.rehash();
    db.exec("CREATE TABLE other (id integer)");
    db.exec("INSERT INTO other VALUES (1), (2), (3)");
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    let child = spawn(p.path(), &["rollback", "--steps", "2"]);
    wait_for_slow(&db, &tag);
    common::signal(&child, "-INT");
    let (code, err) = finish(child);
    assert_eq!(code, 130, "{err}");
    assert!(err.contains("not started: 20260101000001_m1"), "{err}");
    assert!(err.contains("Run `strata rollback` again"), "{err}");
    assert!(db.table_exists("t1"), "{err}");
    match db.engine {
        Engine::Mysql => assert!(!db.table_exists("t2"), "{err}"),
        _ => {
            assert!(
                err.contains("stopped the rollback of 20260101000002_m2"),
                "{err}"
            );
            assert!(db.table_exists("t2"), "{err}");
            assert_eq!(db.history_count(), 2, "{err}");
        }
    }
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(running(&db, &tag), 0, "a backend still runs the statement");
    let (code, out, err) = run(&mut p.strata(&["rollback", "--steps", "2"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(db.history_count(), 0, "{out}{err}");
    assert!(!db.table_exists("t1") && !db.table_exists("t2"));
    assert_eq!(db.scalar("SELECT count(*) FROM other"), 3);
}

on_all_engines!(
    ctrl_c_during_rollback,
    ctrl_c_stops_before_the_next_migration,
    sigterm_stops_before_the_next_migration
);

mod servers_only {
    use super::*;
    on_server_engines!(terminated_session_is_transient);
}

/// A read-only command stops at the first Ctrl-C: here `status` connecting to a server that
/// accepts the connection and never answers (strata would wait its 10 s connect timeout).
#[test]
fn ctrl_c_ends_a_hanging_status_at_once() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("postgres://postgres@127.0.0.1:{port}/none");
    let child = spawn(dir.path(), &["--url", &url, "status"]);
    // Take the connection and say nothing.
    let (_silent, _) = listener.accept().unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    common::signal(&child, "-INT");
    let (code, err) = finish(child);
    assert_eq!(code, 130, "{err}");
    assert!(started.elapsed() < Duration::from_secs(5), "{err}");
}
