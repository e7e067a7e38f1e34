//! The schema model: plain data describing tables, columns, keys, indexes, views, triggers,
//! routines and types, the same for every engine. What only one engine has is carried in typed
//! attributes ([`TableAttr`], [`Identity`], index `method`, ...), never in per-engine structs.
//!
//! Expressions (defaults, checks, index predicates, view bodies) are kept as the text the engine's
//! catalog prints, so comparing two inspected schemas of the same engine compares like with like.

use serde::{Deserialize, Serialize};

/// A possibly schema-qualified object name; `schema: None` means the default schema
/// (PostgreSQL `public`, the connected MySQL database, SQLite `main`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Name {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub name: String,
}

impl Name {
    /// A name in the default schema.
    pub fn new(name: impl Into<String>) -> Name {
        Name {
            schema: None,
            name: name.into(),
        }
    }

    /// A name in `schema`.
    pub fn qualified(schema: impl Into<String>, name: impl Into<String>) -> Name {
        Name {
            schema: Some(schema.into()),
            name: name.into(),
        }
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{s}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// A whole database schema.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// Non-default namespaces (PostgreSQL schemas) the objects live in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
    /// PostgreSQL extensions (`CREATE EXTENSION`); the objects they bring are not listed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<UserType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sequences: Vec<Sequence>,
    #[serde(default)]
    pub tables: Vec<Table>,
    /// SQLite virtual tables (FTS5, R*Tree, ...); their shadow tables are not listed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub virtual_tables: Vec<VirtualTable>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<View>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routines: Vec<Routine>,
}

impl Schema {
    /// The table called `name`.
    pub fn table(&self, name: &Name) -> Option<&Table> {
        self.tables.iter().find(|t| &t.name == name)
    }

    /// Sorts every list by name so that two inspections of equal schemas compare equal.
    pub fn normalize(&mut self) {
        self.namespaces.sort();
        self.extensions.sort_by(|a, b| a.name.cmp(&b.name));
        self.types.sort_by(|a, b| a.name.cmp(&b.name));
        self.sequences.sort_by(|a, b| a.name.cmp(&b.name));
        self.tables.sort_by(|a, b| a.name.cmp(&b.name));
        for t in &mut self.tables {
            t.uniques.sort_by(|a, b| a.name.cmp(&b.name));
            t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
            t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
            t.checks.sort_by(|a, b| a.name.cmp(&b.name));
            t.exclusions.sort_by(|a, b| a.name.cmp(&b.name));
            t.policies.sort_by(|a, b| a.name.cmp(&b.name));
            t.triggers.sort_by(|a, b| a.name.cmp(&b.name));
        }
        self.views.sort_by(|a, b| a.name.cmp(&b.name));
        self.virtual_tables.sort_by(|a, b| a.name.cmp(&b.name));
        for v in &mut self.views {
            v.triggers.sort_by(|a, b| a.name.cmp(&b.name));
        }
        self.routines
            .sort_by(|a, b| (&a.name, &a.signature).cmp(&(&b.name, &b.signature)));
    }
}

/// A PostgreSQL extension. Its version is not tracked: it is whatever the server ships, and
/// `ALTER EXTENSION ... UPDATE` is an operation, not a schema change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub name: String,
    /// The schema its objects go to, when not the default (`public`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
}

/// A user-defined type: a PostgreSQL enum or domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserType {
    pub name: Name,
    pub kind: UserTypeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// What a [`UserType`] is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserTypeKind {
    Enum {
        values: Vec<String>,
    },
    Domain {
        data_type: String,
        #[serde(default)]
        not_null: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        default: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        checks: Vec<Check>,
    },
    /// A PostgreSQL composite type (`CREATE TYPE name AS (a text, b int)`).
    Composite {
        attributes: Vec<Attribute>,
    },
}

/// An attribute of a composite type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    pub name: String,
    pub data_type: String,
}

/// A standalone sequence (PostgreSQL); sequences owned by serial/identity columns are not listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    pub name: Name,
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub cache: i64,
    pub cycle: bool,
    /// `table.column` that owns the sequence (dropped with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<(Name, String)>,
}

/// A table with its columns and constraints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub name: Name,
    pub columns: Vec<Column>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<Key>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uniques: Vec<Key>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    /// PostgreSQL exclusion constraints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<Exclusion>,
    /// PostgreSQL row-level security policies (enabled by `TableAttr::PgRowSecurity`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<Policy>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attrs: Vec<TableAttr>,
    /// `-- strata:renamed-from OLD` hint read from a schema file (never from a catalog).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

impl Table {
    /// A table with no columns yet.
    pub fn new(name: Name) -> Table {
        Table {
            name,
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
            exclusions: Vec::new(),
            policies: Vec::new(),
            triggers: Vec::new(),
            comment: None,
            attrs: Vec::new(),
            renamed_from: None,
        }
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// Engine-specific table options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableAttr {
    /// MySQL storage engine, e.g. InnoDB.
    MysqlEngine(String),
    /// MySQL default character set and collation.
    MysqlCharset { charset: String, collation: String },
    /// MySQL/MariaDB partitioning, the `PARTITION BY ...` clause as the server prints it (with
    /// its partitions).
    MysqlPartitionBy(String),
    /// MySQL AUTO_INCREMENT start value is deliberately not tracked (it is data, not schema).
    /// SQLite `WITHOUT ROWID`.
    SqliteWithoutRowid,
    /// SQLite `STRICT`.
    SqliteStrict,
    /// PostgreSQL `PARTITION BY ...` clause of a partitioned table.
    PgPartitionBy(String),
    /// PostgreSQL partition of a parent: `PARTITION OF parent FOR VALUES ...`.
    PgPartitionOf { parent: Name, bound: String },
    /// PostgreSQL `UNLOGGED`.
    PgUnlogged,
    /// PostgreSQL `ENABLE ROW LEVEL SECURITY`.
    PgRowSecurity,
    /// PostgreSQL `FORCE ROW LEVEL SECURITY` (the owner is subject to the policies too).
    PgForceRowSecurity,
    /// PostgreSQL `INHERITS (...)`.
    PgInherits(Vec<Name>),
    /// PostgreSQL storage parameters, `WITH (fillfactor=70, autovacuum_enabled=false)`, as
    /// `name=value` the way the catalog keeps them.
    PgStorage(Vec<String>),
}

/// A column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// The type as the engine's catalog spells it (e.g. `character varying(100)`, `varchar(100)`).
    pub data_type: String,
    pub nullable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// `-- strata:renamed-from OLD` hint read from a schema file (never from a catalog).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

impl Column {
    /// A nullable column of `data_type` with no default.
    pub fn new(name: impl Into<String>, data_type: impl Into<String>) -> Column {
        Column {
            name: name.into(),
            data_type: data_type.into(),
            nullable: true,
            default: None,
            identity: None,
            generated: None,
            collation: None,
            comment: None,
            renamed_from: None,
        }
    }
}

/// How a column numbers itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    /// PostgreSQL `GENERATED ALWAYS AS IDENTITY`.
    Always,
    /// PostgreSQL `GENERATED BY DEFAULT AS IDENTITY`.
    ByDefault,
    /// PostgreSQL `serial`/`bigserial`: a default from a sequence the column owns.
    Serial { sequence: Name },
    /// MySQL `AUTO_INCREMENT`, SQLite `AUTOINCREMENT`.
    AutoIncrement,
}

/// A generated (computed) column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generated {
    pub expression: String,
    /// Stored (computed on write) rather than virtual (computed on read).
    pub stored: bool,
}

/// A primary key or unique constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key {
    /// The constraint name; `None` where the engine does not name it (SQLite inline keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub columns: Vec<String>,
    #[serde(default, skip_serializing_if = "Deferrable::is_not")]
    pub deferrable: Deferrable,
    /// PostgreSQL 15 `UNIQUE NULLS NOT DISTINCT`: rows whose key is NULL count as equal.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nulls_not_distinct: bool,
}

/// An index (not one that backs a primary key or unique constraint).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub unique: bool,
    pub parts: Vec<IndexPart>,
    /// Partial index predicate (`WHERE ...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// Access method when not the default (`gin`, `brin`, `hash`, MySQL `FULLTEXT`/`SPATIAL`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// PostgreSQL `INCLUDE (...)` columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// PostgreSQL storage parameters, `WITH (fillfactor=70)`, as `name=value` the way the
    /// catalog keeps them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<String>,
    /// PostgreSQL 15 `NULLS NOT DISTINCT` of a unique index.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nulls_not_distinct: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One key part of an index: a column or an expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexPart {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub descending: bool,
    /// PostgreSQL `NULLS FIRST/LAST` when it differs from the default for the direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nulls_first: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// PostgreSQL operator class when not the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    /// MySQL prefix length (`col(10)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<u32>,
}

impl IndexPart {
    /// An ascending part on `column`.
    pub fn column(name: impl Into<String>) -> IndexPart {
        IndexPart {
            column: Some(name.into()),
            expression: None,
            descending: false,
            nulls_first: None,
            collation: None,
            opclass: None,
            prefix: None,
        }
    }
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub ref_table: Name,
    pub ref_columns: Vec<String>,
    #[serde(default, skip_serializing_if = "FkAction::is_default")]
    pub on_update: FkAction,
    #[serde(default, skip_serializing_if = "FkAction::is_default")]
    pub on_delete: FkAction,
    #[serde(default, skip_serializing_if = "Deferrable::is_not")]
    pub deferrable: Deferrable,
    /// Added `NOT VALID` and not validated since (PostgreSQL): rows that were there before are
    /// not known to satisfy it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
}

/// A referential action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FkAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    fn is_default(&self) -> bool {
        *self == FkAction::NoAction
    }

    /// The SQL words.
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// Whether a constraint's check can be deferred to commit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deferrable {
    #[default]
    Not,
    InitiallyImmediate,
    InitiallyDeferred,
}

impl Deferrable {
    fn is_not(&self) -> bool {
        *self == Deferrable::Not
    }

    /// The clause that follows a constraint, with its leading space (empty when not deferrable).
    pub fn sql(self) -> &'static str {
        match self {
            Deferrable::Not => "",
            Deferrable::InitiallyImmediate => " DEFERRABLE",
            Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
        }
    }
}

/// A check constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub expression: String,
    /// Added `NOT VALID` and not validated since (PostgreSQL): rows that were there before are
    /// not known to satisfy it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
}

/// A PostgreSQL exclusion constraint, kept as the server prints it
/// (`EXCLUDE USING gist (room WITH =, during WITH &&)`, with any `WHERE` and `DEFERRABLE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    pub name: String,
    pub definition: String,
}

/// A PostgreSQL row-level security policy, kept as the `CREATE POLICY` statement that makes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub name: String,
    pub definition: String,
}

/// A trigger, kept as the full statement the engine prints for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub name: String,
    pub definition: String,
}

/// A SQLite virtual table, kept as its `CREATE VIRTUAL TABLE ... USING module(...)` statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualTable {
    pub name: Name,
    pub definition: String,
}

/// A view or PostgreSQL materialized view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub name: Name,
    /// The query (`SELECT ...`) as the engine prints it.
    pub definition: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub materialized: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Indexes of a materialized view.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    /// `INSTEAD OF` triggers (SQLite, PostgreSQL): they make the view writable.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    /// Engine options as `name=value`: PostgreSQL's (`security_invoker=true`,
    /// `security_barrier=true`, `check_option=local`, a materialized view's storage
    /// parameters), MySQL's `sql_security=invoker`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// A function or procedure, kept as the full statement the engine prints for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routine {
    pub name: Name,
    pub kind: RoutineKind,
    /// Identity arguments (PostgreSQL overloads differ by them), e.g. `integer, text`.
    #[serde(default)]
    pub signature: String,
    pub definition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// Whether a [`Routine`] is a function or a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutineKind {
    Function,
    Procedure,
}
