//! The log on stderr: `-v`, `--log-level`, `STRATA_LOG` (an `EnvFilter`) and `--log-format`.
//!
//! The statements themselves are reported by sqlx's statement logger (target `sqlx::query`),
//! inside a `db` span naming the database and session (see `strata_engine::database`); this
//! module only decides what reaches stderr and in which format.

use crate::cli::Global;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use tracing_subscriber::EnvFilter;

/// The environment variable holding a filter in `EnvFilter` syntax (`info`, `sqlx::query=debug`).
const ENV: &str = "STRATA_LOG";

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Whether a log writes to stderr in this run (progress bars stay off then: log lines would tear
/// them).
pub fn active() -> bool {
    ACTIVE.load(Ordering::Relaxed)
}

/// Installs the subscriber the flags and `STRATA_LOG` ask for; without any of them nothing is
/// installed and strata prints what it printed before logs existed.
pub fn init(global: &Global) -> Result<(), String> {
    let Some(filter) = filter(global)? else {
        return Ok(());
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let installed = if global.log_format == "json" {
        builder.json().with_current_span(true).try_init()
    } else {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        builder.with_ansi(color).try_init()
    };
    installed.map_err(|e| format!("cannot start the log: {e}"))?;
    ACTIVE.store(true, Ordering::Relaxed);
    Ok(())
}

/// The filter of this run: `--log-level`, else `-v`, else `STRATA_LOG`, else none.
fn filter(global: &Global) -> Result<Option<EnvFilter>, String> {
    let level = match (&global.log_level, global.verbose) {
        (Some(level), _) => Some(level.as_str()),
        (None, 0) => None,
        (None, 1) => Some("info"),
        (None, 2) => Some("debug"),
        (None, _) => Some("trace"),
    };
    if let Some(level) = level {
        return Ok(Some(EnvFilter::new(level)));
    }
    match std::env::var(ENV) {
        Ok(spec) if !spec.trim().is_empty() => EnvFilter::try_new(&spec).map(Some).map_err(|e| {
            format!("{ENV}={spec:?} is not a log filter ({e}); use a level such as {ENV}=info, or {ENV}=sqlx::query=info,strata=info for the statements alone")
        }),
        _ => Ok(None),
    }
}
