//! `generate [NAME...]`: regenerate clients from their pinned specs.

use std::io::Write as _;
use std::time::Instant;

use contract_core::codegen::note::Note;
use contract_core::codegen::{self, GenerateOptions, Generation, Outcome, Refusal};
use contract_core::project::contract::Contract;
use contract_core::project::lock::LockFile;
use contract_core::project::workspace::Workspace;
use contract_core::util::paths;

use crate::cli::GenerateArgs;
use crate::error::{CliError, CliResult};
use crate::{exit, ui};

pub fn run(args: &GenerateArgs) -> CliResult {
    let workspace = super::load_workspace(&args.ws)?;
    let selected = workspace.selected_contracts(&args.ws.selection(&workspace)?, &args.names)?;
    let Some(with_output) = with_output(&workspace, selected, &args.names, args.no_artifacts)?
    else {
        return Ok(exit::OK);
    };
    let options = GenerateOptions {
        relock: args.relock,
        force: args.force,
        locked: args.locked.any(),
        skip_artifacts: args.no_artifacts,
    };
    if args.relock && options.locked {
        return Err(CliError::new(
            "`--relock` changes the lock, so it cannot be combined with `--locked`",
        ));
    }
    let _guard = super::lock_workspace(&workspace)?;
    let started = Instant::now();
    let tally = generate_all(&workspace, &with_output, options);
    if with_output.len() > 1 {
        ui::status(
            ui::GOOD,
            "Finished",
            format!(
                "{} contract(s) in {:.2}s",
                with_output.len(),
                started.elapsed().as_secs_f64()
            ),
        );
    }
    Ok(tally.exit_code())
}

/// The selected contracts that have an `output` or artifacts (unless `no_artifacts`); `None`
/// (after a warning) when there are none. A contract named on the command line must have one.
pub(super) fn with_output<'w>(
    workspace: &Workspace,
    selected: Vec<&'w Contract>,
    names: &[String],
    no_artifacts: bool,
) -> Result<Option<Vec<&'w Contract>>, CliError> {
    let generates = |c: &Contract| c.output.is_some() || (!no_artifacts && !c.artifacts.is_empty());
    let lock = LockFile::read(&workspace.lock_path())?;
    let swagger2 = |c: &Contract| {
        lock.as_ref()
            .and_then(|l| l.entry(c))
            .is_some_and(|e| e.openapi == "2.0")
    };
    if !names.is_empty()
        && let Some(pinned_only) = selected.iter().find(|c| !generates(c))
    {
        if swagger2(pinned_only) {
            return Err(contract_core::Error::Swagger2 {
                spec: pinned_only.spec_rel.clone(),
                action: "generate a client from",
            }
            .into());
        }
        return Err(CliError::new(format!(
            "contract `{}` has no `output`: it is pinned only, so there is no client to generate",
            pinned_only.display_name()
        ))
        .with_hint(format!(
            "add `output = \"src/generated/{}.rs\"` to its table in `{}`",
            pinned_only.name,
            paths::relative_slash(&workspace.root, &pinned_only.manifest_path)
        )));
    }
    let (with_output, pinned_only): (Vec<_>, Vec<_>) =
        selected.into_iter().partition(|c| generates(c));
    if !with_output.is_empty() {
        return Ok(Some(with_output));
    }
    if !pinned_only.is_empty() && pinned_only.iter().all(|c| swagger2(c)) {
        ui::status(
            ui::WARN,
            "Warning",
            "no contract has an `output`: the selected contracts are Swagger 2.0, which is pinned and checked but not generated; convert a spec to OpenAPI 3.0 or 3.1 to generate its client",
        );
    } else {
        ui::status(
            ui::WARN,
            "Warning",
            "no contract has an `output`; add one with `cargo contract-guard add <NAME> <SPEC> --output <PATH>`",
        );
    }
    Ok(None)
}

/// How many contracts were not generated, by reason.
#[derive(Default)]
struct Tally {
    refused: usize,
    failed: usize,
    unsupported: usize,
}

impl Tally {
    /// Exit 2 when any contract failed, 3 when one is unsupported, 1 when one was refused.
    fn exit_code(&self) -> u8 {
        if self.failed > 0 {
            exit::ERROR
        } else if self.unsupported > 0 {
            exit::UNSUPPORTED
        } else if self.refused > 0 {
            exit::DRIFT
        } else {
            exit::OK
        }
    }
}

/// Generates each contract in turn, reporting each as it goes; one failure does not stop the
/// others.
fn generate_all(workspace: &Workspace, contracts: &[&Contract], options: GenerateOptions) -> Tally {
    let mut tally = Tally::default();
    let mut tipped = false;
    for (index, contract) in contracts.iter().enumerate() {
        if contracts.len() > 1 {
            ui::status(
                ui::GOOD,
                "Generating",
                format!(
                    "{} [{}/{}]",
                    contract.display_name(),
                    index + 1,
                    contracts.len()
                ),
            );
        }
        match codegen::generate_contract(workspace, contract, options) {
            Err(err) => {
                let err = CliError::from(err);
                if err.code == exit::UNSUPPORTED {
                    tally.unsupported += 1;
                } else {
                    tally.failed += 1;
                }
                err.render();
            }
            Ok(Outcome::Refused(refusal)) => {
                tally.refused += 1;
                report_refusal(contract, &refusal);
            }
            Ok(Outcome::PinnedOnly) => {}
            Ok(Outcome::Written(done)) => {
                report_generation(contract, &done, "Generated", &mut tipped);
            }
            Ok(Outcome::Fresh(done)) => report_generation(contract, &done, "Fresh", &mut tipped),
        }
    }
    tally
}

/// Prints what was generated for `contract` (`verb`: `Generated` or `Fresh`), and the rewrites
/// made for the generator; the `--verbose` tip once per run (`tipped`).
fn report_generation(contract: &Contract, done: &Generation, verb: &str, tipped: &mut bool) {
    let name = contract.display_name();
    for artifact in &done.artifacts {
        ui::status(
            ui::GOOD,
            if artifact.written {
                "Generated"
            } else {
                "Fresh"
            },
            format!(
                "{name}: {} artifact, {} file(s) in {:.2}s -> `{}`",
                artifact.runtime, artifact.files, artifact.seconds, artifact.rel
            ),
        );
    }
    let Some(file) = &done.file else {
        return;
    };
    let rel = contract.output.as_ref().map_or("", |o| o.rel.as_str());
    if done.saved_original.is_some() {
        ui::status(
            ui::WARN,
            "Saved",
            format!("the hand-edited file as `{rel}.orig`"),
        );
    }
    if ui::verbose() {
        ui::status(
            ui::GOOD,
            "Pinned",
            format!(
                "{name}: spec {}, options {}",
                file.header.spec_fingerprint, file.header.settings_fingerprint
            ),
        );
    }
    let verb = match (verb, done.client_written) {
        ("Generated", false) => "Fresh",
        _ => verb,
    };
    ui::status(
        ui::GOOD,
        verb,
        format!(
            "{name}: {} operations, {} types in {:.2}s -> `{rel}`",
            file.operations,
            file.types,
            file.elapsed.as_secs_f64()
        ),
    );
    // The tip follows the first summary of rewrites, so it never reads as the fix of an error
    // printed after it.
    if report_notes(&name, &file.notes, ui::verbose()) && !ui::verbose() && !*tipped {
        ui::tip("run `cargo contract-guard generate --verbose` to list the rewrites");
        *tipped = true;
    }
}

/// The rewrites made for the generator: one line, or (`--verbose`) each, per operation.
/// Returns whether there were any.
fn report_notes(name: &str, notes: &[Note], verbose: bool) -> bool {
    if notes.is_empty() {
        return false;
    }
    let lowered = notes
        .iter()
        .filter(|n| n.rule.starts_with("lower/"))
        .count();
    let dropped = notes
        .iter()
        .filter(|n| n.rule == "normalize/unsupported-body")
        .count();
    let mut parts = Vec::new();
    if lowered > 0 {
        parts.push(format!("{lowered} lowering OpenAPI 3.1 to 3.0"));
    }
    if notes.len() > lowered {
        parts.push(format!("{} normalising", notes.len() - lowered));
    }
    if dropped > 0 {
        parts.push(format!("{dropped} operation(s) left out"));
    }
    let summary = format!(
        "{name}: {} rewrite(s) of the spec for the generator ({})",
        notes.len(),
        parts.join(", ")
    );
    ui::status(ui::WARN, "Rewrote", summary);
    let losses = contract_core::codegen::fidelity::losses(notes);
    if !losses.is_empty() {
        ui::status(
            ui::WARN,
            "Degraded",
            format!(
                "{name}: {} lossy rewrite(s) recorded in the header and the lock ({})",
                losses.values().sum::<u32>(),
                contract_core::codegen::fidelity::describe(&losses)
            ),
        );
    }
    if !verbose {
        return true;
    }
    // Document-wide notes first, then each operation in the order its first note appears.
    let mut groups: Vec<(String, Vec<&Note>)> =
        vec![("document and components".into(), Vec::new())];
    for note in notes {
        let key = note
            .operation()
            .unwrap_or_else(|| "document and components".into());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(note),
            None => groups.push((key, vec![note])),
        }
    }
    let mut err = anstream::stderr().lock();
    for (group, list) in groups.iter().filter(|(_, l)| !l.is_empty()) {
        let _ = writeln!(err, "{:>12} {}", "", ui::printable(group));
        for note in list {
            let _ = writeln!(err, "{:>14} {}", "", ui::printable(&note.to_string()));
        }
    }
    true
}

/// Prints why `contract`'s client was not generated, with the fix. Files are named relative to
/// the workspace root, as in `check`.
pub(super) fn report_refusal(contract: &Contract, refusal: &Refusal) {
    let (name, display) = (&contract.name, contract.display_name());
    let output = contract.output.as_ref().map_or("", |o| o.rel.as_str());
    match refusal {
        Refusal::NotLocked => {
            ui::finding(
                ui::BAD,
                "Refused",
                format!("{display}: the contract is not pinned in the lock"),
            );
            ui::help(format!(
                "run `cargo contract-guard lock`, or `cargo contract-guard generate {name} --relock`"
            ));
        }
        Refusal::SpecChanged { pinned, current } => {
            ui::finding(
                ui::BAD,
                "Refused",
                format!(
                    "{display}: the spec changed since it was pinned (pinned {pinned}, now {current})"
                ),
            );
            ui::help(contract_core::report::advice::spec_moved(name));
        }
        Refusal::HandEdited { diff, .. } => {
            ui::finding(
                ui::BAD,
                "Refused",
                format!("{display}: `{output}` was edited by hand; it was not overwritten"),
            );
            eprint!("{diff}");
            ui::help(contract_core::report::advice::hand_edited(name, output));
        }
        Refusal::ArtifactEdited { artifact, changes } => {
            ui::finding(
                ui::BAD,
                "Refused",
                format!(
                    "{display}: {artifact} was edited since it was generated ({}); nothing was overwritten",
                    changes.join(", ")
                ),
            );
            ui::help(format!(
                "make the change in the spec or the generator's options, or run `cargo contract-guard generate {name} --force` to overwrite the edit"
            ));
        }
        Refusal::ArtifactForeign { artifact } => {
            ui::finding(
                ui::BAD,
                "Refused",
                format!(
                    "{display}: {artifact} exists, the lock has no record of generating it, and its command writes something else; nothing was overwritten"
                ),
            );
            ui::help(format!(
                "move it away, or run `cargo contract-guard generate {name} --force` to replace it"
            ));
        }
        Refusal::LockWouldChange => {
            ui::finding(
                ui::BAD,
                "Refused",
                format!(
                    "{display}: generating would change `contract-guard.lock`, and `--locked` was given"
                ),
            );
            ui::help(format!(
                "run `cargo contract-guard generate {name}` without `--locked` and commit the result"
            ));
        }
        Refusal::Foreign { reason, .. } => {
            ui::finding(
                ui::BAD,
                "Refused",
                format!(
                    "{display}: `{output}` was not generated by cargo-contract-guard ({reason})"
                ),
            );
            ui::help(format!(
                "move it away, or run `cargo contract-guard generate {name} --force` (keeps it as `.orig`)"
            ));
        }
    }
}
