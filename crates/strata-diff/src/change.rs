//! [`Change`]: one step between two schemas.

use crate::dialect::Dialect;
use serde::Serialize;
use strata_schema::{
    Attribute, Check, Column, Exclusion, Extension, ForeignKey, Index, Key, Name, Policy, Routine,
    Sequence, Table, TableAttr, Trigger, UserType, View, VirtualTable,
};

/// Where a column goes in its table, for engines that can place it (MySQL `FIRST`/`AFTER`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnPosition {
    First,
    After(String),
}

/// The kind of a named constraint, for renames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    Check,
    ForeignKey,
}

/// One change from a schema to another; a plan renders each as SQL with the engine's dialect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    CreateNamespace {
        name: String,
    },
    DropNamespace {
        name: String,
    },
    /// `CREATE EXTENSION IF NOT EXISTS` (PostgreSQL).
    CreateExtension {
        extension: Extension,
    },
    DropExtension {
        extension: Extension,
    },
    CreateType {
        ty: UserType,
    },
    DropType {
        ty: UserType,
    },
    /// Replaces a type whose change cannot be made in place (enum values removed or reordered,
    /// a domain's definition): the old type is renamed away, the new one created, the columns
    /// using it converted, and the old one dropped.
    ReplaceType {
        from: UserType,
        to: UserType,
        columns: Vec<(Name, Column)>,
    },
    /// Adds attributes at the end of a composite type and drops others, in place (the values of
    /// columns using it are kept; dropped attributes lose theirs).
    AlterCompositeType {
        name: Name,
        add: Vec<Attribute>,
        drop: Vec<String>,
    },
    /// Adds a value to a PostgreSQL enum in place (`ALTER TYPE ... ADD VALUE ... [BEFORE |
    /// AFTER]`): no column using the type is rewritten. At most one of `before` and `after` is
    /// set; neither appends.
    AddEnumValue {
        name: Name,
        value: String,
        after: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<String>,
    },
    CreateSequence {
        sequence: Sequence,
    },
    DropSequence {
        sequence: Sequence,
    },
    AlterSequence {
        from: Sequence,
        to: Sequence,
    },
    /// Sets (or removes) the comment of a user-defined type.
    SetTypeComment {
        name: Name,
        comment: Option<String>,
    },
    CreateTable {
        table: Table,
    },
    DropTable {
        table: Table,
    },
    RenameTable {
        from: Name,
        to: Name,
    },
    AddColumn {
        table: Name,
        column: Column,
        /// The place of the column in the desired table.
        position: Option<ColumnPosition>,
    },
    DropColumn {
        table: Name,
        column: Column,
    },
    RenameColumn {
        table: Name,
        from: String,
        to: String,
    },
    AlterColumn {
        table: Name,
        from: Column,
        to: Column,
        /// The place of the column in the desired table.
        position: Option<ColumnPosition>,
    },
    AddPrimaryKey {
        table: Name,
        key: Key,
    },
    /// Drops and adds the primary key in one statement where the engine needs that (MySQL with
    /// an AUTO_INCREMENT column).
    ReplacePrimaryKey {
        table: Name,
        from: Key,
        to: Key,
    },
    /// Renames a constraint whose definition is unchanged.
    RenameConstraint {
        table: Name,
        kind: ConstraintKind,
        from: String,
        to: String,
    },
    /// Renames an index whose definition is unchanged.
    RenameIndex {
        table: Name,
        from: String,
        to: String,
    },
    /// Changes engine-specific table options (MySQL engine and charset, PostgreSQL logging).
    SetTableAttrs {
        table: Name,
        from: Vec<TableAttr>,
        to: Vec<TableAttr>,
    },
    DropPrimaryKey {
        table: Name,
        key: Key,
    },
    AddUnique {
        table: Name,
        key: Key,
    },
    DropUnique {
        table: Name,
        key: Key,
    },
    CreateIndex {
        table: Name,
        index: Index,
    },
    DropIndex {
        table: Name,
        index: Index,
    },
    AddForeignKey {
        table: Name,
        fk: ForeignKey,
    },
    DropForeignKey {
        table: Name,
        fk: ForeignKey,
    },
    AddCheck {
        table: Name,
        check: Check,
    },
    DropCheck {
        table: Name,
        check: Check,
    },
    /// Validates a check or foreign key that was added `NOT VALID` (PostgreSQL `VALIDATE
    /// CONSTRAINT`): the rows already there are scanned under a lock that lets writes go on.
    ValidateConstraint {
        table: Name,
        kind: ConstraintKind,
        name: String,
    },
    /// A SQLite virtual table (FTS5, R*Tree, ...).
    CreateVirtualTable {
        table: VirtualTable,
    },
    /// Drops a virtual table with what it holds (an FTS index over external content can be
    /// rebuilt; a table with its own content cannot).
    DropVirtualTable {
        table: VirtualTable,
    },
    /// A PostgreSQL row-level security policy.
    CreatePolicy {
        table: Name,
        policy: Policy,
    },
    DropPolicy {
        table: Name,
        policy: Policy,
    },
    /// A PostgreSQL exclusion constraint added to an existing table.
    AddExclusion {
        table: Name,
        exclusion: Exclusion,
    },
    DropExclusion {
        table: Name,
        exclusion: Exclusion,
    },
    CreateTrigger {
        table: Name,
        trigger: Trigger,
    },
    DropTrigger {
        table: Name,
        trigger: Trigger,
    },
    SetTableComment {
        table: Name,
        comment: Option<String>,
    },
    SetColumnComment {
        table: Name,
        column: String,
        comment: Option<String>,
    },
    /// Recreates a table with a new definition, copying the rows of the columns both share
    /// (SQLite, for what its ALTER TABLE cannot do).
    RebuildTable {
        from: Table,
        to: Table,
    },
    CreateView {
        view: View,
    },
    DropView {
        view: View,
    },
    CreateRoutine {
        routine: Routine,
    },
    DropRoutine {
        routine: Routine,
    },
}

impl Change {
    /// Whether the change can lose data on `dialect`'s engine: dropping a table or column, a type
    /// change that is not a widening there (`varchar(100)` → `varchar(200)` keeps every value;
    /// `varchar(200)` → `varchar(100)` may not), turning a column into a generated one.
    ///
    /// Plans, their summaries and the changelog all ask this, so they never disagree.
    pub fn is_destructive(&self, dialect: &dyn Dialect) -> bool {
        let loses = |from: &str, to: &str| {
            from != to && !dialect.same_type(from, to) && !dialect.is_widening(from, to)
        };
        match self {
            Change::DropTable { .. }
            | Change::DropColumn { .. }
            | Change::DropVirtualTable { .. } => true,
            Change::AlterCompositeType { drop, .. } => !drop.is_empty(),
            // Turning a plain column into a generated one replaces its stored values.
            Change::AlterColumn { from, to, .. } => {
                loses(&from.data_type, &to.data_type)
                    || (from.generated.is_none() && to.generated.is_some())
            }
            Change::ReplaceType { from, to, .. } => match (&from.kind, &to.kind) {
                (
                    strata_schema::UserTypeKind::Enum { values: a },
                    strata_schema::UserTypeKind::Enum { values: b },
                ) => a.iter().any(|v| !b.contains(v)),
                _ => true,
            },
            // `from` has `to`'s name and its columns carry their new names (renames applied).
            Change::RebuildTable { from, to } => from.columns.iter().any(|c| {
                to.column(&c.name)
                    .is_none_or(|n| loses(&c.data_type, &n.data_type))
            }),
            _ => false,
        }
    }

    /// A one-line description for plan summaries and SQL comments.
    pub fn describe(&self) -> String {
        match self {
            Change::CreateNamespace { name } => format!("create schema {name}"),
            Change::DropNamespace { name } => format!("drop schema {name}"),
            Change::CreateExtension { extension } => format!("create extension {}", extension.name),
            Change::DropExtension { extension } => format!("drop extension {}", extension.name),
            Change::CreateType { ty } => format!("create type {}", ty.name),
            Change::AlterCompositeType { name, add, drop } => {
                let mut what: Vec<String> = add.iter().map(|a| format!("add {}", a.name)).collect();
                what.extend(drop.iter().map(|d| format!("drop {d}")));
                format!("alter type {name} ({})", what.join(", "))
            }
            Change::DropType { ty } => format!("drop type {}", ty.name),
            Change::ReplaceType { from, to, columns } => {
                describe_replace_type(from, to, columns.len())
            }
            Change::AlterSequence { to, .. } => format!("alter sequence {}", to.name),
            Change::SetTypeComment { name, .. } => format!("set comment on type {name}"),
            Change::ReplacePrimaryKey { table, to, .. } => {
                format!(
                    "replace primary key of {table} with ({})",
                    to.columns.join(", ")
                )
            }
            Change::RenameConstraint {
                table, from, to, ..
            } => {
                format!("rename constraint {from} on {table} to {to}")
            }
            Change::RenameIndex { table, from, to } => {
                format!("rename index {from} on {table} to {to}")
            }
            Change::SetTableAttrs { table, .. } => format!("change table options of {table}"),
            Change::AddEnumValue {
                name,
                value,
                after,
                before,
            } => {
                let place = match (before, after) {
                    (Some(b), _) => format!(" before '{b}'"),
                    (None, Some(a)) => format!(" after '{a}'"),
                    (None, None) => String::new(),
                };
                // PostgreSQL 12+ runs ADD VALUE in a transaction; the value is usable once it
                // commits. Older servers refuse it there (lint PG013 says so).
                format!(
                    "add value '{value}' to enum {name}{place} (in place, no table rewritten; before PostgreSQL 12 it needs -- strata:no-transaction)"
                )
            }
            Change::CreateSequence { sequence } => format!("create sequence {}", sequence.name),
            Change::DropSequence { sequence } => format!("drop sequence {}", sequence.name),
            Change::CreateTable { table } => format!("create table {}", table.name),
            Change::DropTable { table } => format!("drop table {}", table.name),
            Change::RenameTable { from, to } => format!("rename table {from} to {}", to.name),
            Change::AddColumn { table, column, .. } => {
                format!("add column {}.{}", table, column.name)
            }
            Change::DropColumn { table, column } => {
                format!("drop column {}.{}", table, column.name)
            }
            Change::RenameColumn { table, from, to } => {
                format!("rename column {table}.{from} to {to}")
            }
            Change::AlterColumn {
                table,
                from,
                to,
                position,
            } => describe_alter_column(table, from, to, position.as_ref()),
            Change::AddPrimaryKey { table, .. } => format!("add primary key on {table}"),
            Change::DropPrimaryKey { table, .. } => format!("drop primary key of {table}"),
            Change::AddUnique { table, key } => {
                format!("add unique ({}) on {table}", key.columns.join(", "))
            }
            Change::DropUnique { table, key } => {
                format!("drop unique ({}) on {table}", key.columns.join(", "))
            }
            Change::CreateIndex { table, index } => {
                format!("create index {} on {table}", index.name)
            }
            Change::DropIndex { table, index } => format!("drop index {} on {table}", index.name),
            Change::AddForeignKey { table, fk } => format!(
                "add foreign key {table} ({}) -> {}{}",
                fk.columns.join(", "),
                fk.ref_table,
                if fk.not_valid {
                    " NOT VALID (rows already there are not checked)"
                } else {
                    ""
                }
            ),
            Change::DropForeignKey { table, fk } => format!(
                "drop foreign key {table} ({}) -> {}",
                fk.columns.join(", "),
                fk.ref_table
            ),
            Change::AddCheck { table, check } => format!(
                "add check {} on {table}{}",
                check.name.as_deref().unwrap_or(&check.expression),
                if check.not_valid {
                    " NOT VALID (rows already there are not checked)"
                } else {
                    ""
                }
            ),
            Change::ValidateConstraint { table, kind, name } => format!(
                "validate {} {name} on {table} (checks the rows already there)",
                match kind {
                    ConstraintKind::Check => "check",
                    ConstraintKind::ForeignKey => "foreign key",
                    ConstraintKind::PrimaryKey => "primary key",
                    ConstraintKind::Unique => "unique constraint",
                }
            ),
            Change::DropCheck { table, check } => format!(
                "drop check {} on {table}",
                check.name.as_deref().unwrap_or(&check.expression)
            ),
            Change::CreateVirtualTable { table } => format!("create virtual table {}", table.name),
            Change::DropVirtualTable { table } => format!("drop virtual table {}", table.name),
            Change::CreatePolicy { table, policy } => {
                format!("create policy {} on {table}", policy.name)
            }
            Change::DropPolicy { table, policy } => {
                format!("drop policy {} on {table}", policy.name)
            }
            Change::AddExclusion { table, exclusion } => {
                format!("add exclusion constraint {} on {table}", exclusion.name)
            }
            Change::DropExclusion { table, exclusion } => {
                format!("drop exclusion constraint {} on {table}", exclusion.name)
            }
            Change::CreateTrigger { table, trigger } => {
                format!("create trigger {} on {table}", trigger.name)
            }
            Change::DropTrigger { table, trigger } => {
                format!("drop trigger {} on {table}", trigger.name)
            }
            Change::SetTableComment { table, .. } => format!("set comment on table {table}"),
            Change::SetColumnComment { table, column, .. } => {
                format!("set comment on column {table}.{column}")
            }
            Change::RebuildTable { to, .. } => {
                format!("rebuild table {} (new definition, rows copied)", to.name)
            }
            Change::CreateView { view } => format!(
                "create {}view {}",
                if view.materialized {
                    "materialized "
                } else {
                    ""
                },
                view.name
            ),
            Change::DropView { view } => format!(
                "drop {}view {}",
                if view.materialized {
                    "materialized "
                } else {
                    ""
                },
                view.name
            ),
            Change::CreateRoutine { routine } => format!("create routine {}", routine.name),
            Change::DropRoutine { routine } => format!("drop routine {}", routine.name),
        }
    }
}

/// Why a type is replaced rather than altered, for [`Change::describe`].
fn describe_replace_type(from: &UserType, to: &UserType, columns: usize) -> String {
    let why = match (&from.kind, &to.kind) {
        (
            strata_schema::UserTypeKind::Enum { values: old },
            strata_schema::UserTypeKind::Enum { values: new },
        ) => {
            let removed: Vec<String> = old
                .iter()
                .filter(|v| !new.contains(v))
                .map(|v| format!("'{v}'"))
                .collect();
            if removed.is_empty() {
                // ADD VALUE cannot move a value that is already there.
                "; values reordered, which ALTER TYPE cannot do in place".to_string()
            } else {
                format!(
                "; value(s) {} removed, which ALTER TYPE cannot do in place: fails while rows use {}",
                removed.join(", "),
                if removed.len() == 1 { "it" } else { "them" }
            )
            }
        }
        _ => String::new(),
    };
    format!(
        "replace type {} (and convert {columns} column(s) using it{why})",
        to.name
    )
}

/// What an altered column changes, for [`Change::describe`].
fn describe_alter_column(
    table: &Name,
    from: &Column,
    to: &Column,
    position: Option<&ColumnPosition>,
) -> String {
    let mut what = Vec::new();
    if from.data_type != to.data_type {
        what.push(format!("type {} -> {}", from.data_type, to.data_type));
    }
    if from.nullable != to.nullable {
        what.push(
            if to.nullable {
                "drop not null"
            } else {
                "set not null"
            }
            .into(),
        );
    }
    if from.default != to.default {
        what.push(match &to.default {
            Some(d) => format!("default {d}"),
            None => "drop default".into(),
        });
    }
    if from.identity != to.identity || from.generated != to.generated {
        what.push("identity/generation".into());
    }
    if from.collation != to.collation {
        what.push("collation".into());
    }
    if from.comment != to.comment {
        what.push("comment".into());
    }
    match position {
        Some(ColumnPosition::First) => what.push("move first".into()),
        Some(ColumnPosition::After(c)) => what.push(format!("move after {c}")),
        None => {}
    }
    format!("alter column {}.{} ({})", table, to.name, what.join(", "))
}
