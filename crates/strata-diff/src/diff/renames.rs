//! Renames declared by hints, and their reverse.

use super::*;

/// Renames declared with `-- strata:renamed-from` hints: tables (old → new) and columns
/// (table's new name, old column, new column).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    /// Renamed tables as (old name, new name), both in the table's schema.
    pub tables: Vec<(Name, Name)>,
    /// Renamed columns as (the table's new name, old column name, new column name).
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
