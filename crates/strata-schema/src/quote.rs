//! Safe quoting of identifiers and string literals for each engine.
//!
//! Identifiers are always quoted by these helpers (the caller decides when a bare name is
//! readable enough to print unquoted); the quote character is doubled inside the name, which
//! every engine accepts, so no name can end the identifier early.

use crate::{Engine, Name};

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

/// How an engine's generated DDL prints identifiers: bare where the engine reads the name back
/// unchanged (a plain word that is not reserved), quoted by [`ident`] otherwise, so migrations
/// read like hand-written ones and no name can break out of its identifier.
///
/// Each dialect holds one of these; the rules differ only in data (the reserved words, whether
/// upper case stays as written, extra word characters, prefixes the engine keeps for itself).
#[derive(Debug, Clone, Copy)]
pub struct BareNames {
    /// The engine whose quote character is used when a name cannot stay bare.
    pub engine: Engine,
    /// Reserved words, lowercase.
    pub reserved: &'static [&'static str],
    /// Whether ASCII capitals may stay bare: SQLite keeps a bare name's spelling, PostgreSQL folds
    /// it to lower case, and MySQL's table names follow the file system's case rules.
    pub upper_case: bool,
    /// Bytes besides ASCII letters, digits and `_` that may follow the first character
    /// (PostgreSQL: `$`).
    pub also: &'static [u8],
    /// Lowercase prefixes the engine keeps for its own objects (SQLite: `sqlite_`).
    pub reserved_prefixes: &'static [&'static str],
    /// Whether [`BareNames::qualified`] writes a name's schema (SQLite: no, a plan works inside
    /// one database file).
    pub writes_schema: bool,
}

impl BareNames {
    /// One identifier, bare when the engine reads it back unchanged.
    pub fn ident(&self, name: &str) -> String {
        if self.is_bare(name) {
            name.to_string()
        } else {
            ident(self.engine, name)
        }
    }

    /// A possibly schema-qualified name, each part bare where it can be.
    pub fn qualified(&self, name: &Name) -> String {
        match name.schema.as_deref().filter(|_| self.writes_schema) {
            Some(s) => format!("{}.{}", self.ident(s), self.ident(&name.name)),
            None => self.ident(&name.name),
        }
    }

    /// A comma-separated list of identifiers (the columns of a key or index).
    pub fn idents(&self, names: &[String]) -> String {
        names
            .iter()
            .map(|n| self.ident(n))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether `name` can be printed without quotes.
    pub fn is_bare(&self, name: &str) -> bool {
        let letter = |b: u8| b.is_ascii_lowercase() || (self.upper_case && b.is_ascii_uppercase());
        let mut bytes = name.bytes();
        let plain = bytes.next().is_some_and(|b| letter(b) || b == b'_')
            && bytes
                .all(|b| letter(b) || b.is_ascii_digit() || b == b'_' || self.also.contains(&b));
        if !plain {
            return false;
        }
        let lower = name.to_ascii_lowercase();
        !self.reserved.contains(&lower.as_str())
            && !self.reserved_prefixes.iter().any(|p| lower.starts_with(p))
    }
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

    #[test]
    fn bare_names_quote_only_what_the_engine_would_misread() {
        let strict = BareNames {
            engine: Engine::Postgres,
            reserved: &["order", "user"],
            upper_case: false,
            also: b"$",
            reserved_prefixes: &["pg_"],
            writes_schema: true,
        };
        let names =
            ["users", "order", "Users", "a$1", "$a", "pg_x", "", "é"].map(|n| strict.ident(n));
        assert_eq!(
            names.join(" "),
            r#"users "order" "Users" a$1 "$a" "pg_x" "" "é""#
        );
        assert_eq!(
            strict.qualified(&Name {
                schema: Some("User".into()),
                name: "t".into()
            }),
            r#""User".t"#
        );
        let loose = BareNames {
            upper_case: true,
            writes_schema: false,
            ..strict
        };
        assert_eq!(
            loose.idents(&["Users".into(), "ORDER".into()]),
            r#"Users, "ORDER""#
        );
        assert_eq!(
            loose.qualified(&Name {
                schema: Some("app".into()),
                name: "t".into()
            }),
            "t"
        );
    }
}
