//! The primitives an engine implements; the algorithm that uses them lives in [`crate::Migrator`].

use crate::error::DriverError;
use crate::history::HistoryRow;
use crate::migration::Version;
use crate::stop::Interrupt;
use std::sync::Arc;
use std::time::Duration;
use strata_schema::{Engine, Name};

/// A connection to one target database that the migrator drives.
///
/// Every method works on the same session: the lock, the transaction and the statements.
#[allow(async_fn_in_trait)]
pub trait Driver {
    /// The engine of this connection.
    fn engine(&self) -> Engine;

    /// Tries once to take the migration lock; true when this session now holds it.
    async fn try_lock(&mut self) -> Result<bool, DriverError>;

    /// Describes who holds the lock (host, process, since when), when the engine can tell.
    async fn lock_holder(&mut self) -> Result<Option<String>, DriverError>;

    /// Releases the migration lock.
    async fn unlock(&mut self) -> Result<(), DriverError>;

    /// Creates the history table when it does not exist.
    async fn ensure_history(&mut self) -> Result<(), DriverError>;

    /// The history rows ordered by version, or `None` when the table does not exist yet.
    async fn read_history(&mut self) -> Result<Option<Vec<HistoryRow>>, DriverError>;

    /// Inserts or replaces the row of `row.version`.
    async fn write_history(&mut self, row: &HistoryRow) -> Result<(), DriverError>;

    /// Writes the row of a completed migration and commits the transaction around it — in one
    /// round trip where the engine allows.
    async fn write_history_and_commit(&mut self, row: &HistoryRow) -> Result<(), DriverError>;

    /// Deletes the row of `version`.
    async fn delete_history(&mut self, version: Version) -> Result<(), DriverError>;

    /// Starts a transaction.
    async fn begin(&mut self) -> Result<(), DriverError>;

    /// Commits the transaction.
    async fn commit(&mut self) -> Result<(), DriverError>;

    /// Rolls the transaction back.
    async fn rollback(&mut self) -> Result<(), DriverError>;

    /// Starts a transaction and runs `sql` in it — in one round trip where the engine allows.
    /// An error's position is relative to `sql`; after an error the transaction may be open.
    async fn begin_and_execute(&mut self, sql: &str) -> Result<(), DriverError>;

    /// Executes SQL text (one statement, or a whole script for transactional migrations).
    async fn execute(&mut self, sql: &str) -> Result<(), DriverError>;

    /// Switches foreign-key enforcement on or off for the session (outside transactions); an
    /// engine that cannot switch it off says so with an error, never by doing nothing.
    async fn set_foreign_keys(&mut self, on: bool) -> Result<(), DriverError>;

    /// Rows that violate a foreign key, described for an error message (checked before commit
    /// when enforcement was off).
    async fn foreign_key_violations(&mut self) -> Result<Vec<String>, DriverError>;

    /// What cancels the statement this session runs, from any thread (for Ctrl-C and SIGTERM).
    async fn interrupter(&mut self) -> Result<Arc<dyn Interrupt>, DriverError>;

    /// The number of rows of `table` (`None` when it does not exist), for the data-survival
    /// guard around planned table rebuilds.
    async fn count_rows(&mut self, table: &Name) -> Result<Option<i64>, DriverError>;

    /// Bounds how long statements wait for locks (`None` restores the session default);
    /// `local` limits it to the current transaction.
    async fn set_lock_timeout(
        &mut self,
        timeout: Option<Duration>,
        local: bool,
    ) -> Result<(), DriverError>;
}
