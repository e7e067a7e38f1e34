//! Checksums of migration files: SHA-256 of the text with line endings normalised to LF and a
//! leading byte-order mark removed, so a CRLF checkout is never a "modified" migration.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// A SHA-256 checksum printed as `h1:<base64>`, the form `strata.sum` and the history table use.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Checksum(pub String);

impl Checksum {
    /// The checksum of a file's text after normalisation.
    pub fn of_text(text: &str) -> Checksum {
        Checksum::of_bytes(normalize(text).as_bytes())
    }

    /// The checksum of raw bytes (already normalised).
    pub fn of_bytes(bytes: &[u8]) -> Checksum {
        let digest = Sha256::digest(bytes);
        Checksum(format!("h1:{}", STANDARD.encode(digest)))
    }

    /// The printed form, `h1:<base64>`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Checksum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Removes a leading BOM and turns CRLF and lone CR line endings into LF.
pub fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The running hash of the statements of a migration that have been executed, so that a resumed
/// migration can prove the statements it skips are the ones that ran.
pub fn progress_hash<'a>(statements: impl IntoIterator<Item = &'a str>) -> Checksum {
    let mut hasher = Sha256::new();
    for s in statements {
        let s = normalize(s);
        hasher.update((s.len() as u64).to_le_bytes());
        hasher.update(s.as_bytes());
    }
    Checksum(format!("h1:{}", STANDARD.encode(hasher.finalize())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_bom_do_not_change_the_checksum() {
        let lf = "CREATE TABLE a (x int);\nSELECT 1;\n";
        let crlf = "\u{feff}CREATE TABLE a (x int);\r\nSELECT 1;\r\n";
        assert_eq!(Checksum::of_text(lf), Checksum::of_text(crlf));
        assert_ne!(Checksum::of_text(lf), Checksum::of_text("SELECT 2;\n"));
    }

    #[test]
    fn progress_hash_depends_on_statement_boundaries() {
        assert_ne!(progress_hash(["ab", "c"]), progress_hash(["a", "bc"]));
        assert_eq!(progress_hash(["a\r\nb"]), progress_hash(["a\nb"]));
    }
}
