//! `cargo xtask corpus --warnings`: rustc's warnings in every client of ours, each built as a
//! binary crate that declares it as a module and calls nothing of it (the strictest place:
//! dead code warns in a binary, not in a library). Writes `warnings-report.md` (totals by
//! lint, then one row per spec with warnings) and `warnings-report.json` (every spec).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Row;

/// One lint's warnings in one client.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Lint {
    /// How many.
    pub count: usize,
    /// The first one: message and place.
    pub first: String,
}

/// Writes both reports under `out`; returns the terminal summary and the total of warnings.
pub fn write_report(out: &Path, rows: &[Row], check_secs: f64) -> Result<(String, usize), String> {
    let distinct: Vec<&Row> = rows.iter().filter(|r| r.duplicate_of.is_none()).collect();
    let checked: Vec<&Row> = distinct
        .iter()
        .copied()
        .filter(|r| r.ours.stage == "ok")
        .collect();
    let mut by_lint: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for row in &checked {
        for (lint, found) in &row.ours.warnings {
            let entry = by_lint.entry(lint).or_default();
            entry.0 += found.count;
            entry.1 += 1;
        }
    }
    let total: usize = by_lint.values().map(|(count, _)| count).sum();
    let with_warnings: Vec<&Row> = checked
        .iter()
        .copied()
        .filter(|r| !r.ours.warnings.is_empty())
        .collect();

    let mut short = String::new();
    let _ = writeln!(
        short,
        "{total} warnings in {} of {} clients checked ({} distinct specs, {} not generated or not compiled); `cargo check` {check_secs:.0} s",
        with_warnings.len(),
        checked.len(),
        distinct.len(),
        distinct.len() - checked.len(),
    );
    for (lint, (count, specs)) in &by_lint {
        let _ = writeln!(short, "  {lint:<32} {count:>6} in {specs} specs");
    }
    for row in distinct.iter().filter(|r| r.ours.stage != "ok") {
        let _ = writeln!(
            short,
            "  not checked: {} ({}: {})",
            row.file,
            row.ours.stage,
            row.ours.error.as_deref().unwrap_or("")
        );
    }

    let mut md = String::from("# Warnings report\n\n");
    let _ = writeln!(
        md,
        "Each client of ours built as a binary crate (`#[path = \"lib.rs\"] mod client; fn main() {{}}`), warnings counted from `cargo check --message-format json`.\n"
    );
    let _ = writeln!(md, "```text\n{short}```\n");
    let _ = writeln!(md, "## Specs with warnings\n");
    if with_warnings.is_empty() {
        md.push_str("None.\n");
    } else {
        md.push_str("| spec | lint | warnings | first |\n|---|---|---|---|\n");
        for row in &with_warnings {
            for (lint, found) in &row.ours.warnings {
                let _ = writeln!(
                    md,
                    "| `{}` | `{lint}` | {} | {} |",
                    row.file,
                    found.count,
                    found.first.replace('|', "\\|")
                );
            }
        }
    }
    std::fs::write(out.join("warnings-report.md"), md).map_err(|e| e.to_string())?;
    let json = serde_json::json!({
        "total": total,
        "by_lint": by_lint
            .iter()
            .map(|(lint, (count, specs))| (lint.to_string(), serde_json::json!({"warnings": count, "specs": specs})))
            .collect::<serde_json::Map<_, _>>(),
        "check_secs": check_secs,
        "rows": distinct
            .iter()
            .map(|r| serde_json::json!({"file": r.file, "stage": r.ours.stage, "error": r.ours.error, "warnings": r.ours.warnings}))
            .collect::<Vec<_>>(),
    });
    let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
    std::fs::write(out.join("warnings-report.json"), text + "\n").map_err(|e| e.to_string())?;
    Ok((short, total))
}
