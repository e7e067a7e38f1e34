//! `strata erd`: the schema as a Mermaid (default), Graphviz DOT or SVG entity-relationship
//! diagram, from the schema files (default), the state of the migrations, or a live database
//! (`--url`).

use super::source::{inspect_url, replay, schema_files, Replay, Source};
use crate::cli::{ErdArgs, Global};
use anyhow::Result;
use strata_docs::erd::{self, ErdOptions};
use strata_migrate::MigrationSet;

pub async fn run(g: &Global, args: &ErdArgs) -> Result<u8> {
    // A bad glob fails before the schema is read, which may take a dev database.
    let filter = ErdOptions {
        tables: args.tables.clone(),
        exclude: args.exclude.clone(),
        schema: args.schema.clone(),
    }
    .filter()?;
    let schema = if let Some(url) = &g.url {
        let project = super::project_or_default(g, &[&Source::Url(url.clone())])?;
        inspect_url(url, Some(&project)).await?
    } else {
        let project = super::project(g)?;
        let dev_url = project.dev_url.as_deref();
        match args.from.as_str() {
            "migrations" => {
                let set = MigrationSet::load(&project.migrations)?;
                replay(project.engine, dev_url, Replay::Migrations(&set, None)).await?
            }
            _ => {
                let files = schema_files(&project.schema)?;
                replay(project.engine, dev_url, Replay::Files(files)).await?
            }
        }
    };
    let shown = erd::selected(&schema, &filter).len();
    if shown == 0 && !schema.tables.is_empty() {
        eprintln!(
            "warning: no table matches the filters (--tables/--exclude/--schema); the schema has {} table(s)",
            schema.tables.len()
        );
    }
    let text = match args.format.as_str() {
        "dot" => erd::dot(&schema, &filter),
        "svg" => erd::svg(&schema, &filter),
        _ => erd::mermaid(&schema, &filter),
    };
    if g.json {
        super::print_json(&serde_json::json!({
            "format": args.format,
            "tables": shown,
            "diagram": text,
        }))?;
    } else {
        print!("{text}");
    }
    Ok(0)
}
