//! The differ: what changes take one schema to another, in an order the engine accepts.

use crate::change::{Change, ColumnPosition, ConstraintKind};
use crate::dialect::Dialect;
use std::collections::{BTreeMap, BTreeSet};
use strata_schema::{Check, Column, ForeignKey, Index, Key, Name, Schema, Table, Trigger, View};

mod matching;
mod objects;
mod order;
mod renames;
mod table;
mod views;

pub use matching::column_order_differences;
use matching::*;
use objects::*;
use order::*;
pub use renames::{ColumnRename, Renames, TableRename};
use table::*;
use views::*;

/// The changes from `from` to `to`, with renames taken from `to`'s hints.
pub fn diff(from: &Schema, to: &Schema, dialect: &dyn Dialect) -> Vec<Change> {
    diff_with(from, to, &Renames::from_hints(from, to), dialect)
}

/// When a change runs. Every change lands in the phase where its dependencies already exist;
/// the plan is the changes sorted by phase, and the sort is stable, so inside a phase they keep
/// the order the differ found them in. This list is the one place the phase order is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    CreateNamespaces,
    /// Extensions go before the types, tables and defaults that use what they bring.
    CreateExtensions,
    CreateTypes,
    /// New and replaced routines go before tables: defaults, checks and indexes may call them.
    CreateRoutinesEarly,
    /// Views that change, go, or read a changed table: dropped before anything else goes.
    DropViews,
    /// Foreign keys and triggers that depend on what changes next.
    DropDependents,
    /// Policies that change or go: before what their expressions use is dropped.
    DropPolicies,
    DropRoutines,
    RenameTables,
    CreateTables,
    AlterTables,
    AddForeignKeys,
    CreateRoutines,
    CreateViews,
    CreateTriggers,
    /// Policies last among the creations: their expressions may use any table, view or routine.
    CreatePolicies,
    DropTables,
    /// Routines that are gone are dropped after the defaults and checks that used them.
    DropRoutinesLate,
    DropTypes,
    DropExtensions,
    DropNamespaces,
}

/// The changes found so far, each with its phase.
#[derive(Default)]
struct Phases {
    changes: Vec<(Phase, Change)>,
}

impl Phases {
    fn push(&mut self, phase: Phase, change: Change) {
        self.changes.push((phase, change));
    }

    fn extend(&mut self, phase: Phase, changes: impl IntoIterator<Item = Change>) {
        self.changes.extend(changes.into_iter().map(|c| (phase, c)));
    }

    /// The changes of `phase` so far.
    fn of(&self, phase: Phase) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(move |(p, _)| *p == phase)
            .map(|(_, c)| c)
    }

    /// Every change in the order it runs.
    fn into_ordered(mut self) -> Vec<Change> {
        self.changes.sort_by_key(|(phase, _)| *phase);
        self.changes.into_iter().map(|(_, c)| c).collect()
    }
}

/// Whether a difference in the order of a table's columns is migrated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnOrder {
    /// Columns are moved to their place in the desired table (`MODIFY ... AFTER` on MySQL).
    #[default]
    Migrate,
    /// The order is left as it is; the plan lists the difference in [`crate::Plan::ignored`].
    Ignore,
}

/// Choices of the differ that are the project's to make.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiffOptions {
    /// Whether the plan moves columns whose order differs from the desired table's (`column_order`
    /// in `strata.toml`).
    pub column_order: ColumnOrder,
}

/// The changes from `from` to `to` given explicit renames.
pub fn diff_with(from: &Schema, to: &Schema, renames: &Renames, d: &dyn Dialect) -> Vec<Change> {
    diff_with_options(from, to, renames, d, DiffOptions::default())
}

/// The changes from `from` to `to` given explicit renames and the project's choices.
pub fn diff_with_options(
    from: &Schema,
    to: &Schema,
    renames: &Renames,
    d: &dyn Dialect,
    options: DiffOptions,
) -> Vec<Change> {
    let mut p = Phases::default();
    namespaces_and_extensions(from, to, &mut p);
    let type_users = types(from, to, &mut p);
    sequences(from, to, &mut p);
    let mut changed_tables = type_users;
    let new_tables = tables(from, to, renames, d, options, &mut changed_tables, &mut p);
    if !d.inline_foreign_keys() {
        references_to_rebuilt_tables(from, to, renames, &mut p);
    }
    for t in order_by_references(&new_tables) {
        create_table(t, d, &mut p);
    }
    dropped_tables(from, to, renames, d, &mut changed_tables, &mut p);
    virtual_tables(from, to, &mut p);
    view_changes(from, to, &changed_tables, d, &mut p);
    routines(from, to, &new_tables, d, &mut p);
    p.into_ordered()
}

/// Tables on both sides (renamed from hints, then compared one by one); returns the new ones
/// and adds every table that changed to `changed` (views reading them are recreated).
fn tables<'a>(
    from: &Schema,
    to: &'a Schema,
    renames: &Renames,
    d: &dyn Dialect,
    options: DiffOptions,
    changed: &mut BTreeSet<Name>,
    p: &mut Phases,
) -> Vec<&'a Table> {
    let move_columns = options.column_order == ColumnOrder::Migrate && d.moves_columns();
    let retyped = if d.retypes_foreign_key_columns() {
        BTreeSet::new()
    } else {
        retyped_columns(from, to, renames, d)
    };
    let table_options = TableOptions {
        move_columns,
        retyped: &retyped,
    };
    let mut new_tables = Vec::new();
    for t in &to.tables {
        let old = renames.old_table(&t.name);
        if old != &t.name {
            p.push(
                Phase::RenameTables,
                Change::RenameTable {
                    from: old.clone(),
                    to: t.name.clone(),
                },
            );
            changed.insert(old.clone());
        }
        let before = from.table(old);
        match before {
            None => new_tables.push(t),
            Some(f) => {
                let first = p.changes.len();
                diff_table(f, t, renames, d, &table_options, p);
                // Changed columns, keys or a rebuild (or dependents dropped for them) make the
                // views that read the table recreated; new foreign keys, triggers or policies
                // alone do not.
                let own = [Phase::AlterTables, Phase::DropDependents];
                if p.changes[first..].iter().any(|(ph, _)| own.contains(ph)) {
                    changed.insert(t.name.clone());
                    changed.insert(f.name.clone());
                }
            }
        }
    }
    new_tables
}

/// A rebuilt table is dropped once its replacement holds the rows: foreign keys of other tables
/// that reference it, and stay, are dropped before and added back after (SQLite's keys name the
/// table, which the replacement takes over).
fn references_to_rebuilt_tables(from: &Schema, to: &Schema, renames: &Renames, p: &mut Phases) {
    let rebuilt: BTreeSet<Name> = p
        .of(Phase::AlterTables)
        .filter_map(|c| match c {
            Change::RebuildTable { to, .. } => Some(to.name.clone()),
            _ => None,
        })
        .collect();
    for t in to.tables.iter().filter(|t| !rebuilt.contains(&t.name)) {
        let Some(f) = from.table(renames.old_table(&t.name)) else {
            continue;
        };
        for fk in t
            .foreign_keys
            .iter()
            .filter(|k| rebuilt.contains(&k.ref_table))
        {
            // A key that changed is dropped and added by the table's own changes already.
            if let Some(kept) = f.foreign_keys.iter().find(|o| *o == fk) {
                p.push(
                    Phase::DropDependents,
                    Change::DropForeignKey {
                        table: f.name.clone(),
                        fk: kept.clone(),
                    },
                );
                p.push(
                    Phase::AddForeignKeys,
                    Change::AddForeignKey {
                        table: t.name.clone(),
                        fk: fk.clone(),
                    },
                );
            }
        }
    }
}

/// A new table: created without its foreign keys where the engine adds them apart (they may
/// reference tables created after it), then its indexes, policies and triggers.
fn create_table(t: &Table, d: &dyn Dialect, p: &mut Phases) {
    let mut created = t.clone();
    created.triggers.clear();
    created.indexes.clear();
    if !d.inline_foreign_keys() {
        created.foreign_keys.clear();
        for fk in &t.foreign_keys {
            p.push(
                Phase::AddForeignKeys,
                Change::AddForeignKey {
                    table: t.name.clone(),
                    fk: fk.clone(),
                },
            );
        }
    }
    p.push(Phase::CreateTables, Change::CreateTable { table: created });
    for index in &t.indexes {
        p.push(
            Phase::CreateTables,
            Change::CreateIndex {
                table: t.name.clone(),
                index: index.clone(),
            },
        );
    }
    for policy in &t.policies {
        p.push(
            Phase::CreatePolicies,
            Change::CreatePolicy {
                table: t.name.clone(),
                policy: policy.clone(),
            },
        );
    }
    for trigger in order_triggers(d, t.triggers.iter().collect()) {
        p.push(
            Phase::CreateTriggers,
            Change::CreateTrigger {
                table: t.name.clone(),
                trigger: trigger.clone(),
            },
        );
    }
}

/// Tables that are gone, dropped in reverse reference order (renamed ones are not gone).
fn dropped_tables(
    from: &Schema,
    to: &Schema,
    renames: &Renames,
    d: &dyn Dialect,
    changed: &mut BTreeSet<Name>,
    p: &mut Phases,
) {
    let dropped: Vec<&Table> = from
        .tables
        .iter()
        .filter(|f| to.table(&f.name).is_none() && !renames.renames_table(&f.name))
        .collect();
    let dropped_names: BTreeSet<&Name> = dropped.iter().map(|t| &t.name).collect();
    for t in order_by_references(&dropped).into_iter().rev() {
        if !d.inline_foreign_keys() {
            // Foreign keys between dropped tables would make the drop order matter: drop them first.
            for fk in &t.foreign_keys {
                if dropped_names.contains(&fk.ref_table) && fk.ref_table != t.name {
                    p.push(
                        Phase::DropDependents,
                        Change::DropForeignKey {
                            table: t.name.clone(),
                            fk: fk.clone(),
                        },
                    );
                }
            }
        }
        p.push(Phase::DropTables, Change::DropTable { table: t.clone() });
        changed.insert(t.name.clone());
    }
}

/// Virtual tables: a changed definition is dropped early and created again after the tables
/// (an FTS table over external content names its table); removed ones go with the tables.
fn virtual_tables(from: &Schema, to: &Schema, p: &mut Phases) {
    for v in &to.virtual_tables {
        match from.virtual_tables.iter().find(|f| f.name == v.name) {
            Some(f) if f == v => {}
            Some(f) => {
                p.push(
                    Phase::DropDependents,
                    Change::DropVirtualTable { table: f.clone() },
                );
                p.push(
                    Phase::CreateTables,
                    Change::CreateVirtualTable { table: v.clone() },
                );
            }
            None => p.push(
                Phase::CreateTables,
                Change::CreateVirtualTable { table: v.clone() },
            ),
        }
    }
    for f in &from.virtual_tables {
        if !to.virtual_tables.iter().any(|v| v.name == f.name) {
            p.push(
                Phase::DropTables,
                Change::DropVirtualTable { table: f.clone() },
            );
        }
    }
}
