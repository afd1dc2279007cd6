//! The CLI's error: a message, an optional hint naming the fix, and the exit code; rendered as
//! `error: …` / `help: …` on stderr.

use std::io::Write as _;

use crate::exit;
use crate::ui;

/// An error that ends a command.
#[derive(Debug)]
pub struct CliError {
    /// What went wrong, lowercase, paths in backticks.
    pub message: String,
    /// The command or edit that fixes it.
    pub hint: Option<String>,
    /// The process exit code.
    pub code: u8,
}

impl CliError {
    /// An error that could not complete the command (exit 2).
    pub fn new(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            hint: None,
            code: exit::ERROR,
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Uses another exit code (e.g. [`exit::DRIFT`] for a refusal caused by drift).
    pub fn with_code(mut self, code: u8) -> Self {
        self.code = code;
        self
    }

    /// The rendering of a library error: its message with its causes, and its hint.
    pub fn from_core(err: &contract_core::Error) -> Self {
        CliError {
            message: contract_core::error::with_causes(err),
            hint: err.hint(),
            code: match err {
                contract_core::Error::Swagger2 { .. } => exit::UNSUPPORTED,
                _ => exit::ERROR,
            },
        }
    }

    /// Prints the error to stderr, files under the current directory named relative to it.
    pub fn render(&self) {
        let mut err = anstream::stderr().lock();
        let _ = writeln!(
            err,
            "{}error:{} {}",
            ui::ERROR.render(),
            ui::ERROR.render_reset(),
            ui::printable(&ui::relative_paths(&self.message))
        );
        drop(err);
        if let Some(hint) = &self.hint {
            ui::help(hint);
        }
    }
}

impl CliError {
    /// A library error about one contract, prefixed with its `crate/name` unless it names it.
    pub fn for_contract(contract: &str, err: &contract_core::Error) -> Self {
        let mut rendered = CliError::from_core(err);
        if !rendered.message.contains(&format!("`{contract}`")) {
            rendered.message = format!("{contract}: {}", rendered.message);
        }
        rendered
    }
}

impl From<contract_core::Error> for CliError {
    fn from(err: contract_core::Error) -> Self {
        CliError::from_core(&err)
    }
}

/// Result alias for commands: the exit code on success.
pub type CliResult = Result<u8, CliError>;
