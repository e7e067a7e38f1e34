//! Types and naming that cause trouble later.

use crate::rule::Rule;

mod char_n;
mod foreign_key_without_index;
mod identifier_too_long;
mod int_primary_key;
mod support;
mod table_without_primary_key;
mod timestamp_without_time_zone;

/// The rules of this family.
pub const RULES: &[&dyn Rule] = &[
    &timestamp_without_time_zone::TimestampWithoutTimeZone,
    &char_n::CharN,
    &int_primary_key::IntPrimaryKey,
    &identifier_too_long::IdentifierTooLong,
    &foreign_key_without_index::ForeignKeyWithoutIndex,
    &table_without_primary_key::TableWithoutPrimaryKey,
];
