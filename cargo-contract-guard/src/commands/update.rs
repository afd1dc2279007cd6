//! `update <NAME> [--allow-breaking]`: show what moving a contract's pin to its spec on disk
//! changes, refuse breaking and security changes unless allowed (writing nothing), else
//! re-pin and regenerate in one step.

use contract_core::codegen::{self, GenerateOptions, Outcome};
use contract_core::gates::diff::{self, Severity};
use contract_core::project::contract::Contract;
use contract_core::project::lock::LockFile;
use contract_core::project::pin;
use contract_core::project::workspace::Workspace;
use contract_core::spec::cache as spec_cache;
use contract_core::spec::{self, LoadedSpec};

use crate::cli::UpdateArgs;
use crate::error::{CliError, CliResult};
use crate::{exit, ui};

use super::diff::{find_contract, pinned_side, print_human, summarize};

pub fn run(args: &UpdateArgs) -> CliResult {
    let workspace = super::load_workspace(&args.ws)?;
    let _guard = super::lock_workspace(&workspace)?;
    let contract = find_contract(Some(&workspace), &args.ws, &args.name)?;
    let display = contract.display_name();
    let lock = LockFile::read(&workspace.lock_path())?;
    let entry = lock.as_ref().and_then(|l| l.entry(contract)).cloned();
    let current = contract.load_spec()?;
    diff::ensure_supported(&current.path, &current.version)?;

    match &entry {
        Some(entry) if entry.fingerprint == current.fingerprint => {
            ui::status(
                ui::GOOD,
                "Fresh",
                format!("{display}: the pin already matches `{}`", contract.spec_rel),
            );
            return Ok(exit::OK);
        }
        None => ui::status(
            ui::WARN,
            "Unpinned",
            format!("{display} has no pin yet: pinning it without a diff"),
        ),
        Some(_) => {
            if !review(&workspace, contract, &current, args.allow_breaking)? {
                return Ok(exit::DRIFT);
            }
        }
    }
    repin(&workspace, contract, &current)
}

/// Prints what moving `contract`'s pin to `current` changes. `false` (after saying why) when
/// the changes are at or above the contract's `fail_on` and `--allow-breaking` was not given.
fn review(
    workspace: &Workspace,
    contract: &Contract,
    current: &LoadedSpec,
    allow_breaking: bool,
) -> Result<bool, CliError> {
    let pinned = match pinned_side(workspace, contract) {
        Err(err) if allow_breaking => {
            ui::status(
                ui::WARN,
                "Warning",
                format!(
                    "{}; re-pinning without a diff (--allow-breaking)",
                    err.message
                ),
            );
            return Ok(true);
        }
        Err(err) => return Err(err),
        Ok(pinned) => pinned,
    };
    let (document, origins) = current.inlined()?;
    let mut report = diff::diff(&pinned.spec.document, &document, &contract.diff);
    let fail_on = contract.diff.fail_on.unwrap_or(Severity::Breaking);
    let outside =
        super::diff::split_selection(contract, &pinned.spec.document, &document, &mut report)?;
    print_human(&report, ui::verbose(), &|pointers| {
        spec::locate(&contract.spec_path, &origins, pointers, &contract.root)
    });
    if let Some(outside) = &outside {
        super::diff::print_outside(outside);
    }
    summarize(
        &report,
        &pinned.label,
        &contract.spec_rel,
        fail_on,
        ui::verbose(),
    );
    if !report.fails(fail_on) {
        return Ok(true);
    }
    let name = &contract.name;
    if !allow_breaking {
        ui::finding(
            ui::BAD,
            "Refused",
            format!(
                "{}: changes at or above `{fail_on}`; the pin and the generated client were left as they were",
                contract.display_name()
            ),
        );
        ui::help(format!(
            "review the changes, then accept them with `cargo contract-guard update {name} --allow-breaking`, or record accepted ones under `[package.metadata.contract-guard.contracts.{name}.diff]`"
        ));
        return Ok(false);
    }
    ui::status(
        ui::WARN,
        "Accepted",
        format!("changes at or above `{fail_on}` (--allow-breaking)"),
    );
    Ok(true)
}

/// Pins `contract` at `current` and regenerates its client when it has one.
fn repin(workspace: &Workspace, contract: &Contract, current: &LoadedSpec) -> CliResult {
    let display = contract.display_name();
    if contract.output.is_none() && contract.artifacts.is_empty() {
        pin::relock(workspace, &[contract]).map_err(CliError::from)?;
        ui::status(
            ui::GOOD,
            "Updated",
            format!("{display}: pinned at {}", current.fingerprint.short()),
        );
        return Ok(exit::OK);
    }
    let options = GenerateOptions {
        relock: true,
        ..GenerateOptions::default()
    };
    if let Outcome::Refused(refusal) = codegen::generate_contract(workspace, contract, options)? {
        super::generate::report_refusal(contract, &refusal);
        return Ok(exit::DRIFT);
    }
    let _ = spec_cache::store(&workspace.target_dir, current);
    ui::status(
        ui::GOOD,
        "Updated",
        format!(
            "{display}: pinned at {}, regenerated {}",
            current.fingerprint.short(),
            contract
                .output
                .iter()
                .map(|o| o.rel.as_str())
                .chain(contract.artifacts.iter().map(|a| a.rel.as_str()))
                .map(|rel| format!("`{rel}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    Ok(exit::OK)
}
