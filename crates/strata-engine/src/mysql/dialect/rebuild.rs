//! The table rebuild MySQL never needs but must still be able to write.

use strata_schema::{Name, Table};

use super::names::NAMES;
use super::tables::{create_table, drop_table, rename_table};

/// A table rebuild: MySQL alters every table in place, so the differ never asks for one; if it
/// does, the new definition is created beside the old table, the shared columns are copied and
/// the new table takes the old one's place.
pub(super) fn rebuild_table(from: &Table, to: &Table) -> Vec<String> {
    let tmp = Name {
        schema: to.name.schema.clone(),
        name: format!("{}__strata_new", to.name.name),
    };
    let mut new = to.clone();
    new.name = tmp.clone();
    new.triggers.clear();
    let shared: Vec<(&str, &str)> = to
        .columns
        .iter()
        .filter(|c| c.generated.is_none())
        .filter_map(|c| {
            let old = c.renamed_from.as_deref().unwrap_or(&c.name);
            from.column(old).map(|_| (old, c.name.as_str()))
        })
        .collect();
    let mut out = vec![create_table(&new)];
    if !shared.is_empty() {
        let list = |names: Vec<&str>| {
            names
                .into_iter()
                .map(|n| NAMES.ident(n))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push(format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            NAMES.qualified(&tmp),
            list(shared.iter().map(|(_, n)| *n).collect()),
            list(shared.iter().map(|(o, _)| *o).collect()),
            NAMES.qualified(&from.name)
        ));
    }
    out.push(drop_table(&from.name));
    out.push(rename_table(&tmp, &to.name));
    out.extend(to.triggers.iter().map(|t| t.definition.clone()));
    out
}
