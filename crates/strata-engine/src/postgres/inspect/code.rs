//! The PostgreSQL inspector's objects that carry code: row-level security policies, triggers,
//! views and routines.

use super::queries::*;
use super::{literal, qualify, view_definition, Inspector};
use crate::postgres::dialect::{ident, qualified};
use sqlx::postgres::PgRow;
use sqlx::Row;
use strata_migrate::DriverError;
use strata_schema::{Name, Policy, Routine, RoutineKind, Trigger, View};

impl Inspector<'_> {
    /// Row-level security policies, as the CREATE POLICY statement that makes each again.
    pub(super) async fn policies(&mut self) -> Result<(), DriverError> {
        for r in self.fetch(POLICIES_SQL).await? {
            let Some(t) = self.tables.get_mut(&r.get::<i64, _>(0)) else {
                continue;
            };
            let name: String = r.get(1);
            let definition = policy_definition(&r, &name, &t.table.name);
            t.table.policies.push(Policy { name, definition });
        }
        Ok(())
    }

    /// Triggers written by users (not constraint triggers, not clones on partitions).
    pub(super) async fn triggers(&mut self) -> Result<(), DriverError> {
        for r in self.fetch(TRIGGERS_SQL).await? {
            let trigger = Trigger {
                name: r.get(1),
                definition: r.get(2),
            };
            match self.tables.get_mut(&r.get::<i64, _>(0)) {
                Some(t) => t.table.triggers.push(trigger),
                // INSTEAD OF triggers of views: attached once the views are read.
                None => self.view_triggers.push((r.get(0), trigger)),
            }
        }
        Ok(())
    }

    /// Views and materialized views.
    pub(super) async fn views(&mut self) -> Result<(), DriverError> {
        for r in self.fetch(VIEWS_SQL).await? {
            self.views.insert(
                r.get(0),
                View {
                    name: qualify(&self.current, r.get(1), r.get(2)),
                    definition: view_definition(&r.get::<String, _>(4)),
                    materialized: r.get::<String, _>(3) == "m",
                    comment: r.get(5),
                    indexes: Vec::new(),
                    triggers: Vec::new(),
                    options: r.get(6),
                },
            );
        }
        Ok(())
    }

    /// Functions and procedures (aggregates are printed from pg_aggregate).
    pub(super) async fn routines(&mut self) -> Result<(), DriverError> {
        for r in self.fetch(ROUTINES_SQL).await? {
            let rname = qualify(&self.current, r.get(0), r.get(1));
            let kind: String = r.get(2);
            let signature: String = r.get(3);
            let definition = match kind.as_str() {
                "a" => aggregate_definition(
                    &rname,
                    &signature,
                    &r.get::<String, _>(6),
                    &r.get::<String, _>(7),
                    r.get::<Option<String>, _>(8).as_deref(),
                    r.get::<Option<String>, _>(9).as_deref(),
                ),
                _ => r
                    .get::<Option<String>, _>(4)
                    .unwrap_or_default()
                    .trim_end()
                    .to_string(),
            };
            self.schema.routines.push(Routine {
                name: rname,
                kind: if kind == "p" {
                    RoutineKind::Procedure
                } else {
                    RoutineKind::Function
                },
                signature,
                definition,
                comment: r.get(5),
            });
        }
        Ok(())
    }
}

/// `CREATE POLICY` from a row of `POLICIES_SQL`.
fn policy_definition(r: &PgRow, name: &str, table: &Name) -> String {
    let mut def = format!("CREATE POLICY {} ON {}", ident(name), qualified(table));
    if !r.get::<bool, _>(2) {
        def.push_str(" AS RESTRICTIVE");
    }
    let cmd = match r.get::<String, _>(3).as_str() {
        "r" => "SELECT",
        "a" => "INSERT",
        "w" => "UPDATE",
        "d" => "DELETE",
        _ => "ALL",
    };
    def.push_str(&format!(" FOR {cmd}"));
    // No roles listed means PUBLIC (polroles = {0}).
    let roles: Vec<String> = r.get(4);
    if !roles.is_empty() {
        def.push_str(&format!(" TO {}", roles.join(", ")));
    }
    if let Some(q) = r.get::<Option<String>, _>(5) {
        def.push_str(&format!(" USING ({q})"));
    }
    if let Some(c) = r.get::<Option<String>, _>(6) {
        def.push_str(&format!(" WITH CHECK ({c})"));
    }
    def
}

/// `CREATE AGGREGATE` for an aggregate (`pg_get_functiondef` refuses aggregates).
fn aggregate_definition(
    name: &Name,
    signature: &str,
    sfunc: &str,
    stype: &str,
    finalfunc: Option<&str>,
    initcond: Option<&str>,
) -> String {
    let mut out = format!(
        "CREATE AGGREGATE {}({signature}) (\n    SFUNC = {sfunc},\n    STYPE = {stype}",
        qualified(name)
    );
    if let Some(f) = finalfunc.filter(|f| *f != "-") {
        out.push_str(&format!(",\n    FINALFUNC = {f}"));
    }
    if let Some(i) = initcond {
        out.push_str(&format!(",\n    INITCOND = {}", literal(i)));
    }
    out.push_str("\n)");
    out
}
