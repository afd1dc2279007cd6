//! Finding a contract from inside a proc macro, without running `cargo metadata`: the crate is
//! the nearest directory above the invoking source file with a `Cargo.toml` that has a
//! `[package]`; its contract tables (or the workspace root's) give the spec; the lock at the
//! workspace root gives the pin. Parsed specs are cached per process, so a crate with many
//! attributes parses each spec once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use crate::macros::target_dir;
use crate::project::contract::{self, Contract, DeclarationContext};
use crate::project::lock::{LockEntry, LockFile};
use crate::project::workspace::LOCK_FILE_NAME;
use crate::spec::{self, LoadedSpec, Reading};
use crate::util::hash::Sha256Digest;
use crate::util::paths;

/// Where a proc macro runs.
#[derive(Debug, Clone, Default)]
pub struct MacroEnv {
    /// The source file of the invocation (`Span::local_file`), when known.
    pub source_file: Option<PathBuf>,
    /// `CARGO_MANIFEST_DIR`, when set.
    pub manifest_dir: Option<PathBuf>,
    /// `CARGO_CRATE_NAME` of the crate being compiled (for once-per-crate rebuild tracking).
    pub crate_name: Option<String>,
    /// rustc's `--out-dir`, when given (where `client!` looks for the target directory).
    pub out_dir: Option<PathBuf>,
    /// `CARGO_TARGET_DIR`, when set.
    pub target_dir_env: Option<PathBuf>,
}

impl MacroEnv {
    /// The crate the invocation belongs to: found from the source file (which also works under
    /// trybuild, whose generated project is not the crate), else from `CARGO_MANIFEST_DIR`.
    pub fn find_crate(&self) -> syn::Result<MacroCrate> {
        self.source_file
            .as_deref()
            .and_then(find_crate)
            .or_else(|| self.manifest_dir.as_deref().and_then(find_crate))
            .ok_or_else(|| {
                syn::Error::new(
                    proc_macro2::Span::call_site(),
                    "cannot find the Cargo.toml of the crate containing this file",
                )
            })
    }

    /// The target directory the crate is compiled into, when one is found
    /// ([`crate::macros::target_dir::find_target_dir`]).
    pub fn target_dir(&self, krate: &MacroCrate) -> Option<PathBuf> {
        crate::macros::target_dir::find_target_dir(
            self.out_dir.as_deref(),
            self.target_dir_env.as_deref(),
            &krate.root,
        )
    }

    /// Whether this is the first time `key` is seen in this crate's compilation (so a crate
    /// with 200 attributes for one contract embeds its record once).
    pub fn first_in_crate(&self, krate: &MacroCrate, key: &str) -> bool {
        let crate_name = self
            .crate_name
            .clone()
            .unwrap_or_else(|| krate.name.clone());
        first_tracking(&crate_name, Path::new(key))
    }

    /// [`track_files`] for each of `files` not yet tracked in this crate's compilation.
    pub fn tracking(&self, krate: &MacroCrate, files: &[PathBuf]) -> proc_macro2::TokenStream {
        let crate_name = self
            .crate_name
            .clone()
            .unwrap_or_else(|| krate.name.clone());
        let new: Vec<PathBuf> = files
            .iter()
            .filter(|path| path.is_file() && first_tracking(&crate_name, path))
            .cloned()
            .collect();
        track_files(&new)
    }
}

/// Items that make cargo rebuild the crate when one of `files` changes: an `include_bytes!(…)`
/// of each, in a function that is named but never called, so rustc records the file as a
/// dependency but neither stores nor compiles its bytes (a `const` holding them put the 13 MB
/// GitHub spec twice into the crate's `.rmeta`, and took 0.16 s per build instead of 0.06 s).
pub fn track_files(files: &[PathBuf]) -> proc_macro2::TokenStream {
    let files = files.iter().map(|p| p.to_string_lossy().into_owned());
    quote::quote!(#(
        const _: () = {
            fn track() {
                let _ = include_bytes!(#files);
            }
            let _ = track;
        };
    )*)
}

/// rustc's `--out-dir` among its arguments (a proc macro runs inside rustc, so
/// `std::env::args_os()` are rustc's).
pub fn out_dir_argument(args: impl IntoIterator<Item = std::ffi::OsString>) -> Option<PathBuf> {
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--out-dir" {
            return args.next().map(PathBuf::from);
        }
        if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix("--out-dir=")) {
            return Some(PathBuf::from(value));
        }
    }
    None
}

/// A crate as a proc macro sees it.
#[derive(Debug, Clone)]
pub struct MacroCrate {
    /// The crate's directory.
    pub dir: PathBuf,
    /// `package.name`.
    pub name: String,
    /// The workspace root (the crate's directory when it is not in a workspace).
    pub root: PathBuf,
}

/// A contract found for a macro, with its pin.
#[derive(Debug, Clone)]
pub struct Located {
    /// The contract.
    pub contract: Contract,
    /// Its lock entry, if pinned.
    pub entry: Option<LockEntry>,
    /// The lock file.
    pub lock_path: PathBuf,
    /// The Cargo.toml files read (the crate's, and the root's when it was consulted).
    pub manifests: Vec<PathBuf>,
}

impl Located {
    /// Every file the pin depends on, for rebuild tracking: manifests and lock.
    pub fn pin_files(&self) -> Vec<PathBuf> {
        let mut files = self.manifests.clone();
        files.push(self.lock_path.clone());
        files
    }
}

/// The largest Cargo.toml read (bigger ones are not manifests anyone writes by hand).
const MAX_MANIFEST_LEN: u64 = 4 << 20;

/// A manifest, parsed once per process while its bytes stay the same (a crate with 200
/// attributes would otherwise parse its manifests 200 times, unoptimised).
fn read_toml(path: &Path) -> Option<Arc<toml::Table>> {
    type Parsed = Mutex<HashMap<PathBuf, (Vec<u8>, Arc<toml::Table>)>>;
    static PARSED: OnceLock<Parsed> = OnceLock::new();
    let parsed = PARSED.get_or_init(Default::default);
    let bytes = crate::util::fsio::read_bounded(path, MAX_MANIFEST_LEN).ok()?;
    if let Ok(map) = parsed.lock()
        && let Some((seen, table)) = map.get(path)
        && *seen == bytes
    {
        return Some(table.clone());
    }
    let table = Arc::new(
        std::str::from_utf8(&bytes)
            .ok()?
            .parse::<toml::Table>()
            .ok()?,
    );
    if let Ok(mut map) = parsed.lock() {
        map.insert(path.to_path_buf(), (bytes, table.clone()));
    }
    Some(table)
}

/// The bytes of the files a lookup depends on (`None`: absent or unreadable), compared, not
/// timestamped, so a file rewritten within one clock tick still counts as changed.
fn snapshot(paths: &[PathBuf]) -> Vec<Option<Vec<u8>>> {
    paths
        .iter()
        .map(|path| crate::util::fsio::read_bounded(path, crate::util::fsio::MAX_TEXT_BYTES).ok())
        .collect()
}

/// The crate containing `start` (a source file or directory): the nearest ancestor with a
/// `Cargo.toml` that has a `[package]` table.
pub fn find_crate(start: &Path) -> Option<MacroCrate> {
    // rustc may report the source file relative to its working directory.
    let start = crate::util::paths::normalize(&std::path::absolute(start).ok()?);
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        if let Some(manifest) = read_toml(&d.join("Cargo.toml"))
            && let Some(name) = manifest
                .get("package")
                .and_then(|p| p.get("name"))
                .and_then(|n| n.as_str())
        {
            let root = find_root(d, &manifest);
            return Some(MacroCrate {
                dir: d.to_path_buf(),
                name: name.to_string(),
                root,
            });
        }
        dir = d.parent();
    }
    None
}

/// The workspace root of a crate, by cargo's rules: the crate itself when its manifest has
/// `[workspace]`; `package.workspace` when set; else the nearest ancestor whose manifest has a
/// `[workspace]` that does not exclude the crate; else the crate.
fn find_root(crate_dir: &Path, manifest: &toml::Table) -> PathBuf {
    if manifest.contains_key("workspace") {
        return crate_dir.to_path_buf();
    }
    if let Some(explicit) = manifest
        .get("package")
        .and_then(|p| p.get("workspace"))
        .and_then(toml::Value::as_str)
    {
        return crate::util::paths::normalize(&crate_dir.join(explicit));
    }
    for dir in crate_dir.ancestors().skip(1) {
        let Some(workspace) =
            read_toml(&dir.join("Cargo.toml")).and_then(|t| t.get("workspace").cloned())
        else {
            continue;
        };
        let excluded = workspace
            .get("exclude")
            .and_then(toml::Value::as_array)
            .is_some_and(|list| {
                list.iter()
                    .filter_map(toml::Value::as_str)
                    .any(|e| crate_dir.starts_with(crate::util::paths::normalize(&dir.join(e))))
            });
        return if excluded {
            crate_dir.to_path_buf()
        } else {
            dir.to_path_buf()
        };
    }
    crate_dir.to_path_buf()
}

/// Why a macro cannot find the contract it names.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LocateError {
    /// The name is not a valid contract name.
    #[error("{reason}")]
    InvalidName {
        /// Why, naming the name.
        reason: String,
    },
    /// The crate's Cargo.toml cannot be read or is not TOML.
    #[error("cannot read `{}`", manifest.display())]
    UnreadableManifest {
        /// The Cargo.toml.
        manifest: PathBuf,
    },
    /// No contract of that name is declared for the crate or its workspace.
    #[error("no contract `{name}` is declared for crate `{krate}`\nhelp: {help}")]
    Undeclared {
        /// The name given.
        name: String,
        /// The crate's `package.name`.
        krate: String,
        /// The fix: the declared contract a near-miss name meant, else how to declare one.
        help: String,
    },
    /// A contract table or the lock is malformed.
    #[error(transparent)]
    Project(Box<crate::Error>),
}

impl From<crate::Error> for LocateError {
    fn from(error: crate::Error) -> Self {
        LocateError::Project(Box::new(error))
    }
}

impl LocateError {
    /// The compile error to emit at `at`.
    pub fn to_syn(&self, at: &impl quote::ToTokens) -> syn::Error {
        syn::Error::new_spanned(at, crate::error::with_causes(self))
    }
}

/// Looks up contract `name` for `krate`: its own table first, then the workspace root's.
/// Remembered for the process while the crate's manifest, the root manifest and the lock keep
/// their bytes (read before the lookup, so a change during it is seen next time).
pub fn locate(krate: &MacroCrate, name: &str) -> Result<Located, LocateError> {
    type Memo = Mutex<HashMap<(PathBuf, PathBuf, String), (Vec<Option<Vec<u8>>>, Located)>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    let inputs = [
        krate.dir.join("Cargo.toml"),
        krate.root.join("Cargo.toml"),
        krate.root.join(LOCK_FILE_NAME),
    ];
    let before = snapshot(&inputs);
    let key = (krate.dir.clone(), krate.root.clone(), name.to_string());
    if let Ok(map) = memo.lock()
        && let Some((seen, located)) = map.get(&key)
        && *seen == before
    {
        return Ok(located.clone());
    }
    let located = locate_uncached(krate, name)?;
    if let Ok(mut map) = memo.lock() {
        map.insert(key, (before, located.clone()));
    }
    Ok(located)
}

fn locate_uncached(krate: &MacroCrate, name: &str) -> Result<Located, LocateError> {
    contract::validate_name(name).map_err(|reason| LocateError::InvalidName { reason })?;
    let members = vec![(krate.dir.clone(), krate.name.clone())];
    let ctx = DeclarationContext {
        root: &krate.root,
        members: &members,
    };
    let manifest_path = krate.dir.join("Cargo.toml");
    let to_json = |table: Option<&toml::Value>| -> serde_json::Value {
        table
            .and_then(|t| serde_json::to_value(t).ok())
            .unwrap_or(serde_json::Value::Null)
    };
    let own = read_toml(&manifest_path).ok_or_else(|| LocateError::UnreadableManifest {
        manifest: manifest_path.clone(),
    })?;
    let package_meta = to_json(own.get("package").and_then(|p| p.get("metadata")));
    let mut manifests = vec![manifest_path.clone()];
    let mut declared: Vec<String> = Vec::new();
    let mut found =
        contract::parse_declarations(&ctx, &package_meta, Some(&krate.name), &manifest_path)?
            .into_iter()
            .inspect(|c| declared.push(c.name.clone()))
            .find(|c| c.name == name);
    if found.is_none() {
        let root_manifest = krate.root.join("Cargo.toml");
        if root_manifest != manifest_path {
            manifests.push(root_manifest.clone());
        }
        if let Some(root) = read_toml(&root_manifest) {
            let workspace_meta = to_json(root.get("workspace").and_then(|w| w.get("metadata")));
            found = contract::parse_declarations(&ctx, &workspace_meta, None, &root_manifest)?
                .into_iter()
                .inspect(|c| declared.push(c.name.clone()))
                .find(|c| c.name == name);
        }
    }
    let contract = found.ok_or_else(|| {
        let known: Vec<&str> = declared.iter().map(String::as_str).collect();
        // A near miss is a typo: name the contract meant, not `add`.
        let help = match crate::util::names::closest(name, &known) {
            Some(near) => format!("did you mean `contract = \"{near}\"`?"),
            None => format!(
                "declare it with `cargo contract-guard add {name} <SPEC>`, or use `spec = \"<path>\"`"
            ),
        };
        LocateError::Undeclared {
            name: name.to_string(),
            krate: krate.name.clone(),
            help,
        }
    })?;
    let lock_path = krate.root.join(LOCK_FILE_NAME);
    let lock = LockFile::read(&lock_path)?;
    let entry = lock.and_then(|l| l.entry(&contract).cloned());
    Ok(Located {
        contract,
        entry,
        lock_path,
        manifests,
    })
}

/// Why a macro cannot use a pinned contract.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PinError {
    /// The lock has no entry for the contract.
    #[error("contract `{contract}` is not pinned in `{}`\nhelp: run `cargo contract-guard lock`", lock.display())]
    NotPinned {
        /// The contract's name.
        contract: String,
        /// The lock file.
        lock: PathBuf,
    },
    /// The contract was pinned from another spec file than the one it declares now.
    #[error(
        "contract `{contract}` was pinned from `{pinned}`, but its spec is now `{spec}`\nhelp: run `cargo contract-guard lock`"
    )]
    OtherSpec {
        /// The contract's name.
        contract: String,
        /// The spec the lock names.
        pinned: String,
        /// The spec the manifest names.
        spec: String,
    },
    /// The spec cannot be loaded.
    #[error(transparent)]
    Load(Box<crate::Error>),
    /// The spec no longer has its pinned fingerprint.
    #[error(
        "spec `{spec}` of contract `{contract}` does not match its pin\n\
         pinned:   {pinned}\n\
         spec now: {now}\n\
         help: {}",
        crate::report::advice::spec_moved(contract)
    )]
    Moved {
        /// The spec, relative to the crate.
        spec: String,
        /// The contract's name.
        contract: String,
        /// The pinned fingerprint.
        pinned: Sha256Digest,
        /// The spec's fingerprint now.
        now: Sha256Digest,
    },
    /// The spec moved from its pin and an earlier macro of this crate's compilation reported it
    /// (see [`crate::macros::reported`]): the crate fails with that error, this invocation adds none.
    #[error("the spec moved from its pin (reported above)")]
    Reported,
}

impl PinError {
    /// The compile error to emit at `at`; `None` when an earlier macro reported it.
    pub fn to_syn(&self, at: &impl quote::ToTokens) -> Option<syn::Error> {
        match self {
            PinError::Reported => None,
            error => Some(syn::Error::new_spanned(
                at,
                crate::error::with_causes(error),
            )),
        }
    }
}

/// Checks the contract's spec against its pin like [`load_pinned`], without parsing it when
/// its bytes are the ones pinned and cannot reference other files (read from the spec, not
/// from the lock's `files`). Returns the spec files to track for rebuilds.
pub fn verify_pinned(located: &Located) -> Result<Vec<PathBuf>, PinError> {
    if pinned_single_file(located).is_some() {
        return Ok(vec![located.contract.spec_path.clone()]);
    }
    load_pinned(located, Reading::Whole, None).map(|spec| spec.files())
}

/// The contract's lock entry when the spec's bytes are the ones it pinned and cannot reference
/// other files (read from the spec, not from the lock's `files`): the pin then vouches for the
/// spec without parsing it.
pub fn pinned_single_file(located: &Located) -> Option<&LockEntry> {
    let contract = &located.contract;
    located.entry.as_ref().filter(|entry| {
        entry.spec == contract.spec_rel
            && spec::read_capped(&contract.spec_path)
                .is_ok_and(|bytes| spec::is_pinned_single_file(&bytes, entry.raw_sha256))
    })
}

/// The contract's spec, checked against its pin: a compile error names both fingerprints and
/// the fix when they differ, once per crate. `reading` says how much of the document is read.
/// `target_dir`, when known, keeps the stamp that spares the next build the spec's hash.
pub fn load_pinned(
    located: &Located,
    reading: Reading,
    target_dir: Option<&Path>,
) -> Result<Arc<LoadedSpec>, PinError> {
    let contract = &located.contract;
    let Some(entry) = &located.entry else {
        return Err(PinError::NotPinned {
            contract: contract.name.clone(),
            lock: located.lock_path.clone(),
        });
    };
    if entry.spec != contract.spec_rel {
        return Err(PinError::OtherSpec {
            contract: contract.name.clone(),
            pinned: entry.spec.clone(),
            spec: contract.spec_rel.clone(),
        });
    }
    // A pin vouches for the fingerprint of the bytes it hashed, when they reach no other file
    // (`load_pinned_in` reads that from the spec).
    let pin = Some((entry.raw_sha256, entry.fingerprint));
    let spec = cached(
        &contract.spec_path,
        &contract.root,
        pin,
        reading,
        target_dir,
    )
    .map_err(|e| PinError::Load(Box::new(e)))?;
    if spec.fingerprint != entry.fingerprint {
        if !crate::macros::reported::first_report(
            &contract.name,
            &contract.spec_path,
            spec.fingerprint,
        ) {
            return Err(PinError::Reported);
        }
        // Relative to the crate, as the macros' other messages name files.
        let crate_dir = contract.manifest_path.parent().unwrap_or(&contract.root);
        return Err(PinError::Moved {
            spec: paths::relative_slash(crate_dir, &contract.spec_path),
            contract: contract.name.clone(),
            pinned: entry.fingerprint,
            now: spec.fingerprint,
        });
    }
    Ok(spec)
}

type Cache = Mutex<HashMap<(PathBuf, Reading), (u64, Option<SystemTime>, Arc<LoadedSpec>)>>;

/// Loads a spec once per process while its size and modification time stay the same
/// (references may reach anywhere inside `sandbox`).
pub fn load_cached(path: &Path, sandbox: &Path) -> crate::Result<Arc<LoadedSpec>> {
    cached(path, sandbox, None, Reading::Whole, None)
}

/// [`load_cached`], trusting `pin` (raw SHA-256, fingerprint) for bytes that hash to it.
fn cached(
    path: &Path,
    sandbox: &Path,
    pin: Option<(Sha256Digest, Sha256Digest)>,
    reading: Reading,
    target_dir: Option<&Path>,
) -> crate::Result<Arc<LoadedSpec>> {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let meta = std::fs::metadata(path).map_err(|e| crate::Error::io("read", path, e))?;
    let key = (meta.len(), meta.modified().ok());
    if let Ok(map) = cache.lock()
        && let Some((len, mtime, spec)) = map.get(&(path.to_path_buf(), reading))
        && (*len, *mtime) == key
    {
        return Ok(spec.clone());
    }
    let spec = Arc::new(match (pin, target_dir) {
        (Some((raw, fingerprint)), Some(dir)) => {
            pinned(path, sandbox, raw, fingerprint, reading, dir)?
        }
        (Some((raw, fingerprint)), None) => {
            spec::load_pinned_in(path, sandbox, raw, fingerprint, reading, false)?
        }
        (None, _) => spec::load_in(path, sandbox)?,
    });
    if let Ok(mut map) = cache.lock() {
        map.insert((path.to_path_buf(), reading), (key.0, key.1, spec.clone()));
    }
    Ok(spec)
}

/// A pinned spec, read through what earlier builds kept under `target_dir`: its digest when
/// its stamp holds, else the spec itself (then stamped, and its digest kept, for the next).
fn pinned(
    path: &Path,
    sandbox: &Path,
    raw: Sha256Digest,
    fingerprint: Sha256Digest,
    reading: Reading,
    dir: &Path,
) -> crate::Result<LoadedSpec> {
    let stamped = target_dir::stamped(dir, path, raw);
    if stamped
        && let Some((format, text)) = target_dir::digest(dir, path, raw, reading)
        && let Ok(spec) = spec::from_digest(path, format, &text, raw, fingerprint)
    {
        return Ok(spec);
    }
    let spec = spec::load_pinned_in(path, sandbox, raw, fingerprint, reading, stamped)?;
    let verified = spec.raw_sha256 == raw && spec.external_files.is_empty();
    if verified && !stamped {
        target_dir::stamp(dir, path, raw);
    }
    if verified && spec.fingerprint == fingerprint {
        target_dir::keep_digest(dir, raw, reading, &spec);
    }
    Ok(spec)
}

/// Whether this process has already emitted rebuild tracking for `path` in crate `krate`
/// (so a crate with 200 attributes includes a large spec once, not 200 times).
fn first_tracking(krate: &str, path: &Path) -> bool {
    static SEEN: OnceLock<Mutex<std::collections::HashSet<(String, PathBuf)>>> = OnceLock::new();
    SEEN.get_or_init(Default::default)
        .lock()
        .map(|mut seen| seen.insert((krate.to_string(), path.to_path_buf())))
        .unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {}\n";

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A workspace with a package contract (`app/pets`) and a workspace-level one (`shared`),
    /// both pinned.
    fn workspace() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "Cargo.toml",
            "[workspace]\nmembers = [\"app\"]\n\n[workspace.metadata.contract-guard.contracts.shared]\nspec = \"specs/shared.yaml\"\n",
        );
        write(
            root,
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nversion.workspace = true\n\n[package.metadata.contract-guard.contracts.pets]\nspec = \"specs/pets.yaml\"\n",
        );
        write(root, "app/specs/pets.yaml", SPEC);
        write(
            root,
            "specs/shared.yaml",
            &SPEC.replace("title: t", "title: s"),
        );
        let krate = find_crate(&root.join("app/src/lib.rs")).unwrap();
        let mut lock = LockFile::default();
        for name in ["pets", "shared"] {
            let located = locate(&krate, name).unwrap();
            let spec = located.contract.load_spec().unwrap();
            lock.upsert(LockEntry::pin(&located.contract, &spec, None));
        }
        lock.write(&root.join(LOCK_FILE_NAME)).unwrap();
        dir
    }

    #[test]
    fn finds_package_and_workspace_contracts_and_their_pins() {
        let dir = workspace();
        let root = dir.path();
        let krate = find_crate(&root.join("app/src/lib.rs")).unwrap();
        let pets = locate(&krate, "pets").unwrap();
        assert_eq!(pets.entry.as_ref().unwrap().package.as_deref(), Some("app"));
        assert_eq!(pets.contract.spec_path, root.join("app/specs/pets.yaml"));
        assert_eq!(pets.lock_path, root.join(LOCK_FILE_NAME));
        let shared = locate(&krate, "shared").unwrap();
        assert_eq!(shared.entry.as_ref().unwrap().package, None);
        assert_eq!(
            shared.manifests,
            [root.join("app/Cargo.toml"), root.join("Cargo.toml")]
        );
        assert_eq!(
            verify_pinned(&pets).unwrap(),
            [root.join("app/specs/pets.yaml")]
        );
    }

    #[test]
    fn a_moved_spec_is_an_error_naming_both_fingerprints() {
        let dir = workspace();
        let root = dir.path();
        let krate = find_crate(&root.join("app")).unwrap();
        // Same document, other bytes: still matches (canonical fingerprint).
        write(root, "app/specs/pets.yaml", &format!("# comment\n{SPEC}"));
        verify_pinned(&locate(&krate, "pets").unwrap()).unwrap();
        write(
            root,
            "app/specs/pets.yaml",
            &SPEC.replace("version: '1'", "version: '2'"),
        );
        let err = verify_pinned(&locate(&krate, "pets").unwrap())
            .unwrap_err()
            .to_string();
        assert!(
            // Named relative to the crate, as the guard names it.
            err.contains("spec `specs/pets.yaml` of contract `pets` does not match its pin"),
            "{err}"
        );
        assert_eq!(err.matches("sha256:").count(), 2, "{err}");
        assert!(err.contains("cargo contract-guard update pets"), "{err}");
    }

    #[test]
    fn undeclared_unpinned_and_badly_named_contracts_are_errors() {
        let dir = workspace();
        let root = dir.path();
        let krate = find_crate(&root.join("app")).unwrap();
        assert!(
            locate(&krate, "nope")
                .unwrap_err()
                .to_string()
                .contains("no contract `nope`")
        );
        assert!(
            locate(&krate, "bad name")
                .unwrap_err()
                .to_string()
                .contains("not a valid contract name")
        );
        std::fs::remove_file(root.join(LOCK_FILE_NAME)).unwrap();
        let err = verify_pinned(&locate(&krate, "pets").unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("not pinned"), "{err}");
    }

    #[test]
    fn a_remembered_lookup_sees_files_rewritten_at_once_with_the_same_length() {
        let dir = workspace();
        let root = dir.path();
        let krate = find_crate(&root.join("app/src/lib.rs")).unwrap();
        assert_eq!(
            locate(&krate, "pets").unwrap().contract.spec_rel,
            "app/specs/pets.yaml"
        );
        // Same length, same clock tick: a timestamp would not tell the two apart.
        let manifest = root.join("app/Cargo.toml");
        let text = std::fs::read_to_string(&manifest).unwrap();
        write(
            root,
            "app/Cargo.toml",
            &text.replace("specs/pets.yaml", "specs/cats.yaml"),
        );
        assert_eq!(
            locate(&krate, "pets").unwrap().contract.spec_rel,
            "app/specs/cats.yaml"
        );
        let lock = root.join(LOCK_FILE_NAME);
        let pinned = std::fs::read_to_string(&lock).unwrap();
        write(
            root,
            LOCK_FILE_NAME,
            &pinned.replace("name = \"pets\"", "name = \"pots\""),
        );
        assert!(locate(&krate, "pets").unwrap().entry.is_none());
        // And back: the first lookup's answer again.
        write(root, LOCK_FILE_NAME, &pinned);
        assert!(locate(&krate, "pets").unwrap().entry.is_some());
    }

    #[test]
    fn workspace_root_follows_cargo_rules() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "Cargo.toml",
            "[workspace]\nexclude = [\"standalone\"]\n",
        );
        let table = |t: &str| t.parse::<toml::Table>().unwrap();
        let member = table("[package]\nname = \"m\"\n");
        assert_eq!(find_root(&root.join("crates/m"), &member), root);
        assert_eq!(
            find_root(&root.join("standalone/x"), &member),
            root.join("standalone/x")
        );
        let own = table("[package]\nname = \"m\"\n[workspace]\n");
        assert_eq!(
            find_root(&root.join("crates/m"), &own),
            root.join("crates/m")
        );
        let explicit = table("[package]\nname = \"m\"\nworkspace = \"../..\"\n");
        assert_eq!(find_root(&root.join("a/b"), &explicit), root);
    }

    #[test]
    fn a_pin_vouches_only_for_the_bytes_it_hashed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let text = r#"{"openapi": "3.0.3", "info": {"title": "a", "version": "1"}, "paths": {}}"#;
        std::fs::write(&path, text).unwrap();
        let real = spec::load_in(&path, dir.path()).unwrap();
        let vouched = Sha256Digest::of(b"a fingerprint the pin recorded");
        // Same bytes: the pinned fingerprint is taken, the document still parsed.
        let trusted = spec::load_pinned_in(
            &path,
            dir.path(),
            real.raw_sha256,
            vouched,
            Reading::Whole,
            false,
        )
        .unwrap();
        assert_eq!(trusted.fingerprint, vouched);
        assert_eq!(trusted.document, real.document);
        // Other bytes: fingerprinted in full.
        let other = Sha256Digest::of(b"other bytes");
        let full =
            spec::load_pinned_in(&path, dir.path(), other, vouched, Reading::Whole, false).unwrap();
        assert_eq!(full.fingerprint, real.fingerprint);
    }

    #[test]
    fn a_spec_is_parsed_once_while_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.yaml");
        std::fs::write(
            &path,
            "openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths: {}\n",
        )
        .unwrap();
        let first = load_cached(&path, dir.path()).unwrap();
        let second = load_cached(&path, dir.path()).unwrap();
        assert!(
            Arc::ptr_eq(&first, &second),
            "the second load came from the cache"
        );
        std::fs::write(
            &path,
            "openapi: 3.0.3\ninfo: {title: changed, version: '1'}\npaths: {}\n",
        )
        .unwrap();
        let third = load_cached(&path, dir.path()).unwrap();
        assert_ne!(
            third.fingerprint, first.fingerprint,
            "a changed file is parsed again"
        );
    }

    #[test]
    fn finds_crates_and_workspace_roots() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("Cargo.toml"), "[workspace]\nmembers = [\"a\"]\n").unwrap();
        std::fs::create_dir_all(root.join("a/src")).unwrap();
        std::fs::write(root.join("a/Cargo.toml"), "[package]\nname = \"a\"\n").unwrap();
        let krate = find_crate(&root.join("a/src/lib.rs")).unwrap();
        assert_eq!(krate.name, "a");
        assert_eq!(krate.dir, root.join("a"));
        assert_eq!(krate.root, root);
    }

    #[test]
    fn a_pinned_spec_is_read_from_its_digest_and_a_broken_digest_is_never_used() {
        let dir = tempfile::tempdir().unwrap();
        let (root, target) = (dir.path(), dir.path().join("target"));
        let text = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
            "components": {"schemas": {"A": {"type": "object"}}}}"#;
        write(root, "spec.json", text);
        let path = root.join("spec.json");
        let past = SystemTime::now() - std::time::Duration::from_secs(60);
        std::fs::File::options()
            .append(true)
            .open(&path)
            .unwrap()
            .set_modified(past)
            .unwrap();
        let whole = spec::load_in(&path, root).unwrap();
        let (raw, fingerprint) = (whole.raw_sha256, whole.fingerprint);
        let load = || pinned(&path, root, raw, fingerprint, Reading::Schemas, &target).unwrap();
        let first = load();
        assert_eq!(first.document["paths"], serde_json::json!({}));
        assert!(target_dir::stamped(&target, &path, raw));
        let (_, kept) = target_dir::digest(&target, &path, raw, Reading::Schemas).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&kept).unwrap(),
            first.document
        );
        let verified = target.join("contract-guard/verified");
        let file = std::fs::read_dir(&verified)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().ends_with(".schemas.json"))
            .unwrap();
        let header = std::fs::read_to_string(&file)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string();
        // The next build reads the digest, not the spec (a marked digest shows which was read).
        let marked = kept.replace("\"A\"", "\"FromDigest\"");
        std::fs::write(&file, format!("{header}\n{marked}")).unwrap();
        let second = load();
        assert!(
            second
                .document
                .pointer("/components/schemas/FromDigest")
                .is_some()
        );
        assert_eq!(second.fingerprint, fingerprint);
        // The spec changed (a new modification time): the digest is read past.
        std::fs::File::options()
            .append(true)
            .open(&path)
            .unwrap()
            .set_modified(past + std::time::Duration::from_secs(1))
            .unwrap();
        assert_eq!(load().document, first.document);
        // A digest that does not parse is read past, and kept anew.
        let header = std::fs::read_to_string(&file)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string();
        std::fs::write(&file, format!("{header}\n{{\"openapi\"")).unwrap();
        assert_eq!(load().document, first.document);
        let (_, kept) = target_dir::digest(&target, &path, raw, Reading::Schemas).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&kept).unwrap(),
            first.document
        );
    }
}
