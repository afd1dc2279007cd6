//! `inspect`: the contract records embedded in a binary; exit 1 when it has none.

use contract_core::error::with_causes;
use contract_core::gates::record::{self, Inspection, Record};
use serde_json::json;

use crate::cli::{InspectArgs, MessageFormat};
use crate::error::CliResult;
use crate::{exit, ui};

pub fn run(args: &InspectArgs) -> CliResult {
    let found = record::read_file(&args.binary)?;
    let binary = args.binary.display().to_string();
    match args.message_format {
        MessageFormat::Json => {
            for r in &found.records {
                ui::json_line(&record_json(r));
            }
            for bad in &found.invalid {
                ui::json_line(&json!({
                    "type": "invalid",
                    "offset": bad.offset,
                    "message": with_causes(&bad.error),
                }));
            }
            ui::json_line(&json!({
                "type": "summary",
                "binary": binary,
                "format": found.format.name(),
                "sections": found.sections,
                "scanned": found.scanned,
                "records": found.records.len(),
                "invalid": found.invalid.len(),
                "truncated": found.truncated,
            }));
        }
        MessageFormat::Human => {
            if !found.records.is_empty() {
                let mut table =
                    ui::Table::new(&["CONTRACT", "CRATE VERSION", "FROM", "SPEC FINGERPRINT"]);
                for r in &found.records {
                    table.row_with_state(
                        vec![
                            format!("{}/{}", r.crate_name, r.contract),
                            r.crate_version.clone(),
                            r.kind.name(),
                        ],
                        r.spec_fingerprint.to_string(),
                        anstyle::Style::new(),
                    );
                }
                table.print();
            }
            report_problems(&binary, &found);
            if found.records.is_empty() {
                ui::finding(
                    ui::BAD,
                    "Missing",
                    format!("no contract records in `{binary}`"),
                );
                ui::help(
                    "generated clients and `contract_macros::embed!(\"<NAME>\")` embed them; \
                     a library crate the binary never uses is not linked, and its records with it",
                );
            } else {
                ui::status(
                    ui::GOOD,
                    "Found",
                    format!(
                        "{} contract record(s) in `{binary}` ({})",
                        found.records.len(),
                        location(&found)
                    ),
                );
            }
        }
    }
    Ok(if found.records.is_empty() {
        exit::DRIFT
    } else {
        exit::OK
    })
}

/// A record as `inspect` and `verify-binary` print it in JSON.
pub fn record_json(r: &Record) -> serde_json::Value {
    json!({
        "type": "record",
        "contract": r.contract,
        "crate": r.crate_name,
        "crate_version": r.crate_version,
        "from": r.kind.name(),
        "spec_fingerprint": r.spec_fingerprint.to_string(),
        "generator": r.generator,
        "settings_fingerprint": r.settings_fingerprint.map(|d| d.to_string()),
    })
}

/// Where the records were found: `elf, section .contract_guard`.
fn location(found: &Inspection) -> String {
    let mut parts = vec![found.format.name().to_string()];
    if !found.sections.is_empty() {
        parts.push(format!("section {}", found.sections.join(", ")));
    }
    if found.scanned {
        parts.push("found by scanning the file: it has no record section".into());
    }
    parts.join(", ")
}

/// Warnings about invalid or dropped records (stderr).
pub fn report_problems(binary: &str, found: &Inspection) {
    for bad in &found.invalid {
        ui::finding(
            ui::WARN,
            "Warning",
            format!(
                "`{binary}`: invalid record at offset {:#x}: {}",
                bad.offset,
                with_causes(&bad.error)
            ),
        );
    }
    if found.truncated {
        ui::finding(
            ui::WARN,
            "Warning",
            format!(
                "`{binary}`: more than {} records; the rest were not read",
                record::read::MAX_RECORDS
            ),
        );
    }
}
