//! Finding SQLite table rebuilds in a file, and whether foreign keys are off when they run.

use crate::{LintFile, Statement};

/// A rebuild: a new table replaces `table` under its name, usually with its rows copied over.
#[derive(Debug, Clone)]
pub(super) struct Rebuild {
    /// The table being rebuilt, as written.
    pub table: String,
    /// The other table of the swap: the new one (`_strata_new_x`), or the old one renamed away.
    pub other: String,
    /// Index of the statement creating the replacement.
    pub create: usize,
    /// Index of the `INSERT INTO ... SELECT` copying the rows, if any.
    pub copy: Option<usize>,
    /// Index of the `DROP TABLE` of the old rows.
    pub drop: usize,
}

fn bare(name: &str) -> String {
    let n = name.to_lowercase();
    match n.split_once('.') {
        Some(("main", t)) => t.to_string(),
        _ => n,
    }
}

/// `ALTER TABLE a RENAME TO b`: (a, b).
fn rename(stmt: &Statement) -> Option<(String, String)> {
    if !stmt.starts_with(&["ALTER", "TABLE"]) {
        return None;
    }
    let (from, next) = stmt.name_at(2)?;
    if stmt.word(next)?.upper != "RENAME" {
        return None;
    }
    let to_at = if stmt.word(next + 1)?.upper == "TO" {
        next + 2
    } else {
        return None;
    };
    Some((from, stmt.name_at(to_at)?.0))
}

/// The tables a `DROP TABLE` drops, with the word index of each name.
pub(super) fn dropped(stmt: &Statement) -> Vec<(String, usize)> {
    if !stmt.starts_with(&["DROP", "TABLE"]) {
        return Vec::new();
    }
    let i = if stmt.find_seq(&["IF", "EXISTS"]) == Some(2) {
        4
    } else {
        2
    };
    stmt.name_at(i)
        .map(|(n, _)| vec![(n, i)])
        .unwrap_or_default()
}

fn created(stmt: &Statement) -> Option<String> {
    if !stmt.starts_with(&["CREATE", "TABLE"]) {
        return None;
    }
    let i = if stmt.find_seq(&["IF", "NOT", "EXISTS"]) == Some(2) {
        5
    } else {
        2
    };
    stmt.name_at(i).map(|(n, _)| n)
}

fn inserts_into(stmt: &Statement, table: &str) -> bool {
    let at = if stmt.starts_with(&["INSERT", "INTO"]) {
        2
    } else if stmt.starts_with(&["INSERT", "OR"]) && stmt.word(3).is_some_and(|w| w.upper == "INTO")
    {
        4
    } else {
        return false;
    };
    stmt.has("SELECT")
        && stmt
            .name_at(at)
            .is_some_and(|(n, _)| bare(&n) == bare(table))
}

/// Every rebuild in `file`: `CREATE TABLE new; INSERT INTO new SELECT ...; DROP TABLE t; ALTER
/// TABLE new RENAME TO t` (what `strata plan` writes, with `new` = `_strata_new_t`), or `ALTER
/// TABLE t RENAME TO old; CREATE TABLE t; INSERT INTO t SELECT ...; DROP TABLE old`.
pub(super) fn rebuilds(file: &LintFile) -> Vec<Rebuild> {
    let s = &file.statements;
    let find = |from: usize, to: usize, f: &dyn Fn(&Statement) -> bool| {
        (from..to.min(s.len())).find(|&i| f(&s[i]))
    };
    let mut out = Vec::new();
    for (r, stmt) in s.iter().enumerate() {
        let Some((from, to)) = rename(stmt) else {
            continue;
        };
        // New table renamed over the dropped old one.
        let create = find(0, r, &|x| {
            created(x).is_some_and(|n| bare(&n) == bare(&from))
        });
        let drop = find(0, r, &|x| {
            dropped(x).iter().any(|(n, _)| bare(n) == bare(&to))
        });
        if let (Some(create), Some(drop)) = (create, drop) {
            if create < drop && !file.created_here(&to, drop) {
                out.push(Rebuild {
                    table: to.clone(),
                    other: from.clone(),
                    create,
                    copy: find(create, drop, &|x| inserts_into(x, &from)),
                    drop,
                });
                continue;
            }
        }
        // Old table renamed away, recreated under its name, copied back and dropped.
        if file.created_here(&from, r) {
            continue;
        }
        let create = find(r + 1, s.len(), &|x| {
            created(x).is_some_and(|n| bare(&n) == bare(&from))
        });
        let Some(create) = create else { continue };
        let drop = find(create + 1, s.len(), &|x| {
            dropped(x).iter().any(|(n, _)| bare(n) == bare(&to))
        });
        if let Some(drop) = drop {
            out.push(Rebuild {
                table: from.clone(),
                other: to.clone(),
                create,
                copy: find(create, drop, &|x| inserts_into(x, &from)),
                drop,
            });
        }
    }
    out
}

/// `PRAGMA foreign_keys = <value>`: whether it switches them off (`Some(false)` = on).
pub(super) fn foreign_keys_pragma(stmt: &Statement) -> Option<bool> {
    if !stmt.starts_with(&["PRAGMA", "FOREIGN_KEYS"]) {
        return None;
    }
    let at = stmt.words[1].offset + stmt.words[1].len;
    let value: String = stmt.sql[at..]
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase();
    match value.as_str() {
        "OFF" | "0" | "FALSE" | "NO" => Some(true),
        "ON" | "1" | "TRUE" | "YES" => Some(false),
        _ => None,
    }
}

/// Whether a `PRAGMA foreign_keys` at statement `index` takes effect: not inside a transaction
/// (strata's own for a transactional file, or an explicit `BEGIN`).
pub(super) fn pragma_takes_effect(file: &LintFile, index: usize) -> bool {
    if file.transactional() {
        return false;
    }
    let mut open = false;
    for s in &file.statements[..index] {
        if s.starts_with(&["BEGIN"]) {
            open = true;
        } else if s.starts_with(&["COMMIT"])
            || s.starts_with(&["END"])
            || (s.starts_with(&["ROLLBACK"]) && !s.has("TO"))
        {
            open = false;
        }
    }
    !open
}

/// Whether foreign keys are off when statement `index` runs.
pub(super) fn foreign_keys_off_at(file: &LintFile, index: usize) -> bool {
    if file.directives.foreign_keys_off {
        return true;
    }
    let mut off = false;
    for s in &file.statements[..index] {
        if let Some(v) = foreign_keys_pragma(s) {
            if pragma_takes_effect(file, s.index) {
                off = v;
            }
        }
    }
    off
}
