//! Columns: their full definition (MySQL changes a column by restating it), defaults, moves
//! and which type changes keep every value.

use strata_diff::ColumnPosition;
use strata_schema::{Column, Identity, Name};

use super::names::{literal, NAMES};

/// A column's full definition, as `ADD COLUMN`, `MODIFY COLUMN` and `CREATE TABLE` need it.
pub(super) fn column_def(c: &Column) -> String {
    let mut s = format!("{} {}", NAMES.ident(&c.name), c.data_type);
    if let Some(coll) = &c.collation {
        // The collation names its character set, so `CHARACTER SET` is not needed.
        s.push_str(&format!(" COLLATE {coll}"));
    }
    if let Some(g) = &c.generated {
        s.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {}",
            g.expression,
            if g.stored { "STORED" } else { "VIRTUAL" }
        ));
        if !c.nullable {
            s.push_str(" NOT NULL");
        }
    } else {
        if !c.nullable {
            s.push_str(" NOT NULL");
        } else if c.data_type.starts_with("timestamp") {
            // Without explicit_defaults_for_timestamp a bare TIMESTAMP column is NOT NULL.
            s.push_str(" NULL");
        }
        if let Some(d) = &c.default {
            s.push_str(&default_clause(d));
        }
        if c.identity == Some(Identity::AutoIncrement) {
            s.push_str(" AUTO_INCREMENT");
        }
    }
    if let Some(comment) = &c.comment {
        s.push_str(&format!(" COMMENT {}", literal(comment)));
    }
    s
}

/// ` DEFAULT ...` for an inspected default; an `ON UPDATE` part (kept in the default by
/// inspection, as MySQL prints it beside the default) follows it.
pub(super) fn default_clause(d: &str) -> String {
    let (value, on_update) = match d.to_ascii_lowercase().find("on update ") {
        Some(0) => ("", Some(&d["on update ".len()..])),
        Some(i) => (d[..i].trim_end(), Some(&d[i + "on update ".len()..])),
        None => (d, None),
    };
    let mut s = String::new();
    if !value.is_empty() {
        if is_plain_default(value) {
            s.push_str(&format!(" DEFAULT {value}"));
        } else {
            // Expression defaults must be parenthesised (MySQL 8.0.13+, MariaDB 10.2+).
            s.push_str(&format!(" DEFAULT ({value})"));
        }
    }
    if let Some(u) = on_update {
        s.push_str(&format!(" ON UPDATE {}", u.trim()));
    }
    s
}

/// Whether a default can be written without parentheses: a literal or a current-time function.
fn is_plain_default(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    let first = v.as_bytes().first().copied().unwrap_or(b' ');
    first == b'\''
        || ((first.is_ascii_digit() || first == b'-' || first == b'.') && v.parse::<f64>().is_ok())
        || matches!(lower.as_str(), "null" | "true" | "false")
        || ((lower.starts_with("b'") || lower.starts_with("x'") || lower.starts_with("_"))
            && lower.ends_with('\''))
        || lower.starts_with("current_timestamp")
        || lower.starts_with("localtimestamp")
        || lower.starts_with("now(")
        || lower.starts_with("localtime")
}

/// ` FIRST` / ` AFTER col` for a column placed in the middle of its table.
fn position_sql(position: Option<&ColumnPosition>) -> String {
    match position {
        None => String::new(),
        Some(ColumnPosition::First) => " FIRST".to_string(),
        Some(ColumnPosition::After(c)) => format!(" AFTER {}", NAMES.ident(c)),
    }
}

/// `ADD COLUMN`, at the column's place when it is not the last.
pub(super) fn add_column(
    table: &Name,
    column: &Column,
    position: Option<&ColumnPosition>,
) -> String {
    format!(
        "ALTER TABLE {} ADD COLUMN {}{}",
        NAMES.qualified(table),
        column_def(column),
        position_sql(position)
    )
}

/// `DROP COLUMN`.
pub(super) fn drop_column(table: &Name, column: &Column) -> String {
    format!(
        "ALTER TABLE {} DROP COLUMN {}",
        NAMES.qualified(table),
        NAMES.ident(&column.name)
    )
}

/// `RENAME COLUMN` (MySQL 8.0+, MariaDB 10.5+).
pub(super) fn rename_column(table: &Name, from: &str, to: &str) -> String {
    format!(
        "ALTER TABLE {} RENAME COLUMN {} TO {}",
        NAMES.qualified(table),
        NAMES.ident(from),
        NAMES.ident(to)
    )
}

/// `MODIFY COLUMN` with the full new definition (and place).
pub(super) fn alter_column(
    table: &Name,
    from: &Column,
    to: &Column,
    position: Option<&ColumnPosition>,
) -> Vec<String> {
    let stored_changed = match (&from.generated, &to.generated) {
        (Some(a), Some(b)) => a.stored != b.stored,
        _ => false,
    };
    if stored_changed {
        // Neither server can switch a generated column between VIRTUAL and STORED in place; the
        // values are computed, so dropping and adding the column (at its place) loses nothing.
        return vec![drop_column(table, from), add_column(table, to, position)];
    }
    vec![format!(
        "ALTER TABLE {} MODIFY COLUMN {}{}",
        NAMES.qualified(table),
        column_def(to),
        position_sql(position)
    )]
}

/// Whether every value of type `from` fits in type `to` unchanged.
pub(super) fn widens(from: &str, to: &str) -> bool {
    let split = |t: &str| -> (String, Option<String>, bool) {
        let t = t.trim().to_ascii_lowercase();
        let unsigned = t.contains("unsigned");
        let base = t.split_whitespace().next().unwrap_or("").to_string();
        match base.split_once('(') {
            Some((name, args)) => (
                name.to_string(),
                Some(args.trim_end_matches(')').to_string()),
                unsigned,
            ),
            None => (base, None, unsigned),
        }
    };
    let (fname, fargs, funs) = split(from);
    let (tname, targs, tuns) = split(to);
    let ints = ["tinyint", "smallint", "mediumint", "int", "bigint"];
    let rank = |n: &str| {
        let n = if n == "integer" { "int" } else { n };
        ints.iter().position(|i| *i == n)
    };
    match (rank(&fname), rank(&tname)) {
        (Some(a), Some(b)) => return funs == tuns && b >= a,
        (Some(_), None) | (None, Some(_)) => return false,
        _ => {}
    }
    let texts = ["char", "varchar"];
    if texts.contains(&fname.as_str()) && texts.contains(&tname.as_str()) {
        let len = |a: &Option<String>| a.as_deref().and_then(|x| x.parse::<u64>().ok());
        return match (len(&fargs), len(&targs)) {
            (Some(a), Some(b)) => b >= a && (fname == tname || tname == "varchar"),
            _ => false,
        };
    }
    let decimal = |n: &str| matches!(n, "decimal" | "numeric");
    if decimal(&fname) && decimal(&tname) {
        // DECIMAL alone is DECIMAL(10,0); an UNSIGNED target drops the negative values.
        let args = |a: &Option<String>| match a {
            Some(a) => strata_diff::decimal_args(&format!("({a})")),
            None => Some((10, 0)),
        };
        return match (args(&fargs), args(&targs)) {
            (Some(x), Some(y)) => (funs || !tuns) && strata_diff::decimal_widens(x, y),
            _ => false,
        };
    }
    if (fname == "enum" || fname == "set") && fname == tname {
        return match (fargs, targs) {
            (Some(a), Some(b)) => b.starts_with(&a),
            _ => false,
        };
    }
    false
}

#[cfg(test)]
mod tests {
    use super::default_clause;

    #[test]
    fn defaults_keep_literals_bare_and_wrap_expressions() {
        assert_eq!(default_clause("'abc'"), " DEFAULT 'abc'");
        assert_eq!(default_clause("1.50"), " DEFAULT 1.50");
        assert_eq!(
            default_clause("current_timestamp() ON UPDATE current_timestamp()"),
            " DEFAULT current_timestamp() ON UPDATE current_timestamp()"
        );
        assert_eq!(
            default_clause("ON UPDATE current_timestamp()"),
            " ON UPDATE current_timestamp()"
        );
        assert_eq!(default_clause("rand()"), " DEFAULT (rand())");
    }
}
