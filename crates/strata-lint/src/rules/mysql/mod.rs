//! MySQL and MariaDB: ALTERs that copy the table, lock waits, non-transactional DDL.

use crate::rule::Rule;

mod alter;
mod alter_table_copy;
mod alter_without_algorithm;
mod missing_lock_wait_timeout;
mod multi_statement_non_transactional;

/// The rules of this family.
pub const RULES: &[&dyn Rule] = &[
    &alter_table_copy::AlterTableCopy,
    &alter_without_algorithm::AlterWithoutAlgorithm,
    &missing_lock_wait_timeout::MissingLockWaitTimeout,
    &multi_statement_non_transactional::MultiStatementNonTransactional,
];
