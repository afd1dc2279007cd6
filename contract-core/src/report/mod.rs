//! Machine-readable renderings of findings shared by `check` and `diff`: SARIF 2.1.0 for code
//! scanning, and GitHub Actions workflow commands for inline annotations.

pub mod github;
pub mod sarif;

/// How serious a finding is, as annotation formats grade them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Informational.
    Note,
    /// Worth a look.
    Warning,
    /// Fails the gate.
    Error,
}

/// A finding, independent of the command that produced it.
#[derive(Debug, Clone)]
pub struct Annotation {
    /// The stable rule id (`hand-edited`, `request-property-became-required`, ...).
    pub rule: String,
    /// Severity.
    pub level: Level,
    /// The file, relative to the workspace root, `/`-separated.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// One-line message.
    pub message: String,
    /// Why it is accepted, when the project accepted it (a `diff` ignore entry): SARIF keeps
    /// it as a suppression, GitHub annotations leave it out.
    pub suppressed: Option<String>,
}

/// A rule that annotations refer to.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The stable id.
    pub id: String,
    /// One-line description.
    pub short: String,
    /// Why it matters and how to fix it.
    pub help: String,
}
