//! Pinning: computing each contract's current fingerprint, comparing it with the lock
//! (`status`), and rewriting the lock (`lock`).

use crate::error::Result;
use crate::project::contract::Contract;
use crate::project::lock::{LockEntry, LockFile};
use crate::project::workspace::Workspace;
use crate::spec::LoadedSpec;
use crate::util::hash::Sha256Digest;

/// How a contract's spec compares with its pin.
#[derive(Debug)]
pub enum PinState {
    /// The spec's fingerprint equals the pinned one.
    Matches,
    /// The spec changed since it was pinned.
    Drifted,
    /// The contract has no lock entry.
    NotLocked,
    /// The spec could not be loaded.
    SpecError(crate::Error),
}

/// One row of `status`.
#[derive(Debug)]
pub struct ContractStatus<'w> {
    /// The contract.
    pub contract: &'w Contract,
    /// Its pin, if any.
    pub pinned: Option<LockEntry>,
    /// The spec's fingerprint now, when it loads.
    pub current: Option<Sha256Digest>,
    /// The comparison.
    pub state: PinState,
}

impl ContractStatus<'_> {
    /// Whether this row is drift: the spec moved from its pin, or has none. A spec that could
    /// not be read is an error, not drift ([`ContractStatus::is_error`]).
    pub fn is_drift(&self) -> bool {
        matches!(self.state, PinState::Drifted | PinState::NotLocked)
    }

    /// Whether the spec could not be read.
    pub fn is_error(&self) -> bool {
        matches!(self.state, PinState::SpecError(_))
    }
}

/// Compares each contract's spec with the lock.
pub fn status<'w>(contracts: &[&'w Contract], lock: Option<&LockFile>) -> Vec<ContractStatus<'w>> {
    contracts
        .iter()
        .map(|&contract| {
            let pinned = lock.and_then(|l| l.entry(contract)).cloned();
            let (current, state) = match contract.load_spec() {
                Err(err) => (None, PinState::SpecError(err)),
                Ok(loaded) => {
                    let state = match &pinned {
                        None => PinState::NotLocked,
                        Some(p) if p.fingerprint == loaded.fingerprint => PinState::Matches,
                        Some(_) => PinState::Drifted,
                    };
                    (Some(loaded.fingerprint), state)
                }
            };
            ContractStatus {
                contract,
                pinned,
                current,
                state,
            }
        })
        .collect()
}

/// What `lock` did.
#[derive(Debug)]
pub struct RelockOutcome {
    /// The new lock.
    pub lock: LockFile,
    /// Contracts whose pin moved or was added, as `crate/name`.
    pub changed: Vec<String>,
    /// Entries dropped because no contract declares them any more.
    pub removed: Vec<String>,
    /// Whether the file on disk changed.
    pub written: bool,
    /// The specs that were pinned.
    pub specs: Vec<LoadedSpec>,
}

/// Pins every selected contract at its spec's current fingerprint and writes the lock.
/// Pins of unselected contracts are kept as they are; entries that no contract declares any
/// more are dropped. Nothing is written when any spec fails to load.
pub fn relock(workspace: &Workspace, selected: &[&Contract]) -> Result<RelockOutcome> {
    let mut outcome = plan_relock(workspace, selected)?;
    outcome.written = outcome.lock.write(&workspace.lock_path())?;
    // Keep a copy of every pinned spec so `diff` and `update` can compare against it later.
    // Best effort: the lock is what matters, and the cache is rebuilt from git when missing.
    for spec in &outcome.specs {
        let _ = crate::spec::cache::store(&workspace.target_dir, spec);
    }
    Ok(outcome)
}

/// What `--locked` refuses for `selected`: the changes `lock` would make to the lock file on
/// disk ([`crate::project::lock::locked_changes`]), empty when it would write nothing that matters.
pub fn locked_changes(workspace: &Workspace, selected: &[&Contract]) -> Result<Vec<String>> {
    let plan = plan_relock(workspace, selected)?;
    if !plan.written {
        return Ok(Vec::new());
    }
    let on_disk = LockFile::read(&workspace.lock_path())?;
    Ok(crate::project::lock::locked_changes(
        &plan.lock,
        on_disk.as_ref(),
    ))
}

/// What [`relock`] would do, without writing. `written` tells whether the file on disk would
/// change.
pub fn plan_relock(workspace: &Workspace, selected: &[&Contract]) -> Result<RelockOutcome> {
    let path = workspace.lock_path();
    let old = LockFile::read(&path)?.unwrap_or_default();
    let loaded: Vec<(&Contract, LoadedSpec)> = selected
        .iter()
        .map(|&c| c.load_spec().map(|s| (c, s)))
        .collect::<Result<_>>()?;
    let mut lock = LockFile::default();
    let mut removed = Vec::new();
    for entry in &old.contracts {
        if selected.iter().any(|c| entry.is_for(c)) {
            continue; // re-pinned below
        }
        if workspace.contracts.iter().any(|c| entry.is_for(c)) {
            lock.upsert(entry.clone());
        } else {
            removed.push(entry.display_name());
        }
    }
    let mut changed = Vec::new();
    for (contract, spec) in &loaded {
        let previous = old.entry(contract);
        let mut entry = LockEntry::pin(contract, spec, previous);
        if entry.generator.is_none() {
            recover_generation(&mut entry, contract);
        }
        if previous != Some(&entry) {
            changed.push(contract.display_name());
        }
        lock.upsert(entry);
    }
    let on_disk = crate::util::fsio::read_bounded(&path, crate::util::fsio::MAX_TEXT_BYTES).ok();
    let written = on_disk.as_deref() != Some(lock.render().as_bytes());
    Ok(RelockOutcome {
        lock,
        changed,
        removed,
        written,
        specs: loaded.into_iter().map(|(_, spec)| spec).collect(),
    })
}

/// Fills in what the last generation recorded (options, body hash, generator, lossy rewrites)
/// from the header of the contract's generated file, when the lock has lost it (deleted and
/// re-created) and the file is intact and was generated from the spec just pinned. Without this, a re-created
/// lock would silently skip the stale-options and generator checks.
fn recover_generation(entry: &mut LockEntry, contract: &Contract) {
    let Some(output) = &contract.output else {
        return;
    };
    let Some(text) =
        crate::util::fsio::read_bounded(&output.path, crate::util::fsio::MAX_TEXT_BYTES)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
    else {
        return;
    };
    let Ok((header, body)) = crate::codegen::header::split(&text) else {
        return;
    };
    if header.contract == contract.name
        && header.spec_fingerprint == entry.fingerprint
        && crate::codegen::header::body_hash(body) == header.body_sha256
    {
        entry.settings_fingerprint = Some(header.settings_fingerprint);
        entry.body_sha256 = Some(header.body_sha256);
        entry.generator = Some(header.generator);
        entry.lossy = header.lossy.unwrap_or_default();
        entry.operations = header.operations;
    }
}

/// One runtime of a contract in `status`: the Rust client or an artifact, and the spec it was
/// generated from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeStatus {
    /// `rust`, or the artifact's runtime.
    pub runtime: String,
    /// The generated file or folder, relative to the workspace root.
    pub path: String,
    /// The fingerprint it was generated from, when known.
    pub generated_from: Option<Sha256Digest>,
    /// `info.version` of that spec, when recorded.
    pub spec_version: Option<String>,
}

impl RuntimeStatus {
    /// `ok` when generated from the pin, `stale` when from another spec, `not-generated`
    /// when there is no record of a generation.
    pub fn state(&self, pinned: Option<&LockEntry>) -> &'static str {
        match (self.generated_from, pinned) {
            (None, _) => "not-generated",
            (Some(from), Some(pin)) if from == pin.fingerprint => "ok",
            (Some(_), _) => "stale",
        }
    }
}

/// Every runtime of `contract`: its Rust client (generated from the fingerprint its header
/// names), then each artifact (from the lock's record).
pub fn runtimes(contract: &Contract, pinned: Option<&LockEntry>) -> Vec<RuntimeStatus> {
    let mut rows = Vec::new();
    if let Some(output) = &contract.output {
        let header =
            crate::util::fsio::read_bounded(&output.path, crate::util::fsio::MAX_TEXT_BYTES)
                .ok()
                .and_then(|bytes| {
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    crate::codegen::header::split(&text).ok().map(|(h, _)| h)
                });
        rows.push(RuntimeStatus {
            runtime: "rust".into(),
            path: output.rel.clone(),
            generated_from: header.map(|h| h.spec_fingerprint),
            spec_version: None,
        });
    }
    for artifact in &contract.artifacts {
        let record = pinned.and_then(|p| p.artifacts.iter().find(|r| r.path == artifact.rel));
        rows.push(RuntimeStatus {
            runtime: artifact.runtime.clone(),
            path: artifact.rel.clone(),
            generated_from: record.map(|r| r.fingerprint),
            spec_version: record.and_then(|r| r.spec_version.clone()),
        });
    }
    rows
}
