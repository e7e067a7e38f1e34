use strata_schema::{quote, Engine};

/// Where the history table lives: its name and, optionally, its schema (PostgreSQL namespace or
/// MySQL database). Names are quoted safely whatever characters they hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryTable {
    pub schema: Option<String>,
    pub name: String,
}

impl Default for HistoryTable {
    fn default() -> Self {
        HistoryTable {
            schema: None,
            name: "strata_history".to_string(),
        }
    }
}

impl HistoryTable {
    /// The quoted, possibly qualified name of the history table.
    pub fn qualified(&self, engine: Engine) -> String {
        quote::qualified(engine, self.schema.as_deref(), &self.name)
    }

    /// The quoted name of a companion table (e.g. SQLite's lock table) beside the history table.
    pub fn sibling(&self, engine: Engine, suffix: &str) -> String {
        quote::qualified(
            engine,
            self.schema.as_deref(),
            &format!("{}{suffix}", self.name),
        )
    }
}
