//! Types and naming that cause trouble later.

use crate::rule::Rule;

/// The rules of this family.
pub const RULES: &[&dyn Rule] = &[];
