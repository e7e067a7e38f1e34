//! `strata validate`: strata.sum against files, files against the database's history.

use crate::cli::{Global, ValidateArgs};
use anyhow::Result;
use strata_migrate::State;

pub async fn run(g: &Global, args: &ValidateArgs) -> Result<u8> {
    let project = super::project(g)?;
    let mut migrator = super::migrator(g, &project)?;
    if args.rehash {
        migrator.set.write_sum()?;
        if g.json {
            super::print_json(&serde_json::json!({ "rehashed": true }))?;
        } else {
            println!(
                "rewrote {}",
                project
                    .migrations
                    .join(strata_migrate::sum::SUM_FILE)
                    .display()
            );
        }
        return Ok(0);
    }
    let mut problems: Vec<String> = Vec::new();
    match migrator.set.sum_problems() {
        Ok(p) => problems.extend(p.iter().map(|p| format!("strata.sum: {p}"))),
        Err(e) => problems.push(e.to_string()),
    }
    // The database part runs when the environment has a URL.
    let mut checked_db = false;
    if project.url.is_some() {
        let mut db = super::database(&project).await?;
        let report = migrator.status(&mut db).await?;
        checked_db = true;
        for m in &report.migrations {
            let file = m
                .file
                .clone()
                .unwrap_or_else(|| format!("{}_{}", m.version, m.name));
            match m.state {
                State::Modified => problems.push(format!(
                    "{file} was modified after it was applied; restore it"
                )),
                State::Missing => problems.push(format!(
                    "{file}.up.sql is applied but missing from the folder; restore it"
                )),
                State::Failed | State::RollbackFailed => problems.push(format!(
                    "{file} stopped part-way ({}); `strata status` shows where",
                    m.state.as_str()
                )),
                _ => {}
            }
        }
    }
    if g.json {
        super::print_json(&serde_json::json!({
            "ok": problems.is_empty(),
            "database_checked": checked_db,
            "problems": problems,
        }))?;
    } else if problems.is_empty() {
        println!(
            "ok: {} migration(s) match strata.sum{}",
            migrator.set.migrations.len(),
            if checked_db {
                " and the database history"
            } else {
                ""
            }
        );
    } else {
        for p in &problems {
            println!("{p}");
        }
    }
    Ok(if problems.is_empty() { 0 } else { 1 })
}
