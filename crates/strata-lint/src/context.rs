//! What the linter knows about the database a migration will run against.

use std::collections::BTreeMap;
use strata_schema::Schema;

/// Facts about one table of the target database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableFacts {
    /// Estimated rows (PostgreSQL `reltuples`, MySQL `TABLE_ROWS`, SQLite `count(*)`).
    pub rows: i64,
    /// Estimated size on disk in bytes, when the engine tells.
    pub bytes: Option<i64>,
}

/// Context for rules: the schema before the migration and table sizes, when a database is known.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The schema the migration runs against (from the migrations before it, or the live database).
    pub schema: Option<Schema>,
    /// Facts by lowercase table name (unqualified, and `schema.table` when not in the default schema).
    pub tables: BTreeMap<String, TableFacts>,
    /// PostgreSQL server major version, when connected (lock behaviour differs across versions).
    pub server_major: Option<u32>,
}

/// Rows from which a locking statement on a table is treated as dangerous even without help
/// from the schema (a short lock on a small table is usually fine).
pub const LARGE_TABLE_ROWS: i64 = 100_000;

impl Context {
    /// Facts about `table` (matched case-insensitively, with or without schema).
    pub fn table(&self, table: &str) -> Option<TableFacts> {
        let key = table.trim_matches('"').trim_matches('`').to_lowercase();
        self.tables.get(&key).copied().or_else(|| {
            key.rsplit_once('.')
                .and_then(|(_, t)| self.tables.get(t).copied())
        })
    }

    /// "table orders has ~12M rows" for messages, when known.
    pub fn describe(&self, table: &str) -> Option<String> {
        self.table(table)
            .map(|f| format!("table {} has ~{} rows", table, human_count(f.rows)))
    }

    /// Whether a database was consulted (so "unknown table" means "new table").
    pub fn connected(&self) -> bool {
        !self.tables.is_empty() || self.schema.is_some()
    }
}

/// 12345678 → "12M", 5300 → "5.3k".
pub fn human_count(n: i64) -> String {
    let f = n as f64;
    if n >= 1_000_000_000 {
        format!("{:.0}G", f / 1e9)
    } else if n >= 10_000_000 {
        format!("{:.0}M", f / 1e6)
    } else if n >= 1_000_000 {
        format!("{:.1}M", f / 1e6)
    } else if n >= 10_000 {
        format!("{:.0}k", f / 1e3)
    } else if n >= 1_000 {
        format!("{:.1}k", f / 1e3)
    } else {
        n.to_string()
    }
}
