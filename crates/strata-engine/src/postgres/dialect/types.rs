//! Types and sequences: one canonical spelling of a type for comparisons, which type changes
//! keep every value, and the DDL of enums, composites, domains and standalone sequences.

use strata_schema::{Attribute, Check, Column, Name, Sequence, UserType, UserTypeKind};

use super::constraints::check_clause;
use super::names::{comment_on, literal, sibling, NAMES};

/// A type name in one canonical spelling, for comparing what users and catalogs write.
pub(super) fn canonical_type(t: &str) -> String {
    let t = t.trim().to_ascii_lowercase();
    let (base, array) = match t.strip_suffix("[]") {
        Some(b) => (b.trim_end().to_string(), "[]"),
        None => (t, ""),
    };
    let (head, args) = match base.find('(') {
        Some(i) => (base[..i].trim_end(), base[i..].replace(' ', "")),
        None => (base.as_str(), String::new()),
    };
    // Time zone words come after the precision: `timestamp(3) with time zone`.
    let (args, tz) = match args.find(')') {
        Some(i) if i + 1 < args.len() => (args[..=i].to_string(), args[i + 1..].to_string()),
        _ => (args, String::new()),
    };
    let head = format!("{head}{}", if tz.is_empty() { "" } else { " " }) + &tz;
    let head = head
        .replace("withtimezone", "with time zone")
        .replace("withouttimezone", "without time zone");
    let name = match head.trim() {
        "int" | "int4" | "integer" | "serial" | "serial4" => "integer",
        "int8" | "bigint" | "bigserial" | "serial8" => "bigint",
        "int2" | "smallint" | "smallserial" | "serial2" => "smallint",
        "varchar" | "character varying" => "character varying",
        "char" | "character" | "bpchar" => "character",
        "bool" | "boolean" => "boolean",
        "float8" | "double precision" | "float" => "double precision",
        "float4" | "real" => "real",
        "decimal" | "numeric" => "numeric",
        "timestamptz" | "timestamp with time zone" => "timestamp with time zone",
        "timestamp" | "timestamp without time zone" => "timestamp without time zone",
        "timetz" | "time with time zone" => "time with time zone",
        "time" | "time without time zone" => "time without time zone",
        "varbit" | "bit varying" => "bit varying",
        other => other,
    };
    format!("{name}{args}{array}")
}

/// Whether two type spellings name the same type (`int4` and `integer`).
pub(super) fn same_type(a: &str, b: &str) -> bool {
    a == b || canonical_type(a) == canonical_type(b)
}

/// Whether every value of type `from` fits in type `to` unchanged: a wider integer, a longer
/// `varchar` or `text`, a decimal with no digit fewer on either side of the point.
pub(super) fn widens(from: &str, to: &str) -> bool {
    let (a, b) = (canonical_type(from), canonical_type(to));
    let len = |t: &str, prefix: &str| {
        t.strip_prefix(prefix)
            .and_then(|r| r.strip_prefix('('))
            .and_then(|r| r.strip_suffix(')'))
            .and_then(|r| r.parse::<u64>().ok())
    };
    let ints = ["smallint", "integer", "bigint"];
    match (
        ints.iter().position(|i| *i == a),
        ints.iter().position(|i| *i == b),
    ) {
        (Some(x), Some(y)) => return y >= x,
        (Some(_), None) | (None, Some(_)) => return false,
        _ => {}
    }
    if b == "text" && (a.starts_with("character varying") || a == "text") {
        return true;
    }
    if let (Some(x), Some(y)) = (len(&a, "character varying"), len(&b, "character varying")) {
        return y >= x;
    }
    let decimal = |t: &str| {
        t.strip_prefix("numeric")
            .and_then(strata_diff::decimal_args)
    };
    if let (Some(x), Some(y)) = (decimal(&a), decimal(&b)) {
        return strata_diff::decimal_widens(x, y);
    }
    b == "numeric" && a.starts_with("numeric")
}

/// `TYPE` for enums and composites, `DOMAIN` for domains.
pub(super) fn type_keyword(ty: &UserType) -> &'static str {
    match ty.kind {
        UserTypeKind::Enum { .. } | UserTypeKind::Composite { .. } => "TYPE",
        UserTypeKind::Domain { .. } => "DOMAIN",
    }
}

/// `CREATE TYPE` / `CREATE DOMAIN`, then the type's comment.
pub(super) fn create_type(ty: &UserType) -> Vec<String> {
    let name = NAMES.qualified(&ty.name);
    let mut out = vec![match &ty.kind {
        UserTypeKind::Enum { values } => create_enum(&name, values),
        UserTypeKind::Composite { attributes } => create_composite(&name, attributes),
        UserTypeKind::Domain {
            data_type,
            not_null,
            default,
            checks,
        } => create_domain(&name, data_type, default.as_deref(), *not_null, checks),
    }];
    if let Some(c) = &ty.comment {
        out.push(comment_on(type_keyword(ty), &name, Some(c)));
    }
    out
}

/// `CREATE TYPE name AS ENUM ('a', 'b')`.
fn create_enum(name: &str, values: &[String]) -> String {
    let values: Vec<String> = values.iter().map(|v| literal(v)).collect();
    format!("CREATE TYPE {name} AS ENUM ({})", values.join(", "))
}

/// `CREATE TYPE name AS (attribute type, ...)`.
fn create_composite(name: &str, attributes: &[Attribute]) -> String {
    let attributes: Vec<String> = attributes
        .iter()
        .map(|a| format!("{} {}", NAMES.ident(&a.name), a.data_type))
        .collect();
    format!("CREATE TYPE {name} AS ({})", attributes.join(", "))
}

/// `CREATE DOMAIN name AS type [DEFAULT d] [NOT NULL] [CHECK ...]...`.
fn create_domain(
    name: &str,
    data_type: &str,
    default: Option<&str>,
    not_null: bool,
    checks: &[Check],
) -> String {
    let mut words = vec![format!("CREATE DOMAIN {name} AS {data_type}")];
    words.extend(default.map(|d| format!("DEFAULT {d}")));
    words.extend(not_null.then(|| "NOT NULL".to_string()));
    words.extend(checks.iter().map(check_clause));
    words.join(" ")
}

/// `DROP TYPE` / `DROP DOMAIN`.
pub(super) fn drop_type(ty: &UserType) -> String {
    format!("DROP {} {}", type_keyword(ty), NAMES.qualified(&ty.name))
}

/// `ALTER TYPE ... ADD VALUE`, placed before or after an existing value when not last.
pub(super) fn add_enum_value(
    name: &Name,
    value: &str,
    after: Option<&str>,
    before: Option<&str>,
) -> String {
    let place = match (before, after) {
        (Some(b), _) => format!(" BEFORE {}", literal(b)),
        (None, Some(a)) => format!(" AFTER {}", literal(a)),
        (None, None) => String::new(),
    };
    format!(
        "ALTER TYPE {} ADD VALUE {}{place}",
        NAMES.qualified(name),
        literal(value)
    )
}

/// A composite type's attributes dropped and added in one `ALTER TYPE`.
pub(super) fn alter_composite_type(name: &Name, add: &[Attribute], drop: &[String]) -> String {
    let mut actions: Vec<String> = drop
        .iter()
        .map(|d| format!("DROP ATTRIBUTE {}", NAMES.ident(d)))
        .collect();
    actions.extend(
        add.iter()
            .map(|a| format!("ADD ATTRIBUTE {} {}", NAMES.ident(&a.name), a.data_type)),
    );
    format!(
        "ALTER TYPE {} {}",
        NAMES.qualified(name),
        actions.join(", ")
    )
}

/// `COMMENT ON TYPE`, which works for enums and domains alike.
pub(super) fn set_type_comment(name: &Name, comment: Option<&str>) -> String {
    comment_on("TYPE", &NAMES.qualified(name), comment)
}

/// Replaces a type in place of the old one: rename the old type away, create the new one,
/// convert every column through text, drop the old type.
pub(super) fn replace_type(
    from: &UserType,
    to: &UserType,
    columns: &[(Name, Column)],
) -> Vec<String> {
    let old = sibling(&from.name, &format!("{}__strata_old", from.name.name));
    let mut out = vec![format!(
        "ALTER {} {} RENAME TO {}",
        type_keyword(from),
        NAMES.qualified(&from.name),
        NAMES.ident(&old.name)
    )];
    out.extend(create_type(to));
    let new_name = NAMES.qualified(&to.name);
    for (table, column) in columns {
        let t = NAMES.qualified(table);
        let c = NAMES.ident(&column.name);
        if column.default.is_some() {
            out.push(format!("ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT"));
        }
        out.push(format!(
            "ALTER TABLE {t} ALTER COLUMN {c} TYPE {new_name} USING {c}::text::{new_name}"
        ));
        if let Some(d) = &column.default {
            let d = d.replace(
                &format!("::{}", from.name.name),
                &format!("::{}", to.name.name),
            );
            out.push(format!("ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {d}"));
        }
    }
    out.push(format!(
        "DROP {} {}",
        type_keyword(from),
        NAMES.qualified(&old)
    ));
    out
}

/// `CREATE SEQUENCE` with every option, and its owner.
pub(super) fn create_sequence(s: &Sequence) -> Vec<String> {
    sequence_statement("CREATE", s, if s.cycle { " CYCLE" } else { "" })
}

/// `DROP SEQUENCE`.
pub(super) fn drop_sequence(sequence: &Sequence) -> String {
    format!("DROP SEQUENCE {}", NAMES.qualified(&sequence.name))
}

/// Every option of a sequence restated, and its owner.
pub(super) fn alter_sequence(to: &Sequence) -> Vec<String> {
    sequence_statement("ALTER", to, if to.cycle { " CYCLE" } else { " NO CYCLE" })
}

/// `CREATE` or `ALTER SEQUENCE` (`verb`) with every option and `cycle`, then its owner.
fn sequence_statement(verb: &str, s: &Sequence, cycle: &str) -> Vec<String> {
    let mut out = vec![format!(
        "{verb} SEQUENCE {} AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {}{cycle}",
        NAMES.qualified(&s.name),
        s.data_type,
        s.increment,
        s.min_value,
        s.max_value,
        s.start,
        s.cache
    )];
    out.extend(owned_by(s));
    out
}

/// `ALTER SEQUENCE ... OWNED BY table.column` when a column owns the sequence.
fn owned_by(s: &Sequence) -> Option<String> {
    let (table, column) = s.owned_by.as_ref()?;
    Some(format!(
        "ALTER SEQUENCE {} OWNED BY {}.{}",
        NAMES.qualified(&s.name),
        NAMES.qualified(table),
        NAMES.ident(column)
    ))
}

#[cfg(test)]
mod tests {
    use super::super::PostgresDialect;
    use strata_diff::Dialect;

    #[test]
    fn type_aliases_are_the_same_type() {
        let d = PostgresDialect;
        assert!(d.same_type("int4", "integer"));
        assert!(d.same_type("varchar(20)", "character varying(20)"));
        assert!(d.same_type("timestamptz", "timestamp with time zone"));
        assert!(d.same_type("timestamp(3) with time zone", "timestamptz(3)"));
        assert!(d.same_type("bool", "boolean"));
        assert!(d.same_type("int8[]", "bigint[]"));
        assert!(!d.same_type("varchar(20)", "varchar(30)"));
        assert!(!d.same_type("integer", "bigint"));
    }
}
