//! `strata inspect`: the live schema as DDL or JSON.

use super::source::inspect_url;
use crate::cli::Global;
use anyhow::Result;
use strata_schema::Schema;

pub async fn run(g: &Global) -> Result<u8> {
    let project = super::project(g)?;
    let url = project.require_url()?.to_string();
    let schema = inspect_url(&url, Some(&project)).await?;
    if g.json {
        super::print_json(&schema)?;
    } else {
        let plan = strata_diff::plan(
            &Schema::default(),
            &schema,
            strata_engine::dialect(project.engine),
        );
        print!("{}", plan.up_sql());
    }
    Ok(0)
}
