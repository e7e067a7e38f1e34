//! MySQL and MariaDB: ALTERs that copy the table, lock waits, non-transactional DDL.

use crate::rule::Rule;

/// The rules of this family.
pub const RULES: &[&dyn Rule] = &[];
