//! The crate's one HTML/XML escaper: maud's, the one the site's templates apply by default. The
//! ERD's SVG and DOT labels, written as text rather than through templates, escape through it too.

use std::fmt::Write as _;

/// `s` escaped for HTML/XML text and double-quoted attribute values (`&`, `<`, `>`, `"`).
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Writing to a String cannot fail.
    let _ = maud::Escaper::new(&mut out).write_str(s);
    out
}
