//! Namespaces, extensions, types and sequences: the objects tables are built from.

use super::*;

/// Namespaces (schemas) and extensions; an extension that moved to another schema is dropped
/// and created again.
pub(super) fn namespaces_and_extensions(from: &Schema, to: &Schema, p: &mut Phases) {
    for n in &to.namespaces {
        if !from.namespaces.contains(n) {
            p.push(
                Phase::CreateNamespaces,
                Change::CreateNamespace { name: n.clone() },
            );
        }
    }
    for n in &from.namespaces {
        if !to.namespaces.contains(n) {
            p.push(
                Phase::DropNamespaces,
                Change::DropNamespace { name: n.clone() },
            );
        }
    }

    for e in &to.extensions {
        if !from.extensions.contains(e) {
            if let Some(old) = from.extensions.iter().find(|f| f.name == e.name) {
                p.push(
                    Phase::CreateExtensions,
                    Change::DropExtension {
                        extension: old.clone(),
                    },
                );
            }
            p.push(
                Phase::CreateExtensions,
                Change::CreateExtension {
                    extension: e.clone(),
                },
            );
        }
    }
    for e in &from.extensions {
        if !to.extensions.iter().any(|t| t.name == e.name) {
            p.push(
                Phase::DropExtensions,
                Change::DropExtension {
                    extension: e.clone(),
                },
            );
        }
    }
}

/// Types: enums that only gained values (the old ones keep their relative order) and composites
/// that only gained or lost trailing attributes are altered in place; other changes replace the
/// type. Returns the tables whose columns use a replaced type.
pub(super) fn types(from: &Schema, to: &Schema, p: &mut Phases) -> BTreeSet<Name> {
    let mut type_users: BTreeSet<Name> = BTreeSet::new();
    for t in order_types(&to.types) {
        match from.types.iter().find(|f| f.name == t.name) {
            None => p.push(Phase::CreateTypes, Change::CreateType { ty: t.clone() }),
            Some(f) if f == t => {}
            Some(f) if f.kind == t.kind => p.push(
                Phase::CreateTypes,
                Change::SetTypeComment {
                    name: t.name.clone(),
                    comment: t.comment.clone(),
                },
            ),
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
                        p.push(
                            Phase::CreateTypes,
                            Change::AddEnumValue {
                                name: t.name.clone(),
                                value: v.clone(),
                                after: None,
                                before: new[i + 1..].iter().find(|n| old.contains(n)).cloned(),
                            },
                        );
                    }
                    if f.comment != t.comment {
                        p.push(
                            Phase::CreateTypes,
                            Change::SetTypeComment {
                                name: t.name.clone(),
                                comment: t.comment.clone(),
                            },
                        );
                    }
                }
                (
                    strata_schema::UserTypeKind::Composite { attributes: old },
                    strata_schema::UserTypeKind::Composite { attributes: new },
                ) if composite_in_place(old, new) => {
                    p.push(
                        Phase::CreateTypes,
                        Change::AlterCompositeType {
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
                        },
                    );
                    if f.comment != t.comment {
                        p.push(
                            Phase::CreateTypes,
                            Change::SetTypeComment {
                                name: t.name.clone(),
                                comment: t.comment.clone(),
                            },
                        );
                    }
                }
                _ => {
                    let columns = columns_of_type(from, to, &f.name);
                    for (table, _) in &columns {
                        type_users.insert(table.clone());
                    }
                    p.push(
                        Phase::CreateTypes,
                        Change::ReplaceType {
                            from: f.clone(),
                            to: t.clone(),
                            columns,
                        },
                    );
                }
            },
        }
    }
    for f in order_types(&from.types).into_iter().rev() {
        if !to.types.iter().any(|t| t.name == f.name) {
            p.push(Phase::DropTypes, Change::DropType { ty: f.clone() });
        }
    }
    type_users
}

/// Sequences created, altered and dropped (with the types: columns' defaults use them).
pub(super) fn sequences(from: &Schema, to: &Schema, p: &mut Phases) {
    for s in &to.sequences {
        match from.sequences.iter().find(|f| f.name == s.name) {
            None => p.push(
                Phase::CreateTypes,
                Change::CreateSequence {
                    sequence: s.clone(),
                },
            ),
            Some(f) if f == s => {}
            Some(f) => p.push(
                Phase::CreateTypes,
                Change::AlterSequence {
                    from: f.clone(),
                    to: s.clone(),
                },
            ),
        }
    }
    for f in &from.sequences {
        if !to.sequences.iter().any(|s| s.name == f.name) {
            p.push(
                Phase::DropTypes,
                Change::DropSequence {
                    sequence: f.clone(),
                },
            );
        }
    }
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
