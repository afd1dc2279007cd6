//! The crates a generated client needs in the user's `[dependencies]`, and where the
//! `contract-macros` entry points (crates.io, the source this tool was built from, a folder or
//! a git repository).

use std::path::{Path, PathBuf};

use super::progenitor::Needs;
use crate::error::{Error, Result};
use crate::project::manifest::{Dependency, DependencySource};
use crate::util::{fsio, paths};

/// Whether `contract-macros` at this version is on crates.io. While it is not, `add` points the
/// dependency at a source that resolves now (see [`MacrosChoice::Auto`]). Set it to `true` in the
/// release that publishes the crates.
pub const MACROS_PUBLISHED: bool = false;

/// The version of `contract-macros` this tool writes (the same release as this crate).
const MACROS_VERSION: &str = env!("CARGO_PKG_VERSION");

/// How many folders above a crate are searched for the workspace its version is inherited from.
const MAX_WORKSPACE_DEPTH: usize = 8;

/// The user's choice of source for `contract-macros`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MacrosChoice<'a> {
    /// crates.io once it is published; until then the source tree this tool was built from,
    /// when it is still there.
    Auto,
    /// A `contract-macros` folder (`--macros-path`).
    Path(&'a Path),
    /// A git repository holding `contract-macros` (`--macros-git`, `--macros-rev`).
    Git {
        /// The repository URL.
        url: &'a str,
        /// A commit, tag or branch.
        rev: Option<&'a str>,
    },
}

/// The `contract-macros` folder of the source tree this tool was built from (it may be gone).
pub fn built_from() -> PathBuf {
    paths::normalize(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../contract-macros"))
}

/// Where the `contract-macros` entry of the crate at `crate_dir` (in the workspace at
/// `workspace_root`) points. A folder inside the workspace is written relative to the crate,
/// so every checkout of the workspace resolves it; one outside is written absolute.
pub fn macros_source(
    choice: MacrosChoice<'_>,
    crate_dir: &Path,
    workspace_root: &Path,
) -> Result<DependencySource> {
    resolve(
        choice,
        &built_from(),
        MACROS_PUBLISHED,
        crate_dir,
        workspace_root,
    )
}

fn resolve(
    choice: MacrosChoice<'_>,
    built_from: &Path,
    published: bool,
    crate_dir: &Path,
    workspace_root: &Path,
) -> Result<DependencySource> {
    let folder = match choice {
        MacrosChoice::Auto if published => return Ok(DependencySource::Registry),
        MacrosChoice::Auto => built_from,
        MacrosChoice::Path(folder) => folder,
        MacrosChoice::Git { url, rev } => {
            return Ok(DependencySource::Git {
                url: url.to_string(),
                rev: rev.map(str::to_string),
            });
        }
    };
    let problem = |reason: String| Error::MacrosSource {
        path: folder.to_path_buf(),
        reason,
    };
    let folder = std::fs::canonicalize(folder).map_err(|e| {
        problem(match choice {
            MacrosChoice::Auto => format!(
                "the source this tool was built from is gone ({e}), and contract-macros {MACROS_VERSION} is not on crates.io yet"
            ),
            _ => e.to_string(),
        })
    })?;
    check_macros_crate(&folder).map_err(problem)?;
    let root = std::fs::canonicalize(workspace_root).unwrap_or_else(|_| workspace_root.into());
    let crate_dir = std::fs::canonicalize(crate_dir).unwrap_or_else(|_| crate_dir.into());
    Ok(DependencySource::Path(if folder.starts_with(&root) {
        paths::relative_slash(&crate_dir, &folder)
    } else {
        folder.to_string_lossy().replace('\\', "/")
    }))
}

/// Checks that `folder` holds `contract-macros` at this tool's version.
fn check_macros_crate(folder: &Path) -> Result<(), String> {
    let manifest = read_manifest(&folder.join("Cargo.toml"))?;
    let package = manifest.get("package");
    let name = package.and_then(|p| p.get("name")).and_then(|n| n.as_str());
    if name != Some("contract-macros") {
        return Err("its `Cargo.toml` is not the `contract-macros` package".into());
    }
    let version = match package.and_then(|p| p.get("version")) {
        Some(toml::Value::String(version)) => version.clone(),
        Some(toml::Value::Table(t)) if t.get("workspace") == Some(&toml::Value::Boolean(true)) => {
            workspace_version(folder)?
        }
        _ => return Err("its `Cargo.toml` has no version".into()),
    };
    if version != MACROS_VERSION {
        return Err(format!(
            "it is contract-macros {version}, and this tool writes {MACROS_VERSION}"
        ));
    }
    Ok(())
}

/// `[workspace.package] version` of the nearest workspace above `folder`.
fn workspace_version(folder: &Path) -> Result<String, String> {
    for dir in folder.ancestors().skip(1).take(MAX_WORKSPACE_DEPTH) {
        let path = dir.join("Cargo.toml");
        if !path.is_file() {
            continue;
        }
        let manifest = read_manifest(&path)?;
        if let Some(workspace) = manifest.get("workspace") {
            return workspace
                .get("package")
                .and_then(|p| p.get("version"))
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .ok_or_else(|| {
                    format!("`{}` has no `[workspace.package]` version", path.display())
                });
        }
    }
    Err("its version is inherited from a workspace that was not found".into())
}

fn read_manifest(path: &Path) -> Result<toml::Table, String> {
    let bytes = fsio::read_bounded(path, fsio::MAX_TEXT_BYTES)
        .map_err(|e| crate::error::with_causes(&e))?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("`{}` is not UTF-8", path.display()))?;
    text.parse::<toml::Table>()
        .map_err(|e| format!("`{}` is not valid TOML: {}", path.display(), e.message()))
}

const fn dep(
    name: &'static str,
    version: &'static str,
    features: &'static [&'static str],
) -> Dependency {
    Dependency {
        name,
        version,
        features,
        no_default_features: false,
        source: DependencySource::Registry,
    }
}

/// The dependencies for code that uses `needs`, `contract-macros` coming from `macros`.
pub fn required(needs: &Needs, macros: DependencySource) -> Vec<Dependency> {
    let mut deps = vec![
        // The guard only: the generator stays out of the user's build.
        Dependency {
            no_default_features: true,
            source: macros,
            ..dep("contract-macros", MACROS_VERSION, &[])
        },
        dep("progenitor-client", "0.15", &[]),
        dep("reqwest", "0.13", &["json", "query", "stream"]),
        dep("serde", "1.0", &["derive"]),
    ];
    if needs.serde_json {
        deps.push(dep("serde_json", "1.0", &[]));
    }
    if needs.chrono {
        deps.push(dep("chrono", "0.4", &["serde"]));
    }
    if needs.uuid {
        deps.push(dep("uuid", "1.0", &["serde", "v4"]));
    }
    if needs.regress {
        deps.push(dep("regress", "0.12", &[]));
    }
    if needs.futures {
        deps.push(dep("futures", "0.3", &[]));
    }
    if needs.websockets {
        deps.push(dep("base64", "0.22", &[]));
        deps.push(dep("rand", "0.9", &[]));
    }
    deps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A source tree like this repository: a workspace with `contract-macros` in a folder.
    fn source_tree(version: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        write(
            &dir.path().join("Cargo.toml"),
            &format!(
                "[workspace]\nmembers = [\"contract-macros\"]\n[workspace.package]\nversion = \"{version}\"\n"
            ),
        );
        write(
            &dir.path().join("contract-macros/Cargo.toml"),
            "[package]\nname = \"contract-macros\"\nversion.workspace = true\n",
        );
        dir
    }

    #[test]
    fn the_build_source_is_used_until_the_crate_is_published() {
        let tree = source_tree(MACROS_VERSION);
        let user = tempfile::tempdir().unwrap();
        let macros = tree.path().join("contract-macros");
        let auto = |published| {
            resolve(
                MacrosChoice::Auto,
                &macros,
                published,
                user.path(),
                user.path(),
            )
        };
        let expected = std::fs::canonicalize(&macros).unwrap();
        assert_eq!(
            auto(false).unwrap(),
            DependencySource::Path(expected.to_string_lossy().into_owned())
        );
        assert_eq!(auto(true).unwrap(), DependencySource::Registry);
    }

    #[test]
    fn a_gone_build_source_is_an_error_naming_the_fix() {
        let user = tempfile::tempdir().unwrap();
        let gone = user.path().join("gone/contract-macros");
        let err = resolve(MacrosChoice::Auto, &gone, false, user.path(), user.path()).unwrap_err();
        assert!(matches!(err, Error::MacrosSource { .. }), "{err}");
        assert!(err.to_string().contains("not on crates.io yet"), "{err}");
        assert!(err.hint().unwrap().contains("--macros-path"));
    }

    #[test]
    fn a_folder_inside_the_workspace_is_written_relative_to_the_crate() {
        let tree = source_tree(MACROS_VERSION);
        let crate_dir = tree.path().join("app");
        std::fs::create_dir_all(&crate_dir).unwrap();
        let macros = tree.path().join("contract-macros");
        let source = resolve(
            MacrosChoice::Path(&macros),
            Path::new("/nowhere"),
            true,
            &crate_dir,
            tree.path(),
        );
        assert_eq!(
            source.unwrap(),
            DependencySource::Path("../contract-macros".into())
        );
    }

    #[test]
    fn a_folder_that_is_not_contract_macros_at_this_version_is_refused() {
        let user = tempfile::tempdir().unwrap();
        let other = source_tree("0.0.1");
        let macros = other.path().join("contract-macros");
        let refusal = |folder: &Path| {
            resolve(
                MacrosChoice::Path(folder),
                &macros,
                false,
                user.path(),
                user.path(),
            )
            .unwrap_err()
            .to_string()
        };
        let err = refusal(&macros);
        assert!(err.contains("it is contract-macros 0.0.1"), "{err}");
        let err = refusal(other.path());
        assert!(err.contains("not the `contract-macros` package"), "{err}");
    }
}
