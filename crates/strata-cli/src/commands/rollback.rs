//! `strata rollback`.

use crate::cli::{Global, RollbackArgs};
use crate::progress::Progress;
use anyhow::Result;
use strata_migrate::RollbackTarget;

pub async fn run(g: &Global, args: &RollbackArgs) -> Result<u8> {
    let project = super::project(g)?;
    let mut migrator = super::migrator(g, &project)?;
    migrator.options.row_guard = !args.skip_row_guard;
    let mut db = super::database(&project).await?;
    let target = match args.to {
        Some(v) => RollbackTarget::To(v),
        None => RollbackTarget::Steps(args.steps),
    };
    let mut progress = Progress::new(g.json);
    let report = migrator
        .rollback(&mut db, target, args.dry_run, &mut |e| progress.event(e))
        .await;
    progress.finish();
    let report = report?;
    if g.json {
        super::print_json(&report)?;
    } else if report.dry_run {
        if report.migrations.is_empty() {
            println!("-- nothing to roll back");
        }
        for m in &report.migrations {
            println!("-- {}", m.file);
            println!("{}", m.sql.as_deref().unwrap_or("").trim_end());
            println!();
        }
    } else if report.migrations.is_empty() {
        println!("nothing to roll back");
    } else {
        println!("rolled back {} migration(s)", report.migrations.len());
    }
    Ok(0)
}
