//! The reviewed result of a diff: each change with the severity it has for this contract and,
//! when accepted, the reason; the version-discipline finding; counts; and the JSON and
//! Markdown renderings (the terminal rendering lives in the CLI).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Change;
use super::rules::{Rule, Severity};
use super::suppress::DiffConfig;

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

    /// The JSON document of `diff --format json` (schema in `docs/src/diff.md`).
    pub fn to_json(&self, old_source: &str, new_source: &str, fail_on: Severity) -> Value {
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
            "changes": self.findings.iter().map(finding_json).collect::<Vec<_>>(),
        })
    }

    /// The Markdown rendering of `diff --format markdown`, for pull-request comments.
    pub fn to_markdown(&self, old_source: &str, new_source: &str, fail_on: Severity) -> String {
        let s = self.summary();
        // A version made of letters, digits, `.`, `-` and `+` is shown as it is.
        let version = |v: &Option<String>| match v.as_deref() {
            None => String::new(),
            Some(v)
                if v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-+".contains(c)) =>
            {
                format!(" ({v})")
            }
            Some(v) => format!(" ({})", code_span(v, false)),
        };
        let mut out = format!(
            "## API changes: {}{} → {}{}\n\n",
            code_span(old_source, false),
            version(&self.old_version),
            code_span(new_source, false),
            version(&self.new_version)
        );
        let verdict = if self.fails(fail_on) {
            format!("**Fails** at `--fail-on {fail_on}`.")
        } else {
            format!("Passes at `--fail-on {fail_on}`.")
        };
        out.push_str(&format!(
            "{verdict}\n\n| severity | changes |\n|---|---:|\n| security | {} |\n| breaking | {} |\n| warning | {} |\n| info | {} |\n| ignored | {} |\n",
            s.security, s.breaking, s.warning, s.info, s.ignored
        ));
        for severity in Severity::ALL {
            let rows: Vec<&Finding> = self
                .findings
                .iter()
                .filter(|f| f.ignored.is_none() && f.severity == severity)
                .collect();
            if rows.is_empty() {
                continue;
            }
            let title = format!("{} ({})", capitalized(severity.as_str()), rows.len());
            let collapsed = severity == Severity::Info;
            if collapsed {
                out.push_str(&format!("\n<details><summary>{title}</summary>\n\n"));
            } else {
                out.push_str(&format!("\n### {title}\n\n"));
            }
            table(&mut out, &rows, false);
            if collapsed {
                out.push_str("\n</details>\n");
            }
        }
        let ignored: Vec<&Finding> = self
            .findings
            .iter()
            .filter(|f| f.ignored.is_some())
            .collect();
        if !ignored.is_empty() {
            out.push_str(&format!("\n### Ignored ({})\n\n", ignored.len()));
            table(&mut out, &ignored, true);
        }
        out
    }
}

/// The JSON object of one finding.
pub fn finding_json(f: &Finding) -> Value {
    json!({
        "rule": f.change.rule.id(),
        "severity": f.severity.as_str(),
        "default_severity": f.change.rule.default_severity().as_str(),
        "operation": f.change.operation,
        "operation_id": f.change.operation_id,
        "old_pointer": f.change.old_pointer,
        "new_pointer": f.change.new_pointer,
        "message": f.change.message,
        "ignored": f.ignored,
    })
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Escapes a Markdown table cell (text the tool or the project wrote).
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
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

fn table(out: &mut String, rows: &[&Finding], reasons: bool) {
    if reasons {
        out.push_str("| rule | operation | change | where | reason |\n|---|---|---|---|---|\n");
    } else {
        out.push_str("| rule | operation | change | where |\n|---|---|---|---|\n");
    }
    for f in rows {
        let c = &f.change;
        let pointer = c.location();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |",
            c.rule.id(),
            c.operation
                .as_deref()
                .map_or(String::new(), |o| code_span(o, true)),
            code_span(&c.message, true),
            code_span(pointer, true)
        ));
        if reasons {
            out.push_str(&format!(" {} |", cell(f.ignored.as_deref().unwrap_or(""))));
        }
        out.push('\n');
    }
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
