//! A [`Plan`]: the up steps from one schema to another and the down steps back, each with its SQL.

use crate::change::Change;
use crate::dialect::Dialect;
use crate::diff::{diff_with, Renames};
use serde::Serialize;
use strata_schema::Schema;

/// One step of a plan: a change, its SQL and what it risks.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub change: Change,
    pub description: String,
    pub sql: Vec<String>,
    /// The step can lose data (drop, narrowing).
    pub destructive: bool,
    /// The step cannot bring back data that its reverse removed (a down step re-creating a
    /// dropped column comes back empty).
    pub irreversible: bool,
}

/// The up and down steps between two schemas.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub up: Vec<Step>,
    pub down: Vec<Step>,
}

/// Plans `from` → `to` (renames from `to`'s hints) and the way back.
pub fn plan(from: &Schema, to: &Schema, dialect: &dyn Dialect) -> Plan {
    let renames = Renames::from_hints(from, to);
    let up_changes = diff_with(from, to, &renames, dialect);
    let down_changes = diff_with(to, from, &renames.reversed(), dialect);
    let up: Vec<Step> = up_changes
        .into_iter()
        .map(|c| step(c, dialect, false))
        .collect();
    let lost_data = up.iter().any(|s| s.destructive);
    let down = down_changes
        .into_iter()
        .map(|c| {
            // Re-creating what the up plan dropped restores the structure, not the rows.
            let irreversible = lost_data
                && matches!(
                    c,
                    Change::AddColumn { .. }
                        | Change::CreateTable { .. }
                        | Change::RebuildTable { .. }
                        | Change::AlterColumn { .. }
                );
            step(c, dialect, irreversible)
        })
        .collect();
    Plan { up, down }
}

fn step(change: Change, dialect: &dyn Dialect, irreversible: bool) -> Step {
    Step {
        description: change.describe(),
        sql: dialect.render(&change),
        destructive: change.is_destructive(),
        irreversible,
        change,
    }
}

impl Plan {
    /// Whether the schemas are the same.
    pub fn is_empty(&self) -> bool {
        self.up.is_empty()
    }

    /// The up file's text: a comment per step, then its statements.
    pub fn up_sql(&self) -> String {
        render_steps(&self.up, false)
    }

    /// The down file's text.
    pub fn down_sql(&self) -> String {
        render_steps(&self.down, true)
    }
}

fn render_steps(steps: &[Step], down: bool) -> String {
    let mut out = String::new();
    for (i, s) in steps.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut flags = Vec::new();
        if s.destructive {
            flags.push("DESTRUCTIVE: data is lost");
        }
        if s.irreversible && down {
            flags.push("IRREVERSIBLE: the structure comes back, the data dropped by the up migration does not");
        }
        out.push_str(&format!("-- {}", s.description));
        if !flags.is_empty() {
            out.push_str(&format!(" [{}]", flags.join("; ")));
        }
        out.push('\n');
        for stmt in &s.sql {
            out.push_str(stmt.trim_end());
            if !stmt.trim_end().ends_with(';') {
                out.push(';');
            }
            out.push('\n');
        }
    }
    out
}
