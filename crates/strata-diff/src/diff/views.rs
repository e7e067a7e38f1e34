//! Views and routines: recreated around the tables they read, created after what they name.

use super::*;

/// Views: changed, removed, or reading a changed table (or a recreated view) are dropped first
/// and created again.
pub(super) fn view_changes(
    from: &Schema,
    to: &Schema,
    changed: &BTreeSet<Name>,
    d: &dyn Dialect,
    p: &mut Phases,
) {
    let to_views: BTreeMap<&Name, &View> = to.views.iter().map(|v| (&v.name, v)).collect();
    let mut recreate: BTreeSet<Name> = BTreeSet::new();
    for v in &from.views {
        let gone_or_changed = to_views.get(&v.name).is_none_or(|n| *n != v);
        let depends = changed.iter().any(|t| view_mentions(v, t, d.engine()));
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
    let drops = order_views(&from.views)
        .into_iter()
        .rev()
        .filter(|v| recreate.contains(&v.name))
        .map(|v| Change::DropView { view: v.clone() });
    p.extend(Phase::DropViews, drops);
    for v in order_views(&to.views) {
        let existed_same = from.views.iter().any(|f| f == v) && !recreate.contains(&v.name);
        if !existed_same {
            p.push(Phase::CreateViews, Change::CreateView { view: v.clone() });
            // Its INSTEAD OF triggers: a changed trigger recreates the view (the view is part
            // of the trigger's definition, and dropping the view drops them).
            for t in &v.triggers {
                p.push(
                    Phase::CreateTriggers,
                    Change::CreateTrigger {
                        table: v.name.clone(),
                        trigger: t.clone(),
                    },
                );
            }
        }
    }
}

/// Routines by name and signature.
pub(super) fn routines(
    from: &Schema,
    to: &Schema,
    new_tables: &[&Table],
    d: &dyn Dialect,
    p: &mut Phases,
) {
    for r in &to.routines {
        match from
            .routines
            .iter()
            .find(|f| f.name == r.name && f.signature == r.signature)
        {
            Some(f) if f == r => {}
            Some(f) if d.replaces_routine(f, r) => p.push(
                Phase::CreateRoutinesEarly,
                Change::CreateRoutine { routine: r.clone() },
            ),
            Some(f) => {
                p.push(
                    Phase::DropRoutines,
                    Change::DropRoutine { routine: f.clone() },
                );
                p.push(
                    Phase::CreateRoutines,
                    Change::CreateRoutine { routine: r.clone() },
                );
            }
            // A routine whose signature names a new table (row types) waits for the table.
            None if new_tables.iter().any(|t| {
                mentions(&r.signature, &t.name)
                    || mentions(&r.definition, &t.name) && d.routine_returns_table_rows(r)
            }) =>
            {
                p.push(
                    Phase::CreateRoutines,
                    Change::CreateRoutine { routine: r.clone() },
                )
            }
            None => p.push(
                Phase::CreateRoutinesEarly,
                Change::CreateRoutine { routine: r.clone() },
            ),
        }
    }
    for f in &from.routines {
        if !to
            .routines
            .iter()
            .any(|r| r.name == f.name && r.signature == f.signature)
        {
            p.push(
                Phase::DropRoutinesLate,
                Change::DropRoutine { routine: f.clone() },
            );
        }
    }
}

/// Whether a view's query names `name` in its code (not in a string literal or a comment).
fn view_mentions(view: &View, name: &Name, engine: strata_schema::Engine) -> bool {
    strata_schema::lex::mentions(&view.definition, engine, &name.name)
}
