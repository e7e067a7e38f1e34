//! Statements the linter cannot read, and suppressions without a reason.

use crate::rule::Rule;

mod parse_error;
mod suppression_without_reason;

/// The rules of this family.
pub const RULES: &[&dyn Rule] = &[
    &parse_error::ParseError,
    &suppression_without_reason::SuppressionWithoutReason,
];
