//! Scratch databases on a test server.

use sqlx::{Connection, MySqlConnection, PgConnection};
use std::sync::atomic::{AtomicU64, Ordering};
use strata_schema::Engine;

/// A database with a random name on a PostgreSQL or MySQL test server, dropped (with its open
/// sessions, on PostgreSQL) when the value is, also while a failing test unwinds.
pub struct ScratchDb {
    /// The engine of the server.
    pub engine: Engine,
    /// The URL of the scratch database (the admin URL with its database replaced).
    pub url: String,
    /// The database's name on the server.
    pub name: String,
    admin_url: String,
}

/// A name no other test (of this or another process) picks: unquoted-safe on both engines.
fn fresh_name() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "strata_t_{}_{}_{:08x}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        rand::random::<u32>()
    )
}

impl ScratchDb {
    /// A scratch database on the server of `engine` from the environment, or `None` when the
    /// server is not configured outside CI (see [`crate::server_url`]). Callable from a
    /// synchronous test and inside a runtime.
    pub fn new(engine: Engine) -> Option<ScratchDb> {
        assert_ne!(
            engine,
            Engine::Sqlite,
            "SQLite needs a file, not a scratch database"
        );
        let admin = crate::server_url(engine)?;
        Some(crate::block_on(move || async move {
            ScratchDb::create(engine, &admin).await
        }))
    }

    /// A scratch database on the server `admin_url` points at (asynchronously, so a test can
    /// create several at once).
    pub async fn create(engine: Engine, admin_url: &str) -> ScratchDb {
        let name = fresh_name();
        admin_sql(engine, admin_url, &format!("CREATE DATABASE {name}"))
            .await
            .unwrap_or_else(|e| {
                panic!("create the scratch database {name} on the {engine} test server: {e}")
            });
        ScratchDb {
            engine,
            url: crate::with_database(admin_url, &name),
            name,
            admin_url: admin_url.to_string(),
        }
    }

    /// A new PostgreSQL session on the scratch database.
    pub async fn pg(&self) -> PgConnection {
        assert_eq!(
            self.engine,
            Engine::Postgres,
            "pg() on a {} database",
            self.engine
        );
        PgConnection::connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("connect to the scratch database {}: {e}", self.name))
    }

    /// A new MySQL session on the scratch database.
    pub async fn mysql(&self) -> MySqlConnection {
        assert_eq!(
            self.engine,
            Engine::Mysql,
            "mysql() on a {} database",
            self.engine
        );
        MySqlConnection::connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("connect to the scratch database {}: {e}", self.name))
    }
}

/// Runs `sql` on the server's admin connection.
async fn admin_sql(engine: Engine, admin_url: &str, sql: &str) -> Result<(), sqlx::Error> {
    match engine {
        Engine::Postgres => {
            let mut c = PgConnection::connect(admin_url).await?;
            sqlx::raw_sql(sql).execute(&mut c).await?;
            c.close().await
        }
        Engine::Mysql => {
            let mut c = MySqlConnection::connect(admin_url).await?;
            sqlx::raw_sql(sql).execute(&mut c).await?;
            c.close().await
        }
        Engine::Sqlite => unreachable!("SQLite has no server"),
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        let sql = match self.engine {
            // FORCE ends the sessions a test left open (a held lock, a killed child's session).
            Engine::Postgres => format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            _ => format!("DROP DATABASE IF EXISTS {}", self.name),
        };
        let (engine, admin) = (self.engine, self.admin_url.clone());
        // Drop also runs while a failed test unwinds: a second panic would abort the run, so a
        // database that cannot be dropped is left for the server's owner, with a notice.
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            crate::runtime().block_on(async move { admin_sql(engine, &admin, &sql).await })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("notice: could not drop the scratch database {name}; drop it by hand");
        }
    }
}
