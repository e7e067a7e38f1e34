//! SQLite specifics through the CLI: what a table rebuild (`strata plan`, `apply`, `rollback`,
//! with data) must carry over besides rows, such as the AUTOINCREMENT counter in
//! `sqlite_sequence`; and the `INTEGER PRIMARY KEY` column being the rowid, never NULL.

mod common;

use common::{run, Project, TestDb};
use strata_schema::Engine;

fn write_schema(p: &Project, sql: &str) {
    std::fs::create_dir_all(p.path().join("schema")).unwrap();
    std::fs::write(p.path().join("schema").join("schema.sql"), sql).unwrap();
}

fn ok(p: &Project, args: &[&str]) -> String {
    let (code, out, err) = run(&mut p.strata(args));
    assert_eq!(code, 0, "strata {args:?}\n{out}{err}");
    out
}

fn seq(db: &TestDb, table: &str) -> i64 {
    db.scalar(&format!(
        "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), -1)"
    ))
}

/// One row per table in sqlite_sequence: a duplicate would make the counter ambiguous.
fn sequence_rows(db: &TestDb, table: &str) -> i64 {
    db.scalar(&format!(
        "SELECT COUNT(*) FROM sqlite_sequence WHERE name = '{table}'"
    ))
}

const EV: &str =
    "CREATE TABLE ev (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    kind TEXT\n);\n";
const NOTE: &str = "CREATE TABLE note (\n    id INTEGER PRIMARY KEY,\n    ev_id INTEGER REFERENCES ev (id),\n    body TEXT\n);\n";

/// Rows 1, 2, 3 in `ev`, notes on 1 and 2, then row 3 deleted: the counter says 3.
fn project_with_deleted_last_row() -> Option<(TestDb, Project)> {
    let db = TestDb::new(Engine::Sqlite)?;
    let p = Project::new(&db);
    write_schema(&p, &format!("{EV}{NOTE}"));
    ok(&p, &["plan", "initial"]);
    ok(&p, &["apply"]);
    db.exec("INSERT INTO ev (kind) VALUES ('a'), ('b'), ('c')");
    db.exec("INSERT INTO note (ev_id, body) VALUES (1, 'on a'), (2, 'on b')");
    db.exec("DELETE FROM ev WHERE id = 3");
    assert_eq!(seq(&db, "ev"), 3);
    Some((db, p))
}

fn assert_rows(db: &TestDb, ev_table: &str, ev_rows: i64) {
    assert_eq!(
        db.scalar(&format!("SELECT COUNT(*) FROM {ev_table}")),
        ev_rows
    );
    assert_eq!(
        db.scalar(&format!(
            "SELECT COUNT(*) FROM note JOIN {ev_table} ON {ev_table}.id = note.ev_id"
        )),
        2,
        "notes still reference their events"
    );
}

#[test]
fn rebuild_and_its_rollback_keep_the_autoincrement_counter() {
    let Some((db, p)) = project_with_deleted_last_row() else {
        return;
    };
    write_schema(
        &p,
        &format!(
            "{}{NOTE}",
            EV.replace("kind TEXT\n", "kind TEXT CHECK (kind <> '')\n")
        ),
    );
    let out = ok(&p, &["plan", "check_kind"]);
    assert!(out.contains("rebuild table ev"), "{out}");
    ok(&p, &["apply"]);
    assert_eq!(seq(&db, "ev"), 3, "the rebuild carries the counter over");
    assert_eq!(sequence_rows(&db, "ev"), 1);
    assert_rows(&db, "ev", 2);
    db.exec("INSERT INTO ev (kind) VALUES ('d')");
    assert_eq!(
        db.scalar("SELECT MAX(id) FROM ev"),
        4,
        "id 3 is never reused"
    );

    ok(&p, &["rollback"]);
    assert_eq!(
        seq(&db, "ev"),
        4,
        "the down rebuild carries the counter back"
    );
    assert_eq!(sequence_rows(&db, "ev"), 1);
    assert_rows(&db, "ev", 3);
    db.exec("INSERT INTO ev (kind) VALUES ('e')");
    assert_eq!(
        db.scalar("SELECT MAX(id) FROM ev"),
        5,
        "id 4 is never reused"
    );
    assert_eq!(sequence_rows(&db, "_strata_new_ev"), 0);
}

/// A rebuild that renames the table and drops AUTOINCREMENT: the counter goes along with the
/// table, so that rolling back (which adds AUTOINCREMENT again) does not reuse an id.
#[test]
fn renamed_table_losing_autoincrement_gets_its_counter_back_on_rollback() {
    let Some((db, p)) = project_with_deleted_last_row() else {
        return;
    };
    write_schema(
        &p,
        "CREATE TABLE events ( -- strata:renamed-from ev\n    id INTEGER PRIMARY KEY,\n    kind TEXT CHECK (kind <> '')\n);\nCREATE TABLE note (\n    id INTEGER PRIMARY KEY,\n    ev_id INTEGER REFERENCES events (id),\n    body TEXT\n);\n",
    );
    let out = ok(&p, &["plan", "rename_ev"]);
    assert!(out.contains("rebuild table events"), "{out}");
    // The rename is an error-level lint finding (running queries still name `ev`).
    ok(&p, &["apply", "--allow-destructive"]);
    assert_rows(&db, "events", 2);
    assert_eq!(
        sequence_rows(&db, "ev"),
        0,
        "no counter left under the old name"
    );

    ok(&p, &["rollback"]);
    assert_rows(&db, "ev", 2);
    assert_eq!(
        seq(&db, "ev"),
        3,
        "the counter comes back with AUTOINCREMENT"
    );
    assert_eq!(sequence_rows(&db, "ev"), 1);
    assert_eq!(sequence_rows(&db, "events"), 0);
    db.exec("INSERT INTO ev (kind) VALUES ('d')");
    assert_eq!(
        db.scalar("SELECT MAX(id) FROM ev"),
        4,
        "id 3 is never reused"
    );
}

/// `id INTEGER PRIMARY KEY` is the rowid: never NULL, whether `NOT NULL` is written or not. The
/// model says so (inspect), so do the ERD and the HTML docs, and writing `NOT NULL` or leaving it
/// out is no change to plan.
#[test]
fn integer_primary_key_is_not_null() {
    let Some(db) = TestDb::new(Engine::Sqlite) else {
        return;
    };
    let p = Project::new(&db);
    let schema = "CREATE TABLE users (\n    id INTEGER PRIMARY KEY,\n    name TEXT\n);\nCREATE TABLE profiles (\n    user_id INTEGER PRIMARY KEY REFERENCES users (id),\n    bio TEXT\n);\n";
    write_schema(&p, schema);
    ok(&p, &["plan", "initial"]);
    ok(&p, &["apply"]);
    db.exec("INSERT INTO users (name) VALUES ('ann'); INSERT INTO profiles (user_id, bio) VALUES (1, 'hi')");

    let inspected: serde_json::Value =
        serde_json::from_str(&ok(&p, &["inspect", "--json"])).unwrap();
    let tables = inspected["tables"].as_array().unwrap();
    for (table, column) in [("users", "id"), ("profiles", "user_id")] {
        let t = tables.iter().find(|t| t["name"]["name"] == table).unwrap();
        let c = t["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == column)
            .unwrap();
        assert_eq!(c["nullable"], false, "{table}.{column}: {c}");
    }
    let mermaid = ok(&p, &["erd", "--url", &db.url]);
    assert!(
        mermaid.contains("users ||--o| profiles : \"user_id\""),
        "exactly one parent per profile:\n{mermaid}"
    );
    let out = p.path().join("site");
    ok(
        &p,
        &["docs", "--url", &db.url, "--out", out.to_str().unwrap()],
    );
    let page = std::fs::read_to_string(out.join("tables/profiles.html")).unwrap();
    let row = page
        .split("<tr id=\"col-user-id\">")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap_or_else(|| panic!("no user_id row:\n{page}"));
    assert!(row.contains("not null"), "{row}");

    // Writing NOT NULL or not is the same schema: nothing to plan, either way.
    let out = ok(&p, &["plan", "same"]);
    assert!(out.contains("no changes"), "{out}");
    write_schema(
        &p,
        &schema.replace("INTEGER PRIMARY KEY", "INTEGER PRIMARY KEY NOT NULL"),
    );
    let out = ok(&p, &["plan", "explicit_not_null"]);
    assert!(out.contains("no changes"), "{out}");
    let (code, out, err) = run(&mut p.strata(&["drift"]));
    assert_eq!(code, 0, "{out}{err}");
}
