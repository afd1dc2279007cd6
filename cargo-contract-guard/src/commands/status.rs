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

fn state_name(state: &PinState) -> &'static str {
    match state {
        PinState::Matches => "ok",
        PinState::Drifted => "changed",
        PinState::NotLocked => "not-locked",
        PinState::SpecError(_) => "error",
    }
}
