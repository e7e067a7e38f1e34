//! `strata apply`.

use crate::cli::{ApplyArgs, Global};
use crate::progress::Progress;
use anyhow::Result;

pub async fn run(g: &Global, args: &ApplyArgs) -> Result<u8> {
    let project = super::project(g)?;
    let mut migrator = super::migrator(g, &project)?;
    migrator.options.out_of_order = args.out_of_order;
    let mut db = super::database(&project).await?;
    let mut progress = Progress::new(g.json);
    let report = migrator
        .apply(&mut db, args.to, args.dry_run, &mut |e| progress.event(e))
        .await;
    progress.finish();
    let report = report?;
    if g.json {
        super::print_json(&report)?;
    } else if report.dry_run {
        if report.migrations.is_empty() {
            println!("-- nothing to apply");
        }
        for m in &report.migrations {
            match m.resumed_at {
                Some(s) => println!("-- {} (resuming at statement {s})", m.file),
                None => println!("-- {}", m.file),
            }
            println!("{}", m.sql.as_deref().unwrap_or("").trim_end());
            println!();
        }
    } else if report.migrations.is_empty() {
        println!("nothing to apply: the database is up to date");
    } else {
        println!("applied {} migration(s)", report.migrations.len());
    }
    Ok(0)
}
