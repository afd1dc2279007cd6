//! `lock`: pin every selected contract at its spec's current fingerprint.

use contract_core::pin;

use crate::cli::LockArgs;
use crate::error::CliResult;
use crate::{exit, ui};

pub fn run(args: &LockArgs) -> CliResult {
    let workspace = super::load_workspace(&args.ws)?;
    let selected = workspace.selected_contracts(&args.ws.selection(), &[])?;
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
    let lock_name = contract_core::workspace::LOCK_FILE_NAME;
    if outcome.written {
        ui::status(
            ui::GOOD,
            "Locked",
            format!(
                "{} contract(s) in `{lock_name}`",
                outcome.lock.contracts.len()
            ),
        );
    } else {
        ui::status(
            ui::GOOD,
            "Fresh",
            format!(
                "`{lock_name}` is up to date ({} contract(s))",
                outcome.lock.contracts.len()
            ),
        );
    }
    Ok(exit::OK)
}
