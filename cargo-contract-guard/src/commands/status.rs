//! `status`: each contract's pinned and current fingerprint; exit 1 on any mismatch.

use contract_core::error::with_causes;
use contract_core::project::lock::LockFile;
use contract_core::project::pin::{self, PinState};
use serde_json::json;

use crate::cli::{MessageFormat, StatusArgs};
use crate::error::{CliError, CliResult};
use crate::{exit, ui};

pub fn run(args: &StatusArgs) -> CliResult {
    let workspace = super::load_workspace(&args.ws)?;
    let selection = args.ws.selection(&workspace)?;
    let contracts = workspace.selected_contracts(&selection, &[])?;
    let lock = LockFile::read(&workspace.lock_path())?;
    let rows = pin::status(&contracts, lock.as_ref());
    let drift = rows.iter().filter(|r| r.is_drift()).count();
    let errors = rows.iter().filter(|r| r.is_error()).count();
    match args.message_format {
        MessageFormat::Json => {
            for row in &rows {
                ui::json_line(&json!({
                    "type": "contract",
                    "name": row.contract.name,
                    "crate": row.contract.package,
                    "spec": row.contract.spec_rel,
                    "pinned": row.pinned.as_ref().map(|p| p.fingerprint.to_string()),
                    "current": row.current.map(|c| c.to_string()),
                    "state": state_name(&row.state),
                    "error": match &row.state { PinState::SpecError(e) => Some(ui::relative_paths(&with_causes(e))), _ => None },
                    "runtimes": runtimes_json(row),
                }));
            }
            ui::json_line(
                &json!({"type": "summary", "contracts": rows.len(), "drift": drift, "errors": errors}),
            );
        }
        MessageFormat::Human => {
            if rows.is_empty() {
                if !super::warn_if_narrowed_to_nothing(&workspace, &selection, 0) {
                    ui::status(
                        ui::WARN,
                        "Warning",
                        "no contracts declared; add one with `cargo contract-guard add <NAME> <SPEC>`",
                    );
                }
                return Ok(exit::OK);
            }
            let mut table = ui::Table::new(&["CONTRACT", "SPEC", "PINNED", "CURRENT", "STATE"]);
            for row in &rows {
                let short =
                    |d: Option<contract_core::Sha256Digest>| d.map_or("-".into(), |d| d.short());
                let style = if row.is_drift() || row.is_error() {
                    ui::BAD
                } else {
                    ui::GOOD
                };
                table.row_with_state(
                    vec![
                        row.contract.display_name(),
                        row.contract.spec_rel.clone(),
                        short(row.pinned.as_ref().map(|p| p.fingerprint)),
                        short(row.current),
                    ],
                    state_name(&row.state).to_string(),
                    style,
                );
            }
            table.print();
            print_runtimes(&rows);
            for row in &rows {
                if let PinState::SpecError(err) = &row.state {
                    CliError::for_contract(&row.contract.display_name(), err).render();
                }
            }
            if drift > 0 {
                ui::status(
                    ui::BAD,
                    "Drift",
                    format!(
                        "{drift} of {} contract(s) do not match their pin",
                        rows.len()
                    ),
                );
                ui::help("review the spec change, then run `cargo contract-guard lock`");
            }
        }
    }
    Ok(if errors > 0 {
        exit::ERROR
    } else if drift > 0 {
        exit::DRIFT
    } else {
        exit::OK
    })
}

/// Each runtime of each contract: the JSON `runtimes` array of a contract.
fn runtimes_json(row: &pin::ContractStatus<'_>) -> Vec<serde_json::Value> {
    pin::runtimes(row.contract, row.pinned.as_ref())
        .iter()
        .map(|runtime| {
            json!({
                "runtime": runtime.runtime,
                "path": runtime.path,
                "generated_from": runtime.generated_from.map(|f| f.to_string()),
                "spec_version": runtime.spec_version,
                "state": runtime.state(row.pinned.as_ref()),
            })
        })
        .collect()
}

/// The runtimes table, when a contract has artifacts: every runtime of every contract (its
/// Rust client and each artifact) and the spec it was generated from.
fn print_runtimes(rows: &[pin::ContractStatus<'_>]) {
    if rows.iter().all(|row| row.contract.artifacts.is_empty()) {
        return;
    }
    let mut table = ui::Table::new(&["CONTRACT", "RUNTIME", "PATH", "GENERATED FROM", "STATE"]);
    let mut any = false;
    for row in rows {
        for runtime in pin::runtimes(row.contract, row.pinned.as_ref()) {
            any = true;
            let state = runtime.state(row.pinned.as_ref());
            let from = runtime.generated_from.map_or("-".into(), |f| {
                contract_core::project::artifact::version_and_fingerprint(
                    runtime.spec_version.as_deref(),
                    &f,
                )
            });
            table.row_with_state(
                vec![
                    row.contract.display_name(),
                    runtime.runtime,
                    runtime.path,
                    from,
                ],
                state.to_string(),
                if state == "ok" { ui::GOOD } else { ui::BAD },
            );
        }
    }
    if any {
        println!();
        table.print();
    }
}

fn state_name(state: &PinState) -> &'static str {
    match state {
        PinState::Matches => "ok",
        PinState::Drifted => "changed",
        PinState::NotLocked => "not-locked",
        PinState::SpecError(_) => "error",
    }
}
