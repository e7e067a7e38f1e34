//! Safe quoting of identifiers and string literals for each engine.
//!
//! Identifiers are always quoted by these helpers (the caller decides when a bare name is
//! readable enough to print unquoted); the quote character is doubled inside the name, which
//! every engine accepts, so no name can end the identifier early.

use crate::Engine;

/// Quotes one identifier (table, schema, column) for `engine`.
pub fn ident(engine: Engine, name: &str) -> String {
    let q = match engine {
        Engine::Mysql => '`',
        Engine::Sqlite | Engine::Postgres => '"',
    };
    let mut out = String::with_capacity(name.len() + 2);
    out.push(q);
    for c in name.chars() {
        if c == q {
            out.push(q);
        }
        out.push(c);
    }
    out.push(q);
    out
}

/// Quotes an optionally schema-qualified name, e.g. `"app"."strata_history"`.
pub fn qualified(engine: Engine, schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(s) => format!("{}.{}", ident(engine, s), ident(engine, name)),
        None => ident(engine, name),
    }
}

/// Quotes a string literal for `engine`.
///
/// MySQL treats a backslash as an escape character inside literals unless
/// `NO_BACKSLASH_ESCAPES` is set, so backslashes are doubled there too.
pub fn literal(engine: Engine, value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' if engine == Engine::Mysql => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_the_quote_character() {
        assert_eq!(ident(Engine::Postgres, r#"a"b"#), r#""a""b""#);
        assert_eq!(ident(Engine::Sqlite, "sp ace"), r#""sp ace""#);
        assert_eq!(ident(Engine::Mysql, "a`b\"c"), "`a``b\"c`");
        assert_eq!(qualified(Engine::Postgres, Some("ü"), "t"), r#""ü"."t""#);
    }

    #[test]
    fn literals_escape_quotes_and_mysql_backslashes() {
        assert_eq!(literal(Engine::Postgres, r"it's \n"), r"'it''s \n'");
        assert_eq!(literal(Engine::Mysql, r"it's \n"), r"'it''s \\n'");
    }
}
