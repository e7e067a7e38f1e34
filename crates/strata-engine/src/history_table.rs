use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Decode, Row, Type};
use strata_migrate::{HistoryRow, Operation};
use strata_schema::{quote, Engine};

/// Where the history table lives: its name and, optionally, its schema (PostgreSQL namespace or
/// MySQL database). Names are quoted safely whatever characters they hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryTable {
    /// The schema (PostgreSQL) or database (MySQL) of the table, unquoted; `None` for the
    /// connection's default. SQLite refuses one.
    pub schema: Option<String>,
    /// The table's name, unquoted (`strata_history` by default).
    pub name: String,
}

impl Default for HistoryTable {
    fn default() -> Self {
        HistoryTable {
            schema: None,
            name: "strata_history".to_string(),
        }
    }
}

impl HistoryTable {
    /// The quoted, possibly qualified name of the history table.
    pub fn qualified(&self, engine: Engine) -> String {
        quote::qualified(engine, self.schema.as_deref(), &self.name)
    }

    /// The quoted name of a companion table (e.g. SQLite's lock table) beside the history table.
    pub fn sibling(&self, engine: Engine, suffix: &str) -> String {
        quote::qualified(
            engine,
            self.schema.as_deref(),
            &format!("{}{suffix}", self.name),
        )
    }
}

/// One column of the history table and its type in each engine.
struct Column {
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
    mysql: &'static str,
}

impl Column {
    fn sql_type(&self, engine: Engine) -> &'static str {
        match engine {
            Engine::Sqlite => self.sqlite,
            Engine::Postgres => self.postgres,
            Engine::Mysql => self.mysql,
        }
    }
}

const fn col(
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
    mysql: &'static str,
) -> Column {
    Column {
        name,
        sqlite,
        postgres,
        mysql,
    }
}

/// The history table's columns, in the order every statement below lists them and
/// [`decode_row`] reads them.
const COLUMNS: [Column; 12] = [
    col(
        "version",
        "INTEGER PRIMARY KEY",
        "bigint PRIMARY KEY",
        "BIGINT NOT NULL PRIMARY KEY",
    ),
    col("name", "TEXT NOT NULL", "text NOT NULL", "TEXT NOT NULL"),
    col(
        "checksum",
        "TEXT NOT NULL",
        "text NOT NULL",
        "VARCHAR(64) NOT NULL",
    ),
    col(
        "applied_at",
        "TEXT NOT NULL",
        "timestamptz NOT NULL DEFAULT now()",
        "DATETIME(6) NOT NULL",
    ),
    col(
        "execution_ms",
        "INTEGER NOT NULL",
        "bigint NOT NULL",
        "BIGINT NOT NULL",
    ),
    col(
        "applied_by",
        "TEXT NOT NULL",
        "text NOT NULL",
        "VARCHAR(255) NOT NULL",
    ),
    col(
        "statements_applied",
        "INTEGER NOT NULL",
        "bigint NOT NULL",
        "BIGINT NOT NULL",
    ),
    col(
        "statements_total",
        "INTEGER NOT NULL",
        "bigint NOT NULL",
        "BIGINT NOT NULL",
    ),
    col(
        "progress_hash",
        "TEXT NOT NULL",
        "text NOT NULL",
        "VARCHAR(64) NOT NULL",
    ),
    col(
        "success",
        "INTEGER NOT NULL",
        "boolean NOT NULL",
        "BOOLEAN NOT NULL",
    ),
    col(
        "operation",
        "TEXT NOT NULL",
        "text NOT NULL",
        "VARCHAR(16) NOT NULL",
    ),
    col("error", "TEXT", "text", "TEXT NULL"),
];

fn column_list() -> String {
    COLUMNS.map(|c| c.name).join(", ")
}

impl HistoryTable {
    /// `CREATE TABLE IF NOT EXISTS` for the history table in `engine`.
    pub(crate) fn create_sql(&self, engine: Engine) -> String {
        let columns: Vec<String> = COLUMNS
            .iter()
            .map(|c| format!("    {} {}", c.name, c.sql_type(engine)))
            .collect();
        let options = match engine {
            Engine::Mysql => " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
            _ => "",
        };
        format!(
            "CREATE TABLE IF NOT EXISTS {} (\n{}\n){options}",
            self.qualified(engine),
            columns.join(",\n")
        )
    }

    /// Every row, oldest version first, columns in [`decode_row`]'s order.
    pub(crate) fn select_sql(&self, engine: Engine) -> String {
        format!(
            "SELECT {} FROM {} ORDER BY version",
            column_list(),
            self.qualified(engine)
        )
    }

    /// `DELETE` of one version; `version` is a bind marker or a literal.
    pub(crate) fn delete_sql(&self, engine: Engine, version: &str) -> String {
        format!(
            "DELETE FROM {} WHERE version = {version}",
            self.qualified(engine)
        )
    }

    /// The upsert of one row with binds (PostgreSQL `$n`, MySQL `?`) in [`COLUMNS`] order.
    pub(crate) fn upsert_bind_sql(&self, engine: Engine) -> String {
        let (marks, conflict, value): (Vec<String>, _, fn(&str) -> String) = match engine {
            Engine::Postgres => (
                (1..=COLUMNS.len()).map(|i| format!("${i}")).collect(),
                "ON CONFLICT (version) DO UPDATE SET",
                |c| format!("EXCLUDED.{c}"),
            ),
            _ => (
                vec!["?".to_string(); COLUMNS.len()],
                "ON DUPLICATE KEY UPDATE",
                |c| format!("VALUES({c})"),
            ),
        };
        let updates: Vec<String> = COLUMNS[1..]
            .iter()
            .map(|c| format!("{} = {}", c.name, value(c.name)))
            .collect();
        format!(
            "INSERT INTO {} ({})\n             VALUES ({})\n             {conflict} {}",
            self.qualified(engine),
            column_list(),
            marks.join(", "),
            updates.join(", ")
        )
    }

    /// SQLite's upsert of `row` with literals rather than binds, so it can run through the raw
    /// multi-statement path and travel with the COMMIT.
    pub(crate) fn upsert_literal_sql(&self, row: &HistoryRow) -> String {
        let e = Engine::Sqlite;
        let lit = |v: &str| quote::literal(e, v);
        let values = [
            row.version.to_string(),
            lit(&row.name),
            lit(&row.checksum),
            lit(&row
                .applied_at
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)),
            row.execution_ms.to_string(),
            lit(&row.applied_by),
            row.statements_applied.to_string(),
            row.statements_total.to_string(),
            lit(&row.progress_hash),
            (row.success as i64).to_string(),
            lit(row.operation.as_str()),
            row.error.as_deref().map_or("NULL".to_string(), lit),
        ];
        format!(
            "INSERT OR REPLACE INTO {} ({}) VALUES ({})",
            self.qualified(e),
            column_list(),
            values.join(", ")
        )
    }
}

/// Runs `sql` (an upsert or a delete) with its values bound, on the engine's connection.
pub(crate) async fn run<'c, 'q, DB, C>(
    conn: C,
    query: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>,
) -> Result<(), sqlx::Error>
where
    DB: sqlx::Database,
    C: sqlx::Executor<'c, Database = DB>,
    <DB as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    'q: 'c,
{
    query.execute(conn).await.map(|_| ())
}

/// The delete of `version`'s row ([`HistoryTable::delete_sql`] with the engine's bind mark).
pub(crate) fn bind_version<DB>(
    sql: &str,
    version: i64,
) -> sqlx::query::Query<'_, DB, <DB as sqlx::Database>::Arguments<'_>>
where
    DB: sqlx::Database,
    for<'q> i64: sqlx::Encode<'q, DB> + Type<DB>,
{
    sqlx::query::<DB>(sql).bind(version)
}

/// The upsert of `row` ([`HistoryTable::upsert_bind_sql`]'s `sql`) with its values bound in
/// [`COLUMNS`] order; the engine passes `applied_at` in the type its column takes.
pub(crate) fn bind_row<'q, DB, T>(
    sql: &'q str,
    row: &'q HistoryRow,
    applied_at: T,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>
where
    DB: sqlx::Database,
    T: 'q + Send + sqlx::Encode<'q, DB> + Type<DB>,
    i64: sqlx::Encode<'q, DB> + Type<DB>,
    bool: sqlx::Encode<'q, DB> + Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + Type<DB>,
    Option<&'q str>: sqlx::Encode<'q, DB> + Type<DB>,
{
    sqlx::query::<DB>(sql)
        .bind(row.version)
        .bind(row.name.as_str())
        .bind(row.checksum.as_str())
        .bind(applied_at)
        .bind(row.execution_ms)
        .bind(row.applied_by.as_str())
        .bind(row.statements_applied)
        .bind(row.statements_total)
        .bind(row.progress_hash.as_str())
        .bind(row.success)
        .bind(row.operation.as_str())
        .bind(row.error.as_deref())
}

/// A history row read by [`HistoryTable::select_sql`]; the engine decodes the two columns whose
/// types differ (`applied_at`, `success`) and passes them in.
pub(crate) fn decode_row<'r, R>(r: &'r R, applied_at: DateTime<Utc>, success: bool) -> HistoryRow
where
    R: Row,
    usize: ColumnIndex<R>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
    String: Decode<'r, R::Database> + Type<R::Database>,
    Option<String>: Decode<'r, R::Database> + Type<R::Database>,
{
    HistoryRow {
        version: r.get(0),
        name: r.get(1),
        checksum: r.get(2),
        applied_at,
        execution_ms: r.get(4),
        applied_by: r.get(5),
        statements_applied: r.get(6),
        statements_total: r.get(7),
        progress_hash: r.get(8),
        success,
        operation: Operation::parse(&r.get::<String, _>(10)),
        error: r.get(11),
    }
}

/// Index of `applied_at` and `success` in [`HistoryTable::select_sql`]'s rows.
pub(crate) const APPLIED_AT: usize = 3;
pub(crate) const SUCCESS: usize = 9;
