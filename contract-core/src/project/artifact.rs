//! Artifacts: files or folders of any language generated from a contract's pinned spec by a
//! command of the user's (`[[...contracts.<name>.artifacts]]`), and the record the lock keeps of
//! each generation (the fingerprint it was generated from and a hash of what was written).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::util::hash::Sha256Digest;
use crate::util::paths;

/// The placeholder replaced by the pinned spec's path.
pub const SPEC_PLACEHOLDER: &str = "{spec}";
/// The placeholder replaced by the path the command must write.
pub const PATH_PLACEHOLDER: &str = "{path}";
/// Seconds a command may run when the table does not say.
pub const DEFAULT_TIMEOUT_SECS: u64 = 120;
/// The longest `timeout` accepted, in seconds.
pub const MAX_TIMEOUT_SECS: u64 = 3600;

/// One `artifacts` entry as written in Cargo.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ArtifactTable {
    /// The generated file or folder, relative to the declaring crate (or the workspace root).
    pub path: String,
    /// The name messages and `status` give it (`typescript`, `python`).
    pub runtime: String,
    /// The program and its arguments, run without a shell.
    pub command: Vec<String>,
    /// Paths inside a folder artifact that the generator keeps as its own metadata (not hashed).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Seconds the command may run.
    #[serde(default)]
    pub timeout: Option<u64>,
}

/// A declared artifact, with its path checked and resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Absolute path of the file or folder.
    pub path: PathBuf,
    /// The path relative to the workspace root, `/`-separated (as the lock records it).
    pub rel: String,
    /// The runtime's name.
    pub runtime: String,
    /// The program and its arguments, placeholders unreplaced.
    pub command: Vec<String>,
    /// Ignored paths inside a folder artifact, `/`-separated, without a trailing `/`.
    pub ignore: Vec<String>,
    /// Seconds the command may run.
    pub timeout_secs: u64,
}

impl Artifact {
    /// `typescript artifact `web/src/api.ts``: how messages name it.
    pub fn describe(&self) -> String {
        format!("{} artifact `{}`", self.runtime, self.rel)
    }
}

/// What the lock records of one artifact's last generation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ArtifactRecord {
    /// The artifact's path relative to the workspace root.
    pub path: String,
    /// The runtime's name.
    pub runtime: String,
    /// The command that generated it, placeholders unreplaced.
    pub command: Vec<String>,
    /// The ignored paths it was hashed without.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    /// The fingerprint of the spec it was generated from.
    pub fingerprint: Sha256Digest,
    /// `info.version` of that spec.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec_version: Option<String>,
    /// SHA-256 of the file, or of a folder's sorted listing ([`crate::util::tree`]).
    pub sha256: Sha256Digest,
    /// A folder's files (relative to it) and their SHA-256; absent for a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<BTreeMap<String, Sha256Digest>>,
}

impl ArtifactRecord {
    /// `1.2.0 (sha256:0123456789ab)`, or the short fingerprint alone.
    pub fn generated_from(&self) -> String {
        version_and_fingerprint(self.spec_version.as_deref(), &self.fingerprint)
    }
}

/// `1.2.0 (sha256:0123456789ab)`, or the short fingerprint alone without a version.
pub fn version_and_fingerprint(version: Option<&str>, fingerprint: &Sha256Digest) -> String {
    match version {
        Some(version) => format!("{version} ({})", fingerprint.short()),
        None => fingerprint.short(),
    }
}

/// Checks and resolves a contract's `artifacts` entries: paths inside `root` (as written and
/// through symbolic links), distinct from each other and from the Rust client's `output`, a
/// command that writes `{path}`, a sane timeout. `Err` is the message (the caller names the
/// contract), or the bad path and why.
pub fn resolve_all(
    root: &Path,
    base_dir: &Path,
    tables: &[ArtifactTable],
    output: Option<&Path>,
) -> Result<Vec<Artifact>, ArtifactProblem> {
    let mut artifacts: Vec<Artifact> = Vec::new();
    for table in tables {
        let artifact = resolve(root, base_dir, table)?;
        let overlaps =
            |other: &Path| artifact.path.starts_with(other) || other.starts_with(&artifact.path);
        if let Some(other) = artifacts.iter().find(|a| overlaps(&a.path)) {
            return Err(ArtifactProblem::Invalid(format!(
                "artifacts `{}` and `{}` overlap",
                other.rel, artifact.rel
            )));
        }
        if output.is_some_and(overlaps) {
            return Err(ArtifactProblem::Invalid(format!(
                "artifact `{}` overlaps the contract's `output`",
                artifact.rel
            )));
        }
        artifacts.push(artifact);
    }
    Ok(artifacts)
}

/// Why an `artifacts` entry is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArtifactProblem {
    /// Its path leaves the workspace, is absolute or empty.
    Path {
        /// The path as written.
        written: String,
        /// Why.
        problem: paths::PathProblem,
    },
    /// Anything else, as a message.
    Invalid(String),
}

fn resolve(
    root: &Path,
    base_dir: &Path,
    table: &ArtifactTable,
) -> Result<Artifact, ArtifactProblem> {
    let path = paths::resolve_inside(root, base_dir, &table.path).map_err(|problem| {
        ArtifactProblem::Path {
            written: table.path.clone(),
            problem,
        }
    })?;
    let invalid = |message: String| Err(ArtifactProblem::Invalid(message));
    if path == paths::normalize(root) {
        return invalid(format!(
            "artifact `{}` is the workspace root itself",
            table.path
        ));
    }
    crate::project::contract::validate_name(&table.runtime)
        .map_err(|m| ArtifactProblem::Invalid(format!("artifact runtime {m}")))?;
    match table.command.first() {
        None => return invalid(format!("artifact `{}` has an empty `command`", table.path)),
        Some(program) if program.trim().is_empty() || program.contains('{') => {
            return invalid(format!(
                "artifact `{}`: the first element of `command` must be the program to run",
                table.path
            ));
        }
        Some(_) => {}
    }
    if !table.command.iter().any(|a| a.contains(PATH_PLACEHOLDER)) {
        return invalid(format!(
            "artifact `{}`: `command` must write to `{PATH_PLACEHOLDER}` (a temporary path moved into place once every command succeeded)",
            table.path
        ));
    }
    let timeout_secs = table.timeout.unwrap_or(DEFAULT_TIMEOUT_SECS);
    if !(1..=MAX_TIMEOUT_SECS).contains(&timeout_secs) {
        return invalid(format!(
            "artifact `{}`: `timeout` must be 1 to {MAX_TIMEOUT_SECS} seconds",
            table.path
        ));
    }
    let ignore = table
        .ignore
        .iter()
        .map(|entry| ignore_entry(&table.path, entry))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Artifact {
        rel: paths::relative_slash(root, &path),
        path,
        runtime: table.runtime.clone(),
        command: table.command.clone(),
        ignore,
        timeout_secs,
    })
}

/// An `ignore` entry: a relative path inside the folder, without `..`, `/`-separated.
fn ignore_entry(artifact: &str, entry: &str) -> Result<String, ArtifactProblem> {
    let trimmed = entry.trim_end_matches('/');
    let inside = !trimmed.is_empty()
        && !trimmed.starts_with('/')
        && !trimmed.contains('\\')
        && trimmed
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..");
    if inside {
        Ok(trimmed.to_string())
    } else {
        Err(ArtifactProblem::Invalid(format!(
            "artifact `{artifact}`: `ignore` entry `{entry}` must be a relative path inside the folder"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(path: &str, command: &[&str]) -> ArtifactTable {
        ArtifactTable {
            path: path.into(),
            runtime: "typescript".into(),
            command: command.iter().map(|s| s.to_string()).collect(),
            ignore: Vec::new(),
            timeout: None,
        }
    }

    #[test]
    fn artifacts_resolve_inside_the_workspace() {
        let root = Path::new("/ws");
        let tables = [table("web/api.ts", &["gen", "{spec}", "-o", "{path}"])];
        let found = resolve_all(root, Path::new("/ws/app"), &tables, None).unwrap();
        assert_eq!(found[0].rel, "app/web/api.ts");
        assert_eq!(found[0].timeout_secs, DEFAULT_TIMEOUT_SECS);
        assert_eq!(found[0].describe(), "typescript artifact `app/web/api.ts`");
    }

    #[test]
    fn bad_artifacts_are_refused() {
        let root = Path::new("/ws");
        let base = Path::new("/ws/app");
        let ok = ["gen", "{path}"];
        let mut with_ignore = table("web", &ok);
        with_ignore.ignore = vec!["../x".into()];
        let mut slow = table("web", &ok);
        slow.timeout = Some(0);
        let mut runtime = table("web", &ok);
        runtime.runtime = "type script".into();
        let cases: Vec<Vec<ArtifactTable>> = vec![
            vec![table("../../out.ts", &ok)],
            vec![table("/tmp/out.ts", &ok)],
            vec![table("", &ok)],
            vec![table("web/api.ts", &[])],
            vec![table("web/api.ts", &["{spec}", "{path}"])],
            vec![table("web/api.ts", &["gen", "{spec}", "-o", "web/api.ts"])],
            vec![table("web", &ok), table("web/api.ts", &ok)],
            vec![with_ignore],
            vec![slow],
            vec![runtime],
        ];
        for tables in cases {
            assert!(
                resolve_all(root, base, &tables, None).is_err(),
                "{tables:?}"
            );
        }
        let overlap = resolve_all(
            root,
            base,
            &[table("src", &ok)],
            Some(Path::new("/ws/app/src/gen.rs")),
        );
        assert!(overlap.is_err());
    }
}
