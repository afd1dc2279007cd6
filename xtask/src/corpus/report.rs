//! The corpus report: `report.md` (summary, GitHub timing, failures, one row per file) and
//! `report.json` (the same data), and a short summary for the terminal.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::bench::Bench;
use super::{Outcome, Pipeline, Row};

/// Wall times of the run.
#[derive(Debug, Serialize)]
pub struct Timing {
    pub generate_secs: f64,
    pub check_secs: Option<f64>,
}

/// Counts for one pipeline over one group of specs.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Count {
    pub specs: usize,
    pub generated: usize,
    pub compiled: usize,
}

impl Count {
    fn add(&mut self, outcome: &Outcome) {
        if outcome.stage == "skipped" {
            return;
        }
        self.specs += 1;
        if outcome.stage == "ok" || outcome.stage == "check" {
            self.generated += 1;
        }
        if outcome.stage == "ok" {
            self.compiled += 1;
        }
    }

    fn cell(&self, n: usize) -> String {
        if self.specs == 0 {
            return "–".into();
        }
        format!(
            "{n}/{} ({:.1}%)",
            self.specs,
            100.0 * n as f64 / self.specs as f64
        )
    }
}

#[derive(Debug, Serialize)]
struct Summary {
    /// Distinct specs (by fingerprint), by pipeline then group (`all`, `3.0`, `3.1`, `2.0`).
    specs: BTreeMap<&'static str, BTreeMap<String, Count>>,
    files: usize,
}

fn group(version: &str) -> String {
    if version.starts_with("3.0") {
        "3.0".into()
    } else if version.starts_with("3.1") {
        "3.1".into()
    } else {
        version.chars().take(3).collect()
    }
}

fn summarize(rows: &[Row]) -> Summary {
    let mut specs: BTreeMap<&'static str, BTreeMap<String, Count>> = BTreeMap::new();
    for row in distinct(rows) {
        for (name, outcome) in [("ours", &row.ours), ("plain", &row.plain)] {
            let groups = specs.entry(name).or_default();
            groups.entry("all".into()).or_default().add(outcome);
            groups.entry(group(&row.version)).or_default().add(outcome);
        }
    }
    Summary {
        specs,
        files: rows.len(),
    }
}

/// Writes both reports under `out` and returns the terminal summary.
pub fn write(
    out: &Path,
    rows: &[Row],
    bench: Option<&Bench>,
    timing: &Timing,
) -> Result<String, String> {
    let summary = summarize(rows);
    let json = serde_json::json!({
        "summary": summary,
        "timing": timing,
        "github": bench,
        "rows": rows,
    });
    let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
    std::fs::write(out.join("report.json"), text + "\n").map_err(|e| e.to_string())?;
    let (markdown, short) = markdown(rows, &summary, bench, timing);
    std::fs::write(out.join("report.md"), markdown).map_err(|e| e.to_string())?;
    Ok(short)
}

fn markdown(
    rows: &[Row],
    summary: &Summary,
    bench: Option<&Bench>,
    timing: &Timing,
) -> (String, String) {
    let mut md = String::new();
    let _ = writeln!(md, "# Corpus report\n");
    let _ = writeln!(
        md,
        "{} files, {} distinct specs (files with the same fingerprint count once). \"generate\": the client was generated; \"compile\": it also passed `cargo check`.\n",
        summary.files,
        distinct(rows).count()
    );
    let table = summary_table(summary, timing);
    md.push_str(&table);
    let _ = writeln!(
        md,
        "\nGeneration of all specs (both pipelines, parallel workers): {:.0} s; `cargo check` of all clients: {}.\n",
        timing.generate_secs,
        timing
            .check_secs
            .map_or("not run".into(), |s| format!("{s:.0} s"))
    );
    let mut short = table;
    if let Some(bench) = bench {
        let line = bench_section(&mut md, bench);
        short.push('\n');
        short.push_str(&line);
        short.push('\n');
    }
    failures_section(&mut md, rows);
    rules_section(&mut md, rows);
    files_section(&mut md, rows);
    (md, short)
}

/// The rows that are not a repeat of an earlier file.
fn distinct(rows: &[Row]) -> impl Iterator<Item = &Row> {
    rows.iter().filter(|r| r.duplicate_of.is_none())
}

/// The table of generated and compiled specs per pipeline (also the terminal summary).
fn summary_table(summary: &Summary, timing: &Timing) -> String {
    let mut table = String::new();
    let _ = writeln!(
        table,
        "| pipeline | specs | generate | compile | 3.0 compile | 3.1 compile |"
    );
    let _ = writeln!(table, "|---|---|---|---|---|---|");
    for (name, label) in [
        ("ours", "cargo-contract-guard (lower + normalise)"),
        ("plain", "plain progenitor 0.15.1"),
    ] {
        let Some(groups) = summary.specs.get(name) else {
            continue;
        };
        let all = groups.get("all").cloned().unwrap_or_default();
        if all.specs == 0 {
            continue;
        }
        let v30 = groups.get("3.0").cloned().unwrap_or_default();
        let v31 = groups.get("3.1").cloned().unwrap_or_default();
        let compiled = |c: &Count| {
            if timing.check_secs.is_some() {
                c.cell(c.compiled)
            } else {
                "not checked".into()
            }
        };
        let _ = writeln!(
            table,
            "| {label} | {} | {} | {} | {} | {} |",
            all.specs,
            all.cell(all.generated),
            compiled(&all),
            compiled(&v30),
            compiled(&v31),
        );
    }
    table
}

/// The GitHub timing section; returns its one-line result for the terminal.
fn bench_section(md: &mut String, bench: &Bench) -> String {
    let line = format!(
        "GitHub spec `{}` ({:.1} MB): ours {:.2} s, plain progenitor on the same lowered and normalised document {:.2} s: **{:.2}×** (median of {} runs each).",
        bench.spec, bench.megabytes, bench.ours_secs, bench.plain_secs, bench.ratio, bench.runs
    );
    let _ = writeln!(md, "## Generation time on the GitHub spec\n\n{line}\n");
    let _ = writeln!(
        md,
        "Ours: load excluded; lowering + normalisation on a copy ({:.2} s of it), progenitor, formatting, header. Plain: `openapiv3` deserialisation, progenitor, formatting.\n",
        bench.prepare_secs
    );
    line
}

/// Every spec that failed, per pipeline, with its first error.
fn failures_section(md: &mut String, rows: &[Row]) {
    let _ = writeln!(md, "## Failures\n");
    let mut any = false;
    for (name, pipeline) in [
        ("ours", Pipeline::Ours),
        ("plain progenitor", Pipeline::Plain),
    ] {
        let failures: Vec<(&Row, &Outcome)> = distinct(rows)
            .map(|row| (row, row.outcome(pipeline)))
            .filter(|(_, outcome)| outcome.stage != "ok" && outcome.stage != "skipped")
            .collect();
        if failures.is_empty() {
            continue;
        }
        any = true;
        let _ = writeln!(md, "### {name} ({})\n", failures.len());
        for (row, outcome) in failures {
            let _ = writeln!(
                md,
                "- `{}` ({}): **{}**: {}",
                row.file,
                row.version,
                outcome.stage,
                outcome.error.as_deref().unwrap_or("").replace('|', "\\|")
            );
        }
        md.push('\n');
    }
    if !any {
        md.push_str("None.\n\n");
    }
}

/// How many notes each rewrite rule made (ours), and in how many specs.
fn rules_section(md: &mut String, rows: &[Row]) {
    let mut rules: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for row in distinct(rows) {
        for (rule, n) in &row.ours.notes {
            let (notes, specs) = rules.entry(rule).or_default();
            *notes += n;
            *specs += 1;
        }
    }
    let _ = writeln!(
        md,
        "## Rewrites by rule (ours)\n\n| rule | notes | specs |\n|---|---|---|"
    );
    for (rule, (n, specs)) in &rules {
        let _ = writeln!(md, "| `{rule}` | {n} | {specs} |");
    }
}

/// One row per corpus file.
fn files_section(md: &mut String, rows: &[Row]) {
    let _ = writeln!(
        md,
        "\n## Every file\n\nTimes in ms: load; lower + normalise; generate (ours, including lowering and normalisation); generate (plain).\n\n| spec | version | ours | plain | ops | notes | load | prepare | gen ours | gen plain | first error (ours) | first error (plain) |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for row in rows {
        let (ours, plain) = (&row.ours, &row.plain);
        let err = |o: &Outcome| {
            o.error
                .as_deref()
                .map(|e| e.chars().take(120).collect::<String>().replace('|', "\\|"))
                .unwrap_or_default()
        };
        let spec = match &row.duplicate_of {
            Some(d) => format!("`{}` (same as `{d}`)", row.file),
            None => format!("`{}`", row.file),
        };
        let _ = writeln!(
            md,
            "| {spec} | {} | {} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {} | {} |",
            row.version,
            ours.stage,
            plain.stage,
            ours.operations,
            ours.notes.values().sum::<usize>(),
            ours.load_ms,
            ours.prepare_ms,
            ours.generate_ms,
            plain.generate_ms,
            err(ours),
            err(plain),
        );
    }
}
