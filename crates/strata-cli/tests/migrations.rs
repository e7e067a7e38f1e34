//! The versioned-migration lifecycle on every engine: apply, rollback, status, validation,
//! failures and resumption, integrity checks, seeds and identifier quoting.

mod common;

use common::{run, Project, TestDb};
use strata_schema::Engine;

const V1: u64 = 20260101000000;
const V2: u64 = 20260102000000;
const V3: u64 = 20260103000000;

/// Three ordinary migrations: users, posts, an index.
fn three(p: &Project) {
    p.write(
        V1,
        "create_users",
        "CREATE TABLE users (id integer PRIMARY KEY, name varchar(100) NOT NULL);\nINSERT INTO users (id, name) VALUES (1, 'ann; the first');\n",
        Some("DROP TABLE users;\n"),
    );
    p.write(
        V2,
        "create_posts",
        "CREATE TABLE posts (id integer PRIMARY KEY, user_id integer NOT NULL, body text);\n",
        Some("DROP TABLE posts;\n"),
    );
    p.add(
        V3,
        "index_posts",
        "CREATE INDEX posts_user_id ON posts (user_id);\n",
        Some("DROP INDEX posts_user_id ON posts;\n"),
    );
    if p.engine != Engine::Mysql {
        std::fs::write(
            p.migrations().join(format!("{V3}_index_posts.down.sql")),
            "DROP INDEX posts_user_id;\n",
        )
        .unwrap();
        p.rehash();
    }
}

fn states(p: &Project) -> Vec<(u64, String)> {
    let out = p.strata(&["--json", "status"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["version"].as_u64().unwrap(),
                m["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn s(list: &[(u64, &str)]) -> Vec<(u64, String)> {
    list.iter().map(|(v, s)| (*v, s.to_string())).collect()
}

fn apply_all_and_status(db: TestDb) {
    let p = Project::new(&db);
    three(&p);
    assert_eq!(
        states(&p),
        s(&[(V1, "pending"), (V2, "pending"), (V3, "pending")])
    );
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("applied 3 migration(s)"), "{out}");
    assert_eq!(
        states(&p),
        s(&[(V1, "applied"), (V2, "applied"), (V3, "applied")])
    );
    assert_eq!(db.scalar("SELECT COUNT(*) FROM users"), 1);
    assert_eq!(db.history_count(), 3);
    // Nothing pending: a second apply is a no-op.
    let (code, out, _) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0);
    assert!(out.contains("up to date"), "{out}");
    let (code, out, _) = run(&mut p.strata(&["status"]));
    assert_eq!(code, 0);
    assert!(out.contains("3 applied"), "{out}");
}

fn apply_to_and_rollback(db: TestDb) {
    let p = Project::new(&db);
    three(&p);
    p.strata(&["apply", "--to", &V2.to_string()])
        .assert()
        .success();
    assert_eq!(
        states(&p),
        s(&[(V1, "applied"), (V2, "applied"), (V3, "pending")])
    );
    p.strata(&["apply"]).assert().success();
    p.strata(&["rollback", "--steps", "2"]).assert().success();
    assert_eq!(
        states(&p),
        s(&[(V1, "applied"), (V2, "pending"), (V3, "pending")])
    );
    assert!(!db.table_exists("posts"));
    assert!(db.table_exists("users"));
    p.strata(&["apply"]).assert().success();
    p.strata(&["rollback", "--to", &V1.to_string()])
        .assert()
        .success();
    assert_eq!(
        states(&p),
        s(&[(V1, "applied"), (V2, "pending"), (V3, "pending")])
    );
    p.strata(&["rollback"]).assert().success();
    assert!(!db.table_exists("users"));
    assert_eq!(db.history_count(), 0);
    let (code, out, _) = run(&mut p.strata(&["rollback"]));
    assert_eq!(code, 0);
    assert!(out.contains("nothing to roll back"));
    // An unknown target version is an error, not a silent no-op.
    let (code, _, err) = run(&mut p.strata(&["apply", "--to", "20990101000000"]));
    assert_eq!(code, 2);
    assert!(err.contains("20990101000000"), "{err}");
}

fn dry_run_changes_nothing(db: TestDb) {
    let p = Project::new(&db);
    three(&p);
    let (code, out, err) = run(&mut p.strata(&["apply", "--dry-run"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("-- {V1}_create_users.up.sql")),
        "{out}"
    );
    assert!(out.contains("CREATE TABLE posts"), "{out}");
    assert!(!db.table_exists("users"));
    assert!(
        !db.table_exists("strata_history"),
        "dry run created the history table"
    );
    p.strata(&["apply", "--to", &V2.to_string()])
        .assert()
        .success();
    let (_, out, _) = run(&mut p.strata(&["apply", "--dry-run"]));
    assert!(!out.contains("CREATE TABLE users"), "{out}");
    assert!(out.contains("CREATE INDEX posts_user_id"), "{out}");
    let (code, out, _) = run(&mut p.strata(&["rollback", "--dry-run", "--steps", "2"]));
    assert_eq!(code, 0);
    assert!(out.contains("DROP TABLE posts"), "{out}");
    assert!(out.contains("DROP TABLE users"), "{out}");
    assert!(db.table_exists("posts"));
    assert_eq!(db.history_count(), 2);
}

/// PostgreSQL and SQLite roll the failed migration back; MySQL stops at the failed statement and
/// resumes there once the file is fixed.
fn failing_migration(db: TestDb) {
    let p = Project::new(&db);
    p.write(
        V1,
        "create_users",
        "CREATE TABLE users (id integer PRIMARY KEY);\n",
        Some("DROP TABLE users;\n"),
    );
    p.add(
        V2,
        "broken",
        "CREATE TABLE audit (id integer PRIMARY KEY);\n\nINSERT INTO no_such_table VALUES (1);\nCREATE TABLE after_it (id integer);\n",
        Some("DROP TABLE audit;\n"),
    );
    let (code, _, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&format!("{V2}_broken.up.sql")), "{err}");
    assert!(
        db.table_exists("users"),
        "the first migration stays applied"
    );
    let (code, out, _) = run(&mut p.strata(&["status"]));
    if db.engine == Engine::Mysql {
        assert!(err.contains(":3:"), "error names line 3: {err}");
        assert_eq!(code, 1, "a half-applied migration is a problem: {out}");
        assert!(db.table_exists("audit"), "MySQL commits DDL as it goes");
        assert!(out.contains("failed"), "{out}");
        assert!(
            out.contains(&format!("stopped at statement 2 ({V2}_broken.up.sql:3)")),
            "{out}"
        );
        // Rolling back a half-applied migration is refused.
        let (code, _, err) = run(&mut p.strata(&["rollback"]));
        assert_eq!(code, 1, "{err}");
        // Fix the failed statement; apply resumes at it (re-running statement 1 would fail).
        p.add(
            V2,
            "broken",
            "CREATE TABLE audit (id integer PRIMARY KEY);\n\nINSERT INTO users VALUES (1);\nCREATE TABLE after_it (id integer);\n",
            Some("DROP TABLE after_it;\nDROP TABLE audit;\n"),
        );
        let (code, out, err) = run(&mut p.strata(&["apply"]));
        assert_eq!(code, 0, "{out}{err}");
        assert_eq!(db.scalar("SELECT COUNT(*) FROM users"), 1);
        assert!(db.table_exists("after_it"));
        assert_eq!(states(&p), s(&[(V1, "applied"), (V2, "applied")]));
    } else {
        assert!(err.contains("no_such_table"), "{err}");
        assert_eq!(code, 0, "{out}");
        assert!(
            !db.table_exists("audit"),
            "the failed migration was rolled back"
        );
        assert_eq!(states(&p), s(&[(V1, "applied"), (V2, "pending")]));
        // PostgreSQL reports the error's position; SQLite's scripts run statement by
        // statement in strata's own loop, which knows where each one starts.
        assert!(err.contains(":3:"), "the error names line 3: {err}");
    }
}

/// `-- strata:no-transaction` on PostgreSQL and SQLite behaves like MySQL: progress per statement.
fn no_transaction_resumes(db: TestDb) {
    if db.engine == Engine::Mysql {
        return; // Every MySQL migration runs this way; `failing_migration` covers it.
    }
    let p = Project::new(&db);
    p.add(
        V1,
        "two_steps",
        "-- strata:no-transaction\nCREATE TABLE a (id integer);\nCREATE TABLE b (id integer REFERENCES nowhere_yet (id));\n",
        Some("DROP TABLE b;\nDROP TABLE a;\n"),
    );
    if db.engine == Engine::Sqlite {
        // SQLite accepts dangling references; make statement 2 fail differently.
        p.add(
            V1,
            "two_steps",
            "-- strata:no-transaction\nCREATE TABLE a (id integer);\nCREATE TABLE a (id integer);\n",
            Some("DROP TABLE b;\nDROP TABLE a;\n"),
        );
    }
    let (code, _, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&format!("{V1}_two_steps.up.sql:3")), "{err}");
    assert!(db.table_exists("a"));
    let (_, out, _) = run(&mut p.strata(&["status"]));
    assert!(out.contains("stopped at statement 2"), "{out}");
    // Changing a statement that already ran is refused.
    p.add(
        V1,
        "two_steps",
        "-- strata:no-transaction\nCREATE TABLE a2 (id integer);\nCREATE TABLE b (id integer);\n",
        Some("DROP TABLE b;\nDROP TABLE a;\n"),
    );
    let (code, _, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("statement 1"), "{err}");
    p.add(
        V1,
        "two_steps",
        "-- strata:no-transaction\nCREATE TABLE a (id integer);\nCREATE TABLE b (id integer);\n",
        Some("DROP TABLE b;\nDROP TABLE a;\n"),
    );
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(db.table_exists("b"));
    p.strata(&["rollback"]).assert().success();
    assert!(!db.table_exists("a"));
}

fn edited_applied_file_is_refused(db: TestDb) {
    let p = Project::new(&db);
    three(&p);
    p.strata(&["apply"]).assert().success();
    let up = p.migrations().join(format!("{V2}_create_posts.up.sql"));
    std::fs::write(
        &up,
        "CREATE TABLE posts (id integer PRIMARY KEY, extra text);\n",
    )
    .unwrap();
    // Without a rehash, strata.sum catches the edit.
    let (code, _, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("{V2}_create_posts.up.sql was edited")),
        "{err}"
    );
    // With a rehash, the history's checksum still catches it.
    p.rehash();
    let (code, _, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("{V2}_create_posts.up.sql was applied")),
        "{err}"
    );
    assert_eq!(
        states(&p),
        s(&[(V1, "applied"), (V2, "modified"), (V3, "applied")])
    );
    let (code, out, _) = run(&mut p.strata(&["validate"]));
    assert_eq!(code, 1);
    assert!(out.contains("modified"), "{out}");
}

fn crlf_copy_is_accepted(db: TestDb) {
    let p = Project::new(&db);
    three(&p);
    p.strata(&["apply"]).assert().success();
    for entry in std::fs::read_dir(p.migrations()).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("\u{feff}{}", text.replace('\n', "\r\n"))).unwrap();
    }
    let (code, out, err) = run(&mut p.strata(&["status"]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&mut p.strata(&["validate"]));
    assert_eq!(code, 0, "{out}{err}");
    p.strata(&["apply"]).assert().success();
    p.strata(&["rollback"]).assert().success();
}

fn files_added_or_removed_without_sum(db: TestDb) {
    let p = Project::new(&db);
    three(&p);
    p.strata(&["apply", "--to", &V1.to_string()])
        .assert()
        .success();
    p.write(
        20260104000000,
        "sneaky",
        "CREATE TABLE sneaky (id integer);\n",
        None,
    );
    let (code, _, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("20260104000000_sneaky.up.sql was added but strata.sum does not list it"),
        "{err}"
    );
    assert!(!db.table_exists("sneaky"));
    assert!(!db.table_exists("posts"), "nothing ran");
    std::fs::remove_file(p.migrations().join("20260104000000_sneaky.up.sql")).unwrap();
    std::fs::remove_file(p.migrations().join(format!("{V3}_index_posts.up.sql"))).unwrap();
    std::fs::remove_file(p.migrations().join(format!("{V3}_index_posts.down.sql"))).unwrap();
    let (code, _, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "{V3}_index_posts.up.sql is listed in strata.sum but the file is gone"
        )),
        "{err}"
    );
    assert!(!db.table_exists("posts"), "nothing ran");
}

fn missing_applied_file(db: TestDb) {
    let p = Project::new(&db);
    three(&p);
    p.strata(&["apply"]).assert().success();
    std::fs::remove_file(p.migrations().join(format!("{V3}_index_posts.up.sql"))).unwrap();
    std::fs::remove_file(p.migrations().join(format!("{V3}_index_posts.down.sql"))).unwrap();
    p.rehash();
    assert_eq!(
        states(&p),
        s(&[(V1, "applied"), (V2, "applied"), (V3, "missing")])
    );
    let (code, _, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 1);
    assert!(err.contains("missing"), "{err}");
    let (code, _, err) = run(&mut p.strata(&["rollback"]));
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("{V3}_index_posts.down.sql is missing")),
        "{err}"
    );
}

fn down_file_missing(db: TestDb) {
    let p = Project::new(&db);
    p.add(
        V1,
        "one",
        "CREATE TABLE one (id integer);\n",
        Some("DROP TABLE one;\n"),
    );
    p.add(V2, "two", "CREATE TABLE two (id integer);\n", None);
    p.strata(&["apply"]).assert().success();
    let (code, _, err) = run(&mut p.strata(&["rollback", "--steps", "2"]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("down file {V2}_two.down.sql is missing")),
        "{err}"
    );
    assert!(
        db.table_exists("one") && db.table_exists("two"),
        "nothing changed"
    );
    assert_eq!(db.history_count(), 2);
}

fn out_of_order_is_refused(db: TestDb) {
    let p = Project::new(&db);
    p.add(V2, "two", "CREATE TABLE two (id integer);\n", None);
    p.strata(&["apply"]).assert().success();
    p.add(V1, "one", "CREATE TABLE one (id integer);\n", None);
    let (code, _, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--out-of-order"), "{err}");
    p.strata(&["apply", "--out-of-order"]).assert().success();
    assert!(db.table_exists("one"));
}

fn seeds_run_shared_then_env(db: TestDb) {
    let p = Project::new(&db);
    p.add(
        V1,
        "roles",
        "CREATE TABLE roles (id integer PRIMARY KEY, name varchar(20) NOT NULL);\n",
        None,
    );
    p.strata(&["apply"]).assert().success();
    let seeds = p.path().join("seeds");
    std::fs::create_dir_all(seeds.join("dev")).unwrap();
    std::fs::create_dir_all(seeds.join("prod")).unwrap();
    std::fs::write(
        seeds.join("01_roles.sql"),
        "DELETE FROM roles;\nINSERT INTO roles VALUES (1, 'admin');\n",
    )
    .unwrap();
    // Runs after the shared seeds: it depends on their row.
    std::fs::write(
        seeds.join("dev").join("01_more.sql"),
        "INSERT INTO roles SELECT id + 1, 'dev' FROM roles WHERE name = 'admin';\n",
    )
    .unwrap();
    std::fs::write(
        seeds.join("prod").join("01_prod.sql"),
        "INSERT INTO roles VALUES (99, 'prod');\n",
    )
    .unwrap();
    let (code, out, err) = run(&mut p.strata(&["seed"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("ran 2 seed file(s)"), "{out}");
    assert_eq!(db.scalar("SELECT COUNT(*) FROM roles"), 2);
    assert_eq!(db.scalar("SELECT COUNT(*) FROM roles WHERE id = 99"), 0);
    // A failing seed names its file and line.
    std::fs::write(seeds.join("02_bad.sql"), "\nINSERT INTO nope VALUES (1);\n").unwrap();
    let (code, _, err) = run(&mut p.strata(&["seed"]));
    assert_eq!(code, 2);
    assert!(err.contains("02_bad.sql"), "{err}");
}

fn weird_history_table_names(db: TestDb) {
    let (table, schema) = ("hi\"st `ory` ü's", "sch\"ema `x` é");
    let mut extra = format!("history_table = {}\n", toml_str(table));
    if db.engine != Engine::Sqlite {
        extra.push_str(&format!("history_schema = {}\n", toml_str(schema)));
    }
    let p = Project::with_config(&db, &extra);
    three(&p);
    let (code, out, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        states(&p),
        s(&[(V1, "applied"), (V2, "applied"), (V3, "applied")])
    );
    p.strata(&["rollback", "--steps", "3"]).assert().success();
    assert!(!db.table_exists("users"));
    p.strata(&["apply"]).assert().success();
    let quoted = match db.engine {
        Engine::Sqlite => "\"hi\"\"st `ory` ü's\"".to_string(),
        Engine::Postgres => "\"sch\"\"ema `x` é\".\"hi\"\"st `ory` ü's\"".to_string(),
        Engine::Mysql => "`sch\"ema ``x`` é`.`hi\"st ``ory`` ü's`".to_string(),
    };
    assert_eq!(db.scalar(&format!("SELECT COUNT(*) FROM {quoted}")), 3);
    if db.engine != Engine::Sqlite {
        let drop = match db.engine {
            Engine::Postgres => "DROP SCHEMA \"sch\"\"ema `x` é\" CASCADE",
            _ => "DROP DATABASE `sch\"ema ``x`` é`",
        };
        db.exec(drop);
    }
}

/// A down file that fails part-way is recorded as "rollback failed" and resumed by the next
/// rollback once fixed (MySQL always runs statement by statement; elsewhere `no-transaction`).
fn rollback_failure_resumes(db: TestDb) {
    let p = Project::new(&db);
    let header = if db.engine == Engine::Mysql {
        ""
    } else {
        "-- strata:no-transaction\n"
    };
    p.add(
        V1,
        "pair",
        "CREATE TABLE a (id integer);\nCREATE TABLE b (id integer);\n",
        Some(&format!(
            "{header}DROP TABLE b;\nDROP TABLE no_such_table;\nDROP TABLE a;\n"
        )),
    );
    p.strata(&["apply"]).assert().success();
    let (code, _, err) = run(&mut p.strata(&["rollback"]));
    assert_eq!(code, 2, "{err}");
    let down = format!("{V1}_pair.down.sql");
    assert!(err.contains(&down), "{err}");
    assert!(!db.table_exists("b"));
    assert!(db.table_exists("a"));
    let (code, out, _) = run(&mut p.strata(&["status"]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("rollback failed"), "{out}");
    assert!(
        out.contains(&format!("stopped at statement 2 ({down}:")),
        "{out}"
    );
    let (code, _, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(
        code, 1,
        "apply refuses while a rollback is half done: {err}"
    );
    p.add(
        V1,
        "pair",
        "CREATE TABLE a (id integer);\nCREATE TABLE b (id integer);\n",
        Some(&format!(
            "{header}DROP TABLE b;\nDROP TABLE IF EXISTS no_such_table;\nDROP TABLE a;\n"
        )),
    );
    let (code, out, err) = run(&mut p.strata(&["--json", "rollback"]));
    assert_eq!(code, 0, "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["migrations"][0]["resumed_at"], 2, "{report}");
    assert!(!db.table_exists("a"));
    assert_eq!(db.history_count(), 0);
}

fn json_reports(db: TestDb) {
    let p = Project::new(&db);
    three(&p);
    let (code, out, err) = run(&mut p.strata(&["--json", "apply", "--dry-run"]));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["migrations"].as_array().unwrap().len(), 3);
    let (code, out, _) = run(&mut p.strata(&["--json", "apply"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["migrations"][2]["file"],
        format!("{V3}_index_posts.up.sql")
    );
    let (code, out, _) = run(&mut p.strata(&["--json", "validate"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["database_checked"], true);
    let (code, out, _) = run(&mut p.strata(&["--json", "rollback", "--to", &V1.to_string()]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["migrations"].as_array().unwrap().len(), 2);
}

fn toml_str(s: &str) -> String {
    format!("'''{s}'''")
}

on_all_engines!(
    apply_all_and_status,
    apply_to_and_rollback,
    dry_run_changes_nothing,
    failing_migration,
    no_transaction_resumes,
    edited_applied_file_is_refused,
    crlf_copy_is_accepted,
    files_added_or_removed_without_sum,
    missing_applied_file,
    down_file_missing,
    out_of_order_is_refused,
    seeds_run_shared_then_env,
    weird_history_table_names,
    rollback_failure_resumes,
    json_reports,
);
