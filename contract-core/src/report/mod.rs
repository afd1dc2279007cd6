//! Reports: how findings reach people and machines. SARIF 2.1.0 for code scanning and GitHub
//! Actions workflow commands for inline annotations (shared by `check` and `diff`), the one
//! wording of each fix ([`advice`]), and unified diffs that show a hand edit ([`text_diff`]).

pub mod advice;
pub mod github;
pub mod sarif;
pub mod text_diff;

use std::borrow::Cow;

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

/// `text` safe to print where it may be shown as is (a terminal, a CI log): control characters
/// other than line breaks and tabs (ANSI escape sequences start with one) and the Unicode
/// bidirectional controls, which can make text read differently from what it is, are written
/// as `\u{…}` escapes. Names and messages from a spec go through it before being printed.
pub fn printable(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A JSON value for a one-line message, cut to 60 characters.
pub fn short_json(value: &serde_json::Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(59).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(
            super::printable("a\u{1b}[31mred\u{7}\u{202e}b\nc\td"),
            "a\\u{1b}[31mred\\u{7}\\u{202e}b\nc\td"
        );
        assert!(matches!(
            super::printable("plain"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
