//! A versioned migration: an up script, an optional down script, a timestamp version and a name.

use crate::checksum::Checksum;
use crate::directive::Directives;
use crate::split::{split, Statement};
use strata_schema::Engine;

/// A migration version: the UTC timestamp `YYYYMMDDHHMMSS` its files start with.
pub type Version = i64;

/// One script (the up or the down file) of a migration.
#[derive(Debug, Clone)]
pub struct Script {
    /// The file name inside the migrations folder, e.g. `20261126093000_create_users.up.sql`.
    pub file: String,
    /// The text with line endings normalised to LF and any BOM removed.
    pub text: String,
    /// The checksum of `text`.
    pub checksum: Checksum,
    /// The header directives.
    pub directives: Directives,
}

impl Script {
    /// The statements of the script for `engine`, each with its line.
    pub fn statements(&self, engine: Engine) -> Vec<Statement> {
        split(&self.text, engine)
    }

    /// Whether the script runs inside one transaction on `engine`.
    pub fn transactional(&self, engine: Engine) -> bool {
        engine.transactional_ddl() && !self.directives.no_transaction
    }
}

/// A versioned migration read from the migrations folder.
#[derive(Debug, Clone)]
pub struct Migration {
    /// The migration's version, from its file names.
    pub version: Version,
    /// The slug after the version, e.g. `create_users`.
    pub name: String,
    /// The up script.
    pub up: Script,
    /// The down script; `None` when the folder has no `.down.sql` for this version.
    pub down: Option<Script>,
}

impl Migration {
    /// `<version>_<name>`, the way messages name a migration.
    pub fn label(&self) -> String {
        format!("{}_{}", self.version, self.name)
    }
}

/// Whether `version` is a valid UTC timestamp `YYYYMMDDHHMMSS`.
pub fn is_timestamp_version(text: &str) -> bool {
    text.len() == 14
        && text.bytes().all(|b| b.is_ascii_digit())
        && chrono::NaiveDateTime::parse_from_str(text, "%Y%m%d%H%M%S").is_ok()
}

/// Turns a free-form migration name into the lowercase slug used in file names.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_real_timestamps() {
        assert!(is_timestamp_version("20261126093000"));
        assert!(!is_timestamp_version("20261326093000"));
        assert!(!is_timestamp_version("1"));
        assert!(!is_timestamp_version("2026112609300x"));
    }

    #[test]
    fn slugs_are_lowercase_words() {
        assert_eq!(slug("Create Users!"), "create_users");
        assert_eq!(slug("  add--index "), "add_index");
    }
}
