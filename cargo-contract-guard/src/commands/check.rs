//! `check`: the CI gate. Reports every finding as text for people, JSON lines, SARIF or GitHub
//! annotations; exit 1 on any drift finding (a `degraded` client is information), 2 when a
//! contract could not be checked.

use std::io::Write as _;

use contract_core::error::with_causes;
use contract_core::gates::check::{self, CheckOptions, CheckReport, Finding, FindingKind};
use contract_core::project::lock::LockFile;
use contract_core::project::pin;
use contract_core::report;
use serde_json::json;

use crate::cli::{CheckArgs, ReportFormat};
use crate::error::{CliError, CliResult};
use crate::{exit, ui};

pub fn run(args: &CheckArgs) -> CliResult {
    let workspace = super::load_workspace(&args.ws)?;
    let selection = args.ws.selection(&workspace)?;
    let selected = workspace.selected_contracts(&selection, &args.names)?;
    let lock = LockFile::read(&workspace.lock_path())?;
    let options = CheckOptions { deep: args.deep };
    if args.message_format == ReportFormat::Human {
        super::warn_if_narrowed_to_nothing(&workspace, &selection, selected.len());
    }
    let report = check::check(&workspace, &selection, &selected, lock.as_ref(), options);
    let lock_changes = if (args.locked || args.frozen) && report.errors.is_empty() {
        pin::locked_changes(
            &workspace,
            &workspace.selected_contracts(&Default::default(), &[])?,
        )?
    } else {
        Vec::new()
    };
    let lock_would_change = !lock_changes.is_empty();
    match args.message_format {
        ReportFormat::Json => print_json(&report),
        ReportFormat::Sarif => print(&report::sarif::render_with_errors(
            env!("CARGO_PKG_VERSION"),
            &FindingKind::ALL.map(FindingKind::rule),
            &annotations(&report),
            &error_messages(&report),
        )),
        ReportFormat::Github => {
            print(&report::github::render(&annotations(&report)));
            for message in error_messages(&report) {
                print(&report::github::render_error(&message));
            }
        }
        ReportFormat::Human => print_human(&report),
    }
    for (contract, err) in &report.errors {
        if args.message_format != ReportFormat::Json {
            CliError::for_contract(contract, err).render();
        }
    }
    if lock_would_change {
        CliError::new(format!(
            "`{}` is not up to date and `--locked` was given: {}",
            contract_core::project::workspace::LOCK_FILE_NAME,
            lock_changes.join("; ")
        ))
        .with_hint("run `cargo contract-guard lock` and commit the result")
        .render();
    }
    Ok(if !report.errors.is_empty() {
        exit::ERROR
    } else if report.failing() > 0 || lock_would_change {
        exit::DRIFT
    } else {
        exit::OK
    })
}

/// The contracts that could not be checked, one message each.
fn error_messages(report: &CheckReport) -> Vec<String> {
    report
        .errors
        .iter()
        .map(|(contract, err)| CliError::for_contract(contract, err).message)
        .map(|message| ui::relative_paths(&message))
        .collect()
}

fn annotations(report: &CheckReport) -> Vec<report::Annotation> {
    report.findings.iter().map(Finding::annotation).collect()
}

fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
}

fn print_json(report: &CheckReport) {
    for finding in &report.findings {
        ui::json_line(&finding_json(finding));
    }
    for (contract, err) in &report.errors {
        ui::json_line(
            &json!({"type": "error", "contract": contract, "message": ui::relative_paths(&with_causes(err))}),
        );
    }
    ui::json_line(&json!({
        "type": "summary",
        "contracts": report.contracts,
        "findings": report.findings.len(),
        "failing": report.failing(),
        "errors": report.errors.len(),
    }));
}

/// The JSON object of one finding (schema documented in `docs/src/check.md`).
fn finding_json(finding: &Finding) -> serde_json::Value {
    json!({
        "type": "finding",
        "kind": finding.kind.id(),
        "level": if finding.kind.fails() { "error" } else { "info" },
        "contract": finding.contract,
        "file": finding.file,
        "line": finding.line,
        "message": finding.message,
        "why": finding.kind.why(),
        "fix": finding.fix,
        "diff": finding.diff,
    })
}

fn print_human(report: &CheckReport) {
    for finding in &report.findings {
        print_finding(finding);
    }
    let checked = format!("{} contract(s)", report.contracts);
    let failing = report.failing();
    let info = report.findings.len() - failing;
    let degraded = if info > 0 {
        format!(" ({info} degraded client(s))")
    } else {
        String::new()
    };
    if failing == 0 && report.errors.is_empty() {
        ui::status(
            ui::GOOD,
            "Checked",
            format!("{checked}: no drift{degraded}"),
        );
    } else if failing > 0 {
        ui::status(
            ui::BAD,
            "Drift",
            format!("{failing} finding(s) in {checked}{degraded}"),
        );
    }
}

fn print_finding(finding: &Finding) {
    let mut out = anstream::stdout().lock();
    let location = match finding.line {
        Some(line) => format!("{}:{line}", finding.file),
        None => finding.file.clone(),
    };
    let (style, label) = if finding.kind.fails() {
        (ui::BAD, "drift")
    } else {
        (ui::HELP, "info")
    };
    let _ = writeln!(
        out,
        "{}{label}[{}]{}: {}",
        style.render(),
        finding.kind.id(),
        style.render_reset(),
        ui::printable(&finding.message)
    );
    let _ = writeln!(
        out,
        "  {}-->{} {}",
        ui::HELP.render(),
        ui::HELP.render_reset(),
        ui::printable(&location)
    );
    let _ = writeln!(out, "   = why: {}", finding.kind.why());
    let fix = if finding.kind.fails() { "fix" } else { "note" };
    let _ = writeln!(out, "   = {fix}: {}", ui::printable(&finding.fix));
    if let Some(diff) = &finding.diff {
        for line in diff.lines() {
            let style = match line.as_bytes().first() {
                Some(b'+') if !line.starts_with("+++") => ui::GOOD,
                Some(b'-') if !line.starts_with("---") => ui::BAD,
                _ => anstyle::Style::new(),
            };
            let _ = writeln!(
                out,
                "     {}{}{}",
                style.render(),
                ui::printable(line),
                style.render_reset()
            );
        }
    }
    let _ = writeln!(out);
}
