//! `strata changelog`: what each migration added, modified and dropped, newest first, in
//! Markdown (or JSON with `--json`).
//!
//! The migrations are replayed one by one on a single dev database, inspected after each, and
//! consecutive states compared: one scratch database for the whole history instead of one per
//! migration.

use crate::cli::Global;
use anyhow::{Context, Result};
use strata_docs::changelog::{self, Entry};
use strata_engine::dev::DevDatabase;

pub async fn run(g: &Global) -> Result<u8> {
    let project = super::project(g)?;
    let set = strata_migrate::MigrationSet::load(&project.migrations)?;
    let dialect = strata_engine::dialect(project.engine);
    let mut dev = DevDatabase::create(project.engine, project.dev_url.as_deref()).await?;
    let work = async {
        let mut entries: Vec<Entry> = Vec::new();
        let mut before = dev
            .inspect()
            .await
            .context("cannot inspect the dev database")?;
        for m in &set.migrations {
            let label = set.dir.join(&m.up.file).display().to_string();
            dev.run_file(&label, &m.up.text).await.map_err(|e| {
                anyhow::anyhow!(
                    "{e}\nA migration does not replay on a fresh database; fix it to get its changelog."
                )
            })?;
            let after = dev
                .inspect()
                .await
                .context("cannot inspect the dev database")?;
            entries.push(changelog::entry(
                m.version, &m.name, &before, &after, dialect,
            ));
            before = after;
        }
        Ok::<_, anyhow::Error>(entries)
    };
    let result = tokio::select! {
        r = work => r,
        _ = super::interrupted() => Err(anyhow::anyhow!("interrupted; the dev database was dropped")),
    };
    dev.close().await;
    let mut entries = result?;
    entries.reverse();
    if g.json {
        super::print_json(&entries)?;
    } else {
        print!("{}", changelog::markdown(&entries));
    }
    Ok(0)
}
