//! PostgreSQL locks and table rewrites.

use crate::rule::Rule;

mod add_check_validated;
mod add_column_rewrite;
mod add_enum_value_in_transaction;
mod add_exclusion_constraint;
mod add_foreign_key_validated;
mod add_unique_without_index;
mod alter_column_type_rewrite;
mod alter_table;
mod concurrently_in_transaction;
mod create_index_non_concurrently;
mod detach_partition_blocking;
mod drop_index_non_concurrently;
mod enable_row_security;
mod locked_table;
mod missing_lock_timeout;
mod set_not_null_without_check;
mod table_rewrite_maintenance;
#[cfg(test)]
mod test_schema;

/// The rules of this family.
pub const RULES: &[&dyn Rule] = &[
    &create_index_non_concurrently::CreateIndexNonConcurrently,
    &drop_index_non_concurrently::DropIndexNonConcurrently,
    &concurrently_in_transaction::ConcurrentlyInTransaction,
    &add_unique_without_index::AddUniqueWithoutIndex,
    &add_foreign_key_validated::AddForeignKeyValidated,
    &add_check_validated::AddCheckValidated,
    &set_not_null_without_check::SetNotNullWithoutCheck,
    &add_column_rewrite::AddColumnRewrite,
    &alter_column_type_rewrite::AlterColumnTypeRewrite,
    &table_rewrite_maintenance::TableRewriteMaintenance,
    &detach_partition_blocking::DetachPartitionBlocking,
    &missing_lock_timeout::MissingLockTimeout,
    &add_enum_value_in_transaction::AddEnumValueInTransaction,
    &add_exclusion_constraint::AddExclusionConstraint,
    &enable_row_security::EnableRowSecurity,
];
