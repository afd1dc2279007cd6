//! A contract's artifacts (files of other runtimes generated from its spec) against the lock's
//! records: missing, edited since they were generated (`hand-edited`, with the files that
//! changed), or generated from another fingerprint than the pin, another command or another
//! ignore list (`stale-artifact`). Hashes only; `--deep` also re-runs each command into a
//! temporary folder and compares.

use super::{CheckOptions, CheckReport, Finding, FindingKind, finding};
use crate::codegen::artifact::{self, OnDisk};
use crate::project::artifact::{Artifact, ArtifactRecord, version_and_fingerprint};
use crate::project::contract::Contract;
use crate::project::lock::LockEntry;
use crate::project::workspace::Workspace;
use crate::util::hash::Sha256Digest;

/// Files listed in a message before `and N more`.
const LISTED: usize = 10;

/// Checks every artifact of `contract` pinned by `entry`. `spec_now` is the fingerprint of the
/// spec on disk, when it could be read.
pub(super) fn check_artifacts(
    workspace: &Workspace,
    contract: &Contract,
    entry: &LockEntry,
    spec_now: Option<Sha256Digest>,
    options: CheckOptions,
    report: &mut CheckReport,
) {
    for declared in &contract.artifacts {
        let record = entry.artifacts.iter().find(|r| r.path == declared.rel);
        match check_one(
            workspace, contract, entry, declared, record, spec_now, options,
        ) {
            Ok(Some(found)) => report.findings.push(found),
            Ok(None) => {}
            Err(err) => report.errors.push((contract.display_name(), err)),
        }
    }
    for orphan in entry
        .artifacts
        .iter()
        .filter(|r| !contract.artifacts.iter().any(|a| a.rel == r.path))
    {
        report.findings.push(finding(
            contract,
            FindingKind::StaleArtifact,
            crate::project::workspace::LOCK_FILE_NAME,
            format!(
                "the lock records {} artifact `{}`, which `{}` no longer declares",
                orphan.runtime,
                orphan.path,
                contract.display_name()
            ),
            format!("cargo contract-guard generate {}", contract.name),
        ));
    }
}

fn check_one(
    workspace: &Workspace,
    contract: &Contract,
    entry: &LockEntry,
    declared: &Artifact,
    record: Option<&ArtifactRecord>,
    spec_now: Option<Sha256Digest>,
    options: CheckOptions,
) -> crate::Result<Option<Finding>> {
    let name = &contract.name;
    let generate = format!("cargo contract-guard generate {name}");
    let missing = || {
        finding(
            contract,
            FindingKind::MissingOutput,
            &declared.rel,
            format!("{} does not exist", declared.describe()),
            generate.clone(),
        )
    };
    let Some(record) = record else {
        if crate::util::tree::hash_path(&declared.path, &declared.ignore)?.is_none() {
            return Ok(Some(missing()));
        }
        return Ok(Some(finding(
            contract,
            FindingKind::StaleArtifact,
            &declared.rel,
            format!(
                "{} has no record in the lock, so which spec it was generated from is unknown",
                declared.describe()
            ),
            generate,
        )));
    };
    match artifact::compare(declared, record)? {
        OnDisk::Missing => return Ok(Some(missing())),
        OnDisk::Edited(changes) => {
            return Ok(Some(finding(
                contract,
                FindingKind::HandEdited,
                &declared.rel,
                format!(
                    "{} was edited since it was generated: {}",
                    declared.describe(),
                    list(&changes)
                ),
                format!(
                    "make the change in the spec or the generator's options and run `{generate}`; `{generate} --force` overwrites the edit"
                ),
            )));
        }
        OnDisk::AsRecorded => {}
    }
    let mut reasons = stale_reasons(workspace, contract, entry, declared, record);
    let pinned_spec_on_disk = spec_now == Some(entry.fingerprint);
    if reasons.is_empty() && options.deep && pinned_spec_on_disk {
        reasons.extend(deep_difference(workspace, contract, declared, record)?);
    }
    if reasons.is_empty() {
        return Ok(None);
    }
    Ok(Some(finding(
        contract,
        FindingKind::StaleArtifact,
        &declared.rel,
        format!("{} is stale: {}", declared.describe(), reasons.join("; ")),
        generate,
    )))
}

fn stale_reasons(
    workspace: &Workspace,
    contract: &Contract,
    entry: &LockEntry,
    declared: &Artifact,
    record: &ArtifactRecord,
) -> Vec<String> {
    let mut reasons = Vec::new();
    if record.fingerprint != entry.fingerprint {
        reasons.push(format!(
            "it was generated from spec {}, but the pin is {}",
            record.generated_from(),
            version_and_fingerprint(
                pinned_version(workspace, contract, entry).as_deref(),
                &entry.fingerprint
            )
        ));
    }
    if record.command != declared.command {
        reasons.push("its `command` in Cargo.toml changed since it was generated".into());
    }
    if record.ignore != declared.ignore {
        reasons.push("its `ignore` list in Cargo.toml changed since it was generated".into());
    }
    reasons
}

/// `info.version` of the pinned spec: from the spec cache, or the spec on disk when it is the
/// pinned one.
fn pinned_version(workspace: &Workspace, contract: &Contract, entry: &LockEntry) -> Option<String> {
    let version = |document: &serde_json::Value| {
        document
            .pointer("/info/version")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
    };
    if let Some(cached) = crate::spec::cache::fetch(&workspace.target_dir, &entry.fingerprint) {
        return version(&cached.document);
    }
    let loaded = contract.load_spec().ok()?;
    (loaded.fingerprint == entry.fingerprint)
        .then(|| version(&loaded.document))
        .flatten()
}

/// `--deep`: what a fresh run of the command writes, against the record.
fn deep_difference(
    workspace: &Workspace,
    contract: &Contract,
    declared: &Artifact,
    record: &ArtifactRecord,
) -> crate::Result<Option<String>> {
    let run = artifact::run_all(
        contract,
        std::slice::from_ref(declared),
        &artifact::scratch_root(&workspace.target_dir),
    )?;
    let fresh = &run.produced[0].hash;
    if fresh.sha256 == record.sha256 {
        return Ok(None);
    }
    let changes = match (&record.files, &fresh.files) {
        (Some(recorded), Some(files)) => crate::util::tree::changed_files(recorded, files),
        _ => vec![format!("modified {}", declared.rel)],
    };
    Ok(Some(format!(
        "a fresh run of its command writes something else (the generator's output changed): {}",
        list(&changes)
    )))
}

/// `a, b and 3 more`.
fn list(changes: &[String]) -> String {
    let mut text = changes
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if changes.len() > LISTED {
        text.push_str(&format!(" and {} more", changes.len() - LISTED));
    }
    text
}
