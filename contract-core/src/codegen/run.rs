//! `generate` for one contract: refuse unless the spec matches its pin, never overwrite a
//! hand-edited file without `--force` (which keeps it as `<file>.orig`), run the artifacts'
//! commands, write everything atomically, and record what was generated in the lock.

use std::path::{Path, PathBuf};

use super::artifact;
use super::header;
use super::progenitor::{self, GeneratedFile};
use crate::error::{Error, Result};
use crate::project::contract::{Contract, Output};
use crate::project::lock::{LockEntry, LockFile};
use crate::project::workspace::Workspace;
use crate::report::text_diff;
use crate::spec::LoadedSpec;
use crate::util::fsio;
use crate::util::hash::Sha256Digest;

/// Options of `generate`.
#[derive(Debug, Clone, Copy, Default)]
pub struct GenerateOptions {
    /// Pin the spec's current fingerprint first instead of refusing on a mismatch.
    pub relock: bool,
    /// Overwrite a hand-edited or foreign file (the old one is saved as `<file>.orig`).
    pub force: bool,
    /// Refuse instead of changing the lock (`--locked`).
    pub locked: bool,
    /// Regenerate the Rust client only; artifacts and their records are left as they are.
    pub skip_artifacts: bool,
}

/// Why `generate` did not write a contract's client (drift; exit 1).
#[derive(Debug)]
pub enum Refusal {
    /// The contract has no pin.
    NotLocked,
    /// The spec no longer matches its pin.
    SpecChanged {
        /// The pinned fingerprint.
        pinned: Sha256Digest,
        /// The spec's fingerprint now.
        current: Sha256Digest,
    },
    /// The generated file was edited by hand.
    HandEdited {
        /// The file.
        file: PathBuf,
        /// What was changed, against a fresh generation.
        diff: String,
    },
    /// An artifact was edited since it was generated.
    ArtifactEdited {
        /// The artifact, as `<runtime> artifact `<path>``.
        artifact: String,
        /// The files that changed (`modified a.ts`, `added b.py`, ...).
        changes: Vec<String>,
    },
    /// An artifact's path holds something the lock has no record of generating, and the
    /// command writes something else.
    ArtifactForeign {
        /// The artifact, as `<runtime> artifact `<path>``.
        artifact: String,
    },
    /// Generating would change the lock, and `--locked` was given.
    LockWouldChange,
    /// The output path holds a file cargo-contract-guard did not generate.
    Foreign {
        /// The file.
        file: PathBuf,
        /// Why its header is not ours.
        reason: String,
    },
}

/// What `generate` did for one contract. Real errors (an unreadable spec, a failed write, a
/// generator error, a failed artifact command) are the `Err` of [`generate_contract`] instead.
#[derive(Debug)]
#[must_use]
pub enum Outcome {
    /// The client or an artifact was generated and a file on disk changed.
    Written(Generation),
    /// Everything was generated and the files on disk already held exactly those bytes, so
    /// nothing was rewritten (the lock may still have been updated).
    Fresh(Generation),
    /// The contract has neither `output` nor artifacts: it is pinned only.
    PinnedOnly,
    /// Nothing was written, for a reason the user must act on (drift; exit 1).
    Refused(Refusal),
}

/// What `generate` produced for one contract.
#[derive(Debug)]
pub struct Generation {
    /// The generated Rust client, when the contract has an `output`.
    pub file: Option<GeneratedFile>,
    /// Whether the client's file on disk changed.
    pub client_written: bool,
    /// Where an overwritten hand edit was saved (`--force`).
    pub saved_original: Option<PathBuf>,
    /// The artifacts generated (none with `skip_artifacts`).
    pub artifacts: Vec<ArtifactGeneration>,
}

/// One artifact `generate` produced.
#[derive(Debug)]
pub struct ArtifactGeneration {
    /// The artifact's runtime.
    pub runtime: String,
    /// Its path relative to the workspace root.
    pub rel: String,
    /// How many files it holds.
    pub files: usize,
    /// How long its command ran.
    pub seconds: f64,
    /// Whether a file on disk changed.
    pub written: bool,
}

/// Generates `contract`'s client into its output file and runs its artifacts' commands, and
/// records them in the lock: all of it or, when any step fails, nothing.
pub fn generate_contract(
    workspace: &Workspace,
    contract: &Contract,
    options: GenerateOptions,
) -> Result<Outcome> {
    let with_artifacts = !options.skip_artifacts && !contract.artifacts.is_empty();
    if contract.output.is_none() && !with_artifacts {
        return Ok(Outcome::PinnedOnly);
    }
    let lock_path = workspace.lock_path();
    let mut lock = LockFile::read(&lock_path)?.unwrap_or_default();
    let previous = lock.entry(contract).cloned();
    let spec = pinned_spec(contract, previous.as_ref())?;
    if contract.output.is_some() && !spec.version.generates() {
        return Err(Error::Swagger2 {
            spec: contract.spec_rel.clone(),
            action: "generate a client from",
        });
    }
    if let Some(refusal) = pin_refusal(previous.as_ref(), &spec, options.relock) {
        return Ok(Outcome::Refused(refusal));
    }
    if with_artifacts
        && !options.force
        && let Some(refusal) = artifact_edited(contract, previous.as_ref())?
    {
        return Ok(Outcome::Refused(refusal));
    }
    let generated = match &contract.output {
        Some(output) => Some(progenitor::generate(contract, output, &spec)?),
        None => None,
    };
    let run = match with_artifacts {
        true => Some(artifact::run_all(
            contract,
            &contract.artifacts,
            &artifact::scratch_root(&workspace.target_dir),
        )?),
        false => None,
    };
    if let Some(run) = &run
        && !options.force
        && let Some(refusal) = artifact_foreign(previous.as_ref(), run)?
    {
        return Ok(Outcome::Refused(refusal));
    }
    let entry = lock_entry(
        contract,
        &spec,
        previous.as_ref(),
        generated.as_ref(),
        run.as_ref(),
        options.locked,
    );
    if options.locked && previous.as_ref() != Some(&entry) {
        return Ok(Outcome::Refused(Refusal::LockWouldChange));
    }

    // The `.orig`, the output, the artifacts and the lock change together or not at all; the
    // lock last, so a pin never moves for a client that was not written.
    let mut transaction = fsio::Transaction::default();
    let mut saved_original = None;
    let mut client_written = false;
    if let (Some(output), Some(generated)) = (&contract.output, &generated) {
        match write_client(&mut transaction, output, generated, options.force)? {
            Err(refusal) => return Ok(Outcome::Refused(refusal)),
            Ok((changed, orig)) => (client_written, saved_original) = (changed, orig),
        }
    }
    let artifacts = match &run {
        Some(run) => install_artifacts(run, &mut transaction)?,
        None => Vec::new(),
    };
    let written = client_written || artifacts.iter().any(|a| a.written);
    lock.upsert(entry);
    transaction.write(&lock_path, lock.render().as_bytes())?;
    transaction.commit();
    if options.relock {
        // Best effort, as in `lock`: `diff` and `update` compare against it later.
        let _ = crate::spec::cache::store(&workspace.target_dir, &spec);
    }

    let generation = Generation {
        file: generated,
        client_written,
        saved_original,
        artifacts,
    };
    Ok(if written {
        Outcome::Written(generation)
    } else {
        Outcome::Fresh(generation)
    })
}

/// Moves each output of `run` into place through `transaction`.
fn install_artifacts(
    run: &artifact::ArtifactRun,
    transaction: &mut fsio::Transaction,
) -> Result<Vec<ArtifactGeneration>> {
    run.produced
        .iter()
        .map(|produced| {
            Ok(ArtifactGeneration {
                written: artifact::install(produced, transaction)?,
                runtime: produced.artifact.runtime.clone(),
                rel: produced.artifact.rel.clone(),
                files: produced.file_count(),
                seconds: produced.seconds,
            })
        })
        .collect()
}

/// The contract's spec, read as pinned: bytes that still hash to the pin's are the bytes it
/// fingerprinted, so they are not re-canonicalised (unless they may reference other files,
/// whatever the lock's `files` says).
fn pinned_spec(contract: &Contract, previous: Option<&LockEntry>) -> Result<LoadedSpec> {
    match previous {
        Some(p) if p.spec == contract.spec_rel => crate::spec::load_pinned_in(
            &contract.spec_path,
            &contract.root,
            p.raw_sha256,
            p.fingerprint,
            crate::spec::Reading::Whole,
            false,
        ),
        _ => contract.load_spec(),
    }
}

/// Writes the client into `transaction`, saving a hand-edited file as `.orig` under `force`.
/// `Ok(Err(_))` when the existing file must not be overwritten; else whether the file changed
/// and where the `.orig` went.
fn write_client(
    transaction: &mut fsio::Transaction,
    output: &Output,
    generated: &GeneratedFile,
    force: bool,
) -> Result<std::result::Result<(bool, Option<PathBuf>), Refusal>> {
    let mut saved_original = None;
    if let Some(existing) = read_existing(&output.path)?
        && let Some(refusal) =
            inspect_existing(output, &String::from_utf8_lossy(&existing), generated)
    {
        if !force {
            return Ok(Err(refusal));
        }
        // The bytes exactly as they were, even if they are not UTF-8.
        let orig = orig_path(&output.path);
        transaction.write(&orig, &existing)?;
        saved_original = Some(orig);
    }
    let written = transaction.write(&output.path, generated.text.as_bytes())?;
    Ok(Ok((written, saved_original)))
}

/// The first artifact edited since the generation the lock records (`--force` overwrites it).
fn artifact_edited(contract: &Contract, previous: Option<&LockEntry>) -> Result<Option<Refusal>> {
    let Some(previous) = previous else {
        return Ok(None);
    };
    for declared in &contract.artifacts {
        let Some(record) = previous.artifacts.iter().find(|r| r.path == declared.rel) else {
            continue;
        };
        if let artifact::OnDisk::Edited(changes) = artifact::compare(declared, record)? {
            return Ok(Some(Refusal::ArtifactEdited {
                artifact: declared.describe(),
                changes,
            }));
        }
    }
    Ok(None)
}

/// Why the spec may not be generated from: it is not pinned, or no longer matches its pin
/// (`relock` pins it first instead).
fn pin_refusal(previous: Option<&LockEntry>, spec: &LoadedSpec, relock: bool) -> Option<Refusal> {
    match previous {
        Some(p) if p.fingerprint == spec.fingerprint => None,
        _ if relock => None,
        None => Some(Refusal::NotLocked),
        Some(p) => Some(Refusal::SpecChanged {
            pinned: p.fingerprint,
            current: spec.fingerprint,
        }),
    }
}

/// The first artifact whose path holds something other than what its command wrote, without a
/// record in the lock of generating it (a file of the user's, or a lock re-created since).
fn artifact_foreign(
    previous: Option<&LockEntry>,
    run: &artifact::ArtifactRun,
) -> Result<Option<Refusal>> {
    for produced in &run.produced {
        let declared = &produced.artifact;
        if previous.is_some_and(|p| p.artifacts.iter().any(|r| r.path == declared.rel)) {
            continue;
        }
        if crate::util::tree::hash_path(&declared.path, &declared.ignore)?
            .is_some_and(|now| now.sha256 != produced.hash.sha256)
        {
            return Ok(Some(Refusal::ArtifactForeign {
                artifact: declared.describe(),
            }));
        }
    }
    Ok(None)
}

/// The lock entry that records `generated` and the artifacts of `run` (without a run, the
/// artifact records the pin keeps).
fn lock_entry(
    contract: &Contract,
    spec: &LoadedSpec,
    previous: Option<&LockEntry>,
    generated: Option<&GeneratedFile>,
    run: Option<&artifact::ArtifactRun>,
    locked: bool,
) -> LockEntry {
    let mut entry = LockEntry::pin(contract, spec, previous);
    if let Some(generated) = generated {
        entry.settings_fingerprint = Some(generated.header.settings_fingerprint);
        entry.body_sha256 = Some(generated.header.body_sha256);
        entry.generator = Some(generated.header.generator.clone());
        entry.lossy = generated.header.lossy.clone().unwrap_or_default();
        entry.operations = generated.header.operations.clone();
    }
    if let Some(run) = run {
        let version = spec
            .document
            .pointer("/info/version")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string);
        entry.artifacts = run
            .produced
            .iter()
            .map(|p| p.record(spec.fingerprint, version.clone()))
            .collect();
    }
    // Under `--locked`, a spec whose bytes moved but whose fingerprint did not keeps its
    // recorded byte hash: that alone is no reason to change the lock.
    if locked
        && let Some(p) = previous
        && p.fingerprint == entry.fingerprint
    {
        entry.raw_sha256 = p.raw_sha256;
    }
    entry
}

fn read_existing(path: &Path) -> Result<Option<Vec<u8>>> {
    fsio::read_bounded_if_exists(path, fsio::MAX_TEXT_BYTES)
}

/// Whether an existing output file must not be overwritten: it was edited by hand (the diff
/// names it relative to the workspace root), or it is not a file we generated.
fn inspect_existing(output: &Output, existing: &str, fresh: &GeneratedFile) -> Option<Refusal> {
    match header::split(existing) {
        Ok((found, body)) if header::body_hash(body) == found.body_sha256 => None,
        Ok((_, body)) => Some(Refusal::HandEdited {
            file: output.path.clone(),
            diff: text_diff::unified(
                &text_diff::as_generated(existing, body, fresh.body()),
                existing,
                &output.rel,
                60,
            ),
        }),
        Err(reason) => Some(Refusal::Foreign {
            file: output.path.clone(),
            reason: reason.to_string(),
        }),
    }
}

/// `<file>.orig`.
pub fn orig_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".orig");
    path.with_file_name(name)
}
