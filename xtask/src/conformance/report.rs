//! `target/conformance/report.md` and `report.json`: counts per spec and in total, then every
//! operation that did not pass with its reason. Specs in path order, operations by label.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::SpecResult;
use super::classify::Verdict;
use super::server::PRISM;

#[derive(Serialize)]
struct Report<'a> {
    prism: &'a str,
    totals: BTreeMap<String, usize>,
    specs: &'a [SpecResult],
}

/// Writes both files; returns the summary line.
pub fn write(out: &Path, results: &[SpecResult], seconds: f64) -> Result<String, String> {
    let mut totals: BTreeMap<String, usize> = Verdict::ALL
        .iter()
        .map(|v| (v.name().to_string(), 0))
        .collect();
    for result in results {
        for (verdict, n) in &result.counts {
            *totals.entry(verdict.clone()).or_default() += n;
        }
    }
    let report = Report {
        prism: PRISM,
        totals: totals.clone(),
        specs: results,
    };
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n";
    let io = |file: &Path, e: std::io::Error| format!("`{}`: {e}", file.display());
    let file = out.join("report.json");
    std::fs::write(&file, json).map_err(|e| io(&file, e))?;
    let summary = summary(&totals, results.len());
    let file = out.join("report.md");
    std::fs::write(&file, markdown(results, &totals, &summary)).map_err(|e| io(&file, e))?;
    Ok(format!("{summary} ({seconds:.0} s)"))
}

/// `N specs, M operations: P pass (x% of the E exercised), …`.
fn summary(totals: &BTreeMap<String, usize>, specs: usize) -> String {
    let get = |v: Verdict| totals.get(v.name()).copied().unwrap_or(0);
    let exercised =
        get(Verdict::Pass) + get(Verdict::RequestRejected) + get(Verdict::ResponseUndecodable);
    let all = exercised + get(Verdict::NotExercised);
    let share = if exercised == 0 {
        0.0
    } else {
        100.0 * get(Verdict::Pass) as f64 / exercised as f64
    };
    format!(
        "conformance: {specs} specs, {all} operations, {exercised} exercised: {} pass ({share:.2}%), {} request-rejected, {} response-undecodable; {} not exercised",
        get(Verdict::Pass),
        get(Verdict::RequestRejected),
        get(Verdict::ResponseUndecodable),
        get(Verdict::NotExercised),
    )
}

fn markdown(results: &[SpecResult], totals: &BTreeMap<String, usize>, summary: &str) -> String {
    let mut out = format!("# Conformance against Prism ({PRISM})\n\n{summary}\n\n");
    out.push_str("| spec | stage | pass | request-rejected | response-undecodable | not-exercised |\n|---|---|---|---|---|---|\n");
    let count =
        |counts: &BTreeMap<String, usize>, v: Verdict| counts.get(v.name()).copied().unwrap_or(0);
    for result in results {
        let c = &result.counts;
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            result.file,
            result.stage,
            count(c, Verdict::Pass),
            count(c, Verdict::RequestRejected),
            count(c, Verdict::ResponseUndecodable),
            count(c, Verdict::NotExercised)
        )
        .ok();
    }
    writeln!(
        out,
        "| **total** | | {} | {} | {} | {} |\n",
        count(totals, Verdict::Pass),
        count(totals, Verdict::RequestRejected),
        count(totals, Verdict::ResponseUndecodable),
        count(totals, Verdict::NotExercised)
    )
    .ok();
    for verdict in [
        Verdict::RequestRejected,
        Verdict::ResponseUndecodable,
        Verdict::NotExercised,
    ] {
        writeln!(out, "## {}\n", verdict.name()).ok();
        for result in results {
            if let Some(error) = &result.error
                && verdict == Verdict::NotExercised
            {
                let (file, stage) = (&result.file, &result.stage);
                writeln!(out, "- `{file}` stopped at `{stage}`: {error}").ok();
            }
            for operation in result.operations.iter().filter(|o| o.verdict == verdict) {
                writeln!(
                    out,
                    "- `{}` `{}`: {}",
                    result.file, operation.operation, operation.reason
                )
                .ok();
            }
        }
        out.push('\n');
    }
    out
}
