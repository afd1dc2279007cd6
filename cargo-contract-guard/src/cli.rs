//! Command-line definitions (clap derive). Parsing only; the commands live in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit status:
  0  everything checked is in order
  1  drift found: a spec moved from its pin, generated code is stale or hand-edited, ...
  2  the command could not complete: bad input, bad usage, I/O error

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
    /// always, never.
    #[arg(long, value_name = "WHEN", default_value = "auto", global = true)]
    pub color: ColorWhen,

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
    /// (the edited file is then kept as `<file>.orig`).
    Generate(GenerateArgs),
    /// The CI gate: report every drift between specs, pins and generated clients; exit 1 on any.
    ///
    /// Finds spec-changed, stale-generated, hand-edited, missing-output, missing-spec,
    /// not-locked and lock-orphan. The default check reads and hashes files only; `--deep` also
    /// regenerates each client in memory and compares bytes.
    Check(CheckArgs),
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
    /// The package selection (all members unless `-p` is given).
    pub fn selection(&self) -> contract_core::workspace::Selection {
        contract_core::workspace::Selection {
            packages: self.workspace.package.clone(),
            exclude: self.workspace.exclude.clone(),
        }
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
    /// Declare it in `[workspace.metadata]` of the root Cargo.toml instead of a package.
    #[arg(long = "workspace-level")]
    pub workspace_level: bool,
    #[command(flatten)]
    /// Workspace selection.
    pub ws: WorkspaceArgs,
}

/// `lock`.
#[derive(Debug, Args)]
pub struct LockArgs {
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
    /// One JSON object per line (documented in the README).
    Json,
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
    /// Contracts to generate (default: every contract with an `output`).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Pin the spec's current fingerprint first instead of refusing on a mismatch.
    #[arg(long)]
    pub relock: bool,
    /// Overwrite a hand-edited generated file, keeping it as `<file>.orig`.
    #[arg(long)]
    pub force: bool,
    /// List every rewrite of the spec made for the generator (3.1 lowering, normalisation),
    /// per operation.
    #[arg(long, short = 'v')]
    pub verbose: bool,
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
    /// Also regenerate each client in memory and compare bytes (slower).
    #[arg(long)]
    pub deep: bool,
    /// Output format.
    #[arg(long, value_name = "FMT", default_value = "human")]
    pub message_format: MessageFormat,
    #[command(flatten)]
    /// Workspace selection.
    pub ws: WorkspaceArgs,
}
