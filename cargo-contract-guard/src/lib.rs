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
    let when = match cli.color.map_or_else(color_from_env, Ok) {
        Ok(when) => when,
        Err(err) => {
            err.render();
            return err.code;
        }
    };
    let choice = match when {
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

/// `CARGO_TERM_COLOR`, which `--color` overrides (as in cargo); auto when unset or empty.
fn color_from_env() -> Result<cli::ColorWhen, error::CliError> {
    use clap::ValueEnum as _;
    let value = std::env::var("CARGO_TERM_COLOR").unwrap_or_default();
    if value.is_empty() {
        return Ok(cli::ColorWhen::Auto);
    }
    cli::ColorWhen::from_str(&value, false).map_err(|_| {
        error::CliError::new(format!(
            "`CARGO_TERM_COLOR` is `{value}`, which is not a color choice"
        ))
        .with_hint("set it to `auto`, `always` or `never` (or pass `--color`)")
    })
}
