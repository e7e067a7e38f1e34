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
//!
//! `run` is the table of contents; the queries are in `queries.rs`, tables and columns here,
//! keys, indexes and checks in `constraints.rs`, triggers, views and routines in `code.rs`.

mod code;
mod constraints;
mod queries;

use super::dialect::MYSQL_DIALECT;
use super::MySql;
use crate::database::driver_error;
use queries::*;
use sqlx::mysql::MySqlRow;
use sqlx::Row;
use std::collections::BTreeMap;
use strata_diff::Dialect;
use strata_migrate::DriverError;
use strata_schema::{quote, Column, Engine, Generated, Identity, Name, Schema, Table, TableAttr};

impl crate::SchemaDriver for MySql {
    async fn inspect(&mut self) -> Result<Schema, DriverError> {
        Inspector::new(self).await?.run().await
    }

    fn dialect(&self) -> &'static dyn Dialect {
        &MYSQL_DIALECT
    }
}

/// A connection being inspected: the database it is connected to and which server it is.
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
        let row = sqlx::query(SERVER_SQL)
            .fetch_one(&mut db.conn)
            .await
            .map_err(|e| driver_error(e, SERVER_SQL))?;
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
        let rows = self.rows(TABLES_SQL).await?;
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
        let rows = self.rows(COLUMNS_SQL).await?;
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
}

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
mod tests {
    use super::*;

    #[test]
    fn charset_from_collation() {
        assert_eq!(charset_of("utf8mb4_general_ci"), "utf8mb4");
        assert_eq!(charset_of("binary"), "binary");
    }

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
