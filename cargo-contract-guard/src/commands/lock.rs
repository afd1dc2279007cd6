//! `lock`: pin every selected contract at its spec's current fingerprint.

use contract_core::project::pin;
use contract_core::project::workspace::LOCK_FILE_NAME;

use crate::cli::LockArgs;
use crate::error::{CliError, CliResult};
use crate::{exit, ui};

pub fn run(args: &LockArgs) -> CliResult {
    let workspace = super::load_workspace(&args.ws)?;
    let _guard = super::lock_workspace(&workspace)?;
    let selected = workspace.selected_contracts(&args.ws.selection(&workspace)?, &[])?;
    if args.locked.any() {
        let changes = pin::locked_changes(&workspace, &selected)?;
        if !changes.is_empty() {
            return Err(CliError::new(format!(
                "`{LOCK_FILE_NAME}` needs to change ({}) but `--locked` was given",
                changes.join("; ")
            ))
            .with_hint("run `cargo contract-guard lock` without `--locked` and commit the result")
            .with_code(exit::DRIFT));
        }
        ui::status(
            ui::GOOD,
            "Fresh",
            format!("`{LOCK_FILE_NAME}` is up to date"),
        );
        return Ok(exit::OK);
    }
    let outcome = pin::relock(&workspace, &selected)?;
    for name in &outcome.changed {
        let entry = outcome
            .lock
            .contracts
            .iter()
            .find(|e| &e.display_name() == name);
        if let Some(entry) = entry {
            ui::status(
                ui::GOOD,
                "Pinned",
                format!("{name} at {}", entry.fingerprint.short()),
            );
        }
    }
    for name in &outcome.removed {
        ui::status(ui::WARN, "Removed", format!("{name} (no longer declared)"));
    }
    let count = outcome.lock.contracts.len();
    if outcome.written {
        ui::status(
            ui::GOOD,
            "Locked",
            format!("{count} contract(s) in `{LOCK_FILE_NAME}`"),
        );
    } else {
        ui::status(
            ui::GOOD,
            "Fresh",
            format!("`{LOCK_FILE_NAME}` is up to date ({count} contract(s))"),
        );
    }
    Ok(exit::OK)
}
