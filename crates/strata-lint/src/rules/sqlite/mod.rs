//! SQLite: changes that need a table rebuild, and foreign keys during one.

use crate::rule::Rule;

mod alter_unsupported_by_sqlite;
mod rebuild;
mod rebuild_with_foreign_keys_on;
mod table_rebuild;

/// The rules of this family.
pub const RULES: &[&dyn Rule] = &[
    &table_rebuild::TableRebuild,
    &rebuild_with_foreign_keys_on::RebuildWithForeignKeysOn,
    &alter_unsupported_by_sqlite::AlterUnsupportedBySqlite,
];
