//! Real faults at chosen points of `strata apply`, on the real servers: a connection cut or
//! stalled by a proxy (`servers::proxy`), a signal while strata's history row is written or
//! between two migrations (each point held open by a lock the test takes), a second signal.
//!
//! Every case checks the same things: the exit code and message, that the history and the
//! schema agree, that no session still runs the statement a second after strata exits, that
//! the migration lock is free, and that a rerun applies each migration exactly once.

mod common;
mod servers;

use common::{assert_transient, finish, run, runtime, signal, spawn, Project, TestDb};
use servers::proxy::Proxy;
use sqlx::Connection;
use std::process::Child;
use std::time::{Duration, Instant};
use strata_schema::Engine;

/// The slow statement of these tests, recognisable in the server's activity by `tag`.
fn slow(engine: Engine, tag: &str) -> String {
    match engine {
        Engine::Postgres => format!("SELECT pg_sleep(4) /* {tag} */"),
        _ => format!("SELECT SLEEP(4) /* {tag} */"),
    }
}

fn tag() -> String {
    format!("strata_fault_{}", rand::random::<u32>())
}

/// How many sessions other than the test's run a statement tagged `tag`.
fn running(db: &TestDb, tag: &str) -> i64 {
    match db.engine {
        Engine::Postgres => db.scalar(&format!(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%{tag}%' AND state = 'active' AND pid <> pg_backend_pid()"
        )),
        _ => db.scalar(&format!(
            "SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%{tag}%' AND INFO NOT LIKE '%PROCESSLIST%'"
        )),
    }
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{what} never happened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Three migrations; the first creates `t1` and then runs the slow statement.
fn three_migrations(db: &TestDb, tag: &str) -> Project {
    let p = Project::new(db);
    for i in 1..=3 {
        let extra = if i == 1 {
            format!("{};\n", slow(db.engine, tag))
        } else {
            String::new()
        };
        p.write(
            20260101000000 + i,
            &format!("m{i}"),
            &format!("CREATE TABLE t{i} (id integer);\n{extra}"),
            None,
        );
    }
    p.rehash();
    p
}

/// `strata apply` of [`three_migrations`] through a proxy, once its slow statement runs.
struct Run {
    tag: String,
    project: Project,
    proxy: Proxy,
    child: Child,
}

fn apply_through_proxy(db: &TestDb) -> Run {
    let tag = tag();
    let project = three_migrations(db, &tag);
    let proxy = Proxy::to(port_of(&db.url));
    let child = spawn(project.path(), &["--url", &proxy.url(&db.url), "apply"]);
    wait_until("the slow statement", || running(db, &tag) > 0);
    Run {
        tag,
        project,
        proxy,
        child,
    }
}

/// After strata exited: nothing runs the statement, the lock is free (a rerun does not wait
/// for it), and the rerun applies what is left, each migration once.
fn rerun_completes(db: &TestDb, p: &Project, tag: &str, migrations: i64) {
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(running(db, tag), 0, "a session still runs the statement");
    let started = Instant::now();
    let (code, out, err) = run(&mut p.strata(&["apply", "--lock-timeout", "5s"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "the rerun waited: {err}"
    );
    assert_eq!(
        db.scalar("SELECT count(*) FROM strata_history WHERE success"),
        migrations
    );
    assert_eq!(db.history_count(), migrations);
}

/// What a cut-off run left: on PostgreSQL nothing of the first migration; on MySQL (DDL commits
/// as it goes) its CREATE TABLE, recorded as statement 1 of 2.
fn first_migration_left_as_recorded(db: &TestDb, err: &str) {
    match db.engine {
        Engine::Postgres => {
            assert!(!db.table_exists("t1"), "{err}");
            assert_eq!(db.history_count(), 0, "{err}");
        }
        _ => {
            assert!(db.table_exists("t1"), "{err}");
            assert_eq!(
                db.scalar(
                    "SELECT statements_applied FROM strata_history WHERE version = 20260101000001"
                ),
                1,
                "{err}"
            );
        }
    }
    assert!(!db.table_exists("t2"), "{err}");
}

/// The network drops strata's connection while the first migration's statement runs: exit 2
/// with the connection named as the cause, strata ends its orphaned session on the server at
/// once (it would otherwise go on holding its locks), and a rerun completes.
fn connection_cut_mid_statement(db: TestDb) {
    let Run {
        tag,
        project: p,
        proxy,
        child,
    } = apply_through_proxy(&db);
    proxy.cut();
    let (code, err) = finish(child);
    assert_transient(code, &err);
    assert!(
        err.contains("the connection to the server was lost"),
        "{err}"
    );
    assert!(
        err.contains("strata ended its old session") || err.contains("had already ended"),
        "{err}"
    );
    first_migration_left_as_recorded(&db, &err);
    rerun_completes(&db, &p, &tag, 3);
}

/// The connection stalls (a flow a NAT or load balancer dropped: no error, no bytes) and the
/// user presses Ctrl-C: the cancel reaches the server on a new connection, but its answer never
/// comes back; strata exits by itself after its grace period, ending the stalled session on the
/// server so that its transaction and locks go.
fn stalled_connection_then_ctrl_c(db: TestDb) {
    let Run {
        tag,
        project: p,
        proxy,
        child,
    } = apply_through_proxy(&db);
    proxy.stall();
    let sent = Instant::now();
    signal(&child, "-INT");
    let (code, err) = finish(child);
    assert_eq!(code, 130, "{err}");
    assert!(
        sent.elapsed() < Duration::from_secs(16),
        "{:?}: {err}",
        sent.elapsed()
    );
    assert!(err.contains("has not answered within 10s"), "{err}");
    assert!(err.contains("strata ended its old session"), "{err}");
    assert!(err.contains("Run `strata status`"), "{err}");
    first_migration_left_as_recorded(&db, &err);
    rerun_completes(&db, &p, &tag, 3);
}

/// A second Ctrl-C exits at once, also when the server does not answer, and still ends the
/// session on the server.
fn second_signal_exits_at_once(db: TestDb) {
    let Run {
        tag,
        project: p,
        proxy,
        child,
    } = apply_through_proxy(&db);
    proxy.stall();
    signal(&child, "-INT");
    std::thread::sleep(Duration::from_millis(500));
    let sent = Instant::now();
    signal(&child, "-TERM");
    let (code, err) = finish(child);
    assert_eq!(code, 143, "{err}");
    assert!(sent.elapsed() < Duration::from_secs(5), "{err}");
    assert!(err.contains("send it again to exit at once"), "{err}");
    assert!(err.contains("SIGTERM again: exiting now"), "{err}");
    assert!(err.contains("strata ended its old session"), "{err}");
    first_migration_left_as_recorded(&db, &err);
    rerun_completes(&db, &p, &tag, 3);
}

/// Ctrl-C while strata writes its history row. MySQL: the statement before it committed, so
/// the row must land (strata waits for it) and the run stops before the next statement; a
/// cancelled row would leave the history behind the schema and the rerun would run the
/// statement twice. PostgreSQL: the row is part of the migration's transaction, which is
/// rolled back whole.
fn signal_while_the_history_row_is_written(db: TestDb) {
    let tag = tag();
    let p = Project::new(&db);
    // The history table exists before the test holds a lock on it.
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    p.add(
        20260101000001,
        "m1",
        &format!(
            "CREATE TABLE t1 (id integer);\n{};\nCREATE TABLE t2 (id integer);\n",
            slow(db.engine, &tag).replace("(4)", "(1)")
        ),
        None,
    );
    let rt = runtime();
    let url = db.url.clone();
    let child = spawn(p.path(), &["apply"]);
    match db.engine {
        Engine::Postgres => {
            let mut holder = rt.block_on(sqlx::PgConnection::connect(&url)).unwrap();
            // Taken while the slow statement runs; strata's INSERT of the history row waits.
            wait_until("the slow statement", || running(&db, &tag) > 0);
            rt.block_on(
                sqlx::raw_sql("BEGIN; LOCK TABLE strata_history IN SHARE MODE")
                    .execute(&mut holder),
            )
            .unwrap();
            wait_until("the history write to wait", || {
                db.scalar("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'INSERT INTO%strata_history%' AND wait_event_type = 'Lock'") > 0
            });
            signal(&child, "-INT");
            let (code, err) = finish(child);
            assert_eq!(code, 130, "{err}");
            assert!(err.contains("rolled back 20260101000001_m1"), "{err}");
            rt.block_on(sqlx::raw_sql("ROLLBACK").execute(&mut holder))
                .unwrap();
            assert_eq!(db.history_count(), 0, "{err}");
            assert!(!db.table_exists("t1") && !db.table_exists("t2"), "{err}");
        }
        _ => {
            let mut holder = rt.block_on(sqlx::MySqlConnection::connect(&url)).unwrap();
            wait_until("the slow statement", || running(&db, &tag) > 0);
            rt.block_on(sqlx::raw_sql("LOCK TABLES strata_history READ").execute(&mut holder))
                .unwrap();
            wait_until("the history write to wait", || {
                db.scalar("SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%strata_history%' AND STATE LIKE '%metadata lock%'") > 0
            });
            signal(&child, "-INT");
            // strata waits for its row; it is still running a second later.
            std::thread::sleep(Duration::from_secs(1));
            rt.block_on(sqlx::raw_sql("UNLOCK TABLES").execute(&mut holder))
                .unwrap();
            let (code, err) = finish(child);
            assert_eq!(code, 130, "{err}");
            assert!(
                err.contains("before statement 3 of 3"),
                "the stop came at the next statement: {err}"
            );
            assert_eq!(
                db.scalar(
                    "SELECT statements_applied FROM strata_history WHERE version = 20260101000001"
                ),
                2,
                "{err}"
            );
            assert!(db.table_exists("t1") && !db.table_exists("t2"), "{err}");
        }
    }
    rerun_completes(&db, &p, &tag, 1);
    assert!(db.table_exists("t2"));
}

/// Ctrl-C between two migrations: the first is applied and recorded, the second has not run a
/// statement yet (strata is counting the rows of the table its `keep-rows` names, which the
/// test keeps locked).
fn signal_between_migrations(db: TestDb) {
    db.exec("CREATE TABLE kept (id integer)");
    db.exec("INSERT INTO kept VALUES (1), (2)");
    let p = Project::new(&db);
    p.write(
        20260101000001,
        "m1",
        "CREATE TABLE t1 (id integer);\n",
        None,
    );
    p.write(
        20260101000002,
        "m2",
        "-- strata:keep-rows kept\nCREATE TABLE t2 (id integer);\n",
        None,
    );
    p.rehash();
    let rt = runtime();
    let url = db.url.clone();
    let child;
    match db.engine {
        Engine::Postgres => {
            let mut holder = rt.block_on(sqlx::PgConnection::connect(&url)).unwrap();
            rt.block_on(
                sqlx::raw_sql("BEGIN; LOCK TABLE kept IN ACCESS EXCLUSIVE MODE")
                    .execute(&mut holder),
            )
            .unwrap();
            child = spawn(p.path(), &["apply"]);
            wait_until("the count to wait", || {
                db.scalar("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%count(*)%kept%' AND wait_event_type = 'Lock'") > 0
            });
            signal(&child, "-INT");
            let (code, err) = finish(child);
            rt.block_on(sqlx::raw_sql("ROLLBACK").execute(&mut holder))
                .unwrap();
            check_between(&db, code, &err);
        }
        _ => {
            let mut holder = rt.block_on(sqlx::MySqlConnection::connect(&url)).unwrap();
            rt.block_on(sqlx::raw_sql("LOCK TABLES kept WRITE").execute(&mut holder))
                .unwrap();
            child = spawn(p.path(), &["apply"]);
            wait_until("the count to wait", || {
                db.scalar("SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%count(*)%kept%' AND STATE LIKE '%metadata lock%'") > 0
            });
            signal(&child, "-INT");
            let (code, err) = finish(child);
            rt.block_on(sqlx::raw_sql("UNLOCK TABLES").execute(&mut holder))
                .unwrap();
            check_between(&db, code, &err);
        }
    }
    rerun_completes(&db, &p, "no statement has this tag", 2);
    assert_eq!(db.scalar("SELECT count(*) FROM kept"), 2);
}

fn check_between(db: &TestDb, code: i32, err: &str) {
    assert_eq!(code, 130, "{err}");
    assert!(err.contains("applied 20260101000001_m1"), "{err}");
    assert!(
        err.contains("Run `strata apply` to apply the rest"),
        "{err}"
    );
    assert!(db.table_exists("t1") && !db.table_exists("t2"), "{err}");
    assert_eq!(
        db.scalar("SELECT count(*) FROM strata_history WHERE success"),
        1,
        "{err}"
    );
}

/// The connection cut at every point of a run, byte by byte across its whole conversation
/// (PostgreSQL, where each migration and its history row commit together): whatever the cut
/// hits — the lock, the history read, a statement, the history row, the COMMIT — strata exits 0
/// or 2, never hangs, the history and the tables agree, and a rerun completes the rest once.
#[test]
fn postgres_connection_cut_at_every_point() {
    let Some(probe) = TestDb::new(Engine::Postgres) else {
        return;
    };
    let migrations = |p: &Project| {
        for i in 1..=3 {
            p.write(
                20260101000000 + i,
                &format!("m{i}"),
                &format!("CREATE TABLE t{i} (id integer);\nINSERT INTO t{i} VALUES ({i});\n"),
                None,
            );
        }
        p.rehash();
    };
    // How many bytes a whole run exchanges.
    let total = {
        let p = Project::new(&probe);
        migrations(&p);
        let proxy = Proxy::to(port_of(&probe.url));
        let (code, out, err) = run(&mut p.strata(&["--url", &proxy.url(&probe.url), "apply"]));
        assert_eq!(code, 0, "{out}{err}");
        proxy.forwarded()
    };
    let points = 24;
    let mut failed = 0;
    for k in 0..points {
        let cut_at = total * k / points + 1;
        let db = TestDb::new(Engine::Postgres).unwrap();
        let p = Project::new(&db);
        migrations(&p);
        let proxy = Proxy::to(port_of(&db.url));
        proxy.cut_after(cut_at);
        let child = spawn(p.path(), &["--url", &proxy.url(&db.url), "apply"]);
        let started = Instant::now();
        let (code, err) = finish(child);
        assert!(
            code == 0 || code == 2,
            "cut after {cut_at} of {total} bytes: exit {code}: {err}"
        );
        assert!(started.elapsed() < Duration::from_secs(30), "{err}");
        failed += u64::from(code == 2);
        let recorded = if db.table_exists("strata_history") {
            db.scalar("SELECT count(*) FROM strata_history WHERE success")
        } else {
            0
        };
        for i in 1..=3 {
            assert_eq!(
                db.table_exists(&format!("t{i}")),
                i <= recorded,
                "cut after {cut_at} of {total} bytes: t{i} and the history disagree ({recorded} recorded): {err}"
            );
        }
        let (code, out, err) = run(&mut p.strata(&["apply", "--lock-timeout", "5s"]));
        assert_eq!(
            code, 0,
            "cut after {cut_at} of {total} bytes: rerun: {out}{err}"
        );
        assert_eq!(
            db.scalar("SELECT count(*) FROM strata_history WHERE success"),
            3
        );
        assert_eq!(
            db.scalar("SELECT (SELECT count(*) FROM t1) + (SELECT count(*) FROM t2) + (SELECT count(*) FROM t3)"),
            3
        );
    }
    // The cuts landed inside the runs: most of them broke it.
    assert!(
        failed * 2 >= points,
        "only {failed} of {points} cut runs failed"
    );
}

/// The port of a server URL (`scheme://user@host:port/db`).
fn port_of(url: &str) -> u16 {
    let authority = url.split("://").nth(1).unwrap().split('/').next().unwrap();
    let host = authority.rsplit('@').next().unwrap();
    host.rsplit(':').next().unwrap().parse().unwrap()
}

on_server_engines!(
    connection_cut_mid_statement,
    stalled_connection_then_ctrl_c,
    second_signal_exits_at_once,
    signal_while_the_history_row_is_written,
    signal_between_migrations
);
