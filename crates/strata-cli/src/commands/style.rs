//! The colours of strata's terminal output: anstyle styles, printed through anstream, which drops
//! them in pipes and CI logs, with `NO_COLOR` and with `--color never` (cargo's rules).

use anstyle::{AnsiColor, Style};
use std::fmt::Display;
use strata_migrate::State;

/// Done and safe: applied migrations, added steps, files written.
pub const GOOD: Style = AnsiColor::Green.on_default();
/// Waiting for the user: pending migrations, notes.
pub const WAITING: Style = AnsiColor::Yellow.on_default();
/// Needs attention: failed, modified and missing migrations, destructive steps.
pub const BAD: Style = AnsiColor::Red.on_default().bold();
/// Column headings and the next command to run.
pub const EMPHASIS: Style = Style::new().bold();

/// `text` in `style` (padding belongs inside `text`, or the escape codes would count as width).
pub fn paint(style: Style, text: impl Display) -> String {
    format!("{style}{text}{style:#}")
}

/// The colour of a migration state in `strata status`.
pub fn of_state(state: State) -> Style {
    match state {
        State::Applied => GOOD,
        State::Pending => WAITING,
        State::Modified | State::Missing | State::Failed | State::RollbackFailed => BAD,
    }
}
