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
mod style;
mod validate;

use crate::cli::{Cli, Command, Global};
use crate::config::Project;
use anyhow::{bail, Context, Result};
use clap::CommandFactory;
use strata_engine::{connect, url::engine_of, url::redact, ConnectOptions, Database};
use strata_migrate::{MigrationSet, Migrator, Operation, Options};

/// Runs the command; `Ok(code)` is the exit code of a command that completed.
pub async fn run(cli: Cli) -> Result<u8> {
    let g = &cli.global;
    if let Some(w) = g.wait_for {
        wait_at_least(w);
    }
    match &cli.command {
        Command::Init(a) => init::run(g, a).await,
        Command::New(a) => new::run(g, a),
        Command::Apply(a) => apply::run(g, a).await,
        Command::Rollback(a) => rollback::run(g, a).await,
        // Read-only and holding nothing to clean up: a stop ends them at once.
        Command::Status => until_stopped(status::run(g)).await,
        Command::Validate(a) => until_stopped(validate::run(g, a)).await,
        Command::Seed => seed::run(g).await,
        Command::Plan(a) => plan::run(g, a).await,
        Command::Diff(a) => diff::run(g, a).await,
        Command::Inspect => until_stopped(inspect::run(g)).await,
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

/// Runs a command that has no safe point to reach and nothing to drop: Ctrl-C or SIGTERM
/// ends it at its next await (the connection closes with it). Commands that migrate or build
/// dev databases watch the stop themselves.
async fn until_stopped(command: impl std::future::Future<Output = Result<u8>>) -> Result<u8> {
    tokio::select! {
        r = command => r,
        _ = interrupted() => anyhow::bail!("interrupted"),
    }
}

/// The project of this run.
pub fn project(g: &Global) -> Result<Project> {
    Project::load(&g.config, &g.env, g.url.as_deref())
}

/// Prints the differences a plan leaves alone on purpose, so "no changes" is never claimed
/// while the two sides differ.
pub fn print_ignored(plan: &strata_diff::Plan) {
    for note in &plan.ignored {
        println!("ignored: {note}");
    }
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
        diff_options: Default::default(),
        retry: 0,
    })
}

/// The migrations folder of the project, with the options from the command line.
pub fn migrator(g: &Global, project: &Project) -> Result<Migrator> {
    let set = MigrationSet::load(&project.migrations)?;
    let mut m = Migrator::new(set);
    m.options = Options {
        lock_timeout: g.lock_timeout,
        stop: stop().clone(),
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
    options.refuse_transaction_pooling = true;
    let source = project
        .url
        .as_ref()
        .map(|t| t.source.as_str())
        .unwrap_or("");
    let db = connect_waiting(&options)
        .await
        .with_context(|| format!("environment \"{}\" (URL from {source})", project.env))?;
    warn_unverified(&db);
    Ok(db)
}

/// Warns once per run, on stderr, when the target is another machine whose identity was not
/// verified (a command may connect more than once).
fn warn_unverified(db: &Database) {
    use std::sync::atomic::{AtomicBool, Ordering};
    static WARNED: AtomicBool = AtomicBool::new(false);
    if let Some(warning) = db.security().and_then(|s| s.warning()) {
        if !WARNED.swap(true, Ordering::Relaxed) {
            eprintln!("warning: {warning}");
        }
    }
}

/// Connects to the environment's database, waiting at least `at_least` (or `--wait-for`, if
/// longer) for a server that is not there yet.
pub async fn database_waiting(
    project: &Project,
    at_least: std::time::Duration,
) -> Result<Database> {
    wait_at_least(at_least);
    database(project).await
}

/// `--wait-for`, in milliseconds: how long connecting keeps retrying while the server is not
/// there yet.
static WAIT_FOR_MS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn wait_at_least(d: std::time::Duration) {
    WAIT_FOR_MS.fetch_max(d.as_millis() as u64, std::sync::atomic::Ordering::SeqCst);
}

/// Connects; with `--wait-for`, retries while the server refuses, does not answer or is still
/// starting (never on a wrong password or an unknown database), with growing, jittered pauses.
pub async fn connect_waiting(options: &ConnectOptions) -> Result<Database> {
    let wait =
        std::time::Duration::from_millis(WAIT_FOR_MS.load(std::sync::atomic::Ordering::SeqCst));
    let started = std::time::Instant::now();
    let mut pause = std::time::Duration::from_millis(200);
    let mut told = false;
    loop {
        match connect(options).await {
            Err(strata_engine::EngineError::Unreachable { url, message })
                if started.elapsed() + pause < wait =>
            {
                if !told {
                    crate::progress::eprint_line(&format!(
                        "waiting up to {}s for {url} ({message})",
                        wait.as_secs()
                    ));
                    told = true;
                }
                tokio::select! {
                    _ = tokio::time::sleep(jittered(pause)) => {}
                    _ = interrupted() => anyhow::bail!("interrupted while waiting for {url}"),
                }
                pause = (pause * 2).min(std::time::Duration::from_secs(5));
            }
            other => return Ok(other?),
        }
    }
}

/// `d` give or take a quarter, so that many waiting processes do not retry in step.
pub fn jittered(d: std::time::Duration) -> std::time::Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_nanos();
    let factor = 0.75 + f64::from(nanos % 1000) / 2000.0;
    d.mul_f64(factor)
}

/// Prints `value` as pretty JSON on stdout.
/// What `apply` or `rollback` did: JSON, the SQL of a dry run (with resume points), or a count.
pub fn print_run_report(
    g: &Global,
    report: &strata_migrate::RunReport,
    operation: Operation,
) -> Result<()> {
    if g.json {
        return print_json(report);
    }
    let (nothing, nothing_to_do, done) = match operation {
        Operation::Apply => (
            "nothing to apply",
            "nothing to apply: the database is up to date",
            "applied",
        ),
        Operation::Rollback => (
            "nothing to roll back",
            "nothing to roll back",
            "rolled back",
        ),
    };
    if report.dry_run {
        if report.migrations.is_empty() {
            println!("-- {nothing}");
        }
        for m in &report.migrations {
            match m.resumed_at {
                Some(s) => println!("-- {} (resuming at statement {s})", m.file),
                None => println!("-- {}", m.file),
            }
            println!("{}", m.sql.as_deref().unwrap_or("").trim_end());
            println!();
        }
    } else if report.migrations.is_empty() {
        println!("{nothing_to_do}");
    } else {
        println!("{done} {} migration(s)", report.migrations.len());
    }
    Ok(())
}

pub fn print_json(value: &impl serde::Serialize) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Plans `from` → `to` on `engine` with the project's choices; a change the engine cannot write is an error that says so
/// (nothing is written), never a migration that silently leaves it out.
pub fn plan_between(
    from: &strata_schema::Schema,
    to: &strata_schema::Schema,
    engine: strata_schema::Engine,
    options: strata_diff::DiffOptions,
) -> Result<strata_diff::Plan> {
    strata_diff::plan_with(from, to, strata_engine::dialect(engine), options).map_err(|e| {
        anyhow::anyhow!(
            "{e}. The schema holds an object {engine} does not have: remove it from the schema files (or the source it came from), then run the command again; please report it if the object does exist on {engine}"
        )
    })
}

/// The stop request that SIGINT (Ctrl-C) and SIGTERM set, shared by every command of this
/// process: the migrator cancels the running statement and stops at a safe point, the dev
/// databases of `plan` and friends are dropped.
pub fn stop() -> &'static strata_migrate::Stop {
    static STOP: std::sync::OnceLock<strata_migrate::Stop> = std::sync::OnceLock::new();
    STOP.get_or_init(strata_migrate::Stop::new)
}

/// Wakes the tasks waiting in [`interrupted`].
fn stop_notify() -> &'static tokio::sync::Notify {
    static NOTIFY: std::sync::OnceLock<tokio::sync::Notify> = std::sync::OnceLock::new();
    NOTIFY.get_or_init(tokio::sync::Notify::new)
}

/// Catches SIGINT and SIGTERM on a thread of their own (the runtime's thread may be inside a
/// SQLite statement): the first asks everything to stop at a safe point and cancels the running
/// statement, the second exits at once.
/// How long strata waits, after the first Ctrl-C / SIGTERM, for the server to answer the
/// cancelled statement before it exits anyway (well inside Kubernetes' 30 s grace period).
const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Exits at once with 128 + `signal`, first ending the run's session on the server from a new
/// connection (so that its statement, transaction and locks go now, not when the server notices
/// the client is gone), and saying what the database is left with.
fn exit_now(signal: i32, why: &str) -> ! {
    let ended = match stop().end_session(std::time::Duration::from_secs(3)) {
        Some(Ok(done)) => {
            format!("; {done}, so its transaction is rolled back and its locks are free")
        }
        Some(Err(why)) => format!(
            "; strata {why}: the server ends it, its transaction and its locks when it notices"
        ),
        None => String::new(),
    };
    eprintln!(
        "strata: {why}{ended}. Run `strata status` to see what was applied, then `strata apply`."
    );
    std::process::exit(128 + signal);
}

pub fn install_signal_handlers() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        eprintln!("warning: cannot catch Ctrl-C and SIGTERM; they will end strata at once");
        return;
    };
    let _ = std::thread::Builder::new()
        .name("strata-signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                let name = strata_migrate::signal_name(signal);
                if stop().requested().is_some() {
                    exit_now(signal, &format!("{name} again: exiting now"));
                }
                eprintln!("strata: {name}: cancelling the running statement and stopping at a safe point (send it again to exit at once; strata exits by itself if the server has not answered within {}s)", STOP_GRACE.as_secs());
                stop().request(signal);
                stop_notify().notify_waiters();
                // A stalled connection never brings the cancelled statement's answer back.
                let _ = std::thread::Builder::new()
                    .name("strata-stop-grace".into())
                    .spawn(move || {
                        std::thread::sleep(STOP_GRACE);
                        exit_now(
                            signal,
                            &format!(
                                "the server has not answered within {}s of the {name} (a stalled connection?): exiting now",
                                STOP_GRACE.as_secs()
                            ),
                        );
                    });
            }
        });
}

/// Completes once a stop has been requested (Ctrl-C, SIGTERM) — also one that came between
/// two dev-database replays, before this call.
pub async fn interrupted() {
    loop {
        let notified = stop_notify().notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if stop().requested().is_some() {
            return;
        }
        notified.await;
    }
}
