//! The migration algorithm, written once for every engine: lock → ensure history → read history
//! (after the lock) → validate → apply or roll back → unlock.

use crate::checksum::progress_hash;
use crate::driver::Driver;
use crate::error::{Error, Result, Transient};
use crate::history::{HistoryRow, Operation};
use crate::migration::{Migration, Script, Version};
use crate::source::MigrationSet;
use crate::split::Statement;
use crate::status::StatusReport;
use crate::stop::Stop;
use std::time::{Duration, Instant};

pub use crate::events::{Event, RunEntry, RunReport};
use crate::strategy::{broken_keys, kept_counts, lost_rows, run_statements, run_transaction};

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
    /// The migrations folder it runs.
    pub set: MigrationSet,
    /// How runs behave: lock timeout and polling, out-of-order, the row guard and the stop handle.
    pub options: Options,
}

pub(crate) type Observer<'a> = &'a mut dyn FnMut(Event);

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
pub(crate) struct Run<'m> {
    pub(crate) migration: &'m Migration,
    pub(crate) script: &'m Script,
    pub(crate) direction: Operation,
    pub(crate) resume_at: usize,
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
        let result = crate::seed::run_seeds(db, files, &self.options.stop, observe).await;
        self.leave(db, result).await
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
            let mut row = HistoryRow::completed(m, statements.len());
            row.progress_hash =
                progress_hash(statements.iter().map(|s| s.sql.as_str())).to_string();
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
        let result = match result {
            Err(e) if e.transient() == Some(Transient::ConnectionLost) => {
                Err(self.end_lost_session(e).await)
            }
            other => other,
        };
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

    /// After the connection broke mid-run, the server may not know yet: its session would go on
    /// running the statement and holding its transaction's locks (and the migration lock) until
    /// it next writes to the socket. End that session from a new connection, and say so.
    async fn end_lost_session(&self, mut e: Error) -> Error {
        let Some(session) = self.options.stop.current() else {
            return e;
        };
        let ended =
            tokio::task::spawn_blocking(move || session.end_session(Duration::from_secs(5)))
                .await
                .unwrap_or_else(|j| Err(j.to_string()));
        let note = match ended {
            Ok(done) => format!("{done}."),
            Err(why) => format!(
                "strata {why}; until the server notices, that session may still hold its locks (PostgreSQL: pg_stat_activity, MySQL: SHOW PROCESSLIST)."
            ),
        };
        match &mut e {
            Error::Execution { hint, .. } if !hint.is_empty() => {
                hint.push(' ');
                hint.push_str(&note);
            }
            Error::Execution { hint, .. } => *hint = note,
            Error::Database { context, .. } => {
                context.push_str(" (");
                context.push_str(note.trim_end_matches('.'));
                context.push(')');
            }
            _ => {}
        }
        e
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
        let (m, script, operation) = (run.migration, run.script, run.direction);
        let engine = db.engine();
        let statements = script.statements(engine);
        let label = m.label();
        observe(Event::Started {
            label: label.clone(),
            operation,
            resume_at: run.resume_at,
            statements: statements.len(),
        });
        let started = Instant::now();
        let mut row = HistoryRow::completed(m, statements.len());
        if script.transactional(engine) {
            foreign_keys_off(db, script).await?;
            let (guard, stop) = (self.options.row_guard, &self.options.stop);
            let result =
                run_transaction(db, run, &statements, guard, stop, &mut row, started).await;
            foreign_keys_on(db, script, result).await?;
        } else {
            self.run_outside_transaction(db, run, &statements, &mut row, started, observe)
                .await?;
        }
        observe(Event::Finished {
            label,
            operation,
            elapsed: started.elapsed(),
        });
        Ok(())
    }

    /// A script outside a transaction (MySQL DDL, `no-transaction` files): statement by statement
    /// from the resume point, each recorded in the history row, then the row guard and the
    /// foreign-key check, then the final record.
    async fn run_outside_transaction<D: Driver>(
        &self,
        db: &mut D,
        run: &Run<'_>,
        statements: &[Statement],
        row: &mut HistoryRow,
        started: Instant,
        observe: Observer<'_>,
    ) -> Result<()> {
        let (m, script, operation, resume) =
            (run.migration, run.script, run.direction, run.resume_at);
        let label = m.label();
        let lock_timeout = script.directives.lock_timeout;
        let ctx = |what: &str| format!("{what} for {}", script.file);
        row.success = false;
        row.operation = operation;
        row.statements_applied = resume as i64;
        row.progress_hash =
            progress_hash(statements[..resume].iter().map(|s| s.sql.as_str())).to_string();
        {
            // The record of where this run starts must land before a stop takes effect.
            let _shield = self.options.stop.shield();
            db.write_history(row)
                .await
                .map_err(Error::db(ctx("cannot record progress")))?;
        }
        if lock_timeout.is_some() {
            db.set_lock_timeout(lock_timeout, false)
                .await
                .map_err(Error::db(ctx("cannot set the lock timeout")))?;
        }
        // A resumed run cannot know the counts from before its first part: no guard then.
        let guard = self.options.row_guard && resume == 0;
        let counts_before = if guard {
            let counted = kept_counts(db, script, false).await;
            Some(counted.map_err(|e| match self.options.stop.requested() {
                Some(signal) => Error::Interrupted {
                    signal,
                    summary: format!(
                        "stopped {label} before its first statement: nothing of it ran (`strata {}` runs it)",
                        operation.as_str()
                    ),
                },
                None => e,
            })?)
        } else {
            None
        };
        foreign_keys_off(db, script).await?;
        let stop = &self.options.stop;
        let ran = run_statements(db, run, statements, stop, row, started, observe).await;
        if ran.is_err() && lock_timeout.is_some() {
            // Best effort: the failure itself is what the user must see.
            let _ = db.set_lock_timeout(None, false).await;
        }
        foreign_keys_on(db, script, ran).await?;
        if lock_timeout.is_some() {
            db.set_lock_timeout(None, false)
                .await
                .map_err(Error::db(ctx("cannot reset the lock timeout")))?;
        }
        // Outside a transaction nothing can be undone: a lost row or a broken key is
        // recorded as a failure of this migration, and the message says what happened.
        let mut problem = None;
        // Every statement ran: the checks and the record of it must land whatever comes.
        let _shield = self.options.stop.shield();
        if let Some(before) = counts_before {
            let after = kept_counts(db, script, true).await?;
            problem = lost_rows(script, &before, &after);
        }
        if problem.is_none() && script.directives.foreign_keys_off {
            problem = broken_keys(db, script).await?;
        }
        if let Some(message) = problem {
            row.error = Some(message.clone());
            row.execution_ms = started.elapsed().as_millis() as i64;
            let _ = db.write_history(row).await;
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
                db.write_history(row)
                    .await
                    .map_err(Error::db(ctx("cannot record the migration")))?;
            }
            Operation::Rollback => db
                .delete_history(m.version)
                .await
                .map_err(Error::db(ctx("cannot remove the history row")))?,
        }
        Ok(())
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

/// Switches foreign-key enforcement off before a `foreign-keys-off` script runs.
async fn foreign_keys_off<D: Driver>(db: &mut D, script: &Script) -> Result<()> {
    if script.directives.foreign_keys_off {
        let context = format!("cannot switch foreign keys off for {}", script.file);
        db.set_foreign_keys(false)
            .await
            .map_err(Error::db(context))?;
    }
    Ok(())
}

/// Switches enforcement back on after a `foreign-keys-off` script, whatever it returned; the
/// script's own error wins over a failure to switch back.
async fn foreign_keys_on<D: Driver>(db: &mut D, script: &Script, ran: Result<()>) -> Result<()> {
    if !script.directives.foreign_keys_off {
        return ran;
    }
    let restored = db.set_foreign_keys(true).await;
    ran?;
    let context = format!("cannot switch foreign keys back on for {}", script.file);
    restored.map_err(Error::db(context))
}

async fn read_history<D: Driver>(db: &mut D) -> Result<Vec<HistoryRow>> {
    Ok(db
        .read_history()
        .await
        .map_err(Error::db("cannot read the history table"))?
        .unwrap_or_default())
}

fn join_statements(statements: &[Statement]) -> String {
    let mut out = String::new();
    for s in statements {
        out.push_str(&s.sql);
        out.push_str(";\n");
    }
    out
}
