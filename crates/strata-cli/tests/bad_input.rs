//! Bad input of every kind gives one clear message, exit code 2, never a password, and changes
//! nothing.

mod common;

use common::{run, strata, Project, TestDb};
use strata_schema::Engine;

fn sqlite_project() -> (TestDb, Project) {
    let db = TestDb::new(Engine::Sqlite).unwrap();
    let p = Project::new(&db);
    p.add(
        20260101000000,
        "one",
        "CREATE TABLE one (id integer);\n",
        Some("DROP TABLE one;\n"),
    );
    (db, p)
}

fn assert_error(out: (i32, String, String), needles: &[&str]) -> String {
    let (code, stdout, stderr) = out;
    assert_eq!(code, 2, "stdout: {stdout}\nstderr: {stderr}");
    for n in needles {
        assert!(stderr.contains(n), "expected {n:?} in: {stderr}");
    }
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr
}

#[test]
fn malformed_config() {
    let (db, p) = sqlite_project();
    std::fs::write(
        p.path().join("strata.toml"),
        "[project]\nengine = \"sqlite\"\n[env.dev\nurl = 1\n",
    )
    .unwrap();
    assert_error(run(&mut p.strata(&["apply"])), &["strata.toml", "line 3"]);
    std::fs::write(
        p.path().join("strata.toml"),
        "[project]\nengin = \"sqlite\"\n",
    )
    .unwrap();
    assert_error(run(&mut p.strata(&["apply"])), &["strata.toml", "engin"]);
    std::fs::write(
        p.path().join("strata.toml"),
        "[project]\nengine = \"oracle\"\n[env.dev]\nurl = \"sqlite://x.db\"\n",
    )
    .unwrap();
    assert_error(
        run(&mut p.strata(&["apply"])),
        &["unknown engine \"oracle\""],
    );
    assert!(!db.table_exists("one"));
}

#[test]
fn missing_config_and_unknown_env() {
    let dir = tempfile::tempdir().unwrap();
    assert_error(
        run(strata().current_dir(dir.path()).arg("status")),
        &["strata.toml not found", "strata init"],
    );
    let (db, p) = sqlite_project();
    assert_error(
        run(&mut p.strata(&["--env", "staging", "apply"])),
        &["environment \"staging\"", "known environments: dev"],
    );
    assert!(!db.table_exists("strata_history"));
}

#[test]
fn unset_variable_in_url() {
    let (_db, p) = sqlite_project();
    std::fs::write(
        p.path().join("strata.toml"),
        "[project]\nengine = \"postgres\"\n[env.prod]\nurl = \"${STRATA_TEST_SURELY_UNSET}\"\n",
    )
    .unwrap();
    assert_error(
        run(&mut p.strata(&["--env", "prod", "status"])),
        &["STRATA_TEST_SURELY_UNSET", "not set"],
    );
}

#[test]
fn malformed_urls_never_print_the_password() {
    let dir = tempfile::tempdir().unwrap();
    for url in [
        "postgres://app:hunter2secret@127.0.0.1:notaport/db",
        "mysql://root:hunter2secret@[::1/db",
        "postgres://app:hunter2secret@127.0.0.1:5432/db?sslmode=bogus",
        "oracle://app:hunter2secret@host/db",
        "postgres://app:hunter2secret@127.0.0.1:1/db",
    ] {
        let err = assert_error(
            run(strata()
                .current_dir(dir.path())
                .args(["--url", url, "status"])),
            &["***"],
        );
        assert!(!err.contains("hunter2secret"), "password printed: {err}");
    }
    // The same through strata.toml.
    std::fs::write(
        dir.path().join("strata.toml"),
        "[project]\nengine = \"postgres\"\n[env.dev]\nurl = \"postgres://app:hunter2secret@127.0.0.1:bad/db\"\n",
    )
    .unwrap();
    let err = assert_error(run(strata().current_dir(dir.path()).arg("apply")), &["***"]);
    assert!(!err.contains("hunter2secret"), "{err}");
}

#[test]
fn unreachable_server() {
    let dir = tempfile::tempdir().unwrap();
    assert_error(
        run(strata().current_dir(dir.path()).args([
            "--url",
            "postgres://postgres@127.0.0.1:1/db",
            "apply",
        ])),
        &["127.0.0.1:1", "is the server running"],
    );
    assert_error(
        run(strata().current_dir(dir.path()).args([
            "--url",
            "mysql://root@127.0.0.1:1/db",
            "apply",
        ])),
        &["127.0.0.1:1", "is the server running"],
    );
}

#[test]
fn wrong_password() {
    // PostgreSQL on the test machines uses trust authentication, which accepts any password;
    // MariaDB checks it.
    let Some(db) = TestDb::new(Engine::Mysql) else {
        return;
    };
    let url = db
        .url
        .replacen("mysql://root@", "mysql://root:wrongpassword@", 1);
    assert!(
        url.contains("wrongpassword"),
        "test URL has the expected form: {url}"
    );
    let dir = tempfile::tempdir().unwrap();
    let err = assert_error(
        run(strata()
            .current_dir(dir.path())
            .args(["--url", &url, "status"])),
        &["Access denied", "check the user name and password"],
    );
    assert!(!err.contains("wrongpassword"), "{err}");
}

#[test]
fn invalid_utf8_migration() {
    let (db, p) = sqlite_project();
    std::fs::write(
        p.migrations().join("20260102000000_latin1.up.sql"),
        b"INSERT INTO one VALUES (1); -- caf\xe9\n",
    )
    .unwrap();
    assert_error(
        run(&mut p.strata(&["apply"])),
        &["20260102000000_latin1.up.sql is not valid UTF-8"],
    );
    assert!(!db.table_exists("one"));
}

#[test]
fn version_that_is_not_a_timestamp() {
    let (db, p) = sqlite_project();
    std::fs::write(p.migrations().join("42_answer.up.sql"), "SELECT 1;\n").unwrap();
    assert_error(
        run(&mut p.strata(&["apply"])),
        &["42_answer.up.sql", "not a UTC timestamp"],
    );
    std::fs::remove_file(p.migrations().join("42_answer.up.sql")).unwrap();
    std::fs::write(p.migrations().join("notes.sql"), "SELECT 1;\n").unwrap();
    assert_error(run(&mut p.strata(&["status"])), &["notes.sql", ".up.sql"]);
    assert!(!db.table_exists("one"));
}

#[test]
fn unknown_directive() {
    let (db, p) = sqlite_project();
    p.write(
        20260102000000,
        "d",
        "-- strata:no-transactoin\nSELECT 1;\n",
        None,
    );
    assert_error(
        run(&mut p.strata(&["apply"])),
        &["20260102000000_d.up.sql:1", "no-transactoin"],
    );
    assert!(!db.table_exists("one"));
}

#[test]
fn engine_mismatch() {
    let (_db, p) = sqlite_project();
    assert_error(
        run(&mut p.strata(&["--url", "postgres://postgres@127.0.0.1:1/x", "status"])),
        &["engine is sqlite", "postgres"],
    );
}

/// A history table strata cannot read: the driver's message appears once, not once per link of
/// the error chain.
fn unreadable_history_table(db: TestDb) {
    db.exec("CREATE TABLE strata_history (x integer)");
    let p = Project::new(&db);
    let err = assert_error(
        run(&mut p.strata(&["status"])),
        &["cannot read the history table"],
    );
    let parts: Vec<&str> = err.lines().next().unwrap().split(": ").collect();
    for (i, part) in parts.iter().enumerate() {
        assert!(!parts[i + 1..].contains(part), "{part:?} repeats in: {err}");
    }
}

on_all_engines!(unreadable_history_table);
