//! `strata diff --from SRC --to SRC`: the SQL between any two schema sources.

use super::source::{load, Source};
use crate::cli::{DiffArgs, Global};
use anyhow::Result;

pub async fn run(g: &Global, args: &DiffArgs) -> Result<u8> {
    let from = Source::parse(&args.from)?;
    let to = Source::parse(&args.to)?;
    let mut project = super::project_or_default(g, &[&from, &to])?;
    if project.dev_url.is_none() {
        // A URL source names the server scratch databases can go to.
        project.dev_url = [&from, &to].iter().find_map(|s| match s {
            Source::Url(u) => Some(u.clone()),
            _ => None,
        });
    }
    let a = load(&from, &project).await?;
    let b = load(&to, &project).await?;
    let plan = super::plan_between(&a, &b, project.engine, project.diff_options)?;
    if g.json {
        super::print_json(&plan)?;
    } else {
        if plan.is_empty() && plan.ignored.is_empty() {
            println!("-- no differences");
        } else {
            print!("{}", plan.up_sql());
        }
        for note in &plan.ignored {
            println!("-- ignored: {note}");
        }
    }
    Ok(0)
}
