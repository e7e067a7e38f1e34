//! The `strata` binary: a thin layer of commands over the strata crates.

mod cli;
mod commands;
mod config;
mod logging;
mod progress;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    if let Err(e) = logging::init(&cli.global) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    cli.global.set_color();
    commands::install_signal_handlers();
    if let Some(dir) = &cli.global.dir {
        if let Err(e) = std::env::set_current_dir(dir) {
            eprintln!("error: cannot change to directory {}: {e}", dir.display());
            return ExitCode::from(2);
        }
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let refused = e.chain().any(|c| {
                c.downcast_ref::<strata_migrate::Error>()
                    .is_some_and(|m| m.is_refusal())
            });
            eprintln!("error: {}", message(&e));
            // After Ctrl-C or SIGTERM the error is the stop's doing: the shell's convention.
            if let Some(signal) = commands::stop().requested() {
                return ExitCode::from((128 + signal) as u8);
            }
            ExitCode::from(if refused { 1 } else { 2 })
        }
    }
}

/// The error and its causes on one line, each cause once: a library error whose message
/// already ends with its source's text (`cannot read the history table: <driver message>`)
/// would otherwise print that text twice.
fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_cause_is_printed_once() {
        let driver = std::io::Error::other("column \"version\" does not exist");
        let e = anyhow::Error::new(driver)
            .context("cannot read the history table: column \"version\" does not exist")
            .context("environment \"dev\"");
        assert_eq!(
            super::message(&e),
            "environment \"dev\": cannot read the history table: column \"version\" does not exist"
        );
    }
}
