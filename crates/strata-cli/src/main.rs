//! The `strata` binary: a thin layer of commands over the strata crates.

mod cli;
mod commands;
mod config;
mod progress;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
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
            eprintln!("error: {e:#}");
            ExitCode::from(if refused { 1 } else { 2 })
        }
    }
}
