//! The `--build` section of the schema report.

use std::collections::BTreeMap;

use super::BuildPlan;
use crate::corpus::Row;
use crate::corpus::schema::{drift_table, percent};

/// Totals of the rustc build over the specs.
#[derive(Default)]
struct Totals {
    specs: usize,
    annotated: usize,
    rejected: usize,
    not_annotated: usize,
    unchecked: usize,
    not_built: usize,
    drift: BTreeMap<String, (usize, usize)>,
    /// Specs, annotated types and rejections of the in-process check (every planned spec).
    in_process: (usize, usize, usize),
    /// Accepted structs with no field for some properties, and those properties.
    unread: (usize, usize),
}

/// The `--build` part of the report (markdown section, terminal summary); `None` when the run
/// did not build.
pub fn report(rows: &[Row]) -> Option<(String, String)> {
    let mut totals = Totals::default();
    let mut table = String::from(
        "\n## Built with rustc (`--build`)\n\n| spec | annotated | rejected | not annotated | fields `unchecked` | drifts caught |\n|---|---|---|---|---|---|\n",
    );
    let mut details = String::new();
    for row in rows.iter().filter(|r| r.duplicate_of.is_none()) {
        let Some(plan) = row.ours.schema.as_ref().and_then(|s| s.build.as_ref()) else {
            continue;
        };
        totals.in_process.0 += 1;
        totals.in_process.1 += plan.annotated.len();
        totals.in_process.2 += plan.rejected_in_process.len();
        for (ty, error) in &plan.rejected_in_process {
            details.push_str(&format!(
                "- rejected in-process `{ty}` in `{}`: {error}\n",
                row.file
            ));
        }
        for (ty, properties) in &plan.unread {
            totals.unread.0 += 1;
            totals.unread.1 += properties.len();
            details.push_str(&format!(
                "- `{ty}` in `{}` has no field for: {}\n",
                row.file,
                properties.join(", ")
            ));
        }
        if let Some(failure) = &plan.failure {
            details.push_str(&format!("- `{}`: {failure}\n", row.file));
            // Built, with errors that kept its drift crate from building: the rejections count.
            if plan.rejected.is_empty() {
                totals.not_built += 1;
                continue;
            }
        }
        spec_row(row, plan, &mut totals, &mut table, &mut details);
    }
    if totals.specs == 0 && totals.not_built == 0 {
        return None;
    }
    let summary = build_summary(&totals);
    let md = format!("{table}\n```text\n{summary}```\n\n### Details\n\n{details}");
    Some((md, summary))
}

fn spec_row(
    row: &Row,
    plan: &BuildPlan,
    totals: &mut Totals,
    table: &mut String,
    details: &mut String,
) {
    totals.specs += 1;
    totals.annotated += plan.annotated.len();
    totals.rejected += plan.rejected.len();
    totals.not_annotated += plan.not_annotated.len();
    totals.unchecked += plan.unchecked.len();
    let mut caught = 0;
    let drifts_built = plan.failure.is_none();
    for (file, class, ty, what) in plan.drifts.iter().filter(|_| drifts_built) {
        let tally = totals.drift.entry(class.clone()).or_default();
        tally.1 += 1;
        if plan.caught.contains(file) {
            tally.0 += 1;
            caught += 1;
        } else {
            details.push_str(&format!(
                "- missed drift {class} in `{ty}` (`{}`): {what}\n",
                row.file
            ));
        }
    }
    let drifts = if drifts_built {
        format!("{caught} / {}", plan.drifts.len())
    } else {
        "not built".into()
    };
    table.push_str(&format!(
        "| {} | {} | {} | {} | {} | {drifts} |\n",
        row.file,
        plan.annotated.len(),
        plan.rejected.len(),
        plan.not_annotated.len(),
        plan.unchecked.len(),
    ));
    for (ty, error) in &plan.rejected {
        details.push_str(&format!(
            "- rejected by rustc `{ty}` in `{}`: {error}\n",
            row.file
        ));
    }
    for (ty, field, reason) in &plan.unchecked {
        details.push_str(&format!(
            "- `{ty}.{field}` marked `#[schema(unchecked)]` in `{}`: {reason}\n",
            row.file
        ));
    }
}

fn build_summary(totals: &Totals) -> String {
    let (specs, annotated, rejected) = totals.in_process;
    let in_process = annotated - rejected.min(annotated);
    let mut out = format!(
        "checked in-process: {specs} specs, {in_process} of {annotated} annotated types accepted ({:.2}%), {rejected} rejected; {} accepted structs with no field for some properties of their schema ({} properties the client drops)\n",
        percent(in_process, annotated),
        totals.unread.0,
        totals.unread.1,
    );
    if totals.specs == 0 {
        out.push_str(&format!(
            "built with rustc: none ({} specs not built)\n",
            totals.not_built
        ));
        return out;
    }
    let accepted = totals.annotated - totals.rejected.min(totals.annotated);
    out.push_str(&format!(
        "built with rustc: {} specs, {accepted} of {} annotated types accepted ({:.2}%), {} rejected; {} types not annotated, {} fields `unchecked`; {} specs not built\n",
        totals.specs,
        totals.annotated,
        percent(accepted, totals.annotated),
        totals.rejected,
        totals.not_annotated,
        totals.unchecked,
        totals.not_built,
    ));
    out.push_str(&drift_table("compile-time drift injection", &totals.drift));
    out
}
