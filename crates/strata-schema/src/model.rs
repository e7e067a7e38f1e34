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
    /// The schema the object is in, as the catalog spells it; `None` for the default one (on
    /// PostgreSQL the connection's `current_schema()`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The object's own name, unquoted, as the catalog stores it (already case-folded by the
    /// engine).
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
    /// PostgreSQL enums, domains and composite types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<UserType>,
    /// Standalone PostgreSQL sequences (not the ones serial columns own).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sequences: Vec<Sequence>,
    /// Ordinary and partitioned tables, without strata's own history table.
    #[serde(default)]
    pub tables: Vec<Table>,
    /// SQLite virtual tables (FTS5, R*Tree, ...); their shadow tables are not listed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub virtual_tables: Vec<VirtualTable>,
    /// Views and PostgreSQL materialized views.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<View>,
    /// Functions and procedures (PostgreSQL, MySQL/MariaDB); SQLite has none.
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
    /// The extension name as `CREATE EXTENSION` takes it (e.g. `pgcrypto`).
    pub name: String,
    /// The schema its objects go to, when not the default (`public`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
}

/// A user-defined type: a PostgreSQL enum, domain or composite type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserType {
    /// The type's name, qualified when it is outside the default schema.
    pub name: Name,
    /// Whether the type is an enum, a domain or a composite, with its definition.
    pub kind: UserTypeKind,
    /// The `COMMENT ON TYPE` text; `None` when the type has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// What a [`UserType`] is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserTypeKind {
    /// A PostgreSQL enum (`CREATE TYPE name AS ENUM (...)`).
    Enum {
        /// The labels, in their sort order.
        values: Vec<String>,
    },
    /// A PostgreSQL domain (`CREATE DOMAIN name AS type ...`).
    Domain {
        /// The base type as `format_type` prints it, with its modifiers (e.g.
        /// `character varying(20)`).
        data_type: String,
        /// Whether the domain is `NOT NULL`.
        #[serde(default)]
        not_null: bool,
        /// The default expression as the catalog prints it; `None` when the domain has no default.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        default: Option<String>,
        /// The domain's `CHECK` constraints, each with its name.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        checks: Vec<Check>,
    },
    /// A PostgreSQL composite type (`CREATE TYPE name AS (a text, b int)`).
    Composite {
        /// The attributes, in declaration order.
        attributes: Vec<Attribute>,
    },
}

/// An attribute of a composite type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    /// The attribute's name, unquoted.
    pub name: String,
    /// The attribute's type as `format_type` prints it (e.g. `numeric(10,2)`).
    pub data_type: String,
}

/// A standalone sequence (PostgreSQL); sequences owned by serial/identity columns are not listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    /// The sequence's name, qualified when it is outside the default schema.
    pub name: Name,
    /// The value type as `format_type` prints it: `smallint`, `integer` or `bigint`.
    pub data_type: String,
    /// The first value `nextval` returns (`START WITH`).
    pub start: i64,
    /// The step between values (`INCREMENT BY`); negative for a descending sequence.
    pub increment: i64,
    /// The lowest value the sequence can return (`MINVALUE`).
    pub min_value: i64,
    /// The highest value the sequence can return (`MAXVALUE`).
    pub max_value: i64,
    /// How many values each session preallocates (`CACHE`); 1 means no caching.
    pub cache: i64,
    /// Whether the sequence wraps around past its limit (`CYCLE`) instead of failing.
    pub cycle: bool,
    /// `table.column` that owns the sequence (dropped with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<(Name, String)>,
}

/// A table with its columns and constraints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// The table's name, qualified when it is outside the default schema.
    pub name: Name,
    /// The columns in their catalog order; on PostgreSQL, only the table's own columns (a
    /// partition's and inherited columns belong to the parent).
    pub columns: Vec<Column>,
    /// The primary key; `None` when the table has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<Key>,
    /// Unique constraints (on MySQL also plain unique B-tree indexes without a comment, which are
    /// the same thing there).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uniques: Vec<Key>,
    /// Indexes that back no primary key or unique constraint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    /// Foreign keys declared on this table (the referencing side).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    /// `CHECK` constraints declared on the table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    /// PostgreSQL exclusion constraints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<Exclusion>,
    /// PostgreSQL row-level security policies (enabled by `TableAttr::PgRowSecurity`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<Policy>,
    /// Triggers on the table, each kept as its `CREATE TRIGGER` statement.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    /// The table comment (PostgreSQL `COMMENT ON TABLE`, MySQL `COMMENT=`); `None` when it has
    /// none, always on SQLite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Engine-specific options (storage engine, partitioning, `STRICT`, ...), only those set.
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
    MysqlCharset {
        /// The character set, e.g. `utf8mb4` (the part of the collation's name before `_`).
        charset: String,
        /// The table's default collation, e.g. `utf8mb4_0900_ai_ci`.
        collation: String,
    },
    /// MySQL/MariaDB partitioning, the `PARTITION BY ...` clause as the server prints it (with
    /// its partitions).
    MysqlPartitionBy(String),
    // MySQL's AUTO_INCREMENT start value is deliberately not tracked (it is data, not schema).
    /// SQLite `WITHOUT ROWID`.
    SqliteWithoutRowid,
    /// SQLite `STRICT`.
    SqliteStrict,
    /// PostgreSQL `PARTITION BY ...` clause of a partitioned table.
    PgPartitionBy(String),
    /// PostgreSQL partition of a parent: `PARTITION OF parent FOR VALUES ...`.
    PgPartitionOf {
        /// The partitioned table this is a partition of.
        parent: Name,
        /// The bound as `pg_get_expr` prints it: `FOR VALUES ...` or `DEFAULT`.
        bound: String,
    },
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
    /// The column's name, unquoted, as the catalog stores it.
    pub name: String,
    /// The type as the engine's catalog spells it (e.g. `character varying(100)`, `varchar(100)`).
    pub data_type: String,
    /// Whether the column accepts NULL (`false` for `NOT NULL`).
    pub nullable: bool,
    /// The default expression as the catalog prints it; `None` when the column has no default, and
    /// for serial and generated columns (see `identity` and `generated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// How the column numbers itself; `None` for an ordinary column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// The generation expression; `None` when the column is not generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
    /// The collation when it differs from the default (PostgreSQL: the type's, MySQL: the table's;
    /// SQLite: any `COLLATE` written); `None` otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// The column comment (PostgreSQL `COMMENT ON COLUMN`, MySQL `COMMENT '...'`); `None` when it
    /// has none, always on SQLite.
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
    Serial {
        /// The owned sequence the default draws from.
        sequence: Name,
    },
    /// MySQL `AUTO_INCREMENT`, SQLite `AUTOINCREMENT`.
    AutoIncrement,
}

/// A generated (computed) column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generated {
    /// The expression the value is computed from, as the catalog prints it.
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
    /// The key's columns, in key order.
    pub columns: Vec<String>,
    /// Whether checking can wait until commit; PostgreSQL only (always `Not` elsewhere).
    #[serde(default, skip_serializing_if = "Deferrable::is_not")]
    pub deferrable: Deferrable,
    /// PostgreSQL 15 `UNIQUE NULLS NOT DISTINCT`: rows whose key is NULL count as equal.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nulls_not_distinct: bool,
}

/// An index (not one that backs a primary key or unique constraint).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// The index name, unquoted; an index lives in its table's schema.
    pub name: String,
    /// Whether the index is `UNIQUE`.
    pub unique: bool,
    /// The key parts, in index order.
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
    /// The index comment (PostgreSQL `COMMENT ON INDEX`, MySQL `COMMENT '...'`); `None` when it has
    /// none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One key part of an index: a column or an expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexPart {
    /// The indexed column; `None` when the part is an expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The indexed expression as the catalog prints it; `None` when the part is a plain column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// Whether the part is sorted `DESC`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub descending: bool,
    /// PostgreSQL `NULLS FIRST/LAST` when it differs from the default for the direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nulls_first: Option<bool>,
    /// The part's `COLLATE` when it differs from the column's; `None` otherwise.
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
    /// The constraint name; `None` on SQLite, whose catalog does not keep foreign-key names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The referencing columns in this table, paired in order with `ref_columns`.
    pub columns: Vec<String>,
    /// The referenced table.
    pub ref_table: Name,
    /// The referenced columns, in the same order as `columns` (on SQLite filled from the referenced
    /// table's primary key when the key names none).
    pub ref_columns: Vec<String>,
    /// What happens to referencing rows when the referenced key changes.
    #[serde(default, skip_serializing_if = "FkAction::is_default")]
    pub on_update: FkAction,
    /// What happens to referencing rows when the referenced row is deleted.
    #[serde(default, skip_serializing_if = "FkAction::is_default")]
    pub on_delete: FkAction,
    /// Whether checking can wait until commit (PostgreSQL, SQLite; always `Not` on MySQL).
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
    /// `NO ACTION`, the default: the change fails if referencing rows remain at the end of the
    /// statement (or at commit when deferred).
    #[default]
    NoAction,
    /// `RESTRICT`: the change fails at once if referencing rows exist, even when the constraint is
    /// deferred.
    Restrict,
    /// `CASCADE`: referencing rows are deleted or updated along with the referenced row.
    Cascade,
    /// `SET NULL`: the referencing columns are set to NULL.
    SetNull,
    /// `SET DEFAULT`: the referencing columns are set to their defaults.
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
    /// `NOT DEFERRABLE`, the default: checked after each statement.
    #[default]
    Not,
    /// `DEFERRABLE INITIALLY IMMEDIATE`: checked after each statement unless a transaction says
    /// `SET CONSTRAINTS ... DEFERRED`.
    InitiallyImmediate,
    /// `DEFERRABLE INITIALLY DEFERRED`: checked at commit.
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
    /// The constraint name; `None` when the engine does not name it (a SQLite check written without
    /// `CONSTRAINT name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The condition without the `CHECK (...)` around it, as the catalog prints it.
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
    /// The constraint name, unquoted.
    pub name: String,
    /// The whole `EXCLUDE USING ...` clause as `pg_get_constraintdef` prints it.
    pub definition: String,
}

/// A PostgreSQL row-level security policy, kept as the `CREATE POLICY` statement that makes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// The policy name, unquoted.
    pub name: String,
    /// The `CREATE POLICY` statement, rebuilt from `pg_policy`.
    pub definition: String,
}

/// A trigger, kept as the full statement the engine prints for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    /// The trigger name, unquoted; a trigger lives in its table's schema.
    pub name: String,
    /// The whole `CREATE TRIGGER` statement as the engine prints or stores it.
    pub definition: String,
}

/// A SQLite virtual table, kept as its `CREATE VIRTUAL TABLE ... USING module(...)` statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualTable {
    /// The virtual table's name.
    pub name: Name,
    /// The `CREATE VIRTUAL TABLE` statement as SQLite stores it.
    pub definition: String,
}

/// A view or PostgreSQL materialized view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    /// The view's name, qualified when it is outside the default schema.
    pub name: Name,
    /// The query (`SELECT ...`) as the engine prints it.
    pub definition: String,
    /// Whether it is a PostgreSQL materialized view.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub materialized: bool,
    /// The view comment (PostgreSQL `COMMENT ON VIEW`); `None` when it has none, always on MySQL
    /// and SQLite.
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
    /// The routine's name, qualified when it is outside the default schema.
    pub name: Name,
    /// Whether it is a function or a procedure.
    pub kind: RoutineKind,
    /// Identity arguments (PostgreSQL overloads differ by them), e.g. `integer, text`.
    #[serde(default)]
    pub signature: String,
    /// The whole `CREATE FUNCTION`/`CREATE PROCEDURE` (or, for an aggregate, `CREATE AGGREGATE`)
    /// statement as the engine prints it.
    pub definition: String,
    /// The routine comment (PostgreSQL `COMMENT ON FUNCTION`, MySQL `COMMENT '...'`); `None` when
    /// it has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// Whether a [`Routine`] is a function or a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutineKind {
    /// A function (PostgreSQL also counts aggregates as functions here).
    Function,
    /// A procedure, run with `CALL`.
    Procedure,
}
