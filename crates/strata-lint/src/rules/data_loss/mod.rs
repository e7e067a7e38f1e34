//! Data loss and backward-incompatible changes, on every engine.

use crate::rule::Rule;

mod add_not_null_column_without_default;
mod drop_column;
mod drop_not_null;
mod drop_schema_or_database;
mod drop_table;
mod narrowing_type;
mod rename_column;
mod rename_table;
pub(crate) mod support;
mod truncate;

/// The rules of this family.
pub const RULES: &[&dyn Rule] = &[
    &drop_table::DropTable,
    &drop_column::DropColumn,
    &drop_schema_or_database::DropSchemaOrDatabase,
    &truncate::Truncate,
    &rename_table::RenameTable,
    &rename_column::RenameColumn,
    &drop_not_null::DropNotNull,
    &narrowing_type::NarrowingType,
    &add_not_null_column_without_default::AddNotNullColumnWithoutDefault,
];
