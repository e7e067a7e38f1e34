//! `strata plan NAME`: the migration from the state of migrations/ to the state of schema/.

use super::source::{replay, schema_files, Replay};
use crate::cli::{Global, PlanArgs};
use anyhow::Result;
use strata_diff::Step;

pub async fn run(g: &Global, args: &PlanArgs) -> Result<u8> {
    let project = super::project(g)?;
    let migrator = super::migrator(g, &project)?;
    migrator.set.verify_sum()?;
    let files = schema_files(&project.schema)?;
    let dev_url = project.dev_url.as_deref();
    let current = replay(
        project.engine,
        dev_url,
        Replay::Migrations(&migrator.set, None),
    )
    .await?;
    let desired = replay(project.engine, dev_url, Replay::Files(files)).await?;
    let plan = super::plan_between(&current, &desired, project.engine, project.diff_options)?;
    if plan.is_empty() {
        if g.json {
            super::print_json(
                &serde_json::json!({ "changes": 0, "written": null, "ignored": plan.ignored }),
            )?;
        } else if plan.ignored.is_empty() {
            println!(
                "no changes: the schema files ({}) match the migrations ({}); nothing written",
                project.schema.display(),
                project.migrations.display()
            );
        } else {
            println!(
                "nothing to migrate: the schema files ({}) differ from the migrations ({}) only in what strata.toml says to ignore; nothing written",
                project.schema.display(),
                project.migrations.display()
            );
            super::print_ignored(&plan);
        }
        return Ok(0);
    }
    let (up, down) = (plan.up_file(), plan.down_file());
    if args.dry_run {
        if g.json {
            super::print_json(&plan)?;
        } else {
            print!("{up}");
        }
        return Ok(0);
    }
    let (up_path, down_path) = strata_migrate::scaffold::create_migration(
        &project.migrations,
        &args.name,
        &up,
        &down,
        chrono::Utc::now(),
    )?;
    if g.json {
        super::print_json(&serde_json::json!({
            "up": up_path, "down": down_path, "plan": plan,
        }))?;
    } else {
        println!("wrote {}", up_path.display());
        println!("wrote {}", down_path.display());
        print_summary(&plan.up);
        super::print_ignored(&plan);
        if plan.down.iter().any(|s| s.irreversible) {
            println!("note: the down migration cannot restore dropped data (marked IRREVERSIBLE)");
        }
        // The changelog entry of the migration just written (as `strata changelog` shows it).
        let stem = up_path.file_name().unwrap_or_default().to_string_lossy();
        let (version, name) = stem
            .trim_end_matches(".up.sql")
            .split_once('_')
            .unwrap_or(("0", &args.name));
        let entry = strata_docs::changelog::entry(
            version.parse().unwrap_or(0),
            name,
            &current,
            &desired,
            strata_engine::dialect(project.engine),
        );
        let md = strata_docs::changelog::markdown(&[entry]);
        println!("\n{}", md.trim_start_matches("# Schema changelog\n").trim());
        // The lint of what was written, against the schema it runs on: the state of the
        // migrations before it (plan runs on dev databases, not on the target).
        let findings = super::lint::lint_texts(
            &[(up_path.display().to_string(), up.clone())],
            project.engine,
            &[strata_lint::Context {
                schema: Some(current.clone()),
                ..strata_lint::Context::default()
            }],
        );
        if findings.iter().any(|f| f.suppressed.is_none()) {
            let sources =
                std::collections::BTreeMap::from([(up_path.display().to_string(), up.clone())]);
            println!();
            print!(
                "{}",
                strata_lint::render(strata_lint::Format::Human, &findings, &sources)
            );
        }
        println!("next: review the files, then `strata apply`");
    }
    Ok(0)
}

/// One line per step, with its risk flags.
pub fn print_summary(steps: &[Step]) {
    for s in steps {
        let mut flags = Vec::new();
        if s.destructive {
            flags.push("destructive");
        }
        println!(
            "  {} {}{}",
            if s.destructive { "!" } else { "+" },
            s.description,
            if flags.is_empty() {
                String::new()
            } else {
                format!(" [{}]", flags.join(", "))
            }
        );
    }
}
