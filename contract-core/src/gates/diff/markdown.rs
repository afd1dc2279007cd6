//! `diff --message-format markdown`: the pull-request comment. It always fits one GitHub
//! comment (65,536 characters): the verdict and two summary tables (changes by severity, and
//! by operation) come first, then the changes themselves in collapsed `<details>` blocks, most
//! severe first, as many as fit; when some do not, a notice under the tables counts what was
//! left out per severity and gives the command that lists everything.
//!
//! The bound is kept in bytes of UTF-8, which are never fewer than characters or UTF-16 code
//! units, whatever GitHub counts. Every piece of spec text is one code span
//! ([`code_span`]) and is cut to a fixed length first, so that no single change can take the
//! whole comment.

use std::collections::BTreeMap;

use super::review::{Finding, Report, code_span};
use super::rules::Severity;
use crate::spec::Located;

/// GitHub's limit on the body of a pull-request comment, in characters.
pub const GITHUB_COMMENT_LIMIT: usize = 65_536;

/// The default size bound of the comment, in bytes: under [`GITHUB_COMMENT_LIMIT`], with room
/// for a marker or a heading that a commenting action adds.
pub const DEFAULT_BUDGET: usize = 64_000;

/// The operations listed in the summary table by name; the others are one row of totals.
const OPERATION_ROWS: usize = 20;

/// Longest change message, operation, pointer and reason shown, in characters.
const MESSAGE_CHARS: usize = 400;
const NAME_CHARS: usize = 160;
const POINTER_CHARS: usize = 240;

/// What the comment says besides the findings.
#[derive(Debug, Clone)]
pub struct Comment<'a> {
    /// How the old spec is named (the file as given, or `<spec>@sha256:<12 hex>`).
    pub old_source: &'a str,
    /// How the new spec is named.
    pub new_source: &'a str,
    /// The level the verdict is judged at.
    pub fail_on: Severity,
    /// Where each finding is in the new spec, in the order of [`Report::findings`]; empty
    /// when not located.
    pub places: &'a [Located],
    /// The command that lists every change (said when some are left out).
    pub full_command: &'a str,
    /// The size bound, in bytes.
    pub budget: usize,
}

impl Report {
    /// The Markdown comment with default settings: no locations, the generic command, the
    /// default budget.
    pub fn to_markdown(&self, old_source: &str, new_source: &str, fail_on: Severity) -> String {
        self.to_comment(&Comment {
            old_source,
            new_source,
            fail_on,
            places: &[],
            full_command: "cargo contract-guard diff <OLD> <NEW> --message-format json",
            budget: DEFAULT_BUDGET,
        })
    }

    /// The Markdown comment, at most `comment.budget` bytes long (unless the budget is smaller
    /// than the summary tables, which are always written whole).
    pub fn to_comment(&self, comment: &Comment<'_>) -> String {
        let head = head(self, comment);
        let total = self.findings.len();
        let notice_room = notice(&[total; 5], total, comment.full_command).len();
        let room = comment
            .budget
            .saturating_sub(head.len() + notice_room + "\n".len());
        let (details, left_out) = details(self, comment.places, room);
        let mut out = head;
        if left_out.iter().any(|&n| n > 0) {
            out.push('\n');
            out.push_str(&notice(&left_out, total, comment.full_command));
        }
        out.push_str(&details);
        out
    }
}

/// The heading, the verdict and the two summary tables.
fn head(report: &Report, comment: &Comment<'_>) -> String {
    // A version made of letters, digits, `.`, `-` and `+` is shown as it is.
    let version = |v: &Option<String>| match v.as_deref() {
        None => String::new(),
        Some(v)
            if v.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-+".contains(c))
                && v.len() <= NAME_CHARS =>
        {
            format!(" ({v})")
        }
        Some(v) => format!(" ({})", code_span(&cut(v, NAME_CHARS), false)),
    };
    let mut out = format!(
        "## API changes: {}{} → {}{}\n\n",
        code_span(&cut(comment.old_source, POINTER_CHARS), false),
        version(&report.old_version),
        code_span(&cut(comment.new_source, POINTER_CHARS), false),
        version(&report.new_version)
    );
    let fail_on = comment.fail_on;
    if report.fails(fail_on) {
        out.push_str(&format!("**Fails** at `--fail-on {fail_on}`.\n\n"));
    } else {
        out.push_str(&format!("Passes at `--fail-on {fail_on}`.\n\n"));
    }
    let s = report.summary();
    out.push_str(&format!(
        "| severity | changes |\n|---|---:|\n| security | {} |\n| breaking | {} |\n| warning | {} |\n| info | {} |\n| ignored | {} |\n",
        s.security, s.breaking, s.warning, s.info, s.ignored
    ));
    by_operation(&mut out, report);
    out
}

/// Counts of the findings that are not ignored, most severe first.
type Counts = [usize; 4];

fn slot(severity: Severity) -> usize {
    Severity::ALL
        .iter()
        .position(|s| *s == severity)
        .unwrap_or(0)
}

/// The table of changes per operation, most affected first (by security, then breaking,
/// warning and info counts), the operations past [`OPERATION_ROWS`] summed in one row.
fn by_operation(out: &mut String, report: &Report) {
    let mut per: BTreeMap<Option<&str>, Counts> = BTreeMap::new();
    for f in report.findings.iter().filter(|f| f.ignored.is_none()) {
        per.entry(f.change.operation.as_deref()).or_default()[slot(f.severity)] += 1;
    }
    if per.is_empty() {
        return;
    }
    let mut rows: Vec<(Option<&str>, Counts)> = per.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let operations = rows
        .iter()
        .filter(|(operation, _)| operation.is_some())
        .count();
    out.push_str(&format!(
        "\n**By operation** ({operations} operation(s) changed; most affected first)\n\n| operation | security | breaking | warning | info |\n|---|---:|---:|---:|---:|\n"
    ));
    let row = |out: &mut String, name: String, c: &Counts| {
        out.push_str(&format!(
            "| {name} | {} | {} | {} | {} |\n",
            c[0], c[1], c[2], c[3]
        ));
    };
    for (operation, counts) in rows.iter().take(OPERATION_ROWS) {
        let name = match operation {
            Some(label) => code_span(&cut(label, NAME_CHARS), true),
            None => "(no operation: components, document)".to_string(),
        };
        row(out, name, counts);
    }
    if rows.len() > OPERATION_ROWS {
        let mut rest = Counts::default();
        for (_, counts) in &rows[OPERATION_ROWS..] {
            for (sum, n) in rest.iter_mut().zip(counts) {
                *sum += n;
            }
        }
        let more = rows.len() - OPERATION_ROWS;
        row(out, format!("… {more} more"), &rest);
    }
}

/// The per-severity sections (and the ignored changes), as many rows as fit in `room` bytes,
/// and the count left out per severity (then ignored).
fn details(report: &Report, places: &[Located], room: usize) -> (String, [usize; 5]) {
    let mut out = String::new();
    let mut left_out = [0; 5];
    let mut full = false;
    let sections = Severity::ALL
        .iter()
        .map(|s| Some(*s))
        .chain(std::iter::once(None));
    for (index, severity) in sections.enumerate() {
        let rows: Vec<(&Finding, Option<&Located>)> = report
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| match severity {
                Some(s) => f.ignored.is_none() && f.severity == s,
                None => f.ignored.is_some(),
            })
            .map(|(i, f)| (f, places.get(i)))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let reasons = severity.is_none();
        let title = severity.map_or("Ignored".to_string(), |s| capitalized(s.as_str()));
        let mut body = String::new();
        let mut listed = 0;
        for (f, place) in &rows {
            let line = row(f, *place, reasons);
            // The section's opening and closing are at most 200 bytes.
            if full || out.len() + body.len() + line.len() + 200 > room {
                full = true;
                break;
            }
            body.push_str(&line);
            listed += 1;
        }
        left_out[index] = rows.len() - listed;
        if listed == 0 {
            continue;
        }
        let count = if listed == rows.len() {
            rows.len().to_string()
        } else {
            format!("{} of {}", listed, rows.len())
        };
        out.push_str(&format!(
            "\n<details><summary>{title} ({count})</summary>\n\n{}{body}\n</details>\n",
            table_head(reasons)
        ));
    }
    (out, left_out)
}

/// What was left out, and how to see it all.
fn notice(left_out: &[usize; 5], total: usize, full_command: &str) -> String {
    let missing: usize = left_out.iter().sum();
    format!(
        "> [!WARNING]\n> **{missing} of {total} changes are not listed** to fit GitHub's comment limit ({GITHUB_COMMENT_LIMIT} characters): {} security, {} breaking, {} warning, {} info and {} ignored. The tables above count every change. To see them all, run {}\n",
        left_out[0],
        left_out[1],
        left_out[2],
        left_out[3],
        left_out[4],
        code_span(full_command, false)
    )
}

fn table_head(reasons: bool) -> &'static str {
    if reasons {
        "| rule | operation | change | where | reason |\n|---|---|---|---|---|\n"
    } else {
        "| rule | operation | change | where |\n|---|---|---|---|\n"
    }
}

/// One table row: the rule, the operation, the message, and where: the pointer and, when
/// located, the file, line and column in the new spec.
fn row(f: &Finding, place: Option<&Located>, reasons: bool) -> String {
    let c = &f.change;
    // One code span, as every cell with spec text: `<pointer> at <file>:<line>:<column>`.
    let mut at = cut(c.location(), POINTER_CHARS).into_owned();
    if let Some(place) = place.filter(|p| p.line.is_some()) {
        at.push_str(&format!(" at {}", cut(&place.to_string(), POINTER_CHARS)));
    }
    let at = code_span(&at, true);
    let mut line = format!(
        "| `{}` | {} | {} | {} |",
        c.rule.id(),
        c.operation
            .as_deref()
            .map_or(String::new(), |operation| code_span(
                &cut(operation, NAME_CHARS),
                true
            )),
        code_span(&cut(&c.message, MESSAGE_CHARS), true),
        at
    );
    if reasons {
        let reason = cut(f.ignored.as_deref().unwrap_or(""), MESSAGE_CHARS);
        line.push_str(&format!(" {} |", cell(&reason)));
    }
    line.push('\n');
    line
}

/// `text` cut to `max` characters, ending with `…` when cut.
fn cut(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..end])),
    }
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::gates::diff::{Change, DiffConfig, Rule};

    /// A rule of each severity, most severe first.
    fn rule_of(severity: Severity) -> Rule {
        *Rule::ALL
            .iter()
            .find(|r| r.default_severity() == severity && **r != Rule::VersionNotBumped)
            .unwrap()
    }

    /// `n` changes per severity (`n / 100` for security) spread over `operations` operations,
    /// each message long and full of Markdown and HTML a spec could hold.
    fn big_report(n: usize, operations: usize) -> Report {
        let mut changes = Vec::new();
        for severity in Severity::ALL {
            let count = if severity == Severity::Security {
                n / 100
            } else {
                n
            };
            for i in 0..count {
                let operation = format!("GET /things/{}/`x`|<details>", i % operations);
                changes.push(Change {
                    rule: rule_of(severity),
                    old_pointer: Some(format!("/paths/~1things~1{i}/get")),
                    new_pointer: Some(format!("/paths/~1things~1{i}/get")),
                    affects: (i % 7 != 0)
                        .then(|| operation.clone())
                        .into_iter()
                        .collect(),
                    affects_cut: false,
                    operation: (i % 7 != 0).then_some(operation),
                    operation_id: None,
                    message: format!(
                        "property `{}` changed\n| </details> @team {i}",
                        "p".repeat(i % 300)
                    ),
                });
            }
        }
        let (old, new) = (
            json!({"info": {"version": "1"}}),
            json!({"info": {"version": "2"}}),
        );
        Report::build(&old, &new, changes, &DiffConfig::default())
    }

    /// The rows of the details tables.
    fn listed_rows(md: &str) -> usize {
        let details = md.find("\n<details>").map_or("", |at| &md[at..]);
        details.lines().filter(|l| l.starts_with("| `")).count()
    }

    #[test]
    fn a_big_diff_fits_one_comment_and_says_what_it_left_out() {
        let report = big_report(3_000, 900);
        let md = report.to_comment(&Comment {
            old_source: "old.json",
            new_source: "new.json",
            fail_on: Severity::Breaking,
            places: &[],
            full_command: "cargo contract-guard diff old.json new.json --message-format json",
            budget: DEFAULT_BUDGET,
        });
        assert!(
            md.len() <= DEFAULT_BUDGET && DEFAULT_BUDGET < GITHUB_COMMENT_LIMIT,
            "{}",
            md.len()
        );
        let s = report.summary();
        for (severity, count) in [
            ("security", s.security),
            ("breaking", s.breaking),
            ("warning", s.warning),
            ("info", s.info),
        ] {
            assert!(
                md.contains(&format!("| {severity} | {count} |\n")),
                "no {severity} count"
            );
        }
        // The notice counts what is not listed, and names the command that lists it.
        let total = report.findings.len();
        let listed = listed_rows(&md);
        assert!(listed > 100 && listed < total, "{listed} listed");
        assert!(
            md.contains(&format!(
                "**{} of {total} changes are not listed**",
                total - listed
            )),
            "{}",
            &md[..3000]
        );
        assert!(md.contains("`cargo contract-guard diff old.json new.json --message-format json`"));
        // Security first and whole; the sections that are cut say how many they list.
        assert!(md.contains(&format!("<summary>Security ({})</summary>", s.security)));
        assert!(md.contains(&format!(
            "<summary>Breaking ({listed_breaking} of {})</summary>",
            s.breaking,
            listed_breaking = listed - s.security
        )));
        assert!(
            !md.contains("<summary>Info"),
            "nothing of the info section fits"
        );
        // The notice comes before the details; every block is closed.
        let opened = md.matches("\n<details><summary>").count();
        assert!(md.find("[!WARNING]").unwrap() < md.find("\n<details><summary>").unwrap());
        assert_eq!((opened, md.matches("\n</details>\n").count()), (2, 2));
    }

    #[test]
    fn a_small_diff_is_listed_whole_without_a_notice() {
        let report = big_report(100, 3);
        let md = report.to_markdown("old.json", "new.json", Severity::Breaking);
        assert_eq!(listed_rows(&md), report.findings.len());
        assert!(!md.contains("[!WARNING]"), "{md}");
        assert!(md.contains("<summary>Info (100)</summary>"), "{md}");
    }

    #[test]
    fn the_operation_table_sums_to_the_totals() {
        let report = big_report(200, 60);
        let md = report.to_markdown("old.json", "new.json", Severity::Breaking);
        let table = &md[md.find("**By operation**").unwrap()..md.find("\n<details>").unwrap()];
        assert!(
            table.starts_with("**By operation** (60 operation(s) changed"),
            "{table}"
        );
        let rows: Vec<&str> = table
            .lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| operation"))
            .collect();
        assert_eq!(rows.len(), OPERATION_ROWS + 1, "{table}");
        assert!(
            rows.last().unwrap().starts_with("| … 41 more |"),
            "60 operations and the document"
        );
        let mut sums = [0; 4];
        for row in rows {
            let cells: Vec<&str> = row.rsplitn(6, '|').collect();
            for (k, sum) in sums.iter_mut().enumerate() {
                *sum += cells[4 - k].trim().parse::<usize>().unwrap();
            }
        }
        let s = report.summary();
        assert_eq!(sums, [s.security, s.breaking, s.warning, s.info]);
        // Most affected first: the row with security changes leads.
        assert!(md.contains("| operation | security |"));
    }

    #[test]
    fn long_spec_text_is_cut() {
        let long = "x".repeat(10_000);
        assert_eq!(cut(&long, 5), "xxxxx…");
        assert_eq!(cut("héllo", 5), "héllo");
        assert_eq!(cut("héllo", 2), "hé…");
    }
}
