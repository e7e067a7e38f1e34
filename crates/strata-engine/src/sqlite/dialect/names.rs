//! How SQLite names are printed: bare when SQLite reads them back unchanged (it keeps a bare
//! name's spelling, upper case included), double-quoted otherwise.

use strata_schema::quote::{self, BareNames};

use super::E;

/// SQLite's rules for a bare name; `sqlite_` names belong to SQLite itself.
pub(super) const NAMES: BareNames = BareNames {
    engine: E,
    reserved: RESERVED,
    upper_case: true,
    also: b"",
    reserved_prefixes: &["sqlite_"],
    writes_schema: false,
};

/// A string literal.
pub(super) fn literal(value: &str) -> String {
    quote::literal(E, value)
}

/// SQLite's keywords (lang_keywords.html), lowercase and sorted.
#[rustfmt::skip]
const RESERVED: &[&str] = &[
    "abort", "action", "add", "after", "all", "alter", "always", "analyze", "and", "as", "asc",
    "attach", "autoincrement", "before", "begin", "between", "by", "cascade", "case", "cast",
    "check", "collate", "column", "commit", "conflict", "constraint", "create", "cross",
    "current", "current_date", "current_time", "current_timestamp", "database", "default",
    "deferrable", "deferred", "delete", "desc", "detach", "distinct", "do", "drop", "each",
    "else", "end", "escape", "except", "exclude", "exclusive", "exists", "explain", "fail",
    "filter", "first", "following", "for", "foreign", "from", "full", "generated", "glob",
    "group", "groups", "having", "if", "ignore", "immediate", "in", "index", "indexed",
    "initially", "inner", "insert", "instead", "intersect", "into", "is", "isnull", "join",
    "key", "last", "left", "like", "limit", "match", "materialized", "natural", "no", "not",
    "nothing", "notnull", "null", "nulls", "of", "offset", "on", "or", "order", "others",
    "outer", "over", "partition", "plan", "pragma", "preceding", "primary", "query", "raise",
    "range", "recursive", "references", "regexp", "reindex", "release", "rename", "replace",
    "restrict", "returning", "right", "rollback", "row", "rows", "savepoint", "select", "set",
    "table", "temp", "temporary", "then", "ties", "to", "transaction", "trigger", "unbounded",
    "union", "unique", "update", "using", "vacuum", "values", "view", "virtual", "when",
    "where", "window", "with", "without",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_where_needed() {
        let names = ["users", "Users", "order", "sqlite_x", "a b", "_1"].map(|n| NAMES.ident(n));
        assert_eq!(
            names.join(" "),
            r#"users Users "order" "sqlite_x" "a b" _1"#
        );
    }
}
