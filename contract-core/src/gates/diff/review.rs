//! The reviewed result of a diff: each change with the severity it has for this contract and,
//! when accepted, the reason; the version-discipline finding; counts; and the JSON rendering
//! ([`super::markdown`] writes the pull-request comment; the terminal rendering lives in the
//! CLI).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Change;
use super::rules::{Rule, Severity};
use super::suppress::DiffConfig;
use crate::spec::{Located, ParsedSpec};

/// A change as reviewed for a contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The change.
    pub change: Change,
    /// Its severity after the contract's overrides.
    pub severity: Severity,
    /// Why it is accepted, when an `ignore` entry matches it.
    pub ignored: Option<String>,
}

/// Counts of the findings that are not ignored, by severity, and of the ignored ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// `security` findings.
    pub security: usize,
    /// `breaking` findings.
    pub breaking: usize,
    /// `warning` findings.
    pub warning: usize,
    /// `info` findings.
    pub info: usize,
    /// Ignored findings (any severity).
    pub ignored: usize,
}

impl Summary {
    /// The count of one severity.
    pub fn of(&self, severity: Severity) -> usize {
        match severity {
            Severity::Security => self.security,
            Severity::Breaking => self.breaking,
            Severity::Warning => self.warning,
            Severity::Info => self.info,
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} security, {} breaking, {} warning, {} info",
            self.security, self.breaking, self.warning, self.info
        )?;
        if self.ignored > 0 {
            write!(f, " ({} ignored)", self.ignored)?;
        }
        Ok(())
    }
}

/// The reviewed diff of two documents.
#[derive(Debug, Clone)]
pub struct Report {
    /// `info.version` of the old document.
    pub old_version: Option<String>,
    /// `info.version` of the new document.
    pub new_version: Option<String>,
    /// Every change, most severe first (document order within a severity), ignored ones last.
    pub findings: Vec<Finding>,
}

fn info_version(doc: &Value) -> Option<String> {
    doc.get("info")?
        .get("version")?
        .as_str()
        .map(str::to_string)
}

impl Report {
    /// Applies a contract's configuration to the changes and adds the version-discipline
    /// finding (breaking or security changes without an `info.version` change).
    pub fn build(old: &Value, new: &Value, changes: Vec<Change>, config: &DiffConfig) -> Report {
        let review = |change: Change| Finding {
            severity: config.severity_of(change.rule),
            ignored: config.ignored(&change).map(str::to_string),
            change,
        };
        let mut findings: Vec<Finding> = changes.into_iter().map(review).collect();
        let (old_version, new_version) = (info_version(old), info_version(new));
        let serious = findings
            .iter()
            .any(|f| f.ignored.is_none() && f.severity >= Severity::Breaking);
        if serious && old_version == new_version {
            findings.push(review(Change {
                rule: Rule::VersionNotBumped,
                old_pointer: Some("/info/version".into()),
                new_pointer: Some("/info/version".into()),
                operation: None,
                operation_id: None,
                affects: Vec::new(),
                affects_cut: false,
                message: format!(
                    "`info.version` is still {} despite breaking or security changes",
                    new_version.as_deref().unwrap_or("(none)")
                ),
            }));
        }
        findings.sort_by_key(|f| (f.ignored.is_some(), std::cmp::Reverse(f.severity)));
        Report {
            old_version,
            new_version,
            findings,
        }
    }

    /// Counts.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for f in &self.findings {
            if f.ignored.is_some() {
                s.ignored += 1;
                continue;
            }
            match f.severity {
                Severity::Security => s.security += 1,
                Severity::Breaking => s.breaking += 1,
                Severity::Warning => s.warning += 1,
                Severity::Info => s.info += 1,
            }
        }
        s
    }

    /// Whether a finding that is not ignored is at or above `fail_on`.
    pub fn fails(&self, fail_on: Severity) -> bool {
        self.findings
            .iter()
            .any(|f| f.ignored.is_none() && f.severity >= fail_on)
    }

    /// Findings per rule id (ignored ones included), sorted by id.
    pub fn rule_counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for f in &self.findings {
            *counts.entry(f.change.rule.id()).or_insert(0) += 1;
        }
        counts
    }

    /// The JSON document of `diff --format json` (schema in `docs/src/diff.md`), without
    /// locations.
    pub fn to_json(&self, old_source: &str, new_source: &str, fail_on: Severity) -> Value {
        self.to_json_located(old_source, new_source, fail_on, &[])
    }

    /// The JSON document of `diff --format json`, each change with its `location` in the new
    /// spec from `places` (in the order of [`findings`](Self::findings); `null` past its end).
    pub fn to_json_located(
        &self,
        old_source: &str,
        new_source: &str,
        fail_on: Severity,
        places: &[Located],
    ) -> Value {
        let s = self.summary();
        json!({
            "old": {"source": old_source, "version": self.old_version},
            "new": {"source": new_source, "version": self.new_version},
            "fail_on": fail_on.as_str(),
            "failed": self.fails(fail_on),
            "summary": {
                "security": s.security,
                "breaking": s.breaking,
                "warning": s.warning,
                "info": s.info,
                "ignored": s.ignored,
            },
            "changes": self
                .findings
                .iter()
                .enumerate()
                .map(|(i, f)| finding_json(f, places.get(i)))
                .collect::<Vec<_>>(),
        })
    }

    /// Where every finding is in the new spec (`new`, the spec the report's new side was read
    /// from), with file names relative to `base`: for [`to_json_located`](Self::to_json_located)
    /// and the Markdown comment.
    pub fn locate(&self, new: &ParsedSpec, base: &std::path::Path) -> Vec<Located> {
        let pointers: Vec<&str> = self.findings.iter().map(|f| f.change.location()).collect();
        new.locate(&pointers, base)
    }
}

/// The JSON object of one finding; `location` is where it is in the new spec, when located.
pub fn finding_json(f: &Finding, place: Option<&Located>) -> Value {
    let location = place.map(|p| json!({"file": p.file, "line": p.line, "column": p.column}));
    json!({
        "rule": f.change.rule.id(),
        "severity": f.severity.as_str(),
        "default_severity": f.change.rule.default_severity().as_str(),
        "operation": f.change.operation,
        "operation_id": f.change.operation_id,
        "affects": f.change.affects,
        "old_pointer": f.change.old_pointer,
        "new_pointer": f.change.new_pointer,
        "message": f.change.message,
        "ignored": f.ignored,
        "location": location,
    })
}

/// `text` as one Markdown code span, whatever it holds: the fence is one backtick longer than
/// the longest run of backticks inside, so nothing in it can close the span, and nothing in a
/// code span is markup (links, images, HTML, @mentions, autolinks). Line breaks become spaces,
/// control characters `\u{…}` escapes, and in a table cell `|` is escaped (GitHub splits cells
/// on it even inside code spans). Every spec-controlled string of the Markdown report goes
/// through it; messages embed spec names, so they are code spans as a whole.
pub fn code_span(text: &str, in_table: bool) -> String {
    let mut inner = crate::report::printable(&text.replace(['\r', '\n'], " ")).into_owned();
    if in_table {
        inner = inner.replace('|', "\\|");
    }
    if inner.is_empty() {
        return String::new();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in inner.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if inner.starts_with(['`', ' ']) || inner.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{inner}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::code_span;

    #[test]
    fn code_spans_cannot_be_closed_from_inside() {
        assert_eq!(code_span("plain", true), "`plain`");
        assert_eq!(
            code_span("a`b``c", false),
            "```a`b``c```",
            "the fence is longer than any run inside"
        );
        assert_eq!(code_span("`x`", false), "`` `x` ``");
        assert_eq!(code_span("a|b\nc\u{1b}", true), "`a\\|b c\\u{1b}`");
        assert_eq!(code_span("", true), "");
    }
}
