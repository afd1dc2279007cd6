//! Contract declarations: the `[package.metadata.contract-guard.contracts.<name>]` tables of
//! member crates and `[workspace.metadata.contract-guard.contracts.<name>]` at the root, turned
//! into [`Contract`]s with absolute, checked paths.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::gates::diff::DiffConfig;
use crate::project::settings::{GeneratorSettings, Interface, TagStyle};
use crate::util::paths;

/// One contract table as written in Cargo.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ContractTable {
    /// The spec file, relative to the declaring crate (or the workspace root).
    pub spec: String,
    /// Where the generated client goes, relative like `spec`. Without it the contract is
    /// pinned only.
    #[serde(default)]
    pub output: Option<String>,
    /// `"positional"` (default) or `"builder"`.
    #[serde(default)]
    pub interface: Interface,
    /// `"merged"` (default) or `"separate"`.
    #[serde(default)]
    pub tags: TagStyle,
    /// Extra derives for generated types.
    #[serde(default)]
    pub derives: Vec<String>,
    /// Lossy rewrites accepted although they stop generation by default (rule ids, e.g.
    /// `"unsupported-body"`).
    #[serde(default)]
    pub accept: Vec<String>,
    /// The operations the client holds (by `operationId`, `METHOD /path` or `tag:name`, with
    /// `*` globs); absent for all of them ([`crate::project::selection`]).
    #[serde(default)]
    pub operations: Option<Vec<String>>,
    /// Names the API this contract is a copy of, so that crates pinning it at different
    /// fingerprints are reported as `cross-crate-drift` even when their spec files differ.
    #[serde(default)]
    pub id: Option<String>,
    /// How `diff` and `update` judge changes to this contract: `fail-on`, per-rule
    /// `severity` overrides, and `ignore`d changes with their reasons.
    #[serde(default)]
    pub diff: DiffConfig,
    /// Files or folders of other languages generated from the pinned spec by a command.
    #[serde(default)]
    pub artifacts: Vec<crate::project::artifact::ArtifactTable>,
}

/// The `contract-guard` table of a package's or workspace's metadata.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct GuardMetadata {
    #[serde(default)]
    contracts: BTreeMap<String, serde_json::Value>,
}

/// Where a generated client lives and which crate compiles it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Absolute path of the generated file.
    pub path: PathBuf,
    /// Path relative to the workspace root, `/`-separated.
    pub rel: String,
    /// Directory of the crate that compiles the file (the one containing it).
    pub owner_dir: PathBuf,
    /// The generated file relative to `owner_dir`.
    pub file_in_owner: String,
    /// The spec relative to `owner_dir` (may start with `../`).
    pub spec_in_owner: String,
}

/// A declared contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    /// The contract's name (the table key).
    pub name: String,
    /// The declaring package, or `None` for a workspace-level contract.
    pub package: Option<String>,
    /// The Cargo.toml that declares it.
    pub manifest_path: PathBuf,
    /// Absolute path of the spec file.
    pub spec_path: PathBuf,
    /// The spec relative to the workspace root, `/`-separated (as the lock records it).
    pub spec_rel: String,
    /// The generated client, if any.
    pub output: Option<Output>,
    /// Generator options.
    pub settings: GeneratorSettings,
    /// The workspace root: files the spec references must stay inside it.
    pub root: PathBuf,
    /// The explicit API identity (`id = "…"`), if any.
    pub id: Option<String>,
    /// How `diff` and `update` judge changes (the `diff` table).
    pub diff: DiffConfig,
    /// Artifacts of other runtimes generated from the pinned spec.
    pub artifacts: Vec<crate::project::artifact::Artifact>,
}

impl Contract {
    /// Loads the contract's spec (references may reach anywhere in the workspace).
    pub fn load_spec(&self) -> Result<crate::spec::LoadedSpec> {
        crate::spec::load_in(&self.spec_path, &self.root).map_err(|err| match err {
            crate::Error::Io { path, source, .. }
                if source.kind() == std::io::ErrorKind::NotFound && path == self.spec_path =>
            {
                self.missing_spec()
            }
            other => other,
        })
    }

    /// The error of a declared spec that does not exist.
    pub fn missing_spec(&self) -> crate::Error {
        crate::Error::MissingSpec {
            contract: self.display_name(),
            spec: self.spec_rel.clone(),
            name: self.name.clone(),
        }
    }

    /// `crate/name`, or `name` for a workspace-level contract: how messages name it.
    pub fn display_name(&self) -> String {
        match &self.package {
            Some(package) => format!("{package}/{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// Checks a contract name: ASCII letters, digits, `-` and `_`, starting with a letter.
pub fn validate_name(name: &str) -> std::result::Result<(), String> {
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a valid contract name (use letters, digits, `-` and `_`, starting with a letter)"
        ))
    }
}

/// What [`parse_declarations`] needs to know about the workspace.
pub struct DeclarationContext<'a> {
    /// Workspace root directory.
    pub root: &'a Path,
    /// `(directory, name)` of every member, to find the crate that compiles an output file.
    pub members: &'a [(PathBuf, String)],
}

/// Reads the contracts of one metadata value (`package.metadata` or `workspace.metadata`).
pub fn parse_declarations(
    ctx: &DeclarationContext<'_>,
    metadata: &serde_json::Value,
    package: Option<&str>,
    manifest_path: &Path,
) -> Result<Vec<Contract>> {
    check_keys(metadata, package.is_some(), manifest_path)?;
    let Some(guard) = metadata.get(crate::project::manifest_keys::GUARD_KEY) else {
        return Ok(Vec::new());
    };
    let invalid = |contract: &str, message: String| Error::InvalidContract {
        manifest: manifest_path.to_path_buf(),
        contract: contract.to_string(),
        message,
    };
    let guard: GuardMetadata = serde_json::from_value(guard.clone())
        .map_err(|e| invalid("*", format!("`contract-guard` table: {e}")))?;
    let base_dir = manifest_path.parent().unwrap_or(ctx.root);
    let mut contracts = Vec::new();
    for (name, raw) in guard.contracts {
        validate_name(&name).map_err(|m| invalid(&name, m))?;
        let table: ContractTable =
            serde_json::from_value(raw).map_err(|e| invalid(&name, e.to_string()))?;
        let settings = GeneratorSettings {
            interface: table.interface,
            tags: table.tags,
            derives: table.derives.clone(),
            accept: crate::codegen::fidelity::normalize_accept(&table.accept)
                .map_err(|m| invalid(&name, m))?,
            operations: match &table.operations {
                Some(entries) => {
                    crate::project::selection::normalize(entries).map_err(|m| invalid(&name, m))?
                }
                None => Vec::new(),
            },
        };
        settings.validate().map_err(|m| invalid(&name, m))?;
        table.diff.validate().map_err(|m| invalid(&name, m))?;
        let resolve = |written: &str| {
            paths::resolve_inside(ctx.root, base_dir, written).map_err(|p| Error::BadPath {
                contract: name.clone(),
                path: written.to_string(),
                reason: p.describe(),
            })
        };
        let spec_path = resolve(&table.spec)?;
        let spec_rel = paths::relative_slash(ctx.root, &spec_path);
        let output = match &table.output {
            None => None,
            Some(written) => {
                let path = resolve(written)?;
                let owner_dir = owner_of(ctx, &path, package, base_dir).ok_or_else(|| {
                    invalid(
                        &name,
                        format!("output `{written}` is not inside any crate of the workspace"),
                    )
                })?;
                if !written.ends_with(".rs") {
                    return Err(invalid(
                        &name,
                        format!("output `{written}` must be a `.rs` file"),
                    ));
                }
                Some(Output {
                    rel: paths::relative_slash(ctx.root, &path),
                    file_in_owner: paths::relative_slash(&owner_dir, &path),
                    spec_in_owner: paths::relative_slash(&owner_dir, &spec_path),
                    owner_dir,
                    path,
                })
            }
        };
        let artifacts = resolve_artifacts(ctx, base_dir, &name, &table, output.as_ref()).map_err(
            |problem| match problem {
                Ok(message) => invalid(&name, message),
                Err(bad_path) => bad_path,
            },
        )?;
        contracts.push(Contract {
            name,
            package: package.map(str::to_string),
            manifest_path: manifest_path.to_path_buf(),
            spec_path,
            spec_rel,
            output,
            settings,
            root: ctx.root.to_path_buf(),
            id: table.id.clone(),
            diff: table.diff,
            artifacts,
        });
    }
    Ok(contracts)
}

/// A contract's artifacts; `Err(Ok(message))` for an invalid entry, `Err(Err(_))` for a path
/// that leaves the workspace.
fn resolve_artifacts(
    ctx: &DeclarationContext<'_>,
    base_dir: &Path,
    name: &str,
    table: &ContractTable,
    output: Option<&Output>,
) -> std::result::Result<Vec<crate::project::artifact::Artifact>, std::result::Result<String, Error>>
{
    use crate::project::artifact::{ArtifactProblem, resolve_all};
    resolve_all(
        ctx.root,
        base_dir,
        &table.artifacts,
        output.map(|o| o.path.as_path()),
    )
    .map_err(|problem| match problem {
        ArtifactProblem::Invalid(message) => Ok(message),
        ArtifactProblem::Path { written, problem } => Err(Error::BadPath {
            contract: name.to_string(),
            path: written,
            reason: problem.describe(),
        }),
    })
}

/// Refuses any key under `contract-guard` metadata that this tool does not read, naming its
/// line in the manifest.
fn check_keys(metadata: &serde_json::Value, package: bool, manifest_path: &Path) -> Result<()> {
    let Some(unknown) = crate::project::manifest_keys::find_unknown(metadata, package) else {
        return Ok(());
    };
    let text = crate::util::fsio::read_bounded(manifest_path, crate::util::fsio::MAX_TEXT_BYTES)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default();
    Err(Error::UnknownMetadataKey {
        manifest: manifest_path.to_path_buf(),
        line: unknown.line(&text),
        unknown: Box::new(unknown),
    })
}

/// The crate that compiles `file`: the declaring package when it contains the file, else the
/// member whose directory is the deepest one containing it.
fn owner_of(
    ctx: &DeclarationContext<'_>,
    file: &Path,
    package: Option<&str>,
    base_dir: &Path,
) -> Option<PathBuf> {
    if package.is_some() && file.starts_with(base_dir) {
        return Some(base_dir.to_path_buf());
    }
    ctx.members
        .iter()
        .filter(|(dir, _)| file.starts_with(dir))
        .max_by_key(|(dir, _)| dir.components().count())
        .map(|(dir, _)| dir.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctx_members() -> Vec<(PathBuf, String)> {
        vec![
            (PathBuf::from("/ws/app"), "app".into()),
            (PathBuf::from("/ws/sdk"), "sdk".into()),
        ]
    }

    fn parse(
        meta: serde_json::Value,
        package: Option<&str>,
        manifest: &str,
    ) -> Result<Vec<Contract>> {
        let members = ctx_members();
        let ctx = DeclarationContext {
            root: Path::new("/ws"),
            members: &members,
        };
        parse_declarations(&ctx, &meta, package, Path::new(manifest))
    }

    #[test]
    fn package_contract_paths_are_resolved() {
        let contracts = parse(
            json!({"contract-guard": {"contracts": {"pets": {
                "spec": "specs/pets.yaml", "output": "src/gen/pets.rs", "interface": "builder"}}}}),
            Some("app"),
            "/ws/app/Cargo.toml",
        )
        .unwrap();
        let c = &contracts[0];
        assert_eq!(c.name, "pets");
        assert_eq!(c.spec_rel, "app/specs/pets.yaml");
        let out = c.output.as_ref().unwrap();
        assert_eq!(out.rel, "app/src/gen/pets.rs");
        assert_eq!(out.file_in_owner, "src/gen/pets.rs");
        assert_eq!(out.spec_in_owner, "specs/pets.yaml");
        assert_eq!(c.settings.interface, Interface::Builder);
    }

    #[test]
    fn workspace_contract_output_belongs_to_the_containing_member() {
        let contracts = parse(
            json!({"contract-guard": {"contracts": {"pets": {
                "spec": "specs/pets.yaml", "output": "sdk/src/pets.rs"}}}}),
            None,
            "/ws/Cargo.toml",
        )
        .unwrap();
        let out = contracts[0].output.as_ref().unwrap();
        assert_eq!(out.owner_dir, PathBuf::from("/ws/sdk"));
        assert_eq!(out.spec_in_owner, "../specs/pets.yaml");
    }

    #[test]
    fn diff_tables_are_read() {
        let contracts = parse(
            json!({"contract-guard": {"contracts": {"pets": {"spec": "x.yaml", "diff": {
                "fail-on": "security",
                "severity": {"response-enum-value-added": "warning"},
                "ignore": [{"rule": "path-removed", "pointer": "/paths/~1old", "reason": "retired"}]
            }}}}}),
            Some("app"),
            "/ws/app/Cargo.toml",
        )
        .unwrap();
        let diff = &contracts[0].diff;
        assert_eq!(diff.fail_on, Some(crate::gates::diff::Severity::Security));
        assert_eq!(
            diff.severity_of(crate::gates::diff::Rule::ResponseEnumValueAdded),
            crate::gates::diff::Severity::Warning
        );
        assert_eq!(diff.ignore[0].reason, "retired");
    }

    #[test]
    fn bad_tables_are_errors() {
        let cases = [
            json!({"contract-guard": {"contracts": {"pets": {"spec": "../../x.yaml"}}}}),
            json!({"contract-guard": {"contracts": {"pets": {"spec": "/etc/x.yaml"}}}}),
            json!({"contract-guard": {"contracts": {"pets": {"spec": "x.yaml", "typo": 1}}}}),
            json!({"contract-guard": {"contracts": {"pets": {"sepc": "x.yaml"}}}}),
            json!({"contract-guard": {"contracts": {"1pets": {"spec": "x.yaml"}}}}),
            json!({"contract-guard": {"contracts": {"pets": {"spec": "x.yaml", "output": "gen/x.txt"}}}}),
            json!({"contract-guard": {"contracts": {"pets": {"spec": "x.yaml", "tags": "separate"}}}}),
            json!({"contract-guard": {"contracts": {"pets": {"spec": "x.yaml", "diff": {"fail-on": "major"}}}}}),
            json!({"contract-guard": {"contracts": {"pets": {"spec": "x.yaml", "diff": {"severity": {"no-such-rule": "info"}}}}}}),
            json!({"contract-guard": {"contracts": {"pets": {"spec": "x.yaml", "diff": {"ignore": [{"rule": "path-removed"}]}}}}}),
            json!({"contract-guard": {"contracts": {"pets": {"spec": "x.yaml", "diff": {"ignores": []}}}}}),
        ];
        for case in cases {
            assert!(
                parse(case.clone(), Some("app"), "/ws/app/Cargo.toml").is_err(),
                "{case}"
            );
        }
    }
}
