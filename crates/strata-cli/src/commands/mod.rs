//! One module per command; [`run`] dispatches.

mod apply;
mod changelog;
mod diff;
mod docs;
mod drift;
mod erd;
mod init;
mod inspect;
mod lint;
mod new;
mod plan;
mod rollback;
mod seed;
mod source;
mod status;
mod validate;

use crate::cli::{Cli, Command, Global};
use crate::config::Project;
use anyhow::{bail, Context, Result};
use clap::CommandFactory;
use strata_engine::{connect, url::engine_of, url::redact, ConnectOptions, Database};
use strata_migrate::{MigrationSet, Migrator, Options};

/// Runs the command; `Ok(code)` is the exit code of a command that completed.
pub async fn run(cli: Cli) -> Result<u8> {
    let g = &cli.global;
    match &cli.command {
        Command::Init(a) => init::run(g, a).await,
        Command::New(a) => new::run(g, a),
        Command::Apply(a) => apply::run(g, a).await,
        Command::Rollback(a) => rollback::run(g, a).await,
        Command::Status => status::run(g).await,
        Command::Validate(a) => validate::run(g, a).await,
        Command::Seed => seed::run(g).await,
        Command::Plan(a) => plan::run(g, a).await,
        Command::Diff(a) => diff::run(g, a).await,
        Command::Inspect => inspect::run(g).await,
        Command::Drift => drift::run(g).await,
        Command::Lint(a) => lint::run(g, a).await,
        Command::Erd(a) => erd::run(g, a).await,
        Command::Changelog => changelog::run(g).await,
        Command::Docs(a) => docs::run(g, a).await,
        Command::Completions(a) => {
            clap_complete::generate(
                a.shell,
                &mut Cli::command(),
                "strata",
                &mut std::io::stdout(),
            );
            Ok(0)
        }
    }
}

/// The project of this run.
pub fn project(g: &Global) -> Result<Project> {
    Project::load(&g.config, &g.env, g.url.as_deref())
}

/// The project, or, without strata.toml, defaults for the engine a source's URL names.
pub fn project_or_default(g: &Global, sources: &[&source::Source]) -> Result<Project> {
    if g.config.exists() || g.url.is_some() {
        return project(g);
    }
    let engine = sources
        .iter()
        .find_map(|s| source::engine_hint(s))
        .unwrap_or(strata_schema::Engine::Sqlite);
    Ok(Project {
        engine,
        migrations: "migrations".into(),
        schema: "schema".into(),
        seeds: "seeds".into(),
        dev_url: None,
        env: g.env.clone(),
        history: Default::default(),
        url: None,
    })
}

/// The migrations folder of the project, with the options from the command line.
pub fn migrator(g: &Global, project: &Project) -> Result<Migrator> {
    let set = MigrationSet::load(&project.migrations)?;
    let mut m = Migrator::new(set);
    m.options = Options {
        lock_timeout: g.lock_timeout,
        ..Options::default()
    };
    Ok(m)
}

/// Connects to the environment's database.
pub async fn database(project: &Project) -> Result<Database> {
    let url = project.require_url()?;
    let engine = engine_of(url)?;
    if engine != project.engine {
        bail!(
            "the project's engine is {} (strata.toml [project] engine) but the URL {} is a {} database; fix one of them",
            project.engine,
            redact(url),
            engine
        );
    }
    let mut options = ConnectOptions::new(url);
    options.history = project.history.clone();
    let source = project.url.as_ref().map(|(_, s)| s.as_str()).unwrap_or("");
    connect(&options)
        .await
        .with_context(|| format!("environment \"{}\" (URL from {source})", project.env))
}

/// Prints `value` as pretty JSON on stdout.
pub fn print_json(value: &impl serde::Serialize) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
