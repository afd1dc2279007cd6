//! `add <NAME> <SPEC> [--output PATH]`: declare a contract in Cargo.toml and pin it.

use std::path::{Path, PathBuf};

use contract_core::codegen;
use contract_core::codegen::deps::MacrosChoice;
use contract_core::error::with_causes;
use contract_core::project::contract::{Contract, Output};
use contract_core::project::manifest::{self, DependencySource, NewContract, Scope};
use contract_core::project::pin;
use contract_core::project::workspace::Workspace;
use contract_core::spec::{self, LoadedSpec};
use contract_core::util::{fsio, paths};

use crate::cli::AddArgs;
use crate::error::{CliError, CliResult};
use crate::{exit, ui};

pub fn run(args: &AddArgs) -> CliResult {
    contract_core::project::contract::validate_name(&args.name).map_err(CliError::new)?;
    let workspace = super::load_workspace(&args.ws)?;
    let _guard = super::lock_workspace(&workspace)?;
    let (scope, manifest_path, package) = destination(&workspace, args)?;
    let base_dir = manifest_path
        .parent()
        .unwrap_or(&workspace.root)
        .to_path_buf();

    // Validate the spec before touching Cargo.toml.
    let spec_abs = absolute(&args.spec)?;
    let loaded = spec::load_in(&spec_abs, &workspace.root)?;
    if args.output.is_some() && !loaded.version.generates() {
        return Err(CliError::new(format!(
            "`{}` is {}: it can be pinned but not generated, so it cannot have an `--output`",
            args.spec.display(),
            loaded.version
        ))
        .with_hint(
            "convert the spec to OpenAPI 3.0 or 3.1, or run `add` without `--output` to pin it only",
        ));
    }
    let spec_rel = relative_to(&workspace, &base_dir, &spec_abs, "spec")?;
    let output_rel = match &args.output {
        Some(output) => Some(relative_to(
            &workspace,
            &base_dir,
            &absolute(output)?,
            "output",
        )?),
        None => None,
    };
    // Where `contract-macros` comes from is settled before Cargo.toml is touched.
    let macros = match &output_rel {
        Some(_) if !args.no_deps => Some(codegen::deps::macros_source(
            macros_choice(args),
            &base_dir,
            &workspace.root,
        )?),
        _ => None,
    };
    let new = NewContract {
        name: &args.name,
        spec: &spec_rel,
        output: output_rel.as_deref(),
    };
    let added = add_and_pin(&workspace, &manifest_path, scope, &new, package.as_deref())?;
    let contract = added.contract();
    report_added(contract, package.as_deref(), &loaded, &added);
    if let (Some(output), Some(macros)) = (&contract.output, macros) {
        add_dependencies(contract, output, &loaded, macros)?;
    }
    if contract.output.is_some() {
        ui::tip(format!(
            "run `cargo contract-guard generate {}` to write the client",
            args.name
        ));
    }
    Ok(exit::OK)
}

/// Where the contract is declared: the workspace's manifest (`--workspace-level`) or the
/// selected package's, and that package.
fn destination(
    workspace: &Workspace,
    args: &AddArgs,
) -> Result<(Scope, PathBuf, Option<String>), CliError> {
    if args.workspace_level {
        return Ok((Scope::Workspace, workspace.root_manifest.clone(), None));
    }
    let member = workspace.target_package(&args.ws.selection(workspace)?)?;
    Ok((
        Scope::Package,
        member.manifest_path.clone(),
        Some(member.name.clone()),
    ))
}

/// The workspace after a contract was added to it and pinned.
struct Added {
    workspace: Workspace,
    /// The new contract's index in `workspace.contracts`.
    index: usize,
    /// Whether Cargo.toml changed (it did not when the same contract was declared already).
    manifest_changed: bool,
    /// Whether the lock file changed.
    lock_written: bool,
}

impl Added {
    fn contract(&self) -> &Contract {
        &self.workspace.contracts[self.index]
    }
}

/// Declares `new` in `manifest_path` and pins it. Cargo.toml keeps the new contract only if
/// its pin is written too.
fn add_and_pin(
    workspace: &Workspace,
    manifest_path: &Path,
    scope: Scope,
    new: &NewContract<'_>,
    package: Option<&str>,
) -> Result<Added, CliError> {
    let manifest_before = fsio::read_bounded(manifest_path, fsio::MAX_TEXT_BYTES)?;
    let changed = manifest::add_contract(manifest_path, scope, new)?;
    let undo = |err: CliError| {
        if changed {
            let _ = fsio::write_atomic(manifest_path, &manifest_before);
        }
        err
    };
    let workspace = Workspace::load(Some(&workspace.root_manifest)).map_err(|e| undo(e.into()))?;
    let index = workspace
        .contracts
        .iter()
        .position(|c| c.name == new.name && c.package.as_deref() == package)
        .ok_or_else(|| {
            undo(CliError::new(format!(
                "contract `{}` was not found after adding it",
                new.name
            )))
        })?;
    let outcome =
        pin::relock(&workspace, &[&workspace.contracts[index]]).map_err(|e| undo(e.into()))?;
    Ok(Added {
        index,
        manifest_changed: changed,
        lock_written: outcome.written,
        workspace,
    })
}

/// `Added` (when Cargo.toml changed), `Pinned`, and `Locked` (when the lock changed).
fn report_added(contract: &Contract, package: Option<&str>, loaded: &LoadedSpec, added: &Added) {
    if added.manifest_changed {
        let where_ = match package {
            Some(package) => format!("crate `{package}`"),
            None => "the workspace (`[workspace.metadata]`)".into(),
        };
        ui::status(
            ui::GOOD,
            "Added",
            format!(
                "contract `{}` ({}) to {where_}",
                contract.name, loaded.version
            ),
        );
    }
    ui::status(
        ui::GOOD,
        "Pinned",
        format!(
            "{} at {}",
            contract.display_name(),
            loaded.fingerprint.short()
        ),
    );
    if added.lock_written {
        ui::status(
            ui::GOOD,
            "Locked",
            format!("`{}`", contract_core::project::workspace::LOCK_FILE_NAME),
        );
    }
}

/// Adds what the generated client needs to the compiling crate's `[dependencies]`, found by
/// generating it in memory.
fn add_dependencies(
    contract: &Contract,
    output: &Output,
    spec: &LoadedSpec,
    macros: DependencySource,
) -> Result<(), CliError> {
    let needs = match codegen::generate(contract, output, spec) {
        Ok(generated) => generated.needs,
        Err(err) => {
            ui::status(
                ui::WARN,
                "Warning",
                format!("{}; adding the base dependencies only", with_causes(&err)),
            );
            codegen::Needs::default()
        }
    };
    let manifest = output.owner_dir.join("Cargo.toml");
    let changed =
        manifest::ensure_dependencies(&manifest, &codegen::deps::required(&needs, macros))?;
    if !changed.is_empty() {
        ui::status(
            ui::GOOD,
            "Added",
            format!("dependencies {}", changed.join(", ")),
        );
    }
    Ok(())
}

fn macros_choice(args: &AddArgs) -> MacrosChoice<'_> {
    match (&args.macros_path, &args.macros_git) {
        (Some(path), _) => MacrosChoice::Path(path),
        (None, Some(url)) => MacrosChoice::Git {
            url,
            rev: args.macros_rev.as_deref(),
        },
        (None, None) => MacrosChoice::Auto,
    }
}

fn absolute(path: &Path) -> Result<PathBuf, CliError> {
    let cwd = std::env::current_dir()
        .map_err(|e| CliError::new(format!("cannot read the current directory: {e}")))?;
    Ok(paths::normalize(&cwd.join(path)))
}

/// `path` relative to `base` for the Cargo.toml table; it must lie inside the workspace.
fn relative_to(
    workspace: &Workspace,
    base: &Path,
    path: &Path,
    what: &str,
) -> Result<String, CliError> {
    let root = std::fs::canonicalize(&workspace.root).unwrap_or_else(|_| workspace.root.clone());
    let base = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
    // Canonicalise the deepest existing ancestor so symlinked temp dirs compare equal.
    let path = canonical_prefix(path);
    if !path.starts_with(&root) {
        return Err(CliError::new(format!(
            "the {what} `{}` is outside the workspace `{}`",
            path.display(),
            root.display()
        ))
        .with_hint(
            "keep specs and generated files inside the workspace so every checkout sees them",
        ));
    }
    Ok(paths::relative_slash(&base, &path))
}

fn canonical_prefix(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|f| f.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
    let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
    out.extend(rest.iter().rev());
    out
}
