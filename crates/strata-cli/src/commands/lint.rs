//! `strata lint`, and the lint that `apply` and `plan` run first.

use crate::cli::{Global, LintArgs};
use crate::config::Project;
use anyhow::{Context as _, Result};
use std::collections::BTreeMap;
use strata_engine::dev::DevDatabase;
use strata_engine::{Database, SchemaDriver};
use strata_lint::{
    lint, render, render_styled, Context, Finding, Format, LintFile, Severity, TableFacts,
};
use strata_migrate::{Migration, MigrationSet, State};
use strata_schema::Schema;

pub async fn run(g: &Global, args: &LintArgs) -> Result<u8> {
    let format: Format = args.format.parse().map_err(anyhow::Error::msg)?;
    let project = super::project(g).ok();
    let engine = match (&args.engine, &project) {
        (Some(e), _) => e.parse::<strata_schema::Engine>()?,
        (None, Some(p)) => p.engine,
        (None, None) => anyhow::bail!(
            "which engine's SQL is this? Pass --engine postgres|mysql|sqlite, or run in a strata project (strata.toml)"
        ),
    };
    let mut files: Vec<(String, String)> = Vec::new();
    let mut db = None;
    // For the pending migrations: the schema each one runs against, from the migrations before it.
    let mut replayed: Vec<Option<strata_schema::Schema>> = Vec::new();
    if args.files.is_empty() {
        let Some(project) = &project else {
            // Without a project there is nothing to default to: say why.
            super::project(g)?;
            anyhow::bail!("no migrations to lint: pass files, or run in a strata project");
        };
        let migrator = super::migrator(g, project)?;
        let pending: Vec<&Migration> = if project.url.is_some() && !args.offline {
            let mut conn = super::database(project).await?;
            let status = migrator.status(&mut conn).await?;
            db = Some(conn);
            status
                .migrations
                .iter()
                .filter(|m| matches!(m.state, State::Pending | State::Failed))
                .filter_map(|m| migrator.set.get(m.version))
                .collect()
        } else {
            migrator.set.migrations.iter().collect()
        };
        // The database knows the schema the first pending file runs against; the later ones
        // run against what the files before them make.
        if db.is_none() || pending.len() > 1 {
            replayed = schemas_before(project, &migrator.set, &pending).await;
        }
        for m in &pending {
            files.push((
                project.migrations.join(&m.up.file).display().to_string(),
                m.up.text.clone(),
            ));
        }
    } else {
        for f in &args.files {
            let bytes = std::fs::read(f).with_context(|| format!("cannot read {}", f.display()))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                anyhow::anyhow!(
                    "{} is not valid UTF-8 (byte {}); save it as UTF-8",
                    f.display(),
                    e.utf8_error().valid_up_to()
                )
            })?;
            files.push((f.display().to_string(), text));
        }
        if let (Some(p), false) = (&project, args.offline) {
            if p.url.is_some() {
                db = Some(super::database(p).await?);
            }
        }
    }
    let ctx = match db.as_mut() {
        Some(db) => context(db).await?,
        None => Context::default(),
    };
    let contexts = per_file(&ctx, db.is_some(), replayed, files.len());
    let findings = lint_texts(&files, engine, &contexts);
    let sources: BTreeMap<String, String> = files.into_iter().collect();
    if findings.is_empty() && format == Format::Human && sources.is_empty() {
        println!("nothing to lint: no pending migrations");
        return Ok(0);
    }
    match format {
        Format::Human => anstream::print!("{}", render_styled(&findings, &sources)),
        _ => print!("{}", render(format, &findings, &sources)),
    }
    Ok(if blocking(&findings).next().is_some() {
        1
    } else {
        0
    })
}

/// What the database tells the rules: its schema and the size of each table.
pub async fn context(db: &mut Database) -> Result<Context> {
    let schema = db
        .inspect()
        .await
        .context("cannot inspect the database for lint context")?;
    let stats = db
        .table_stats()
        .await
        .map_err(|e| anyhow::anyhow!("cannot read table sizes: {e}"))?;
    let mut ctx = Context {
        schema: Some(schema),
        ..Context::default()
    };
    for s in stats {
        ctx.tables.insert(
            s.name.to_lowercase(),
            TableFacts {
                rows: s.rows,
                bytes: s.bytes,
            },
        );
    }
    Ok(ctx)
}

/// The schema each of `pending` runs against: the migrations that are not pending replayed on
/// a dev database, then each pending file in turn, inspected before it runs. From the first file
/// that does not replay on, `None` (linting that file is how the user learns why); a dev database
/// that cannot be had gives no schemas, with a note.
pub async fn schemas_before(
    project: &Project,
    set: &MigrationSet,
    pending: &[&Migration],
) -> Vec<Option<Schema>> {
    let mut out = Vec::new();
    let mut dev = match DevDatabase::create(project.engine, project.dev_url.as_deref()).await {
        Ok(dev) => dev,
        Err(e) => {
            eprintln!("note: lint runs without the schema before each migration (old column types unknown): {e}");
            return out;
        }
    };
    let later: Vec<i64> = pending.iter().map(|m| m.version).collect();
    let work = async {
        let keep = |v: i64| !later.contains(&v);
        if dev.run_migrations(set, Some(&keep)).await.is_err() {
            return;
        }
        for m in pending {
            match dev.inspect().await {
                Ok(schema) => out.push(Some(schema)),
                Err(_) => return,
            }
            let label = set.dir.join(&m.up.file).display().to_string();
            if dev.run_file(&label, &m.up.text).await.is_err() {
                return;
            }
        }
    };
    tokio::select! {
        () = work => {},
        _ = tokio::signal::ctrl_c() => {},
    }
    dev.close().await;
    out
}

/// One context per file: the database's (table sizes, and its schema for the first file when
/// `connected`), with the replayed schema before each later file where there is one.
pub fn per_file(
    live: &Context,
    connected: bool,
    replayed: Vec<Option<Schema>>,
    files: usize,
) -> Vec<Context> {
    let mut replayed = replayed.into_iter();
    (0..files)
        .map(|i| {
            let before = replayed.next().flatten();
            let mut ctx = live.clone();
            if let Some(before) = before.filter(|_| !(connected && i == 0)) {
                ctx.schema = Some(before);
            }
            ctx
        })
        .collect()
}

/// Lints (label, text) files, each against its context (`contexts[i]`, or the last one).
pub fn lint_texts(
    files: &[(String, String)],
    engine: strata_schema::Engine,
    contexts: &[Context],
) -> Vec<Finding> {
    let fallback = Context::default();
    let ctx_of = |i: usize| contexts.get(i).or(contexts.last()).unwrap_or(&fallback);
    let indexed: Vec<(usize, &(String, String))> = files.iter().enumerate().collect();
    let files = &indexed[..];
    let one = |chunk: &[(usize, &(String, String))]| -> Vec<Finding> {
        chunk
            .iter()
            .flat_map(|(i, (label, text))| lint(&LintFile::new(label, text, engine), ctx_of(*i)))
            .collect()
    };
    // Files are independent: lint them on every core (bench/lint.sh: parsing is a third of the time).
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || files.len() < 8 {
        return one(files);
    }
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|c| s.spawn(move || one(c)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Unsuppressed error-level findings.
pub fn blocking(findings: &[Finding]) -> impl Iterator<Item = &Finding> {
    findings
        .iter()
        .filter(|f| f.suppressed.is_none() && f.severity == Severity::Error)
}

/// Lints the migrations `apply` is about to run; prints findings and decides whether to go on.
pub async fn gate(
    project: &Project,
    migrations: &[&Migration],
    db: &mut Database,
    allow_unsafe: bool,
    allow_destructive: bool,
    json: bool,
) -> Result<bool> {
    if migrations.is_empty() {
        return Ok(true);
    }
    let files: Vec<(String, String)> = migrations
        .iter()
        .map(|m| {
            (
                project.migrations.join(&m.up.file).display().to_string(),
                m.up.text.clone(),
            )
        })
        .collect();
    // Every file against the live schema: replaying the earlier pending files on a dev database
    // (as `strata lint` does) would delay every apply by a replay of the whole history.
    let ctx = context(db).await?;
    let findings = lint_texts(&files, project.engine, &[ctx]);
    // Errors are shown in full; warnings are counted, not repeated on every deploy.
    let errors: Vec<Finding> = blocking(&findings).cloned().collect();
    let warnings = findings
        .iter()
        .filter(|f| f.suppressed.is_none() && f.severity != Severity::Error)
        .count();
    if !json {
        if !errors.is_empty() {
            let sources: BTreeMap<String, String> = files.into_iter().collect();
            anstream::eprint!("{}", render_styled(&errors, &sources));
        }
        if warnings > 0 {
            eprintln!(
                "lint: {warnings} warning(s) in the pending migrations; `strata lint` shows them"
            );
        }
    }
    let blocked: Vec<&Finding> = blocking(&findings)
        .filter(|f| {
            if f.code.starts_with("DL") {
                !allow_destructive
            } else {
                !allow_unsafe
            }
        })
        .collect();
    if blocked.is_empty() {
        return Ok(true);
    }
    let destructive = blocked.iter().any(|f| f.code.starts_with("DL"));
    let risky = blocked.iter().any(|f| !f.code.starts_with("DL"));
    let flags: Vec<&str> = [
        (risky, "--allow-unsafe"),
        (destructive, "--allow-destructive"),
    ]
    .into_iter()
    .filter_map(|(on, flag)| on.then_some(flag))
    .collect();
    eprintln!(
        "refusing to apply: {} error-level lint finding(s) above. Fix the migration, accept a finding on purpose with `-- strata:allow <code> <reason>`, or pass {}.",
        blocked.len(),
        flags.join(" and ")
    );
    Ok(false)
}
