//! SQLite: changes that need a table rebuild, and foreign keys during one.

use crate::rule::Rule;

/// The rules of this family.
pub const RULES: &[&dyn Rule] = &[];
