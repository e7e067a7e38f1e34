//! Tables and their parts in the PostgreSQL inspector: parents, columns (and the sequences
//! serial columns own), constraints and indexes.

use super::queries::*;
use super::{check_expression, fk_action, literal, qualify, unquote, Inspector, TableRow};
use sqlx::postgres::PgRow;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use strata_migrate::DriverError;
use strata_schema::{
    Check, Column, Deferrable, Exclusion, ForeignKey, Generated, Identity, Index, IndexPart, Key,
    Name, TableAttr,
};

impl Inspector<'_> {
    /// Tables (ordinary and partitioned), without strata's history table.
    pub(super) async fn tables(&mut self) -> Result<(), DriverError> {
        let history = Name {
            schema: self
                .pg
                .history
                .schema
                .clone()
                .filter(|s| *s != self.current),
            name: self.pg.history.name.clone(),
        };
        for r in self.fetch(TABLES_SQL).await? {
            let tname = qualify(&self.current, r.get(1), r.get(2));
            if tname == history {
                continue;
            }
            let mut table = strata_schema::Table::new(tname);
            table.comment = r.get(4);
            if r.get::<String, _>(3) == "u" {
                table.attrs.push(TableAttr::PgUnlogged);
            }
            if let Some(key) = r.get::<Option<String>, _>(5) {
                table.attrs.push(TableAttr::PgPartitionBy(key));
            }
            if r.get::<bool, _>(9) {
                table.attrs.push(TableAttr::PgRowSecurity);
            }
            if r.get::<bool, _>(10) {
                table.attrs.push(TableAttr::PgForceRowSecurity);
            }
            let storage: Vec<String> = r.get(8);
            if !storage.is_empty() {
                table.attrs.push(TableAttr::PgStorage(storage));
            }
            let is_partition: bool = r.get(6);
            if is_partition {
                // The parent is filled in from pg_inherits by `parents`.
                table.attrs.push(TableAttr::PgPartitionOf {
                    parent: Name::new(""),
                    bound: r.get::<Option<String>, _>(7).unwrap_or_default(),
                });
            }
            self.tables.insert(
                r.get(0),
                TableRow {
                    table,
                    is_partition,
                },
            );
        }
        Ok(())
    }

    /// Parents: the table a partition belongs to, and INHERITS.
    pub(super) async fn parents(&mut self) -> Result<(), DriverError> {
        let mut inherits: BTreeMap<i64, Vec<Name>> = BTreeMap::new();
        for r in self.fetch(PARENTS_SQL).await? {
            let child: i64 = r.get(0);
            let parent = qualify(&self.current, r.get(1), r.get(2));
            let Some(t) = self.tables.get_mut(&child) else {
                continue;
            };
            if t.is_partition {
                for a in &mut t.table.attrs {
                    if let TableAttr::PgPartitionOf { parent: p, .. } = a {
                        *p = parent.clone();
                    }
                }
            } else {
                inherits.entry(child).or_default().push(parent);
            }
        }
        for (oid, parents) in inherits {
            if let Some(t) = self.tables.get_mut(&oid) {
                t.table.attrs.push(TableAttr::PgInherits(parents));
            }
        }
        Ok(())
    }

    /// Columns. A partition's columns are the parent's, and an inheriting table's inherited
    /// columns are its parents': both are left out, as `CREATE TABLE` does not spell them.
    pub(super) async fn columns(&mut self) -> Result<(), DriverError> {
        let mut serial_sequences: BTreeSet<Name> = BTreeSet::new();
        for r in self.fetch(COLUMNS_SQL).await? {
            let oid: i64 = r.get(0);
            let attnum: i32 = r.get(1);
            let Some(t) = self.tables.get_mut(&oid) else {
                continue;
            };
            let col_name: String = r.get(2);
            self.attnames.insert((oid, attnum), col_name.clone());
            let local: bool = r.get(10);
            if t.is_partition || !local {
                continue;
            }
            let mut col = column(&r, col_name);
            // serial: the default draws from a sequence the column owns.
            if let (Some(d), Some((seq, regclass))) = (&col.default, self.owned.get(&(oid, attnum)))
            {
                if *d == format!("nextval({}::regclass)", literal(regclass)) {
                    col.identity = Some(Identity::Serial {
                        sequence: seq.clone(),
                    });
                    col.default = None;
                    serial_sequences.insert(seq.clone());
                }
            }
            t.table.columns.push(col);
        }
        self.owned_sequences(&serial_sequences);
        Ok(())
    }

    /// Sequences go to the schema, but for serials' (the column says `serial`), with the column
    /// that owns them.
    fn owned_sequences(&mut self, serial_sequences: &BTreeSet<Name>) {
        let table_names: HashMap<i64, &Name> = self
            .tables
            .iter()
            .map(|(oid, t)| (*oid, &t.table.name))
            .collect();
        for (mut seq, owner) in std::mem::take(&mut self.sequences) {
            if serial_sequences.contains(&seq.name) {
                continue;
            }
            if let Some(key) = owner {
                if let (Some(t), Some(c)) = (table_names.get(&key.0), self.attnames.get(&key)) {
                    seq.owned_by = Some(((*t).clone(), c.clone()));
                }
            }
            self.schema.sequences.push(seq);
        }
    }

    /// Primary keys, uniques, foreign keys, checks and exclusions.
    pub(super) async fn constraints(&mut self) -> Result<(), DriverError> {
        for r in self.fetch(CONSTRAINTS_SQL).await? {
            let Some(t) = self.tables.get_mut(&r.get::<i64, _>(0)) else {
                continue;
            };
            let t = &mut t.table;
            let cname: String = r.get(1);
            let deferrable = match (r.get::<bool, _>(3), r.get::<bool, _>(4)) {
                (false, _) => Deferrable::Not,
                (true, false) => Deferrable::InitiallyImmediate,
                (true, true) => Deferrable::InitiallyDeferred,
            };
            let attnames = &self.attnames;
            let names = |rel: i64, keys: Option<Vec<i16>>| -> Vec<String> {
                keys.unwrap_or_default()
                    .into_iter()
                    .map(|k| attnames.get(&(rel, k as i32)).cloned().unwrap_or_default())
                    .collect()
            };
            let columns: Vec<String> = names(r.get(0), r.get(5));
            let definition = || r.get::<Option<String>, _>(11).unwrap_or_default();
            match r.get::<String, _>(2).as_str() {
                "p" => {
                    t.primary_key = Some(Key {
                        name: Some(cname),
                        columns,
                        deferrable,
                        nulls_not_distinct: false,
                    })
                }
                "u" => t.uniques.push(Key {
                    name: Some(cname),
                    columns,
                    deferrable,
                    nulls_not_distinct: r.get(13),
                }),
                "f" => t.foreign_keys.push(ForeignKey {
                    name: Some(cname),
                    columns,
                    ref_table: qualify(&self.current, r.get(6), r.get(7)),
                    ref_columns: names(r.get(12), r.get(8)),
                    on_update: fk_action(&r.get::<String, _>(9)),
                    on_delete: fk_action(&r.get::<String, _>(10)),
                    deferrable,
                    not_valid: !r.get::<bool, _>(14),
                }),
                "x" => t.exclusions.push(Exclusion {
                    name: cname,
                    definition: definition(),
                }),
                _ => t.checks.push(Check {
                    name: Some(cname),
                    expression: check_expression(&definition()),
                    not_valid: !r.get::<bool, _>(14),
                }),
            }
        }
        Ok(())
    }

    /// Indexes that back no constraint, kept by oid until `finish` hands them to their table
    /// or materialized view.
    pub(super) async fn indexes(&mut self) -> Result<(), DriverError> {
        for r in self.fetch(INDEXES_SQL).await? {
            let (_, index) = self
                .indexes
                .entry(r.get(1))
                .or_insert_with(|| (r.get(0), index(&r)));
            let key_count: i32 = r.get(7);
            let position: i32 = r.get(8);
            let attnum: i32 = r.get(9);
            let text: String = r.get(10);
            if position > key_count {
                // Column names in index parts: quote_ident quotes them; the model keeps names.
                index.include.push(unquote(&text));
                continue;
            }
            let option: i32 = r.get(11);
            let descending = option & 1 != 0;
            let nulls_first = option & 2 != 0;
            index.parts.push(IndexPart {
                column: (attnum != 0).then(|| unquote(&text)),
                expression: (attnum == 0).then_some(text),
                descending,
                nulls_first: (nulls_first != descending).then_some(nulls_first),
                collation: r.get(13),
                opclass: r.get(12),
                prefix: None,
            });
        }
        Ok(())
    }
}

/// A column from its row of `COLUMNS_SQL` (a serial is recognised by the caller).
fn column(r: &PgRow, name: String) -> Column {
    let mut col = Column::new(name, r.get::<String, _>(3));
    col.nullable = !r.get::<bool, _>(4);
    let default: Option<String> = r.get(5);
    let generated: String = r.get(7);
    if generated == "s" {
        col.generated = Some(Generated {
            expression: default.unwrap_or_default(),
            stored: true,
        });
    } else {
        col.default = default;
    }
    col.identity = match r.get::<String, _>(6).as_str() {
        "a" => Some(Identity::Always),
        "d" => Some(Identity::ByDefault),
        _ => None,
    };
    col.collation = r.get(8);
    col.comment = r.get(9);
    col
}

/// An index without its parts, from the first of its rows of `INDEXES_SQL`.
fn index(r: &PgRow) -> Index {
    let method: String = r.get(4);
    Index {
        name: r.get(2),
        unique: r.get(3),
        parts: Vec::new(),
        predicate: r.get(5),
        method: (method != "btree").then_some(method),
        include: Vec::new(),
        nulls_not_distinct: r.get(15),
        with: r.get(14),
        comment: r.get(6),
    }
}
