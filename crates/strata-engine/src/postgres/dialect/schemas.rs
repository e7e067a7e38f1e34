//! Schemas and extensions.

use strata_schema::Extension;

use super::names::NAMES;

/// `CREATE SCHEMA`.
pub(super) fn create_schema(name: &str) -> String {
    format!("CREATE SCHEMA {}", NAMES.ident(name))
}

/// `DROP SCHEMA`.
pub(super) fn drop_schema(name: &str) -> String {
    format!("DROP SCHEMA {}", NAMES.ident(name))
}

/// `CREATE EXTENSION IF NOT EXISTS`, in its schema when it has one.
pub(super) fn create_extension(extension: &Extension) -> String {
    let schema = extension.schema.as_ref().map_or(String::new(), |s| {
        format!(" WITH SCHEMA {}", NAMES.ident(s))
    });
    format!(
        "CREATE EXTENSION IF NOT EXISTS {}{schema}",
        NAMES.ident(&extension.name)
    )
}

/// `DROP EXTENSION`.
pub(super) fn drop_extension(extension: &Extension) -> String {
    format!("DROP EXTENSION {}", NAMES.ident(&extension.name))
}
