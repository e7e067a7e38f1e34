//! Keys, indexes, foreign keys and checks of the MySQL/MariaDB inspector.

use super::queries::*;
use super::{int, opt, s, Inspector};
use std::collections::BTreeMap;
use strata_migrate::DriverError;
use strata_schema::{
    quote, Check, Engine, FkAction, ForeignKey, Index, IndexPart, Key, Name, Table,
};

/// An index as STATISTICS lists it: unique, type, comment and key parts.
type FoundIndex = (bool, String, String, Vec<IndexPart>);

impl Inspector<'_> {
    pub(super) async fn indexes(
        &mut self,
        tables: &mut BTreeMap<String, Table>,
    ) -> Result<(), DriverError> {
        let sql = if self.mariadb {
            INDEXES_MARIADB_SQL
        } else {
            INDEXES_MYSQL_SQL
        };
        let rows = self.rows(sql).await?;
        let mut found: BTreeMap<(String, String), FoundIndex> = BTreeMap::new();
        for r in &rows {
            let hidden = int(r, 9) == Some(1);
            if hidden {
                // Invisible / ignored indexes have no place in the model yet; listing them as
                // ordinary indexes would make the server use them after a round trip.
                continue;
            }
            let key = (s(r, 0), s(r, 1));
            let entry = found.entry(key).or_insert_with(|| {
                (
                    int(r, 2) == Some(0),
                    s(r, 6).to_ascii_uppercase(),
                    s(r, 7),
                    Vec::new(),
                )
            });
            let mut part = IndexPart::column(s(r, 3));
            if part.column.as_deref() == Some("") {
                part.column = None;
                part.expression = opt(r, 8).map(|e| self.unescape(&e));
            }
            part.prefix = int(r, 4).and_then(|n| u32::try_from(n).ok());
            part.descending = opt(r, 5).as_deref() == Some("D");
            entry.3.push(part);
        }
        for ((table, name), (unique, kind, comment, parts)) in found {
            let Some(t) = tables.get_mut(&table) else {
                continue;
            };
            let plain = parts
                .iter()
                .all(|p| p.column.is_some() && p.prefix.is_none() && !p.descending);
            let columns = || parts.iter().filter_map(|p| p.column.clone()).collect();
            if name == "PRIMARY" {
                t.primary_key = Some(Key {
                    name: None,
                    columns: columns(),
                    deferrable: Default::default(),
                    nulls_not_distinct: false,
                });
                continue;
            }
            if unique && plain && kind == "BTREE" && comment.is_empty() {
                t.uniques.push(Key {
                    name: Some(name),
                    columns: columns(),
                    deferrable: Default::default(),
                    nulls_not_distinct: false,
                });
                continue;
            }
            t.indexes.push(Index {
                name,
                unique,
                parts,
                predicate: None,
                method: (kind != "BTREE").then_some(kind),
                include: Vec::new(),
                nulls_not_distinct: false,
                with: Vec::new(),
                comment: (!comment.is_empty()).then_some(comment),
            });
        }
        Ok(())
    }

    pub(super) async fn foreign_keys(
        &mut self,
        tables: &mut BTreeMap<String, Table>,
    ) -> Result<(), DriverError> {
        let rules = self.rows(FK_RULES_SQL).await?;
        let rules: BTreeMap<(String, String), (FkAction, FkAction)> = rules
            .iter()
            .map(|r| {
                (
                    (s(r, 0), s(r, 1)),
                    (fk_action(&s(r, 2)), fk_action(&s(r, 3))),
                )
            })
            .collect();
        let rows = self.rows(FK_COLUMNS_SQL).await?;
        let mut fks: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
        for r in &rows {
            let key = (s(r, 0), s(r, 1));
            let ref_schema = s(r, 3);
            let (on_update, on_delete) = rules.get(&key).copied().unwrap_or_default();
            let fk = fks.entry(key.clone()).or_insert_with(|| ForeignKey {
                name: Some(key.1.clone()),
                columns: Vec::new(),
                ref_table: if ref_schema == self.database {
                    Name::new(s(r, 4))
                } else {
                    Name::qualified(ref_schema, s(r, 4))
                },
                ref_columns: Vec::new(),
                on_update,
                on_delete,
                deferrable: Default::default(),
                not_valid: false,
            });
            fk.columns.push(s(r, 2));
            fk.ref_columns.push(s(r, 5));
        }
        for ((table, _), fk) in fks {
            if let Some(t) = tables.get_mut(&table) {
                t.foreign_keys.push(fk);
            }
        }
        Ok(())
    }

    /// Table CHECK constraints. MariaDB also lists column-level checks, among them the
    /// `json_valid(col)` check that makes a column `json`: that one becomes the column's type,
    /// other column-level checks are kept (they are named after their column).
    pub(super) async fn checks(
        &mut self,
        tables: &mut BTreeMap<String, Table>,
    ) -> Result<(), DriverError> {
        let mut found: Vec<(String, String, String, bool)> = Vec::new();
        if self.mariadb {
            let rows = self.rows(CHECKS_MARIADB_SQL).await?;
            for r in &rows {
                found.push((s(r, 0), s(r, 1), s(r, 2), s(r, 3) == "Column"));
            }
        } else {
            // MySQL check names are unique per database; the table comes from TABLE_CONSTRAINTS.
            let owners = self.rows(CHECK_OWNERS_MYSQL_SQL).await?;
            let owners: BTreeMap<String, String> =
                owners.iter().map(|r| (s(r, 0), s(r, 1))).collect();
            let rows = self.rows(CHECKS_MYSQL_SQL).await?;
            for r in &rows {
                if let Some(table) = owners.get(&s(r, 0)) {
                    found.push((table.clone(), s(r, 0), self.unescape(&s(r, 1)), false));
                }
            }
        }
        for (table, name, clause, column_level) in found {
            let Some(t) = tables.get_mut(&table) else {
                continue;
            };
            if column_level
                && clause == format!("json_valid({})", quote::ident(Engine::Mysql, &name))
            {
                if let Some(c) = t
                    .columns
                    .iter_mut()
                    .find(|c| c.name == name && c.data_type == "longtext")
                {
                    c.data_type = "json".into();
                    if c.collation.as_deref() == Some("utf8mb4_bin") {
                        c.collation = None;
                    }
                    continue;
                }
            }
            t.checks.push(Check {
                name: Some(name),
                expression: clause,
                not_valid: false,
            });
        }
        Ok(())
    }
}

fn fk_action(rule: &str) -> FkAction {
    match rule {
        "CASCADE" => FkAction::Cascade,
        "SET NULL" => FkAction::SetNull,
        "SET DEFAULT" => FkAction::SetDefault,
        "RESTRICT" => FkAction::Restrict,
        _ => FkAction::NoAction,
    }
}
