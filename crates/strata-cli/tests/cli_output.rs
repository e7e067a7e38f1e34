//! Snapshots of what users see: help, status, dry runs and errors, so changes show up in review.

mod common;

use common::{run, strata, Project, TestDb};
use strata_schema::Engine;

fn snapshot_run(p: &Project, args: &[&str]) -> String {
    let (code, out, err) = run(&mut p.strata(args));
    let text = format!("exit: {code}\n--- stdout\n{out}--- stderr\n{err}");
    text.replace(&p.url, "[URL]")
        .replace(&p.path().display().to_string(), "[DIR]")
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", "[TIME]");
    s.add_filter(r"\(\d+ ms\)", "([N] ms)");
    s
}

#[test]
fn help() {
    let out = strata().arg("--help").output().unwrap();
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

#[test]
fn version_and_completions() {
    let out = strata().arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("strata "));
    let out = strata().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("rollback"));
}

#[test]
fn lifecycle_output() {
    let db = TestDb::new(Engine::Sqlite).unwrap();
    let p = Project::new(&db);
    p.add(
        20260101000000,
        "create_users",
        "CREATE TABLE users (id integer PRIMARY KEY);\n",
        Some("DROP TABLE users;\n"),
    );
    p.add(
        20260102000000,
        "broken",
        "-- strata:no-transaction\nCREATE TABLE a (id integer);\nCREATE TABLE a (id integer);\n",
        Some("DROP TABLE a;\n"),
    );
    settings().bind(|| {
        insta::assert_snapshot!("status_pending", snapshot_run(&p, &["status"]));
        insta::assert_snapshot!("dry_run", snapshot_run(&p, &["apply", "--dry-run"]));
        insta::assert_snapshot!("apply_fails", snapshot_run(&p, &["apply"]));
        insta::assert_snapshot!("status_failed", snapshot_run(&p, &["status"]));
    });
    std::fs::write(
        p.migrations().join("20260101000000_create_users.up.sql"),
        "CREATE TABLE users (id integer PRIMARY KEY, edited text);\n",
    )
    .unwrap();
    settings().bind(|| {
        insta::assert_snapshot!("apply_edited", snapshot_run(&p, &["apply"]));
    });
}
