//! Data loss and backward-incompatible changes, on every engine.

use crate::rule::Rule;

mod drop_table;

/// The rules of this family.
pub const RULES: &[&dyn Rule] = &[&drop_table::DropTable];
