//! `strata new NAME`: an empty up/down pair for a hand-written migration.

use crate::cli::{Global, NewArgs};
use anyhow::Result;

pub fn run(g: &Global, args: &NewArgs) -> Result<u8> {
    let project = super::project(g)?;
    let up = format!(
        "-- {}: write the change here.\n-- Directives: -- strata:no-transaction, -- strata:lock-timeout 5s\n",
        args.name
    );
    let down = format!("-- Reverts {}: undo the up file here.\n", args.name);
    let (up_path, down_path) = strata_migrate::scaffold::create_migration(
        &project.migrations,
        &args.name,
        &up,
        &down,
        chrono::Utc::now(),
    )?;
    if g.json {
        super::print_json(&serde_json::json!({
            "up": up_path, "down": down_path,
        }))?;
    } else {
        println!(
            "created {}\ncreated {}\nupdated strata.sum",
            up_path.display(),
            down_path.display()
        );
    }
    Ok(0)
}
