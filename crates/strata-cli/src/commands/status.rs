//! `strata status`.

use super::style::{self, paint};
use crate::cli::Global;
use anstream::println;
use anyhow::Result;
use strata_engine::url::redact;
use strata_migrate::{State, StatusReport};

/// `--json`: the report, plus what protects the connection (`null` for SQLite).
#[derive(serde::Serialize)]
struct Json<'a> {
    #[serde(flatten)]
    report: &'a StatusReport,
    connection: Option<&'a strata_engine::Security>,
}

pub async fn run(g: &Global) -> Result<u8> {
    let project = super::project(g)?;
    let migrator = super::migrator(g, &project)?;
    let mut db = super::database(&project).await?;
    let report = migrator.status(&mut db).await?;
    if g.json {
        super::print_json(&Json {
            report: &report,
            connection: db.security(),
        })?;
    } else {
        let url = project.require_url().map(redact).unwrap_or_default();
        println!("{url} (env {})", project.env);
        if let Some(security) = db.security() {
            println!("connection: {}", security.describe());
        }
        print_human(&report);
    }
    Ok(if report.has_problems() { 1 } else { 0 })
}

fn print_human(report: &StatusReport) {
    if report.migrations.is_empty() {
        println!("no migrations yet: `strata new NAME` creates one");
    } else {
        let width = report
            .migrations
            .iter()
            .map(|m| m.name.len())
            .max()
            .unwrap_or(4)
            .max(4);
        let heading = format!(
            "{:<14}  {:<width$}  {:<15}  APPLIED AT",
            "VERSION", "NAME", "STATE"
        );
        println!("{}", paint(style::EMPHASIS, heading));
        for m in &report.migrations {
            let mut state = m.state.as_str().to_string();
            if m.out_of_order {
                state.push_str(" (out of order)");
            }
            let at = m
                .applied_at
                .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
                .unwrap_or_default();
            let state = paint(style::of_state(m.state), format!("{state:<15}"));
            println!("{:<14}  {:<width$}  {state}  {at}", m.version, m.name);
            if let Some(s) = &m.stopped_at {
                let line = s.line.map(|l| format!(":{l}")).unwrap_or_default();
                let stopped = format!("stopped at statement {}", s.statement);
                println!(
                    "    {} ({}{line}){}",
                    paint(style::BAD, stopped),
                    s.file,
                    s.error
                        .as_ref()
                        .map(|e| format!(": {e}"))
                        .unwrap_or_default()
                );
            }
        }
    }
    for p in &report.sum_problems {
        println!("{}: {p}", paint(style::BAD, "strata.sum"));
    }
    if report.sum_missing {
        println!(
            "{}: run `strata validate --rehash` after reviewing the files",
            paint(style::BAD, "strata.sum is missing")
        );
    }
    let counts: Vec<String> = [
        State::Applied,
        State::Pending,
        State::Modified,
        State::Missing,
        State::Failed,
        State::RollbackFailed,
    ]
    .iter()
    .filter_map(|s| {
        let n = report.count(*s);
        (n > 0).then(|| paint(style::of_state(*s), format!("{n} {}", s.as_str())))
    })
    .collect();
    if !counts.is_empty() {
        println!("{}", counts.join(", "));
    }
    let next = paint(style::EMPHASIS, "next:");
    if report.count(State::Failed) > 0 {
        println!(
            "{next} fix the failed statement in its file, then `strata apply` resumes from it"
        );
    } else if report.count(State::Modified) > 0 {
        println!("{next} restore the modified file(s); applied migrations must not change");
    } else if report.count(State::Pending) > 0 {
        println!("{next} `strata apply`");
    }
}
