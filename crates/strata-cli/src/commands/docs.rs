//! `strata docs --out DIR`: the static HTML documentation site.
//!
//! Where the schema comes from (`--from`): `schema` (the project's schema files, replayed on a
//! dev database), `migrations` (the migrations folder, replayed), `database` (the live database
//! of `--url` / the environment), or any source `strata diff` takes (a path or a URL). Default:
//! the database when `--url` is given, else the schema files when they exist, else migrations.
//!
//! Row estimates come from the database (`table_stats`) when one is known: always with `--url`,
//! and with the environment's URL when the docs are read from it. Without a database the site
//! has no row column; a database that cannot be read is a warning, not an error.
//!
//! Descriptions: catalog comments, and `--` comments above columns and tables in the schema
//! files (strata_docs::descriptions) where the catalog has none.
//! The changelog page replays the migrations one at a time (strata_docs::changelog).

use super::source::{inspect_url, load, replay, schema_files, Replay, Source};
use crate::cli::{DocsArgs, Global};
use crate::config::Project;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;
use strata_docs::descriptions::Descriptions;
use strata_docs::html::{site, SiteInput};
use strata_engine::dev::DevDatabase;
use strata_engine::url::redact;
use strata_engine::{connect, ConnectOptions};
use strata_migrate::MigrationSet;

pub async fn run(g: &Global, a: &DocsArgs) -> Result<u8> {
    let started = Instant::now();
    let project = super::project_or_default(g, &[])?;
    let from = match a.from.as_deref() {
        Some(f) => f.to_string(),
        None if g.url.is_some() => "database".into(),
        None if project.schema.exists() => "schema".into(),
        None => "migrations".into(),
    };
    let spinner = crate::progress::spinner("reading the schema");
    let (mut schema, source_label, from_db) = match from.as_str() {
        "database" | "db" | "url" => {
            let url = project.require_url()?.to_string();
            let schema = inspect_url(&url, Some(&project)).await?;
            (schema, redact(&url).to_string(), true)
        }
        "schema" => {
            let files = schema_files(&project.schema)?;
            let schema = replay(
                project.engine,
                project.dev_url.as_deref(),
                Replay::Files(files),
            )
            .await?;
            (
                schema,
                format!("schema files {}", project.schema.display()),
                false,
            )
        }
        "migrations" => {
            let src = Source::Migrations(project.migrations.clone());
            let schema = load(&src, &project).await?;
            (
                schema,
                format!("migrations {}", project.migrations.display()),
                false,
            )
        }
        other => {
            let src = Source::parse(other)?;
            let is_url = matches!(src, Source::Url(_));
            let schema = load(&src, &project).await?;
            let label = if is_url {
                redact(other).to_string()
            } else {
                other.to_string()
            };
            (schema, label, is_url)
        }
    };
    schema.normalize();

    // Descriptions from `--` comments in the schema files.
    if project.schema.exists() {
        let mut d = Descriptions::default();
        for (_, text) in schema_files(&project.schema).unwrap_or_default() {
            d.read(&text, project.engine);
        }
        d.apply(&mut schema);
    }

    let rows = if g.url.is_some() || from_db {
        crate::progress::phase("reading row estimates");
        match row_estimates(&project, &from).await {
            Ok(r) => r,
            Err(e) => {
                crate::progress::eprint_line(&format!("warning: no row estimates: {e:#}"));
                BTreeMap::new()
            }
        }
    } else {
        BTreeMap::new()
    };

    let changelog = if a.no_changelog {
        None
    } else {
        crate::progress::phase("replaying the migrations for the changelog");
        match changelog(&project).await {
            Ok(c) => c,
            Err(e) => {
                crate::progress::eprint_line(&format!("warning: no changelog page: {e:#}"));
                None
            }
        }
    };

    let title = a.title.clone().unwrap_or_else(|| project_title(g));
    let input = SiteInput {
        title,
        engine: Some(project.engine),
        source: source_label,
        rows,
        changelog,
    };
    crate::progress::phase(format!("rendering {} table(s)", schema.tables.len()));
    let files = site(&schema, &input);
    crate::progress::phase(format!("writing {} file(s)", files.len()));
    write_site(&a.out, &files)?;
    drop(spinner);
    let index = a.out.join("index.html");
    if g.json {
        super::print_json(&serde_json::json!({
            "out": a.out,
            "index": index,
            "files": files.len(),
            "tables": schema.tables.len(),
            "row_estimates": !input.rows.is_empty(),
        }))?;
    } else {
        println!(
            "wrote {} files for {} tables to {} in {:.2}s; open {}",
            files.len(),
            schema.tables.len(),
            a.out.display(),
            started.elapsed().as_secs_f64(),
            index.display()
        );
    }
    Ok(0)
}

/// The site's title: the project folder's name.
fn project_title(g: &Global) -> String {
    let dir = std::env::current_dir().ok();
    let config_dir = g
        .config
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .or(dir);
    config_dir
        .and_then(|d| d.canonicalize().ok())
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "Schema".into())
}

/// Estimated rows per table, keyed as `SiteInput::rows` wants.
async fn row_estimates(project: &Project, from: &str) -> Result<BTreeMap<String, i64>> {
    // `--from URL` names the database; otherwise the environment's.
    let url = if from.contains("://") || from.starts_with("sqlite:") {
        from.to_string()
    } else {
        project.require_url()?.to_string()
    };
    let mut options = ConnectOptions::new(&url);
    options.history = project.history.clone();
    let mut db = connect(&options).await?;
    let stats = db
        .table_stats()
        .await
        .map_err(|e| anyhow::anyhow!("cannot read table sizes: {e}"))?;
    Ok(stats
        .into_iter()
        .map(|s| (s.name.to_lowercase(), s.rows))
        .collect())
}

/// The changelog as Markdown, newest first: the migrations replayed one by one on a single dev
/// database (as `strata changelog` does), each entry the difference between consecutive states.
/// `None` when the project has no migrations folder.
async fn changelog(project: &Project) -> Result<Option<String>> {
    if !project.migrations.is_dir() {
        return Ok(None);
    }
    let set = MigrationSet::load(&project.migrations)?;
    let dialect = strata_engine::dialect(project.engine);
    let mut dev = DevDatabase::create(project.engine, project.dev_url.as_deref()).await?;
    let work = async {
        let mut entries = Vec::new();
        let mut before = dev
            .inspect()
            .await
            .context("cannot inspect the dev database")?;
        for m in &set.migrations {
            let label = set.dir.join(&m.up.file).display().to_string();
            dev.run_file(&label, &m.up.text)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let after = dev
                .inspect()
                .await
                .context("cannot inspect the dev database")?;
            entries.push(strata_docs::changelog::entry(
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
    let mut entries = result.context("the changelog page needs every migration to replay")?;
    entries.reverse();
    Ok(Some(strata_docs::changelog::markdown(&entries)))
}

/// Writes the files under `out`, creating folders.
fn write_site(out: &Path, files: &[(String, String)]) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut made = std::collections::HashSet::new();
    for (rel, text) in files {
        let path = out.join(rel);
        if let Some(parent) = path.parent() {
            if made.insert(parent.to_path_buf()) {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
