//! What an engine adds on top of migrations for declarative schemas: inspecting a live database
//! into the [`Schema`] model, and the [`Dialect`] that renders changes as its SQL.

use strata_diff::Dialect;
use strata_migrate::DriverError;
use strata_schema::Schema;

/// A connection that can describe its database's schema.
#[allow(async_fn_in_trait)]
pub trait SchemaDriver {
    /// The schema of the connected database: every user object, in a few set-based catalog
    /// queries (never one query per table), without strata's own history and lock tables.
    /// Objects of the default schema have `schema: None`; the result is [`Schema::normalize`]d.
    async fn inspect(&mut self) -> Result<Schema, DriverError>;

    /// The engine's dialect.
    fn dialect(&self) -> &'static dyn Dialect;
}
