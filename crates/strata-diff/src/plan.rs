//! A [`Plan`]: the up steps from one schema to another and the down steps back, each with its SQL.

use crate::change::Change;
use crate::dialect::{Dialect, Unsupported};
use crate::diff::{column_order_differences, diff_with_options, ColumnOrder, DiffOptions, Renames};
use serde::Serialize;
use strata_schema::{Name, Schema};

/// One step of a plan: a change, its SQL and what it risks.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// The schema change this step makes, as the differ emitted it.
    pub change: Change,
    /// The one-line summary of the change (`Change::describe`), written as the comment above the
    /// step's SQL.
    pub description: String,
    /// The statements the engine's dialect renders for the change, in the order they run; the file
    /// writer adds a `;` where one is missing.
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
    /// The steps from the old schema to the new one, in the order they run.
    pub up: Vec<Step>,
    /// The steps from the new schema back to the old one, in the order they run.
    pub down: Vec<Step>,
    /// The header directives the up file needs (`foreign-keys-off`, `keep-rows ...`), without
    /// the leading `-- strata:`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub up_directives: Vec<String>,
    /// The header directives the down file needs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub down_directives: Vec<String>,
    /// Differences the plan leaves alone on purpose (column order with `column_order =
    /// "ignore"`), one sentence each: `from` and `to` still differ in these.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
}

/// Plans `from` → `to` (renames from `to`'s hints) and the way back; fails when a change has no
/// SQL on the dialect's engine.
pub fn plan(from: &Schema, to: &Schema, dialect: &dyn Dialect) -> Result<Plan, Unsupported> {
    plan_with(from, to, dialect, DiffOptions::default())
}

/// Plans `from` → `to` and the way back with the project's choices.
pub fn plan_with(
    from: &Schema,
    to: &Schema,
    dialect: &dyn Dialect,
    options: DiffOptions,
) -> Result<Plan, Unsupported> {
    let renames = Renames::from_hints(from, to);
    let up_changes = diff_with_options(from, to, &renames, dialect, options);
    let down_changes = diff_with_options(to, from, &renames.reversed(), dialect, options);
    let ignored = if options.column_order == ColumnOrder::Ignore && dialect.moves_columns() {
        column_order_differences(from, to, &renames)
            .into_iter()
            .map(|(table, now, desired)| {
                format!(
                    "the columns of {table} are in another order ({}) than desired ({}); not migrated because column_order = \"ignore\"",
                    now.join(", "),
                    desired.join(", ")
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let up: Vec<Step> = up_changes
        .into_iter()
        .map(|c| step(c, dialect, false))
        .collect::<Result<_, _>>()?;
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
        .collect::<Result<Vec<Step>, _>>()?;
    Ok(Plan {
        up_directives: directives(&up, from, dialect),
        down_directives: directives(&down, to, dialect),
        up,
        down,
        ignored,
    })
}

/// The directives of a file holding `steps`, run on a database of schema `before`: a table
/// rebuild switches foreign keys off where the engine needs it, and names the tables whose rows
/// the data-survival guard counts — each rebuilt table and every table that references one,
/// directly or through others (what an `ON DELETE` action would reach), unless the file drops it.
fn directives(steps: &[Step], before: &Schema, dialect: &dyn Dialect) -> Vec<String> {
    let rebuilt: Vec<&Name> = steps
        .iter()
        .filter_map(|s| match &s.change {
            Change::RebuildTable { to, .. } => Some(&to.name),
            _ => None,
        })
        .collect();
    if rebuilt.is_empty() {
        return Vec::new();
    }
    let renamed: Vec<(&Name, &Name)> = steps
        .iter()
        .filter_map(|s| match &s.change {
            Change::RenameTable { from, to } => Some((from, to)),
            _ => None,
        })
        .collect();
    let dropped: Vec<&Name> = steps
        .iter()
        .filter_map(|s| match &s.change {
            Change::DropTable { table } => Some(&table.name),
            _ => None,
        })
        .collect();
    let before_name = |after: &Name| -> Name {
        renamed
            .iter()
            .find(|(_, to)| *to == after)
            .map_or(after.clone(), |(from, _)| (*from).clone())
    };
    let after_name = |before: &Name| -> Name {
        renamed
            .iter()
            .find(|(from, _)| *from == before)
            .map_or(before.clone(), |(_, to)| (*to).clone())
    };
    // Names before the migration, in the order found: rebuilt tables, then their referrers.
    let mut kept: Vec<Name> = Vec::new();
    for r in &rebuilt {
        let b = before_name(r);
        if before.table(&b).is_some() && !kept.contains(&b) {
            kept.push(b);
        }
    }
    let mut i = 0;
    while i < kept.len() {
        let target = kept[i].clone();
        for t in &before.tables {
            if !kept.contains(&t.name) && t.foreign_keys.iter().any(|fk| fk.ref_table == target) {
                kept.push(t.name.clone());
            }
        }
        i += 1;
    }
    let mut out = Vec::new();
    if dialect.rebuild_needs_foreign_keys_off() {
        out.push("foreign-keys-off".to_string());
    }
    let list: Vec<String> = kept
        .iter()
        .filter(|b| !dropped.contains(b))
        .map(|b| {
            let a = after_name(b);
            if &a == b {
                directive_name(b)
            } else {
                format!("{} -> {}", directive_name(b), directive_name(&a))
            }
        })
        .collect();
    if !list.is_empty() {
        out.push(format!("keep-rows {}", list.join(", ")));
    }
    out
}

/// A table name as `-- strata:keep-rows` reads it: bare when it is a plain identifier, quoted
/// with `"` otherwise.
fn directive_name(name: &Name) -> String {
    let part = |p: &str| {
        if !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_') {
            p.to_string()
        } else {
            format!("\"{}\"", p.replace('"', "\"\""))
        }
    };
    match &name.schema {
        Some(s) => format!("{}.{}", part(s), part(&name.name)),
        None => part(&name.name),
    }
}

fn step(change: Change, dialect: &dyn Dialect, irreversible: bool) -> Result<Step, Unsupported> {
    Ok(Step {
        description: change.describe(),
        sql: dialect.render(&change)?,
        destructive: change.is_destructive(dialect),
        irreversible,
        change,
    })
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

    /// The whole up migration file: a header with its directives, then [`Plan::up_sql`].
    pub fn up_file(&self) -> String {
        file_text(&self.up_directives, &self.up_sql())
    }

    /// The whole down migration file.
    pub fn down_file(&self) -> String {
        file_text(&self.down_directives, &self.down_sql())
    }
}

fn file_text(directives: &[String], sql: &str) -> String {
    let mut out =
        String::from("-- Planned by strata from the schema files; review before applying.\n");
    for d in directives {
        out.push_str("-- strata:");
        out.push_str(d);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(sql);
    out
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
