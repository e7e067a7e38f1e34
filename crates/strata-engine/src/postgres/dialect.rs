//! [`PostgresDialect`]: how strata writes each [`Change`] as PostgreSQL DDL.
//!
//! Everything PostgreSQL can alter in place is altered in place (types with `USING`, identity,
//! defaults, constraints), so no change rebuilds a table. Identifiers are quoted only where
//! PostgreSQL needs it (upper case, unusual characters, reserved words), which keeps the generated
//! migrations as readable as hand-written ones; expressions, types and routine bodies are the text
//! the catalog printed and are written back unchanged.

use strata_diff::{Change, Dialect, Unsupported};
use strata_schema::Engine;
use strata_schema::{
    quote, Check, Column, Exclusion, ForeignKey, Identity, Index, IndexPart, Key, Name, Routine,
    RoutineKind, Sequence, Table, TableAttr, Trigger, UserType, UserTypeKind, View,
};

const E: Engine = Engine::Postgres;

/// The PostgreSQL dialect.
#[derive(Debug, Clone, Copy, Default)]
pub struct PostgresDialect;

/// The one PostgreSQL dialect value.
pub static POSTGRES_DIALECT: PostgresDialect = PostgresDialect;

/// Keywords that cannot be a bare table or column name (PostgreSQL's reserved and
/// type/function-name keywords); quoting one that would not need it is harmless.
const RESERVED: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

/// An identifier, bare when PostgreSQL reads it back unchanged, quoted otherwise.
pub(crate) fn ident(name: &str) -> String {
    let mut chars = name.chars();
    let bare = matches!(chars.next(), Some('a'..='z' | '_'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_' | '$'))
        && !RESERVED.contains(&name);
    if bare {
        name.to_string()
    } else {
        quote::ident(E, name)
    }
}

/// A possibly schema-qualified name.
pub(crate) fn qualified(name: &Name) -> String {
    match &name.schema {
        Some(s) => format!("{}.{}", ident(s), ident(&name.name)),
        None => ident(&name.name),
    }
}

/// An object of `table`'s schema (indexes, sequences of serial columns).
fn sibling(table: &Name, name: &str) -> Name {
    Name {
        schema: table.schema.clone(),
        name: name.to_string(),
    }
}

fn literal(s: &str) -> String {
    quote::literal(E, s)
}

fn idents(names: &[String]) -> String {
    names
        .iter()
        .map(|n| ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A type name in one canonical spelling, for comparing what users and catalogs write.
fn canonical_type(t: &str) -> String {
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

impl Dialect for PostgresDialect {
    fn engine(&self) -> Engine {
        E
    }

    fn same_type(&self, a: &str, b: &str) -> bool {
        a == b || canonical_type(a) == canonical_type(b)
    }

    /// `CREATE OR REPLACE` keeps a routine's dependants (triggers, views) when the kind and the
    /// result type stay; aggregates cannot be replaced.
    fn replaces_routine(&self, from: &Routine, to: &Routine) -> bool {
        let returns = |d: &str| {
            d.lines()
                .map(str::trim)
                .find(|l| l.starts_with("RETURNS "))
                .map(str::to_owned)
        };
        from.kind == to.kind
            && !from.definition.starts_with("CREATE AGGREGATE")
            && returns(&from.definition) == returns(&to.definition)
    }

    /// Partitioning and inheritance cannot be changed by ALTER TABLE.
    fn needs_rebuild(&self, from: &Table, to: &Table) -> bool {
        let structural = |t: &Table| -> Vec<TableAttr> {
            t.attrs
                .iter()
                .filter(|a| {
                    !matches!(
                        a,
                        TableAttr::PgUnlogged
                            | TableAttr::PgStorage(_)
                            | TableAttr::PgRowSecurity
                            | TableAttr::PgForceRowSecurity
                    )
                })
                .cloned()
                .collect()
        };
        structural(from) != structural(to)
    }

    fn is_widening(&self, from: &str, to: &str) -> bool {
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

    /// PostgreSQL fires a table's triggers in name order; `CREATE TRIGGER` has no clause that
    /// names another trigger.
    fn trigger_anchor(&self, _trigger: &Trigger) -> Option<String> {
        None
    }

    /// `RETURNS SETOF t` names the table whose rows the function returns.
    fn routine_returns_table_rows(&self, routine: &Routine) -> bool {
        routine.definition.contains("RETURNS SETOF")
    }

    fn render(&self, change: &Change) -> Result<Vec<String>, Unsupported> {
        Ok(match change {
            Change::CreateNamespace { name } => vec![format!("CREATE SCHEMA {}", ident(name))],
            Change::DropNamespace { name } => vec![format!("DROP SCHEMA {}", ident(name))],
            Change::CreateExtension { extension } => vec![format!(
                "CREATE EXTENSION IF NOT EXISTS {}{}",
                ident(&extension.name),
                extension
                    .schema
                    .as_ref()
                    .map_or(String::new(), |s| format!(" WITH SCHEMA {}", ident(s)))
            )],
            Change::DropExtension { extension } => {
                vec![format!("DROP EXTENSION {}", ident(&extension.name))]
            }
            Change::CreateType { ty } => create_type(ty),
            Change::DropType { ty } => {
                vec![format!("DROP {} {}", type_keyword(ty), qualified(&ty.name))]
            }
            Change::AddEnumValue {
                name,
                value,
                after,
                before,
            } => vec![format!(
                "ALTER TYPE {} ADD VALUE {}{}",
                qualified(name),
                literal(value),
                match (before, after) {
                    (Some(b), _) => format!(" BEFORE {}", literal(b)),
                    (None, Some(a)) => format!(" AFTER {}", literal(a)),
                    (None, None) => String::new(),
                }
            )],
            Change::CreateSequence { sequence } => create_sequence(sequence),
            Change::DropSequence { sequence } => {
                vec![format!("DROP SEQUENCE {}", qualified(&sequence.name))]
            }
            Change::CreateTable { table } => create_table(table, &table.name),
            Change::DropTable { table } => vec![format!("DROP TABLE {}", qualified(&table.name))],
            Change::RenameTable { from, to } => {
                let mut out = vec![format!(
                    "ALTER TABLE {} RENAME TO {}",
                    qualified(from),
                    ident(&to.name)
                )];
                if from.schema != to.schema {
                    out.push(format!(
                        "ALTER TABLE {} SET SCHEMA {}",
                        qualified(&sibling(from, &to.name)),
                        to.schema.as_deref().map_or("public".to_string(), ident)
                    ));
                }
                out
            }
            Change::AddColumn { table, column, .. } => add_column(table, column),
            Change::DropColumn { table, column } => vec![format!(
                "ALTER TABLE {} DROP COLUMN {}",
                qualified(table),
                ident(&column.name)
            )],
            Change::RenameColumn { table, from, to } => vec![format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {}",
                qualified(table),
                ident(from),
                ident(to)
            )],
            Change::AlterColumn {
                table, from, to, ..
            } => alter_column(self, table, from, to),
            Change::AddPrimaryKey { table, key } => vec![format!(
                "ALTER TABLE {} ADD {}",
                qualified(table),
                key_clause(key, "PRIMARY KEY")
            )],
            Change::DropPrimaryKey { table, key } => vec![drop_constraint(
                table,
                key.name
                    .clone()
                    .unwrap_or_else(|| format!("{}_pkey", table.name)),
            )],
            Change::AddUnique { table, key } => vec![format!(
                "ALTER TABLE {} ADD {}",
                qualified(table),
                key_clause(key, "UNIQUE")
            )],
            Change::DropUnique { table, key } => vec![drop_constraint(
                table,
                key.name
                    .clone()
                    .unwrap_or_else(|| format!("{}_{}_key", table.name, key.columns.join("_"))),
            )],
            Change::CreateIndex { table, index } => create_index(table, index),
            Change::DropIndex { table, index } => vec![format!(
                "DROP INDEX {}",
                qualified(&sibling(table, &index.name))
            )],
            Change::AddForeignKey { table, fk } => vec![format!(
                "ALTER TABLE {} ADD {}",
                qualified(table),
                fk_clause(fk)
            )],
            Change::DropForeignKey { table, fk } => vec![drop_constraint(
                table,
                fk.name
                    .clone()
                    .unwrap_or_else(|| format!("{}_{}_fkey", table.name, fk.columns.join("_"))),
            )],
            Change::AddCheck { table, check } => vec![format!(
                "ALTER TABLE {} ADD {}",
                qualified(table),
                check_clause(check)
            )],
            Change::ValidateConstraint { table, name, .. } => vec![format!(
                "ALTER TABLE {} VALIDATE CONSTRAINT {}",
                qualified(table),
                ident(name)
            )],
            Change::DropCheck { table, check } => vec![drop_constraint(
                table,
                check
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("{}_check", table.name)),
            )],
            // SQLite only: the inspector never reports them here.
            Change::CreateVirtualTable { .. } | Change::DropVirtualTable { .. } => {
                return Err(Unsupported::new(E, change))
            }
            Change::CreatePolicy { policy, .. } => vec![policy.definition.clone()],
            Change::DropPolicy { table, policy } => vec![format!(
                "DROP POLICY {} ON {}",
                ident(&policy.name),
                qualified(table)
            )],
            Change::AddExclusion { table, exclusion } => vec![format!(
                "ALTER TABLE {} ADD {}",
                qualified(table),
                exclusion_clause(exclusion)
            )],
            Change::DropExclusion { table, exclusion } => {
                vec![drop_constraint(table, exclusion.name.clone())]
            }
            Change::CreateTrigger { trigger, .. } => vec![trigger.definition.clone()],
            Change::DropTrigger { table, trigger } => vec![format!(
                "DROP TRIGGER {} ON {}",
                ident(&trigger.name),
                qualified(table)
            )],
            Change::SetTableComment { table, comment } => {
                vec![comment_on("TABLE", &qualified(table), comment.as_deref())]
            }
            Change::SetColumnComment {
                table,
                column,
                comment,
            } => vec![comment_on(
                "COLUMN",
                &format!("{}.{}", qualified(table), ident(column)),
                comment.as_deref(),
            )],
            Change::RebuildTable { from, to } => rebuild_table(from, to),
            Change::CreateView { view } => create_view(view),
            Change::DropView { view } => vec![format!(
                "DROP {}VIEW {}",
                if view.materialized {
                    "MATERIALIZED "
                } else {
                    ""
                },
                qualified(&view.name)
            )],
            Change::CreateRoutine { routine } => {
                let mut out = Vec::new();
                // A SQL-language body is checked against the catalog when created; routines
                // are created in name order, so one may call another that comes later (as
                // pg_dump does, the check waits for the first call).
                if routine.definition.contains("\n LANGUAGE sql") {
                    out.push("SET check_function_bodies = off".to_string());
                }
                out.push(routine.definition.trim_end().to_string());
                // `CREATE OR REPLACE` keeps the comment of the routine it replaces: always say
                // what the comment is, also when there is none.
                out.push(comment_on(
                    routine_keyword(routine),
                    &routine_target(routine),
                    routine.comment.as_deref(),
                ));
                out
            }
            Change::DropRoutine { routine } => vec![format!(
                "DROP {} {}",
                routine_keyword(routine),
                routine_target(routine)
            )],
            Change::ReplaceType { from, to, columns } => replace_type(from, to, columns),
            Change::AlterCompositeType { name, add, drop } => {
                let mut actions: Vec<String> = drop
                    .iter()
                    .map(|d| format!("DROP ATTRIBUTE {}", ident(d)))
                    .collect();
                actions.extend(
                    add.iter()
                        .map(|a| format!("ADD ATTRIBUTE {} {}", ident(&a.name), a.data_type)),
                );
                vec![format!(
                    "ALTER TYPE {} {}",
                    qualified(name),
                    actions.join(", ")
                )]
            }
            Change::SetTypeComment { name, comment } => {
                // COMMENT ON TYPE works for enums and domains alike.
                vec![comment_on("TYPE", &qualified(name), comment.as_deref())]
            }
            Change::AlterSequence { to, .. } => {
                let mut out = vec![format!(
                    "ALTER SEQUENCE {} AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {} {}",
                    qualified(&to.name),
                    to.data_type,
                    to.increment,
                    to.min_value,
                    to.max_value,
                    to.start,
                    to.cache,
                    if to.cycle { "CYCLE" } else { "NO CYCLE" }
                )];
                if let Some((table, column)) = &to.owned_by {
                    out.push(format!(
                        "ALTER SEQUENCE {} OWNED BY {}.{}",
                        qualified(&to.name),
                        qualified(table),
                        ident(column)
                    ));
                }
                out
            }
            Change::ReplacePrimaryKey { table, from, to } => vec![
                drop_constraint(
                    table,
                    from.name
                        .clone()
                        .unwrap_or_else(|| format!("{}_pkey", table.name)),
                ),
                format!(
                    "ALTER TABLE {} ADD {}",
                    qualified(table),
                    key_clause(to, "PRIMARY KEY")
                ),
            ],
            Change::RenameConstraint {
                table, from, to, ..
            } => vec![format!(
                "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
                qualified(table),
                ident(from),
                ident(to)
            )],
            Change::RenameIndex { table, from, to } => vec![format!(
                "ALTER INDEX {} RENAME TO {}",
                qualified(&sibling(table, from)),
                ident(to)
            )],
            Change::SetTableAttrs { table, from, to } => {
                let mut out = Vec::new();
                let was = from.contains(&TableAttr::PgUnlogged);
                let is = to.contains(&TableAttr::PgUnlogged);
                match (was, is) {
                    (false, true) => {
                        out.push(format!("ALTER TABLE {} SET UNLOGGED", qualified(table)))
                    }
                    (true, false) => {
                        out.push(format!("ALTER TABLE {} SET LOGGED", qualified(table)))
                    }
                    // Partitioning and inheritance differences rebuild the table (needs_rebuild).
                    _ => {}
                }
                out.extend(set_storage(table, storage(from), storage(to)));
                for (attr, on, off) in [
                    (&TableAttr::PgRowSecurity, "ENABLE", "DISABLE"),
                    (&TableAttr::PgForceRowSecurity, "FORCE", "NO FORCE"),
                ] {
                    match (from.contains(attr), to.contains(attr)) {
                        (false, true) => out.push(format!(
                            "ALTER TABLE {} {on} ROW LEVEL SECURITY",
                            qualified(table)
                        )),
                        (true, false) => out.push(format!(
                            "ALTER TABLE {} {off} ROW LEVEL SECURITY",
                            qualified(table)
                        )),
                        _ => {}
                    }
                }
                out
            }
        })
    }
}

/// Replaces a type in place of the old one: rename the old type away, create the new one,
/// convert every column through text, drop the old type.
fn replace_type(from: &UserType, to: &UserType, columns: &[(Name, Column)]) -> Vec<String> {
    let old = sibling(&from.name, &format!("{}__strata_old", from.name.name));
    let mut out = vec![format!(
        "ALTER {} {} RENAME TO {}",
        type_keyword(from),
        qualified(&from.name),
        ident(&old.name)
    )];
    out.extend(create_type(to));
    let new_name = qualified(&to.name);
    for (table, column) in columns {
        let t = qualified(table);
        let c = ident(&column.name);
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
    out.push(format!("DROP {} {}", type_keyword(from), qualified(&old)));
    out
}

fn type_keyword(ty: &UserType) -> &'static str {
    match ty.kind {
        UserTypeKind::Enum { .. } | UserTypeKind::Composite { .. } => "TYPE",
        UserTypeKind::Domain { .. } => "DOMAIN",
    }
}

fn create_type(ty: &UserType) -> Vec<String> {
    let name = qualified(&ty.name);
    let mut out = vec![match &ty.kind {
        UserTypeKind::Enum { values } => format!(
            "CREATE TYPE {name} AS ENUM ({})",
            values
                .iter()
                .map(|v| literal(v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        UserTypeKind::Composite { attributes } => format!(
            "CREATE TYPE {name} AS ({})",
            attributes
                .iter()
                .map(|a| format!("{} {}", ident(&a.name), a.data_type))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        UserTypeKind::Domain {
            data_type,
            not_null,
            default,
            checks,
        } => {
            let mut s = format!("CREATE DOMAIN {name} AS {data_type}");
            if let Some(d) = default {
                s.push_str(&format!(" DEFAULT {d}"));
            }
            if *not_null {
                s.push_str(" NOT NULL");
            }
            for c in checks {
                s.push(' ');
                s.push_str(&check_clause(c));
            }
            s
        }
    }];
    if let Some(c) = &ty.comment {
        out.push(comment_on(type_keyword(ty), &name, Some(c)));
    }
    out
}

fn create_sequence(s: &Sequence) -> Vec<String> {
    let name = qualified(&s.name);
    let mut out = vec![format!(
        "CREATE SEQUENCE {name} AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {}{}",
        s.data_type,
        s.increment,
        s.min_value,
        s.max_value,
        s.start,
        s.cache,
        if s.cycle { " CYCLE" } else { "" }
    )];
    if let Some((table, column)) = &s.owned_by {
        out.push(format!(
            "ALTER SEQUENCE {name} OWNED BY {}.{}",
            qualified(table),
            ident(column)
        ));
    }
    out
}

/// The name PostgreSQL gives the sequence of a `serial` column (when it is short enough).
fn default_serial_name(table: &Name, column: &str) -> Name {
    sibling(table, &format!("{}_{column}_seq", table.name))
}

/// `serial` spelling of an integer type, when the column can be declared that way.
fn serial_type(column: &Column, table: &Name) -> Option<&'static str> {
    let Some(Identity::Serial { sequence }) = &column.identity else {
        return None;
    };
    if *sequence != default_serial_name(table, &column.name) || sequence.name.len() > 63 {
        return None;
    }
    match canonical_type(&column.data_type).as_str() {
        "integer" => Some("serial"),
        "bigint" => Some("bigserial"),
        "smallint" => Some("smallserial"),
        _ => None,
    }
}

/// `nextval('seq'::regclass)`, as the catalog prints a serial default.
fn nextval(sequence: &Name) -> String {
    format!("nextval({}::regclass)", literal(&qualified(sequence)))
}

/// A column definition; `before` holds statements that must run first (the sequence of a
/// serial column whose sequence has a custom name), `after` the ones that follow.
fn column_def(
    table: &Name,
    c: &Column,
    before: &mut Vec<String>,
    after: &mut Vec<String>,
) -> String {
    let mut s = ident(&c.name);
    s.push(' ');
    let serial = serial_type(c, table);
    match serial {
        Some(t) => s.push_str(t),
        None => s.push_str(&c.data_type),
    }
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {}", quote::ident(E, coll)));
    }
    if let Some(g) = &c.generated {
        s.push_str(&format!(" GENERATED ALWAYS AS ({}) STORED", g.expression));
    }
    match &c.identity {
        Some(Identity::Always) => s.push_str(" GENERATED ALWAYS AS IDENTITY"),
        Some(Identity::ByDefault) => s.push_str(" GENERATED BY DEFAULT AS IDENTITY"),
        Some(Identity::Serial { sequence }) if serial.is_none() => {
            before.push(format!(
                "CREATE SEQUENCE {} AS {}",
                qualified(sequence),
                c.data_type
            ));
            s.push_str(&format!(" DEFAULT {}", nextval(sequence)));
            after.push(format!(
                "ALTER SEQUENCE {} OWNED BY {}.{}",
                qualified(sequence),
                qualified(table),
                ident(&c.name)
            ));
        }
        _ => {}
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if !c.nullable {
        s.push_str(" NOT NULL");
    } else if serial.is_some() {
        // serial implies NOT NULL; a nullable one is relaxed right after.
        after.push(format!(
            "ALTER TABLE {} ALTER COLUMN {} DROP NOT NULL",
            qualified(table),
            ident(&c.name)
        ));
    }
    s
}

fn constraint_name(name: &Option<String>) -> String {
    name.as_ref()
        .map(|n| format!("CONSTRAINT {} ", ident(n)))
        .unwrap_or_default()
}

fn key_clause(key: &Key, kind: &str) -> String {
    format!(
        "{}{kind}{} ({}){}",
        constraint_name(&key.name),
        if key.nulls_not_distinct {
            " NULLS NOT DISTINCT"
        } else {
            ""
        },
        idents(&key.columns),
        key.deferrable.sql()
    )
}

/// A table's storage parameters (`name=value`).
fn storage(attrs: &[TableAttr]) -> &[String] {
    attrs
        .iter()
        .find_map(|a| match a {
            TableAttr::PgStorage(p) => Some(p.as_slice()),
            _ => None,
        })
        .unwrap_or(&[])
}

/// `ALTER TABLE ... SET (...)` for parameters that are new or changed, `RESET (...)` for those
/// that are gone.
fn set_storage(table: &Name, from: &[String], to: &[String]) -> Vec<String> {
    let key = |p: &String| p.split_once('=').map_or(p.clone(), |(k, _)| k.to_string());
    let set: Vec<&String> = to.iter().filter(|p| !from.contains(p)).collect();
    let reset: Vec<String> = from
        .iter()
        .map(key)
        .filter(|k| !to.iter().any(|p| &key(p) == k))
        .collect();
    let mut out = Vec::new();
    if !set.is_empty() {
        let list: Vec<&str> = set.iter().map(|s| s.as_str()).collect();
        out.push(format!(
            "ALTER TABLE {} SET ({})",
            qualified(table),
            list.join(", ")
        ));
    }
    if !reset.is_empty() {
        out.push(format!(
            "ALTER TABLE {} RESET ({})",
            qualified(table),
            reset.join(", ")
        ));
    }
    out
}

fn exclusion_clause(x: &Exclusion) -> String {
    format!("CONSTRAINT {} {}", ident(&x.name), x.definition)
}

fn check_clause(c: &Check) -> String {
    format!(
        "{}CHECK ({}){}",
        constraint_name(&c.name),
        c.expression,
        if c.not_valid { " NOT VALID" } else { "" }
    )
}

fn fk_clause(fk: &ForeignKey) -> String {
    let mut s = format!(
        "{}FOREIGN KEY ({}) REFERENCES {} ({})",
        constraint_name(&fk.name),
        idents(&fk.columns),
        qualified(&fk.ref_table),
        idents(&fk.ref_columns)
    );
    if fk.on_update != Default::default() {
        s.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    if fk.on_delete != Default::default() {
        s.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    s.push_str(fk.deferrable.sql());
    if fk.not_valid {
        s.push_str(" NOT VALID");
    }
    s
}

fn drop_constraint(table: &Name, name: String) -> String {
    format!(
        "ALTER TABLE {} DROP CONSTRAINT {}",
        qualified(table),
        ident(&name)
    )
}

fn comment_on(kind: &str, target: &str, comment: Option<&str>) -> String {
    format!(
        "COMMENT ON {kind} {target} IS {}",
        comment.map_or("NULL".to_string(), literal)
    )
}

/// `CREATE TABLE` for `table` under the name `as_name`, then its comments (indexes, foreign keys
/// and triggers are separate changes).
fn create_table(table: &Table, as_name: &Name) -> Vec<String> {
    let name = qualified(as_name);
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut constraints = Vec::new();
    if let Some(pk) = &table.primary_key {
        constraints.push(key_clause(pk, "PRIMARY KEY"));
    }
    for u in &table.uniques {
        constraints.push(key_clause(u, "UNIQUE"));
    }
    // CREATE TABLE accepts `NOT VALID` on a table constraint but makes the constraint valid
    // anyway (PostgreSQL 15): such checks are added by ALTER TABLE once the table exists.
    let mut not_valid = Vec::new();
    for c in &table.checks {
        if c.not_valid {
            not_valid.push(format!("ALTER TABLE {name} ADD {}", check_clause(c)));
        } else {
            constraints.push(check_clause(c));
        }
    }
    for x in &table.exclusions {
        constraints.push(exclusion_clause(x));
    }
    let partition_of = table.attrs.iter().find_map(|a| match a {
        TableAttr::PgPartitionOf { parent, bound } => Some((parent, bound)),
        _ => None,
    });
    let unlogged = if table.attrs.contains(&TableAttr::PgUnlogged) {
        "UNLOGGED "
    } else {
        ""
    };
    let mut sql = match partition_of {
        Some((parent, bound)) => {
            // A partition's columns are its parent's; its own constraints follow in parentheses.
            let mut s = format!(
                "CREATE {unlogged}TABLE {name} PARTITION OF {}",
                qualified(parent)
            );
            if !constraints.is_empty() {
                s.push_str(&format!(" (\n    {}\n)", constraints.join(",\n    ")));
            }
            s.push(' ');
            s.push_str(bound);
            s
        }
        None => {
            let mut lines: Vec<String> = table
                .columns
                .iter()
                .map(|c| column_def(as_name, c, &mut before, &mut after))
                .collect();
            lines.extend(constraints);
            let mut s = format!("CREATE {unlogged}TABLE {name} (");
            if !lines.is_empty() {
                s.push_str(&format!("\n    {}\n", lines.join(",\n    ")));
            }
            s.push(')');
            s
        }
    };
    for a in &table.attrs {
        match a {
            TableAttr::PgInherits(parents) => sql.push_str(&format!(
                " INHERITS ({})",
                parents.iter().map(qualified).collect::<Vec<_>>().join(", ")
            )),
            TableAttr::PgPartitionBy(key) => sql.push_str(&format!(" PARTITION BY {key}")),
            _ => {}
        }
    }
    let params = storage(&table.attrs);
    if !params.is_empty() {
        sql.push_str(&format!(" WITH ({})", params.join(", ")));
    }
    let mut out = before;
    out.push(sql);
    out.extend(after);
    out.extend(not_valid);
    if table.attrs.contains(&TableAttr::PgRowSecurity) {
        out.push(format!("ALTER TABLE {name} ENABLE ROW LEVEL SECURITY"));
    }
    if table.attrs.contains(&TableAttr::PgForceRowSecurity) {
        out.push(format!("ALTER TABLE {name} FORCE ROW LEVEL SECURITY"));
    }
    if let Some(c) = &table.comment {
        out.push(comment_on("TABLE", &name, Some(c)));
    }
    for c in &table.columns {
        if let Some(comment) = &c.comment {
            out.push(comment_on(
                "COLUMN",
                &format!("{name}.{}", ident(&c.name)),
                Some(comment),
            ));
        }
    }
    out
}

fn add_column(table: &Name, column: &Column) -> Vec<String> {
    let mut before = Vec::new();
    let mut after = Vec::new();
    let def = column_def(table, column, &mut before, &mut after);
    let mut out = before;
    out.push(format!("ALTER TABLE {} ADD COLUMN {def}", qualified(table)));
    out.extend(after);
    if let Some(c) = &column.comment {
        out.push(comment_on(
            "COLUMN",
            &format!("{}.{}", qualified(table), ident(&column.name)),
            Some(c),
        ));
    }
    out
}

/// The smallest set of `ALTER COLUMN` statements from `from` to `to` (same name).
fn alter_column(d: &PostgresDialect, table: &Name, from: &Column, to: &Column) -> Vec<String> {
    let t = qualified(table);
    let c = ident(&to.name);
    let alter = |what: String| format!("ALTER TABLE {t} ALTER COLUMN {c} {what}");
    let mut out = Vec::new();

    // A generation expression cannot be altered: a stored column is recomputed from its inputs,
    // so dropping and adding it back loses nothing.
    if from.generated != to.generated {
        if to.generated.is_none() {
            out.push(alter("DROP EXPRESSION".into()));
        } else {
            out.push(format!("ALTER TABLE {t} DROP COLUMN {c}"));
            out.extend(add_column(table, to));
            return out;
        }
    }

    let type_changes =
        !d.same_type(&from.data_type, &to.data_type) || from.collation != to.collation;
    let serial_from = match &from.identity {
        Some(Identity::Serial { sequence }) => Some(sequence),
        _ => None,
    };
    let serial_to = match &to.identity {
        Some(Identity::Serial { sequence }) => Some(sequence),
        _ => None,
    };
    let is_identity =
        |c: &Column| matches!(c.identity, Some(Identity::Always | Identity::ByDefault));

    // Numbering that goes away goes first, so the type and default can change freely.
    if is_identity(from) && !is_identity(to) {
        out.push(alter("DROP IDENTITY".into()));
    }
    let drop_serial = serial_from.is_some() && serial_from != serial_to;
    if drop_serial || (from.default.is_some() && (from.default != to.default || type_changes)) {
        out.push(alter("DROP DEFAULT".into()));
    }
    if type_changes {
        let mut s = format!("TYPE {}", to.data_type);
        if let Some(coll) = &to.collation {
            s.push_str(&format!(" COLLATE {}", quote::ident(E, coll)));
        }
        if !d.same_type(&from.data_type, &to.data_type) {
            s.push_str(&format!(" USING {c}::{}", to.data_type));
        }
        out.push(alter(s));
        // An identity column's sequence follows its type; a serial's does not (a bigint column
        // would still stop at 2^31 - 1). The sequence keeps its position either way.
        if let (Some(seq), true) = (serial_to, serial_from == serial_to) {
            if ["smallint", "integer", "bigint"].contains(&canonical_type(&to.data_type).as_str()) {
                out.push(format!(
                    "ALTER SEQUENCE {} AS {}",
                    qualified(seq),
                    to.data_type
                ));
            }
        }
    }
    if from.nullable != to.nullable && !to.nullable {
        out.push(alter("SET NOT NULL".into()));
    }
    if let Some(d) = &to.default {
        if from.default.as_ref() != Some(d) || type_changes {
            out.push(alter(format!("SET DEFAULT {d}")));
        }
    }
    if let (Some(seq), true) = (serial_from, drop_serial) {
        out.push(format!("DROP SEQUENCE {}", qualified(seq)));
    }
    if let Some(seq) = serial_to.filter(|_| serial_from != serial_to) {
        let seq = qualified(seq);
        out.push(format!(
            "CREATE SEQUENCE {seq} AS {} OWNED BY {t}.{c}",
            to.data_type
        ));
        out.push(alter(format!(
            "SET DEFAULT nextval({}::regclass)",
            literal(&seq)
        )));
        out.push(format!(
            "SELECT setval({}, coalesce(max({c}), 0) + 1, false) FROM {t}",
            literal(&seq)
        ));
    }
    match (&from.identity, &to.identity) {
        (Some(Identity::Always), Some(Identity::ByDefault)) => {
            out.push(alter("SET GENERATED BY DEFAULT".into()))
        }
        (Some(Identity::ByDefault), Some(Identity::Always)) => {
            out.push(alter("SET GENERATED ALWAYS".into()))
        }
        (f, Some(kind @ (Identity::Always | Identity::ByDefault)))
            if !matches!(f, Some(Identity::Always | Identity::ByDefault)) =>
        {
            let how = if *kind == Identity::Always {
                "ALWAYS"
            } else {
                "BY DEFAULT"
            };
            out.push(alter(format!("ADD GENERATED {how} AS IDENTITY")));
            // Existing rows keep their numbers; new ones continue after them.
            out.push(format!(
                "SELECT setval(pg_get_serial_sequence({}, {}), coalesce(max({c}), 0) + 1, false) FROM {t}",
                literal(&t),
                literal(&c)
            ));
        }
        _ => {}
    }
    if from.nullable != to.nullable && to.nullable {
        out.push(alter("DROP NOT NULL".into()));
    }
    out
}

fn index_part(p: &IndexPart) -> String {
    let mut s = match (&p.column, &p.expression) {
        (Some(c), _) => ident(c),
        (None, Some(e)) => format!("({e})"),
        (None, None) => String::new(),
    };
    if let Some(coll) = &p.collation {
        s.push_str(&format!(" COLLATE {}", quote::ident(E, coll)));
    }
    if let Some(op) = &p.opclass {
        s.push_str(&format!(" {}", ident(op)));
    }
    if p.descending {
        s.push_str(" DESC");
    }
    match p.nulls_first {
        Some(true) => s.push_str(" NULLS FIRST"),
        Some(false) => s.push_str(" NULLS LAST"),
        None => {}
    }
    s
}

fn create_index(table: &Name, index: &Index) -> Vec<String> {
    let mut s = format!(
        "CREATE {}INDEX {} ON {}",
        if index.unique { "UNIQUE " } else { "" },
        ident(&index.name),
        qualified(table)
    );
    if let Some(m) = &index.method {
        s.push_str(&format!(" USING {}", ident(m)));
    }
    s.push_str(&format!(
        " ({})",
        index
            .parts
            .iter()
            .map(index_part)
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if !index.include.is_empty() {
        s.push_str(&format!(" INCLUDE ({})", idents(&index.include)));
    }
    if index.nulls_not_distinct {
        s.push_str(" NULLS NOT DISTINCT");
    }
    if !index.with.is_empty() {
        s.push_str(&format!(" WITH ({})", index.with.join(", ")));
    }
    if let Some(p) = &index.predicate {
        s.push_str(&format!(" WHERE {p}"));
    }
    let mut out = vec![s];
    if let Some(c) = &index.comment {
        out.push(comment_on(
            "INDEX",
            &qualified(&sibling(table, &index.name)),
            Some(c),
        ));
    }
    out
}

fn create_view(view: &View) -> Vec<String> {
    let name = qualified(&view.name);
    let kind = if view.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    };
    let with = if view.options.is_empty() {
        String::new()
    } else {
        format!(" WITH ({})", view.options.join(", "))
    };
    let mut out = vec![format!(
        "CREATE {kind} {name}{with} AS\n{}",
        view.definition
    )];
    for index in &view.indexes {
        out.extend(create_index(&view.name, index));
    }
    if let Some(c) = &view.comment {
        out.push(comment_on(kind, &name, Some(c)));
    }
    out
}

fn routine_keyword(r: &Routine) -> &'static str {
    if r.definition.trim_start().starts_with("CREATE AGGREGATE") {
        return "AGGREGATE";
    }
    match r.kind {
        RoutineKind::Function => "FUNCTION",
        RoutineKind::Procedure => "PROCEDURE",
    }
}

fn routine_target(r: &Routine) -> String {
    format!("{}({})", qualified(&r.name), r.signature)
}

/// A table whose new definition ALTER cannot reach (partitioning or inheritance changed): a new
/// table, the shared columns copied, serial sequences handed over and identity sequences
/// continued after every number the old ones issued, the old table dropped and the new renamed.
fn rebuild_table(from: &Table, to: &Table) -> Vec<String> {
    // The differ gives `from` the table's current name (`to`'s).
    let live = qualified(&from.name);
    let temp = sibling(&to.name, &format!("{}__strata_new", to.name.name));
    let temp_q = qualified(&temp);
    let mut out = Vec::new();
    // Primary key, unique and exclusion constraints own an index named like them, and index
    // names are unique in the schema: the old ones step aside for the new table's.
    let indexed = from
        .primary_key
        .iter()
        .chain(&from.uniques)
        .filter_map(|k| k.name.clone())
        .chain(from.exclusions.iter().map(|x| x.name.clone()));
    for name in indexed {
        out.push(format!(
            "ALTER TABLE {live} RENAME CONSTRAINT {} TO {}",
            ident(&name),
            ident(&format!("{name}__strata_old"))
        ));
    }
    // A serial column keeps its sequence (and so its position): the new column draws from it
    // and owns it before the old table, which would take it along, is dropped.
    let kept_sequence = |c: &Column| match &c.identity {
        Some(Identity::Serial { sequence }) => from
            .columns
            .iter()
            .any(|f| f.identity == c.identity)
            .then(|| sequence.clone()),
        _ => None,
    };
    let mut new = to.clone();
    let mut handed_over = Vec::new();
    for c in &mut new.columns {
        if let Some(seq) = kept_sequence(c) {
            c.identity = None;
            c.default = Some(nextval(&seq));
            handed_over.push((seq, c.name.clone()));
        }
    }
    out.extend(create_table(&new, &temp));
    let shared: Vec<(&str, &Column)> = to
        .columns
        .iter()
        .filter(|c| c.generated.is_none())
        .filter_map(|c| {
            let old = c.renamed_from.as_deref().unwrap_or(&c.name);
            from.column(old)
                .or_else(|| from.column(&c.name))
                .map(|f| (f.name.as_str(), c))
        })
        .collect();
    if !shared.is_empty() {
        let overriding = if shared
            .iter()
            .any(|(_, c)| c.identity == Some(Identity::Always))
        {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        };
        out.push(format!(
            "INSERT INTO {temp_q} ({}){overriding} SELECT {} FROM {live}",
            shared
                .iter()
                .map(|(_, c)| ident(&c.name))
                .collect::<Vec<_>>()
                .join(", "),
            shared
                .iter()
                .map(|(f, c)| format!("{}::{}", ident(f), c.data_type))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    for (seq, column) in &handed_over {
        out.push(format!(
            "ALTER SEQUENCE {} OWNED BY {temp_q}.{}",
            qualified(seq),
            ident(column)
        ));
    }
    // A new identity column starts at 1: it continues after the old sequence's last number (and
    // after any copied number above it, inserted with an explicit value).
    let mut identity_sequences = Vec::new();
    for (f, c) in &shared {
        let was_identity = from
            .column(f)
            .is_some_and(|o| matches!(o.identity, Some(Identity::Always | Identity::ByDefault)));
        if !was_identity || !matches!(c.identity, Some(Identity::Always | Identity::ByDefault)) {
            continue;
        }
        out.push(format!(
            "SELECT setval(pg_get_serial_sequence({}, {}), n) FROM (SELECT greatest(pg_sequence_last_value(pg_get_serial_sequence({}, {})::regclass), max({})) AS n FROM {temp_q}) AS issued WHERE n IS NOT NULL",
            literal(&temp_q),
            literal(&c.name),
            literal(&live),
            literal(f),
            ident(&c.name),
        ));
        identity_sequences.push(c.name.clone());
    }
    out.push(format!("DROP TABLE {live}"));
    out.push(format!(
        "ALTER TABLE {temp_q} RENAME TO {}",
        ident(&to.name.name)
    ));
    // The new identity sequences were named after the temporary table; give them the names a
    // table created under its own name has (when PostgreSQL did not have to shorten them).
    for column in identity_sequences {
        let (was, is) = (
            format!("{}_{column}_seq", temp.name),
            format!("{}_{column}_seq", to.name.name),
        );
        if was.len() <= 63 {
            out.push(format!(
                "ALTER SEQUENCE {} RENAME TO {}",
                qualified(&sibling(&to.name, &was)),
                ident(&is)
            ));
        }
    }
    for index in &to.indexes {
        out.extend(create_index(&to.name, index));
    }
    for fk in &to.foreign_keys {
        out.push(format!("ALTER TABLE {live} ADD {}", fk_clause(fk)));
    }
    for t in &to.triggers {
        out.push(t.definition.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_where_needed() {
        assert_eq!(ident("users"), "users");
        assert_eq!(ident("order"), "\"order\"");
        assert_eq!(ident("Users"), "\"Users\"");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(ident("café"), "\"café\"");
        assert_eq!(ident("1a"), "\"1a\"");
    }

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
