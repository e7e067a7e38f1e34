//! `strata apply`.

use crate::cli::{ApplyArgs, Global};
use crate::progress::Progress;
use anyhow::Result;
use strata_migrate::{Operation, State};

pub async fn run(g: &Global, args: &ApplyArgs) -> Result<u8> {
    let project = super::project(g)?;
    let mut migrator = super::migrator(g, &project)?;
    migrator.options.out_of_order = args.out_of_order;
    migrator.options.row_guard = !args.skip_row_guard;
    let mut db = super::database(&project).await?;
    if !args.dry_run {
        // Lint what is about to run, against the live database's schema and table sizes.
        let status = migrator.status(&mut db).await?;
        let pending: Vec<&strata_migrate::Migration> = status
            .migrations
            .iter()
            .filter(|m| match m.state {
                State::Failed => true,
                State::Pending => args.to.is_none_or(|to| m.version <= to),
                _ => false,
            })
            .filter_map(|m| migrator.set.get(m.version))
            .collect();
        let go = super::lint::gate(
            &project,
            &pending,
            &mut db,
            args.allow_unsafe,
            args.allow_destructive,
            g.json,
        )
        .await?;
        if !go {
            return Ok(1);
        }
    }
    let mut progress = Progress::new(g.json);
    let retries = args.retry.unwrap_or(project.retry);
    let mut attempt = 0;
    let report = loop {
        let report = migrator
            .apply(&mut db, args.to, args.dry_run, &mut |e| progress.event(e))
            .await;
        match report {
            // A lost connection, a restart, a deadlock: the history says where to resume.
            Err(e)
                if attempt < retries
                    && e.transient().is_some()
                    && super::stop().requested().is_none() =>
            {
                attempt += 1;
                let pause = super::jittered(std::time::Duration::from_secs(1 << attempt.min(4)));
                eprintln!(
                    "{e}\nretrying in {:.1}s (attempt {attempt} of {retries})",
                    pause.as_secs_f64(),
                );
                tokio::select! {
                    _ = tokio::time::sleep(pause) => {}
                    _ = super::interrupted() => return Err(e.into()),
                }
                drop(db);
                // A restarting server takes a while: wait for it (30 s, or --wait-for if longer).
                db = super::database_waiting(&project, std::time::Duration::from_secs(30)).await?;
            }
            other => break other,
        }
    };
    progress.finish();
    super::print_run_report(g, &report?, Operation::Apply)?;
    Ok(0)
}
