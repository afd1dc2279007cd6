//! Command-line definitions (clap derive). Parsing only; the commands live in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit status:
  0  everything checked is in order
  1  drift found: a spec moved from its pin, generated code is stale or hand-edited, a diff
     has changes at or above --fail-on, an update was refused, ...
  2  the command could not complete: bad input, bad usage, I/O error
  3  `diff`, `update` or `generate` met a Swagger 2.0 spec (pinned and checked only)

Contracts are declared in Cargo.toml:
  [package.metadata.contract-guard.contracts.petstore]
  spec = \"specs/petstore.yaml\"          # relative to the crate
  output = \"src/generated/petstore.rs\"  # optional: the generated client";

/// Pin OpenAPI contracts by fingerprint, generate clients from the pinned spec, and fail CI on
/// contract drift.
#[derive(Debug, Parser)]
#[command(
    name = "cargo-contract-guard",
    bin_name = "cargo contract-guard",
    version,
    after_help = AFTER_HELP,
    max_term_width = 100
)]
pub struct Cli {
    /// When to color output: auto (only on a terminal; NO_COLOR and CLICOLOR_FORCE are honoured),
    /// always, never [default: `CARGO_TERM_COLOR`, else auto].
    #[arg(long, value_name = "WHEN", global = true)]
    pub color: Option<ColorWhen>,

    /// Print only findings and errors (no progress or status lines).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more detail (for example info-level changes in `diff`, or every rewrite applied
    /// before generation).
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorWhen {
    /// Color on a terminal only.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the canonical fingerprint of a spec file: `sha256:<64 hex digits>`.
    ///
    /// The fingerprint is SHA-256 over the RFC 8785 canonical JSON of the document, so the same
    /// document in JSON or YAML, with any key order or whitespace, has the same fingerprint.
    Fingerprint(FingerprintArgs),
    /// Declare a contract in a crate's Cargo.toml and pin it in the lock file.
    Add(AddArgs),
    /// Pin every contract at its spec's current fingerprint (writes contract-guard.lock).
    Lock(LockArgs),
    /// List contracts with their pinned and current fingerprints; exit 1 on any mismatch.
    Status(StatusArgs),
    /// Regenerate clients (with progenitor) from their pinned specs.
    ///
    /// Refuses (exit 1) when a spec no longer matches its pin, unless `--relock` is given, and
    /// never overwrites a generated file that was edited by hand unless `--force` is given
    /// (the edited file is then kept as `<file>.orig`). Fails (exit 2) when the spec needs a
    /// rewrite that changes what a request sends or a `$ref` does not resolve, unless the
    /// contract's `accept` list names the rule.
    Generate(GenerateArgs),
    /// The CI gate: report every drift between specs, pins and generated clients; exit 1 on any.
    ///
    /// Finds spec-changed, stale-generated, hand-edited, missing-output, missing-spec,
    /// not-locked, lock-orphan, cross-crate-drift and stale-artifact (an artifact of another
    /// runtime generated from another spec than the pin). The default check reads and hashes files only; `--deep` also
    /// regenerates each client in memory and compares bytes, and re-runs each artifact's command
    /// into a temporary folder. A client whose generation lost
    /// part of the spec is reported as degraded (information: it does not fail the gate).
    Check(CheckArgs),
    /// List the contract records embedded in a binary (ELF, Mach-O, PE or COFF).
    ///
    /// Generated clients and `contract_macros::embed!` embed a record of each contract a crate
    /// was built against. Exit 0 when records were found, 1 when the binary has none, 2 when
    /// the file is not an executable, library or object file.
    Inspect(InspectArgs),
    /// Check the contract records embedded in a binary against the lock file.
    ///
    /// Exit 0 when every embedded contract matches its pin; 1 when one differs, is not
    /// pinned, or when a contract the lock pins for a crate of the binary has no record (or
    /// when the binary has no records at all); 2 when the binary or the lock cannot be read.
    VerifyBinary(VerifyBinaryArgs),
    /// Classify the changes between two specs: security, breaking, warning, info.
    ///
    /// OLD and NEW are spec files or contract names: a contract as OLD means its pinned spec
    /// (kept in `target/contract-guard/specs/`, or found in git history), as NEW its spec on
    /// disk. `diff NAME` alone compares a contract's pin with its spec on disk. Exit 1 when a
    /// change at or above `--fail-on` remains after the contract's `diff` settings.
    Diff(DiffArgs),
    /// Move a contract's pin to its spec on disk and regenerate its client, in one step.
    ///
    /// Shows the diff first and refuses (exit 1, nothing written) when it has changes at or
    /// above the contract's `fail-on` (default: breaking, which includes security), unless
    /// `--allow-breaking` is given.
    Update(UpdateArgs),
    /// List the client operations the crate calls, as an `operations` line selecting them.
    ///
    /// Reads the crate's Rust sources (`src/`, `tests/`, `examples/`, `benches/`; not the
    /// generated file) with `syn` and counts every method call whose name is an operation
    /// method of the client. Prints the line to paste into the contract's table on stdout.
    Suggest(SuggestArgs),
}

/// Which workspace and packages.
#[derive(Debug, Args, Clone, Default)]
pub struct WorkspaceArgs {
    #[command(flatten)]
    /// `--manifest-path`.
    pub manifest: clap_cargo::Manifest,
    #[command(flatten)]
    /// `-p`, `--workspace`, `--exclude`.
    pub workspace: clap_cargo::Workspace,
}

impl WorkspaceArgs {
    /// The package selection, as cargo makes it: `--workspace` selects every member (even with
    /// `-p`); `-p SPEC` selects those; with neither (nor `--exclude`) the member whose directory
    /// holds the current directory (or named by `--manifest-path`), else every member;
    /// `--exclude` narrows.
    pub fn selection(
        &self,
        workspace: &contract_core::project::workspace::Workspace,
    ) -> contract_core::Result<contract_core::project::workspace::Selection> {
        workspace.selection(
            &self.workspace.package,
            &self.workspace.exclude,
            self.workspace.workspace || self.workspace.all,
        )
    }
}

/// `fingerprint`.
#[derive(Debug, Args)]
pub struct FingerprintArgs {
    /// The spec file (JSON or YAML, detected by content).
    pub spec: PathBuf,
}

/// `add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The contract's name (letters, digits, `-`, `_`).
    pub name: String,
    /// The spec file, relative to the current directory.
    pub spec: PathBuf,
    /// Where the generated client goes, relative to the current directory.
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Do not add the generated client's dependencies to Cargo.toml.
    #[arg(long)]
    pub no_deps: bool,
    /// Point the `contract-macros` dependency at this folder (default: crates.io once it is
    /// published, until then the source this tool was installed from).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["no_deps", "macros_git"])]
    pub macros_path: Option<PathBuf>,
    /// Point the `contract-macros` dependency at this git repository.
    #[arg(long, value_name = "URL", conflicts_with = "no_deps")]
    pub macros_git: Option<String>,
    /// The commit, tag or branch of `--macros-git`.
    #[arg(long, value_name = "REV", requires = "macros_git")]
    pub macros_rev: Option<String>,
    /// Declare it in `[workspace.metadata]` of the root Cargo.toml instead of a package.
    #[arg(long = "workspace-level")]
    pub workspace_level: bool,
    #[command(flatten)]
    /// Workspace selection.
    pub ws: WorkspaceArgs,
}

/// `--locked` / `--frozen`, as in cargo.
#[derive(Debug, Args, Clone, Copy, Default)]
pub struct LockedArgs {
    /// Fail (exit 1) instead of changing `contract-guard.lock`.
    #[arg(long)]
    pub locked: bool,
    /// Same as `--locked` (nothing here reaches the network anyway).
    #[arg(long)]
    pub frozen: bool,
}

impl LockedArgs {
    /// Whether the lock must not change.
    pub fn any(self) -> bool {
        self.locked || self.frozen
    }
}

/// `lock`.
#[derive(Debug, Args)]
pub struct LockArgs {
    #[command(flatten)]
    /// `--locked`.
    pub locked: LockedArgs,
    #[command(flatten)]
    /// Workspace selection.
    pub ws: WorkspaceArgs,
}

/// Output for people or machines.
#[derive(Debug, Clone, Copy, Default, ValueEnum, PartialEq, Eq)]
pub enum MessageFormat {
    /// Aligned text for people.
    #[default]
    Human,
    /// One JSON object per line (documented in the manual, `docs/`).
    Json,
}

/// Output formats of reports (`check`, `diff`).
#[derive(Debug, Clone, Copy, Default, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    /// One block per finding, for people.
    #[default]
    Human,
    /// One JSON object per line (documented in the manual, `docs/`).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…::…`), for annotations on pull requests.
    Github,
}

/// `status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Output format.
    #[arg(long, value_name = "FMT", default_value = "human")]
    pub message_format: MessageFormat,
    #[command(flatten)]
    /// Workspace selection.
    pub ws: WorkspaceArgs,
}

/// `generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Contracts to generate (default: every contract with an `output` or `artifacts`).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Pin the spec's current fingerprint first instead of refusing on a mismatch.
    #[arg(long)]
    pub relock: bool,
    /// Overwrite a hand-edited generated file, keeping it as `<file>.orig`.
    #[arg(long)]
    pub force: bool,
    /// Regenerate the Rust clients only: leave the artifacts of other runtimes as they are.
    #[arg(long)]
    pub no_artifacts: bool,
    #[command(flatten)]
    /// `--locked`.
    pub locked: LockedArgs,
    #[command(flatten)]
    /// Workspace selection.
    pub ws: WorkspaceArgs,
}

/// `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Contracts to check (default: all).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Also regenerate each client in memory and compare bytes, and re-run each artifact's
    /// command into a temporary folder and compare hashes (slower).
    #[arg(long)]
    pub deep: bool,
    /// Output format.
    #[arg(long, value_name = "FMT", default_value = "human")]
    pub message_format: ReportFormat,
    /// Also fail (exit 1) when `cargo contract-guard lock` would change `contract-guard.lock`
    /// other than in a spec's byte hash (`check` never writes the lock).
    #[arg(long)]
    pub locked: bool,
    /// Same as `--locked`.
    #[arg(long)]
    pub frozen: bool,
    #[command(flatten)]
    /// Workspace selection.
    pub ws: WorkspaceArgs,
}

/// `inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The binary: an executable, shared library or object file.
    pub binary: PathBuf,
    /// Output format.
    #[arg(long, value_name = "FMT", default_value = "human")]
    pub message_format: MessageFormat,
}

/// `verify-binary`.
#[derive(Debug, Args)]
pub struct VerifyBinaryArgs {
    /// The binary: an executable, shared library or object file.
    pub binary: PathBuf,
    /// The lock file to compare with (default: `contract-guard.lock` at the root of the
    /// workspace around the current directory or `--manifest-path`).
    #[arg(long, value_name = "PATH")]
    pub lock: Option<PathBuf>,
    /// A package the binary was built from: every contract the lock pins for it must be
    /// embedded, even if the binary has no record from it (the crates that have records in the
    /// binary are always checked this way). The lock must pin a contract for it.
    #[arg(short, long = "package", value_name = "NAME")]
    pub packages: Vec<String>,
    /// Output format.
    #[arg(long, value_name = "FMT", default_value = "human")]
    pub message_format: MessageFormat,
    #[command(flatten)]
    /// `--manifest-path`, to find the lock.
    pub manifest: clap_cargo::Manifest,
}

/// `--fail-on`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FailOn {
    /// Only security changes fail.
    Security,
    /// Breaking and security changes fail.
    Breaking,
    /// Warnings, breaking and security changes fail.
    Warning,
    /// Any change fails.
    Info,
}

impl FailOn {
    /// The severity threshold.
    pub fn severity(self) -> contract_core::gates::diff::Severity {
        use contract_core::gates::diff::Severity;
        match self {
            FailOn::Security => Severity::Security,
            FailOn::Breaking => Severity::Breaking,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

/// `diff --message-format`.
#[derive(Debug, Clone, Copy, Default, ValueEnum, PartialEq, Eq)]
pub enum DiffFormat {
    /// Text for people.
    #[default]
    Human,
    /// One JSON document (schema in the manual, `docs/`).
    Json,
    /// Markdown, for pull-request comments.
    Markdown,
    /// SARIF 2.1.0, for code scanning: results on the lines of the NEW spec file.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`) on the NEW spec file.
    Github,
}

/// `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old spec: a file, or a contract name (its pinned spec).
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The new spec: a file, or a contract name (its spec on disk). Default: the spec on disk
    /// of the contract named by OLD.
    #[arg(value_name = "NEW")]
    pub new: Option<String>,
    /// Exit 1 when a change at or above this level exists [default: the contract's
    /// `fail-on`, else breaking].
    #[arg(long, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,
    /// Output format.
    #[arg(
        long = "message-format",
        visible_alias = "format",
        value_name = "FMT",
        default_value = "human"
    )]
    pub format: DiffFormat,
    /// Only the changes that touch these operations (`repos/get`, `"GET /repos/{owner}/{repo}"`,
    /// `tag:issues`, `pulls/*`; repeatable), as a contract's `operations` selects them.
    #[arg(long = "operations", value_name = "ENTRY")]
    pub operations: Vec<String>,
    #[command(flatten)]
    /// Workspace selection.
    pub ws: WorkspaceArgs,
}

/// `suggest`.
#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// Contracts to look at (default: every contract with an `output`).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    /// Workspace selection.
    pub ws: WorkspaceArgs,
}

/// `update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The contract to update.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Accept breaking and security changes.
    #[arg(long)]
    pub allow_breaking: bool,
    #[command(flatten)]
    /// Workspace selection.
    pub ws: WorkspaceArgs,
}
