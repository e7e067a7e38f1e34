//! `strata plan NAME`: the migration from the state of migrations/ to the state of schema/.

use super::source::{replay, schema_files, Replay};
use super::style::{self, paint};
use crate::cli::{Global, PlanArgs};
use anstream::{print, println};
use anyhow::Result;
use strata_diff::Step;

pub async fn run(g: &Global, args: &PlanArgs) -> Result<u8> {
    let project = super::project(g)?;
    let migrator = super::migrator(g, &project)?;
    migrator.set.verify_sum()?;
    let files = schema_files(&project.schema)?;
    let dev_url = project.dev_url.as_deref();
    let spinner = crate::progress::spinner("replaying the migrations");
    let current = replay(
        project.engine,
        dev_url,
        Replay::Migrations(&migrator.set, None),
    )
    .await?;
    let mut desired = replay(project.engine, dev_url, Replay::Files(files.clone())).await?;
    drop(spinner);
    let dialect = strata_engine::dialect(project.engine);
    let candidates = strata_diff::rename_candidates(
        &current,
        &desired,
        &strata_diff::Renames::from_hints(&current, &desired),
        dialect,
    );
    if !candidates.is_empty() && !args.allow_destructive {
        use std::io::IsTerminal;
        let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        if g.json || !terminal {
            return refuse_renames(g, args, &candidates, &files);
        }
        ask_renames(&mut desired, &candidates, &files)?;
    }
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
        let wrote = paint(style::GOOD, "wrote");
        println!("{wrote} {}", up_path.display());
        println!("{wrote} {}", down_path.display());
        print_summary(&plan.up);
        super::print_ignored(&plan);
        if plan.down.iter().any(|s| s.irreversible) {
            println!(
                "{} the down migration cannot restore dropped data (marked IRREVERSIBLE)",
                paint(style::WAITING, "note:")
            );
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
            print!("{}", strata_lint::render_styled(&findings, &sources));
        }
        println!(
            "{} review the files, then `strata apply`",
            paint(style::EMPHASIS, "next:")
        );
    }
    Ok(0)
}

/// Without a terminal (CI, scripts) a likely rename is never planned as drop + add on its own:
/// the values of the dropped column would be lost. Says what to write, writes nothing, exit 1.
fn refuse_renames(
    g: &Global,
    args: &PlanArgs,
    candidates: &[strata_diff::RenameCandidate],
    files: &[(String, String)],
) -> Result<u8> {
    if g.json {
        super::print_json(&serde_json::json!({
            "refused": "possible renames: add the renamed-from hints, or pass --allow-destructive",
            "candidates": candidates
                .iter()
                .map(|c| serde_json::json!({
                    "table": c.table.to_string(),
                    "from": c.from,
                    "to": c.to,
                    "hint": format!("-- strata:renamed-from {}", c.from),
                    "at": hint_location(files, c).map(|(f, l)| format!("{f}:{l}")),
                }))
                .collect::<Vec<_>>(),
        }))?;
        return Ok(1);
    }
    for c in candidates {
        eprintln!("{}", rename_question(c, files));
    }
    eprintln!(
        "refusing to plan: nothing written. Add the hint to keep the values, or run `strata plan {} --allow-destructive` to drop and add on purpose.",
        args.name
    );
    Ok(1)
}

/// On a terminal: asks about each likely rename; a yes plans it as a rename (the same as the
/// hint would), anything else as drop + add.
fn ask_renames(
    desired: &mut strata_schema::Schema,
    candidates: &[strata_diff::RenameCandidate],
    files: &[(String, String)],
) -> Result<()> {
    let mut taken: Vec<(&strata_schema::Name, &str)> = Vec::new();
    for c in candidates {
        if taken
            .iter()
            .any(|(t, col)| *t == &c.table && (*col == c.from || *col == c.to))
        {
            continue;
        }
        eprint!(
            "{}
rename {}.{} to {}? [y/N] ",
            rename_question(c, files),
            c.table,
            c.from,
            c.to
        );
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            continue;
        }
        let column = desired
            .tables
            .iter_mut()
            .find(|t| t.name == c.table)
            .and_then(|t| t.columns.iter_mut().find(|col| col.name == c.to));
        if let Some(column) = column {
            column.renamed_from = Some(c.from.clone());
            taken.push((&c.table, &c.from));
            taken.push((&c.table, &c.to));
        }
    }
    Ok(())
}

/// "users.name would be dropped and users.full_name added: did you mean a rename?" with the hint
/// and where to write it.
fn rename_question(c: &strata_diff::RenameCandidate, files: &[(String, String)]) -> String {
    let hint = format!("-- strata:renamed-from {}", c.from);
    let at = hint_location(files, c)
        .map(|(f, l)| format!(" ({f}:{l})"))
        .unwrap_or_default();
    format!(
        "{t}.{from} would be dropped and {t}.{to} added (its values lost): did you mean a rename?\n  to rename, end the line of {t}.{to}{at} with `{hint}`",
        t = c.table,
        from = c.from,
        to = c.to,
    )
}

/// The schema file and line that declare the added column of `c` (the line the hint goes on):
/// the first line inside that table's `CREATE TABLE` whose first word is the column's name.
fn hint_location(
    files: &[(String, String)],
    c: &strata_diff::RenameCandidate,
) -> Option<(String, usize)> {
    let unquote = |w: &str| {
        w.trim_matches(|ch| matches!(ch, '"' | '`' | '[' | ']' | ',' | '('))
            .to_ascii_lowercase()
    };
    let table = c.table.name.to_ascii_lowercase();
    let column = c.to.to_ascii_lowercase();
    for (file, text) in files {
        let mut inside = false;
        for (i, line) in text.lines().enumerate() {
            let upper = line.to_ascii_uppercase();
            if upper.contains("CREATE ") {
                inside = upper.contains("TABLE")
                    && line
                        .split(|ch: char| ch.is_whitespace() || ch == '(')
                        .any(|w| unquote(w.rsplit('.').next().unwrap_or(w)) == table);
                // A one-line CREATE TABLE: the column is on this line.
                if inside && line.to_ascii_lowercase().contains(&column) && line.contains(')') {
                    return Some((file.clone(), i + 1));
                }
                continue;
            }
            if inside {
                let first = line.split_whitespace().next().map(unquote);
                if first.as_deref() == Some(column.as_str()) {
                    return Some((file.clone(), i + 1));
                }
            }
        }
    }
    None
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
            if s.destructive {
                paint(style::BAD, "!")
            } else {
                paint(style::GOOD, "+")
            },
            s.description,
            if flags.is_empty() {
                String::new()
            } else {
                paint(style::BAD, format!(" [{}]", flags.join(", ")))
            }
        );
    }
}
