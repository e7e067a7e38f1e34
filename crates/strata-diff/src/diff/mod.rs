//! The differ: what changes take one schema to another, in an order the engine accepts.

use crate::change::{Change, ColumnPosition, ConstraintKind};
use crate::dialect::Dialect;
use std::collections::{BTreeMap, BTreeSet};
use strata_schema::{Check, Column, ForeignKey, Index, Key, Name, Schema, Table, Trigger, View};

mod matching;
mod order;
mod renames;
mod table;

pub use matching::column_order_differences;
use matching::*;
use order::*;
pub use renames::Renames;
use table::*;

/// The changes from `from` to `to`, with renames taken from `to`'s hints.
pub fn diff(from: &Schema, to: &Schema, dialect: &dyn Dialect) -> Vec<Change> {
    diff_with(from, to, &Renames::from_hints(from, to), dialect)
}

/// Ordered buckets: every change lands in the phase where its dependencies already exist.
#[derive(Default)]
struct Phases {
    create_namespaces: Vec<Change>,
    /// Extensions go before the types, tables and defaults that use what they bring.
    create_extensions: Vec<Change>,
    create_types: Vec<Change>,
    /// New and replaced routines go before tables: defaults, checks and indexes may call them.
    create_routines_early: Vec<Change>,
    drop_dependents: Vec<Change>,
    /// Policies that change or go: before what their expressions use is dropped.
    drop_policies: Vec<Change>,
    drop_routines: Vec<Change>,
    renames: Vec<Change>,
    create_tables: Vec<Change>,
    alter_tables: Vec<Change>,
    add_foreign_keys: Vec<Change>,
    create_routines: Vec<Change>,
    create_views: Vec<Change>,
    create_triggers: Vec<Change>,
    /// Policies last among the creations: their expressions may use any table, view or routine.
    create_policies: Vec<Change>,
    drop_tables: Vec<Change>,
    /// Routines that are gone are dropped after the defaults and checks that used them.
    drop_routines_late: Vec<Change>,
    drop_types: Vec<Change>,
    drop_extensions: Vec<Change>,
    drop_namespaces: Vec<Change>,
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
    let mut p = Phases::default();

    // Namespaces.
    for n in &to.namespaces {
        if !from.namespaces.contains(n) {
            p.create_namespaces
                .push(Change::CreateNamespace { name: n.clone() });
        }
    }
    for n in &from.namespaces {
        if !to.namespaces.contains(n) {
            p.drop_namespaces
                .push(Change::DropNamespace { name: n.clone() });
        }
    }

    // Extensions: one that moved to another schema is dropped and created again.
    for e in &to.extensions {
        if !from.extensions.contains(e) {
            if let Some(old) = from.extensions.iter().find(|f| f.name == e.name) {
                p.create_extensions.push(Change::DropExtension {
                    extension: old.clone(),
                });
            }
            p.create_extensions.push(Change::CreateExtension {
                extension: e.clone(),
            });
        }
    }
    for e in &from.extensions {
        if !to.extensions.iter().any(|t| t.name == e.name) {
            p.drop_extensions.push(Change::DropExtension {
                extension: e.clone(),
            });
        }
    }

    // Types: enums that only gained values (the old ones keep their relative order) are altered
    // in place; other changes replace the type.
    let mut type_users: BTreeSet<Name> = BTreeSet::new();
    for t in order_types(&to.types) {
        match from.types.iter().find(|f| f.name == t.name) {
            None => p.create_types.push(Change::CreateType { ty: t.clone() }),
            Some(f) if f == t => {}
            Some(f) if f.kind == t.kind => p.create_types.push(Change::SetTypeComment {
                name: t.name.clone(),
                comment: t.comment.clone(),
            }),
            Some(f) => match (&f.kind, &t.kind) {
                (
                    strata_schema::UserTypeKind::Enum { values: old },
                    strata_schema::UserTypeKind::Enum { values: new },
                ) if keeps_order(old, new) => {
                    // Each new value goes before the next old value, or at the end when none
                    // follows; added in list order, a run of new values keeps its order. Only
                    // old values are named: a statement naming a value added earlier in the
                    // same transaction reads to lint (PG013) like a use of it before commit.
                    for (i, v) in new.iter().enumerate() {
                        if old.contains(v) {
                            continue;
                        }
                        p.create_types.push(Change::AddEnumValue {
                            name: t.name.clone(),
                            value: v.clone(),
                            after: None,
                            before: new[i + 1..].iter().find(|n| old.contains(n)).cloned(),
                        });
                    }
                    if f.comment != t.comment {
                        p.create_types.push(Change::SetTypeComment {
                            name: t.name.clone(),
                            comment: t.comment.clone(),
                        });
                    }
                }
                (
                    strata_schema::UserTypeKind::Composite { attributes: old },
                    strata_schema::UserTypeKind::Composite { attributes: new },
                ) if composite_in_place(old, new) => {
                    p.create_types.push(Change::AlterCompositeType {
                        name: t.name.clone(),
                        add: new
                            .iter()
                            .filter(|a| !old.iter().any(|o| o.name == a.name))
                            .cloned()
                            .collect(),
                        drop: old
                            .iter()
                            .filter(|o| !new.iter().any(|a| a.name == o.name))
                            .map(|o| o.name.clone())
                            .collect(),
                    });
                    if f.comment != t.comment {
                        p.create_types.push(Change::SetTypeComment {
                            name: t.name.clone(),
                            comment: t.comment.clone(),
                        });
                    }
                }
                _ => {
                    let columns = columns_of_type(from, to, &f.name);
                    for (table, _) in &columns {
                        type_users.insert(table.clone());
                    }
                    p.create_types.push(Change::ReplaceType {
                        from: f.clone(),
                        to: t.clone(),
                        columns,
                    });
                }
            },
        }
    }
    for f in order_types(&from.types).into_iter().rev() {
        if !to.types.iter().any(|t| t.name == f.name) {
            p.drop_types.push(Change::DropType { ty: f.clone() });
        }
    }
    for s in &to.sequences {
        match from.sequences.iter().find(|f| f.name == s.name) {
            None => p.create_types.push(Change::CreateSequence {
                sequence: s.clone(),
            }),
            Some(f) if f == s => {}
            Some(f) => p.create_types.push(Change::AlterSequence {
                from: f.clone(),
                to: s.clone(),
            }),
        }
    }
    for f in &from.sequences {
        if !to.sequences.iter().any(|s| s.name == f.name) {
            p.drop_types.push(Change::DropSequence {
                sequence: f.clone(),
            });
        }
    }

    // Tables.
    let renamed_to: BTreeMap<&Name, &Name> = renames.tables.iter().map(|(o, n)| (o, n)).collect();
    let renamed_from: BTreeMap<&Name, &Name> = renames.tables.iter().map(|(o, n)| (n, o)).collect();
    let mut changed_tables: BTreeSet<Name> = type_users;
    let mut new_tables = Vec::new();
    for t in &to.tables {
        let before = match renamed_from.get(&t.name) {
            Some(old) => {
                p.renames.push(Change::RenameTable {
                    from: (*old).clone(),
                    to: t.name.clone(),
                });
                changed_tables.insert((*old).clone());
                from.table(old)
            }
            None => from.table(&t.name),
        };
        match before {
            None => new_tables.push(t),
            Some(f) => {
                let before_changes = p.alter_tables.len() + p.drop_dependents.len();
                diff_table(f, t, renames, d, &table_options, &mut p);
                if p.alter_tables.len() + p.drop_dependents.len() != before_changes {
                    changed_tables.insert(t.name.clone());
                    changed_tables.insert(f.name.clone());
                }
            }
        }
    }
    // A rebuilt table is dropped once its replacement holds the rows: foreign keys of other
    // tables that reference it, and stay, are dropped before and added back after (SQLite's keys
    // name the table, which the replacement takes over).
    if !d.inline_foreign_keys() {
        let rebuilt: BTreeSet<Name> = p
            .alter_tables
            .iter()
            .filter_map(|c| match c {
                Change::RebuildTable { to, .. } => Some(to.name.clone()),
                _ => None,
            })
            .collect();
        for t in to.tables.iter().filter(|t| !rebuilt.contains(&t.name)) {
            let old = renamed_from.get(&t.name).copied().unwrap_or(&t.name);
            let Some(f) = from.table(old) else { continue };
            for fk in t
                .foreign_keys
                .iter()
                .filter(|k| rebuilt.contains(&k.ref_table))
            {
                // A key that changed is dropped and added by the table's own changes already.
                if let Some(kept) = f.foreign_keys.iter().find(|o| *o == fk) {
                    p.drop_dependents.push(Change::DropForeignKey {
                        table: f.name.clone(),
                        fk: kept.clone(),
                    });
                    p.add_foreign_keys.push(Change::AddForeignKey {
                        table: t.name.clone(),
                        fk: fk.clone(),
                    });
                }
            }
        }
    }
    for t in order_by_references(&new_tables) {
        let mut created = t.clone();
        created.triggers.clear();
        created.indexes.clear();
        if !d.inline_foreign_keys() {
            created.foreign_keys.clear();
            for fk in &t.foreign_keys {
                p.add_foreign_keys.push(Change::AddForeignKey {
                    table: t.name.clone(),
                    fk: fk.clone(),
                });
            }
        }
        p.create_tables.push(Change::CreateTable { table: created });
        for index in &t.indexes {
            p.create_tables.push(Change::CreateIndex {
                table: t.name.clone(),
                index: index.clone(),
            });
        }
        for policy in &t.policies {
            p.create_policies.push(Change::CreatePolicy {
                table: t.name.clone(),
                policy: policy.clone(),
            });
        }
        for trigger in order_triggers(d, t.triggers.iter().collect()) {
            p.create_triggers.push(Change::CreateTrigger {
                table: t.name.clone(),
                trigger: trigger.clone(),
            });
        }
    }
    let dropped: Vec<&Table> = from
        .tables
        .iter()
        .filter(|f| to.table(&f.name).is_none() && !renamed_to.contains_key(&f.name))
        .collect();
    let dropped_names: BTreeSet<&Name> = dropped.iter().map(|t| &t.name).collect();
    for t in order_by_references(&dropped).into_iter().rev() {
        if !d.inline_foreign_keys() {
            // Foreign keys between dropped tables would make the drop order matter: drop them first.
            for fk in &t.foreign_keys {
                if dropped_names.contains(&fk.ref_table) && fk.ref_table != t.name {
                    p.drop_dependents.push(Change::DropForeignKey {
                        table: t.name.clone(),
                        fk: fk.clone(),
                    });
                }
            }
        }
        p.drop_tables.push(Change::DropTable { table: t.clone() });
        changed_tables.insert(t.name.clone());
    }

    // Virtual tables: a changed definition is dropped early and created again after the tables
    // (an FTS table over external content names its table); removed ones go with the tables.
    for v in &to.virtual_tables {
        match from.virtual_tables.iter().find(|f| f.name == v.name) {
            Some(f) if f == v => {}
            Some(f) => {
                p.drop_dependents
                    .push(Change::DropVirtualTable { table: f.clone() });
                p.create_tables
                    .push(Change::CreateVirtualTable { table: v.clone() });
            }
            None => p
                .create_tables
                .push(Change::CreateVirtualTable { table: v.clone() }),
        }
    }
    for f in &from.virtual_tables {
        if !to.virtual_tables.iter().any(|v| v.name == f.name) {
            p.drop_tables
                .push(Change::DropVirtualTable { table: f.clone() });
        }
    }

    // Views: changed, removed, or depending on a changed table are dropped first and recreated.
    let to_views: BTreeMap<&Name, &View> = to.views.iter().map(|v| (&v.name, v)).collect();
    let mut recreate: BTreeSet<Name> = BTreeSet::new();
    for v in &from.views {
        let gone_or_changed = to_views.get(&v.name).is_none_or(|n| *n != v);
        let depends = changed_tables
            .iter()
            .any(|t| view_mentions(v, t, d.engine()));
        if gone_or_changed || depends {
            recreate.insert(v.name.clone());
        }
    }
    // A view built on a recreated view is recreated too.
    loop {
        let more: Vec<Name> = from
            .views
            .iter()
            .filter(|v| !recreate.contains(&v.name))
            .filter(|v| recreate.iter().any(|r| view_mentions(v, r, d.engine())))
            .map(|v| v.name.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        recreate.extend(more);
    }
    // Dependent views are dropped first (reverse creation order), before anything else goes.
    let drops: Vec<Change> = order_views(&from.views)
        .into_iter()
        .rev()
        .filter(|v| recreate.contains(&v.name))
        .map(|v| Change::DropView { view: v.clone() })
        .collect();
    p.drop_dependents.splice(0..0, drops);
    for v in order_views(&to.views) {
        let existed_same = from.views.iter().any(|f| f == v) && !recreate.contains(&v.name);
        if !existed_same {
            p.create_views.push(Change::CreateView { view: v.clone() });
            // Its INSTEAD OF triggers: a changed trigger recreates the view (the view is part
            // of the trigger's definition, and dropping the view drops them).
            for t in &v.triggers {
                p.create_triggers.push(Change::CreateTrigger {
                    table: v.name.clone(),
                    trigger: t.clone(),
                });
            }
        }
    }

    // Routines by name and signature.
    for r in &to.routines {
        match from
            .routines
            .iter()
            .find(|f| f.name == r.name && f.signature == r.signature)
        {
            Some(f) if f == r => {}
            Some(f) if d.replaces_routine(f, r) => p
                .create_routines_early
                .push(Change::CreateRoutine { routine: r.clone() }),
            Some(f) => {
                p.drop_routines
                    .push(Change::DropRoutine { routine: f.clone() });
                p.create_routines
                    .push(Change::CreateRoutine { routine: r.clone() });
            }
            // A routine whose signature names a new table (row types) waits for the table.
            None if new_tables.iter().any(|t| {
                mentions(&r.signature, &t.name)
                    || mentions(&r.definition, &t.name) && d.routine_returns_table_rows(r)
            }) =>
            {
                p.create_routines
                    .push(Change::CreateRoutine { routine: r.clone() })
            }
            None => p
                .create_routines_early
                .push(Change::CreateRoutine { routine: r.clone() }),
        }
    }
    for f in &from.routines {
        if !to
            .routines
            .iter()
            .any(|r| r.name == f.name && r.signature == f.signature)
        {
            p.drop_routines_late
                .push(Change::DropRoutine { routine: f.clone() });
        }
    }

    let Phases {
        create_namespaces,
        create_extensions,
        create_types,
        create_routines_early,
        drop_dependents,
        drop_policies,
        drop_routines,
        renames: rename_changes,
        create_tables,
        alter_tables,
        add_foreign_keys,
        create_routines,
        create_views,
        create_triggers,
        create_policies,
        drop_tables,
        drop_routines_late,
        drop_types,
        drop_extensions,
        drop_namespaces,
    } = p;
    [
        create_namespaces,
        create_extensions,
        create_types,
        create_routines_early,
        drop_dependents,
        drop_policies,
        drop_routines,
        rename_changes,
        create_tables,
        alter_tables,
        add_foreign_keys,
        create_routines,
        create_views,
        create_triggers,
        create_policies,
        drop_tables,
        drop_routines_late,
        drop_types,
        drop_extensions,
        drop_namespaces,
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The columns of tables on both sides whose type is `ty` (by name, with or without schema).
/// Whether `new` holds every value of `old` in the same relative order (values may be added
/// anywhere): what `ALTER TYPE ... ADD VALUE [BEFORE | AFTER]` can reach.
fn keeps_order(old: &[String], new: &[String]) -> bool {
    let kept: Vec<&String> = new.iter().filter(|v| old.contains(v)).collect();
    kept.len() == old.len() && kept.iter().zip(old).all(|(a, b)| *a == b)
}

fn columns_of_type(from: &Schema, to: &Schema, ty: &Name) -> Vec<(Name, Column)> {
    let names = [ty.name.clone(), ty.to_string()];
    let mut out = Vec::new();
    for t in &from.tables {
        if to.table(&t.name).is_none() {
            continue;
        }
        for c in &t.columns {
            if names
                .iter()
                .any(|n| c.data_type == *n || c.data_type == format!("\"{n}\""))
            {
                out.push((t.name.clone(), c.clone()));
            }
        }
    }
    out
}

/// Whether `ALTER TYPE ... ADD/DROP ATTRIBUTE` turns composite `old` into `new`: the attributes
/// kept keep their type and order, and the new ones come after them (ADD appends). Otherwise the
/// type is replaced.
fn composite_in_place(old: &[strata_schema::Attribute], new: &[strata_schema::Attribute]) -> bool {
    let kept: Vec<&strata_schema::Attribute> = old
        .iter()
        .filter(|o| new.iter().any(|a| a.name == o.name))
        .collect();
    new.len() >= kept.len()
        && kept.iter().zip(new).all(|(k, n)| *k == n)
        && new[kept.len()..]
            .iter()
            .all(|a| !old.iter().any(|o| o.name == a.name))
}

/// Whether a view's query names `name` in its code (not in a string literal or a comment).
fn view_mentions(view: &View, name: &Name, engine: strata_schema::Engine) -> bool {
    strata_schema::lex::mentions(&view.definition, engine, &name.name)
}
