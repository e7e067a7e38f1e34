//! Which test server to use, and running async setup from anywhere.

use std::future::Future;
use strata_schema::Engine;

/// The environment variable naming the test server of `engine` (`None` for SQLite, which needs none).
pub fn server_var(engine: Engine) -> Option<&'static str> {
    match engine {
        Engine::Sqlite => None,
        Engine::Postgres => Some("STRATA_TEST_POSTGRES_URL"),
        Engine::Mysql => Some("STRATA_TEST_MYSQL_URL"),
    }
}

/// The server URL of `engine` for a test, or `None` (after printing a notice) when its variable
/// is unset outside CI.
///
/// With `CI=true` an unset variable panics: a suite that CI is meant to run must not pass by
/// skipping. SQLite needs no server and gets an empty string.
pub fn server_url(engine: Engine) -> Option<String> {
    let Some(var) = server_var(engine) else {
        return Some(String::new());
    };
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Some(v),
        _ if in_ci() => panic!(
            "{var} is not set but CI=true: the {engine} tests must run in CI \
             (export {var}, e.g. {})",
            example_url(engine)
        ),
        _ => {
            eprintln!("notice: {var} is not set; skipping this {engine} test");
            None
        }
    }
}

/// Whether the tests run in CI (`CI=true`), where nothing they need may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

fn example_url(engine: Engine) -> &'static str {
    match engine {
        Engine::Postgres => "postgres://postgres@127.0.0.1:5432/test",
        _ => "mysql://root@127.0.0.1:3306/test",
    }
}

/// `url` with its database (the path) replaced by `db`; the query string is kept.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").unwrap_or_else(|| {
        panic!("a server URL with a scheme (postgres://, mysql://), got {url:?}")
    }) + 3;
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{db}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// A current-thread runtime for a synchronous test.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime for the test")
}

/// Runs the future `make` returns to completion on a thread with its own runtime, so it works
/// both in a synchronous test and inside a test's runtime (where blocking on another runtime
/// would panic). The future itself need not be `Send` (sqlx's rarely are).
pub fn block_on<T, F>(make: impl FnOnce() -> F + Send + 'static) -> T
where
    T: Send + 'static,
    F: Future<Output = T>,
{
    std::thread::spawn(move || runtime().block_on(make()))
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn with_database_replaces_the_path_and_keeps_the_query() {
        assert_eq!(
            with_database("postgres://u@h:5432/test?sslmode=disable", "x"),
            "postgres://u@h:5432/x?sslmode=disable"
        );
        assert_eq!(with_database("mysql://root@h", "x"), "mysql://root@h/x");
    }
}
