//! How PostgreSQL names are printed: bare where PostgreSQL reads them back unchanged (lower
//! case, plain characters, not reserved), double-quoted otherwise; and the literals and
//! `COMMENT ON` statements built from them.

use strata_schema::quote::{self, BareNames};
use strata_schema::Name;

use super::E;

/// PostgreSQL's rules for a bare name: it folds upper case to lower, and `$` may follow the
/// first character.
pub(super) const NAMES: BareNames = BareNames {
    engine: E,
    reserved: RESERVED,
    upper_case: false,
    also: b"$",
    reserved_prefixes: &[],
    writes_schema: true,
};

/// An identifier by [`NAMES`], for the SQL the inspector runs.
pub(crate) fn ident(name: &str) -> String {
    NAMES.ident(name)
}

/// A possibly schema-qualified name by [`NAMES`], for the SQL the inspector runs.
pub(crate) fn qualified(name: &Name) -> String {
    NAMES.qualified(name)
}

/// A collation's name, always quoted: catalogs print names such as `"en_US"` or `"C"` that must
/// keep their case.
pub(super) fn collation(name: &str) -> String {
    quote::ident(E, name)
}

/// An object of `table`'s schema (indexes, sequences of serial columns).
pub(super) fn sibling(table: &Name, name: &str) -> Name {
    Name {
        schema: table.schema.clone(),
        name: name.to_string(),
    }
}

/// A string literal.
pub(super) fn literal(s: &str) -> String {
    quote::literal(E, s)
}

/// `COMMENT ON kind target IS '...'`, or `IS NULL` to remove one.
pub(super) fn comment_on(kind: &str, target: &str, comment: Option<&str>) -> String {
    format!(
        "COMMENT ON {kind} {target} IS {}",
        comment.map_or("NULL".to_string(), literal)
    )
}

/// Keywords that cannot be a bare table or column name (PostgreSQL's reserved and
/// type/function-name keywords), sorted; quoting one that would not need it is harmless.
#[rustfmt::skip]
const RESERVED: &[&str] = &[
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
    "authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast",
    "char", "character", "check", "coalesce", "collate", "collation", "column", "concurrently",
    "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
    "current_schema", "current_time", "current_timestamp", "current_user", "dec", "decimal",
    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists",
    "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant",
    "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout",
    "int", "integer", "intersect", "interval", "into", "is", "isnull", "join", "lateral",
    "leading", "least", "left", "like", "limit", "localtime", "localtimestamp", "national",
    "natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif", "numeric",
    "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing",
    "position", "precision", "primary", "real", "references", "returning", "right", "row",
    "select", "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric",
    "system_user", "table", "tablesample", "then", "time", "timestamp", "to", "trailing",
    "treat", "trim", "true", "union", "unique", "user", "using", "values", "varchar",
    "variadic", "verbose", "when", "where", "window", "with", "xmlattributes", "xmlconcat",
    "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
    "xmlserialize", "xmltable",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_where_needed() {
        let names = ["users", "order", "Users", "a\"b", "café", "1a", "x$1"].map(ident);
        assert_eq!(
            names.join(" "),
            r#"users "order" "Users" "a""b" "café" "1a" x$1"#
        );
    }
}
