//! The cargo workspace as this tool sees it: its root, its member crates, and every contract
//! they declare, found with `cargo metadata --no-deps` (no network, no dependency resolution).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::project::contract::{self, Contract, DeclarationContext};

/// The lock file's name, at the workspace root.
pub const LOCK_FILE_NAME: &str = "contract-guard.lock";

/// A workspace member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Package name.
    pub name: String,
    /// Package version.
    pub version: String,
    /// Its Cargo.toml.
    pub manifest_path: PathBuf,
}

impl Member {
    /// The crate's directory.
    pub fn dir(&self) -> &Path {
        self.manifest_path.parent().unwrap_or(Path::new("."))
    }
}

/// Which packages a command works on: all members by default, narrowed by `-p` and `--exclude`.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// `-p NAME`: only these.
    pub packages: Vec<String>,
    /// `--exclude NAME`: not these.
    pub exclude: Vec<String>,
}

/// A loaded workspace.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The workspace root directory.
    pub root: PathBuf,
    /// The root Cargo.toml.
    pub root_manifest: PathBuf,
    /// Members, sorted by name.
    pub members: Vec<Member>,
    /// The member whose Cargo.toml was named by `--manifest-path` or contains the current
    /// directory, if any.
    pub current: Option<String>,
    /// Every declared contract, sorted by (package, name); workspace-level ones first.
    pub contracts: Vec<Contract>,
    /// Cargo's target directory (honours `CARGO_TARGET_DIR` and `build.target-dir`).
    pub target_dir: PathBuf,
}

impl Workspace {
    /// Loads the workspace containing `manifest_path` (or the current directory).
    pub fn load(manifest_path: Option<&Path>) -> Result<Workspace> {
        let mut command = cargo_metadata::MetadataCommand::new();
        command.no_deps();
        if let Some(path) = manifest_path {
            command.manifest_path(path);
        }
        let metadata = command.exec().map_err(|err| Error::Metadata {
            message: match err {
                cargo_metadata::Error::CargoMetadata { stderr } => {
                    stderr.trim().trim_start_matches("error: ").to_string()
                }
                other => other.to_string(),
            },
        })?;
        let root = PathBuf::from(metadata.workspace_root.as_std_path());
        let mut members: Vec<Member> = metadata
            .workspace_packages()
            .into_iter()
            .map(|p| Member {
                name: p.name.to_string(),
                version: p.version.to_string(),
                manifest_path: p.manifest_path.clone().into_std_path_buf(),
            })
            .collect();
        members.sort_by(|a, b| a.name.cmp(&b.name));
        let member_dirs: Vec<(PathBuf, String)> = members
            .iter()
            .map(|m| (m.dir().to_path_buf(), m.name.clone()))
            .collect();
        let ctx = DeclarationContext {
            root: &root,
            members: &member_dirs,
        };
        let root_manifest = root.join("Cargo.toml");
        let mut contracts =
            contract::parse_declarations(&ctx, &metadata.workspace_metadata, None, &root_manifest)?;
        for package in metadata.workspace_packages() {
            contracts.extend(contract::parse_declarations(
                &ctx,
                &package.metadata,
                Some(package.name.as_str()),
                package.manifest_path.as_std_path(),
            )?);
        }
        contracts.sort_by(|a, b| (&a.package, &a.name).cmp(&(&b.package, &b.name)));
        let current = find_current(&members, manifest_path);
        Ok(Workspace {
            target_dir: PathBuf::from(metadata.target_directory.as_std_path()),
            root,
            root_manifest,
            members,
            current,
            contracts,
        })
    }

    /// Where the lock file lives.
    pub fn lock_path(&self) -> PathBuf {
        self.root.join(LOCK_FILE_NAME)
    }

    /// A member by name.
    pub fn member(&self, name: &str) -> Result<&Member> {
        self.members
            .iter()
            .find(|m| m.name == name)
            .ok_or_else(|| Error::PackageNotFound { name: name.into() })
    }

    /// The member a package id spec (`-p` / `--exclude`: `name`, `name@1.2`,
    /// `path+file:///dir#name@1.2.3`) names.
    pub fn member_by_spec(&self, spec: &str) -> Result<&Member> {
        let parsed = crate::project::pkgid::PkgIdSpec::parse(spec)
            .map_err(|reason| Error::BadPackageSpec { reason })?;
        self.members
            .iter()
            .find(|m| parsed.matches(&m.name, &m.version, m.dir()))
            .ok_or_else(|| Error::PackageNotFound { name: spec.into() })
    }

    /// The packages a command works on, as cargo picks them: `--workspace` (`all`) selects
    /// every member; `-p` specs (`packages`) select those; with neither, nor `--exclude`, the
    /// member around the current directory (or named by `--manifest-path`) alone, else every
    /// member. `--exclude` narrows. Specs are resolved to member names.
    pub fn selection(
        &self,
        packages: &[String],
        exclude: &[String],
        all: bool,
    ) -> Result<Selection> {
        let resolve = |specs: &[String]| -> Result<Vec<String>> {
            specs
                .iter()
                .map(|s| self.member_by_spec(s).map(|m| m.name.clone()))
                .collect()
        };
        let packages = if all {
            Vec::new()
        } else if packages.is_empty() && exclude.is_empty() {
            self.current.iter().cloned().collect()
        } else {
            resolve(packages)?
        };
        Ok(Selection {
            packages,
            exclude: resolve(exclude)?,
        })
    }

    /// The single package a command that edits a Cargo.toml works on: `-p NAME`, or the
    /// current member.
    pub fn target_package(&self, selection: &Selection) -> Result<&Member> {
        match selection.packages.as_slice() {
            [one] => self.member(one),
            [] => match &self.current {
                Some(name) => self.member(name),
                None => Err(Error::NoCurrentPackage {
                    root: self.root_manifest.clone(),
                }),
            },
            [_, more @ ..] => Err(Error::PackageNotFound {
                name: format!(
                    "{} (only one package can be edited at a time)",
                    more.join(", ")
                ),
            }),
        }
    }

    /// The contracts of the selected packages (workspace-level contracts are always in),
    /// narrowed to `names` when that is not empty. Every name must match a contract.
    pub fn selected_contracts(
        &self,
        selection: &Selection,
        names: &[String],
    ) -> Result<Vec<&Contract>> {
        for name in selection.packages.iter().chain(&selection.exclude) {
            self.member(name)?;
        }
        let in_selection = |c: &&Contract| match &c.package {
            None => true,
            Some(p) => {
                (selection.packages.is_empty() || selection.packages.contains(p))
                    && !selection.exclude.contains(p)
            }
        };
        let selected: Vec<&Contract> = self.contracts.iter().filter(in_selection).collect();
        if names.is_empty() {
            return Ok(selected);
        }
        if let Some(missing) = names
            .iter()
            .find(|n| !selected.iter().any(|c| &c.name == *n))
        {
            return Err(Error::UnknownContract {
                name: missing.clone(),
            });
        }
        Ok(selected
            .into_iter()
            .filter(|c| names.contains(&c.name))
            .collect())
    }
}

/// The member named by `--manifest-path`, or the one whose directory contains the current
/// directory (the deepest).
fn find_current(members: &[Member], manifest_path: Option<&Path>) -> Option<String> {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    match manifest_path {
        Some(path) => {
            let wanted = canonical(path);
            members
                .iter()
                .find(|m| canonical(&m.manifest_path) == wanted)
                .map(|m| m.name.clone())
        }
        None => {
            let cwd = canonical(&std::env::current_dir().ok()?);
            members
                .iter()
                .filter(|m| cwd.starts_with(canonical(m.dir())))
                .max_by_key(|m| m.dir().components().count())
                .map(|m| m.name.clone())
        }
    }
}
