//! A command that fails still answers in the machine format it was asked for: a JSON error
//! object, a SARIF log whose invocation did not succeed, or a GitHub `::error`, on stdout,
//! besides the `error:` lines on stderr (and with the same exit code). Output that is empty on
//! failure would read as "nothing found" to a tool that only parses stdout.

use contract_core::report;
use serde_json::json;

use crate::cli::{Command, DiffFormat, MessageFormat, ReportFormat};
use crate::error::CliError;
use crate::ui;

/// The machine formats an error can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Machine {
    Json,
    Sarif,
    Github,
    /// `diff`'s pull-request comment: a failure must not post an empty comment.
    Markdown,
}

/// The machine format `command` was asked to write, if any.
pub fn format_of(command: &Command) -> Option<Machine> {
    let from_report = |f: ReportFormat| match f {
        ReportFormat::Human => None,
        ReportFormat::Json => Some(Machine::Json),
        ReportFormat::Sarif => Some(Machine::Sarif),
        ReportFormat::Github => Some(Machine::Github),
    };
    let from_message = |f: MessageFormat| (f == MessageFormat::Json).then_some(Machine::Json);
    match command {
        Command::Check(args) => from_report(args.message_format),
        Command::Status(args) => from_message(args.message_format),
        Command::Inspect(args) => from_message(args.message_format),
        Command::VerifyBinary(args) => from_message(args.message_format),
        Command::Diff(args) => match args.format {
            DiffFormat::Json => Some(Machine::Json),
            DiffFormat::Sarif => Some(Machine::Sarif),
            DiffFormat::Github => Some(Machine::Github),
            DiffFormat::Markdown => Some(Machine::Markdown),
            DiffFormat::Human => None,
        },
        _ => None,
    }
}

/// `err` in `format`, as written to stdout.
pub fn render(err: &CliError, format: Machine) -> String {
    let message = ui::relative_paths(&err.message);
    match format {
        Machine::Json => format!(
            "{}\n",
            json!({"type": "error", "message": message, "hint": err.hint, "exit_code": err.code})
        ),
        Machine::Sarif => report::sarif::render_failure(env!("CARGO_PKG_VERSION"), &message),
        Machine::Github => report::github::render_error(&match &err.hint {
            Some(hint) => format!("{message} (help: {hint})"),
            None => message,
        }),
        Machine::Markdown => {
            let span = |text: &str| contract_core::gates::diff::review::code_span(text, false);
            let hint = err
                .hint
                .as_deref()
                .map_or(String::new(), |hint| format!("\n\nHelp: {}\n", span(hint)));
            format!(
                "### :x: cargo-contract-guard could not compare the specs\n\n{}\n{hint}",
                span(&message)
            )
        }
    }
}

/// Writes `err` in `format` to stdout.
pub fn print(err: &CliError, format: Machine) {
    use std::io::Write as _;
    let _ = std::io::stdout()
        .lock()
        .write_all(render(err, format).as_bytes());
}
