//! strata's database engines: connecting by URL and the migration primitives
//! ([`strata_migrate::Driver`]) for SQLite, PostgreSQL and MySQL/MariaDB.

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
