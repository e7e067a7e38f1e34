//! strata's database engines: connecting by URL and the migration primitives
//! ([`strata_migrate::Driver`]) for SQLite, PostgreSQL and MySQL/MariaDB.
//!
//! Applying a project's migrations from Rust (the README's "As a library" example, compiled by
//! `cargo test --doc`):
//!
//! ```no_run
//! use strata_engine::{connect, ConnectOptions};
//! use strata_migrate::{MigrationSet, Migrator};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let set = MigrationSet::load("migrations".as_ref())?; // or embedded, see the README
//! let mut db = connect(&ConnectOptions::new("postgres://app@localhost/app")).await?;
//! let report = Migrator::new(set).apply(&mut db, None, false, &mut |_event| {}).await?;
//! # let _ = report;
//! # Ok(())
//! # }
//! ```

mod database;
pub mod dev;
mod error;
pub mod hints;
mod history_table;
mod mysql;
mod postgres;
mod schema_ops;
mod sqlite;
mod stats;
pub mod tls;
pub mod url;

pub use database::{connect, dialect, ConnectOptions, Database};
pub use error::EngineError;
pub use history_table::HistoryTable;
pub use mysql::MySql;
pub use postgres::Postgres;
pub use schema_ops::SchemaDriver;
pub use sqlite::Sqlite;
pub use stats::TableStats;
pub use tls::{Security, TlsMode, TlsSettings, Verification};
