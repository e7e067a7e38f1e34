//! One-off SQL on a test database from a synchronous test, on any engine.

use sqlx::{Connection, MySqlConnection, PgConnection, SqliteConnection};
use strata_schema::Engine;

/// Runs `$body` with `$c` bound to a new connection of `$engine` to `$url`, on a thread with its
/// own runtime (`crate::block_on`), so the caller may be inside a runtime or not.
macro_rules! with_connection {
    ($engine:expr, $url:expr, |$c:ident| $body:expr) => {{
        let (engine, url) = ($engine, $url.to_string());
        crate::block_on(move || async move {
            match engine {
                Engine::Postgres => {
                    let mut $c = connect::<PgConnection>(&url).await;
                    $body
                }
                Engine::Mysql => {
                    let mut $c = connect::<MySqlConnection>(&url).await;
                    $body
                }
                Engine::Sqlite => {
                    let mut $c = connect::<SqliteConnection>(&url).await;
                    $body
                }
            }
        })
    }};
}

async fn connect<C: Connection>(url: &str) -> C {
    C::connect(url)
        .await
        .unwrap_or_else(|e| panic!("connect to the test database: {e}"))
}

/// Runs `sql` (one or more statements) on the `engine` database at `url`; panics with the SQL.
pub fn execute(engine: Engine, url: &str, sql: &str) {
    let sql = sql.to_string();
    with_connection!(engine, url, |c| {
        if let Err(e) = sqlx::raw_sql(&sql).execute(&mut c).await {
            panic!("{e}\n--- SQL\n{sql}");
        }
    })
}

/// The first column of the first row of an integer query on the `engine` database at `url`.
pub fn scalar(engine: Engine, url: &str, sql: &str) -> i64 {
    let sql = sql.to_string();
    with_connection!(engine, url, |c| {
        sqlx::query_scalar::<_, i64>(&sql)
            .fetch_one(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{e}\n--- SQL\n{sql}"))
    })
}
