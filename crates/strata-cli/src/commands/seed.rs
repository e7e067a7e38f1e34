//! `strata seed`.

use crate::cli::Global;
use crate::progress::Progress;
use anyhow::Result;

pub async fn run(g: &Global) -> Result<u8> {
    let project = super::project(g)?;
    let files = strata_migrate::seed::seed_files(&project.seeds, &project.env)?;
    let migrator = super::migrator(g, &project)?;
    let mut db = super::database(&project).await?;
    let mut progress = Progress::new(g.json);
    let done = migrator
        .seed(&mut db, &files, &mut |e| progress.event(e))
        .await;
    progress.finish();
    let done = done?;
    if g.json {
        super::print_json(&serde_json::json!({ "seeded": done }))?;
    } else if done.is_empty() {
        println!(
            "no seed files in {} or {}",
            project.seeds.display(),
            project.seeds.join(&project.env).display()
        );
    } else {
        println!("ran {} seed file(s)", done.len());
    }
    Ok(0)
}
