//! PostgreSQL locks and table rewrites.

use crate::rule::Rule;

mod create_index_non_concurrently;

/// The rules of this family.
pub const RULES: &[&dyn Rule] = &[&create_index_non_concurrently::CreateIndexNonConcurrently];
