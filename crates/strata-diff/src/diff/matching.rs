//! Pairing named items and column positions between two tables.

use super::*;

pub(super) fn unnamed_key(k: &Key) -> Key {
    let mut k = k.clone();
    k.name = None;
    k
}

/// How two lists of named items pair up.
pub(super) struct Matched<'a, T> {
    removed: Vec<&'a T>,
    added: Vec<&'a T>,
    /// Same definition, both named, different names.
    renamed: Vec<(&'a T, &'a T)>,
}

/// Builds the rename of a paired item, for engines that can rename it.
pub(super) type RenameFn<'r, T> = &'r dyn Fn(&T, &T) -> Change;

impl<T> Matched<'_, T> {
    /// The changes of a pairing: a rename where `rename` builds one (the engine can rename),
    /// otherwise a drop and an add; removed items are dropped and added ones added.
    pub(super) fn into_changes(
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
pub(super) fn from_positions(
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
pub(super) fn out_of_order(positions: &[Option<usize>]) -> BTreeSet<usize> {
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
        let Some(f) = from.table(renames.old_table(&t.name)) else {
            continue;
        };
        let col_renames = renames.columns_of(&t.name);
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
pub(super) fn match_named<'a, T, K: PartialEq>(
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
