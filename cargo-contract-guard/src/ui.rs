//! Terminal presentation: styles (emitted only when the stream is a terminal, or forced with
//! `--color always` / `CLICOLOR_FORCE`, and never with `NO_COLOR`), cargo-style status lines,
//! and aligned tables. Text that may come from a spec is passed through [`printable`] first:
//! a control character (an ANSI escape) in a spec never reaches the terminal.

use std::io::Write as _;

use anstyle::{AnsiColor, Style};
pub use contract_core::report::printable;

/// `error:`.
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
/// `help:`.
pub const HELP: Style = AnsiColor::Cyan.on_default().bold();
/// Status verbs of successful steps.
pub const GOOD: Style = AnsiColor::Green.on_default().bold();
/// Status verbs of findings.
pub const BAD: Style = AnsiColor::Red.on_default().bold();
/// Status verbs of warnings.
pub const WARN: Style = AnsiColor::Yellow.on_default().bold();
/// Table headers.
pub const HEADER: Style = Style::new().bold();

static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static VERBOSE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Sets `--quiet` / `--verbose` for the whole run.
pub fn set_verbosity(quiet: bool, verbose: bool) {
    QUIET.store(quiet, std::sync::atomic::Ordering::Relaxed);
    VERBOSE.store(verbose, std::sync::atomic::Ordering::Relaxed);
}

/// Whether `--verbose` was given.
pub fn verbose() -> bool {
    VERBOSE.load(std::sync::atomic::Ordering::Relaxed)
}

/// Prints a cargo-style status line to stderr: a right-aligned verb, then the message.
/// Silent under `--quiet`.
pub fn status(style: Style, verb: &str, message: impl std::fmt::Display) {
    if !QUIET.load(std::sync::atomic::Ordering::Relaxed) {
        finding(style, verb, message);
    }
}

/// Prints a status line that is a finding (a refusal, missing records): like [`status`], but
/// also under `--quiet`, which keeps findings and errors.
pub fn finding(style: Style, verb: &str, message: impl std::fmt::Display) {
    let mut err = anstream::stderr().lock();
    let _ = writeln!(
        err,
        "{}{verb:>12}{} {}",
        style.render(),
        style.render_reset(),
        printable(&message.to_string())
    );
}

/// Prints `help: <text>` for a tip after a successful step (a next command, how to see more):
/// silent under `--quiet`, unlike [`help`], which follows findings and errors.
pub fn tip(text: impl std::fmt::Display) {
    if !QUIET.load(std::sync::atomic::Ordering::Relaxed) {
        help(text);
    }
}

/// Prints `help: <text>` to stderr: the command that fixes what was just reported.
pub fn help(text: impl std::fmt::Display) {
    let mut err = anstream::stderr().lock();
    let _ = writeln!(
        err,
        "{}help:{} {}",
        HELP.render(),
        HELP.render_reset(),
        printable(&text.to_string())
    );
}

/// A table whose columns are padded to the widest cell. The first row is the header.
pub struct Table {
    rows: Vec<Vec<(String, Style)>>,
}

impl Table {
    /// A table with these column headers.
    pub fn new(headers: &[&str]) -> Self {
        Table {
            rows: vec![headers.iter().map(|h| (h.to_string(), HEADER)).collect()],
        }
    }

    /// Adds a row whose last cell is styled.
    pub fn row_with_state(&mut self, mut cells: Vec<String>, state: String, style: Style) {
        let mut row: Vec<(String, Style)> = cells
            .drain(..)
            .map(|c| (printable(&c).into_owned(), Style::new()))
            .collect();
        row.push((state, style));
        self.rows.push(row);
    }

    /// Prints the table to stdout.
    pub fn print(&self) {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|i| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|(c, _)| c.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = anstream::stdout().lock();
        for row in &self.rows {
            let mut line = String::new();
            for (i, (cell, style)) in row.iter().enumerate() {
                let last = i + 1 == row.len();
                let pad = if last {
                    0
                } else {
                    widths[i] - cell.chars().count() + 2
                };
                line.push_str(&format!(
                    "{}{cell}{}{}",
                    style.render(),
                    style.render_reset(),
                    " ".repeat(pad)
                ));
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
}

/// Prints one JSON value as a line on stdout.
pub fn json_line(value: &serde_json::Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{value}");
}

/// How output names a file: relative to the current directory when it is inside it (the same
/// on every checkout path), else as it is.
pub fn shown_path(path: &std::path::Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = contract_core::util::paths::normalize(&cwd.join(path));
    if cwd.as_os_str().is_empty() || !absolute.starts_with(&cwd) {
        path.display().to_string()
    } else {
        contract_core::util::paths::relative_slash(&cwd, &absolute)
    }
}

/// `text` with every `` `<current dir>/…` `` path written relative to the current directory, so a
/// message reads the same on every checkout path.
pub fn relative_paths(text: &str) -> String {
    match std::env::current_dir() {
        Ok(cwd) if cwd.parent().is_some() => text.replace(&format!("`{}/", cwd.display()), "`"),
        _ => text.to_string(),
    }
}
