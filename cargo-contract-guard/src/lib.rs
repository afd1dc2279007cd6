//! # cargo-contract-guard
//!
//! The `cargo contract-guard` subcommand: a thin shell over `contract-core` that parses the
//! command line, calls the library, and presents results and errors.

#![deny(missing_docs)]

mod cli;
mod commands;
mod error;
pub mod exit;
mod ui;

use std::ffi::OsString;

use clap::Parser as _;

pub use cli::Cli;

/// Runs the tool with these arguments (the first is the program name) and returns the exit
/// code. Accepts both `cargo contract-guard …` (cargo passes `contract-guard` as the first
/// argument) and a direct `cargo-contract-guard …`.
pub fn run(args: impl IntoIterator<Item = OsString>) -> u8 {
    let mut args: Vec<OsString> = args.into_iter().collect();
    if args.get(1).is_some_and(|a| a == "contract-guard") {
        args.remove(1);
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                exit::ERROR
            } else {
                exit::OK
            };
        }
    };
    let choice = match cli.color {
        cli::ColorWhen::Auto => anstream::ColorChoice::Auto,
        cli::ColorWhen::Always => anstream::ColorChoice::Always,
        cli::ColorWhen::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
    ui::set_verbosity(cli.quiet, cli.verbose);
    let machine = commands::fatal::format_of(&cli.command);
    match commands::dispatch(cli.command) {
        Ok(code) => code,
        Err(err) => {
            if let Some(format) = machine {
                commands::fatal::print(&err, format);
            }
            err.render();
            err.code
        }
    }
}
