//! [`MySqlDialect`]: how a [`Change`] is written as MySQL 8 / MariaDB 10.6+ DDL.
//!
//! Identifiers are printed bare when they are plain lowercase words that are not reserved, and
//! quoted with backticks otherwise, so generated migrations read like hand-written ones.

use strata_diff::{Change, ColumnPosition, ConstraintKind, Dialect, Unsupported};
use strata_schema::{
    quote, Check, Column, Engine, FkAction, ForeignKey, Identity, Index, IndexPart, Key, Name,
    RoutineKind, Table, TableAttr,
};

const E: Engine = Engine::Mysql;

/// The MySQL / MariaDB dialect.
pub struct MySqlDialect;

/// The one instance of [`MySqlDialect`] that drivers hand out.
pub static MYSQL_DIALECT: MySqlDialect = MySqlDialect;

impl Dialect for MySqlDialect {
    fn engine(&self) -> Engine {
        E
    }

    /// Types are compared exactly: `enum('a')` and `enum('A')` are different types, and both
    /// sides of a comparison are printed by the same server.
    fn same_type(&self, a: &str, b: &str) -> bool {
        a == b
    }

    /// "Cannot change column 'x': used in a foreign key constraint": the key goes first.
    fn retypes_foreign_key_columns(&self) -> bool {
        false
    }

    /// `MODIFY COLUMN ... FIRST | AFTER` moves a column (instantly on MariaDB 10.4+, by an
    /// in-place rebuild on MySQL 8).
    fn moves_columns(&self) -> bool {
        true
    }

    /// A column's comment is part of its definition: MySQL can only change it with
    /// `MODIFY COLUMN` and the full definition, so a comment change is an [`Change::AlterColumn`].
    fn same_column(&self, a: &Column, b: &Column) -> bool {
        self.same_type(&a.data_type, &b.data_type)
            && a.nullable == b.nullable
            && a.default == b.default
            && a.identity == b.identity
            && a.generated == b.generated
            && a.collation == b.collation
            && a.comment == b.comment
    }

    fn comment_in_column_definition(&self) -> bool {
        true
    }

    fn replaces_primary_key_at_once(&self) -> bool {
        true
    }

    /// Unique keys are indexes and can be renamed; checks and foreign keys cannot.
    fn renames_constraint(&self, kind: ConstraintKind) -> bool {
        kind == ConstraintKind::Unique
    }

    fn is_widening(&self, from: &str, to: &str) -> bool {
        widens(from, to)
    }

    fn render(&self, change: &Change) -> Result<Vec<String>, Unsupported> {
        Ok(match change {
            // MySQL has no NOT VALID constraints (a check is enforced or NOT ENFORCED, which is
            // another thing): every check and foreign key it inspects is valid.
            Change::ValidateConstraint { .. } => return Err(Unsupported::new(E, change)),
            // MySQL has no schemas inside a database, no user types and no standalone sequences
            // strata tracks: inspection never produces them, so there is nothing to write.
            Change::CreateNamespace { .. }
            | Change::DropNamespace { .. }
            | Change::CreateExtension { .. }
            | Change::DropExtension { .. }
            | Change::AddExclusion { .. }
            | Change::DropExclusion { .. }
            | Change::CreatePolicy { .. }
            | Change::DropPolicy { .. }
            | Change::CreateType { .. }
            | Change::DropType { .. }
            | Change::AddEnumValue { .. }
            | Change::AlterCompositeType { .. }
            | Change::CreateVirtualTable { .. }
            | Change::DropVirtualTable { .. }
            | Change::CreateSequence { .. }
            | Change::DropSequence { .. }
            | Change::ReplaceType { .. }
            | Change::AlterSequence { .. }
            | Change::SetTypeComment { .. } => return Err(Unsupported::new(E, change)),
            Change::CreateTable { table } => vec![create_table(table)],
            Change::DropTable { table } => vec![format!("DROP TABLE {}", qname(&table.name))],
            Change::RenameTable { from, to } => {
                vec![format!("RENAME TABLE {} TO {}", qname(from), qname(to))]
            }
            Change::AddColumn {
                table,
                column,
                position,
            } => vec![format!(
                "ALTER TABLE {} ADD COLUMN {}{}",
                qname(table),
                column_def(column),
                position_sql(position.as_ref())
            )],
            Change::DropColumn { table, column } => vec![format!(
                "ALTER TABLE {} DROP COLUMN {}",
                qname(table),
                ident(&column.name)
            )],
            Change::RenameColumn { table, from, to } => vec![format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {}",
                qname(table),
                ident(from),
                ident(to)
            )],
            Change::AlterColumn {
                table,
                from,
                to,
                position,
            } => alter_column(table, from, to, position.as_ref()),
            Change::ReplacePrimaryKey { table, to, .. } => vec![format!(
                "ALTER TABLE {} DROP PRIMARY KEY, ADD PRIMARY KEY ({})",
                qname(table),
                idents(&to.columns)
            )],
            // Only unique keys are renamed in place (they are indexes); see `renames_constraint`.
            Change::RenameConstraint {
                table, from, to, ..
            }
            | Change::RenameIndex { table, from, to } => vec![format!(
                "ALTER TABLE {} RENAME INDEX {} TO {}",
                qname(table),
                ident(from),
                ident(to)
            )],
            Change::SetTableAttrs { table, from, to } => {
                // Only what changed: each of these copies the table.
                let engine = |v: &[TableAttr]| {
                    v.iter().find_map(|a| match a {
                        TableAttr::MysqlEngine(e) => Some(e.clone()),
                        _ => None,
                    })
                };
                let charset = |v: &[TableAttr]| {
                    v.iter().find_map(|a| match a {
                        TableAttr::MysqlCharset { charset, collation } => {
                            Some((charset.clone(), collation.clone()))
                        }
                        _ => None,
                    })
                };
                let mut options = Vec::new();
                if engine(from) != engine(to) {
                    if let Some(e) = engine(to) {
                        options.push(format!("ENGINE = {e}"));
                    }
                }
                if charset(from) != charset(to) {
                    // Columns without their own collation follow the table's default, as the
                    // desired schema says: convert them with it.
                    if let Some((charset, collation)) = charset(to) {
                        options.push(format!(
                            "CONVERT TO CHARACTER SET {charset} COLLATE {collation}"
                        ));
                    }
                }
                let mut out = Vec::new();
                if !options.is_empty() {
                    out.push(format!(
                        "ALTER TABLE {} {}",
                        qname(table),
                        options.join(", ")
                    ));
                }
                if partitioning(from) != partitioning(to) {
                    out.push(match partitioning(to) {
                        Some(p) => format!("ALTER TABLE {} {p}", qname(table)),
                        None => format!("ALTER TABLE {} REMOVE PARTITIONING", qname(table)),
                    });
                }
                out
            }
            // The comment travels with the full definition in the `AlterColumn` the differ emits
            // beside this change (see `same_column`).
            Change::SetColumnComment { .. } => Vec::new(),
            Change::AddPrimaryKey { table, key } => vec![format!(
                "ALTER TABLE {} ADD PRIMARY KEY ({})",
                qname(table),
                idents(&key.columns)
            )],
            Change::DropPrimaryKey { table, .. } => {
                vec![format!("ALTER TABLE {} DROP PRIMARY KEY", qname(table))]
            }
            Change::AddUnique { table, key } => {
                vec![format!(
                    "ALTER TABLE {} ADD {}",
                    qname(table),
                    unique_clause(key)
                )]
            }
            Change::DropUnique { table, key } => vec![format!(
                "ALTER TABLE {} DROP INDEX {}",
                qname(table),
                ident(&unique_name(key))
            )],
            Change::CreateIndex { table, index } => vec![create_index(table, index)],
            Change::DropIndex { table, index } => vec![format!(
                "DROP INDEX {} ON {}",
                ident(&index.name),
                qname(table)
            )],
            Change::AddForeignKey { table, fk } => vec![format!(
                "ALTER TABLE {} ADD {}",
                qname(table),
                foreign_key_clause(fk)
            )],
            Change::DropForeignKey { table, fk } => vec![format!(
                "ALTER TABLE {} DROP FOREIGN KEY {}",
                qname(table),
                ident(fk.name.as_deref().unwrap_or_default())
            )],
            Change::AddCheck { table, check } => vec![format!(
                "ALTER TABLE {} ADD {}",
                qname(table),
                check_clause(check)
            )],
            // `DROP CONSTRAINT` works on MariaDB and MySQL 8.0.19+ (MariaDB has no `DROP CHECK`).
            Change::DropCheck { table, check } => vec![format!(
                "ALTER TABLE {} DROP CONSTRAINT {}",
                qname(table),
                ident(check.name.as_deref().unwrap_or_default())
            )],
            Change::CreateTrigger { trigger, .. } => vec![trigger.definition.clone()],
            Change::DropTrigger { table, trigger } => vec![format!(
                "DROP TRIGGER {}",
                qname(&Name {
                    schema: table.schema.clone(),
                    name: trigger.name.clone(),
                })
            )],
            Change::SetTableComment { table, comment } => vec![format!(
                "ALTER TABLE {} COMMENT = {}",
                qname(table),
                quote::literal(E, comment.as_deref().unwrap_or_default())
            )],
            Change::RebuildTable { from, to } => rebuild_table(from, to),
            Change::CreateView { view } => {
                let security = if view.options.iter().any(|o| o == "sql_security=invoker") {
                    "SQL SECURITY INVOKER "
                } else {
                    ""
                };
                vec![format!(
                    "CREATE {security}VIEW {} AS {}",
                    qname(&view.name),
                    view.definition
                )]
            }
            Change::DropView { view } => vec![format!("DROP VIEW {}", qname(&view.name))],
            Change::CreateRoutine { routine } => vec![routine.definition.clone()],
            Change::DropRoutine { routine } => vec![format!(
                "DROP {} {}",
                match routine.kind {
                    RoutineKind::Function => "FUNCTION",
                    RoutineKind::Procedure => "PROCEDURE",
                },
                qname(&routine.name)
            )],
        })
    }
}

/// An identifier, bare when it is a plain lowercase word that is not reserved.
pub(crate) fn ident(name: &str) -> String {
    let plain = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if plain && !is_reserved(name) {
        name.to_string()
    } else {
        quote::ident(E, name)
    }
}

/// A possibly database-qualified name.
fn qname(name: &Name) -> String {
    match &name.schema {
        Some(s) => format!("{}.{}", ident(s), ident(&name.name)),
        None => ident(&name.name),
    }
}

fn idents(names: &[String]) -> String {
    names
        .iter()
        .map(|n| ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CREATE TABLE` with columns, keys and checks; indexes, foreign keys and triggers normally
/// come as their own changes, but are written inline when the table carries them.
fn create_table(t: &Table) -> String {
    let mut lines: Vec<String> = t.columns.iter().map(column_def).collect();
    if let Some(pk) = &t.primary_key {
        lines.push(format!("PRIMARY KEY ({})", idents(&pk.columns)));
    }
    lines.extend(t.uniques.iter().map(unique_clause));
    for i in &t.indexes {
        let kind = match i.method.as_deref() {
            Some(m) if is_index_kind(m) => format!("{} INDEX", m.to_ascii_uppercase()),
            _ if i.unique => "UNIQUE INDEX".to_string(),
            _ => "INDEX".to_string(),
        };
        lines.push(format!(
            "{kind} {} ({}){}",
            ident(&i.name),
            index_parts(&i.parts),
            index_options(i)
        ));
    }
    lines.extend(t.foreign_keys.iter().map(foreign_key_clause));
    lines.extend(t.checks.iter().map(check_clause));
    let mut sql = format!(
        "CREATE TABLE {} (\n  {}\n)",
        qname(&t.name),
        lines.join(",\n  ")
    );
    for attr in &t.attrs {
        match attr {
            TableAttr::MysqlEngine(engine) => sql.push_str(&format!(" ENGINE={engine}")),
            TableAttr::MysqlCharset { charset, collation } => {
                sql.push_str(&format!(" DEFAULT CHARSET={charset} COLLATE={collation}"))
            }
            _ => {}
        }
    }
    if let Some(c) = &t.comment {
        sql.push_str(&format!(" COMMENT={}", quote::literal(E, c)));
    }
    if let Some(p) = partitioning(&t.attrs) {
        sql.push('\n');
        sql.push_str(p);
    }
    sql
}

/// A table's `PARTITION BY ...` clause.
fn partitioning(attrs: &[TableAttr]) -> Option<&str> {
    attrs.iter().find_map(|a| match a {
        TableAttr::MysqlPartitionBy(p) => Some(p.as_str()),
        _ => None,
    })
}

/// A column's full definition, as `ADD COLUMN`, `MODIFY COLUMN` and `CREATE TABLE` need it.
fn column_def(c: &Column) -> String {
    let mut s = format!("{} {}", ident(&c.name), c.data_type);
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
        s.push_str(&format!(" COMMENT {}", quote::literal(E, comment)));
    }
    s
}

/// ` DEFAULT ...` for an inspected default; an `ON UPDATE` part (kept in the default by
/// inspection, as MySQL prints it beside the default) follows it.
fn default_clause(d: &str) -> String {
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
        Some(ColumnPosition::After(c)) => format!(" AFTER {}", ident(c)),
    }
}

fn alter_column(
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
        return vec![
            format!(
                "ALTER TABLE {} DROP COLUMN {}",
                qname(table),
                ident(&from.name)
            ),
            format!(
                "ALTER TABLE {} ADD COLUMN {}{}",
                qname(table),
                column_def(to),
                position_sql(position)
            ),
        ];
    }
    vec![format!(
        "ALTER TABLE {} MODIFY COLUMN {}{}",
        qname(table),
        column_def(to),
        position_sql(position)
    )]
}

/// Whether every value of type `from` fits in type `to` unchanged.
fn widens(from: &str, to: &str) -> bool {
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

fn unique_name(key: &Key) -> String {
    // Unnamed unique keys get the name of their first column.
    key.name
        .clone()
        .unwrap_or_else(|| key.columns.first().cloned().unwrap_or_default())
}

fn unique_clause(key: &Key) -> String {
    match &key.name {
        Some(n) => format!("CONSTRAINT {} UNIQUE ({})", ident(n), idents(&key.columns)),
        None => format!("UNIQUE ({})", idents(&key.columns)),
    }
}

fn is_index_kind(method: &str) -> bool {
    method.eq_ignore_ascii_case("FULLTEXT") || method.eq_ignore_ascii_case("SPATIAL")
}

fn create_index(table: &Name, i: &Index) -> String {
    let kind = match i.method.as_deref() {
        Some(m) if is_index_kind(m) => format!("{} ", m.to_ascii_uppercase()),
        _ if i.unique => "UNIQUE ".to_string(),
        _ => String::new(),
    };
    format!(
        "CREATE {kind}INDEX {} ON {} ({}){}",
        ident(&i.name),
        qname(table),
        index_parts(&i.parts),
        index_options(i)
    )
}

fn index_parts(parts: &[IndexPart]) -> String {
    parts
        .iter()
        .map(|p| {
            let mut s = match (&p.column, &p.expression) {
                (Some(c), _) => ident(c),
                (None, Some(e)) => format!("({e})"),
                (None, None) => String::new(),
            };
            if let Some(n) = p.prefix {
                s.push_str(&format!("({n})"));
            }
            if p.descending {
                s.push_str(" DESC");
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `USING HASH|BTREE` for a non-default method that is not a kind of index, and the comment.
fn index_options(i: &Index) -> String {
    let mut s = String::new();
    if let Some(m) = i.method.as_deref().filter(|m| !is_index_kind(m)) {
        s.push_str(&format!(" USING {}", m.to_ascii_uppercase()));
    }
    if let Some(c) = &i.comment {
        s.push_str(&format!(" COMMENT {}", quote::literal(E, c)));
    }
    s
}

/// Both actions are always written: the servers disagree on what an omitted one means (MariaDB
/// reports RESTRICT, MySQL 8 NO ACTION), and a round trip must give back what was inspected.
fn foreign_key_clause(fk: &ForeignKey) -> String {
    let mut s = String::new();
    if let Some(n) = &fk.name {
        s.push_str(&format!("CONSTRAINT {} ", ident(n)));
    }
    s.push_str(&format!(
        "FOREIGN KEY ({}) REFERENCES {} ({}) ON UPDATE {} ON DELETE {}",
        idents(&fk.columns),
        qname(&fk.ref_table),
        idents(&fk.ref_columns),
        action(fk.on_update),
        action(fk.on_delete)
    ));
    s
}

fn action(a: FkAction) -> &'static str {
    a.sql()
}

fn check_clause(c: &Check) -> String {
    match &c.name {
        Some(n) => format!("CONSTRAINT {} CHECK ({})", ident(n), c.expression),
        None => format!("CHECK ({})", c.expression),
    }
}

/// A table rebuild: MySQL alters every table in place, so the differ never asks for one; if it
/// does, the new definition is created beside the old table, the shared columns are copied and
/// the new table takes the old one's place.
fn rebuild_table(from: &Table, to: &Table) -> Vec<String> {
    let tmp = Name {
        schema: to.name.schema.clone(),
        name: format!("{}__strata_new", to.name.name),
    };
    let mut new = to.clone();
    new.name = tmp.clone();
    new.triggers.clear();
    let shared: Vec<(&str, &str)> = to
        .columns
        .iter()
        .filter(|c| c.generated.is_none())
        .filter_map(|c| {
            let old = c.renamed_from.as_deref().unwrap_or(&c.name);
            from.column(old).map(|_| (old, c.name.as_str()))
        })
        .collect();
    let mut out = vec![create_table(&new)];
    if !shared.is_empty() {
        out.push(format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            qname(&tmp),
            shared
                .iter()
                .map(|(_, n)| ident(n))
                .collect::<Vec<_>>()
                .join(", "),
            shared
                .iter()
                .map(|(o, _)| ident(o))
                .collect::<Vec<_>>()
                .join(", "),
            qname(&from.name)
        ));
    }
    out.push(format!("DROP TABLE {}", qname(&from.name)));
    out.push(format!(
        "RENAME TABLE {} TO {}",
        qname(&tmp),
        qname(&to.name)
    ));
    out.extend(to.triggers.iter().map(|t| t.definition.clone()));
    out
}

/// Whether `word` (lowercase) is reserved in MySQL 8 or MariaDB and so needs quoting.
fn is_reserved(word: &str) -> bool {
    RESERVED.binary_search(&word).is_ok()
}

/// Reserved words of MySQL 8.0 and MariaDB 10.6+, sorted.
#[rustfmt::skip]
const RESERVED: &[&str] = &[
    "accessible", "add", "all", "alter", "analyze", "and", "as", "asc", "asensitive", "before",
    "between", "bigint", "binary", "blob", "both", "by", "call", "cascade", "case", "change",
    "char", "character", "check", "collate", "column", "condition", "constraint", "continue",
    "convert", "create", "cross", "cube", "cume_dist", "current_date", "current_role",
    "current_time", "current_timestamp", "current_user", "cursor", "database", "databases",
    "day_hour", "day_microsecond", "day_minute", "day_second", "dec", "decimal", "declare",
    "default", "delayed", "delete", "delete_domain_id", "dense_rank", "desc", "describe",
    "deterministic", "distinct", "distinctrow", "div", "do_domain_ids", "double", "drop", "dual",
    "each", "else", "elseif", "empty", "enclosed", "escaped", "except", "exists", "exit", "explain",
    "false", "fetch", "first_value", "float", "float4", "float8", "for", "force", "foreign", "from",
    "fulltext", "function", "general", "generated", "get", "grant", "group", "grouping", "groups",
    "having", "high_priority", "hour_microsecond", "hour_minute", "hour_second", "if", "ignore",
    "ignore_domain_ids", "ignore_server_ids", "in", "index", "infile", "inner", "inout",
    "insensitive", "insert", "int", "int1", "int2", "int3", "int4", "int8", "integer", "intersect",
    "interval", "into", "io_after_gtids", "io_before_gtids", "is", "iterate", "join", "json_table",
    "key", "keys", "kill", "lag", "last_value", "lateral", "lead", "leading", "leave", "left",
    "like", "limit", "linear", "lines", "load", "localtime", "localtimestamp", "lock", "long",
    "longblob", "longtext", "loop", "low_priority", "master_bind", "master_heartbeat_period",
    "master_ssl_verify_server_cert", "match", "maxvalue", "mediumblob", "mediumint", "mediumtext",
    "middleint", "minute_microsecond", "minute_second", "mod", "modifies", "natural",
    "no_write_to_binlog", "not", "nth_value", "ntile", "null", "numeric", "of", "offset", "on",
    "optimize", "optimizer_costs", "option", "optionally", "or", "order", "out", "outer", "outfile",
    "over", "page_checksum", "parse_vcol_expr", "partition", "percent_rank", "position",
    "precision", "primary", "procedure", "purge", "range", "rank", "read", "read_write", "reads",
    "real", "recursive", "ref_system_id", "references", "regexp", "release", "rename", "repeat",
    "replace", "require", "resignal", "restrict", "return", "returning", "revoke", "right", "rlike",
    "row", "row_number", "rows", "schema", "schemas", "second_microsecond", "select", "sensitive",
    "separator", "set", "show", "signal", "slow", "smallint", "spatial", "specific", "sql",
    "sql_big_result", "sql_calc_found_rows", "sql_small_result", "sqlexception", "sqlstate",
    "sqlwarning", "ssl", "starting", "stats_auto_recalc", "stats_persistent", "stats_sample_pages",
    "stored", "straight_join", "system", "table", "terminated", "then", "tinyblob", "tinyint",
    "tinytext", "to", "trailing", "trigger", "true", "undo", "union", "unique", "unlock",
    "unsigned", "update", "usage", "use", "using", "utc_date", "utc_time", "utc_timestamp",
    "values", "varbinary", "varchar", "varcharacter", "varying", "virtual", "when", "where",
    "while", "window", "with", "write", "xor", "year_month", "zerofill",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_words_are_sorted() {
        let mut sorted = RESERVED.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, RESERVED);
    }

    #[test]
    fn quotes_only_where_needed() {
        assert_eq!(ident("users"), "users");
        assert_eq!(ident("order"), "`order`");
        assert_eq!(ident("Users"), "`Users`");
        assert_eq!(ident("café"), "`café`");
        assert_eq!(ident("a`b"), "`a``b`");
        assert_eq!(ident("1a"), "`1a`");
    }

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
