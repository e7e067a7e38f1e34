//! SQLite's documented table rebuild (sqlite.org/lang_altertable.html, "other kinds of table
//! schema changes"): new table, copy rows, drop, rename, recreate indexes and triggers.

use strata_schema::Table;

use super::names::{literal, NAMES};
use super::tables::{create_index, create_table};

/// The prefix of the temporary table a rebuild copies rows into.
const REBUILD_PREFIX: &str = "_strata_new_";

/// The rebuild of `from` into `to`; foreign keys are switched off around the migration by the
/// `-- strata:foreign-keys-off` directive the planner writes, and checked before commit.
pub(super) fn rebuild_table(from: &Table, to: &Table) -> Vec<String> {
    let temp_name = format!("{REBUILD_PREFIX}{}", to.name.name);
    let temp = NAMES.ident(&temp_name);
    let mut out = vec![create_table(to, &temp)];
    let mut targets = Vec::new();
    let mut sources = Vec::new();
    for c in to.columns.iter().filter(|c| c.generated.is_none()) {
        if let Some(f) = from
            .columns
            .iter()
            .find(|f| f.name == c.name && f.generated.is_none())
        {
            targets.push(NAMES.ident(&c.name));
            sources.push(NAMES.ident(f.renamed_from.as_deref().unwrap_or(&f.name)));
        }
    }
    if !targets.is_empty() {
        out.push(format!(
            "INSERT INTO {temp} ({}) SELECT {} FROM {}",
            targets.join(", "),
            sources.join(", "),
            NAMES.qualified(&to.name)
        ));
    }
    // The AUTOINCREMENT counter lives in `sqlite_sequence` under the table's name, and goes
    // with the old table; the copy only raised the new table's to its largest id, so an id
    // deleted from the end would be handed out again. Move the old counter to the new table
    // (the rename below renames it along). It moves also when `to` drops AUTOINCREMENT, so that
    // the down of this rebuild, which adds it back, finds it; SQLite ignores the counter of a
    // table without AUTOINCREMENT and never hands out an id below the largest one present.
    if autoincrement(from) || autoincrement(to) {
        let (old, new) = (literal(&to.name.name), literal(&temp_name));
        out.push(format!("DELETE FROM sqlite_sequence WHERE name = {new}"));
        out.push(format!(
            "UPDATE sqlite_sequence SET name = {new} WHERE name = {old}"
        ));
    }
    out.push(format!("DROP TABLE {}", NAMES.qualified(&to.name)));
    // Triggers and views of other tables that name this one would make a checked RENAME fail
    // while the old table is gone; the legacy rename leaves them alone, and they are valid
    // again once the new table has the old name.
    out.push("PRAGMA legacy_alter_table = ON".to_string());
    out.push(format!(
        "ALTER TABLE {temp} RENAME TO {}",
        NAMES.qualified(&to.name)
    ));
    out.push("PRAGMA legacy_alter_table = OFF".to_string());
    out.extend(to.indexes.iter().map(|i| create_index(&to.name, i)));
    out.extend(to.triggers.iter().map(|t| t.definition.clone()));
    out
}

/// Whether `t` has an AUTOINCREMENT column, i.e. a counter in `sqlite_sequence`.
fn autoincrement(t: &Table) -> bool {
    t.columns.iter().any(|c| c.identity.is_some())
}
