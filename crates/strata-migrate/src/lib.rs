//! Versioned migrations: files, directives, checksums, `strata.sum`, history rows and the
//! [`Migrator`] algorithm that every engine shares through the [`Driver`] primitives.

pub mod checksum;
/// Header directives of migration files (shared with the linter).
pub mod directive {
    pub use strata_schema::directive::*;
}
mod driver;
pub mod embed;
mod error;
mod events;
pub mod history;
mod migration;
mod migrator;
mod plan;
pub mod scaffold;
pub mod seed;
mod source;
mod strategy;
/// Splitting SQL into statements (shared with the linter and the dev database).
pub mod split {
    pub use strata_schema::split::*;
}
mod status;
mod stop;
pub mod sum;

pub use checksum::Checksum;
pub use directive::Directives;
pub use driver::Driver;
pub use error::{DriverError, Error, Result, Transient};
pub use history::{HistoryRow, Operation};
pub use migration::{is_timestamp_version, slug, Migration, Script, Version};
pub use migrator::{Event, Migrator, Options, RollbackTarget, RunEntry, RunReport};
pub use source::MigrationSet;
pub use status::{MigrationStatus, State, StatusReport, StoppedAt};
pub use stop::{signal_name, Interrupt, Stop};
pub use strata_schema::Engine;
pub use sum::SumFile;
