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
                if std::io::stderr().is_terminal() {
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
