//! What `strata status` reports for each migration.

use crate::history::{HistoryRow, Operation};
use crate::migration::Version;
use crate::source::MigrationSet;
use crate::sum::SumProblem;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use strata_schema::Engine;

/// The state of one migration in a target database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Applied, and the file still has the checksum it was applied with.
    Applied,
    /// Not applied yet.
    Pending,
    /// Applied, but the file changed since.
    Modified,
    /// Recorded as applied, but the file is gone.
    Missing,
    /// Stopped part-way while applying (dirty); `strata apply` resumes it.
    Failed,
    /// Stopped part-way while rolling back (dirty); `strata rollback` resumes it.
    RollbackFailed,
}

impl State {
    /// The word printed by `strata status`.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Pending => "pending",
            State::Modified => "modified",
            State::Missing => "missing",
            State::Failed => "failed",
            State::RollbackFailed => "rollback failed",
        }
    }
}

/// Where a half-applied migration stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoppedAt {
    /// The file of the statement that failed (up or down file).
    pub file: String,
    /// 1-based number of the statement that failed.
    pub statement: usize,
    /// Its line in the file, when the file still has that statement.
    pub line: Option<usize>,
    /// The error the history row recorded; `None` when it recorded none.
    pub error: Option<String>,
}

/// The status of one migration.
#[derive(Debug, Clone, Serialize)]
pub struct MigrationStatus {
    /// The migration's version.
    pub version: Version,
    /// The migration's name (the slug after the version); for a missing file, the name recorded in
    /// the history table.
    pub name: String,
    /// Applied, pending, modified, missing or stopped part-way.
    pub state: State,
    /// Pending, but older than the newest applied migration.
    pub out_of_order: bool,
    /// The up file's name; `None` when the file is missing.
    pub file: Option<String>,
    /// When it was applied (UTC); `None` when it is pending.
    pub applied_at: Option<DateTime<Utc>>,
    /// How long its script took, in milliseconds; `None` when it is pending or stopped part-way.
    pub execution_ms: Option<i64>,
    /// `user@host` of the process that applied it; `None` when it is pending.
    pub applied_by: Option<String>,
    /// Where it stopped; `None` unless it is half-applied or half rolled back.
    pub stopped_at: Option<StoppedAt>,
}

/// The status of a whole migrations folder against one database.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    /// Every migration of the folder and every one the history table records, by version.
    pub migrations: Vec<MigrationStatus>,
    /// Differences between the files and `strata.sum`.
    pub sum_problems: Vec<SumProblem>,
    /// `strata.sum` is missing although there are migration files.
    pub sum_missing: bool,
    /// Whether the history table exists.
    pub history_exists: bool,
}

impl StatusReport {
    /// Builds the report from the files and the history rows.
    pub fn build(
        set: &MigrationSet,
        history: Option<&[HistoryRow]>,
        engine: Engine,
        sum_problems: Vec<SumProblem>,
        sum_missing: bool,
    ) -> StatusReport {
        let rows: BTreeMap<Version, &HistoryRow> = history
            .unwrap_or_default()
            .iter()
            .map(|r| (r.version, r))
            .collect();
        let last_applied = rows.keys().next_back().copied();
        let mut out = Vec::new();
        for m in &set.migrations {
            let row = rows.get(&m.version).copied();
            let (state, stopped_at) = match row {
                None => (State::Pending, None),
                Some(r) if !r.success => {
                    let (state, script) = match r.operation {
                        Operation::Apply => (State::Failed, Some(&m.up)),
                        Operation::Rollback => (State::RollbackFailed, m.down.as_ref()),
                    };
                    let index = r.statements_applied as usize;
                    let line =
                        script.and_then(|s| s.statements(engine).get(index).map(|st| st.line));
                    let file = script.map_or_else(|| m.up.file.clone(), |s| s.file.clone());
                    (
                        state,
                        Some(StoppedAt {
                            file,
                            statement: index + 1,
                            line,
                            error: r.error.clone(),
                        }),
                    )
                }
                Some(r) if r.checksum != m.up.checksum.as_str() => (State::Modified, None),
                Some(_) => (State::Applied, None),
            };
            out.push(MigrationStatus {
                version: m.version,
                name: m.name.clone(),
                state,
                out_of_order: state == State::Pending
                    && last_applied.is_some_and(|l| l > m.version),
                file: Some(m.up.file.clone()),
                applied_at: row.map(|r| r.applied_at),
                execution_ms: row.filter(|r| r.success).map(|r| r.execution_ms),
                applied_by: row.map(|r| r.applied_by.clone()),
                stopped_at,
            });
        }
        for (version, r) in &rows {
            if set.get(*version).is_none() {
                out.push(MigrationStatus {
                    version: *version,
                    name: r.name.clone(),
                    state: State::Missing,
                    out_of_order: false,
                    file: None,
                    applied_at: Some(r.applied_at),
                    execution_ms: Some(r.execution_ms),
                    applied_by: Some(r.applied_by.clone()),
                    stopped_at: None,
                });
            }
        }
        out.sort_by_key(|s| s.version);
        StatusReport {
            migrations: out,
            sum_problems,
            sum_missing,
            history_exists: history.is_some(),
        }
    }

    /// Whether anything needs attention: modified, missing or half-applied migrations, or a
    /// folder that does not match `strata.sum`. Pending migrations are normal.
    pub fn has_problems(&self) -> bool {
        self.sum_missing
            || !self.sum_problems.is_empty()
            || self
                .migrations
                .iter()
                .any(|m| !matches!(m.state, State::Applied | State::Pending) || m.out_of_order)
    }

    /// Counts of each state, for summaries.
    pub fn count(&self, state: State) -> usize {
        self.migrations.iter().filter(|m| m.state == state).count()
    }
}
