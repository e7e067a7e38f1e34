//! How one script runs: in one transaction with its history change, or statement by statement
//! with its progress recorded so that a later run resumes where it stopped.

use crate::checksum::progress_hash;
use crate::driver::Driver;
use crate::error::{DriverError, Error, Result, Transient};
use crate::events::Event;
use crate::history::{HistoryRow, Operation};
use crate::migration::Script;
use crate::migrator::{Observer, Run};
use crate::split::Statement;
use crate::stop::Stop;
use std::time::Instant;

/// The statements of a non-transactional script from `resume` on, each followed by its
/// progress in the history row; a failure records where it stopped, and so does a stop request
/// (before the next statement, or cancelling the running one).
pub(crate) async fn run_statements<D: Driver>(
    db: &mut D,
    run: &Run<'_>,
    statements: &[Statement],
    stop: &Stop,
    row: &mut HistoryRow,
    started: Instant,
    observe: Observer<'_>,
) -> Result<()> {
    let (script, operation, resume) = (run.script, run.direction, run.resume_at);
    let label = run.migration.label();
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
                        "{}. The file is fine: run `{command}` again when the server answers; it resumes at statement {}.",
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
        // The statement ran and committed: its record must land, so a stop request now waits
        // for the write and takes effect before the next statement.
        let shield = stop.shield();
        db.write_history(row)
            .await
            .map_err(Error::db(ctx("cannot record progress")))?;
        drop(shield);
        observe(Event::Statement {
            label: label.clone(),
            done: i + 1,
            total: statements.len(),
        });
    }
    Ok(())
}

/// Runs a transactional script and its history change in one transaction; with foreign keys
/// switched off, checks them before committing; with kept tables, compares their row counts
/// before committing.
///
/// `guard`: whether the row counts of the script's `keep-rows` tables are compared.
pub(crate) async fn run_transaction<D: Driver>(
    db: &mut D,
    run: &Run<'_>,
    statements: &[Statement],
    guard: bool,
    stop: &Stop,
    row: &mut HistoryRow,
    started: Instant,
) -> Result<()> {
    let (m, script, operation) = (run.migration, run.script, run.direction);
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
            match stop.requested() {
                // Whatever the stop cancelled (a statement, a row count, the history row), the
                // transaction is undone. A lost connection stays what it is: a COMMIT cut off
                // mid-way may have landed.
                Some(signal) if e.transient().is_none() => Err(undone(signal)),
                _ => Err(e),
            }
        }
    }
}

/// What the foreign-key check after a `foreign-keys-off` script found: the rows that reference
/// nothing, or `None` when every key holds.
pub(crate) async fn broken_keys<D: Driver>(db: &mut D, script: &Script) -> Result<Option<String>> {
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
pub(crate) async fn kept_counts<D: Driver>(
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
pub(crate) fn lost_rows(
    script: &Script,
    before: &[Option<i64>],
    after: &[Option<i64>],
) -> Option<String> {
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
pub(crate) fn ran_before(i: usize) -> String {
    match i {
        0 => "none of its statements ran".into(),
        1 => "statement 1 ran and is recorded".into(),
        i => format!("statements 1-{i} ran and are recorded"),
    }
}

/// A failed COMMIT: when the connection went down with it, the server may have committed or not,
/// and only the history can tell.
pub(crate) fn commit_error(
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

pub(crate) fn capitalized(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Locates a failed statement: the given index, or the engine's error position in the whole script.
pub(crate) fn execution_error(
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
