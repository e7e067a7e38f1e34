//! Where a schema comes from: a live database, a migrations folder or schema files — the last two
//! replayed on a dev database so the engine itself parses them.

use crate::config::Project;
use crate::progress::phase;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use strata_engine::dev::DevDatabase;
use strata_engine::hints::{apply_hints, read_hints};
use strata_engine::{url::engine_of, ConnectOptions, SchemaDriver};
use strata_migrate::MigrationSet;
use strata_schema::{Engine, Schema};

/// A source of a schema, as `strata diff --from/--to` accepts it.
#[derive(Debug, Clone)]
pub enum Source {
    Url(String),
    Migrations(PathBuf),
    SchemaFiles(PathBuf),
}

impl Source {
    /// Reads a `--from`/`--to` argument: a URL, a migrations folder (it holds `*.up.sql` or
    /// `strata.sum`), or schema files (a folder of `.sql` files or one file).
    pub fn parse(arg: &str) -> Result<Source> {
        if arg.contains("://") || arg.starts_with("sqlite:") {
            return Ok(Source::Url(arg.to_string()));
        }
        let path = PathBuf::from(arg);
        if !path.exists() {
            bail!("{arg} is neither a database URL nor an existing file or folder");
        }
        if path.is_dir() {
            let is_migrations = std::fs::read_dir(&path)?.any(|e| {
                e.ok().is_some_and(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    n.ends_with(".up.sql") || n == "strata.sum"
                })
            });
            if is_migrations {
                return Ok(Source::Migrations(path));
            }
        }
        Ok(Source::SchemaFiles(path))
    }
}

/// The schema files of a folder (`*.sql` in name order) or a single file, as (label, text).
pub fn schema_files(path: &Path) -> Result<Vec<(String, String)>> {
    let mut paths = Vec::new();
    if path.is_dir() {
        for e in
            std::fs::read_dir(path).with_context(|| format!("cannot read {}", path.display()))?
        {
            let p = e?.path();
            if p.extension().is_some_and(|x| x == "sql") {
                paths.push(p);
            }
        }
        paths.sort();
    } else if path.exists() {
        paths.push(path.to_path_buf());
    } else {
        bail!(
            "schema path {} does not exist; create it or set [project] schema in strata.toml",
            path.display()
        );
    }
    paths
        .into_iter()
        .map(|p| {
            let bytes =
                std::fs::read(&p).with_context(|| format!("cannot read {}", p.display()))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                anyhow::anyhow!(
                    "{} is not valid UTF-8 (byte {}); save it as UTF-8",
                    p.display(),
                    e.utf8_error().valid_up_to()
                )
            })?;
            Ok((p.display().to_string(), text))
        })
        .collect()
}

/// What to replay on a dev database.
pub enum Replay<'a> {
    Files(Vec<(String, String)>),
    Migrations(&'a MigrationSet, Option<Vec<i64>>),
}

/// Replays SQL on a fresh dev database and inspects it; the dev database is dropped on every
/// path, including errors and Ctrl-C.
pub async fn replay(engine: Engine, dev_url: Option<&str>, what: Replay<'_>) -> Result<Schema> {
    phase(format!("creating a {engine} dev database"));
    let mut dev = DevDatabase::create(engine, dev_url).await?;
    let work = async {
        let hints = match &what {
            Replay::Files(files) => {
                let mut hints = Vec::new();
                for (label, text) in files {
                    phase(format!("replaying {label} on the dev database"));
                    dev.run_file(label, text).await.map_err(|e| {
                        anyhow::anyhow!(
                            "{e}\nThe dev database refused this statement; fix the file and retry."
                        )
                    })?;
                    hints.extend(read_hints(text, engine));
                }
                hints
            }
            Replay::Migrations(set, versions) => {
                let keep = |v: i64| versions.as_ref().is_none_or(|vs| vs.contains(&v));
                phase(format!(
                    "replaying {} migration(s) on the dev database",
                    set.migrations.iter().filter(|m| keep(m.version)).count()
                ));
                dev.run_migrations(set, Some(&keep)).await.map_err(|e| {
                    anyhow::anyhow!("{e}\nA migration does not replay on a fresh database; fix it before planning.")
                })?;
                Vec::new()
            }
        };
        phase("reading the dev database's catalog");
        let mut schema = dev
            .inspect()
            .await
            .context("cannot inspect the dev database")?;
        apply_hints(&mut schema, &hints);
        Ok::<Schema, anyhow::Error>(schema)
    };
    let result = tokio::select! {
        r = work => r,
        _ = super::interrupted() => Err(anyhow::anyhow!("interrupted; the dev database was dropped")),
    };
    dev.close().await;
    result
}

/// Inspects a live database.
pub async fn inspect_url(url: &str, project: Option<&Project>) -> Result<Schema> {
    let mut options = ConnectOptions::new(url);
    if let Some(p) = project {
        options.history = p.history.clone();
    }
    let shown = strata_engine::url::redact(url);
    phase(format!("connecting to {shown}"));
    let mut db = super::connect_waiting(&options).await?;
    phase(format!("reading the catalog of {shown}"));
    db.inspect().await.context("cannot inspect the database")
}

/// The schema of a source.
pub async fn load(source: &Source, project: &Project) -> Result<Schema> {
    match source {
        Source::Url(u) => inspect_url(u, Some(project)).await,
        Source::Migrations(dir) => {
            let set = MigrationSet::load(dir)?;
            replay(
                project.engine,
                project.dev_url.as_deref(),
                Replay::Migrations(&set, None),
            )
            .await
        }
        Source::SchemaFiles(path) => {
            replay(
                project.engine,
                project.dev_url.as_deref(),
                Replay::Files(schema_files(path)?),
            )
            .await
        }
    }
}

/// The engine a source speaks, when it says (URLs do).
pub fn engine_hint(source: &Source) -> Option<Engine> {
    match source {
        Source::Url(u) => engine_of(u).ok(),
        _ => None,
    }
}
