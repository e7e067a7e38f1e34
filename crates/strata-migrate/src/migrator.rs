//! The migration algorithm, written once for every engine: lock → ensure history → read history
//! (after the lock) → validate → apply or roll back → unlock.

use crate::checksum::progress_hash;
use crate::driver::Driver;
use crate::error::{DriverError, Error, Result, Transient};
use crate::history::{applied_by, HistoryRow, Operation};
use crate::migration::{Migration, Script, Version};
use crate::source::MigrationSet;
use crate::split::Statement;
use crate::status::{State, StatusReport};
use crate::stop::Stop;
use chrono::Utc;
use serde::Serialize;
use std::time::{Duration, Instant};

/// Settings of a migrator run.
#[derive(Debug, Clone)]
pub struct Options {
    /// How long to wait for another migrator to release the lock.
    pub lock_timeout: Duration,
    /// How often a waiter checks the lock again.
    pub lock_poll: Duration,
    /// Apply pending migrations older than the newest applied one instead of refusing.
    pub out_of_order: bool,
    /// Compare the row counts of the tables a migration's `-- strata:keep-rows` names before and
    /// after it, and undo the migration on a difference (off only with `--skip-row-guard`).
    pub row_guard: bool,
    /// Set by Ctrl-C / SIGTERM: the run cancels the running statement, rolls its transaction back
    /// (or records how far a non-transactional file got) and starts nothing more.
    pub stop: Stop,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lock_timeout: Duration::from_secs(60),
            lock_poll: Duration::from_millis(100),
            out_of_order: false,
            row_guard: true,
            stop: Stop::new(),
        }
    }
}

/// Something a long run reports while it works (progress bars, log lines).
#[derive(Debug, Clone)]
pub enum Event {
    /// Another process holds the lock; emitted when waiting starts and when the holder changes.
    WaitingForLock { holder: Option<String> },
    /// The migrations about to run, in order.
    Plan { labels: Vec<String> },
    /// A migration starts; `resume_at` > 0 when it continues a half-applied run.
    Started {
        label: String,
        operation: Operation,
        resume_at: usize,
        statements: usize,
    },
    /// A statement of a non-transactional script completed.
    Statement {
        label: String,
        done: usize,
        total: usize,
    },
    /// A migration completed.
    Finished {
        label: String,
        operation: Operation,
        elapsed: Duration,
    },
}

/// One migration run (or, in a dry run, that would run).
#[derive(Debug, Clone, Serialize)]
pub struct RunEntry {
    pub version: Version,
    pub name: String,
    pub file: String,
    pub execution_ms: u64,
    /// The statement it resumed at (1-based), if it continued a half-applied run.
    pub resumed_at: Option<usize>,
    /// In a dry run, the SQL that would run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
}

/// The result of `apply` or `rollback`.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub dry_run: bool,
    pub migrations: Vec<RunEntry>,
}

/// How far `rollback` goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RollbackTarget {
    /// The last N applied migrations.
    Steps(usize),
    /// Every migration newer than this version (the version itself stays applied).
    To(Version),
}

/// Runs a [`MigrationSet`] against databases.
pub struct Migrator {
    pub set: MigrationSet,
    pub options: Options,
}

type Observer<'a> = &'a mut dyn FnMut(Event);

/// What `execute` does: `apply` up to a version, or `rollback` to a target.
#[derive(Clone, Copy)]
enum Target {
    Apply(Option<Version>),
    Rollback(RollbackTarget),
}

impl Target {
    /// The version the target names, which must exist in the set.
    fn version(self) -> Option<Version> {
        match self {
            Target::Apply(to) => to,
            Target::Rollback(RollbackTarget::To(v)) => Some(v),
            Target::Rollback(RollbackTarget::Steps(_)) => None,
        }
    }
}

/// One script of a plan: the migration, the file that runs (up or down), the direction and the
/// statement index it starts at (> 0 when it continues a half-applied run).
#[derive(Clone, Copy)]
struct Run<'m> {
    migration: &'m Migration,
    script: &'m Script,
    direction: Operation,
    resume_at: usize,
}

impl Run<'_> {
    /// The report entry of this run.
    fn entry(&self, execution_ms: u64, sql: Option<String>) -> RunEntry {
        RunEntry {
            version: self.migration.version,
            name: self.migration.name.clone(),
            file: self.script.file.clone(),
            execution_ms,
            resumed_at: (self.resume_at > 0).then_some(self.resume_at + 1),
            sql,
        }
    }

    /// The report entry of a dry run: the SQL that would run from the resume point on.
    fn dry_entry(&self, engine: strata_schema::Engine) -> RunEntry {
        let sql = if self.resume_at == 0 {
            self.script.text.clone()
        } else {
            join_statements(&self.script.statements(engine)[self.resume_at..])
        };
        self.entry(0, Some(sql))
    }
}

impl Migrator {
    /// A migrator with default options.
    pub fn new(set: MigrationSet) -> Migrator {
        Migrator {
            set,
            options: Options::default(),
        }
    }

    /// The status of every migration in `db`; reads only, takes no lock, creates nothing.
    pub async fn status<D: Driver>(&self, db: &mut D) -> Result<StatusReport> {
        let history = db
            .read_history()
            .await
            .map_err(Error::db("cannot read the history table"))?;
        Ok(self.report(db, history.as_deref()))
    }

    fn report<D: Driver>(&self, db: &D, history: Option<&[HistoryRow]>) -> StatusReport {
        let (problems, missing) = match self.set.sum_problems() {
            Ok(p) => (p, false),
            Err(_) => (Vec::new(), true),
        };
        StatusReport::build(&self.set, history, db.engine(), problems, missing)
    }

    /// Applies pending migrations up to and including `to` (all when `None`).
    ///
    /// A dry run reads the history, takes no lock, changes nothing and returns the SQL it would run.
    pub async fn apply<D: Driver>(
        &self,
        db: &mut D,
        to: Option<Version>,
        dry_run: bool,
        observe: Observer<'_>,
    ) -> Result<RunReport> {
        self.execute(db, Target::Apply(to), dry_run, observe).await
    }

    /// Rolls back applied migrations, newest first, running their down files.
    pub async fn rollback<D: Driver>(
        &self,
        db: &mut D,
        target: RollbackTarget,
        dry_run: bool,
        observe: Observer<'_>,
    ) -> Result<RunReport> {
        self.execute(db, Target::Rollback(target), dry_run, observe)
            .await
    }

    /// The one algorithm behind `apply` and `rollback`: verify → plan → (dry run: report the SQL)
    /// or lock → plan again under the lock → run each script → unlock.
    async fn execute<D: Driver>(
        &self,
        db: &mut D,
        target: Target,
        dry_run: bool,
        observe: Observer<'_>,
    ) -> Result<RunReport> {
        self.set.verify_sum()?;
        if let Some(v) = target.version() {
            if self.set.get(v).is_none() {
                return Err(Error::UnknownVersion { version: v });
            }
        }
        if dry_run {
            let history = db
                .read_history()
                .await
                .map_err(Error::db("cannot read the history table"))?
                .unwrap_or_default();
            let plan = self.plan(db, &history, target)?;
            let migrations = plan.iter().map(|run| run.dry_entry(db.engine())).collect();
            return Ok(RunReport {
                dry_run: true,
                migrations,
            });
        }
        self.enter(db, observe).await?;
        let result = self.execute_locked(db, target, observe).await;
        self.leave(db, result).await
    }

    async fn execute_locked<D: Driver>(
        &self,
        db: &mut D,
        target: Target,
        observe: Observer<'_>,
    ) -> Result<RunReport> {
        let history = read_history(db).await?;
        let plan = self.plan(db, &history, target)?;
        let labels: Vec<String> = plan.iter().map(|run| run.migration.label()).collect();
        observe(Event::Plan {
            labels: labels.clone(),
        });
        let mut done: Vec<RunEntry> = Vec::new();
        for (i, run) in plan.into_iter().enumerate() {
            let started = Instant::now();
            let ran = match self.stopped() {
                Ok(()) => self.run_script(db, &run, observe).await,
                Err(e) => Err(e),
            };
            if let Err(e) = ran {
                return Err(interrupted(e, run.direction, &done, &labels[i..]));
            }
            done.push(run.entry(started.elapsed().as_millis() as u64, None));
        }
        Ok(RunReport {
            dry_run: false,
            migrations: done,
        })
    }

    /// The scripts `target` runs, in order.
    fn plan<'m, D: Driver>(
        &'m self,
        db: &D,
        history: &[HistoryRow],
        target: Target,
    ) -> Result<Vec<Run<'m>>> {
        match target {
            Target::Apply(to) => self.apply_plan(db, history, to),
            Target::Rollback(target) => self.rollback_plan(db, history, target),
        }
    }

    /// Runs seed files under the migration lock: each file in one transaction where the engine
    /// allows it, statement by statement otherwise. Returns the files run.
    pub async fn seed<D: Driver>(
        &self,
        db: &mut D,
        files: &[crate::seed::SeedFile],
        observe: Observer<'_>,
    ) -> Result<Vec<String>> {
        self.enter(db, observe).await?;
        let result = Self::seed_locked(db, files, &self.options.stop, observe).await;
        self.leave(db, result).await
    }

    async fn seed_locked<D: Driver>(
        db: &mut D,
        files: &[crate::seed::SeedFile],
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
                    db.execute(&s.sql).await.map_err(|e| {
                        seed_error(execution_error(&script, &statements, Some(i), e))
                    })?;
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

    /// Records migration `version` as applied without running it (a baseline of an existing
    /// database). Refuses when it is already recorded.
    pub async fn mark_applied<D: Driver>(
        &self,
        db: &mut D,
        version: Version,
        observe: Observer<'_>,
    ) -> Result<()> {
        self.set.verify_sum()?;
        let m = self
            .set
            .get(version)
            .ok_or(Error::UnknownVersion { version })?;
        self.enter(db, observe).await?;
        let result = async {
            let history = read_history(db).await?;
            if history.iter().any(|r| r.version == version) {
                return Ok(());
            }
            let statements = m.up.statements(db.engine());
            let row = HistoryRow {
                version: m.version,
                name: m.name.clone(),
                checksum: m.up.checksum.to_string(),
                applied_at: Utc::now(),
                execution_ms: 0,
                applied_by: applied_by(),
                statements_applied: statements.len() as i64,
                statements_total: statements.len() as i64,
                progress_hash: progress_hash(statements.iter().map(|s| s.sql.as_str())).to_string(),
                success: true,
                operation: Operation::Apply,
                error: None,
            };
            db.write_history(&row)
                .await
                .map_err(Error::db("cannot record the baseline"))
        }
        .await;
        self.leave(db, result).await
    }

    /// Takes the migration lock and makes sure the history table exists.
    async fn enter<D: Driver>(&self, db: &mut D, observe: Observer<'_>) -> Result<()> {
        self.acquire_lock(db, observe).await?;
        if let Err(e) = db.ensure_history().await {
            let _ = db.unlock().await;
            return Err(Error::Database {
                context: "cannot create the history table".into(),
                source: e,
            });
        }
        // From here on a stop request cancels whatever statement this session runs.
        match db.interrupter().await {
            Ok(i) => self.options.stop.arm(Some(i)),
            Err(e) => {
                let _ = db.unlock().await;
                return Err(Error::Database {
                    context: "cannot prepare the session for Ctrl-C".into(),
                    source: e,
                });
            }
        }
        Ok(())
    }

    /// Releases the lock whatever the work returned; the work's error wins.
    async fn leave<D: Driver, T>(&self, db: &mut D, result: Result<T>) -> Result<T> {
        self.options.stop.arm(None);
        let unlocked = db.unlock().await;
        match (result, unlocked) {
            (Ok(v), Ok(())) => Ok(v),
            (Ok(_), Err(e)) => Err(Error::Database {
                context: "cannot release the migration lock".into(),
                source: e,
            }),
            (Err(e), _) => Err(e),
        }
    }

    async fn acquire_lock<D: Driver>(&self, db: &mut D, observe: Observer<'_>) -> Result<()> {
        let started = Instant::now();
        let mut last_holder: Option<Option<String>> = None;
        loop {
            if let Some(signal) = self.options.stop.requested() {
                return Err(Error::Interrupted {
                    signal,
                    summary: "stopped while waiting for the migration lock; nothing was run".into(),
                });
            }
            if db
                .try_lock()
                .await
                .map_err(Error::db("cannot take the migration lock"))?
            {
                return Ok(());
            }
            let holder = db.lock_holder().await.ok().flatten();
            if last_holder.as_ref() != Some(&holder) {
                observe(Event::WaitingForLock {
                    holder: holder.clone(),
                });
                last_holder = Some(holder.clone());
            }
            if started.elapsed() >= self.options.lock_timeout {
                return Err(Error::LockTimeout {
                    waited_secs: started.elapsed().as_secs(),
                    holder,
                });
            }
            tokio::time::sleep(self.options.lock_poll).await;
        }
    }

    /// The migrations `apply` would run, each with the statement index it resumes at.
    fn apply_plan<D: Driver>(
        &self,
        db: &D,
        history: &[HistoryRow],
        to: Option<Version>,
    ) -> Result<Vec<Run<'_>>> {
        let engine = db.engine();
        let report = StatusReport::build(&self.set, Some(history), engine, Vec::new(), false);
        for s in &report.migrations {
            match s.state {
                State::Modified => {
                    let m = self.set.get(s.version).expect("modified has a file");
                    let row = history
                        .iter()
                        .find(|r| r.version == s.version)
                        .expect("row");
                    return Err(Error::Modified {
                        file: m.up.file.clone(),
                        applied: row.checksum.clone(),
                        current: m.up.checksum.to_string(),
                    });
                }
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

    /// The migrations `rollback` would revert, newest first, with their down scripts and resume points.
    fn rollback_plan<'m, D: Driver>(
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
                State::Modified => {
                    let m = self.set.get(s.version).expect("file");
                    let row = history
                        .iter()
                        .find(|r| r.version == s.version)
                        .expect("row");
                    return Err(Error::Modified {
                        file: m.up.file.clone(),
                        applied: row.checksum.clone(),
                        current: m.up.checksum.to_string(),
                    });
                }
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

    /// An interruption (with the summary still to write) once a stop has been requested.
    fn stopped(&self) -> Result<()> {
        match self.options.stop.requested() {
            Some(signal) => Err(Error::Interrupted {
                signal,
                summary: String::new(),
            }),
            None => Ok(()),
        }
    }

    /// Runs one script in a transaction, or statement by statement with recorded progress.
    async fn run_script<D: Driver>(
        &self,
        db: &mut D,
        run: &Run<'_>,
        observe: Observer<'_>,
    ) -> Result<()> {
        let Run {
            migration: m,
            script,
            direction: operation,
            resume_at: resume,
        } = *run;
        let engine = db.engine();
        let statements = script.statements(engine);
        let label = m.label();
        observe(Event::Started {
            label: label.clone(),
            operation,
            resume_at: resume,
            statements: statements.len(),
        });
        let started = Instant::now();
        let mut row = HistoryRow {
            version: m.version,
            name: m.name.clone(),
            checksum: m.up.checksum.to_string(),
            applied_at: Utc::now(),
            execution_ms: 0,
            applied_by: applied_by(),
            statements_applied: statements.len() as i64,
            statements_total: statements.len() as i64,
            progress_hash: String::new(),
            success: true,
            operation: Operation::Apply,
            error: None,
        };
        let lock_timeout = script.directives.lock_timeout;
        if script.transactional(engine) {
            let ctx = |what: &str| format!("{what} for {}", script.file);
            let fk_off = script.directives.foreign_keys_off;
            if fk_off {
                db.set_foreign_keys(false)
                    .await
                    .map_err(Error::db(ctx("cannot switch foreign keys off")))?;
            }
            let guard = self.options.row_guard;
            let result = run_transaction(
                db,
                Txn {
                    m,
                    script,
                    operation,
                    statements: &statements,
                    guard,
                    stop: &self.options.stop,
                },
                &mut row,
                started,
            )
            .await;
            if fk_off {
                let restored = db.set_foreign_keys(true).await;
                result?;
                restored.map_err(Error::db(ctx("cannot switch foreign keys back on")))?;
            } else {
                result?;
            }
        } else {
            let ctx = |what: &str| format!("{what} for {}", script.file);
            row.success = false;
            row.operation = operation;
            row.statements_applied = resume as i64;
            row.progress_hash =
                progress_hash(statements[..resume].iter().map(|s| s.sql.as_str())).to_string();
            db.write_history(&row)
                .await
                .map_err(Error::db(ctx("cannot record progress")))?;
            if lock_timeout.is_some() {
                db.set_lock_timeout(lock_timeout, false)
                    .await
                    .map_err(Error::db(ctx("cannot set the lock timeout")))?;
            }
            // A resumed run cannot know the counts from before its first part: no guard then.
            let guard = self.options.row_guard && resume == 0;
            let counts_before = if guard {
                Some(kept_counts(db, script, false).await?)
            } else {
                None
            };
            let fk_off = script.directives.foreign_keys_off;
            if fk_off {
                db.set_foreign_keys(false)
                    .await
                    .map_err(Error::db(ctx("cannot switch foreign keys off")))?;
            }
            let ran = run_statements(
                db,
                Steps {
                    script,
                    label: &label,
                    operation,
                    statements: &statements,
                    resume,
                    stop: &self.options.stop,
                },
                &mut row,
                started,
                observe,
            )
            .await;
            if ran.is_err() && lock_timeout.is_some() {
                // Best effort: the failure itself is what the user must see.
                let _ = db.set_lock_timeout(None, false).await;
            }
            if fk_off {
                let restored = db.set_foreign_keys(true).await;
                ran?;
                restored.map_err(Error::db(ctx("cannot switch foreign keys back on")))?;
            } else {
                ran?;
            }
            if lock_timeout.is_some() {
                db.set_lock_timeout(None, false)
                    .await
                    .map_err(Error::db(ctx("cannot reset the lock timeout")))?;
            }
            // Outside a transaction nothing can be undone: a lost row or a broken key is
            // recorded as a failure of this migration, and the message says what happened.
            let mut problem = None;
            if let Some(before) = counts_before {
                let after = kept_counts(db, script, true).await?;
                problem = lost_rows(script, &before, &after);
            }
            if problem.is_none() && fk_off {
                problem = broken_keys(db, script).await?;
            }
            if let Some(message) = problem {
                row.error = Some(message.clone());
                row.execution_ms = started.elapsed().as_millis() as i64;
                let _ = db.write_history(&row).await;
                return Err(Error::Execution {
                    file: script.file.clone(),
                    line: 1,
                    message,
                    hint: "Its statements ran outside a transaction and stay applied; the migration is recorded as failed. Restore the rows from a backup or repair them by hand, then remove its row from the history table.".into(),
                    transient: None,
                });
            }
            match operation {
                Operation::Apply => {
                    row.success = true;
                    row.error = None;
                    row.execution_ms = started.elapsed().as_millis() as i64;
                    db.write_history(&row)
                        .await
                        .map_err(Error::db(ctx("cannot record the migration")))?;
                }
                Operation::Rollback => db
                    .delete_history(m.version)
                    .await
                    .map_err(Error::db(ctx("cannot remove the history row")))?,
            }
        }
        observe(Event::Finished {
            label,
            operation,
            elapsed: started.elapsed(),
        });
        Ok(())
    }
}

/// What [`run_statements`] runs: a non-transactional script from statement `resume` on.
struct Steps<'a> {
    script: &'a Script,
    label: &'a str,
    operation: Operation,
    statements: &'a [Statement],
    resume: usize,
    stop: &'a Stop,
}

/// The statements of a non-transactional script from `resume` on, each followed by its
/// progress in the history row; a failure records where it stopped, and so does a stop request
/// (before the next statement, or cancelling the running one).
async fn run_statements<D: Driver>(
    db: &mut D,
    steps: Steps<'_>,
    row: &mut HistoryRow,
    started: Instant,
    observe: Observer<'_>,
) -> Result<()> {
    let Steps {
        script,
        label,
        operation,
        statements,
        resume,
        stop,
    } = steps;
    let ctx = |what: &str| format!("{what} for {}", script.file);
    let command = match operation {
        Operation::Apply => "strata apply",
        Operation::Rollback => "strata rollback",
    };
    let n = statements.len();
    for (i, statement) in statements.iter().enumerate().skip(resume) {
        if let Some(signal) = stop.requested() {
            return Err(Error::Interrupted {
                signal,
                summary: format!(
                    "stopped {label} before statement {} of {n}: {} (`{command}` resumes at statement {})",
                    i + 1,
                    ran_before(i),
                    i + 1
                ),
            });
        }
        if let Err(e) = db.execute(&statement.sql).await {
            row.error = Some(e.message.clone());
            if let Some(signal) = stop.requested() {
                row.execution_ms = started.elapsed().as_millis() as i64;
                let _ = db.write_history(row).await;
                return Err(Error::Interrupted {
                    signal,
                    summary: format!(
                        "cancelled statement {} of {n} of {label}: {}; the file is fine (`{command}` resumes at statement {})",
                        i + 1,
                        ran_before(i),
                        i + 1
                    ),
                });
            }
            let transient = e.transient;
            let mut err = execution_error(script, statements, Some(i), e);
            if let Error::Execution { hint, .. } = &mut err {
                *hint = match (operation, transient) {
                    (_, Some(_)) => format!(
                        "{} The file is fine: run `{command}` again when the server answers; it resumes at statement {}.",
                        capitalized(&ran_before(i)),
                        i + 1
                    ),
                    (Operation::Apply, None) => format!(
                        "Statements 1-{i} of this file stay applied (it runs outside a transaction). Fix statement {}, run `strata validate --rehash`, then `strata apply` resumes at it.",
                        i + 1
                    ),
                    (Operation::Rollback, None) => format!(
                        "Statements 1-{i} of this down file ran. Fix statement {}, run `strata validate --rehash`, then `strata rollback` resumes at it.",
                        i + 1
                    ),
                };
            }
            row.execution_ms = started.elapsed().as_millis() as i64;
            // Best effort: the failure itself is what the user must see.
            let _ = db.write_history(row).await;
            return Err(err);
        }
        row.statements_applied = (i + 1) as i64;
        row.progress_hash =
            progress_hash(statements[..=i].iter().map(|s| s.sql.as_str())).to_string();
        db.write_history(row)
            .await
            .map_err(Error::db(ctx("cannot record progress")))?;
        observe(Event::Statement {
            label: label.to_string(),
            done: i + 1,
            total: statements.len(),
        });
    }
    Ok(())
}

/// What [`run_transaction`] runs: one script of a migration, in one direction.
struct Txn<'a> {
    m: &'a Migration,
    script: &'a Script,
    operation: Operation,
    statements: &'a [Statement],
    /// Whether the row counts of the script's `keep-rows` tables are compared.
    guard: bool,
    stop: &'a Stop,
}

/// Runs a transactional script and its history change in one transaction; with foreign keys
/// switched off, checks them before committing; with kept tables, compares their row counts
/// before committing.
async fn run_transaction<D: Driver>(
    db: &mut D,
    txn: Txn<'_>,
    row: &mut HistoryRow,
    started: Instant,
) -> Result<()> {
    let Txn {
        m,
        script,
        operation,
        statements,
        guard,
        stop,
    } = txn;
    let label = m.label();
    // A stop request cancels the statement; whatever it did, the transaction is rolled back.
    let undone = |signal: i32| Error::Interrupted {
        signal,
        summary: match operation {
            Operation::Apply => {
                format!("rolled back {label}: its transaction was undone, nothing of it is applied")
            }
            Operation::Rollback => format!(
                "stopped the rollback of {label}: its transaction was undone, it stays applied"
            ),
        },
    };
    let ctx = |what: &str| format!("{what} for {}", script.file);
    let lock_timeout = script.directives.lock_timeout;
    let guard = guard && !script.directives.keep_rows.is_empty();
    // The common case — no lock timeout to set and no counts to take first — starts the
    // transaction and sends the script in one round trip.
    let combined = lock_timeout.is_none() && !guard && !statements.is_empty();
    if !combined {
        db.begin()
            .await
            .map_err(Error::db(ctx("cannot start a transaction")))?;
    }
    let outcome: Result<bool> = async {
        let counts_before = if guard {
            Some(kept_counts(db, script, false).await?)
        } else {
            None
        };
        let ran = if combined {
            db.begin_and_execute(&script.text).await
        } else {
            if lock_timeout.is_some() {
                db.set_lock_timeout(lock_timeout, true)
                    .await
                    .map_err(Error::db(ctx("cannot set the lock timeout")))?;
            }
            if statements.is_empty() {
                Ok(())
            } else {
                db.execute(&script.text).await
            }
        };
        if let Some(signal) = stop.requested() {
            return Err(undone(signal));
        }
        ran.map_err(|e| execution_error(script, statements, None, e))?;
        if script.directives.foreign_keys_off {
            if let Some(message) = broken_keys(db, script).await? {
                return Err(Error::Execution {
                    file: script.file.clone(),
                    line: 1,
                    message,
                    hint: "The transaction was rolled back. Fix the data or the migration, then retry.".into(),
                    transient: None,
                });
            }
        }
        if let Some(before) = counts_before {
            let after = kept_counts(db, script, true).await?;
            if let Some(message) = lost_rows(script, &before, &after) {
                return Err(Error::Execution {
                    file: script.file.clone(),
                    line: 1,
                    message,
                    hint: "The transaction was rolled back: nothing of this file was applied and every row is where it was. Fix the migration (a planned rebuild must copy every row), then retry; `--skip-row-guard` turns this check off.".into(),
                    transient: None,
                });
            }
        }
        if let Some(signal) = stop.requested() {
            return Err(undone(signal));
        }
        match operation {
            Operation::Apply => {
                row.progress_hash =
                    progress_hash(statements.iter().map(|s| s.sql.as_str())).to_string();
                row.execution_ms = started.elapsed().as_millis() as i64;
                // The history row and the commit travel together where the engine allows.
                db.write_history_and_commit(row)
                    .await
                    .map_err(|e| commit_error(script, statements, operation, e))?;
                Ok(true)
            }
            Operation::Rollback => {
                db.delete_history(m.version)
                    .await
                    .map_err(Error::db(ctx("cannot remove the history row")))?;
                Ok(false)
            }
        }
    }
    .await;
    match outcome {
        Ok(true) => Ok(()),
        Ok(false) => db
            .commit()
            .await
            .map_err(|e| commit_error(script, statements, operation, e)),
        Err(e) => {
            // The connection may be gone; the engine rolls back on its own then.
            let _ = db.rollback().await;
            Err(e)
        }
    }
}

/// What the foreign-key check after a `foreign-keys-off` script found: the rows that reference
/// nothing, or `None` when every key holds.
async fn broken_keys<D: Driver>(db: &mut D, script: &Script) -> Result<Option<String>> {
    let violations = db
        .foreign_key_violations()
        .await
        .map_err(Error::db(format!(
            "cannot check foreign keys for {}",
            script.file
        )))?;
    Ok((!violations.is_empty()).then(|| {
        format!(
            "rows violate foreign keys after the migration: {}",
            violations.join("; ")
        )
    }))
}

/// The row counts of the tables `-- strata:keep-rows` names in `script`, by their names before
/// the script runs or after it (`None` for a table that does not exist).
async fn kept_counts<D: Driver>(
    db: &mut D,
    script: &Script,
    after: bool,
) -> Result<Vec<Option<i64>>> {
    let mut out = Vec::with_capacity(script.directives.keep_rows.len());
    for kept in &script.directives.keep_rows {
        let table = if after { &kept.after } else { &kept.before };
        let n = db.count_rows(table).await.map_err(Error::db(format!(
            "cannot count the rows of {table} for {}",
            script.file
        )))?;
        out.push(n);
    }
    Ok(out)
}

/// What the data-survival guard found: the first kept table whose row count changed, with both
/// counts, or that is gone.
fn lost_rows(script: &Script, before: &[Option<i64>], after: &[Option<i64>]) -> Option<String> {
    let kept = &script.directives.keep_rows;
    for ((k, b), a) in kept.iter().zip(before).zip(after) {
        let Some(b) = b else {
            // A table the migration creates has no count to keep.
            continue;
        };
        let name = if k.before == k.after {
            k.after.to_string()
        } else {
            format!("{} (renamed to {})", k.before, k.after)
        };
        match a {
            None => {
                return Some(format!(
                    "data-survival guard: table {name} held {b} row(s) and is gone after the migration, which does not drop it"
                ))
            }
            Some(a) if a != b => {
                return Some(format!(
                    "data-survival guard: table {name} held {b} row(s) before the migration and {a} after it"
                ))
            }
            Some(_) => {}
        }
    }
    None
}

/// What ran of a non-transactional file before statement `i + 1`.
fn ran_before(i: usize) -> String {
    match i {
        0 => "none of its statements ran".into(),
        1 => "statement 1 ran and is recorded".into(),
        i => format!("statements 1-{i} ran and are recorded"),
    }
}

/// Completes an interruption's summary with what the run did before it and what it did not
/// start; any other error is returned as it is.
fn interrupted(e: Error, operation: Operation, done: &[RunEntry], rest: &[String]) -> Error {
    let Error::Interrupted { signal, summary } = e else {
        return e;
    };
    let (verb, next) = match operation {
        Operation::Apply => ("applied", "Run `strata apply` to apply the rest"),
        Operation::Rollback => ("rolled back", "Run `strata rollback` again to go on"),
    };
    let mut parts = Vec::new();
    if !done.is_empty() {
        let labels: Vec<String> = done
            .iter()
            .map(|d| format!("{}_{}", d.version, d.name))
            .collect();
        parts.push(format!("{verb} {}", labels.join(", ")));
    }
    // An empty summary: the stop came before the first of `rest` started.
    let not_started = if summary.is_empty() {
        rest
    } else {
        parts.push(summary);
        rest.get(1..).unwrap_or_default()
    };
    if !not_started.is_empty() {
        parts.push(format!("not started: {}", not_started.join(", ")));
    }
    if parts.is_empty() {
        parts.push("nothing was run".into());
    }
    Error::Interrupted {
        signal,
        summary: format!(
            "{}. The migration lock is released. {next}.",
            parts.join("; ")
        ),
    }
}

async fn read_history<D: Driver>(db: &mut D) -> Result<Vec<HistoryRow>> {
    Ok(db
        .read_history()
        .await
        .map_err(Error::db("cannot read the history table"))?
        .unwrap_or_default())
}

/// Where a half-applied script continues, after proving the statements already run are unchanged.
fn resume_point(script: &Script, row: &HistoryRow, engine: strata_schema::Engine) -> Result<usize> {
    let statements = script.statements(engine);
    check_prefix(script, &statements, row)?;
    Ok(row.statements_applied as usize)
}

fn check_prefix(script: &Script, statements: &[Statement], row: &HistoryRow) -> Result<()> {
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

fn describe_stop(stopped: &crate::status::StoppedAt) -> String {
    let at = match stopped.line {
        Some(line) => format!("statement {} (line {line})", stopped.statement),
        None => format!("statement {}", stopped.statement),
    };
    match &stopped.error {
        Some(e) => format!("stopped at {at}: {e}"),
        None => format!("stopped at {at}"),
    }
}

fn join_statements(statements: &[Statement]) -> String {
    let mut out = String::new();
    for s in statements {
        out.push_str(&s.sql);
        out.push_str(";\n");
    }
    out
}

fn seed_error(mut e: Error) -> Error {
    if let Error::Execution { hint, .. } = &mut e {
        *hint = "Seeds are not versioned: fix the file and run `strata seed` again (seed files must be safe to re-run).".to_string();
    }
    e
}

/// A failed COMMIT: when the connection went down with it, the server may have committed or not,
/// and only the history can tell.
fn commit_error(
    script: &Script,
    statements: &[Statement],
    operation: Operation,
    e: DriverError,
) -> Error {
    let transient = e.transient;
    let mut err = execution_error(script, statements, None, e);
    if let (
        Error::Execution { hint, .. },
        Some(Transient::ConnectionLost | Transient::ServerShutdown),
    ) = (&mut err, transient)
    {
        let command = match operation {
            Operation::Apply => "strata apply",
            Operation::Rollback => "strata rollback",
        };
        *hint = format!("The connection went down during COMMIT: the server may or may not have committed this file. The file is fine: run `strata status` — if it shows the migration as you wanted it, nothing more is needed; otherwise run `{command}` again.");
    }
    err
}

fn capitalized(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Locates a failed statement: the given index, or the engine's error position in the whole script.
fn execution_error(
    script: &Script,
    statements: &[Statement],
    index: Option<usize>,
    e: DriverError,
) -> Error {
    let line = match (index, e.position) {
        (Some(i), Some(pos)) => {
            statements[i].line
                + statements[i].sql[..pos.min(statements[i].sql.len())]
                    .matches('\n')
                    .count()
        }
        (Some(i), None) => statements[i].line,
        (None, Some(pos)) => {
            let pos = pos.min(script.text.len());
            let pos = (0..=pos)
                .rev()
                .find(|p| script.text.is_char_boundary(*p))
                .unwrap_or(0);
            script.text[..pos].matches('\n').count() + 1
        }
        (None, None) => statements.first().map_or(1, |s| s.line),
    };
    let transient = e.transient;
    let cause = match e.transient {
        Some(t) => format!("{}: {}", t.describe(), e.message),
        None => e.message,
    };
    let message = match index {
        Some(i) => format!("statement {} failed: {cause}", i + 1),
        None => cause,
    };
    let hint = match (index, e.transient) {
        (Some(_), _) => String::new(),
        (None, Some(_)) => "The transaction was rolled back: nothing of this file was applied. The file is fine: run the same command again when the server answers.".to_string(),
        (None, None) => "The transaction was rolled back: nothing of this file was applied. Fix it, run `strata validate --rehash`, then retry.".to_string(),
    };
    Error::Execution {
        file: script.file.clone(),
        line,
        message,
        hint,
        transient,
    }
}
