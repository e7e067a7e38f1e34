//! What a run will do: the scripts `apply` or `rollback` runs, in order, each with its resume point,
//! after refusing histories they cannot run on (modified, missing, dirty, out of order).

use crate::checksum::progress_hash;
use crate::driver::Driver;
use crate::error::{Error, Result};
use crate::history::{HistoryRow, Operation};
use crate::migration::{Script, Version};
use crate::migrator::{Migrator, RollbackTarget, Run};
use crate::split::Statement;
use crate::status::{State, StatusReport};

impl Migrator {
    /// The migrations `apply` would run, each with the statement index it resumes at.
    pub(crate) fn apply_plan<D: Driver>(
        &self,
        db: &D,
        history: &[HistoryRow],
        to: Option<Version>,
    ) -> Result<Vec<Run<'_>>> {
        let engine = db.engine();
        let report = StatusReport::build(&self.set, Some(history), engine, Vec::new(), false);
        for s in &report.migrations {
            match s.state {
                State::Modified => return Err(self.modified(history, s.version)),
                State::Missing => {
                    return Err(Error::Missing {
                        version: s.version,
                        name: s.name.clone(),
                    })
                }
                State::RollbackFailed => {
                    let stopped = s.stopped_at.as_ref().expect("stopped");
                    return Err(Error::RollbackDirty {
                        file: stopped.file.clone(),
                        detail: describe_stop(stopped),
                    });
                }
                State::Pending if s.out_of_order && !self.options.out_of_order => {
                    return Err(Error::OutOfOrder {
                        file: s.file.clone().unwrap_or_default(),
                        last: history.iter().map(|r| r.version).max().unwrap_or_default(),
                    });
                }
                _ => {}
            }
        }
        let mut plan = Vec::new();
        for s in &report.migrations {
            let m = match s.state {
                State::Pending | State::Failed => self.set.get(s.version).expect("has a file"),
                _ => continue,
            };
            if s.state == State::Pending && to.is_some_and(|to| m.version > to) {
                continue;
            }
            let resume = if s.state == State::Failed {
                let row = history
                    .iter()
                    .find(|r| r.version == m.version)
                    .expect("row");
                resume_point(&m.up, row, engine)?
            } else {
                0
            };
            plan.push(Run {
                migration: m,
                script: &m.up,
                direction: Operation::Apply,
                resume_at: resume,
            });
        }
        Ok(plan)
    }

    /// The refusal for an applied migration whose up file changed since: both checksums.
    fn modified(&self, history: &[HistoryRow], version: Version) -> Error {
        let m = self
            .set
            .get(version)
            .expect("a modified migration has a file");
        let row = history.iter().find(|r| r.version == version);
        Error::Modified {
            file: m.up.file.clone(),
            applied: row
                .expect("a modified migration has a row")
                .checksum
                .clone(),
            current: m.up.checksum.to_string(),
        }
    }

    /// The migrations `rollback` would revert, newest first, with their down scripts and resume points.
    pub(crate) fn rollback_plan<'m, D: Driver>(
        &'m self,
        db: &D,
        history: &[HistoryRow],
        target: RollbackTarget,
    ) -> Result<Vec<Run<'m>>> {
        let engine = db.engine();
        let report = StatusReport::build(&self.set, Some(history), engine, Vec::new(), false);
        let mut candidates: Vec<(Version, usize)> = Vec::new();
        for s in report.migrations.iter().rev() {
            match s.state {
                State::Failed => {
                    let stopped = s.stopped_at.as_ref().expect("stopped");
                    return Err(Error::Dirty {
                        file: stopped.file.clone(),
                        detail: describe_stop(stopped),
                    });
                }
                State::Modified => return Err(self.modified(history, s.version)),
                State::Applied | State::Missing | State::RollbackFailed => {
                    let resume = if s.state == State::RollbackFailed {
                        s.stopped_at.as_ref().map_or(0, |st| st.statement - 1)
                    } else {
                        0
                    };
                    candidates.push((s.version, resume));
                }
                State::Pending => {}
            }
        }
        let chosen: Vec<(Version, usize)> = match target {
            RollbackTarget::Steps(n) => candidates.into_iter().take(n).collect(),
            RollbackTarget::To(v) => candidates.into_iter().filter(|(c, _)| *c > v).collect(),
        };
        let mut plan = Vec::new();
        for (version, resume) in chosen {
            let Some(m) = self.set.get(version) else {
                let name = history
                    .iter()
                    .find(|r| r.version == version)
                    .map(|r| r.name.clone())
                    .unwrap_or_default();
                return Err(Error::DownMissing {
                    label: format!("{version}_{name}"),
                    file: format!("{version}_{name}.down.sql"),
                });
            };
            let Some(down) = m.down.as_ref() else {
                return Err(Error::DownMissing {
                    label: m.label(),
                    file: format!("{}.down.sql", m.label()),
                });
            };
            if resume > 0 {
                let row = history.iter().find(|r| r.version == version).expect("row");
                let statements = down.statements(engine);
                check_prefix(down, &statements, row)?;
            }
            plan.push(Run {
                migration: m,
                script: down,
                direction: Operation::Rollback,
                resume_at: resume,
            });
        }
        Ok(plan)
    }
}

/// Where a half-applied script continues, after proving the statements already run are unchanged.
pub(crate) fn resume_point(
    script: &Script,
    row: &HistoryRow,
    engine: strata_schema::Engine,
) -> Result<usize> {
    let statements = script.statements(engine);
    check_prefix(script, &statements, row)?;
    Ok(row.statements_applied as usize)
}

pub(crate) fn check_prefix(
    script: &Script,
    statements: &[Statement],
    row: &HistoryRow,
) -> Result<()> {
    let done = row.statements_applied as usize;
    if done > statements.len() {
        return Err(Error::ResumeMismatch {
            file: script.file.clone(),
            statement: statements.len() + 1,
        });
    }
    let hash = progress_hash(statements[..done].iter().map(|s| s.sql.as_str()));
    if hash.as_str() != row.progress_hash {
        // Name the first statement that differs, so the user knows what to restore.
        let statement = (0..done)
            .find(|&k| {
                progress_hash(statements[..=k].iter().map(|s| s.sql.as_str())).as_str()
                    != row.progress_hash
            })
            .map_or(1, |k| k + 1);
        return Err(Error::ResumeMismatch {
            file: script.file.clone(),
            statement,
        });
    }
    Ok(())
}

pub(crate) fn describe_stop(stopped: &crate::status::StoppedAt) -> String {
    let at = match stopped.line {
        Some(line) => format!("statement {} (line {line})", stopped.statement),
        None => format!("statement {}", stopped.statement),
    };
    match &stopped.error {
        Some(e) => format!("stopped at {at}: {e}"),
        None => format!("stopped at {at}"),
    }
}
