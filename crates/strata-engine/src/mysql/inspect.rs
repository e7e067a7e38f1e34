//! Inspecting a MySQL 8 / MariaDB database into the [`Schema`] model.
//!
//! One round of set-based `information_schema` queries for the connected database, joined in
//! memory (joins between `information_schema` views are slow on MariaDB), so thousands of tables
//! inspect in seconds. Every value is `CAST` to `CHAR` or `SIGNED` in SQL: the two servers type
//! catalog columns differently (binary strings, unsigned integers).
//!
//! MariaDB and MySQL 8 print defaults differently: MariaDB as SQL expressions (`'abc'`, `NULL`,
//! `current_timestamp()`), MySQL as raw values with a `DEFAULT_GENERATED` flag for expressions.
//! Both are normalised to the SQL expression form, which is what the dialect writes back.

use super::dialect::MYSQL_DIALECT;
use super::MySql;
use crate::database::driver_error;
use sqlx::mysql::MySqlRow;
use sqlx::Row;
use std::collections::BTreeMap;
use strata_diff::Dialect;
use strata_migrate::DriverError;
use strata_schema::{
    lex, quote, Check, Column, Engine, FkAction, ForeignKey, Generated, Identity, Index, IndexPart,
    Key, Name, Routine, RoutineKind, Schema, Table, TableAttr, Trigger, View,
};

impl crate::SchemaDriver for MySql {
    async fn inspect(&mut self) -> Result<Schema, DriverError> {
        Inspector::new(self).await?.run().await
    }

    fn dialect(&self) -> &'static dyn Dialect {
        &MYSQL_DIALECT
    }
}

struct Inspector<'a> {
    db: &'a mut MySql,
    database: String,
    mariadb: bool,
}

// Every selected value is CAST to CHAR or SIGNED, so these decode; a value that does not is
// read as NULL rather than panicking.
fn opt(row: &MySqlRow, i: usize) -> Option<String> {
    row.try_get::<Option<String>, _>(i).ok().flatten()
}

fn s(row: &MySqlRow, i: usize) -> String {
    opt(row, i).unwrap_or_default()
}

fn int(row: &MySqlRow, i: usize) -> Option<i64> {
    row.try_get::<Option<i64>, _>(i).ok().flatten()
}

impl<'a> Inspector<'a> {
    async fn new(db: &'a mut MySql) -> Result<Inspector<'a>, DriverError> {
        let row = sqlx::query("SELECT CAST(VERSION() AS CHAR), CAST(DATABASE() AS CHAR)")
            .fetch_one(&mut db.conn)
            .await
            .map_err(|e| driver_error(e, ""))?;
        let version = s(&row, 0);
        let database = s(&row, 1);
        Ok(Inspector {
            db,
            database,
            mariadb: version.to_ascii_lowercase().contains("mariadb"),
        })
    }

    async fn rows(&mut self, sql: &str) -> Result<Vec<MySqlRow>, DriverError> {
        sqlx::query(sql)
            .bind(&self.database)
            .fetch_all(&mut self.db.conn)
            .await
            .map_err(|e| driver_error(e, sql))
    }

    async fn run(mut self) -> Result<Schema, DriverError> {
        let mut tables = self.tables().await?;
        self.columns(&mut tables).await?;
        self.indexes(&mut tables).await?;
        self.foreign_keys(&mut tables).await?;
        self.checks(&mut tables).await?;
        self.triggers(&mut tables).await?;
        let views = self.views().await?;
        let routines = self.routines().await?;
        let mut schema = Schema {
            tables: tables.into_values().collect(),
            views,
            routines,
            ..Schema::default()
        };
        schema.normalize();
        Ok(schema)
    }

    /// Base tables with their engine, default collation and comment, without strata's history.
    async fn tables(&mut self) -> Result<BTreeMap<String, Table>, DriverError> {
        let history = match &self.db.history.schema {
            Some(s) if *s != self.database => None,
            _ => Some(self.db.history.name.clone()),
        };
        let rows = self
            .rows(
                "SELECT CAST(TABLE_NAME AS CHAR), CAST(TABLE_TYPE AS CHAR), CAST(ENGINE AS CHAR),
                        CAST(TABLE_COLLATION AS CHAR), CAST(TABLE_COMMENT AS CHAR),
                        CAST(CREATE_OPTIONS AS CHAR)
                 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?",
            )
            .await?;
        let mut out = BTreeMap::new();
        let mut partitioned = Vec::new();
        for r in rows {
            let name = s(&r, 0);
            // MariaDB also lists SEQUENCE objects and temporary tables here; only tables count.
            if !matches!(s(&r, 1).as_str(), "BASE TABLE" | "SYSTEM VERSIONED")
                || history.as_deref() == Some(name.as_str())
            {
                continue;
            }
            let mut t = Table::new(Name::new(name.clone()));
            if let Some(engine) = opt(&r, 2) {
                t.attrs.push(TableAttr::MysqlEngine(engine));
            }
            if let Some(collation) = opt(&r, 3) {
                t.attrs.push(TableAttr::MysqlCharset {
                    charset: charset_of(&collation),
                    collation,
                });
            }
            t.comment = opt(&r, 4).filter(|c| !c.is_empty());
            if opt(&r, 5).is_some_and(|o| o.contains("partitioned")) {
                partitioned.push(name.clone());
            }
            out.insert(name, t);
        }
        // The partitioning clause, as the server prints it: only SHOW CREATE TABLE has it whole
        // (information_schema.PARTITIONS lists partitions, not the clause's own text).
        for name in partitioned {
            let sql = format!(
                "SHOW CREATE TABLE {}.{}",
                quote::ident(Engine::Mysql, &self.database),
                quote::ident(Engine::Mysql, &name)
            );
            let row = sqlx::query(&sql)
                .fetch_one(&mut self.db.conn)
                .await
                .map_err(|e| driver_error(e, &sql))?;
            if let (Some(p), Some(t)) = (partition_clause(&s(&row, 1)), out.get_mut(&name)) {
                t.attrs.push(TableAttr::MysqlPartitionBy(p));
            }
        }
        Ok(out)
    }

    async fn columns(&mut self, tables: &mut BTreeMap<String, Table>) -> Result<(), DriverError> {
        let rows = self
            .rows(
                "SELECT CAST(TABLE_NAME AS CHAR), CAST(COLUMN_NAME AS CHAR), CAST(COLUMN_TYPE AS CHAR),
                        CAST(IS_NULLABLE AS CHAR), CAST(COLUMN_DEFAULT AS CHAR), CAST(EXTRA AS CHAR),
                        CAST(GENERATION_EXPRESSION AS CHAR), CAST(COLLATION_NAME AS CHAR),
                        CAST(COLUMN_COMMENT AS CHAR), CAST(DATA_TYPE AS CHAR)
                 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?
                 ORDER BY TABLE_NAME, ORDINAL_POSITION",
            )
            .await?;
        for r in rows {
            let Some(t) = tables.get_mut(&s(&r, 0)) else {
                continue;
            };
            let table_collation = t.attrs.iter().find_map(|a| match a {
                TableAttr::MysqlCharset { collation, .. } => Some(collation.clone()),
                _ => None,
            });
            let extra = s(&r, 5);
            let extra_lower = extra.to_ascii_lowercase();
            let mut c = Column::new(s(&r, 1), s(&r, 2));
            c.nullable = s(&r, 3) == "YES";
            if extra_lower.contains("auto_increment") {
                c.identity = Some(Identity::AutoIncrement);
            }
            let generation = opt(&r, 6).filter(|g| !g.is_empty());
            if let Some(expression) = generation {
                c.generated = Some(Generated {
                    expression: self.unescape(&expression),
                    stored: extra_lower.contains("stored"),
                });
            } else {
                c.default = self.default(opt(&r, 4), &extra, &s(&r, 9));
            }
            c.collation = opt(&r, 7).filter(|coll| Some(coll) != table_collation.as_ref());
            c.comment = opt(&r, 8).filter(|c| !c.is_empty());
            t.columns.push(c);
        }
        Ok(())
    }

    /// A column default in SQL expression form, with an `ON UPDATE` part when the column has one.
    fn default(&self, raw: Option<String>, extra: &str, data_type: &str) -> Option<String> {
        let value = match raw {
            None => None,
            // MariaDB prints an explicit or implied `DEFAULT NULL` as the word NULL (a string
            // default 'NULL' comes quoted).
            Some(v) if self.mariadb => (v != "NULL").then_some(v),
            Some(v) if extra.contains("DEFAULT_GENERATED") => Some(self.unescape(&v)),
            Some(v) if is_numeric_type(data_type) => Some(v),
            Some(v) if data_type == "bit" && v.starts_with("b'") => Some(v),
            Some(v) => Some(quote::literal(Engine::Mysql, &v)),
        };
        let lower = extra.to_ascii_lowercase();
        let on_update = lower
            .find("on update ")
            .map(|i| extra[i + "on update ".len()..].trim().to_string());
        match (value, on_update) {
            (v, None) => v,
            (Some(v), Some(u)) => Some(format!("{v} ON UPDATE {u}")),
            (None, Some(u)) => Some(format!("ON UPDATE {u}")),
        }
    }

    /// MySQL 8 prints quotes inside expressions escaped (`_utf8mb4\'a\'`); MariaDB does not.
    fn unescape(&self, expr: &str) -> String {
        if self.mariadb {
            expr.to_string()
        } else {
            expr.replace("\\'", "'")
        }
    }

    async fn indexes(&mut self, tables: &mut BTreeMap<String, Table>) -> Result<(), DriverError> {
        // Functional key parts (MySQL 8.0.13+) and invisible/ignored indexes differ by server.
        let (expression, hidden) = if self.mariadb {
            ("NULL", "CAST(CAST(IGNORED AS CHAR) = 'YES' AS SIGNED)")
        } else {
            (
                "CAST(EXPRESSION AS CHAR)",
                "CAST(CAST(IS_VISIBLE AS CHAR) = 'NO' AS SIGNED)",
            )
        };
        let sql = format!(
            "SELECT CAST(TABLE_NAME AS CHAR), CAST(INDEX_NAME AS CHAR), CAST(NON_UNIQUE AS SIGNED),
                    CAST(COLUMN_NAME AS CHAR), CAST(SUB_PART AS SIGNED), CAST(COLLATION AS CHAR),
                    CAST(INDEX_TYPE AS CHAR), CAST(INDEX_COMMENT AS CHAR), {expression}, {hidden}
             FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?
             ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"
        );
        let rows = self.rows(&sql).await?;
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

    async fn foreign_keys(
        &mut self,
        tables: &mut BTreeMap<String, Table>,
    ) -> Result<(), DriverError> {
        let rules = self
            .rows(
                "SELECT CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR),
                        CAST(UPDATE_RULE AS CHAR), CAST(DELETE_RULE AS CHAR)
                 FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?",
            )
            .await?;
        let rules: BTreeMap<(String, String), (FkAction, FkAction)> = rules
            .iter()
            .map(|r| {
                (
                    (s(r, 0), s(r, 1)),
                    (fk_action(&s(r, 2)), fk_action(&s(r, 3))),
                )
            })
            .collect();
        let rows = self
            .rows(
                "SELECT CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR), CAST(COLUMN_NAME AS CHAR),
                        CAST(REFERENCED_TABLE_SCHEMA AS CHAR), CAST(REFERENCED_TABLE_NAME AS CHAR),
                        CAST(REFERENCED_COLUMN_NAME AS CHAR)
                 FROM information_schema.KEY_COLUMN_USAGE
                 WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL
                 ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
            )
            .await?;
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
    async fn checks(&mut self, tables: &mut BTreeMap<String, Table>) -> Result<(), DriverError> {
        let mut found: Vec<(String, String, String, bool)> = Vec::new();
        if self.mariadb {
            let rows = self
                .rows(
                    "SELECT CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR),
                            CAST(CHECK_CLAUSE AS CHAR), CAST(LEVEL AS CHAR)
                     FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?",
                )
                .await?;
            for r in &rows {
                found.push((s(r, 0), s(r, 1), s(r, 2), s(r, 3) == "Column"));
            }
        } else {
            // MySQL check names are unique per database; the table comes from TABLE_CONSTRAINTS.
            let owners = self
                .rows(
                    "SELECT CAST(CONSTRAINT_NAME AS CHAR), CAST(TABLE_NAME AS CHAR)
                     FROM information_schema.TABLE_CONSTRAINTS
                     WHERE CONSTRAINT_SCHEMA = ? AND CONSTRAINT_TYPE = 'CHECK'",
                )
                .await?;
            let owners: BTreeMap<String, String> =
                owners.iter().map(|r| (s(r, 0), s(r, 1))).collect();
            let rows = self
                .rows(
                    "SELECT CAST(CONSTRAINT_NAME AS CHAR), CAST(CHECK_CLAUSE AS CHAR)
                     FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?",
                )
                .await?;
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

    async fn triggers(&mut self, tables: &mut BTreeMap<String, Table>) -> Result<(), DriverError> {
        let rows = self
            .rows(
                "SELECT CAST(TRIGGER_NAME AS CHAR), CAST(EVENT_OBJECT_TABLE AS CHAR),
                        CAST(ACTION_TIMING AS CHAR), CAST(EVENT_MANIPULATION AS CHAR),
                        CAST(ACTION_STATEMENT AS CHAR)
                 FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
                 ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER",
            )
            .await?;
        // Several triggers for one table, timing and event fire in ACTION_ORDER: each after the
        // first says which one it follows, so the order survives being created again.
        let mut previous: Option<(String, String, String, String)> = None;
        for r in &rows {
            let Some(t) = tables.get_mut(&s(r, 1)) else {
                continue;
            };
            let name = s(r, 0);
            let group = (s(r, 1), s(r, 2), s(r, 3));
            let follows = match &previous {
                Some((table, timing, event, prev))
                    if (table, timing, event) == (&group.0, &group.1, &group.2) =>
                {
                    format!("FOLLOWS {} ", super::dialect::ident(prev))
                }
                _ => String::new(),
            };
            let definition = format!(
                "CREATE TRIGGER {} {} {} ON {} FOR EACH ROW {follows}{}",
                super::dialect::ident(&name),
                group.1,
                group.2,
                super::dialect::ident(&t.name.name),
                s(r, 4)
            );
            previous = Some((group.0, group.1, group.2, name.clone()));
            t.triggers.push(Trigger { name, definition });
        }
        Ok(())
    }

    /// Views, with references to the connected database removed from their definition: the
    /// server qualifies every name (`` `db`.`t`.`id` ``), and the same view in another database
    /// (the dev database) must compare equal.
    async fn views(&mut self) -> Result<Vec<View>, DriverError> {
        let rows = self
            .rows(
                "SELECT CAST(TABLE_NAME AS CHAR), CAST(VIEW_DEFINITION AS CHAR), CAST(CHECK_OPTION AS CHAR),
                        CAST(SECURITY_TYPE AS CHAR)
                 FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?",
            )
            .await?;
        let prefix = format!("{}.", quote::ident(Engine::Mysql, &self.database));
        Ok(rows
            .iter()
            .map(|r| {
                let mut definition = strip_outside_strings(&s(r, 1), &prefix);
                match s(r, 2).as_str() {
                    "CASCADED" => definition.push_str(" WITH CASCADED CHECK OPTION"),
                    "LOCAL" => definition.push_str(" WITH LOCAL CHECK OPTION"),
                    _ => {}
                }
                View {
                    name: Name::new(s(r, 0)),
                    definition,
                    materialized: false,
                    comment: None,
                    indexes: Vec::new(),
                    triggers: Vec::new(),
                    // DEFINER is the default (and the definer itself is the environment's).
                    options: if s(r, 3).eq_ignore_ascii_case("INVOKER") {
                        vec!["sql_security=invoker".into()]
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect())
    }

    /// Functions and procedures, as the `CREATE` statement that makes them again.
    async fn routines(&mut self) -> Result<Vec<Routine>, DriverError> {
        let params = self
            .rows(
                "SELECT CAST(SPECIFIC_NAME AS CHAR), CAST(ROUTINE_TYPE AS CHAR),
                        CAST(PARAMETER_MODE AS CHAR), CAST(PARAMETER_NAME AS CHAR),
                        CAST(DTD_IDENTIFIER AS CHAR), CAST(ORDINAL_POSITION AS SIGNED)
                 FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = ?
                 ORDER BY SPECIFIC_NAME, ORDINAL_POSITION",
            )
            .await?;
        let mut signatures: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for r in &params {
            if int(r, 5) == Some(0) {
                continue; // a function's return value
            }
            let mode = s(r, 2);
            let param = format!(
                "{}{} {}",
                if s(r, 1) == "PROCEDURE" {
                    format!("{mode} ")
                } else {
                    String::new()
                },
                super::dialect::ident(&s(r, 3)),
                s(r, 4)
            );
            signatures
                .entry((s(r, 1), s(r, 0)))
                .or_default()
                .push(param);
        }
        let rows = self
            .rows(
                "SELECT CAST(ROUTINE_NAME AS CHAR), CAST(ROUTINE_TYPE AS CHAR),
                        CAST(DTD_IDENTIFIER AS CHAR), CAST(ROUTINE_DEFINITION AS CHAR),
                        CAST(IS_DETERMINISTIC AS CHAR), CAST(SQL_DATA_ACCESS AS CHAR),
                        CAST(SECURITY_TYPE AS CHAR), CAST(ROUTINE_COMMENT AS CHAR)
                 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?",
            )
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            let kind = match s(r, 1).as_str() {
                "FUNCTION" => RoutineKind::Function,
                "PROCEDURE" => RoutineKind::Procedure,
                _ => continue, // MariaDB packages
            };
            let name = s(r, 0);
            let args = signatures
                .get(&(s(r, 1), name.clone()))
                .map(|p| p.join(", "))
                .unwrap_or_default();
            let mut def = format!(
                "CREATE {} {}({args})",
                s(r, 1),
                super::dialect::ident(&name)
            );
            if kind == RoutineKind::Function {
                def.push_str(&format!(" RETURNS {}", s(r, 2)));
            }
            let comment = opt(r, 7).filter(|c| !c.is_empty());
            if let Some(c) = &comment {
                def.push_str(&format!(" COMMENT {}", quote::literal(Engine::Mysql, c)));
            }
            if s(r, 4) == "YES" {
                def.push_str(" DETERMINISTIC");
            }
            let access = s(r, 5);
            if !access.is_empty() && access != "CONTAINS SQL" {
                def.push_str(&format!(" {access}"));
            }
            if s(r, 6) == "INVOKER" {
                def.push_str(" SQL SECURITY INVOKER");
            }
            def.push('\n');
            def.push_str(&s(r, 3));
            out.push(Routine {
                name: Name::new(name),
                kind,
                signature: String::new(),
                definition: def,
                comment,
            });
        }
        Ok(out)
    }
}

/// An index as STATISTICS lists it: unique, type, comment and key parts.
type FoundIndex = (bool, String, String, Vec<IndexPart>);

/// The character set a collation belongs to (`utf8mb4_0900_ai_ci` → `utf8mb4`).
fn charset_of(collation: &str) -> String {
    if collation == "binary" {
        return "binary".into();
    }
    collation.split('_').next().unwrap_or(collation).to_string()
}

fn is_numeric_type(data_type: &str) -> bool {
    matches!(
        data_type,
        "tinyint"
            | "smallint"
            | "mediumint"
            | "int"
            | "integer"
            | "bigint"
            | "decimal"
            | "numeric"
            | "float"
            | "double"
            | "real"
            | "year"
    )
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

/// `text` with every `prefix` outside string literals and comments removed (a quoted identifier
/// that is not the prefix is kept whole, so `` `a``d` `` survives a prefix `` `d`. ``).
fn strip_outside_strings(text: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut tokens = lex::tokens(text, Engine::Mysql);
    loop {
        let at = tokens.pos();
        if text[at..].starts_with(prefix) {
            tokens.seek(at + prefix.len());
            continue;
        }
        let Some(t) = tokens.next() else {
            return out;
        };
        out.push_str(t.text(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_database_outside_literals() {
        assert_eq!(
            strip_outside_strings(
                "select `d`.`t`.`a` AS `a` from `d`.`t` where x = '`d`.'",
                "`d`."
            ),
            "select `t`.`a` AS `a` from `t` where x = '`d`.'"
        );
        assert_eq!(
            strip_outside_strings("select `a``d`.`x` from `d`.`t`", "`d`."),
            "select `a``d`.`x` from `t`"
        );
        assert_eq!(
            strip_outside_strings(r#"select 'it\'s `d`.' as a, "`d`.\"" from `d`.`t`"#, "`d`."),
            r#"select 'it\'s `d`.' as a, "`d`.\"" from `t`"#
        );
    }

    #[test]
    fn charset_from_collation() {
        assert_eq!(charset_of("utf8mb4_general_ci"), "utf8mb4");
        assert_eq!(charset_of("binary"), "binary");
    }
}

/// The `PARTITION BY ...` clause of a `SHOW CREATE TABLE` text: MariaDB prints it on a line of its
/// own, MySQL inside a `/*!50100 ... */` version comment.
fn partition_clause(create: &str) -> Option<String> {
    if let Some(i) = create.find("/*!50100 PARTITION BY") {
        let body = &create[i + "/*!50100 ".len()..];
        let end = body.rfind("*/").unwrap_or(body.len());
        return Some(body[..end].trim().to_string());
    }
    let i = create
        .find("\n PARTITION BY")
        .or_else(|| create.find("\nPARTITION BY"))?;
    Some(create[i..].trim().to_string())
}

#[cfg(test)]
mod partition_tests {
    use super::partition_clause;

    #[test]
    fn finds_the_clause_in_both_servers_output() {
        let mariadb = "CREATE TABLE `e` (\n  `at` date NOT NULL\n) ENGINE=InnoDB\n PARTITION BY RANGE (year(`at`))\n(PARTITION `p1` VALUES LESS THAN (2026) ENGINE = InnoDB)";
        assert_eq!(
            partition_clause(mariadb).as_deref(),
            Some("PARTITION BY RANGE (year(`at`))\n(PARTITION `p1` VALUES LESS THAN (2026) ENGINE = InnoDB)")
        );
        let mysql = "CREATE TABLE `e` (\n  `at` date NOT NULL\n) ENGINE=InnoDB\n/*!50100 PARTITION BY RANGE (year(`at`))\n(PARTITION p1 VALUES LESS THAN (2026) ENGINE = InnoDB) */";
        assert_eq!(
            partition_clause(mysql).as_deref(),
            Some("PARTITION BY RANGE (year(`at`))\n(PARTITION p1 VALUES LESS THAN (2026) ENGINE = InnoDB)")
        );
        assert_eq!(
            partition_clause("CREATE TABLE t (id int) COMMENT='PARTITION BY x'"),
            None
        );
    }
}
