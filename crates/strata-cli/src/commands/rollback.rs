//! `strata rollback`.

use crate::cli::{Global, RollbackArgs};
use crate::progress::Progress;
use anyhow::Result;
use strata_migrate::{Operation, RollbackTarget};

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
    super::print_run_report(g, &report?, Operation::Rollback)?;
    Ok(0)
}
