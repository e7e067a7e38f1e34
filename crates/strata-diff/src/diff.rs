//! The differ: what changes take one schema to another, in an order the engine accepts.

use crate::change::{Change, ColumnPosition, ConstraintKind};
use crate::dialect::Dialect;
use std::collections::{BTreeMap, BTreeSet};
use strata_schema::{Check, Column, ForeignKey, Index, Key, Name, Schema, Table, Trigger, View};

/// Renames declared with `-- strata:renamed-from` hints: tables (old → new) and columns
/// (table's new name, old column, new column).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    pub tables: Vec<(Name, Name)>,
    pub columns: Vec<(Name, String, String)>,
}

impl Renames {
    /// The renames the hints of `to` declare against `from`.
    pub fn from_hints(from: &Schema, to: &Schema) -> Renames {
        let mut r = Renames::default();
        for t in &to.tables {
            if let Some(old) = &t.renamed_from {
                let old = Name {
                    schema: t.name.schema.clone(),
                    name: old.clone(),
                };
                if from.table(&old).is_some() && from.table(&t.name).is_none() {
                    r.tables.push((old, t.name.clone()));
                }
            }
            let before = from.table(&t.name).or_else(|| {
                r.tables
                    .iter()
                    .find(|(_, new)| new == &t.name)
                    .and_then(|(old, _)| from.table(old))
            });
            if let Some(before) = before {
                for c in &t.columns {
                    if let Some(old) = &c.renamed_from {
                        if before.column(old).is_some() && before.column(&c.name).is_none() {
                            r.columns
                                .push((t.name.clone(), old.clone(), c.name.clone()));
                        }
                    }
                }
            }
        }
        r
    }

    /// The same renames, undone.
    pub fn reversed(&self) -> Renames {
        let table_back = |n: &Name| {
            self.tables
                .iter()
                .find(|(_, new)| new == n)
                .map_or_else(|| n.clone(), |(old, _)| old.clone())
        };
        Renames {
            tables: self
                .tables
                .iter()
                .map(|(o, n)| (n.clone(), o.clone()))
                .collect(),
            columns: self
                .columns
                .iter()
                .map(|(t, o, n)| (table_back(t), n.clone(), o.clone()))
                .collect(),
        }
    }
}

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
        for trigger in order_triggers(t.triggers.iter().collect()) {
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
        let depends = changed_tables.iter().any(|t| mentions(&v.definition, t));
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
            .filter(|v| recreate.iter().any(|r| mentions(&v.definition, r)))
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
                    || mentions(&r.definition, &t.name) && r.definition.contains("RETURNS SETOF")
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

/// Whether SQL text mentions a table or view name as a word.
fn mentions(sql: &str, name: &Name) -> bool {
    let lower = sql.to_lowercase();
    let n = name.name.to_lowercase();
    let bytes = lower.as_bytes();
    let mut start = 0;
    while let Some(i) = lower[start..].find(&n) {
        let at = start + i;
        let end = at + n.len();
        let before_ok = at == 0 || !is_ident_byte(bytes[at - 1]);
        let after_ok = end >= bytes.len() || !is_ident_byte(bytes[end]);
        if before_ok && after_ok {
            return true;
        }
        start = at + 1;
    }
    false
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Tables ordered so that a referenced table comes before the tables referencing it
/// (cycles keep their input order).
fn order_by_references<'a>(tables: &[&'a Table]) -> Vec<&'a Table> {
    let names: BTreeSet<&Name> = tables.iter().map(|t| &t.name).collect();
    let mut done: BTreeSet<&Name> = BTreeSet::new();
    let mut out = Vec::new();
    let mut remaining: Vec<&Table> = tables.to_vec();
    while !remaining.is_empty() {
        let before = remaining.len();
        remaining.retain(|t| {
            // A table comes after the tables it references, inherits from or partitions.
            let parents = t.attrs.iter().flat_map(|a| match a {
                strata_schema::TableAttr::PgInherits(parents) => parents.iter().collect(),
                strata_schema::TableAttr::PgPartitionOf { parent, .. } => vec![parent],
                _ => Vec::new(),
            });
            let ready = t
                .foreign_keys
                .iter()
                .map(|fk| &fk.ref_table)
                .chain(parents)
                .all(|r| *r == t.name || !names.contains(r) || done.contains(r));
            if ready {
                done.insert(&t.name);
                out.push(*t);
            }
            !ready
        });
        if remaining.len() == before {
            // A cycle: take the first one and go on.
            let t = remaining.remove(0);
            done.insert(&t.name);
            out.push(t);
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

/// Triggers ordered so that one declared to fire after or before another (MySQL `FOLLOWS x`,
/// `PRECEDES x`) is created after it; otherwise in the given order.
fn order_triggers(mut remaining: Vec<&Trigger>) -> Vec<&Trigger> {
    let anchor = |t: &Trigger| -> Option<String> {
        let words: Vec<&str> = t.definition.split_whitespace().collect();
        words
            .windows(2)
            .find(|w| w[0].eq_ignore_ascii_case("FOLLOWS") || w[0].eq_ignore_ascii_case("PRECEDES"))
            .map(|w| w[1].trim_matches(|c| c == '`' || c == '"').to_string())
    };
    let mut out: Vec<&Trigger> = Vec::new();
    while !remaining.is_empty() {
        let waiting: Vec<String> = remaining.iter().map(|t| t.name.clone()).collect();
        let i = remaining
            .iter()
            .position(|t| anchor(t).is_none_or(|a| a == t.name || !waiting.contains(&a)))
            .unwrap_or(0);
        out.push(remaining.remove(i));
    }
    out
}

/// Types ordered so that a type comes after the types it is built on (a domain over an enum, a
/// composite with a domain attribute).
fn order_types(types: &[strata_schema::UserType]) -> Vec<&strata_schema::UserType> {
    order_by_mentions(
        types,
        |t| &t.name,
        |t| match &t.kind {
            strata_schema::UserTypeKind::Enum { .. } => String::new(),
            strata_schema::UserTypeKind::Domain { data_type, .. } => data_type.clone(),
            strata_schema::UserTypeKind::Composite { attributes } => attributes
                .iter()
                .map(|a| a.data_type.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        },
    )
}

/// Views ordered so that a view comes after the views it mentions.
fn order_views(views: &[View]) -> Vec<&View> {
    order_by_mentions(views, |v| &v.name, |v| v.definition.clone())
}

/// `items` in passes: each pass takes, in the given order, those whose text mentions none of the
/// items still waiting at the start of the pass; a pass that takes nothing (a cycle) takes the
/// first waiting item.
fn order_by_mentions<T>(
    items: &[T],
    name: impl Fn(&T) -> &Name,
    text: impl Fn(&T) -> String,
) -> Vec<&T> {
    let texts: Vec<String> = items.iter().map(text).collect();
    let mut out: Vec<&T> = Vec::new();
    let mut remaining: Vec<usize> = (0..items.len()).collect();
    while !remaining.is_empty() {
        let waiting: Vec<&Name> = remaining.iter().map(|&i| name(&items[i])).collect();
        let before = remaining.len();
        remaining.retain(|&i| {
            let own = name(&items[i]);
            let ready = waiting
                .iter()
                .filter(|n| **n != own)
                .all(|n| !mentions(&texts[i], n));
            if ready {
                out.push(&items[i]);
            }
            !ready
        });
        if remaining.len() == before {
            out.push(&items[remaining.remove(0)]);
        }
    }
    out
}

fn unnamed_key(k: &Key) -> Key {
    let mut k = k.clone();
    k.name = None;
    k
}

/// How two lists of named items pair up.
struct Matched<'a, T> {
    removed: Vec<&'a T>,
    added: Vec<&'a T>,
    /// Same definition, both named, different names.
    renamed: Vec<(&'a T, &'a T)>,
}

/// Builds the rename of a paired item, for engines that can rename it.
type RenameFn<'r, T> = &'r dyn Fn(&T, &T) -> Change;

impl<T> Matched<'_, T> {
    /// The changes of a pairing: a rename where `rename` builds one (the engine can rename),
    /// otherwise a drop and an add; removed items are dropped and added ones added.
    fn into_changes(
        self,
        rename: Option<RenameFn<'_, T>>,
        drop: impl Fn(&T) -> Change,
        add: impl Fn(&T) -> Change,
        (removes, adds): (&mut Vec<Change>, &mut Vec<Change>),
    ) {
        for (a, b) in self.renamed {
            match rename {
                Some(rename) => adds.push(rename(a, b)),
                None => {
                    removes.push(drop(a));
                    adds.push(add(b));
                }
            }
        }
        removes.extend(self.removed.into_iter().map(&drop));
        adds.extend(self.added.into_iter().map(&add));
    }
}

/// For each column of `to`, its index among the columns of `from` (through renames), if it was
/// there.
fn from_positions(
    from: &Table,
    to: &Table,
    col_renames: &BTreeMap<&str, &str>,
) -> Vec<Option<usize>> {
    to.columns
        .iter()
        .map(|c| {
            let old = col_renames.get(c.name.as_str()).copied().unwrap_or(&c.name);
            from.columns.iter().position(|f| f.name == old)
        })
        .collect()
}

/// The indexes (into `positions`) of the columns that must move so that the kept ones are in
/// the desired order: all but one longest increasing run of old positions, so that as few
/// columns as possible are rewritten.
fn out_of_order(positions: &[Option<usize>]) -> BTreeSet<usize> {
    let kept: Vec<(usize, usize)> = positions
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|p| (i, p)))
        .collect();
    // Longest increasing subsequence by dynamic programming: tables have few columns.
    let mut best = vec![1usize; kept.len()];
    let mut prev = vec![None; kept.len()];
    for j in 0..kept.len() {
        for k in 0..j {
            if kept[k].1 < kept[j].1 && best[k] + 1 > best[j] {
                best[j] = best[k] + 1;
                prev[j] = Some(k);
            }
        }
    }
    let mut moved: BTreeSet<usize> = kept.iter().map(|(i, _)| *i).collect();
    // Among equally long runs keep the one ending last: moving `note` before `kind` then moves
    // `note`, the column the user moved, rather than `kind`.
    let mut at = (0..kept.len()).max_by_key(|&j| (best[j], j));
    while let Some(j) = at {
        moved.remove(&kept[j].0);
        at = prev[j];
    }
    moved
}

/// Tables whose shared columns are in another order in `from` than in `to`: (table, order in
/// `from`, order in `to`), by the names in `to`.
pub fn column_order_differences(
    from: &Schema,
    to: &Schema,
    renames: &Renames,
) -> Vec<(Name, Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    for t in &to.tables {
        let old_name = renames
            .tables
            .iter()
            .find(|(_, n)| *n == t.name)
            .map_or(&t.name, |(o, _)| o);
        let Some(f) = from.table(old_name) else {
            continue;
        };
        let col_renames: BTreeMap<&str, &str> = renames
            .columns
            .iter()
            .filter(|(tn, _, _)| *tn == t.name)
            .map(|(_, o, n)| (n.as_str(), o.as_str()))
            .collect();
        let positions = from_positions(f, t, &col_renames);
        if out_of_order(&positions).is_empty() {
            continue;
        }
        let desired: Vec<String> = t
            .columns
            .iter()
            .zip(&positions)
            .filter(|(_, p)| p.is_some())
            .map(|(c, _)| c.name.clone())
            .collect();
        let mut now: Vec<(usize, String)> = t
            .columns
            .iter()
            .zip(&positions)
            .filter_map(|(c, p)| p.map(|p| (p, c.name.clone())))
            .collect();
        now.sort();
        out.push((
            t.name.clone(),
            now.into_iter().map(|(_, n)| n).collect(),
            desired,
        ));
    }
    out
}

/// Pairs items of `from` and `to`: equal ones (by `same`) are left alone, ones whose definition
/// (the second part of `key`) is equal but whose names differ are renames, the rest are removed
/// or added.
fn match_named<'a, T, K: PartialEq>(
    from: &'a [T],
    to: &'a [T],
    same: impl Fn(&T, &T) -> bool,
    key: impl Fn(&T) -> (Option<String>, K),
) -> Matched<'a, T> {
    let mut removed: Vec<&T> = from
        .iter()
        .filter(|a| !to.iter().any(|b| same(a, b)))
        .collect();
    let mut added: Vec<&T> = to
        .iter()
        .filter(|b| !from.iter().any(|a| same(a, b)))
        .collect();
    let mut renamed = Vec::new();
    let mut i = 0;
    while i < added.len() {
        let (bn, bk) = key(added[i]);
        let found = removed.iter().position(|a| {
            let (an, ak) = key(a);
            an.is_some() && bn.is_some() && an != bn && ak == bk
        });
        match found {
            Some(j) => renamed.push((removed.remove(j), added.remove(i))),
            None => i += 1,
        }
    }
    Matched {
        removed,
        added,
        renamed,
    }
}

/// Whether the foreign key `a` of the old schema stays as `b`: the same definition and either the
/// same validation state or a `NOT VALID` key that becomes valid (validated in place).
fn same_fk(a: &ForeignKey, b: &ForeignKey) -> bool {
    same_fk_definition(a, b) && (a.not_valid == b.not_valid || validates(&a.name, a.not_valid, b))
}

/// Whether a `NOT VALID` constraint (`name`, `not_valid` of the old side) is validated in place
/// to become the valid one of the new side; only a named constraint can be.
fn validates<T: Validity>(name: &Option<String>, not_valid: bool, b: &T) -> bool {
    not_valid && !b.not_valid() && name.is_some()
}

/// The validation state of a check or foreign key.
trait Validity {
    fn not_valid(&self) -> bool;
}

impl Validity for ForeignKey {
    fn not_valid(&self) -> bool {
        self.not_valid
    }
}

impl Validity for Check {
    fn not_valid(&self) -> bool {
        self.not_valid
    }
}

fn same_fk_definition(a: &ForeignKey, b: &ForeignKey) -> bool {
    a.columns == b.columns
        && a.ref_table == b.ref_table
        && a.ref_columns == b.ref_columns
        && a.on_update == b.on_update
        && a.on_delete == b.on_delete
        && a.deferrable == b.deferrable
        && (a.name.is_none() || b.name.is_none() || a.name == b.name)
}

fn same_key(a: &Key, b: &Key) -> bool {
    a.columns == b.columns
        && a.deferrable == b.deferrable
        && a.nulls_not_distinct == b.nulls_not_distinct
        && (a.name.is_none() || b.name.is_none() || a.name == b.name)
}

/// Like [`same_fk`], for checks.
fn same_check(a: &Check, b: &Check) -> bool {
    a.expression == b.expression
        && (a.name.is_none() || b.name.is_none() || a.name == b.name)
        && (a.not_valid == b.not_valid || validates(&a.name, a.not_valid, b))
}

/// `VALIDATE CONSTRAINT` for each constraint of `from` that is `NOT VALID` and stays (by `same`)
/// as a valid one of `to`; the reverse (valid to `NOT VALID`) is a drop and an add.
fn validations<T: Validity>(
    from: &[T],
    to: &[T],
    same: impl Fn(&T, &T) -> bool,
    name: impl Fn(&T) -> &Option<String>,
    table: &Name,
    kind: ConstraintKind,
) -> Vec<Change> {
    from.iter()
        .filter(|a| a.not_valid())
        .filter(|a| to.iter().any(|b| !b.not_valid() && same(a, b)))
        .filter_map(|a| name(a).clone())
        .map(|name| Change::ValidateConstraint {
            table: table.clone(),
            kind,
            name,
        })
        .collect()
}

/// The changes of one table that exists on both sides (possibly renamed).
/// What `diff_table` needs to know beyond the two tables.
struct TableOptions<'a> {
    /// Columns out of order are moved.
    move_columns: bool,
    /// (table, column) by their names in `to`, whose type changes, when the engine cannot
    /// change the type of a column in a foreign key while the key exists (MySQL).
    retyped: &'a BTreeSet<(Name, String)>,
}

/// The columns (by their names in `to`) whose type changes.
fn retyped_columns(
    from: &Schema,
    to: &Schema,
    renames: &Renames,
    d: &dyn Dialect,
) -> BTreeSet<(Name, String)> {
    let mut out = BTreeSet::new();
    for t in &to.tables {
        let old_table = renames
            .tables
            .iter()
            .find(|(_, n)| *n == t.name)
            .map_or(&t.name, |(o, _)| o);
        let Some(f) = from.table(old_table) else {
            continue;
        };
        for c in &t.columns {
            let old = renames
                .columns
                .iter()
                .find(|(tn, _, n)| *tn == t.name && *n == c.name)
                .map_or(c.name.as_str(), |(_, o, _)| o.as_str());
            if f.column(old)
                .is_some_and(|fc| !d.same_type(&fc.data_type, &c.data_type))
            {
                out.insert((t.name.clone(), c.name.clone()));
            }
        }
    }
    out
}

fn diff_table(
    from: &Table,
    to: &Table,
    renames: &Renames,
    d: &dyn Dialect,
    options: &TableOptions<'_>,
    p: &mut Phases,
) {
    let move_columns = options.move_columns;
    let table = to.name.clone();
    let mut alters: Vec<Change> = Vec::new();
    let mut pre: Vec<Change> = Vec::new();
    let mut post_fks: Vec<Change> = Vec::new();
    let mut triggers: Vec<Change> = Vec::new();

    // Columns, with renames.
    let col_renames: BTreeMap<&str, &str> = renames
        .columns
        .iter()
        .filter(|(t, _, _)| *t == table)
        .map(|(_, o, n)| (n.as_str(), o.as_str()))
        .collect();
    let mut seen_from: BTreeSet<&str> = BTreeSet::new();
    let moved: BTreeSet<usize> = if move_columns {
        out_of_order(&from_positions(from, to, &col_renames))
    } else {
        BTreeSet::new()
    };
    for (i, c) in to.columns.iter().enumerate() {
        let position = Some(match i {
            0 => ColumnPosition::First,
            _ => ColumnPosition::After(to.columns[i - 1].name.clone()),
        });
        let old_name = col_renames.get(c.name.as_str()).copied().unwrap_or(&c.name);
        match from.column(old_name) {
            None => alters.push(Change::AddColumn {
                table: table.clone(),
                column: c.clone(),
                // Appending is what ADD COLUMN does anyway: only name a place in the middle.
                position: if i + 1 == to.columns.len() {
                    None
                } else {
                    position
                },
            }),
            Some(f) => {
                seen_from.insert(&f.name);
                if f.name != c.name {
                    alters.push(Change::RenameColumn {
                        table: table.clone(),
                        from: f.name.clone(),
                        to: c.name.clone(),
                    });
                }
                let mut renamed = f.clone();
                renamed.name = c.name.clone();
                let comment_changed = f.comment != c.comment;
                // A generated column switched between VIRTUAL and STORED is dropped and added
                // again, so it needs its place even when it does not move.
                let readded = matches!((&f.generated, &c.generated), (Some(a), Some(b)) if a.stored != b.stored);
                if !d.same_column(&renamed, c)
                    || (comment_changed && d.comment_in_column_definition())
                    || moved.contains(&i)
                {
                    alters.push(Change::AlterColumn {
                        table: table.clone(),
                        from: renamed.clone(),
                        to: c.clone(),
                        // The changes of a table run in the desired column order, so placing
                        // each moved column after its desired predecessor gives the whole order.
                        position: if moved.contains(&i) || readded {
                            position
                        } else {
                            None
                        },
                    });
                }
                if comment_changed && !d.comment_in_column_definition() {
                    alters.push(Change::SetColumnComment {
                        table: table.clone(),
                        column: c.name.clone(),
                        comment: c.comment.clone(),
                    });
                }
            }
        }
    }
    let mut drops = Vec::new();
    for f in &from.columns {
        if !seen_from.contains(f.name.as_str()) {
            drops.push(Change::DropColumn {
                table: table.clone(),
                column: f.clone(),
            });
        }
    }

    // Keys and constraints: renamed when only the name differs, else dropped and added again.
    let mut adds = Vec::new();
    let mut removes = Vec::new();
    match (&from.primary_key, &to.primary_key) {
        (Some(a), Some(b)) if same_key(a, b) => {}
        (Some(a), Some(b))
            if a.name.is_some()
                && b.name.is_some()
                && unnamed_key(a) == unnamed_key(b)
                && d.renames_constraint(ConstraintKind::PrimaryKey) =>
        {
            adds.push(Change::RenameConstraint {
                table: table.clone(),
                kind: ConstraintKind::PrimaryKey,
                from: a.name.clone().unwrap_or_default(),
                to: b.name.clone().unwrap_or_default(),
            });
        }
        (Some(a), Some(b)) if d.replaces_primary_key_at_once() => {
            adds.push(Change::ReplacePrimaryKey {
                table: table.clone(),
                from: a.clone(),
                to: b.clone(),
            });
        }
        (a, b) => {
            if let Some(a) = a {
                removes.push(Change::DropPrimaryKey {
                    table: table.clone(),
                    key: a.clone(),
                });
            }
            if let Some(b) = b {
                adds.push(Change::AddPrimaryKey {
                    table: table.clone(),
                    key: b.clone(),
                });
            }
        }
    }
    let rename =
        |kind: ConstraintKind, a: Option<&String>, b: Option<&String>| Change::RenameConstraint {
            table: table.clone(),
            kind,
            from: a.cloned().unwrap_or_default(),
            to: b.cloned().unwrap_or_default(),
        };
    let rename_unique =
        |a: &Key, b: &Key| rename(ConstraintKind::Unique, a.name.as_ref(), b.name.as_ref());
    match_named(&from.uniques, &to.uniques, same_key, |k| {
        (k.name.clone(), unnamed_key(k))
    })
    .into_changes(
        d.renames_constraint(ConstraintKind::Unique)
            .then_some(&rename_unique as &dyn Fn(&Key, &Key) -> Change),
        |k| Change::DropUnique {
            table: table.clone(),
            key: k.clone(),
        },
        |k| Change::AddUnique {
            table: table.clone(),
            key: k.clone(),
        },
        (&mut removes, &mut adds),
    );
    let rename_check =
        |a: &Check, b: &Check| rename(ConstraintKind::Check, a.name.as_ref(), b.name.as_ref());
    let validate_checks = validations(
        &from.checks,
        &to.checks,
        same_check,
        |c| &c.name,
        &table,
        ConstraintKind::Check,
    );
    match_named(&from.checks, &to.checks, same_check, |c| {
        (c.name.clone(), (c.expression.clone(), c.not_valid))
    })
    .into_changes(
        d.renames_constraint(ConstraintKind::Check)
            .then_some(&rename_check as &dyn Fn(&Check, &Check) -> Change),
        |c| Change::DropCheck {
            table: table.clone(),
            check: c.clone(),
        },
        |c| Change::AddCheck {
            table: table.clone(),
            check: c.clone(),
        },
        (&mut removes, &mut adds),
    );
    adds.extend(validate_checks);
    match_named(
        &from.exclusions,
        &to.exclusions,
        |a, b| a == b,
        |x| (Some(x.name.clone()), x.definition.clone()),
    )
    .into_changes(
        None,
        |x| Change::DropExclusion {
            table: table.clone(),
            exclusion: x.clone(),
        },
        |x| Change::AddExclusion {
            table: table.clone(),
            exclusion: x.clone(),
        },
        (&mut removes, &mut adds),
    );
    let rename_index = |a: &Index, b: &Index| Change::RenameIndex {
        table: table.clone(),
        from: a.name.clone(),
        to: b.name.clone(),
    };
    match_named(
        &from.indexes,
        &to.indexes,
        |a, b| a == b,
        |i| {
            let mut unnamed = i.clone();
            unnamed.name = String::new();
            (Some(i.name.clone()), unnamed)
        },
    )
    .into_changes(
        d.renames_index()
            .then_some(&rename_index as &dyn Fn(&Index, &Index) -> Change),
        |i| Change::DropIndex {
            table: table.clone(),
            index: i.clone(),
        },
        |i| Change::CreateIndex {
            table: table.clone(),
            index: i.clone(),
        },
        (&mut removes, &mut adds),
    );
    let moved = |n: &Name| {
        renames
            .tables
            .iter()
            .find(|(o, _)| o == n)
            .map_or_else(|| n.clone(), |(_, new)| new.clone())
    };
    // Compare foreign keys as if referenced tables had their new names already.
    let from_fks: Vec<ForeignKey> = from
        .foreign_keys
        .iter()
        .map(|fk| {
            let mut fk = fk.clone();
            fk.ref_table = moved(&fk.ref_table);
            fk
        })
        .collect();
    let m = match_named(&from_fks, &to.foreign_keys, same_fk, |fk| {
        let mut unnamed = fk.clone();
        unnamed.name = None;
        (fk.name.clone(), unnamed)
    });
    let original = |fk: &ForeignKey| {
        let i = from_fks
            .iter()
            .position(|f| std::ptr::eq(f, fk))
            .expect("an item of from_fks");
        from.foreign_keys[i].clone()
    };
    // A renamed foreign key is renamed after the table's other changes, with the keys added.
    let rename_fk = |a: &ForeignKey, b: &ForeignKey| {
        rename(ConstraintKind::ForeignKey, a.name.as_ref(), b.name.as_ref())
    };
    m.into_changes(
        d.renames_constraint(ConstraintKind::ForeignKey)
            .then_some(&rename_fk as &dyn Fn(&ForeignKey, &ForeignKey) -> Change),
        |fk| Change::DropForeignKey {
            table: from.name.clone(),
            fk: original(fk),
        },
        |fk| Change::AddForeignKey {
            table: table.clone(),
            fk: fk.clone(),
        },
        (&mut pre, &mut post_fks),
    );
    // An unchanged foreign key over a column whose type changes (on either side) is dropped
    // before and added after, where the engine refuses to change the type under it (MySQL).
    for fk in &to.foreign_keys {
        let touched = fk
            .columns
            .iter()
            .any(|c| options.retyped.contains(&(table.clone(), c.clone())))
            || fk
                .ref_columns
                .iter()
                .any(|c| options.retyped.contains(&(fk.ref_table.clone(), c.clone())));
        if !touched {
            continue;
        }
        if let Some(old) = from_fks.iter().find(|f| same_fk(f, fk)) {
            pre.push(Change::DropForeignKey {
                table: from.name.clone(),
                fk: original(old),
            });
            post_fks.push(Change::AddForeignKey {
                table: table.clone(),
                fk: fk.clone(),
            });
        }
    }
    post_fks.extend(validations(
        &from_fks,
        &to.foreign_keys,
        same_fk,
        |fk| &fk.name,
        &table,
        ConstraintKind::ForeignKey,
    ));
    for t in &from.triggers {
        if !to.triggers.iter().any(|b| b == t) {
            pre.push(Change::DropTrigger {
                table: from.name.clone(),
                trigger: t.clone(),
            });
        }
    }
    // Policies: one whose statement changed is dropped and created again.
    for x in &from.policies {
        if !to.policies.contains(x) {
            // Before any rename: under the table's old name.
            p.drop_policies.push(Change::DropPolicy {
                table: from.name.clone(),
                policy: x.clone(),
            });
        }
    }
    for x in &to.policies {
        if !from.policies.contains(x) {
            p.create_policies.push(Change::CreatePolicy {
                table: table.clone(),
                policy: x.clone(),
            });
        }
    }
    let new_triggers = to
        .triggers
        .iter()
        .filter(|t| !from.triggers.iter().any(|a| a == *t))
        .collect();
    for t in order_triggers(new_triggers) {
        triggers.push(Change::CreateTrigger {
            table: table.clone(),
            trigger: t.clone(),
        });
    }
    if from.attrs != to.attrs && !d.needs_rebuild(from, to) {
        alters.push(Change::SetTableAttrs {
            table: table.clone(),
            from: from.attrs.clone(),
            to: to.attrs.clone(),
        });
    }
    if from.comment != to.comment {
        alters.push(Change::SetTableComment {
            table: table.clone(),
            comment: to.comment.clone(),
        });
    }

    // Order inside the table: drop what constrains old columns, change columns, add constraints.
    let mut table_changes: Vec<Change> = Vec::new();
    table_changes.extend(removes);
    table_changes.extend(alters);
    table_changes.extend(drops);
    table_changes.extend(adds);

    let needs_rebuild = d.needs_rebuild(from, to)
        || table_changes
            .iter()
            .chain(
                pre.iter()
                    .filter(|c| matches!(c, Change::DropForeignKey { .. })),
            )
            .chain(post_fks.iter())
            .any(|c| !d.alters_in_place(c));
    if needs_rebuild {
        // The rebuild recreates the table with its indexes and triggers from `to`.
        let mut renamed_from = from.clone();
        renamed_from.name = to.name.clone();
        for (t, old, new) in &renames.columns {
            if *t == table {
                if let Some(c) = renamed_from.columns.iter_mut().find(|c| &c.name == old) {
                    c.renamed_from = Some(old.clone());
                    c.name = new.clone();
                }
            }
        }
        p.drop_dependents.extend(
            pre.into_iter()
                .filter(|c| matches!(c, Change::DropTrigger { .. })),
        );
        p.alter_tables.push(Change::RebuildTable {
            from: renamed_from,
            to: to.clone(),
        });
        return;
    }
    p.drop_dependents.extend(pre);
    p.alter_tables.extend(table_changes);
    p.add_foreign_keys.extend(post_fks);
    p.create_triggers.extend(triggers);
}
