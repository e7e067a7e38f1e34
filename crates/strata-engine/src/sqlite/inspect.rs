//! Inspecting a SQLite database: `sqlite_schema` plus the table-valued pragma functions, joined
//! in five set-based queries, and the stored `CREATE` text for what pragmas do not report.

use super::ddl_text::{ident, parse_index, parse_table, TableText};
use super::Sqlite;
use crate::database::driver_error;
use sqlx::Row;
use std::collections::BTreeMap;
use strata_diff::Dialect;
use strata_migrate::DriverError;
use strata_schema::{
    Check, Column, FkAction, ForeignKey, Generated, Identity, Index, IndexPart, Key, Name, Schema,
    Table, TableAttr, Trigger, View, VirtualTable,
};

/// An index's rows from the pragmas: (unique, origin, [(seqno, column, desc, collation)]).
type IndexRows = (bool, String, Vec<(i64, Option<String>, bool, String)>);

fn action(text: &str) -> FkAction {
    match text.to_ascii_uppercase().as_str() {
        "CASCADE" => FkAction::Cascade,
        "SET NULL" => FkAction::SetNull,
        "SET DEFAULT" => FkAction::SetDefault,
        "RESTRICT" => FkAction::Restrict,
        _ => FkAction::NoAction,
    }
}

/// Splits an index part's text into (expression or column, collation, descending).
fn index_part(text: &str, desc: bool, coll: &str) -> IndexPart {
    let mut t = text.trim();
    // A trailing ` DESC`/` ASC` word (`get`: the text may end in a non-ASCII name).
    for suffix in [" DESC", " ASC"] {
        let cut = t.len().saturating_sub(suffix.len());
        if cut > 0
            && t.get(cut..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix))
        {
            t = t[..cut].trim_end();
        }
    }
    // Only an explicit `COLLATE` of the index part is the part's own: without one the index uses
    // the column's collation (which the pragma reports too), and follows it when it changes.
    let upper = t.to_ascii_uppercase();
    let mut explicit = false;
    if let Some(i) = upper.rfind(" COLLATE ") {
        let name = t[i + " COLLATE ".len()..].trim();
        if ident(name).is_some_and(|(_, rest)| rest.trim().is_empty()) {
            t = t[..i].trim_end();
            explicit = true;
        }
    }
    let mut part = match ident(t) {
        Some((name, rest)) if rest.trim().is_empty() => IndexPart::column(name),
        _ => IndexPart {
            column: None,
            expression: Some(t.to_string()),
            ..IndexPart::column("")
        },
    };
    part.descending = desc;
    if explicit {
        part.collation = Some(coll.to_string());
    }
    part
}

/// The query of a `CREATE VIEW` statement (after its top-level `AS`).
fn view_query(sql: &str) -> String {
    let upper = sql.to_ascii_uppercase();
    let mut from = 0;
    while let Some(i) = upper[from..].find("AS") {
        let at = from + i;
        let before_ok = at > 0 && upper.as_bytes()[at - 1].is_ascii_whitespace();
        let after_ok = upper
            .as_bytes()
            .get(at + 2)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'(');
        if before_ok && after_ok {
            return sql[at + 2..].trim().to_string();
        }
        from = at + 2;
    }
    sql.to_string()
}

impl crate::SchemaDriver for Sqlite {
    async fn inspect(&mut self) -> Result<Schema, DriverError> {
        let history = self.history.name.clone();
        let lock = format!("{history}_lock");
        let skip = |name: &str| name.starts_with("sqlite_") || name == history || name == lock;
        let objects = sqlx::query("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid")
            .fetch_all(self.conn.sqlx())
            .await
            .map_err(|e| driver_error(e, ""))?;
        let columns = sqlx::query(
            "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden
             FROM sqlite_schema m, pragma_table_xinfo(m.name) p
             WHERE m.type = 'table' ORDER BY m.name, p.cid",
        )
        .fetch_all(self.conn.sqlx())
        .await
        .map_err(|e| driver_error(e, ""))?;
        let index_cols = sqlx::query(
            "SELECT m.name, il.name, il.\"unique\", il.origin, ix.seqno, ix.name, ix.\"desc\", ix.coll
             FROM sqlite_schema m, pragma_index_list(m.name) il, pragma_index_xinfo(il.name) ix
             WHERE m.type = 'table' AND ix.key = 1 ORDER BY m.name, il.name, ix.seqno",
        )
        .fetch_all(self.conn.sqlx())
        .await
        .map_err(|e| driver_error(e, ""))?;
        let fks = sqlx::query(
            "SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete
             FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq",
        )
        .fetch_all(self.conn.sqlx())
        .await
        .map_err(|e| driver_error(e, ""))?;

        // Virtual tables and the shadow tables their modules keep (FTS5 `<name>_data`, ...).
        let special: BTreeMap<String, String> = sqlx::query_as::<_, (String, String)>(
            "SELECT name, type FROM pragma_table_list WHERE schema = 'main' AND type IN ('virtual', 'shadow')",
        )
        .fetch_all(self.conn.sqlx())
        .await
        .map_err(|e| driver_error(e, ""))?
        .into_iter()
        .collect();

        let mut schema = Schema::default();
        let mut tables: BTreeMap<String, Table> = BTreeMap::new();
        // Triggers met before their table (or on a view), attached once every table is known.
        let mut later_triggers: BTreeMap<String, String> = BTreeMap::new();
        // Each table's CREATE TABLE text, parsed once: what the pragmas do not report.
        let mut texts: BTreeMap<String, TableText> = BTreeMap::new();
        for o in &objects {
            let kind: String = o.get(0);
            let name: String = o.get(1);
            let table: String = o.get(2);
            let sql: String = o.get(3);
            if skip(&name) || skip(&table) {
                continue;
            }
            match (kind.as_str(), special.get(&name).map(String::as_str)) {
                ("table", Some("shadow")) => {}
                ("table", Some("virtual")) => schema.virtual_tables.push(VirtualTable {
                    name: Name::new(&name),
                    definition: sql,
                }),
                ("table", _) => {
                    let text = parse_table(&sql);
                    let mut t = Table::new(Name::new(&name));
                    if text.without_rowid {
                        t.attrs.push(TableAttr::SqliteWithoutRowid);
                    }
                    if text.strict {
                        t.attrs.push(TableAttr::SqliteStrict);
                    }
                    for (n, e) in &text.checks {
                        t.checks.push(Check {
                            name: n.clone(),
                            expression: e.clone(),
                            not_valid: false,
                        });
                    }
                    for c in &text.columns {
                        for (n, e) in &c.checks {
                            t.checks.push(Check {
                                name: n.clone(),
                                expression: e.clone(),
                                not_valid: false,
                            });
                        }
                    }
                    texts.insert(name.clone(), text);
                    tables.insert(name, t);
                }
                ("view", _) => schema.views.push(View {
                    name: Name::new(&name),
                    definition: view_query(&sql),
                    materialized: false,
                    comment: None,
                    indexes: Vec::new(),
                    triggers: Vec::new(),
                    options: Vec::new(),
                }),
                ("trigger", _) => {
                    if let Some(t) = tables.get_mut(&table) {
                        t.triggers.push(Trigger {
                            name,
                            definition: sql,
                        });
                    } else {
                        // A trigger on a view, or listed before its table: attach later.
                        later_triggers.insert(format!("{table}:{name}"), sql);
                    }
                }
                _ => {}
            }
        }
        for (key, sql) in later_triggers {
            let (table, name) = key.split_once(':').unwrap_or((&key, ""));
            let trigger = Trigger {
                name: name.to_string(),
                definition: sql,
            };
            if let Some(t) = tables.get_mut(table) {
                t.triggers.push(trigger);
            } else if let Some(v) = schema.views.iter_mut().find(|v| v.name.name == table) {
                v.triggers.push(trigger);
            }
        }

        let mut pk: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
        for r in &columns {
            let table: String = r.get(0);
            let Some(t) = tables.get_mut(&table) else {
                continue;
            };
            let name: String = r.get(1);
            let ty: String = r.get(2);
            let not_null: i64 = r.get(3);
            let default: Option<String> = r.get(4);
            let pk_pos: i64 = r.get(5);
            let hidden: i64 = r.get(6);
            let ct = texts[&table]
                .columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(&name));
            let mut c = Column::new(&name, &ty);
            c.nullable = not_null == 0;
            c.default = default;
            if let Some(ct) = ct {
                c.collation = ct.collate.clone();
                if ct.autoincrement {
                    c.identity = Some(Identity::AutoIncrement);
                }
                if hidden == 2 || hidden == 3 {
                    if let Some((e, stored)) = &ct.generated {
                        c.generated = Some(Generated {
                            expression: e.clone(),
                            stored: *stored,
                        });
                    }
                }
            }
            if pk_pos > 0 {
                pk.entry(table.clone())
                    .or_default()
                    .push((pk_pos, name.clone()));
            }
            t.columns.push(c);
        }
        for (table, mut cols) in pk {
            cols.sort();
            if let Some(t) = tables.get_mut(&table) {
                t.primary_key = Some(Key {
                    name: None,
                    columns: cols.into_iter().map(|(_, n)| n).collect(),
                    deferrable: Default::default(),
                    nulls_not_distinct: false,
                });
                // The rowid is never NULL (inserting NULL assigns the next id) though
                // table_info says nullable unless `NOT NULL` is written: with it or
                // without, it is the same column.
                if let Some(id) = super::dialect::rowid_alias(t).map(str::to_string) {
                    if let Some(c) = t.columns.iter_mut().find(|c| c.name == id) {
                        c.nullable = false;
                    }
                }
            }
        }

        // Indexes: origin 'c' are user indexes, 'u' unique constraints, 'pk' the primary key.
        let mut idx: BTreeMap<(String, String), IndexRows> = BTreeMap::new();
        for r in &index_cols {
            let table: String = r.get(0);
            let index: String = r.get(1);
            let unique: i64 = r.get(2);
            let origin: String = r.get(3);
            let seq: i64 = r.get(4);
            let col: Option<String> = r.get(5);
            let desc: i64 = r.get(6);
            let coll: String = r.get(7);
            idx.entry((table, index))
                .or_insert_with(|| (unique != 0, origin, Vec::new()))
                .2
                .push((seq, col, desc != 0, coll));
        }
        let index_sql: BTreeMap<&str, &str> = objects
            .iter()
            .filter(|o| o.get::<String, _>(0) == "index")
            .map(|o| (o.get::<&str, _>(1), o.get::<&str, _>(3)))
            .collect();
        for ((table, index), (unique, origin, parts)) in idx {
            let Some(t) = tables.get_mut(&table) else {
                continue;
            };
            match origin.as_str() {
                "u" => {
                    let cols: Vec<String> = parts.iter().filter_map(|p| p.1.clone()).collect();
                    let name = texts[&table]
                        .uniques
                        .iter()
                        .find(|(_, c)| *c == cols)
                        .and_then(|(n, _)| n.clone());
                    t.uniques.push(Key {
                        name,
                        columns: cols,
                        deferrable: Default::default(),
                        nulls_not_distinct: false,
                    });
                }
                "c" => {
                    let sql = index_sql.get(index.as_str()).copied().unwrap_or("");
                    let (texts, predicate) = parse_index(sql);
                    let parts = parts
                        .iter()
                        .enumerate()
                        .map(|(i, (_, col, desc, coll))| {
                            let text = texts
                                .get(i)
                                .cloned()
                                .or_else(|| col.clone())
                                .unwrap_or_default();
                            index_part(&text, *desc, coll)
                        })
                        .collect();
                    t.indexes.push(Index {
                        name: index,
                        unique,
                        parts,
                        predicate,
                        method: None,
                        include: Vec::new(),
                        nulls_not_distinct: false,
                        with: Vec::new(),
                        comment: None,
                    });
                }
                _ => {}
            }
        }

        let mut grouped: BTreeMap<(String, i64), ForeignKey> = BTreeMap::new();
        for r in &fks {
            let table: String = r.get(0);
            let id: i64 = r.get(1);
            let target: String = r.get(2);
            let from: String = r.get(3);
            let to: Option<String> = r.get(4);
            let on_update: String = r.get(5);
            let on_delete: String = r.get(6);
            let fk = grouped.entry((table, id)).or_insert_with(|| ForeignKey {
                name: None,
                columns: Vec::new(),
                ref_table: Name::new(&target),
                ref_columns: Vec::new(),
                on_update: action(&on_update),
                on_delete: action(&on_delete),
                deferrable: Default::default(),
                not_valid: false,
            });
            fk.columns.push(from);
            if let Some(to) = to {
                fk.ref_columns.push(to);
            }
        }
        // Deferrability is only in the CREATE TABLE text.
        for ((table, _), mut fk) in grouped {
            let declared = texts
                .get(&table)
                .map_or(&[][..], |t| t.fk_deferrable.as_slice());
            let same = |a: &[String], b: &[String]| {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
            };
            if let Some((_, d)) = declared.iter().find(|(cols, _)| same(cols, &fk.columns)) {
                fk.deferrable = *d;
            }
            if let Some(t) = tables.get_mut(&table) {
                t.foreign_keys.push(fk);
            }
        }
        // A foreign key without target columns references the target's primary key.
        let pks: BTreeMap<String, Vec<String>> = tables
            .iter()
            .filter_map(|(n, t)| {
                t.primary_key
                    .as_ref()
                    .map(|k| (n.clone(), k.columns.clone()))
            })
            .collect();
        for t in tables.values_mut() {
            for fk in &mut t.foreign_keys {
                if fk.ref_columns.is_empty() {
                    fk.ref_columns = pks.get(&fk.ref_table.name).cloned().unwrap_or_default();
                }
            }
            // SQLite numbers foreign keys from the last declared one, so the pragma order flips
            // each time a table is rendered and read again: unnamed as they are, order them by
            // their definition.
            t.foreign_keys.sort_by(|a, b| {
                (&a.columns, &a.ref_table, &a.ref_columns).cmp(&(
                    &b.columns,
                    &b.ref_table,
                    &b.ref_columns,
                ))
            });
        }
        schema.tables = tables.into_values().collect();
        schema.normalize();
        Ok(schema)
    }

    fn dialect(&self) -> &'static dyn Dialect {
        &super::dialect::SQLITE_DIALECT
    }
}
