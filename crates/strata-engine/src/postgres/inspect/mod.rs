//! Inspecting a PostgreSQL database into the [`Schema`] model.
//!
//! One round of set-based `pg_catalog` queries (`queries.rs`: namespaces, types, sequences,
//! tables, columns, constraints, indexes, policies, triggers, views, routines), each returning
//! rows for every object at once and joined in memory by oid, so a schema of thousands of tables
//! inspects in about a second. Expressions are taken from the catalog's own printers
//! (`pg_get_expr`, `pg_get_constraintdef`, `pg_get_viewdef`, ...), so two inspections of the same
//! definition compare equal text. `types.rs` reads what lives beside tables, `tables.rs` tables
//! and their parts, `code.rs` policies, triggers, views and routines.

mod code;
mod queries;
mod tables;
mod types;

use super::dialect::POSTGRES_DIALECT;
use super::Postgres;
use crate::database::driver_error;
use queries::CURRENT_SCHEMA_SQL;
use sqlx::postgres::PgRow;
use std::collections::{BTreeMap, HashMap};
use strata_diff::Dialect;
use strata_migrate::DriverError;
use strata_schema::{FkAction, Index, Name, Schema, Sequence, Table, Trigger, View};

impl crate::SchemaDriver for Postgres {
    async fn inspect(&mut self) -> Result<Schema, DriverError> {
        let current: String = sqlx::query_scalar(CURRENT_SCHEMA_SQL)
            .fetch_one(&mut self.conn)
            .await
            .map_err(|e| driver_error(e, CURRENT_SCHEMA_SQL))?;
        let mut i = Inspector::new(self, current);
        i.namespaces().await?;
        i.extensions().await?;
        i.enums().await?;
        i.domains().await?;
        i.composites().await?;
        i.sequences().await?;
        i.tables().await?;
        i.parents().await?;
        i.columns().await?;
        i.constraints().await?;
        i.indexes().await?;
        i.policies().await?;
        i.triggers().await?;
        i.views().await?;
        i.routines().await?;
        Ok(i.finish())
    }

    fn dialect(&self) -> &'static dyn Dialect {
        &POSTGRES_DIALECT
    }
}

/// The schema being assembled, and what one object kind's rows leave for the next ones.
struct Inspector<'a> {
    pg: &'a mut Postgres,
    /// The schema strata works in: names in it are written unqualified.
    current: String,
    schema: Schema,
    /// Tables by oid.
    tables: BTreeMap<i64, TableRow>,
    /// Column names by (table oid, attnum), for keys and sequence owners.
    attnames: HashMap<(i64, i32), String>,
    /// Sequences a column owns by (table oid, attnum): their name and how a default names them.
    owned: HashMap<(i64, i32), (Name, String)>,
    /// Sequences with the column that owns them, until the columns say which are serials.
    sequences: Vec<(Sequence, Option<(i64, i32)>)>,
    /// Indexes by oid, with the oid of their table or materialized view.
    indexes: BTreeMap<i64, (i64, Index)>,
    /// Views and materialized views by oid.
    views: BTreeMap<i64, View>,
    /// INSTEAD OF triggers by the oid of their view.
    view_triggers: Vec<(i64, Trigger)>,
}

/// A table being assembled, keyed by its oid.
struct TableRow {
    table: Table,
    is_partition: bool,
}

impl<'a> Inspector<'a> {
    fn new(pg: &'a mut Postgres, current: String) -> Self {
        Inspector {
            pg,
            current,
            schema: Schema::default(),
            tables: BTreeMap::new(),
            attnames: HashMap::new(),
            owned: HashMap::new(),
            sequences: Vec::new(),
            indexes: BTreeMap::new(),
            views: BTreeMap::new(),
            view_triggers: Vec::new(),
        }
    }

    async fn fetch(&mut self, sql: &str) -> Result<Vec<PgRow>, DriverError> {
        sqlx::query(sql)
            .fetch_all(&mut self.pg.conn)
            .await
            .map_err(|e| driver_error(e, sql))
    }

    /// Indexes and INSTEAD OF triggers go to their table or view; the schema is done.
    fn finish(mut self) -> Schema {
        for (_, (rel, index)) in std::mem::take(&mut self.indexes) {
            if let Some(t) = self.tables.get_mut(&rel) {
                t.table.indexes.push(index);
            } else if let Some(v) = self.views.get_mut(&rel) {
                v.indexes.push(index);
            }
        }
        for (rel, trigger) in std::mem::take(&mut self.view_triggers) {
            if let Some(v) = self.views.get_mut(&rel) {
                v.triggers.push(trigger);
            }
        }
        for v in self.views.values_mut() {
            v.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        }
        self.schema.tables = self.tables.into_values().map(|t| t.table).collect();
        self.schema.views = self.views.into_values().collect();
        self.schema.normalize();
        self.schema
    }
}

/// `n` in namespace `ns`, qualified unless `ns` is the current schema.
fn qualify(current: &str, ns: String, n: String) -> Name {
    if ns == current {
        Name::new(n)
    } else {
        Name::qualified(ns, n)
    }
}

/// A string literal the way PostgreSQL prints one inside an expression.
fn literal(s: &str) -> String {
    strata_schema::quote::literal(strata_schema::Engine::Postgres, s)
}

/// A name as written by `quote_ident`, back to the name itself.
fn unquote(s: &str) -> String {
    match s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => s.to_string(),
    }
}

fn fk_action(code: &str) -> FkAction {
    match code {
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

/// The expression of `CHECK (expr) [NOT VALID]` as `pg_get_constraintdef` prints it: the
/// keyword and the one pair of parentheses it always adds are removed, nothing else.
pub(crate) fn check_expression(def: &str) -> String {
    let def = def.trim();
    let def = def.strip_suffix(" NOT VALID").unwrap_or(def);
    let def = def.strip_suffix(" NO INHERIT").unwrap_or(def);
    let body = def.strip_prefix("CHECK ").unwrap_or(def);
    match body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        Some(inner) => inner.to_string(),
        None => body.to_string(),
    }
}

/// `pg_get_viewdef` prints a leading space and a trailing `;`.
fn view_definition(def: &str) -> String {
    let def = def.trim();
    def.strip_suffix(';').unwrap_or(def).trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_expression_strips_keyword_and_outer_parens_only() {
        assert_eq!(
            check_expression("CHECK (price > 0::numeric)"),
            "price > 0::numeric"
        );
        assert_eq!(
            check_expression("CHECK ((a > 0) OR (b > 0)) NOT VALID"),
            "(a > 0) OR (b > 0)"
        );
    }

    #[test]
    fn unquote_undoes_quote_ident() {
        assert_eq!(unquote(r#""Mixed""Case""#), r#"Mixed"Case"#);
        assert_eq!(unquote("plain"), "plain");
    }
}
