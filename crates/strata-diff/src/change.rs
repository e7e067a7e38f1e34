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
    /// `FIRST`: the column goes before all others.
    First,
    /// `AFTER column`: the column goes right after the named one (its name in the desired table).
    After(String),
}

/// The kind of a named constraint, for renames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    /// A primary key.
    PrimaryKey,
    /// A unique constraint.
    Unique,
    /// A check constraint.
    Check,
    /// A foreign key.
    ForeignKey,
}

impl ConstraintKind {
    /// The constraint kind in words ("foreign key"), for plan summaries.
    pub fn words(self) -> &'static str {
        match self {
            ConstraintKind::Check => "check",
            ConstraintKind::ForeignKey => "foreign key",
            ConstraintKind::PrimaryKey => "primary key",
            ConstraintKind::Unique => "unique constraint",
        }
    }
}

/// One change from a schema to another; a plan renders each as SQL with the engine's dialect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// Creates a schema (namespace), PostgreSQL only.
    CreateNamespace {
        /// The schema's name, unquoted.
        name: String,
    },
    /// Drops a schema (namespace) that no object uses any more, PostgreSQL only.
    DropNamespace {
        /// The schema's name, unquoted.
        name: String,
    },
    /// `CREATE EXTENSION IF NOT EXISTS` (PostgreSQL).
    CreateExtension {
        /// The extension to create, with the schema its objects go to.
        extension: Extension,
    },
    /// Drops a PostgreSQL extension and what it brought.
    DropExtension {
        /// The extension as the old schema has it.
        extension: Extension,
    },
    /// Creates a user-defined type (PostgreSQL enum, domain or composite).
    CreateType {
        /// The type to create.
        ty: UserType,
    },
    /// Drops a user-defined type that no column uses any more.
    DropType {
        /// The type as the old schema has it.
        ty: UserType,
    },
    /// Replaces a type whose change cannot be made in place (enum values removed or reordered,
    /// a domain's definition): the old type is renamed away, the new one created, the columns
    /// using it converted, and the old one dropped.
    ReplaceType {
        /// The type as the old schema has it.
        from: UserType,
        /// The type as the desired schema has it.
        to: UserType,
        /// The columns that use the type and are converted, as (table name, column) from the old
        /// schema.
        columns: Vec<(Name, Column)>,
    },
    /// Adds attributes at the end of a composite type and drops others, in place (the values of
    /// columns using it are kept; dropped attributes lose theirs).
    AlterCompositeType {
        /// The composite type's name.
        name: Name,
        /// Attributes added at the end, in order.
        add: Vec<Attribute>,
        /// Names of the attributes dropped.
        drop: Vec<String>,
    },
    /// Adds a value to a PostgreSQL enum in place (`ALTER TYPE ... ADD VALUE ... [BEFORE |
    /// AFTER]`): no column using the type is rewritten. At most one of `before` and `after` is
    /// set; neither appends.
    AddEnumValue {
        /// The enum type's name.
        name: Name,
        /// The label to add.
        value: String,
        /// The existing label the new one goes right after; `None` unless a caller sets it (the
        /// differ uses `before`).
        after: Option<String>,
        /// The existing label the new one goes right before; `None` to append (or to use `after`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<String>,
    },
    /// Creates a standalone sequence (PostgreSQL).
    CreateSequence {
        /// The sequence to create.
        sequence: Sequence,
    },
    /// Drops a standalone sequence (PostgreSQL).
    DropSequence {
        /// The sequence as the old schema has it.
        sequence: Sequence,
    },
    /// Changes a sequence's parameters in place (`ALTER SEQUENCE`, PostgreSQL).
    AlterSequence {
        /// The sequence as the old schema has it.
        from: Sequence,
        /// The sequence as the desired schema has it.
        to: Sequence,
    },
    /// Sets (or removes) the comment of a user-defined type.
    SetTypeComment {
        /// The type's name.
        name: Name,
        /// The new comment; `None` removes it.
        comment: Option<String>,
    },
    /// Creates a table with its columns and constraints (its indexes and triggers come as their own
    /// changes).
    CreateTable {
        /// The table to create.
        table: Table,
    },
    /// Drops a table and its rows.
    DropTable {
        /// The table as the old schema has it.
        table: Table,
    },
    /// Renames a table (from a `-- strata:renamed-from` hint); its rows stay.
    RenameTable {
        /// The table's old name.
        from: Name,
        /// The table's new name (in the same schema).
        to: Name,
    },
    /// Adds a column to an existing table.
    AddColumn {
        /// The table, by its name when the change runs (after any rename).
        table: Name,
        /// The column to add.
        column: Column,
        /// The place of the column in the desired table (used where the engine can place
        /// columns); `None` when it goes last, where `ADD COLUMN` puts it anyway.
        position: Option<ColumnPosition>,
    },
    /// Drops a column and its values.
    DropColumn {
        /// The table, by its name when the change runs (after any rename).
        table: Name,
        /// The column as the old schema has it.
        column: Column,
    },
    /// Renames a column (from a `-- strata:renamed-from` hint); its values stay.
    RenameColumn {
        /// The table, by its name when the change runs (after any rename).
        table: Name,
        /// The column's old name.
        from: String,
        /// The column's new name.
        to: String,
    },
    /// Changes a column in place: type, nullability, default, identity, generation, collation,
    /// comment or position.
    AlterColumn {
        /// The table, by its name when the change runs (after any rename).
        table: Name,
        /// The column as the old schema has it, under its new name when it was renamed.
        from: Column,
        /// The column as the desired schema has it.
        to: Column,
        /// The place of the column in the desired table; `None` when it neither moves nor is
        /// dropped and added again (a generated column switched between virtual and stored).
        position: Option<ColumnPosition>,
    },
    /// Adds a primary key to an existing table.
    AddPrimaryKey {
        /// The table, by its name when the change runs (after any rename).
        table: Name,
        /// The key to add.
        key: Key,
    },
    /// Drops and adds the primary key in one statement where the engine needs that (MySQL with
    /// an AUTO_INCREMENT column).
    ReplacePrimaryKey {
        /// The table, by its name when the change runs (after any rename).
        table: Name,
        /// The primary key as the old schema has it.
        from: Key,
        /// The primary key as the desired schema has it.
        to: Key,
    },
    /// Renames a constraint whose definition is unchanged.
    RenameConstraint {
        /// The table, by its name when the change runs (after any rename).
        table: Name,
        /// What kind of constraint is renamed.
        kind: ConstraintKind,
        /// The constraint's old name.
        from: String,
        /// The constraint's new name.
        to: String,
    },
    /// Renames an index whose definition is unchanged.
    RenameIndex {
        /// The table, by its name when the change runs (after any rename).
        table: Name,
        /// The index's old name.
        from: String,
        /// The index's new name.
        to: String,
    },
    /// Changes engine-specific table options (MySQL engine and charset, PostgreSQL logging).
    SetTableAttrs {
        /// The table, by its name when the change runs (after any rename).
        table: Name,
        /// All the table's options as the old schema has them (the dialect writes only what
        /// differs).
        from: Vec<TableAttr>,
        /// All the table's options as the desired schema has them.
        to: Vec<TableAttr>,
    },
    /// Drops the primary key of a table that keeps existing.
    DropPrimaryKey {
        /// The table, by its name when the change runs.
        table: Name,
        /// The key as the old schema has it.
        key: Key,
    },
    /// Adds a unique constraint to an existing table.
    AddUnique {
        /// The table, by its name when the change runs (after any rename).
        table: Name,
        /// The constraint to add.
        key: Key,
    },
    /// Drops a unique constraint from a table that keeps existing.
    DropUnique {
        /// The table, by its name when the change runs.
        table: Name,
        /// The constraint as the old schema has it.
        key: Key,
    },
    /// Creates an index on an existing or new table (a materialized view's indexes come with its
    /// `CreateView`).
    CreateIndex {
        /// The table, by its name when the change runs.
        table: Name,
        /// The index to create.
        index: Index,
    },
    /// Drops an index from a table.
    DropIndex {
        /// The table, by its name when the change runs.
        table: Name,
        /// The index as the old schema has it.
        index: Index,
    },
    /// Adds a foreign key (`NOT VALID` on PostgreSQL when the desired schema says so).
    AddForeignKey {
        /// The referencing table, by its name when the change runs.
        table: Name,
        /// The foreign key to add.
        fk: ForeignKey,
    },
    /// Drops a foreign key.
    DropForeignKey {
        /// The referencing table, by its name when the change runs.
        table: Name,
        /// The foreign key as the old schema has it.
        fk: ForeignKey,
    },
    /// Adds a check constraint (`NOT VALID` on PostgreSQL when the desired schema says so).
    AddCheck {
        /// The table, by its name when the change runs (after any rename).
        table: Name,
        /// The check to add.
        check: Check,
    },
    /// Drops a check constraint.
    DropCheck {
        /// The table, by its name when the change runs.
        table: Name,
        /// The check as the old schema has it.
        check: Check,
    },
    /// Validates a check or foreign key that was added `NOT VALID` (PostgreSQL `VALIDATE
    /// CONSTRAINT`): the rows already there are scanned under a lock that lets writes go on.
    ValidateConstraint {
        /// The table, by its name when the change runs (after any rename).
        table: Name,
        /// Whether the constraint is a check or a foreign key.
        kind: ConstraintKind,
        /// The constraint's name.
        name: String,
    },
    /// A SQLite virtual table (FTS5, R*Tree, ...).
    CreateVirtualTable {
        /// The virtual table to create.
        table: VirtualTable,
    },
    /// Drops a virtual table with what it holds (an FTS index over external content can be
    /// rebuilt; a table with its own content cannot).
    DropVirtualTable {
        /// The virtual table as the old schema has it.
        table: VirtualTable,
    },
    /// A PostgreSQL row-level security policy.
    CreatePolicy {
        /// The table the policy applies to, by its name when the change runs.
        table: Name,
        /// The policy to create.
        policy: Policy,
    },
    /// Drops a PostgreSQL row-level security policy.
    DropPolicy {
        /// The table the policy applies to, by its name when the change runs.
        table: Name,
        /// The policy as the old schema has it.
        policy: Policy,
    },
    /// A PostgreSQL exclusion constraint added to an existing table.
    AddExclusion {
        /// The table, by its name when the change runs (after any rename).
        table: Name,
        /// The exclusion constraint to add.
        exclusion: Exclusion,
    },
    /// Drops a PostgreSQL exclusion constraint.
    DropExclusion {
        /// The table, by its name when the change runs.
        table: Name,
        /// The constraint as the old schema has it.
        exclusion: Exclusion,
    },
    /// Creates a trigger on a table, or an `INSTEAD OF` trigger on a view.
    CreateTrigger {
        /// The table or view, by its name when the change runs.
        table: Name,
        /// The trigger to create.
        trigger: Trigger,
    },
    /// Drops a trigger.
    DropTrigger {
        /// The table or view, by its name when the change runs.
        table: Name,
        /// The trigger as the old schema has it.
        trigger: Trigger,
    },
    /// Sets or removes a table's comment (PostgreSQL, MySQL).
    SetTableComment {
        /// The table, by its name when the change runs (after any rename).
        table: Name,
        /// The new comment; `None` removes it.
        comment: Option<String>,
    },
    /// Sets or removes a column's comment with a statement of its own (PostgreSQL; MySQL writes it
    /// in the column definition through `AlterColumn`).
    SetColumnComment {
        /// The table, by its name when the change runs (after any rename).
        table: Name,
        /// The column's name in the desired table.
        column: String,
        /// The new comment; `None` removes it.
        comment: Option<String>,
    },
    /// Recreates a table with a new definition, copying the rows of the columns both share
    /// (SQLite, for what its ALTER TABLE cannot do).
    RebuildTable {
        /// The table as the old schema has it, but under its new name and with renamed columns
        /// already carrying their new names.
        from: Table,
        /// The table as the desired schema has it, with its indexes and triggers.
        to: Table,
    },
    /// Creates a view, or a PostgreSQL materialized view with its indexes (`INSTEAD OF` triggers
    /// come as their own changes).
    CreateView {
        /// The view to create.
        view: View,
    },
    /// Drops a view, before what it uses changes or goes.
    DropView {
        /// The view as the old schema has it.
        view: View,
    },
    /// Creates a function or procedure, or replaces one in place where the engine can
    /// (`CREATE OR REPLACE`).
    CreateRoutine {
        /// The routine to create.
        routine: Routine,
    },
    /// Drops a function or procedure.
    DropRoutine {
        /// The routine as the old schema has it.
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
                kind.words()
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
            Change::CreateView { view } => format!("create {}", view_words(view)),
            Change::DropView { view } => format!("drop {}", view_words(view)),
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

/// "view NAME" or "materialized view NAME", for [`Change::describe`].
fn view_words(view: &View) -> String {
    let kind = if view.materialized {
        "materialized view"
    } else {
        "view"
    };
    format!("{kind} {}", view.name)
}
