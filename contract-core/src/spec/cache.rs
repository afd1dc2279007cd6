//! Copies of pinned specs, so a pin can be compared with the spec on disk after the file has
//! moved on: a content-addressed cache `<target-dir>/contract-guard/specs/<hex>.json` holding
//! the RFC 8785 canonical JSON of what was fingerprinted (the document, or the bundle of a spec
//! spanning several files), so the file's SHA-256 *is* the pinned fingerprint (written by
//! `lock`, `add`, `generate --relock` and `update`); and, when the cache does not have it, git
//! history (the spec and the files it references at `HEAD`, then at the commit that last
//! changed the lock). Every copy is verified against the pinned fingerprint before use, so a
//! stale or tampered file is never mistaken for the pin.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Result;
use crate::project::lock::LockEntry;
use crate::project::workspace::{LOCK_FILE_NAME, Workspace};
use crate::spec::canonical;
use crate::spec::{self, LoadedSpec, ParsedSpec};
use crate::util::fsio;
use crate::util::hash::Sha256Digest;

/// The cache directory under a target directory.
pub fn dir(target_dir: &Path) -> PathBuf {
    target_dir.join("contract-guard").join("specs")
}

/// Where the copy of the spec with this fingerprint lives.
pub fn path_for(target_dir: &Path, fingerprint: &Sha256Digest) -> PathBuf {
    dir(target_dir).join(format!("{}.json", fingerprint.hex()))
}

/// Stores the canonical JSON of what `spec`'s fingerprint is the hash of (the document, or the
/// bundle of a spec spanning several files); `Ok(false)` when it was already there.
pub fn store(target_dir: &Path, spec: &LoadedSpec) -> Result<bool> {
    let path = path_for(target_dir, &spec.fingerprint);
    if path.is_file() {
        return Ok(false);
    }
    let bytes = canonical::canonical_json(&spec.fingerprinted_value())
        .map_err(|e| crate::Error::io("write", &path, std::io::Error::other(e)))?;
    fsio::write_atomic(&path, &bytes)
}

/// The cached spec with this fingerprint, if the cache has a copy whose bytes hash to it; a
/// spec spanning several files comes back as one document, its other files inlined.
pub fn fetch(target_dir: &Path, fingerprint: &Sha256Digest) -> Option<ParsedSpec> {
    let path = path_for(target_dir, fingerprint);
    let bytes = spec::read_capped(&path).ok()?;
    if Sha256Digest::of(&bytes) != *fingerprint {
        return None;
    }
    spec::parse_fingerprinted(&path, &bytes).ok()
}

/// Where a pinned spec was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The cache file.
    Cache(PathBuf),
    /// `git show <commit>:<spec>`.
    Git {
        /// The revision (`HEAD` or a commit hash).
        revision: String,
    },
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Cache(path) => write!(f, "the cache (`{}`)", path.display()),
            Source::Git { revision } => write!(f, "git revision `{revision}`"),
        }
    }
}

/// The spec a lock entry pins, from the cache or from git history; `None` when neither has a
/// copy with the pinned fingerprint. A copy found in git is put in the cache.
pub fn pinned(workspace: &Workspace, entry: &LockEntry) -> Option<(ParsedSpec, Source)> {
    if let Some(spec) = fetch(&workspace.target_dir, &entry.fingerprint) {
        return Some((
            spec,
            Source::Cache(path_for(&workspace.target_dir, &entry.fingerprint)),
        ));
    }
    let mut revisions = vec!["HEAD".to_string()];
    if let Some(commit) = git(
        &workspace.root,
        &["log", "-1", "--format=%H", "--", LOCK_FILE_NAME],
    )
    .and_then(|out| String::from_utf8(out).ok())
    .map(|s| s.trim().to_string())
    .filter(|s| !s.is_empty())
    {
        revisions.push(commit);
    }
    for revision in revisions {
        let Some(spec) = from_git(workspace, entry, &revision) else {
            continue;
        };
        if spec.fingerprint != entry.fingerprint {
            continue;
        }
        let _ = store(&workspace.target_dir, &spec);
        let Ok(document) = spec.single_document().map(|d| d.into_owned()) else {
            continue;
        };
        let parsed = ParsedSpec {
            path: PathBuf::from(format!("{revision}:{}", entry.spec)),
            format: spec.format,
            version: spec.version,
            document,
            origins: Vec::new(),
        };
        return Some((parsed, Source::Git { revision }));
    }
    None
}

/// The pinned spec and the files it references (the lock entry's `files`) as they are at
/// `revision`, loaded from a scratch copy laid out like the workspace (in the target
/// directory, removed after).
fn from_git(workspace: &Workspace, entry: &LockEntry, revision: &str) -> Option<LoadedSpec> {
    let parent = workspace.target_dir.join("contract-guard");
    std::fs::create_dir_all(&parent).ok()?;
    let scratch = tempfile::Builder::new()
        .prefix("git-pin-")
        .tempdir_in(&parent)
        .ok()?;
    for rel in std::iter::once(&entry.spec).chain(&entry.files) {
        let path = crate::util::paths::resolve_inside(scratch.path(), scratch.path(), rel).ok()?;
        let bytes = git(&workspace.root, &["show", &format!("{revision}:./{rel}")])?;
        std::fs::create_dir_all(path.parent()?).ok()?;
        std::fs::write(&path, bytes).ok()?;
    }
    spec::load_in(&scratch.path().join(&entry.spec), scratch.path()).ok()
}

/// Runs git in `dir`; its stdout when it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    output.status.success().then_some(output.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_verifies_and_refuses_tampered_copies() {
        let dir = tempfile::tempdir().unwrap();
        let spec_path = dir.path().join("pets.yaml");
        std::fs::write(
            &spec_path,
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
        )
        .unwrap();
        let spec = spec::load(&spec_path).unwrap();
        let target = dir.path().join("target");
        assert!(fetch(&target, &spec.fingerprint).is_none());
        assert!(store(&target, &spec).unwrap());
        assert!(!store(&target, &spec).unwrap());
        let back = fetch(&target, &spec.fingerprint).unwrap();
        assert_eq!(back.document, spec.document);
        assert_eq!(
            Sha256Digest::of(&std::fs::read(path_for(&target, &spec.fingerprint)).unwrap()),
            spec.fingerprint,
            "the file's hash is its name"
        );
        std::fs::write(
            path_for(&target, &spec.fingerprint),
            r#"{"info":{"title":"t","version":"2"},"openapi":"3.0.3","paths":{}}"#,
        )
        .unwrap();
        assert!(fetch(&target, &spec.fingerprint).is_none());
    }
}
