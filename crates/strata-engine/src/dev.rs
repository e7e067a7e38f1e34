//! The dev database: where schema files and migrations are replayed so that the engine itself
//! parses them, and the result is inspected. SQLite uses an in-memory database; PostgreSQL and
//! MySQL a scratch database created on the dev server and always dropped.

use crate::database::{connect, Database};
use crate::error::EngineError;
use crate::url::{engine_of, redact, with_database};
use crate::{ConnectOptions, SchemaDriver};
use strata_migrate::split::split;
use strata_migrate::{Driver, DriverError, MigrationSet};
use strata_schema::{Engine, Schema};

/// A statement of a schema file or migration that the dev database refused.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ReplayError {
    /// The file as the caller named it (a migration's path inside the migrations folder).
    pub file: String,
    /// The 1-based line in the file where the engine located the error (the statement's first line
    /// when it gave no position).
    pub line: usize,
    /// The engine's message.
    pub message: String,
}

/// A scratch database for replaying SQL.
pub struct DevDatabase {
    /// The connection to the dev database; for PostgreSQL and MySQL, to the scratch database.
    pub db: Database,
    engine: Engine,
    /// (admin URL, database name) of a scratch database to drop.
    scratch: Option<(String, String)>,
}

/// The prefix of scratch database names, so leftovers are recognisable.
pub const SCRATCH_PREFIX: &str = "strata_dev_";

impl DevDatabase {
    /// Creates a dev database for `engine`: in memory for SQLite, else a scratch database on the
    /// server of `dev_url`.
    pub async fn create(engine: Engine, dev_url: Option<&str>) -> Result<DevDatabase, EngineError> {
        if engine == Engine::Sqlite {
            let db = connect(&ConnectOptions::new("sqlite::memory:")).await?;
            return Ok(DevDatabase {
                db,
                engine,
                scratch: None,
            });
        }
        let admin = dev_url.ok_or_else(|| {
            EngineError::Config(format!(
                "a {engine} project needs a dev database server: set dev_url in the environment of strata.toml (e.g. dev_url = \"postgres://localhost/postgres\"), or a url strata can derive it from"
            ))
        })?;
        if engine_of(admin)? != engine {
            return Err(EngineError::Config(format!(
                "dev_url {} is not a {engine} URL",
                redact(admin)
            )));
        }
        let name = format!("{SCRATCH_PREFIX}{}_{:08x}", std::process::id(), rand_u32());
        let mut server = connect(&ConnectOptions::new(admin)).await?;
        server
            .execute(&format!("CREATE DATABASE {name}"))
            .await
            .map_err(|e| EngineError::Connect {
                url: redact(admin),
                message: format!("cannot create the scratch database {name}: {e}"),
            })?;
        drop(server);
        let url = with_database(admin, &name);
        match connect(&ConnectOptions::new(&url)).await {
            Ok(db) => Ok(DevDatabase {
                db,
                engine,
                scratch: Some((admin.to_string(), name)),
            }),
            Err(e) => {
                drop_scratch(engine, admin, &name).await;
                Err(e)
            }
        }
    }

    /// Executes a file statement by statement; an error names the file and the statement's line.
    pub async fn run_file(&mut self, file: &str, text: &str) -> Result<(), ReplayError> {
        let text = strata_migrate::checksum::normalize(text);
        for stmt in split(&text, self.engine) {
            let mut result = self.db.execute(&stmt.sql).await;
            if result.is_ok() && self.engine == Engine::Sqlite && creates_view(&stmt.sql) {
                // SQLite accepts a view over missing tables and fails only when it is used.
                result = self.check_last_view().await;
            }
            if let Err(e) = result {
                let line = stmt.line
                    + e.position
                        .map(|p| stmt.sql[..p.min(stmt.sql.len())].matches('\n').count())
                        .unwrap_or(0);
                return Err(ReplayError {
                    file: file.to_string(),
                    line,
                    message: e.message,
                });
            }
        }
        Ok(())
    }

    /// Reads the newest view once so SQLite reports what it refers to that does not exist.
    async fn check_last_view(&mut self) -> Result<(), DriverError> {
        let Database::Sqlite(db) = &mut self.db else {
            return Ok(());
        };
        db.check_last_view().await
    }

    /// Replays the up files of `set` (those with version ≤ `upto`, all when `None`).
    pub async fn run_migrations(
        &mut self,
        set: &MigrationSet,
        upto: Option<&dyn Fn(i64) -> bool>,
    ) -> Result<(), ReplayError> {
        for m in &set.migrations {
            if upto.is_some_and(|f| !f(m.version)) {
                continue;
            }
            let label = set.dir.join(&m.up.file).display().to_string();
            self.run_file(&label, &m.up.text).await?;
        }
        Ok(())
    }

    /// The schema of the dev database.
    pub async fn inspect(&mut self) -> Result<Schema, DriverError> {
        // Settings the replayed files made (pg_dump empties search_path) must not change how the
        // catalog prints names: inspect with the session's defaults.
        if self.engine == Engine::Postgres {
            self.db.execute("RESET ALL").await?;
        }
        self.db.inspect().await
    }

    /// Drops the scratch database (call it on every path, errors included).
    pub async fn close(self) {
        let DevDatabase {
            db,
            engine,
            scratch,
        } = self;
        drop(db);
        if let Some((admin, name)) = scratch {
            drop_scratch(engine, &admin, &name).await;
        }
    }
}

fn creates_view(sql: &str) -> bool {
    let words: Vec<String> = sql
        .split_whitespace()
        .take(4)
        .map(|w| w.to_ascii_uppercase())
        .collect();
    words.first().map(String::as_str) == Some("CREATE")
        && words.iter().skip(1).take(2).any(|w| w == "VIEW")
}

async fn drop_scratch(engine: Engine, admin: &str, name: &str) {
    let sql = match engine {
        Engine::Postgres => format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        _ => format!("DROP DATABASE IF EXISTS {name}"),
    };
    if let Ok(mut server) = connect(&ConnectOptions::new(admin)).await {
        let _ = server.execute(&sql).await;
    }
}

fn rand_u32() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    h.finish() as u32
}
