//! Inspecting a SQLite database: `sqlite_schema` plus the table-valued pragma functions, joined
//! in five set-based queries (one per kind of pragma, never one per table), and the stored `CREATE` text for what pragmas do not report.

use super::ddl_text::{ident, parse_index, parse_table, TableText};
use super::Sqlite;
use crate::database::driver_error;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use std::collections::BTreeMap;
use strata_diff::Dialect;
use strata_migrate::DriverError;
use strata_schema::{
    lex, Check, Column, Engine, FkAction, ForeignKey, Generated, Identity, Index, IndexPart, Key,
    Name, Schema, Table, TableAttr, Trigger, View, VirtualTable,
};

/// An index's rows from the pragmas: (unique, origin, [(seqno, column, desc, collation)]).
type IndexRows = (bool, String, Vec<(i64, Option<String>, bool, String)>);

fn action(text: String) -> FkAction {
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

/// The query of a `CREATE VIEW` statement (after its first `AS` outside quotes and comments).
fn view_query(sql: &str) -> String {
    match lex::tokens(sql, Engine::Sqlite).find(|t| t.is_word(sql, "AS")) {
        Some(t) => sql[t.end..].trim().to_string(),
        None => sql.to_string(),
    }
}

/// Every object with its stored `CREATE` statement, in creation order.
const OBJECTS_SQL: &str =
    "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid";

/// Every table's columns, hidden (generated) ones included.
const COLUMNS_SQL: &str =
    "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden
     FROM sqlite_schema m, pragma_table_xinfo(m.name) p
     WHERE m.type = 'table' ORDER BY m.name, p.cid";

/// Every index's key columns (`cid` -2 for expressions, whose text comes from `CREATE INDEX`).
const INDEX_COLUMNS_SQL: &str =
    "SELECT m.name, il.name, il.\"unique\", il.origin, ix.seqno, ix.name, ix.\"desc\", ix.coll
     FROM sqlite_schema m, pragma_index_list(m.name) il, pragma_index_xinfo(il.name) ix
     WHERE m.type = 'table' AND ix.key = 1 ORDER BY m.name, il.name, ix.seqno";

/// Every foreign key's column pairs.
const FOREIGN_KEYS_SQL: &str =
    "SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete
     FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
     WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq";

/// Virtual tables and the shadow tables their modules keep (FTS5 `<name>_data`, ...).
const SPECIAL_TABLES_SQL: &str = "SELECT name, type FROM pragma_table_list
     WHERE schema = 'main' AND type IN ('virtual', 'shadow')";

impl crate::SchemaDriver for Sqlite {
    async fn inspect(&mut self) -> Result<Schema, DriverError> {
        let objects = fetch(self, OBJECTS_SQL).await?;
        let columns = fetch(self, COLUMNS_SQL).await?;
        let index_columns = fetch(self, INDEX_COLUMNS_SQL).await?;
        let foreign_keys = fetch(self, FOREIGN_KEYS_SQL).await?;
        let special = fetch(self, SPECIAL_TABLES_SQL).await?;
        let mut i = Inspector::new(&self.history.name);
        i.objects(&objects, &special);
        i.columns(&columns);
        i.indexes(&index_columns, &objects);
        i.foreign_keys(&foreign_keys);
        Ok(i.finish())
    }

    fn dialect(&self) -> &'static dyn Dialect {
        &super::dialect::SQLITE_DIALECT
    }
}

async fn fetch(db: &mut Sqlite, sql: &str) -> Result<Vec<SqliteRow>, DriverError> {
    sqlx::query(sql)
        .fetch_all(db.conn.sqlx())
        .await
        .map_err(|e| driver_error(e, sql))
}

/// The schema being assembled from the rows of the five queries.
struct Inspector {
    history: String,
    schema: Schema,
    tables: BTreeMap<String, Table>,
    /// Each table's CREATE TABLE text, parsed once: what the pragmas do not report.
    texts: BTreeMap<String, TableText>,
}

impl Inspector {
    fn new(history: &str) -> Self {
        Inspector {
            history: history.to_string(),
            schema: Schema::default(),
            tables: BTreeMap::new(),
            texts: BTreeMap::new(),
        }
    }

    /// strata's own history and lock tables and SQLite's internal ones.
    fn skip(&self, name: &str) -> bool {
        name.starts_with("sqlite_")
            || name == self.history
            || name.strip_prefix(self.history.as_str()) == Some("_lock")
    }

    /// Tables (with what their CREATE text says), virtual tables, views and triggers.
    fn objects(&mut self, objects: &[SqliteRow], special: &[SqliteRow]) {
        let special: BTreeMap<String, String> =
            special.iter().map(|r| (r.get(0), r.get(1))).collect();
        // Triggers met before their table (or on a view), attached once every table is known.
        let mut later_triggers: BTreeMap<String, String> = BTreeMap::new();
        for o in objects {
            let kind: String = o.get(0);
            let name: String = o.get(1);
            let table: String = o.get(2);
            let sql: String = o.get(3);
            if self.skip(&name) || self.skip(&table) {
                continue;
            }
            match (kind.as_str(), special.get(&name).map(String::as_str)) {
                ("table", Some("shadow")) => {}
                ("table", Some("virtual")) => self.schema.virtual_tables.push(VirtualTable {
                    name: Name::new(&name),
                    definition: sql,
                }),
                ("table", _) => self.table(name, &sql),
                ("view", _) => self.schema.views.push(View {
                    name: Name::new(&name),
                    definition: view_query(&sql),
                    materialized: false,
                    comment: None,
                    indexes: Vec::new(),
                    triggers: Vec::new(),
                    options: Vec::new(),
                }),
                ("trigger", _) => {
                    if let Some(t) = self.tables.get_mut(&table) {
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
            if let Some(t) = self.tables.get_mut(table) {
                t.triggers.push(trigger);
            } else if let Some(v) = self.schema.views.iter_mut().find(|v| v.name.name == table) {
                v.triggers.push(trigger);
            }
        }
    }

    /// A table with the attributes and checks its CREATE TABLE text declares.
    fn table(&mut self, name: String, sql: &str) {
        let text = parse_table(sql);
        let mut t = Table::new(Name::new(&name));
        if text.without_rowid {
            t.attrs.push(TableAttr::SqliteWithoutRowid);
        }
        if text.strict {
            t.attrs.push(TableAttr::SqliteStrict);
        }
        let column_checks = text.columns.iter().flat_map(|c| &c.checks);
        for (n, e) in text.checks.iter().chain(column_checks) {
            t.checks.push(Check {
                name: n.clone(),
                expression: e.clone(),
                not_valid: false,
            });
        }
        self.texts.insert(name.clone(), text);
        self.tables.insert(name, t);
    }

    /// Columns and primary keys.
    fn columns(&mut self, rows: &[SqliteRow]) {
        let mut pk: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
        for r in rows {
            let table: String = r.get(0);
            let Some(t) = self.tables.get_mut(&table) else {
                continue;
            };
            let name: String = r.get(1);
            let ty: String = r.get(2);
            let not_null: i64 = r.get(3);
            let pk_pos: i64 = r.get(5);
            let hidden: i64 = r.get(6);
            let ct = self.texts[&table]
                .columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(&name));
            let mut c = Column::new(&name, &ty);
            c.nullable = not_null == 0;
            c.default = r.get(4);
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
            if let Some(t) = self.tables.get_mut(&table) {
                t.primary_key = Some(key(None, cols.into_iter().map(|(_, n)| n).collect()));
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
    }

    /// Indexes: origin 'c' are user indexes, 'u' unique constraints, 'pk' the primary key.
    fn indexes(&mut self, rows: &[SqliteRow], objects: &[SqliteRow]) {
        let mut idx: BTreeMap<(String, String), IndexRows> = BTreeMap::new();
        for r in rows {
            let (unique, desc): (i64, i64) = (r.get(2), r.get(6));
            idx.entry((r.get(0), r.get(1)))
                .or_insert_with(|| (unique != 0, r.get(3), Vec::new()))
                .2
                .push((r.get(4), r.get(5), desc != 0, r.get(7)));
        }
        let index_sql: BTreeMap<&str, &str> = objects
            .iter()
            .filter(|o| o.get::<String, _>(0) == "index")
            .map(|o| (o.get::<&str, _>(1), o.get::<&str, _>(3)))
            .collect();
        for ((table, index), (unique, origin, parts)) in idx {
            let Some(t) = self.tables.get_mut(&table) else {
                continue;
            };
            match origin.as_str() {
                "u" => {
                    let cols: Vec<String> = parts.iter().filter_map(|p| p.1.clone()).collect();
                    let name = self.texts[&table]
                        .uniques
                        .iter()
                        .find(|(_, c)| *c == cols)
                        .and_then(|(n, _)| n.clone());
                    t.uniques.push(key(name, cols));
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
    }

    /// Foreign keys, with the deferrability only the CREATE TABLE text has.
    fn foreign_keys(&mut self, rows: &[SqliteRow]) {
        let mut grouped: BTreeMap<(String, i64), ForeignKey> = BTreeMap::new();
        for r in rows {
            let fk = grouped
                .entry((r.get(0), r.get(1)))
                .or_insert_with(|| ForeignKey {
                    name: None,
                    columns: Vec::new(),
                    ref_table: Name::new(r.get::<String, _>(2)),
                    ref_columns: Vec::new(),
                    on_update: action(r.get(5)),
                    on_delete: action(r.get(6)),
                    deferrable: Default::default(),
                    not_valid: false,
                });
            fk.columns.push(r.get(3));
            if let Some(to) = r.get::<Option<String>, _>(4) {
                fk.ref_columns.push(to);
            }
        }
        for ((table, _), mut fk) in grouped {
            let declared = self
                .texts
                .get(&table)
                .map_or(&[][..], |t| t.fk_deferrable.as_slice());
            let same = |a: &[String], b: &[String]| {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
            };
            if let Some((_, d)) = declared.iter().find(|(cols, _)| same(cols, &fk.columns)) {
                fk.deferrable = *d;
            }
            if let Some(t) = self.tables.get_mut(&table) {
                t.foreign_keys.push(fk);
            }
        }
    }

    /// Foreign keys without target columns get the target's primary key; the schema is done.
    fn finish(mut self) -> Schema {
        let pks: BTreeMap<String, Vec<String>> = self
            .tables
            .iter()
            .filter_map(|(n, t)| {
                t.primary_key
                    .as_ref()
                    .map(|k| (n.clone(), k.columns.clone()))
            })
            .collect();
        for t in self.tables.values_mut() {
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
        self.schema.tables = self.tables.into_values().collect();
        self.schema.normalize();
        self.schema
    }
}

/// An unnamed-or-named key of plain columns (SQLite keys are never deferrable).
fn key(name: Option<String>, columns: Vec<String>) -> Key {
    Key {
        name,
        columns,
        deferrable: Default::default(),
        nulls_not_distinct: false,
    }
}
