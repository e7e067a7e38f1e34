//! Reporting progress of long runs: a progress bar on a terminal, plain lines otherwise,
//! nothing but the final JSON with `--json`.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use strata_migrate::{Event, Operation};

/// Turns migrator events into what the user sees on stderr.
pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Progress {
    /// A reporter; `quiet` (JSON output) prints nothing but lock waits.
    pub fn new(quiet: bool) -> Progress {
        Progress { bar: None, quiet }
    }

    pub fn event(&mut self, event: Event) {
        match event {
            Event::WaitingForLock { holder } => {
                let who = holder.unwrap_or_else(|| "another strata process".to_string());
                eprintln!("waiting for the migration lock held by {who}");
            }
            Event::Plan { labels } => {
                if self.quiet || labels.is_empty() {
                    return;
                }
                // Log lines on stderr would tear the bar; the log says what runs anyway.
                if std::io::stderr().is_terminal() && !crate::logging::active() {
                    let bar = ProgressBar::new(labels.len() as u64);
                    bar.set_style(
                        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
                            .expect("valid template")
                            .progress_chars("=> "),
                    );
                    self.bar = Some(bar);
                }
            }
            Event::Started {
                label, resume_at, ..
            } => {
                if let Some(bar) = &self.bar {
                    bar.set_message(label);
                } else if !self.quiet && resume_at > 0 {
                    eprintln!("resuming {label} at statement {}", resume_at + 1);
                }
            }
            Event::Statement { label, done, total } => {
                if let Some(bar) = &self.bar {
                    bar.set_message(format!("{label} ({done}/{total} statements)"));
                }
            }
            Event::Finished {
                label,
                operation,
                elapsed,
            } => {
                let verb = match operation {
                    Operation::Apply => "applied",
                    Operation::Rollback => "rolled back",
                };
                let line = format!("{verb} {label} ({} ms)", elapsed.as_millis());
                if let Some(bar) = &self.bar {
                    bar.println(line);
                    bar.inc(1);
                } else if !self.quiet {
                    println!("{line}");
                }
            }
        }
    }

    /// Clears the bar.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// The spinner of the running command, if it shows one; a command runs once per process, and a
/// global lets the shared steps (`source.rs`) name their phase without a parameter on every call.
static SPINNER: std::sync::Mutex<Option<ProgressBar>> = std::sync::Mutex::new(None);

/// While alive, a spinner on stderr naming what a long command is doing (connecting, reading a
/// catalog, replaying migrations, rendering); nothing when stderr is not a terminal or a log
/// writes there. Dropping it clears the line, so it must go before the command prints.
pub struct Spinner(());

/// Starts the spinner of a command that can take more than a second on a big schema.
pub fn spinner(first: &str) -> Spinner {
    if std::io::stderr().is_terminal() && !crate::logging::active() {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"),
        );
        bar.set_message(first.to_string());
        // Ticks from indicatif's own thread: the runtime thread is busy while SQLite inspects.
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        *lock() = Some(bar);
    }
    Spinner(())
}

/// Names the phase the running command has reached on its spinner, if it has one.
pub fn phase(message: impl Into<String>) {
    if let Some(bar) = lock().as_ref() {
        bar.set_message(message.into());
    }
}

fn lock() -> std::sync::MutexGuard<'static, Option<ProgressBar>> {
    SPINNER.lock().unwrap_or_else(|p| p.into_inner())
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(bar) = lock().take() {
            bar.finish_and_clear();
        }
    }
}

/// Prints a line on stderr above the spinner, if one is shown (a bare `eprintln!` would be
/// overdrawn by its next tick).
pub fn eprint_line(line: &str) {
    match lock().as_ref() {
        Some(bar) => bar.suspend(|| eprintln!("{line}")),
        None => eprintln!("{line}"),
    }
}
