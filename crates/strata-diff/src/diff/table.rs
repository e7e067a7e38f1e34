//! The changes to one table that exists on both sides.

use super::*;

/// Whether the foreign key `a` of the old schema stays as `b`: the same definition and either the
/// same validation state or a `NOT VALID` key that becomes valid (validated in place).
pub(super) fn same_fk(a: &ForeignKey, b: &ForeignKey) -> bool {
    same_fk_definition(a, b) && (a.not_valid == b.not_valid || validates(&a.name, a.not_valid, b))
}

/// Whether a `NOT VALID` constraint (`name`, `not_valid` of the old side) is validated in place
/// to become the valid one of the new side; only a named constraint can be.
pub(super) fn validates<T: Validity>(name: &Option<String>, not_valid: bool, b: &T) -> bool {
    not_valid && !b.not_valid() && name.is_some()
}

/// The validation state of a check or foreign key.
pub(super) trait Validity {
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

pub(super) fn same_fk_definition(a: &ForeignKey, b: &ForeignKey) -> bool {
    a.columns == b.columns
        && a.ref_table == b.ref_table
        && a.ref_columns == b.ref_columns
        && a.on_update == b.on_update
        && a.on_delete == b.on_delete
        && a.deferrable == b.deferrable
        && (a.name.is_none() || b.name.is_none() || a.name == b.name)
}

pub(super) fn same_key(a: &Key, b: &Key) -> bool {
    a.columns == b.columns
        && a.deferrable == b.deferrable
        && a.nulls_not_distinct == b.nulls_not_distinct
        && (a.name.is_none() || b.name.is_none() || a.name == b.name)
}

/// Like [`same_fk`], for checks.
pub(super) fn same_check(a: &Check, b: &Check) -> bool {
    a.expression == b.expression
        && (a.name.is_none() || b.name.is_none() || a.name == b.name)
        && (a.not_valid == b.not_valid || validates(&a.name, a.not_valid, b))
}

/// `VALIDATE CONSTRAINT` for each constraint of `from` that is `NOT VALID` and stays (by `same`)
/// as a valid one of `to`; the reverse (valid to `NOT VALID`) is a drop and an add.
pub(super) fn validations<T: Validity>(
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
pub(super) struct TableOptions<'a> {
    /// Columns out of order are moved.
    pub(super) move_columns: bool,
    /// (table, column) by their names in `to`, whose type changes, when the engine cannot
    /// change the type of a column in a foreign key while the key exists (MySQL).
    pub(super) retyped: &'a BTreeSet<(Name, String)>,
}

/// The columns (by their names in `to`) whose type changes.
pub(super) fn retyped_columns(
    from: &Schema,
    to: &Schema,
    renames: &Renames,
    d: &dyn Dialect,
) -> BTreeSet<(Name, String)> {
    let mut out = BTreeSet::new();
    for t in &to.tables {
        let Some(f) = from.table(renames.old_table(&t.name)) else {
            continue;
        };
        let col_renames = renames.columns_of(&t.name);
        for c in &t.columns {
            let old = col_renames.get(c.name.as_str()).copied().unwrap_or(&c.name);
            if f.column(old)
                .is_some_and(|fc| !d.same_type(&fc.data_type, &c.data_type))
            {
                out.insert((t.name.clone(), c.name.clone()));
            }
        }
    }
    out
}

pub(super) fn diff_table(
    from: &Table,
    to: &Table,
    renames: &Renames,
    d: &dyn Dialect,
    options: &TableOptions<'_>,
    p: &mut Phases,
) {
    let table = &to.name;
    let mut c = TableChanges::default();
    column_changes(from, to, renames, d, options.move_columns, &mut c);
    constraint_changes(from, to, d, &mut c);
    foreign_key_changes(from, to, renames, d, options, &mut c);
    trigger_and_policy_changes(from, to, d, p, &mut c);
    if from.attrs != to.attrs && !d.needs_rebuild(from, to) {
        c.alters.push(Change::SetTableAttrs {
            table: table.clone(),
            from: from.attrs.clone(),
            to: to.attrs.clone(),
        });
    }
    if from.comment != to.comment {
        c.alters.push(Change::SetTableComment {
            table: table.clone(),
            comment: to.comment.clone(),
        });
    }
    rebuild_or_alter(from, to, renames, d, c, p);
}

/// The changes of one table, sorted by when they run.
#[derive(Default)]
struct TableChanges {
    /// Before the table's own changes: dependents dropped (foreign keys, triggers).
    pre: Vec<Change>,
    /// Keys and constraints dropped before the columns change.
    removes: Vec<Change>,
    /// Columns added, renamed, altered; table attributes and comments.
    alters: Vec<Change>,
    /// Columns dropped.
    drops: Vec<Change>,
    /// Keys, constraints and indexes added after the columns change.
    adds: Vec<Change>,
    /// Foreign keys added once every table is in place.
    post_fks: Vec<Change>,
    /// Triggers created last.
    triggers: Vec<Change>,
}

/// A constraint renamed from `a` to `b` (both named where the dialect renames constraints).
fn rename_constraint(
    table: &Name,
    kind: ConstraintKind,
    a: Option<&String>,
    b: Option<&String>,
) -> Change {
    Change::RenameConstraint {
        table: table.clone(),
        kind,
        from: a.cloned().unwrap_or_default(),
        to: b.cloned().unwrap_or_default(),
    }
}

/// Columns added, renamed (from hints), altered, moved and dropped.
fn column_changes(
    from: &Table,
    to: &Table,
    renames: &Renames,
    d: &dyn Dialect,
    move_columns: bool,
    out: &mut TableChanges,
) {
    let table = &to.name;
    let alters = &mut out.alters;
    // Columns, with renames.
    let col_renames = renames.columns_of(table);
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
    for f in &from.columns {
        if !seen_from.contains(f.name.as_str()) {
            out.drops.push(Change::DropColumn {
                table: table.clone(),
                column: f.clone(),
            });
        }
    }
}

/// Keys and constraints: renamed when only the name differs, else dropped and added again.
fn constraint_changes(from: &Table, to: &Table, d: &dyn Dialect, out: &mut TableChanges) {
    let table = &to.name;
    let (removes, adds) = (&mut out.removes, &mut out.adds);
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
    let rename_unique = |a: &Key, b: &Key| {
        rename_constraint(
            table,
            ConstraintKind::Unique,
            a.name.as_ref(),
            b.name.as_ref(),
        )
    };
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
        (&mut *removes, &mut *adds),
    );
    let rename_check = |a: &Check, b: &Check| {
        rename_constraint(
            table,
            ConstraintKind::Check,
            a.name.as_ref(),
            b.name.as_ref(),
        )
    };
    let validate_checks = validations(
        &from.checks,
        &to.checks,
        same_check,
        |c| &c.name,
        table,
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
        (&mut *removes, &mut *adds),
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
        (&mut *removes, &mut *adds),
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
        (&mut *removes, &mut *adds),
    );
}

/// Foreign keys compared as if referenced tables had their new names already; one over a
/// column whose type changes is dropped before and added after where the engine needs it.
fn foreign_key_changes(
    from: &Table,
    to: &Table,
    renames: &Renames,
    d: &dyn Dialect,
    options: &TableOptions<'_>,
    out: &mut TableChanges,
) {
    let table = &to.name;
    let (pre, post_fks) = (&mut out.pre, &mut out.post_fks);
    let moved = |n: &Name| renames.new_table(n).clone();
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
        rename_constraint(
            table,
            ConstraintKind::ForeignKey,
            a.name.as_ref(),
            b.name.as_ref(),
        )
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
        (&mut *pre, &mut *post_fks),
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
        table,
        ConstraintKind::ForeignKey,
    ));
}

/// Triggers dropped and created (in their firing order) and policies replaced.
fn trigger_and_policy_changes(
    from: &Table,
    to: &Table,
    d: &dyn Dialect,
    p: &mut Phases,
    out: &mut TableChanges,
) {
    let table = &to.name;
    for t in &from.triggers {
        if !to.triggers.iter().any(|b| b == t) {
            out.pre.push(Change::DropTrigger {
                table: from.name.clone(),
                trigger: t.clone(),
            });
        }
    }
    // Policies: one whose statement changed is dropped and created again.
    for x in &from.policies {
        if !to.policies.contains(x) {
            // Before any rename: under the table's old name.
            p.push(
                Phase::DropPolicies,
                Change::DropPolicy {
                    table: from.name.clone(),
                    policy: x.clone(),
                },
            );
        }
    }
    for x in &to.policies {
        if !from.policies.contains(x) {
            p.push(
                Phase::CreatePolicies,
                Change::CreatePolicy {
                    table: table.clone(),
                    policy: x.clone(),
                },
            );
        }
    }
    let new_triggers = to
        .triggers
        .iter()
        .filter(|t| !from.triggers.iter().any(|a| a == *t))
        .collect();
    for t in order_triggers(d, new_triggers) {
        out.triggers.push(Change::CreateTrigger {
            table: table.clone(),
            trigger: t.clone(),
        });
    }
}

/// Either the table's changes in place, in order (drop what constrains old columns, change
/// columns, add constraints), or one rebuild where the dialect cannot alter one of them.
fn rebuild_or_alter(
    from: &Table,
    to: &Table,
    renames: &Renames,
    d: &dyn Dialect,
    c: TableChanges,
    p: &mut Phases,
) {
    let table = &to.name;
    let TableChanges {
        pre,
        removes,
        alters,
        drops,
        adds,
        post_fks,
        triggers,
    } = c;
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
        for r in renames.columns.iter().filter(|r| &r.table == table) {
            if let Some(c) = renamed_from.columns.iter_mut().find(|c| c.name == r.from) {
                c.renamed_from = Some(r.from.clone());
                c.name = r.to.clone();
            }
        }
        p.extend(
            Phase::DropDependents,
            pre.into_iter()
                .filter(|c| matches!(c, Change::DropTrigger { .. })),
        );
        p.push(
            Phase::AlterTables,
            Change::RebuildTable {
                from: renamed_from,
                to: to.clone(),
            },
        );
        return;
    }
    p.extend(Phase::DropDependents, pre);
    p.extend(Phase::AlterTables, table_changes);
    p.extend(Phase::AddForeignKeys, post_fks);
    p.extend(Phase::CreateTriggers, triggers);
}
