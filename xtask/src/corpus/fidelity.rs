//! The fidelity part of the corpus report: per spec and in total, operations in the spec
//! against operations callable in the generated client, schemas degraded to "any value",
//! lossy rewrites by rule, and the specs the default (nothing accepted) would refuse.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use contract_core::codegen::fidelity;

use super::{Outcome, Row};

/// The section of `report.md`, and its lines for the terminal.
pub struct Section {
    pub markdown: String,
    pub short: String,
}

/// Operations callable in the client: those generated, when the client compiled (or was not
/// checked); none otherwise.
pub fn callable(outcome: &Outcome, checked: bool) -> usize {
    let usable = outcome.stage == "ok" || (!checked && outcome.stage == "check");
    if usable { outcome.operations } else { 0 }
}

#[derive(Default)]
struct Totals {
    specs: usize,
    spec_operations: usize,
    callable: usize,
    any_value: usize,
    refused: usize,
    /// Per rule: lossy rewrites, specs.
    losses: BTreeMap<String, (usize, usize)>,
    /// Per rule: every rewrite, specs.
    notes: BTreeMap<String, (usize, usize)>,
    /// Per rule: specs the default would refuse for it.
    refusals: BTreeMap<String, usize>,
}

fn totals(rows: &[Row], checked: bool) -> Totals {
    let mut t = Totals::default();
    let loaded = rows.iter().filter(|r| {
        r.duplicate_of.is_none() && r.ours.stage != "load" && r.ours.stage != "skipped"
    });
    for row in loaded.filter(|r| r.version.starts_with('3')) {
        let o = &row.ours;
        t.specs += 1;
        t.spec_operations += o.spec_operations;
        t.callable += callable(o, checked);
        t.any_value += o.any_value;
        t.refused += usize::from(!o.refused_by_default.is_empty());
        for (rule, n) in &o.losses {
            let e = t.losses.entry(rule.clone()).or_default();
            e.0 += n;
            e.1 += 1;
        }
        for (rule, n) in &o.notes {
            let e = t.notes.entry(rule.clone()).or_default();
            e.0 += n;
            e.1 += 1;
        }
        for rule in &o.refused_by_default {
            *t.refusals.entry(rule.clone()).or_default() += 1;
        }
    }
    t
}

fn percent(n: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        100.0 * n as f64 / of as f64
    }
}

/// The fidelity section over the distinct OpenAPI 3 specs that loaded.
pub fn section(rows: &[Row], checked: bool) -> Section {
    let t = totals(rows, checked);
    let mut md = String::new();
    let headline = format!(
        "Fidelity over {} OpenAPI 3 specs: {}/{} operations callable in the clients ({:.2}%), {} schema(s) degraded to any value, {} lossy rewrite(s); {} spec(s) need `accept` to generate.",
        t.specs,
        t.callable,
        t.spec_operations,
        percent(t.callable, t.spec_operations),
        t.any_value,
        t.losses.values().map(|(n, _)| n).sum::<usize>(),
        t.refused,
    );
    let _ = writeln!(md, "## Fidelity (ours)\n\n{headline}\n");
    let _ = writeln!(
        md,
        "The corpus generates with every refusable rule accepted, to measure what the client loses; \"refused by default\" counts the specs a contract that accepts nothing could not generate. {}\n",
        if checked {
            "Operations are callable when the client compiled."
        } else {
            "The clients were not compiled (`--no-check`): callable operations are those generated."
        }
    );
    let _ = writeln!(
        md,
        "| rule | what it loses | lossy rewrites | specs | refused by default (specs) |\n|---|---|---|---|---|"
    );
    for (rule, (n, specs)) in &t.losses {
        let class = fidelity::class(rule);
        let _ = writeln!(
            md,
            "| `{rule}` | {} | {n} | {specs} | {} |",
            class.map_or("(unclassed)", |c| c.loses),
            t.refusals.get(rule).copied().unwrap_or(0),
        );
    }
    let _ = writeln!(
        md,
        "\n### Every rewrite by rule\n\n| rule | class | notes | specs |\n|---|---|---|---|"
    );
    for (rule, (n, specs)) in &t.notes {
        let class = match fidelity::class(rule) {
            Some(c) if c.refused_by_default() => "lossy, refused by default",
            Some(c) if c.is_lossy() => "lossy",
            Some(_) => "lossless",
            None => "unclassed",
        };
        let _ = writeln!(md, "| `{rule}` | {class} | {n} | {specs} |");
    }
    md.push('\n');
    Section {
        markdown: md,
        short: format!("{headline}\n"),
    }
}
