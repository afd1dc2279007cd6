//! Finding a contract's pin from inside a build, for `contract_macros::embed!` and
//! `contract_macros::fingerprint!`: the contract table in the crate's Cargo.toml (or the
//! workspace root's), the workspace's `contract-guard.lock`, and a check that the spec on disk
//! still has the pinned fingerprint.
//!
//! A proc macro runs inside rustc, so this does not run `cargo metadata`: it reads the crate's
//! Cargo.toml and walks up from the crate's directory to the workspace root the way cargo does
//! (`package.workspace`, else the nearest ancestor with a `[workspace]` table that does not
//! exclude the crate, else the crate itself).

use std::path::{Path, PathBuf};

use crate::contract::{self, ContractTable};
use crate::hash::Sha256Digest;
use crate::lock::{LockEntry, LockFile};
use crate::paths;
use crate::spec;
use crate::workspace::LOCK_FILE_NAME;

/// The largest Cargo.toml read (bigger ones are not manifests anyone writes by hand).
const MAX_MANIFEST_LEN: u64 = 4 << 20;

/// A contract's pin, verified against the spec on disk.
#[derive(Debug, Clone)]
pub struct Pinned {
    /// The lock entry.
    pub entry: LockEntry,
    /// Absolute path of the spec.
    pub spec_path: PathBuf,
    /// Absolute path of the lock file.
    pub lock_path: PathBuf,
    /// The Cargo.toml files that were read (the crate's, and the root's when different).
    pub manifests: Vec<PathBuf>,
}

/// Why a pin cannot be used; the message names the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LookupError {
    /// Several lines: what, the evidence, `help: ...`.
    pub message: String,
}

fn fail(message: impl Into<String>) -> LookupError {
    LookupError {
        message: message.into(),
    }
}

/// Finds the pin of contract `name` as seen by crate `package` in `crate_dir`, and checks that
/// the spec still has the pinned fingerprint.
pub fn find(crate_dir: &Path, package: &str, name: &str) -> Result<Pinned, LookupError> {
    contract::validate_name(name).map_err(fail)?;
    let manifest_path = crate_dir.join("Cargo.toml");
    let manifest = read_manifest(&manifest_path)?;
    let root = workspace_root(crate_dir, &manifest);
    let mut manifests = vec![manifest_path.clone()];
    let declared_in_package = manifest
        .get("package")
        .and_then(|p| contract_table(p, name))
        .map(|t| {
            (
                t.clone(),
                crate_dir.to_path_buf(),
                Some(package.to_string()),
            )
        });
    let declared = match declared_in_package {
        Some(found) => Some(found),
        None => {
            let root_manifest = if root == crate_dir {
                manifest.clone()
            } else {
                let path = root.join("Cargo.toml");
                manifests.push(path.clone());
                read_manifest(&path)?
            };
            root_manifest
                .get("workspace")
                .and_then(|w| contract_table(w, name))
                .map(|t| (t.clone(), root.clone(), None))
        }
    };
    let Some((table, base, declaring)) = declared else {
        return Err(fail(format!(
            "no contract named `{name}` is declared for crate `{package}`\n\
             help: declare it in `[package.metadata.contract-guard.contracts.{name}]` of `Cargo.toml` \
             (`cargo contract-guard add {name} <SPEC>` does it and pins the spec)"
        )));
    };
    let table: ContractTable = table.try_into().map_err(|e: toml::de::Error| {
        fail(format!("invalid contract `{name}`: {}", e.message()))
    })?;
    let spec_path = paths::resolve_inside(&root, &base, &table.spec).map_err(|p| {
        fail(format!(
            "path `{}` in contract `{name}` {}",
            table.spec,
            p.describe()
        ))
    })?;
    let spec_rel = paths::relative_slash(&root, &spec_path);
    let lock_path = root.join(LOCK_FILE_NAME);
    let relock = "help: run `cargo contract-guard lock`";
    let lock = LockFile::read(&lock_path)
        .map_err(|e| fail(e.to_string()))?
        .ok_or_else(|| {
            fail(format!(
                "contract `{name}` is not pinned: there is no `{LOCK_FILE_NAME}` at the workspace root `{}`\n{relock}",
                root.display()
            ))
        })?;
    let entry = lock
        .contracts
        .iter()
        .find(|e| e.name == name && e.package == declaring)
        .cloned()
        .ok_or_else(|| {
            fail(format!(
                "contract `{name}` is not pinned in `{LOCK_FILE_NAME}`\n{relock}"
            ))
        })?;
    if entry.spec != spec_rel {
        return Err(fail(format!(
            "contract `{name}` was pinned from `{}`, but its spec is now `{spec_rel}`\n{relock}",
            entry.spec
        )));
    }
    verify_spec(&spec_path, &table.spec, name, &entry)?;
    Ok(Pinned {
        entry,
        spec_path,
        lock_path,
        manifests,
    })
}

/// Checks that the spec has the pinned fingerprint; a byte-identical file skips parsing.
fn verify_spec(
    path: &Path,
    written: &str,
    name: &str,
    entry: &LockEntry,
) -> Result<(), LookupError> {
    let bytes = std::fs::read(path).map_err(|e| {
        fail(format!(
            "cannot read spec `{written}` of contract `{name}`: {e}"
        ))
    })?;
    if Sha256Digest::of(&bytes) == entry.raw_sha256 {
        return Ok(());
    }
    let loaded = spec::load(path).map_err(|e| fail(e.to_string()))?;
    if loaded.fingerprint == entry.fingerprint {
        return Ok(());
    }
    Err(fail(format!(
        "spec `{written}` of contract `{name}` no longer matches its pin\n\
         pinned:   {}\n\
         spec now: {}\n\
         help: review the change, then run `cargo contract-guard lock`",
        entry.fingerprint, loaded.fingerprint
    )))
}

/// `<table>.metadata.contract-guard.contracts.<name>`.
fn contract_table<'a>(table: &'a toml::Value, name: &str) -> Option<&'a toml::Value> {
    table
        .get("metadata")?
        .get("contract-guard")?
        .get("contracts")?
        .get(name)
}

fn read_manifest(path: &Path) -> Result<toml::Table, LookupError> {
    read_table(path).map_err(|e| fail(format!("cannot read `{}`: {e}", path.display())))
}

fn read_table(path: &Path) -> Result<toml::Table, String> {
    let len = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if len > MAX_MANIFEST_LEN {
        return Err(format!("it is larger than {MAX_MANIFEST_LEN} bytes"));
    }
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    text.parse::<toml::Table>()
        .map_err(|e| e.message().to_string())
}

/// The workspace root of the crate in `crate_dir` whose manifest is `manifest`.
pub fn workspace_root(crate_dir: &Path, manifest: &toml::Table) -> PathBuf {
    if manifest.contains_key("workspace") {
        return crate_dir.to_path_buf();
    }
    if let Some(explicit) = manifest
        .get("package")
        .and_then(|p| p.get("workspace"))
        .and_then(toml::Value::as_str)
    {
        return paths::normalize(&crate_dir.join(explicit));
    }
    for dir in crate_dir.ancestors().skip(1) {
        let Ok(table) = read_table(&dir.join("Cargo.toml")) else {
            continue;
        };
        let Some(workspace) = table.get("workspace") else {
            continue;
        };
        let excluded = workspace
            .get("exclude")
            .and_then(toml::Value::as_array)
            .is_some_and(|list| {
                list.iter()
                    .filter_map(toml::Value::as_str)
                    .any(|e| crate_dir.starts_with(paths::normalize(&dir.join(e))))
            });
        return if excluded {
            crate_dir.to_path_buf()
        } else {
            dir.to_path_buf()
        };
    }
    crate_dir.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {}\n";

    struct Fixture {
        dir: tempfile::TempDir,
    }

    impl Fixture {
        fn new() -> Fixture {
            Fixture {
                dir: tempfile::tempdir().unwrap(),
            }
        }
        fn path(&self, rel: &str) -> PathBuf {
            self.dir.path().join(rel)
        }
        fn write(&self, rel: &str, text: &str) {
            let path = self.path(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        /// Pins `spec_rel` (relative to the root) for `package`/`name`.
        fn lock(&self, entries: &[(Option<&str>, &str, &str)]) {
            let mut lock = LockFile::default();
            for (package, name, spec_rel) in entries {
                let loaded = spec::load(&self.path(spec_rel)).unwrap();
                lock.contracts.push(LockEntry {
                    name: name.to_string(),
                    package: package.map(str::to_string),
                    spec: spec_rel.to_string(),
                    openapi: "3.0.3".into(),
                    fingerprint: loaded.fingerprint,
                    raw_sha256: loaded.raw_sha256,
                    output: None,
                    settings_fingerprint: None,
                    body_sha256: None,
                    generator: Some("progenitor 0.15.1".into()),
                });
            }
            lock.write(&self.path(LOCK_FILE_NAME)).unwrap();
        }
    }

    fn workspace() -> Fixture {
        let f = Fixture::new();
        f.write(
            "Cargo.toml",
            "[workspace]\nmembers = [\"app\"]\n\n[workspace.metadata.contract-guard.contracts.shared]\nspec = \"specs/shared.yaml\"\n",
        );
        f.write(
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nversion.workspace = true\n\n[package.metadata.contract-guard.contracts.pets]\nspec = \"specs/pets.yaml\"\n",
        );
        f.write("app/specs/pets.yaml", SPEC);
        f.write("specs/shared.yaml", &SPEC.replace("title: t", "title: s"));
        f.lock(&[
            (Some("app"), "pets", "app/specs/pets.yaml"),
            (None, "shared", "specs/shared.yaml"),
        ]);
        f
    }

    #[test]
    fn finds_package_and_workspace_contracts() {
        let f = workspace();
        let app = f.path("app");
        let pets = find(&app, "app", "pets").unwrap();
        assert_eq!(pets.entry.package.as_deref(), Some("app"));
        assert_eq!(pets.spec_path, f.path("app/specs/pets.yaml"));
        assert_eq!(pets.lock_path, f.path(LOCK_FILE_NAME));
        let shared = find(&app, "app", "shared").unwrap();
        assert_eq!(shared.entry.package, None);
        assert_eq!(
            shared.manifests,
            [app.join("Cargo.toml"), f.path("Cargo.toml")]
        );
        assert_ne!(pets.entry.fingerprint, shared.entry.fingerprint);
    }

    #[test]
    fn a_moved_spec_is_an_error_naming_both_fingerprints() {
        let f = workspace();
        // Same document, other bytes: still matches (canonical fingerprint).
        f.write("app/specs/pets.yaml", &format!("# comment\n{SPEC}"));
        find(&f.path("app"), "app", "pets").unwrap();
        f.write(
            "app/specs/pets.yaml",
            &SPEC.replace("version: '1'", "version: '2'"),
        );
        let err = find(&f.path("app"), "app", "pets").unwrap_err().message;
        assert!(
            err.contains("spec `specs/pets.yaml` of contract `pets` no longer matches its pin"),
            "{err}"
        );
        assert_eq!(err.matches("sha256:").count(), 2, "{err}");
        assert!(err.contains("cargo contract-guard lock"), "{err}");
    }

    #[test]
    fn undeclared_unpinned_and_missing_lock_are_errors() {
        let f = workspace();
        let app = f.path("app");
        let err = find(&app, "app", "nope").unwrap_err().message;
        assert!(err.contains("no contract named `nope`"), "{err}");
        assert!(
            find(&app, "app", "bad name")
                .unwrap_err()
                .message
                .contains("not a valid contract name")
        );
        f.lock(&[(Some("app"), "pets", "app/specs/pets.yaml")]);
        let err = find(&app, "app", "shared").unwrap_err().message;
        assert!(err.contains("not pinned"), "{err}");
        std::fs::remove_file(f.path(LOCK_FILE_NAME)).unwrap();
        let err = find(&app, "app", "pets").unwrap_err().message;
        assert!(err.contains("there is no `contract-guard.lock`"), "{err}");
    }

    #[test]
    fn workspace_root_follows_cargo_rules() {
        let f = Fixture::new();
        f.write("Cargo.toml", "[workspace]\nexclude = [\"standalone\"]\n");
        let table = |t: &str| t.parse::<toml::Table>().unwrap();
        let member = table("[package]\nname = \"m\"\n");
        assert_eq!(workspace_root(&f.path("crates/m"), &member), f.dir.path());
        assert_eq!(
            workspace_root(&f.path("standalone/x"), &member),
            f.path("standalone/x")
        );
        let own = table("[package]\nname = \"m\"\n[workspace]\n");
        assert_eq!(
            workspace_root(&f.path("crates/m"), &own),
            f.path("crates/m")
        );
        let explicit = table("[package]\nname = \"m\"\nworkspace = \"../..\"\n");
        assert_eq!(workspace_root(&f.path("a/b"), &explicit), f.dir.path());
    }
}
