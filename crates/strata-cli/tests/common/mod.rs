//! Test support: scratch databases on each engine, throw-away projects and the strata binary.
//!
//! PostgreSQL and MySQL tests read `STRATA_TEST_POSTGRES_URL` / `STRATA_TEST_MYSQL_URL`. Outside CI an
//! unset variable skips the test with a notice; with `CI=true` it fails.

#![allow(dead_code)]

use assert_cmd::Command;
use sqlx::Connection;
use std::path::{Path, PathBuf};
use strata_schema::Engine;
pub use strata_testkit::runtime;
use strata_testkit::ScratchDb;

/// A fresh database for one test, dropped when the value is: a SQLite file in a temporary
/// folder, or a scratch database on the PostgreSQL/MySQL test server.
pub struct TestDb {
    pub engine: Engine,
    pub url: String,
    scratch: Option<ScratchDb>,
    _dir: Option<tempfile::TempDir>,
}

/// Runs SQL on the database of `url` through strata's own driver (a SQLite file is created).
fn run_sql(url: &str, sql: &str) {
    use strata_migrate::Driver;
    let (url, sql) = (url.to_string(), sql.to_string());
    runtime().block_on(async move {
        let mut db = strata_engine::connect(&strata_engine::ConnectOptions::new(&url))
            .await
            .unwrap();
        db.execute(&sql)
            .await
            .unwrap_or_else(|e| panic!("{e}\n--- SQL\n{sql}"));
    });
}

impl TestDb {
    /// A fresh database, or `None` when the engine's server is not configured (outside CI).
    pub fn new(engine: Engine) -> Option<TestDb> {
        Some(match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("test.db");
                TestDb {
                    engine,
                    url: format!("sqlite://{}", path.display()),
                    scratch: None,
                    _dir: Some(dir),
                }
            }
            _ => {
                let scratch = ScratchDb::new(engine)?;
                TestDb {
                    engine,
                    url: scratch.url.clone(),
                    scratch: Some(scratch),
                    _dir: None,
                }
            }
        })
    }

    /// Runs SQL on the test database.
    pub fn exec(&self, sql: &str) {
        run_sql(&self.url, sql);
    }

    /// The first column of the first row of a query returning an integer.
    pub fn scalar(&self, sql: &str) -> i64 {
        strata_testkit::sql::scalar(self.engine, &self.url, sql)
    }

    /// Every row of a MySQL query whose columns are all text, each row's columns joined by " | ".
    pub fn mysql_rows(&self, sql: &str) -> Vec<String> {
        assert_eq!(self.engine, Engine::Mysql);
        let (url, sql) = (self.url.clone(), sql.to_string());
        runtime().block_on(async move {
            use sqlx::Row;
            let mut c = sqlx::MySqlConnection::connect(&url).await.unwrap();
            sqlx::query(&sql)
                .fetch_all(&mut c)
                .await
                .unwrap_or_else(|e| panic!("{e}\n--- SQL\n{sql}"))
                .iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| {
                            r.get::<Option<String>, _>(i)
                                .unwrap_or_else(|| "NULL".into())
                        })
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .collect()
        })
    }

    /// The database's name on its server (empty for SQLite).
    pub fn name(&self) -> &str {
        self.scratch.as_ref().map_or("", |s| s.name.as_str())
    }

    /// Whether a table exists in the test database's default schema.
    pub fn table_exists(&self, table: &str) -> bool {
        if let Some(path) = self.url.strip_prefix("sqlite://") {
            if !Path::new(path).exists() {
                return false;
            }
        }
        let sql = match self.engine {
            Engine::Sqlite => format!(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"
            ),
            Engine::Postgres => format!(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{table}'"
            ),
            Engine::Mysql => format!(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{table}'"
            ),
        };
        self.scalar(&sql) > 0
    }

    /// Number of rows in the default history table.
    pub fn history_count(&self) -> i64 {
        self.scalar("SELECT COUNT(*) FROM strata_history")
    }
}

/// A throw-away project folder with strata.toml pointing at a test database.
pub struct Project {
    pub dir: tempfile::TempDir,
    pub engine: Engine,
    pub url: String,
}

impl Project {
    pub fn new(db: &TestDb) -> Project {
        Project::with_config(db, "")
    }

    /// A project whose `[project]` section gets `extra` lines.
    pub fn with_config(db: &TestDb, extra: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        let toml = format!(
            "[project]\nengine = \"{}\"\n{extra}\n[env.dev]\nurl = \"{}\"\n",
            db.engine, db.url
        );
        std::fs::write(dir.path().join("strata.toml"), toml).unwrap();
        std::fs::create_dir_all(dir.path().join("migrations")).unwrap();
        Project {
            dir,
            engine: db.engine,
            url: db.url.clone(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn migrations(&self) -> PathBuf {
        self.path().join("migrations")
    }

    /// Writes a migration pair (no down when `down` is None) without touching strata.sum.
    pub fn write(&self, version: u64, name: &str, up: &str, down: Option<&str>) {
        let stem = self.migrations().join(format!("{version}_{name}"));
        std::fs::write(stem.with_extension("up.sql"), up).unwrap();
        if let Some(d) = down {
            std::fs::write(stem.with_extension("down.sql"), d).unwrap();
        }
    }

    /// Writes a migration pair and rewrites strata.sum, as a developer would with `strata new`.
    pub fn add(&self, version: u64, name: &str, up: &str, down: Option<&str>) {
        self.write(version, name, up, down);
        self.rehash();
    }

    pub fn rehash(&self) {
        self.strata(&["validate", "--rehash"]).assert().success();
    }

    /// The strata binary, run in this project's folder.
    pub fn strata(&self, args: &[&str]) -> Command {
        let mut c = strata();
        c.current_dir(self.path()).args(args);
        c
    }
}

/// The strata binary with a clean environment (no DATABASE_URL from the developer's shell).
pub fn strata() -> Command {
    let mut c = Command::cargo_bin("strata").unwrap();
    c.env_remove("DATABASE_URL").env_remove("STRATA_ENV");
    c
}

/// Output of a finished command as text: (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Declares one `#[test]` per engine for a scenario `fn(Engine)`.
#[macro_export]
macro_rules! on_all_engines {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite { $( #[test] fn $scenario() { if let Some(db) = $crate::common::TestDb::new(strata_schema::Engine::Sqlite) { super::$scenario(db) } } )* }
        mod postgres { $( #[test] fn $scenario() { if let Some(db) = $crate::common::TestDb::new(strata_schema::Engine::Postgres) { super::$scenario(db) } } )* }
        mod mysql { $( #[test] fn $scenario() { if let Some(db) = $crate::common::TestDb::new(strata_schema::Engine::Mysql) { super::$scenario(db) } } )* }
    };
}

/// Declares one `#[test]` per server engine (PostgreSQL, MySQL) for a scenario `fn(TestDb)`
/// that has no SQLite counterpart (a network, a server session).
#[macro_export]
macro_rules! on_server_engines {
    ($($scenario:ident),* $(,)?) => {
        mod postgres { $( #[test] fn $scenario() { if let Some(db) = $crate::common::TestDb::new(strata_schema::Engine::Postgres) { super::$scenario(db) } } )* }
        mod mysql { $( #[test] fn $scenario() { if let Some(db) = $crate::common::TestDb::new(strata_schema::Engine::Mysql) { super::$scenario(db) } } )* }
    };
}

/// The strata binary started in `dir` with `args` (clean environment, output captured), for
/// tests that signal it or act on the server while it runs.
pub fn spawn(dir: &Path, args: &[&str]) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("strata"))
        .current_dir(dir)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("STRATA_ENV")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Sends `signal` (e.g. "-INT") to a spawned strata.
pub fn signal(child: &std::process::Child, signal: &str) {
    std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
}

/// Waits for a spawned strata: (exit code, stderr).
pub fn finish(child: std::process::Child) -> (i32, String) {
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The message of a run cut off by the connection or the server: exit 2, the cause named as
/// such, the file said to be fine, and no advice to edit or rehash it.
pub fn assert_transient(code: i32, err: &str) {
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("the connection to the server was lost")
            || err.contains("the server ended the session"),
        "{err}"
    );
    assert!(err.contains("The file is fine"), "{err}");
    assert!(!err.contains("rehash") && !err.contains("Fix "), "{err}");
}

/// Copies a folder tree (an example project into a temporary folder).
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
