//! strata's test support, shared by the test suites of every crate (a dev-dependency only).
//!
//! - [`server_url`]: the PostgreSQL / MySQL server of a test, from `STRATA_TEST_POSTGRES_URL` /
//!   `STRATA_TEST_MYSQL_URL`. Outside CI an unset variable skips the test with a printed notice;
//!   with `CI=true` it fails the test, so CI can never pass by skipping.
//! - [`ScratchDb`]: a database with a random name on that server, dropped when the value is
//!   (also when the test panics).
//! - [`fixtures`]: the workspace's fixture folders (the round-trip corpus, the diff fixtures).
//! - [`sql`]: one-off statements and integer queries from a synchronous test.
//! - [`compare`]: schema comparisons whose failure message is a readable line diff.

pub mod compare;
pub mod fixtures;
mod scratch;
mod server;
pub mod sql;

pub use scratch::ScratchDb;
pub use server::{block_on, in_ci, runtime, server_url, server_var, with_database};
