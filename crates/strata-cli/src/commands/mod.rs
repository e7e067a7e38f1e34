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

/// Plans `from` → `to` on `engine`; a change the engine cannot write is an error that says so
/// (nothing is written), never a migration that silently leaves it out.
pub fn plan_between(
    from: &strata_schema::Schema,
    to: &strata_schema::Schema,
    engine: strata_schema::Engine,
) -> Result<strata_diff::Plan> {
    strata_diff::plan(from, to, strata_engine::dialect(engine)).map_err(|e| {
        anyhow::anyhow!(
            "{e}. The schema holds an object {engine} does not have: remove it from the schema files (or the source it came from), then run the command again; please report it if the object does exist on {engine}"
        )
    })
}

/// Completes once the user has pressed Ctrl-C (SIGINT) at any time since the first call — also
/// between two dev-database replays, where a listener created per replay would miss it and the
/// signal, already taken over from the default handler, would be lost.
pub async fn interrupted() {
    use std::sync::OnceLock;
    use tokio::sync::watch;
    static FLAG: OnceLock<watch::Receiver<bool>> = OnceLock::new();
    let mut rx = FLAG
        .get_or_init(|| {
            let (tx, rx) = watch::channel(false);
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    let _ = tx.send(true);
                }
                // Keep the sender: receivers must see `true`, not a closed channel.
                std::future::pending::<()>().await;
            });
            rx
        })
        .clone();
    let _ = rx.wait_for(|&set| set).await;
}
