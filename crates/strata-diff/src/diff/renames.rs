//! Renames declared by hints, and their reverse.

use super::*;

/// Renames declared with `-- strata:renamed-from` hints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    /// Tables renamed, old name to new.
    pub tables: Vec<TableRename>,
    /// Columns renamed, each under its table's new name.
    pub columns: Vec<ColumnRename>,
}

/// A table renamed from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRename {
    /// The table's name in the old schema.
    pub from: Name,
    /// Its name in the new schema.
    pub to: Name,
}

/// A column of `table` (the table's new name) renamed from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRename {
    /// The table, by its name in the new schema.
    pub table: Name,
    /// The column's name in the old schema.
    pub from: String,
    /// Its name in the new schema.
    pub to: String,
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
                    r.tables.push(TableRename {
                        from: old,
                        to: t.name.clone(),
                    });
                }
            }
            let Some(before) = from.table(r.old_table(&t.name)) else {
                continue;
            };
            for c in &t.columns {
                if let Some(old) = &c.renamed_from {
                    if before.column(old).is_some() && before.column(&c.name).is_none() {
                        r.columns.push(ColumnRename {
                            table: t.name.clone(),
                            from: old.clone(),
                            to: c.name.clone(),
                        });
                    }
                }
            }
        }
        r
    }

    /// The same renames, undone.
    pub fn reversed(&self) -> Renames {
        Renames {
            tables: self
                .tables
                .iter()
                .map(|r| TableRename {
                    from: r.to.clone(),
                    to: r.from.clone(),
                })
                .collect(),
            columns: self
                .columns
                .iter()
                .map(|r| ColumnRename {
                    table: self.old_table(&r.table).clone(),
                    from: r.to.clone(),
                    to: r.from.clone(),
                })
                .collect(),
        }
    }

    /// The old name of the table called `new` in the new schema (`new` when not renamed).
    pub fn old_table<'a>(&'a self, new: &'a Name) -> &'a Name {
        self.tables
            .iter()
            .find(|r| &r.to == new)
            .map_or(new, |r| &r.from)
    }

    /// The new name of the table called `old` in the old schema (`old` when not renamed).
    pub fn new_table<'a>(&'a self, old: &'a Name) -> &'a Name {
        self.tables
            .iter()
            .find(|r| &r.from == old)
            .map_or(old, |r| &r.to)
    }

    /// Whether the table called `old` in the old schema is renamed.
    pub fn renames_table(&self, old: &Name) -> bool {
        self.tables.iter().any(|r| &r.from == old)
    }

    /// The column renames of `table` (its new name): new column name to old.
    pub fn columns_of(&self, table: &Name) -> BTreeMap<&str, &str> {
        self.columns
            .iter()
            .filter(|r| &r.table == table)
            .map(|r| (r.to.as_str(), r.from.as_str()))
            .collect()
    }
}
