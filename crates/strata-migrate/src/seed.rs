//! Seed files: `seeds/*.sql`, then `seeds/<env>/*.sql`, each in file-name order.

use crate::driver::Driver;
use crate::error::{Error, Result};
use crate::events::Event;
use crate::history::Operation;
use crate::migration::Script;
use crate::migrator::Observer;
use crate::stop::Stop;
use crate::strategy::execution_error;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A seed file to run.
#[derive(Debug, Clone)]
pub struct SeedFile {
    /// The file's path: the seeds folder joined with its name, as messages show it.
    pub path: PathBuf,
    /// The file's text as read (UTF-8).
    pub text: String,
}

/// Reads the seed files for `env`: the shared ones first, then the environment's own folder.
pub fn seed_files(dir: &Path, env: &str) -> Result<Vec<SeedFile>> {
    let mut out = read_sql_files(dir)?;
    out.extend(read_sql_files(&dir.join(env))?);
    Ok(out)
}

fn read_sql_files(dir: &Path) -> Result<Vec<SeedFile>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(Error::Io {
                path: dir.to_path_buf(),
                source,
            })
        }
    };
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "sql") {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            let text = String::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
                path: path.clone(),
                offset: e.utf8_error().valid_up_to(),
            })?;
            Ok(SeedFile {
                text: crate::checksum::normalize(&text).into_owned(),
                path,
            })
        })
        .collect()
}

/// Runs seed files in order (the caller holds the migration lock): each in one transaction where
/// the engine has transactional DDL, statement by statement otherwise. Returns the files run.
pub(crate) async fn run_seeds<D: Driver>(
    db: &mut D,
    files: &[SeedFile],
    stop: &Stop,
    observe: Observer<'_>,
) -> Result<Vec<String>> {
    let engine = db.engine();
    let mut done: Vec<String> = Vec::new();
    for f in files {
        let label = f.path.display().to_string();
        if let Some(signal) = stop.requested() {
            return Err(Error::Interrupted {
                signal,
                summary: format!(
                    "ran {} seed file(s){}; not started: {label} and the files after it. Run `strata seed` again (seed files are safe to re-run).",
                    done.len(),
                    if done.is_empty() { String::new() } else { format!(" ({})", done.join(", ")) }
                ),
            });
        }
        let script = Script {
            file: label.clone(),
            checksum: crate::Checksum::of_text(&f.text),
            text: f.text.clone(),
            directives: Default::default(),
        };
        let statements = script.statements(engine);
        let started = Instant::now();
        if engine.transactional_ddl() {
            db.begin()
                .await
                .map_err(Error::db(format!("cannot start a transaction for {label}")))?;
            if let Err(e) = db.execute(&script.text).await {
                let _ = db.rollback().await;
                return Err(seed_error(execution_error(&script, &statements, None, e)));
            }
            db.commit()
                .await
                .map_err(|e| execution_error(&script, &statements, None, e))?;
        } else {
            for (i, s) in statements.iter().enumerate() {
                db.execute(&s.sql)
                    .await
                    .map_err(|e| seed_error(execution_error(&script, &statements, Some(i), e)))?;
            }
        }
        observe(Event::Finished {
            label: label.clone(),
            operation: Operation::Apply,
            elapsed: started.elapsed(),
        });
        done.push(label);
    }
    Ok(done)
}

/// A failed seed statement: seeds are not versioned, so the hint says to fix and re-run.
fn seed_error(mut e: Error) -> Error {
    if let Error::Execution { hint, .. } = &mut e {
        *hint = "Seeds are not versioned: fix the file and run `strata seed` again (seed files must be safe to re-run).".to_string();
    }
    e
}
