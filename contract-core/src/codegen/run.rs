//! `generate` for one contract: refuse unless the spec matches its pin, never overwrite a
//! hand-edited file without `--force` (which keeps it as `<file>.orig`), write atomically, and
//! record what was generated in the lock.

use std::path::{Path, PathBuf};

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
/// generator error) are the `Err` of [`generate_contract`] instead.
#[derive(Debug)]
#[must_use]
pub enum Outcome {
    /// The client was generated and the file on disk changed (new, or different bytes).
    Written(Generation),
    /// The client was generated and the file on disk already held exactly those bytes, so it
    /// was not rewritten (the lock may still have been updated).
    Fresh(Generation),
    /// The contract has no `output`: it is pinned only, so there is nothing to generate.
    PinnedOnly,
    /// Nothing was written, for a reason the user must act on (drift; exit 1).
    Refused(Refusal),
}

/// The client `generate` produced for one contract.
#[derive(Debug)]
pub struct Generation {
    /// The generated file.
    pub file: GeneratedFile,
    /// Where it was written.
    pub path: PathBuf,
    /// Where an overwritten hand edit was saved (`--force`).
    pub saved_original: Option<PathBuf>,
}

/// Generates `contract`'s client into its output file, and records it in the lock.
pub fn generate_contract(
    workspace: &Workspace,
    contract: &Contract,
    options: GenerateOptions,
) -> Result<Outcome> {
    let Some(output) = &contract.output else {
        return Ok(Outcome::PinnedOnly);
    };
    let lock_path = workspace.lock_path();
    let mut lock = LockFile::read(&lock_path)?.unwrap_or_default();
    let previous = lock.entry(contract).cloned();
    // Bytes that still hash to the pin's are the bytes it fingerprinted: no re-canonicalising
    // (unless they may reference other files, whatever the lock's `files` says).
    let spec = match &previous {
        Some(p) if p.spec == contract.spec_rel => crate::spec::load_pinned_in(
            &contract.spec_path,
            &contract.root,
            p.raw_sha256,
            p.fingerprint,
        )?,
        _ => contract.load_spec()?,
    };
    if !spec.version.generates() {
        return Err(Error::Swagger2 {
            spec: contract.spec_rel.clone(),
            action: "generate a client from",
        });
    }
    if let Some(refusal) = pin_refusal(previous.as_ref(), &spec, options.relock) {
        return Ok(Outcome::Refused(refusal));
    }
    let generated = progenitor::generate(contract, output, &spec)?;
    let entry = lock_entry(
        contract,
        &spec,
        previous.as_ref(),
        &generated,
        options.locked,
    );
    if options.locked && previous.as_ref() != Some(&entry) {
        return Ok(Outcome::Refused(Refusal::LockWouldChange));
    }

    // The `.orig`, the output and the lock change together or not at all; the lock last, so
    // a pin never moves for a client that was not written.
    let mut transaction = fsio::Transaction::default();
    let mut saved_original = None;
    if let Some(existing) = read_existing(&output.path)?
        && let Some(refusal) =
            inspect_existing(output, &String::from_utf8_lossy(&existing), &generated)
    {
        if !options.force {
            return Ok(Outcome::Refused(refusal));
        }
        // The bytes exactly as they were, even if they are not UTF-8.
        let orig = orig_path(&output.path);
        transaction.write(&orig, &existing)?;
        saved_original = Some(orig);
    }
    let written = transaction.write(&output.path, generated.text.as_bytes())?;
    lock.upsert(entry);
    transaction.write(&lock_path, lock.render().as_bytes())?;
    transaction.commit();
    if options.relock {
        // Best effort, as in `lock`: `diff` and `update` compare against it later.
        let _ = crate::spec::cache::store(&workspace.target_dir, &spec);
    }

    let generation = Generation {
        path: output.path.clone(),
        file: generated,
        saved_original,
    };
    Ok(if written {
        Outcome::Written(generation)
    } else {
        Outcome::Fresh(generation)
    })
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

/// The lock entry that records `generated`.
fn lock_entry(
    contract: &Contract,
    spec: &LoadedSpec,
    previous: Option<&LockEntry>,
    generated: &GeneratedFile,
    locked: bool,
) -> LockEntry {
    let mut entry = LockEntry::pin(contract, spec, previous);
    entry.settings_fingerprint = Some(generated.header.settings_fingerprint);
    entry.body_sha256 = Some(generated.header.body_sha256);
    entry.generator = Some(generated.header.generator.clone());
    entry.lossy = generated.header.lossy.clone().unwrap_or_default();
    entry.operations = generated.header.operations.clone();
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
