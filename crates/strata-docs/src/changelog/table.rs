//! The parts of a table that exists before and after a migration: columns, keys, constraints,
//! indexes, triggers, policies, comment and options.

use super::text::{
    check_text, column_detail, column_text, comment_text, fk_text, index_text, key_text, one_line,
};
use super::{Builder, Kind};
use strata_diff::{Dialect, Renames};
use strata_schema::{Index, Key, Table};

/// The columns, keys, indexes, constraints, triggers, comment and options of a table that
/// exists on both sides.
pub(super) fn table_parts(
    b: &mut Builder,
    from: &Table,
    to: &Table,
    renames: &Renames,
    d: &dyn Dialect,
) {
    columns(b, from, to, renames, d);
    constraints(b, from, to);
    let explicit = |t: &Table| -> Vec<Index> {
        t.indexes
            .iter()
            .filter(|i| !implicit_index(t, i))
            .cloned()
            .collect()
    };
    let (ix, iy) = (explicit(from), explicit(to));
    b.compare_named(Kind::Index, (&ix, &iy), |i| part(to, &i.name), index_text);
    b.compare_named(
        Kind::Trigger,
        (&from.triggers, &to.triggers),
        |t| part(to, &t.name),
        |t| one_line(&t.definition),
    );
    b.compare_named(
        Kind::Policy,
        (&from.policies, &to.policies),
        |x| part(to, &x.name),
        |x| one_line(&x.definition),
    );
    let tn = to.name.to_string();
    if from.comment != to.comment {
        b.modify(
            Kind::Table,
            tn.clone(),
            comment_text(&from.comment),
            comment_text(&to.comment),
        );
    }
    if from.attrs != to.attrs {
        b.modify(
            Kind::Table,
            tn,
            format!("options {:?}", from.attrs),
            format!("options {:?}", to.attrs),
        );
    }
}

/// Columns added, dropped, renamed, changed or moved.
fn columns(b: &mut Builder, from: &Table, to: &Table, renames: &Renames, d: &dyn Dialect) {
    let tn = to.name.to_string();
    // Columns by name, or by the old name of a renamed column.
    let renamed_columns = renames.columns_of(&to.name);
    let old_col = |new: &str| renamed_columns.get(new).map(|o| o.to_string());
    let mut seen = Vec::new();
    for c in &to.columns {
        let old = old_col(&c.name);
        match from.column(old.as_deref().unwrap_or(&c.name)) {
            None => b.add(Kind::Column, format!("{tn}.{}", c.name), column_text(c)),
            Some(f) => {
                seen.push(f.name.clone());
                let mut renamed = f.clone();
                renamed.name = c.name.clone();
                let changed = !d.same_column(&renamed, c) || f.comment != c.comment;
                if old.is_some() {
                    b.modify(
                        Kind::Column,
                        format!("{tn}.{}", c.name),
                        format!("{} {}", f.name, column_text(f)),
                        format!("{} {}", c.name, column_text(c)),
                    );
                } else if changed {
                    let (old_text, new_text) = (column_text(f), column_text(c));
                    if old_text == new_text {
                        // Differences the short text does not show (identity, collation, ...).
                        b.modify(
                            Kind::Column,
                            format!("{tn}.{}", c.name),
                            column_detail(f),
                            column_detail(c),
                        );
                    } else {
                        b.modify(Kind::Column, format!("{tn}.{}", c.name), old_text, new_text);
                    }
                }
            }
        }
    }
    for f in &from.columns {
        if !seen.contains(&f.name) {
            b.drop(Kind::Column, format!("{tn}.{}", f.name), column_text(f));
        }
    }
    // Columns moved within the table (migrated where the engine moves columns).
    if d.moves_columns() {
        let now: Vec<&str> = from
            .columns
            .iter()
            .filter_map(|f| {
                to.columns
                    .iter()
                    .find(|c| old_col(&c.name).as_deref().unwrap_or(&c.name) == f.name)
                    .map(|c| c.name.as_str())
            })
            .collect();
        let desired: Vec<&str> = to
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .filter(|n| now.contains(n))
            .collect();
        if now != desired {
            b.modify(
                Kind::Table,
                format!("{tn} (column order)"),
                now.join(", "),
                desired.join(", "),
            );
        }
    }
}

/// The primary key, unique keys, foreign keys, checks and exclusions.
fn constraints(b: &mut Builder, from: &Table, to: &Table) {
    // The primary key.
    let pk_name = |k: &Key| part(to, k.name.as_deref().unwrap_or("PRIMARY KEY"));
    match (&from.primary_key, &to.primary_key) {
        (None, Some(k)) => b.add(Kind::Constraint, pk_name(k), key_text("PRIMARY KEY", k)),
        (Some(k), None) => b.drop(Kind::Constraint, pk_name(k), key_text("PRIMARY KEY", k)),
        (Some(a), Some(k)) => b.modify(
            Kind::Constraint,
            pk_name(k),
            key_text("PRIMARY KEY", a),
            key_text("PRIMARY KEY", k),
        ),
        (None, None) => {}
    }
    // Named constraints pair by name, unnamed ones by definition.
    let same_named = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(a), Some(b)) => Some(a == b),
        _ => None,
    };
    b.compare(
        Kind::Constraint,
        (&from.uniques, &to.uniques),
        |x, y| same_named(&x.name, &y.name).unwrap_or(x.columns == y.columns),
        |k| part(to, &k.name.clone().unwrap_or_else(|| key_text("UNIQUE", k))),
        |k| key_text("UNIQUE", k),
    );
    b.compare(
        Kind::Constraint,
        (&from.foreign_keys, &to.foreign_keys),
        |x, y| {
            same_named(&x.name, &y.name)
                .unwrap_or(x.columns == y.columns && x.ref_table == y.ref_table)
        },
        |fk| part(to, &fk.name.clone().unwrap_or_else(|| fk_text(fk))),
        fk_text,
    );
    b.compare(
        Kind::Constraint,
        (&from.checks, &to.checks),
        |x, y| same_named(&x.name, &y.name).unwrap_or(x.expression == y.expression),
        |c| part(to, &c.name.clone().unwrap_or_else(|| check_text(c))),
        check_text,
    );
    b.compare_named(
        Kind::Constraint,
        (&from.exclusions, &to.exclusions),
        |x| part(to, &x.name),
        |x| one_line(&x.definition),
    );
}

/// An index the engine made for a foreign key (MySQL names it after the constraint): part of
/// the foreign key, not an object of its own.
pub(super) fn implicit_index(t: &Table, i: &Index) -> bool {
    t.foreign_keys.iter().any(|fk| {
        fk.name.as_deref() == Some(i.name.as_str())
            && i.parts.len() == fk.columns.len()
            && i.parts
                .iter()
                .zip(&fk.columns)
                .all(|(p, c)| p.column.as_ref() == Some(c))
    })
}
pub(super) fn part(t: &Table, name: &str) -> String {
    format!("{}.{name}", t.name)
}
