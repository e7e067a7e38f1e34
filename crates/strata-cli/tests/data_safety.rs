//! Data safety through the CLI: a planned table rebuild keeps the rows of every table around
//! it, on apply and on rollback, and the data-survival guard of `apply` undoes a migration that
//! loses rows of a table it declares kept.

mod common;

use common::{run, Project, TestDb};
use strata_schema::Engine;

fn write_schema(p: &Project, sql: &str) {
    std::fs::create_dir_all(p.path().join("schema")).unwrap();
    std::fs::write(p.path().join("schema").join("schema.sql"), sql).unwrap();
}

fn plan(p: &Project, name: &str) -> String {
    let (code, out, err) = run(&mut p.strata(&["plan", name]));
    assert_eq!(code, 0, "{out}{err}");
    out
}

fn ok(p: &Project, args: &[&str]) {
    let (code, out, err) = run(&mut p.strata(args));
    assert_eq!(code, 0, "strata {args:?}\n{out}{err}");
}

fn newest_up(p: &Project) -> String {
    let mut ups: Vec<_> = std::fs::read_dir(p.migrations())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".up.sql"))
        .collect();
    ups.sort();
    std::fs::read_to_string(ups.last().unwrap()).unwrap()
}

const USERS_POSTS: &str = "CREATE TABLE users (\n    id integer PRIMARY KEY,\n    name text NOT NULL\n);\nCREATE TABLE posts (\n    id integer PRIMARY KEY,\n    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,\n    title text\n);\n";

/// The reported scenario: a CHECK added to `users` rebuilds it on SQLite; the rebuild's
/// `DROP TABLE users` must not fire `ON DELETE CASCADE` on `posts`.
#[test]
fn sqlite_rebuild_keeps_cascading_children() {
    let Some(db) = TestDb::new(Engine::Sqlite) else {
        return;
    };
    let p = Project::new(&db);
    write_schema(&p, USERS_POSTS);
    plan(&p, "initial");
    ok(&p, &["apply"]);
    db.exec("INSERT INTO users (id, name) VALUES (1, 'ann'), (2, 'bob')");
    db.exec("INSERT INTO posts (id, user_id, title) VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 2, 'c')");
    write_schema(
        &p,
        &USERS_POSTS.replace(
            "    name text NOT NULL\n",
            "    name text NOT NULL CHECK (length(name) > 0)\n",
        ),
    );
    let out = plan(&p, "name_not_empty");
    assert!(out.contains("rebuild table users"), "{out}");
    let up = newest_up(&p);
    assert!(up.contains("-- strata:foreign-keys-off\n"), "{up}");
    assert!(up.contains("-- strata:keep-rows users, posts\n"), "{up}");
    ok(&p, &["apply"]);
    assert_eq!(db.scalar("SELECT count(*) FROM users"), 2);
    assert_eq!(
        db.scalar("SELECT count(*) FROM posts"),
        3,
        "posts after apply"
    );
    assert_eq!(
        db.scalar("SELECT count(*) FROM pragma_foreign_key_check"),
        0
    );
    ok(&p, &["rollback"]);
    assert_eq!(db.scalar("SELECT count(*) FROM users"), 2);
    assert_eq!(
        db.scalar("SELECT count(*) FROM posts"),
        3,
        "posts after rollback"
    );
    assert_eq!(
        db.scalar("SELECT count(*) FROM pragma_foreign_key_check"),
        0
    );
}

const CHAIN: &str = "CREATE TABLE a (\n    id integer PRIMARY KEY,\n    name text\n);\nCREATE TABLE b (\n    id integer PRIMARY KEY,\n    a_id integer REFERENCES a (id) ON DELETE CASCADE,\n    score integer\n);\nCREATE TABLE c (\n    id integer PRIMARY KEY,\n    b_id integer REFERENCES b (id) ON DELETE SET NULL\n);\n";

/// A type change on the middle table of a chain (`b` references `a` with CASCADE, `c` references
/// `b` with SET NULL) rebuilds `b`: no row of `b` or `c` is lost and no reference of `c` is
/// nulled, on apply and on rollback.
#[test]
fn sqlite_rebuild_of_a_middle_table_keeps_the_chain() {
    let Some(db) = TestDb::new(Engine::Sqlite) else {
        return;
    };
    let p = Project::new(&db);
    write_schema(&p, CHAIN);
    plan(&p, "initial");
    ok(&p, &["apply"]);
    db.exec("INSERT INTO a (id, name) VALUES (1, 'x'), (2, 'y')");
    db.exec("INSERT INTO b (id, a_id, score) VALUES (10, 1, 5), (11, 2, 6), (12, 2, 7)");
    db.exec("INSERT INTO c (id, b_id) VALUES (100, 10), (101, 11), (102, 12), (103, 12)");
    let check = |label: &str| {
        assert_eq!(db.scalar("SELECT count(*) FROM a"), 2, "{label}: a");
        assert_eq!(db.scalar("SELECT count(*) FROM b"), 3, "{label}: b");
        assert_eq!(db.scalar("SELECT count(*) FROM c"), 4, "{label}: c");
        assert_eq!(
            db.scalar("SELECT count(*) FROM c WHERE b_id IS NOT NULL"),
            4,
            "{label}: references of c"
        );
        assert_eq!(
            db.scalar("SELECT count(*) FROM pragma_foreign_key_check"),
            0,
            "{label}"
        );
    };
    write_schema(
        &p,
        &CHAIN.replace("    score integer\n", "    score real\n"),
    );
    let out = plan(&p, "score_real");
    assert!(out.contains("rebuild table b"), "{out}");
    assert!(newest_up(&p).contains("-- strata:keep-rows b, c\n"));
    ok(&p, &["apply"]);
    check("after apply");
    ok(&p, &["rollback"]);
    check("after rollback");
}

/// A migration that declares `posts` kept but deletes a row of it: apply exits 2 naming the
/// table and both counts, and nothing of the migration is committed.
fn guard_undoes_a_migration_that_loses_rows(db: TestDb) {
    let p = Project::new(&db);
    p.add(
        20260101000001,
        "posts",
        "CREATE TABLE posts (id integer PRIMARY KEY, title varchar(20));\nINSERT INTO posts (id, title) VALUES (1, 'a'), (2, 'b');\n",
        None,
    );
    ok(&p, &["apply"]);
    p.add(
        20260101000002,
        "loses_a_row",
        "-- strata:keep-rows posts\nUPDATE posts SET title = 'changed';\nDELETE FROM posts WHERE id = 1;\n",
        None,
    );
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("table posts held 2 row(s) before the migration and 1 after it"),
        "{err}"
    );
    match db.engine {
        // One transaction: the update went with the delete, the history has no row.
        Engine::Sqlite | Engine::Postgres => {
            assert_eq!(db.scalar("SELECT count(*) FROM posts"), 2);
            assert_eq!(
                db.scalar("SELECT count(*) FROM posts WHERE title = 'changed'"),
                0
            );
            assert_eq!(db.history_count(), 1);
        }
        // No transactional DDL: statement by statement, so the guard can only report
        // (see guard_reports_lost_rows_outside_a_transaction).
        Engine::Mysql => return,
    }
    // The flag that turns the guard off lets it through.
    let (code, out, err) = run(&mut p.strata(&["apply", "--skip-row-guard"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(db.scalar("SELECT count(*) FROM posts"), 1);
}

/// On MySQL/MariaDB the guard cannot undo statements that ran outside a transaction: it
/// records the migration as failed and says so.
fn guard_reports_lost_rows_outside_a_transaction(db: TestDb) {
    if db.engine != Engine::Mysql {
        return;
    }
    let p = Project::new(&db);
    p.add(
        20260101000001,
        "posts",
        "CREATE TABLE posts (id integer PRIMARY KEY);\nINSERT INTO posts (id) VALUES (1), (2);\n",
        None,
    );
    ok(&p, &["apply"]);
    p.add(
        20260101000002,
        "loses_a_row",
        "-- strata:keep-rows posts\nDELETE FROM posts WHERE id = 1;\n",
        None,
    );
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("held 2 row(s) before the migration and 1 after it"),
        "{err}"
    );
    assert!(err.contains("recorded as failed"), "{err}");
    let (code, out, err) = run(&mut p.strata(&["status"]));
    assert_eq!(code, 1, "{out}{err}");
}

on_all_engines!(
    guard_undoes_a_migration_that_loses_rows,
    guard_reports_lost_rows_outside_a_transaction
);
