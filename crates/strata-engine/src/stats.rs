//! Table sizes for the linter: estimated rows and bytes per table, from the catalogs (PostgreSQL
//! `reltuples`, or about 100 bytes a row for a table never analysed; MySQL `TABLE_ROWS`) or by
//! counting (SQLite has no estimate).

use crate::database::{driver_error, Database};
use sqlx::Row;
use strata_migrate::DriverError;
use strata_schema::quote;
use strata_schema::Engine;

/// Rows and bytes of one table; the name is `schema.table` outside the default schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableStats {
    /// The table's name, unquoted; `schema.table` outside the default schema.
    pub name: String,
    /// The row count: PostgreSQL's and MySQL's estimate from the catalog, an exact count on SQLite.
    pub rows: i64,
    /// The size on disk in bytes with indexes (and PostgreSQL TOAST); `None` on SQLite.
    pub bytes: Option<i64>,
}

/// PostgreSQL's table sizes. `pg_relation_size` takes an ACCESS SHARE lock on the table, which
/// waits behind an ACCESS EXCLUSIVE lock held *or waited for* by anyone (an `ALTER TABLE` of
/// another deploy, a `VACUUM FULL`): `strata apply` would hang in its lint before taking its own
/// lock. Such tables get the planner's estimates instead (pages at the last VACUUM/ANALYZE),
/// which need no lock.
const PG_TABLE_STATS: &str = "
WITH busy AS (
    SELECT DISTINCT relation FROM pg_locks
    WHERE locktype = 'relation' AND mode = 'AccessExclusiveLock' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
)
SELECT CASE WHEN n.nspname = current_schema() THEN c.relname ELSE n.nspname || '.' || c.relname END,
       (CASE WHEN c.reltuples >= 0 THEN c.reltuples
             WHEN c.oid IN (SELECT relation FROM busy) THEN c.relpages::float8 * current_setting('block_size')::int / 100
             ELSE pg_relation_size(c.oid) / 100 END)::bigint,
       CASE WHEN c.oid IN (SELECT relation FROM busy)
            THEN (c.relpages::bigint
                  + COALESCE((SELECT t.relpages FROM pg_class t WHERE t.oid = c.reltoastrelid), 0)
                  + COALESCE((SELECT sum(i.relpages) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = c.oid), 0)
                 )::bigint * current_setting('block_size')::bigint
            ELSE pg_total_relation_size(c.oid) END
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

impl Database {
    /// Estimated size of every table, in one query where the engine keeps estimates.
    pub async fn table_stats(&mut self) -> Result<Vec<TableStats>, DriverError> {
        match self {
            Database::Postgres(pg) => {
                let rows = sqlx::query(PG_TABLE_STATS)
                    .fetch_all(pg.connection())
                    .await
                    .map_err(|e| driver_error(e, ""))?;
                Ok(rows
                    .iter()
                    .map(|r| TableStats {
                        name: r.get(0),
                        rows: r.get(1),
                        bytes: Some(r.get(2)),
                    })
                    .collect())
            }
            Database::MySql(my) => {
                let rows = sqlx::query(
                    "SELECT CAST(TABLE_NAME AS CHAR), CAST(COALESCE(TABLE_ROWS, 0) AS SIGNED),
                            CAST(COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0) AS SIGNED)
                     FROM information_schema.TABLES
                     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
                )
                .fetch_all(my.connection())
                .await
                .map_err(|e| driver_error(e, ""))?;
                Ok(rows
                    .iter()
                    .map(|r| TableStats {
                        name: r.get(0),
                        rows: r.get(1),
                        bytes: Some(r.get(2)),
                    })
                    .collect())
            }
            Database::Sqlite(lite) => {
                let names: Vec<String> = sqlx::query_scalar(
                    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                )
                .fetch_all(lite.connection())
                .await
                .map_err(|e| driver_error(e, ""))?;
                let mut out = Vec::new();
                for name in names {
                    let sql = format!(
                        "SELECT COUNT(*) FROM {}",
                        quote::ident(Engine::Sqlite, &name)
                    );
                    let rows: i64 = sqlx::query_scalar(&sql)
                        .fetch_one(lite.connection())
                        .await
                        .map_err(|e| driver_error(e, &sql))?;
                    out.push(TableStats {
                        name,
                        rows,
                        bytes: None,
                    });
                }
                Ok(out)
            }
        }
    }
}
