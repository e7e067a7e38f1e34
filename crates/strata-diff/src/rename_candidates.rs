//! Columns that a plan would drop and add in the same table with a compatible type: likely
//! renames that have no `-- strata:renamed-from` hint, which would lose the column's values.

use crate::dialect::Dialect;
use crate::diff::Renames;
use serde::Serialize;
use strata_schema::{Name, Schema};

/// A dropped column and an added one of a compatible type in the same table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenameCandidate {
    /// The table (its name in the desired schema).
    pub table: Name,
    /// The column that would be dropped.
    pub from: String,
    /// The column that would be added.
    pub to: String,
}

/// The drop + add pairs of `from` → `to` (with the hinted `renames` applied) whose types are the
/// same or the added one widens the dropped one on `dialect`: each could be a rename.
pub fn rename_candidates(
    from: &Schema,
    to: &Schema,
    renames: &Renames,
    dialect: &dyn Dialect,
) -> Vec<RenameCandidate> {
    let mut out = Vec::new();
    for t in &to.tables {
        let Some(before) = from.table(renames.old_table(&t.name)) else {
            continue;
        };
        // Columns a hint already renames are neither dropped nor added.
        let hinted = renames.columns_of(&t.name);
        let dropped = before
            .columns
            .iter()
            .filter(|c| t.column(&c.name).is_none() && !hinted.values().any(|old| *old == c.name));
        for d in dropped {
            for a in t.columns.iter().filter(|c| {
                before.column(&c.name).is_none()
                    && !hinted.contains_key(c.name.as_str())
                    && c.generated.is_none() == d.generated.is_none()
            }) {
                let compatible = dialect.same_type(&d.data_type, &a.data_type)
                    || dialect.is_widening(&d.data_type, &a.data_type);
                if compatible {
                    out.push(RenameCandidate {
                        table: t.name.clone(),
                        from: d.name.clone(),
                        to: a.name.clone(),
                    });
                }
            }
        }
    }
    out
}
