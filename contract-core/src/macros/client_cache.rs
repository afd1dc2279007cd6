//! The cache of `client!`'s expansion. The generated client is a pure function of the spec's
//! exact text, the contract's generator options and the generator itself, so it is generated
//! once and kept under the target directory, at
//! `<target-dir>/contract-guard/clients/<key>.rs`, where the key is the SHA-256 of
//! ([`CacheKey::new`]):
//!
//! - the spec's fingerprint, and the SHA-256 of its bytes and of every file it references (the
//!   fingerprint alone ignores key order, which the generated code follows);
//! - the fingerprint of the contract's generator options (all of them: an option added later is
//!   covered as soon as it is part of [`GeneratorSettings`]);
//! - this tool's version, progenitor's version and the pipeline revision
//!   ([`crate::codegen::generator_id`]), and the entry format.
//!
//! Every entry starts with a header holding its key and the SHA-256 of the code below it, and
//! is checked against both before each use: an entry that fails (truncated, edited, another
//! key's) is refused, generated again and replaced, never used. Entries are written
//! atomically ([`fsio::write_atomic_shared`]) and never removed (`cargo clean` removes them).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::project::lock::LockEntry;
use crate::project::settings::GeneratorSettings;
use crate::spec::LoadedSpec;
use crate::util::fsio;
use crate::util::hash::Sha256Digest;

/// The entry format, part of every key and the first header line of every entry.
const FORMAT: &str = "contract-guard client! cache 1";

/// What identifies a spec's exact text: its fingerprint, and the SHA-256 of its bytes and of
/// each file it references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecIdentity {
    /// The canonical fingerprint.
    pub fingerprint: Sha256Digest,
    /// SHA-256 of the spec file's bytes.
    pub raw_sha256: Sha256Digest,
    /// Each referenced file's key (path relative to the spec) and the SHA-256 of its bytes.
    pub external: Vec<(String, Sha256Digest)>,
}

impl SpecIdentity {
    /// The identity of a loaded spec.
    pub fn of(spec: &LoadedSpec) -> Self {
        SpecIdentity {
            fingerprint: spec.fingerprint,
            raw_sha256: spec.raw_sha256,
            external: spec
                .external_files
                .iter()
                .map(|file| (file.key.clone(), file.raw_sha256))
                .collect(),
        }
    }

    /// The identity of a spec whose bytes are those `entry` pinned and that references no
    /// other file ([`crate::macros::locate::pinned_single_file`]): known without parsing it.
    pub fn pinned_single_file(entry: &LockEntry) -> Self {
        SpecIdentity {
            fingerprint: entry.fingerprint,
            raw_sha256: entry.raw_sha256,
            external: Vec::new(),
        }
    }
}

/// The key of a cache entry: what the expansion is a function of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheKey(Sha256Digest);

impl CacheKey {
    /// The key of the client generated from `spec` with `settings` by this build of the tool.
    pub fn new(spec: &SpecIdentity, settings: &GeneratorSettings) -> Self {
        let mut text = format!(
            "{FORMAT}\ntool {}\ngenerator {}\nspec {}\nbytes {}\n",
            env!("CARGO_PKG_VERSION"),
            crate::codegen::generator_id(),
            spec.fingerprint,
            spec.raw_sha256,
        );
        for (key, digest) in &spec.external {
            text.push_str(&format!("file {key:?} {digest}\n"));
        }
        text.push_str(&format!("settings {}\n", settings.fingerprint()));
        CacheKey(Sha256Digest::of(text.as_bytes()))
    }

    /// The key as a digest.
    pub fn digest(&self) -> Sha256Digest {
        self.0
    }
}

/// What the cache holds for a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A verified entry: the code at this path is the expansion.
    Hit(PathBuf),
    /// No entry.
    Missing,
    /// An entry that failed its check; it must not be used.
    Refused {
        /// The entry.
        path: PathBuf,
        /// Why, in words.
        reason: String,
    },
}

/// The directory of cached expansions under a target directory.
#[derive(Debug, Clone)]
pub struct ClientCache {
    dir: PathBuf,
}

impl ClientCache {
    /// The cache under `target_dir`: `<target_dir>/contract-guard/clients`.
    pub fn in_target_dir(target_dir: &Path) -> Self {
        ClientCache {
            dir: target_dir.join("contract-guard").join("clients"),
        }
    }

    /// Where the entry for `key` lives (named by the key alone: nothing from a spec).
    pub fn entry_path(&self, key: &CacheKey) -> PathBuf {
        self.dir.join(format!("{}.rs", key.0.hex()))
    }

    /// The verified entry for `key`, if any.
    pub fn lookup(&self, key: &CacheKey) -> Lookup {
        let path = self.entry_path(key);
        let bytes = match fsio::read_bounded_if_exists(&path, fsio::MAX_TEXT_BYTES) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Lookup::Missing,
            Err(error) => {
                return Lookup::Refused {
                    path,
                    reason: crate::error::with_causes(&error),
                };
            }
        };
        match check_entry(&bytes, key) {
            Ok(()) => Lookup::Hit(path),
            Err(reason) => Lookup::Refused {
                path,
                reason: reason.to_string(),
            },
        }
    }

    /// Stores `code` as the entry for `key`, atomically, and returns its path. The entry's
    /// modification time is set to `inputs_modified` (the newest of the files it was generated
    /// from): cargo sees a dependency written during a build as newer than the build and would
    /// compile the crate once more for nothing.
    pub fn store(
        &self,
        key: &CacheKey,
        code: &str,
        inputs_modified: Option<SystemTime>,
    ) -> crate::Result<PathBuf> {
        let path = self.entry_path(key);
        let entry = format!("{}{code}", header(key, &Sha256Digest::of(code.as_bytes())));
        fsio::write_atomic_shared(&path, entry.as_bytes())?;
        if let Some(time) = inputs_modified.filter(|time| *time <= SystemTime::now()) {
            // Best effort: at worst cargo compiles the crate once more.
            let _ = std::fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|file| file.set_modified(time));
        }
        Ok(path)
    }
}

/// The header of the entry for `key` holding code with SHA-256 `code_digest`.
fn header(key: &CacheKey, code_digest: &Sha256Digest) -> String {
    format!(
        "// @generated by `contract_macros::client!` (cargo-contract-guard): a cached expansion,\n\
         // checked against this header before every use; safe to delete.\n\
         // {FORMAT}\n\
         // key: {}\n\
         // code: {code_digest}\n",
        key.0
    )
}

/// Why an entry's bytes are not the expansion for `key`.
fn check_entry(bytes: &[u8], key: &CacheKey) -> Result<(), &'static str> {
    let lines = header(key, &Sha256Digest::of(b"")).lines().count();
    let code_start = bytes
        .iter()
        .enumerate()
        .filter(|(_, byte)| **byte == b'\n')
        .nth(lines - 1)
        .map(|(at, _)| at + 1)
        .ok_or("it is shorter than its header (truncated)")?;
    let (head, code) = bytes.split_at(code_start);
    let expected = header(key, &Sha256Digest::of(code));
    if head == expected.as_bytes() {
        return Ok(());
    }
    let key_line = format!("// key: {}\n", key.0);
    if !head
        .windows(key_line.len())
        .any(|w| w == key_line.as_bytes())
    {
        return Err("its header does not name this key or format");
    }
    Err("its code does not match the digest in its header (truncated or edited)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(seed: &[u8]) -> SpecIdentity {
        SpecIdentity {
            fingerprint: Sha256Digest::of(seed),
            raw_sha256: Sha256Digest::of(&[seed, b" bytes"].concat()),
            external: Vec::new(),
        }
    }

    #[test]
    fn the_key_follows_every_input() {
        let base = CacheKey::new(&identity(b"a"), &GeneratorSettings::default());
        assert_eq!(
            base,
            CacheKey::new(&identity(b"a"), &GeneratorSettings::default())
        );
        let mut reordered = identity(b"a");
        reordered.raw_sha256 = Sha256Digest::of(b"same document, keys in another order");
        let mut referencing = identity(b"a");
        referencing
            .external
            .push(("common.yaml".into(), Sha256Digest::of(b"c")));
        let builder = GeneratorSettings {
            interface: crate::project::settings::Interface::Builder,
            ..GeneratorSettings::default()
        };
        let accepting = GeneratorSettings {
            accept: vec!["normalize/unsupported-body".into()],
            ..GeneratorSettings::default()
        };
        let keys = [
            CacheKey::new(&identity(b"b"), &GeneratorSettings::default()),
            CacheKey::new(&reordered, &GeneratorSettings::default()),
            CacheKey::new(&referencing, &GeneratorSettings::default()),
            CacheKey::new(&identity(b"a"), &builder),
            CacheKey::new(&identity(b"a"), &accepting),
        ];
        for (i, key) in keys.iter().enumerate() {
            assert_ne!(*key, base, "input {i} is not in the key");
        }
    }

    #[test]
    fn a_stored_entry_is_found_and_other_keys_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ClientCache::in_target_dir(dir.path());
        let key = CacheKey::new(&identity(b"a"), &GeneratorSettings::default());
        let other = CacheKey::new(&identity(b"b"), &GeneratorSettings::default());
        assert_eq!(cache.lookup(&key), Lookup::Missing);
        let path = cache.store(&key, "pub struct A;\n", None).unwrap();
        assert_eq!(
            path,
            dir.path()
                .join("contract-guard/clients")
                .join(format!("{}.rs", key.digest().hex()))
        );
        assert_eq!(cache.lookup(&key), Lookup::Hit(path.clone()));
        assert_eq!(cache.lookup(&other), Lookup::Missing);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.ends_with("\npub struct A;\n"), "{text}");
        assert!(text.starts_with("// @generated"), "{text}");
    }

    #[test]
    fn truncated_edited_and_misplaced_entries_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ClientCache::in_target_dir(dir.path());
        let key = CacheKey::new(&identity(b"a"), &GeneratorSettings::default());
        let path = cache
            .store(&key, "pub struct A;\npub struct B;\n", None)
            .unwrap();
        let whole = std::fs::read_to_string(&path).unwrap();
        let refused = |text: &str| {
            std::fs::write(&path, text).unwrap();
            match cache.lookup(&key) {
                Lookup::Refused { path: at, reason } if at == path => reason,
                other => panic!("{text:?} was not refused: {other:?}"),
            }
        };
        let truncated = refused(&whole[..whole.len() - 14]);
        assert!(
            truncated.contains("does not match the digest"),
            "{truncated}"
        );
        let edited = refused(&whole.replace("struct B", "struct C"));
        assert!(edited.contains("does not match the digest"), "{edited}");
        let header_only = refused(&whole[..40]);
        assert!(
            header_only.contains("shorter than its header"),
            "{header_only}"
        );
        // A valid entry of another key, copied over this one.
        let other = CacheKey::new(&identity(b"b"), &GeneratorSettings::default());
        let foreign =
            std::fs::read_to_string(cache.store(&other, "pub struct A;\n", None).unwrap()).unwrap();
        let misplaced = refused(&foreign);
        assert!(misplaced.contains("does not name this key"), "{misplaced}");
        // A directory where the entry should be.
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(&path).unwrap();
        assert!(matches!(cache.lookup(&key), Lookup::Refused { .. }));
    }

    #[test]
    fn a_stored_entry_is_dated_from_its_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ClientCache::in_target_dir(dir.path());
        let key = CacheKey::new(&identity(b"a"), &GeneratorSettings::default());
        let inputs = SystemTime::now() - std::time::Duration::from_secs(3600);
        let path = cache.store(&key, "pub struct A;\n", Some(inputs)).unwrap();
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        assert_eq!(modified, inputs);
    }
}
