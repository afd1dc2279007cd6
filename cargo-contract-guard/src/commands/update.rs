//! `update <NAME> [--allow-breaking]`: show what moving a contract's pin to its spec on disk
//! changes, refuse breaking and security changes unless allowed (writing nothing), else
//! re-pin and regenerate in one step.

use contract_core::codegen::{self, GenerateOptions, Outcome};
use contract_core::gates::diff::{self, Severity};
use contract_core::project::lock::LockFile;
use contract_core::project::pin;
use contract_core::spec;
use contract_core::spec::cache as spec_cache;

use crate::cli::UpdateArgs;
use crate::error::{CliError, CliResult};
use crate::{exit, ui};

use super::diff::{find_contract, pinned_side, print_human, summarize};

pub fn run(args: &UpdateArgs) -> CliResult {
    let workspace = super::load_workspace(&args.ws)?;
    let _guard = super::lock_workspace(&workspace)?;
    let contract = find_contract(Some(&workspace), &args.ws, &args.name)?;
    let display = contract.display_name();
    let name = &contract.name;
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
        Some(_) => match pinned_side(&workspace, contract) {
            Err(err) if args.allow_breaking => {
                ui::status(
                    ui::WARN,
                    "Warning",
                    format!(
                        "{}; re-pinning without a diff (--allow-breaking)",
                        err.message
                    ),
                );
            }
            Err(err) => return Err(err),
            Ok(pinned) => {
                let (document, origins) = current.inlined()?;
                let report = diff::diff(&pinned.spec.document, &document, &contract.diff);
                let fail_on = contract.diff.fail_on.unwrap_or(Severity::Breaking);
                print_human(&report, ui::verbose(), &|pointers| {
                    spec::locate(&contract.spec_path, &origins, pointers, &contract.root)
                });
                summarize(
                    &report,
                    &pinned.label,
                    &contract.spec_rel,
                    fail_on,
                    ui::verbose(),
                );
                if report.fails(fail_on) {
                    if !args.allow_breaking {
                        ui::finding(
                            ui::BAD,
                            "Refused",
                            format!(
                                "{display}: changes at or above `{fail_on}`; the pin and the generated client were left as they were"
                            ),
                        );
                        ui::help(format!(
                            "review the changes, then accept them with `cargo contract-guard update {name} --allow-breaking`, or record accepted ones under `[package.metadata.contract-guard.contracts.{name}.diff]`"
                        ));
                        return Ok(exit::DRIFT);
                    }
                    ui::status(
                        ui::WARN,
                        "Accepted",
                        format!("changes at or above `{fail_on}` (--allow-breaking)"),
                    );
                }
            }
        },
    }

    if contract.output.is_some() {
        let options = GenerateOptions {
            relock: true,
            force: false,
            locked: false,
        };
        match codegen::generate_contract(&workspace, contract, options)? {
            Outcome::Refused(refusal) => {
                super::generate::report_refusal(contract, &refusal);
                return Ok(exit::DRIFT);
            }
            Outcome::Written(_) | Outcome::Fresh(_) | Outcome::PinnedOnly => {
                let _ = spec_cache::store(&workspace.target_dir, &current);
                let file = contract.output.as_ref().map_or("", |o| o.rel.as_str());
                ui::status(
                    ui::GOOD,
                    "Updated",
                    format!(
                        "{display}: pinned at {}, regenerated `{file}`",
                        current.fingerprint.short()
                    ),
                );
            }
        }
    } else {
        pin::relock(&workspace, &[contract]).map_err(CliError::from)?;
        ui::status(
            ui::GOOD,
            "Updated",
            format!("{display}: pinned at {}", current.fingerprint.short()),
        );
    }
    Ok(exit::OK)
}
