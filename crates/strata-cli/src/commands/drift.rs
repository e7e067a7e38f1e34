//! `strata drift`: the live database against the state its applied migrations should give.

use super::source::{inspect_url, replay, Replay};
use crate::cli::Global;
use anyhow::Result;
use strata_migrate::Driver;

pub async fn run(g: &Global) -> Result<u8> {
    let project = super::project(g)?;
    let migrator = super::migrator(g, &project)?;
    let url = project.require_url()?.to_string();
    let spinner = crate::progress::spinner("reading the history");
    let mut db = super::database(&project).await?;
    let history = db
        .read_history()
        .await
        .map_err(|e| anyhow::anyhow!("cannot read the history table: {e}"))?;
    drop(db);
    let applied: Vec<i64> = history
        .unwrap_or_default()
        .iter()
        .filter(|r| r.success)
        .map(|r| r.version)
        .collect();
    let expected = replay(
        project.engine,
        project.dev_url.as_deref(),
        Replay::Migrations(&migrator.set, Some(applied.clone())),
    )
    .await?;
    let live = inspect_url(&url, Some(&project)).await?;
    drop(spinner);
    let plan = super::plan_between(&expected, &live, project.engine, project.diff_options)?;
    if g.json {
        super::print_json(&serde_json::json!({
            "drift": !plan.is_empty(),
            "ignored": plan.ignored,
            "applied_migrations": applied.len(),
            "changes": plan.up.iter().map(|s| &s.description).collect::<Vec<_>>(),
            "sql": plan.up_sql(),
        }))?;
    } else if plan.is_empty() {
        if plan.ignored.is_empty() {
            println!(
                "no drift: the database matches its {} applied migration(s)",
                applied.len()
            );
        } else {
            println!(
                "no drift that strata migrates: the database differs from its {} applied migration(s) only in what strata.toml says to ignore",
                applied.len()
            );
            super::print_ignored(&plan);
        }
    } else {
        println!(
            "drift: the database differs from its {} applied migration(s):",
            applied.len()
        );
        super::plan::print_summary(&plan.up);
        super::print_ignored(&plan);
        println!(
            "\nSQL that would make the migrations' state match the database:\n{}",
            plan.up_sql()
        );
        println!("next: capture the change in a migration (`strata plan NAME` after updating schema/), or revert it");
    }
    Ok(if plan.is_empty() { 0 } else { 1 })
}
