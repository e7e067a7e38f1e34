//! Test support: schemas built by the engine itself from SQL, on a dev database of each engine.
//!
//! SQLite runs in memory. PostgreSQL and MySQL use `STRATA_TEST_POSTGRES_URL` /
//! `STRATA_TEST_MYSQL_URL` (a server strata may create scratch databases on); unset, the test is
//! skipped with a notice, except with `CI=true`, where it fails.

#![allow(dead_code)]

use strata_engine::dev::DevDatabase;
use strata_schema::{Engine, Schema};

/// Whether the tests run in CI (see `strata_testkit::in_ci`).
pub fn ci() -> bool {
    strata_testkit::in_ci()
}

/// The dev server URL of `engine`: `Some(None)` for SQLite, `None` to skip.
pub fn server(engine: Engine) -> Option<Option<String>> {
    match engine {
        Engine::Sqlite => Some(None),
        _ => strata_testkit::server_url(engine).map(Some),
    }
}

/// The schemas after each file, replayed in order on one dev database (the first is the empty
/// database's); `None` when the engine's server is not configured.
pub fn states(engine: Engine, files: &[&str]) -> Option<Vec<Schema>> {
    let url = server(engine)?;
    Some(strata_testkit::runtime().block_on(async move {
        let mut dev = DevDatabase::create(engine, url.as_deref()).await.unwrap();
        let mut out = Vec::new();
        let mut result = Ok(());
        match dev.inspect().await {
            Ok(s) => out.push(s),
            Err(e) => result = Err(e.to_string()),
        }
        for (i, sql) in files.iter().enumerate() {
            if result.is_err() {
                break;
            }
            if let Err(e) = dev.run_file(&format!("file{i}.sql"), sql).await {
                result = Err(e.to_string());
                break;
            }
            match dev.inspect().await {
                Ok(s) => out.push(s),
                Err(e) => result = Err(e.to_string()),
            }
        }
        dev.close().await;
        if let Err(e) = result {
            panic!("{engine}: {e}");
        }
        out
    }))
}

/// The schema the engine makes of `sql`.
pub fn schema(engine: Engine, sql: &str) -> Option<Schema> {
    states(engine, &[sql]).map(|mut s| s.pop().unwrap())
}
