//! The library's error type: every failure a command can hit, with the file it concerns
//! and, through [`Error::hint`], the command or edit that fixes it.

use std::path::PathBuf;

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in a text file a problem is (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Everything that can go wrong in contract-core.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written. The OS error is the `source()`, not part of the
    /// message: [`with_causes`] shows both.
    #[error("could not {action} `{path}`")]
    Io {
        /// What was being done ("read", "write", ...).
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// A spec file is larger than the loader accepts.
    #[error("`{path}` is {size} bytes, more than the {limit}-byte limit for a spec")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },

    /// A spec file is not UTF-8 text.
    #[error(
        "`{path}` is not UTF-8 text (invalid byte at {position}); OpenAPI documents must be UTF-8"
    )]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Where the first invalid byte is.
        position: Position,
    },

    /// A spec file is not well-formed JSON or YAML, or breaks a safety limit while parsing.
    #[error("`{}{}`: invalid {format}: {message}", path.display(), position.map(|p| format!(":{p}")).unwrap_or_default())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// "JSON" or "YAML".
        format: &'static str,
        /// Where, when the parser knows.
        position: Option<Position>,
        /// The parser's message.
        message: String,
    },

    /// The document parsed but is not an OpenAPI or Swagger description.
    #[error("`{path}` is not an OpenAPI document: {reason}")]
    NotOpenApi {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },

    /// The document declares an OpenAPI version this tool does not know.
    #[error(
        "`{path}` declares OpenAPI version `{version}`, which is not supported (supported: 3.0.x, 3.1.x; Swagger 2.0 can be fingerprinted only)"
    )]
    UnsupportedVersion {
        /// The file.
        path: PathBuf,
        /// The declared version.
        version: String,
    },

    /// A Swagger 2.0 description given to a command that reads OpenAPI 3 only.
    #[error(
        "`{spec}` is Swagger 2.0: contract-guard pins and checks it, but cannot {action} it (OpenAPI 3.0 and 3.1 only)"
    )]
    Swagger2 {
        /// The spec, as the user knows it.
        spec: String,
        /// What cannot be done: `diff`, `generate a client from`.
        action: &'static str,
    },

    /// A `$ref` that cannot be followed safely.
    #[error("`$ref: {reference}` at `{}{pointer}` {reason}", path.display())]
    Reference {
        /// The file holding the reference.
        path: PathBuf,
        /// Where in that file (`#/…`).
        pointer: String,
        /// The reference as written.
        reference: String,
        /// Why it is refused.
        reason: String,
    },

    /// A contract's spec does not exist.
    #[error("spec `{spec}` of `{contract}` does not exist")]
    MissingSpec {
        /// `crate/name` of the contract.
        contract: String,
        /// The spec, workspace-relative.
        spec: String,
        /// The contract's name, for the fix.
        name: String,
    },

    /// `cargo metadata` failed.
    #[error("could not read the cargo workspace: {message}")]
    Metadata {
        /// What cargo said.
        message: String,
    },

    /// A `[package.metadata.contract-guard]` table is malformed.
    #[error("invalid contract `{contract}` in `{manifest}`: {message}")]
    InvalidContract {
        /// The Cargo.toml declaring it.
        manifest: PathBuf,
        /// The contract's name.
        contract: String,
        /// What is wrong.
        message: String,
    },

    /// A key under `contract-guard` metadata that this tool does not read (a typo would
    /// silently leave contracts undeclared).
    #[error("unknown key `{}` in `[{}]` at `{}{}`", unknown.key, unknown.table_name(), manifest.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    UnknownMetadataKey {
        /// The Cargo.toml holding it.
        manifest: PathBuf,
        /// Its line, when found.
        line: Option<usize>,
        /// The key, its table, and the near miss it most likely means.
        unknown: Box<crate::project::manifest_keys::UnknownKey>,
    },

    /// `-p NAME` names no workspace member.
    #[error("package `{name}` is not a member of the workspace")]
    PackageNotFound {
        /// The name given.
        name: String,
    },

    /// `-p`/`--exclude` got something that is not a package id spec.
    #[error("invalid package id spec {reason}")]
    BadPackageSpec {
        /// What is wrong, naming the spec.
        reason: String,
    },

    /// A command needs one package and none was selected.
    #[error("no package selected: `{root}` is a virtual workspace")]
    NoCurrentPackage {
        /// The workspace root manifest.
        root: PathBuf,
    },

    /// A contract name given on the command line is not declared.
    #[error("no contract named `{name}` in the selected packages")]
    UnknownContract {
        /// The name given.
        name: String,
    },

    /// `add` was asked to declare a contract that already exists differently.
    #[error("contract `{name}` is already declared in `{manifest}` with spec `{existing_spec}`")]
    ContractExists {
        /// The contract.
        name: String,
        /// The Cargo.toml.
        manifest: PathBuf,
        /// The table that declares it.
        table: String,
        /// What it declares now.
        existing_spec: String,
    },

    /// No usable source for the `contract-macros` dependency a generated client needs.
    #[error("cannot use `{path}` as the source of the `contract-macros` dependency: {reason}")]
    MacrosSource {
        /// The folder that was tried.
        path: PathBuf,
        /// Why it cannot be used.
        reason: String,
    },

    /// A Cargo.toml could not be parsed for editing.
    #[error("could not edit `{path}`: {message}")]
    ManifestEdit {
        /// The Cargo.toml.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },

    /// The lock file is malformed.
    #[error("`{path}` is not a valid contract-guard lock file: {message}")]
    LockParse {
        /// The lock file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },

    /// The lock file was written in a format version this build does not read.
    #[error(
        "`{path}` has lock format version {found}; this build of cargo-contract-guard reads version {reads}"
    )]
    LockVersion {
        /// The lock file.
        path: PathBuf,
        /// The version the file declares.
        found: u32,
        /// The version this build reads and writes.
        reads: u32,
    },

    /// A path in the configuration points outside the workspace or is not valid UTF-8.
    #[error("path `{path}` in contract `{contract}` {reason}")]
    BadPath {
        /// The contract.
        contract: String,
        /// The path as written.
        path: String,
        /// Why it is refused.
        reason: &'static str,
    },

    /// A file given to `inspect` or `verify-binary` is not a binary the reader understands.
    #[error("`{path}` cannot be inspected: {reason}")]
    NotABinary {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },

    /// The spec a contract is pinned at is neither in the spec cache nor in git history.
    #[error(
        "the spec that `{contract}` is pinned at ({fingerprint}) is in neither the cache `{}` nor git history, so there is nothing to compare with",
        cache.display()
    )]
    PinnedSpecUnavailable {
        /// The contract, as `crate/name`.
        contract: String,
        /// The pinned fingerprint.
        fingerprint: crate::util::hash::Sha256Digest,
        /// The cache directory searched.
        cache: PathBuf,
    },

    /// An artifact's command could not run, failed, timed out, or wrote nothing usable.
    #[error("{artifact} of contract `{contract}`: {message}")]
    Artifact {
        /// The contract, as `crate/name`.
        contract: String,
        /// The artifact, as `<runtime> artifact `<path>``.
        artifact: String,
        /// What went wrong.
        message: String,
        /// The fix.
        fix: String,
    },

    /// A spec cannot be turned into a client.
    #[error("cannot generate contract `{contract}` from `{path}`: {message}")]
    Generation {
        /// The contract.
        contract: String,
        /// The spec file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },

    /// Generating would need rewrites that change what a request sends or stand in for a
    /// broken part of the spec, and the contract does not accept them.
    #[error("cannot generate contract `{contract}` faithfully from `{path}`: {}", list_rewrites(.rewrites))]
    Unfaithful {
        /// The contract.
        contract: String,
        /// The spec file.
        path: PathBuf,
        /// Each refused rewrite as `[rule] /pointer: what it would do`.
        rewrites: Vec<String>,
        /// The rules refused, sorted, without repeats.
        rules: Vec<&'static str>,
    },
}

/// The refused rewrites of [`Error::Unfaithful`], at most ten.
fn list_rewrites(rewrites: &[String]) -> String {
    let mut text = rewrites
        .iter()
        .take(10)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if rewrites.len() > 10 {
        text.push_str(&format!("; and {} more", rewrites.len() - 10));
    }
    text
}

impl Error {
    /// Wraps an I/O error with the file it concerns.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// The command or edit that most likely fixes this error, if there is one.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::UnsupportedVersion { version, .. } if version == "2.0" => Some(
                "convert the spec to OpenAPI 3.0 or 3.1 (Swagger 2.0 can only be pinned)".into(),
            ),
            Error::Unfaithful { rules, .. } => Some(crate::report::advice::unfaithful(rules)),
            Error::Swagger2 { .. } => Some(
                "convert the spec to OpenAPI 3.0 or 3.1, then run `cargo contract-guard lock` (full Swagger 2.0 support is planned)".into(),
            ),
            Error::UnsupportedVersion { .. } => {
                Some("set `openapi` to a 3.0.x or 3.1.x version string".into())
            }
            Error::UnknownMetadataKey { unknown, .. } => Some(match unknown.suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the keys of this table are `{}`", unknown.known.join("`, `")),
            }),
            Error::NoCurrentPackage { .. } => {
                Some("choose a package with `-p <NAME>` or `--manifest-path <MEMBER>/Cargo.toml`".into())
            }
            Error::MissingSpec { name, .. } => Some(format!(
                "restore the spec, or remove the `{name}` contract table from Cargo.toml"
            )),
            Error::UnknownContract { .. } => {
                Some("run `cargo contract-guard status` to list the declared contracts".into())
            }
            Error::ContractExists { table, .. } => Some(format!(
                "pick another name, or edit the existing `{table}` table"
            )),
            Error::MacrosSource { .. } => Some(
                "pass `--macros-path <DIR>` (the `contract-macros` folder of a cargo-contract-guard checkout) or `--macros-git <URL>`, or `--no-deps` to add the dependencies yourself".into(),
            ),
            Error::NotABinary { .. } => Some(
                "give the path of a built executable, for example `target/release/<name>`".into(),
            ),
            Error::Artifact { fix, .. } => Some(fix.clone()),
            Error::PinnedSpecUnavailable { .. } => Some(
                "copies are kept from the next `lock`/`update` on; compare two files with `cargo contract-guard diff OLD NEW`, or re-pin without a diff with `cargo contract-guard update <NAME> --allow-breaking`"
                    .into(),
            ),
            Error::LockParse { .. } => Some(
                "restore the lock from version control (`git checkout contract-guard.lock`); \
                 recreating it with `cargo contract-guard lock` re-pins every spec as it is now, \
                 without review"
                    .into(),
            ),
            Error::LockVersion { found, reads, .. } if found > reads => Some(
                "the lock was written by a newer cargo-contract-guard: upgrade it (`cargo install --locked cargo-contract-guard`, or from your checkout) rather than recreating the lock"
                    .into(),
            ),
            Error::LockVersion { .. } => Some(
                "restore the lock from version control, or re-pin with `cargo contract-guard lock` after reviewing the specs"
                    .into(),
            ),
            Error::Syntax { path, .. }
                if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml")) =>
            {
                Some("this is a TOML file: give the OpenAPI spec (JSON or YAML) instead".into())
            }
            Error::Syntax { message, .. } if message.contains("recursion limit") || message.contains("depth") => {
                Some("the document nests deeper than the loader allows; specs are never this deep".into())
            }
            _ => None,
        }
    }
}

/// `error`'s message followed by each of its causes (`: cause`), leaving out a cause whose text
/// the message already holds: what the CLI and the macros show.
pub fn with_causes(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_follow_the_message_once() {
        let io = || std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        let err = Error::io("read", "/w/a.yaml", io());
        assert_eq!(with_causes(&err), "could not read `/w/a.yaml`: gone");
        #[derive(Debug, thiserror::Error)]
        #[error("cannot use the spec")]
        struct Outer(#[source] Error);
        assert_eq!(
            with_causes(&Outer(Error::io("read", "/w/a.yaml", io()))),
            "cannot use the spec: could not read `/w/a.yaml`: gone"
        );
    }

    #[test]
    fn io_display_leaves_the_os_error_to_its_source() {
        let os = std::io::Error::from_raw_os_error(2);
        let os_text = os.to_string();
        let err = Error::io("read", "/w/a.yaml", os);
        assert!(!err.to_string().contains(&os_text), "{err}");
        assert_eq!(
            with_causes(&err).matches(os_text.as_str()).count(),
            1,
            "{}",
            with_causes(&err)
        );
    }
}
