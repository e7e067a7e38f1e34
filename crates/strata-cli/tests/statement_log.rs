//! The statement log (`-v`, `--log-level`, `STRATA_LOG`, `--log-format json`) and the progress
//! spinner: what reaches stderr, on every engine, and what never does (passwords, anything
//! without a flag).
//!
//! Durations vary from run to run, so these assert on the lines rather than snapshot them.

mod common;

use common::{run, Project, TestDb};
use strata_schema::Engine;

const V1: u64 = 20260101000000;

/// Statements each engine accepts as written, distinctive enough to find in a log.
const STATEMENTS: [&str; 3] = [
    "CREATE TABLE log_users (id integer PRIMARY KEY, name varchar(50))",
    "CREATE TABLE log_posts (id integer PRIMARY KEY, user_id integer NOT NULL)",
    "CREATE INDEX log_posts_user_id ON log_posts (user_id)",
];

fn project_with_migration(db: &TestDb) -> Project {
    let p = Project::new(db);
    let up: String = STATEMENTS.iter().map(|s| format!("{s};\n")).collect();
    p.add(V1, "logged", &up, None);
    p
}

fn verbose_apply_logs_every_statement_with_its_duration(db: TestDb) {
    let p = project_with_migration(&db);
    let (code, out, err) = run(&mut p.strata(&["-v", "apply"]));
    assert_eq!(code, 0, "{err}");
    // The log is on stderr only: stdout says what it said without -v.
    assert!(!out.contains("sqlx::query"), "{out}");
    assert!(out.contains("applied 1 migration(s)"), "{out}");
    for statement in STATEMENTS {
        let line = err
            .lines()
            .find(|l| l.contains(statement))
            .unwrap_or_else(|| panic!("{statement} is not in the log:\n{err}"));
        assert!(line.contains(" INFO "), "{line}");
        assert!(line.contains("elapsed="), "{line}");
        assert!(line.contains("db{url="), "{line}");
        if db.engine != Engine::Sqlite {
            assert!(line.contains("backend="), "{line}");
        }
    }
    // The history write and the lock are statements strata runs too.
    assert!(err.contains("strata_history"), "{err}");
}

fn json_log_lines_parse_and_carry_statement_and_duration(db: TestDb) {
    let p = project_with_migration(&db);
    let (code, _, err) = run(&mut p.strata(&["-v", "--log-format", "json", "apply"]));
    assert_eq!(code, 0, "{err}");
    // strata's own notice about lint warnings is a message to the user, not a log line.
    let lines: Vec<serde_json::Value> = err
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("lint: "))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: not JSON: {l}")))
        .collect();
    for statement in STATEMENTS {
        let line = lines
            .iter()
            .find(|v| {
                let f = &v["fields"];
                [&f["summary"], &f["db.statement"]]
                    .iter()
                    .any(|s| s.as_str().is_some_and(|s| s.contains(statement)))
            })
            .unwrap_or_else(|| panic!("{statement} is in no JSON line:\n{err}"));
        assert!(line["fields"]["elapsed_secs"].is_f64(), "{line}");
        assert_eq!(line["level"], "INFO", "{line}");
        assert_eq!(line["span"]["name"], "db", "{line}");
        assert!(line["span"]["url"].is_string(), "{line}");
        if db.engine != Engine::Sqlite {
            assert!(line["span"]["backend"].is_i64(), "{line}");
        }
    }
}

fn strata_log_filters_like_env_filter(db: TestDb) {
    let p = project_with_migration(&db);
    let mut cmd = p.strata(&["apply"]);
    cmd.env("STRATA_LOG", "sqlx::query=info,strata=info");
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(STATEMENTS[0]), "{err}");

    let mut cmd = p.strata(&["status"]);
    cmd.env("STRATA_LOG", "sqlx::query=nonsense");
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("STRATA_LOG"), "{err}");
}

fn without_a_flag_nothing_is_logged(db: TestDb) {
    let p = project_with_migration(&db);
    let (code, _, err) = run(&mut p.strata(&["apply"]));
    assert_eq!(code, 0, "{err}");
    // What remains is strata's own notice about lint warnings (PostgreSQL, MySQL).
    assert!(err.lines().all(|l| l.starts_with("lint: ")), "{err}");
    let (code, _, err) = run(&mut p.strata(&["--log-level", "off", "-v", "status"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
}

on_all_engines!(
    verbose_apply_logs_every_statement_with_its_duration,
    json_log_lines_parse_and_carry_statement_and_duration,
    strata_log_filters_like_env_filter,
    without_a_flag_nothing_is_logged,
);

const PASSWORD: &str = "Zq7pLogSecret42";

/// A user of the test database that logs in with [`PASSWORD`], and the URL that names it;
/// the user is dropped when the guard is.
struct PasswordUser<'a> {
    db: &'a TestDb,
    user: String,
    url: String,
}

impl<'a> PasswordUser<'a> {
    fn new(db: &'a TestDb) -> PasswordUser<'a> {
        let user = format!("{}_pw", db.name());
        match db.engine {
            Engine::Postgres => db.exec(&format!(
                "CREATE ROLE {user} LOGIN PASSWORD '{PASSWORD}'; GRANT ALL ON SCHEMA public TO {user}"
            )),
            _ => db.exec(&format!(
                "CREATE USER '{user}'@'%' IDENTIFIED BY '{PASSWORD}'; GRANT ALL ON {}.* TO '{user}'@'%'",
                db.name()
            )),
        }
        let (scheme, rest) = db.url.split_once("://").unwrap();
        let host = &rest[rest.rfind('@').map_or(0, |at| at + 1)..];
        let url = format!("{scheme}://{user}:{PASSWORD}@{host}");
        PasswordUser { db, user, url }
    }
}

impl Drop for PasswordUser<'_> {
    fn drop(&mut self) {
        let user = &self.user;
        match self.db.engine {
            Engine::Postgres => self
                .db
                .exec(&format!("DROP OWNED BY {user}; DROP ROLE {user}")),
            _ => self.db.exec(&format!("DROP USER '{user}'@'%'")),
        }
    }
}

/// The password of the URL appears nowhere, whatever is logged: the span names the database
/// by the URL `strata_engine::url::redact` prints. The local PostgreSQL trusts 127.0.0.1 and
/// never asks for the password, which is still in the URL and must still be hidden.
fn password_never_reaches_the_log(db: TestDb) {
    let p = project_with_migration(&db);
    let user = PasswordUser::new(&db);
    for args in [
        &["-vvv", "--url", &user.url, "apply"][..],
        &["-v", "--log-format", "json", "--url", &user.url, "status"][..],
        &["-v", "--url", &user.url, "inspect"][..],
    ] {
        let (code, out, err) = run(&mut p.strata(args));
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(
            !err.contains(PASSWORD),
            "{args:?} printed the password:\n{err}"
        );
        assert!(
            !out.contains(PASSWORD),
            "{args:?} printed the password:\n{out}"
        );
        assert!(err.contains(&format!("{}:***@", user.user)), "{err}");
    }
}

/// A module of its own: the engine modules `on_all_engines!` declared above are taken.
mod redaction {
    use super::password_never_reaches_the_log;
    crate::on_server_engines!(password_never_reaches_the_log);
}

/// A SQLite database of 1,000 tables, and a project pointing at it.
fn thousand_tables() -> (TestDb, Project) {
    let db = TestDb::new(Engine::Sqlite).unwrap();
    let ddl: String = (0..1000)
        .map(|i| format!("CREATE TABLE t{i:04} (id integer PRIMARY KEY, name text NOT NULL);\n"))
        .collect();
    db.exec(&ddl);
    let p = Project::new(&db);
    (db, p)
}

/// On a terminal `strata inspect` shows what it is doing; `script` (util-linux) gives it a
/// pseudo-terminal and copies everything drawn there to its stdout.
#[test]
fn inspect_shows_progress_on_a_terminal() {
    let (_db, p) = thousand_tables();
    let strata = assert_cmd::cargo::cargo_bin("strata");
    let out = std::process::Command::new("script")
        .current_dir(p.path())
        .env_remove("DATABASE_URL")
        .env_remove("STRATA_ENV")
        .args([
            "-qec",
            &format!("{} inspect", strata.display()),
            "/dev/null",
        ])
        .output()
        .expect("script (util-linux) runs a command on a pseudo-terminal");
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{screen}");
    assert!(screen.contains("CREATE TABLE t0999"), "{screen}");
    assert!(
        screen.contains("inspecting"),
        "no progress on the terminal:\n{screen}"
    );
}

#[test]
fn inspect_shows_no_progress_in_a_pipe() {
    let (_db, p) = thousand_tables();
    let (code, out, err) = run(&mut p.strata(&["inspect"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("CREATE TABLE t0999"));
    assert_eq!(err, "");
}
