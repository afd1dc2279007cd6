//! One version pair in a child process: loads both specs, diffs them with the default
//! configuration, and prints a [`PairOutcome`] as JSON (time, peak memory, counts per rule
//! and per known false-alarm pattern).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use contract_core::error::with_causes;
use contract_core::gates::diff::{self, DiffConfig, Finding, Severity};
use serde_json::Value;

use super::PairOutcome;

/// Stack for the diff thread: deeply nested specs recurse deeply.
const STACK: usize = 256 << 20;

/// Runs the worker and prints its outcome.
pub fn run(old: &Path, new: &Path) -> Result<ExitCode, String> {
    let (old, new) = (old.to_path_buf(), new.to_path_buf());
    let outcome = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || one(&old, &new))
        .map_err(|e| e.to_string())?
        .join()
        .map_err(|_| "the diff thread panicked".to_string())?;
    println!(
        "{}",
        serde_json::to_string(&outcome).map_err(|e| e.to_string())?
    );
    Ok(ExitCode::SUCCESS)
}

fn one(old: &Path, new: &Path) -> PairOutcome {
    let mut outcome = PairOutcome::default();
    let loaded = contract_core::spec::load(old).and_then(|o| {
        diff::ensure_supported(&o.path, &o.version)?;
        let n = contract_core::spec::load(new)?;
        diff::ensure_supported(&n.path, &n.version)?;
        Ok((o, n))
    });
    let (o, n) = match loaded {
        Ok(pair) => pair,
        Err(e) => {
            outcome.stage = "load".into();
            outcome.error = Some(with_causes(&e).lines().next().unwrap_or("").to_string());
            return outcome;
        }
    };
    let started = Instant::now();
    let report = diff::diff(&o.document, &n.document, &DiffConfig::default());
    outcome.diff_ms = started.elapsed().as_secs_f64() * 1000.0;
    outcome.stage = "ok".into();
    for finding in report.findings.iter().filter(|f| f.ignored.is_none()) {
        *outcome
            .rules
            .entry(finding.change.rule.id().to_string())
            .or_default() += 1;
        *outcome
            .severities
            .entry(finding.severity.as_str().to_string())
            .or_default() += 1;
        if finding.severity == Severity::Breaking {
            for pattern in patterns(&o.document, &n.document, finding) {
                *outcome.patterns.entry(pattern.to_string()).or_default() += 1;
            }
        }
    }
    outcome.peak_rss_kb = peak_rss_kb();
    outcome
}

/// The known false-alarm patterns of issue 18 a breaking finding matches, judged from the
/// documents themselves (not from the diff's own reasoning, so a fix cannot hide them).
fn patterns(old: &Value, new: &Value, finding: &Finding) -> Vec<&'static str> {
    let change = &finding.change;
    let at = |doc: &'static str| {
        let (root, pointer) = match doc {
            "old" => (old, change.old_pointer.as_deref()),
            _ => (new, change.new_pointer.as_deref()),
        };
        pointer.and_then(|p| root.pointer(p))
    };
    let (o, n) = (at("old"), at("new"));
    let mut out = Vec::new();
    if o.is_some_and(is_description_wrapper) != n.is_some_and(is_description_wrapper) {
        out.push("allof-description-wrapper");
    }
    let id = change.rule.id();
    if id == "response-became-nullable"
        && let Some(p) = change.new_pointer.as_deref()
        && is_optional_property(new, p)
    {
        out.push("optional-response-property-nullable");
    }
    if change.operation.is_none() && change.location().starts_with("/components/") {
        out.push("no-operation");
    }
    let m = &change.message;
    if id.ends_with("media-type-removed") && m.contains("*/*") {
        out.push("any-media-type-narrowed");
    }
    if id.contains("format") && m.contains("to `password`") {
        out.push("format-password-added");
    }
    if id.ends_with("type-changed") && m.contains("from any to string") {
        out.push("any-body-to-string");
    }
    out
}

/// `allOf: [X, {description: …}]`: one schema plus members that only annotate it.
fn is_description_wrapper(v: &Value) -> bool {
    let Some(members) = v.get("allOf").and_then(Value::as_array) else {
        return false;
    };
    let annotation = |m: &Value| {
        m.as_object().is_some_and(|m| {
            m.keys()
                .all(|k| matches!(k.as_str(), "description" | "title" | "example" | "xml"))
        })
    };
    members.len() >= 2 && members.iter().filter(|m| !annotation(m)).count() == 1
}

/// Whether `pointer` names a property its parent object does not list as required.
fn is_optional_property(root: &Value, pointer: &str) -> bool {
    let Some((parent, name)) = pointer.rsplit_once('/') else {
        return false;
    };
    let Some(object) = parent.strip_suffix("/properties") else {
        return false;
    };
    let name = name.replace("~1", "/").replace("~0", "~");
    root.pointer(object)
        .and_then(|o| o.get("required"))
        .and_then(Value::as_array)
        .is_none_or(|r| !r.iter().any(|x| x.as_str() == Some(&name)))
}

/// The peak resident set size of this process (`VmHWM`), in KiB; 0 where unknown.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Counts per key, for the report.
pub type Counts = BTreeMap<String, usize>;
