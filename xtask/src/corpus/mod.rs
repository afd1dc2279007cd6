//! `cargo xtask corpus`: every spec of the shared corpus through load → lower → normalise →
//! generate → `cargo check`, and through plain progenitor (load → generate → check) beside it.
//!
//! Each generation runs in a child process (a crash or stack overflow in the generator is one
//! failed spec, not a failed run), two at a time by default. The generated clients become one
//! crate each in a scratch workspace under `target/corpus/crates`, checked with
//! `cargo check --keep-going` and one target directory, so dependencies compile once and each
//! error is attributed to its spec. Files with the same fingerprint are one spec.

mod bench;
pub(crate) mod check;
mod fidelity;
mod report;
pub mod schema;
pub mod schema_build;
mod warnings;
pub mod worker;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use serde::{Deserialize, Serialize};

/// `cargo xtask corpus` options.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The corpus directory (default: `../shared/corpus` next to the repository).
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Only specs whose path contains this text.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// Generations run in parallel.
    #[arg(long, default_value_t = 2)]
    jobs: usize,
    /// Skip `cargo check` of the generated code.
    #[arg(long)]
    no_check: bool,
    /// Skip the GitHub generation-time comparison.
    #[arg(long)]
    no_bench: bool,
    /// Skip plain progenitor (ours only).
    #[arg(long)]
    no_plain: bool,
    /// Runs of each side in the GitHub comparison (the median is reported).
    #[arg(long, default_value_t = 3)]
    bench_runs: usize,
    /// `#[schema]` self-consistency and drift injection instead: check every component type
    /// our generator writes against its schema, then mutate the accepted ones by each drift
    /// class (writes `target/corpus/schema-report.md` and `.json`; no plain, check or bench).
    #[arg(long)]
    schema: bool,
    /// rustc warnings instead: build each client of ours as a binary crate that declares it as
    /// a module and calls nothing (so dead code counts), count the warnings per spec and per
    /// lint, write `target/corpus/warnings-report.md` and `.json`, exit 1 when there is any
    /// (no plain, no bench).
    #[arg(long, conflicts_with = "schema")]
    warnings: bool,
    /// With `--schema`: also put `#[contract_macros::schema]` on the generated types (and
    /// compile-time drifts of issue 17's class 6 beside them), pin each spec as a contract and
    /// build every crate with `cargo check`; rustc's errors are mapped to types and drifts.
    #[arg(long, requires = "schema")]
    build: bool,
    /// With `--build`: write the annotated crates and check their types in-process only (the
    /// attribute's check with the arguments the build gives each type, without rustc's
    /// identity assertions), for crates too large to build on this machine.
    #[arg(long, requires = "build")]
    no_rustc: bool,
}

/// Which pipeline generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Pipeline {
    /// contract-core: lowering, normalisation, progenitor.
    Ours,
    /// progenitor on the document as written.
    Plain,
}

impl Pipeline {
    fn name(self) -> &'static str {
        match self {
            Pipeline::Ours => "ours",
            Pipeline::Plain => "plain",
        }
    }
}

/// One spec through one pipeline.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Outcome {
    /// `ok`, or the stage that failed: `load`, `generate`, `check`; `skipped` when not run.
    pub stage: String,
    /// The first error, one line.
    pub error: Option<String>,
    /// Milliseconds: loading, lowering + normalisation (ours), generation (including them).
    pub load_ms: f64,
    pub prepare_ms: f64,
    pub generate_ms: f64,
    /// Operations and types in the client.
    pub operations: usize,
    pub types: usize,
    /// Operations the spec defines (ours only).
    #[serde(default)]
    pub spec_operations: usize,
    /// Notes from lowering and normalisation, by rule.
    pub notes: BTreeMap<String, usize>,
    /// Lossy rewrites by rule (ours only; `contract_core::codegen::fidelity`).
    #[serde(default)]
    pub losses: BTreeMap<String, usize>,
    /// Schemas that became "any value" in the client (ours only).
    #[serde(default)]
    pub any_value: usize,
    /// Rules that would stop generation under the default (nothing accepted); the corpus
    /// generates with every rule accepted to measure what the client loses.
    #[serde(default)]
    pub refused_by_default: Vec<String>,
    /// Size of the generated code.
    pub code_bytes: usize,
    /// `--schema`: the attribute on the generated component types.
    #[serde(default)]
    pub schema: Option<schema::SchemaOutcome>,
    /// The generator's lossy rewrites that drop an `enum` (rule, pointer), for `--schema`.
    #[serde(skip)]
    pub enums_dropped: Vec<(String, String)>,
    /// `--warnings`: rustc warnings in the client, by lint (`(none)` for a warning without a
    /// lint name), and the first message of each.
    #[serde(default)]
    pub warnings: BTreeMap<String, warnings::Lint>,
}

/// One corpus file.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Path relative to the corpus directory.
    pub file: String,
    /// `openapi`/`swagger` version as declared.
    pub version: String,
    /// The file this one repeats (same fingerprint), if any.
    pub duplicate_of: Option<String>,
    pub ours: Outcome,
    pub plain: Outcome,
}

impl Row {
    /// This file's outcome through `pipeline`.
    pub fn outcome(&self, pipeline: Pipeline) -> &Outcome {
        match pipeline {
            Pipeline::Ours => &self.ours,
            Pipeline::Plain => &self.plain,
        }
    }

    /// This file's outcome through `pipeline`, to fill in.
    pub fn outcome_mut(&mut self, pipeline: Pipeline) -> &mut Outcome {
        match pipeline {
            Pipeline::Ours => &mut self.ours,
            Pipeline::Plain => &mut self.plain,
        }
    }
}

/// The corpus directory: `given`, else `../shared/corpus` beside the repository, resolved.
pub(crate) fn corpus_dir(given: Option<&Path>, root: &Path) -> Result<PathBuf, String> {
    let corpus = given.map_or_else(|| root.join("../shared/corpus"), Path::to_path_buf);
    corpus
        .canonicalize()
        .map_err(|e| format!("corpus directory `{}`: {e}", corpus.display()))
}

/// Runs the corpus task.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let root = workspace_root();
    let corpus = corpus_dir(args.corpus.as_deref(), &root)?;
    let out = target_dir(&root).join("corpus");
    std::fs::create_dir_all(&out).map_err(|e| format!("`{}`: {e}", out.display()))?;
    let files = list_specs(&corpus, args.filter.as_deref())?;
    eprintln!("corpus: {} files in `{}`", files.len(), corpus.display());
    let mut rows = load_rows(&corpus, &files);

    let crates = out.join("crates");
    for pipeline in [Pipeline::Ours, Pipeline::Plain] {
        let dir = crates.join(pipeline.name());
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| format!("`{}`: {e}", dir.display()))?;
        }
    }
    let mut pipelines = vec![Pipeline::Ours];
    if !args.no_plain && !args.schema && !args.warnings {
        pipelines.push(Pipeline::Plain);
    }
    let jobs = jobs(&rows, &files, &pipelines);
    let started = Instant::now();
    let mode = if args.schema && args.build {
        worker::Mode::SchemaBuild
    } else if args.schema {
        worker::Mode::Schema
    } else if args.warnings {
        worker::Mode::Warnings
    } else {
        worker::Mode::Check
    };
    let results = run_workers(&jobs, &files, &rows, &crates, args.jobs.max(1), mode);
    for ((i, pipeline), outcome) in jobs.iter().zip(results) {
        *rows[*i].outcome_mut(*pipeline) = outcome;
    }
    let generate_secs = started.elapsed().as_secs_f64();
    eprintln!("corpus: generated in {generate_secs:.0}s");
    if args.no_rustc {
        for plan in rows
            .iter_mut()
            .filter_map(|r| r.ours.schema.as_mut()?.build.as_mut())
        {
            plan.failure
                .get_or_insert_with(|| "not built (`--no-rustc`)".into());
        }
    }
    if args.build && !args.no_rustc {
        let started = Instant::now();
        schema_build::build(&crates, &root, &mut rows, &files, args.jobs.max(1))?;
        eprintln!("corpus: built in {:.0}s", started.elapsed().as_secs_f64());
    }
    if args.schema {
        share_duplicates(&mut rows);
        let summary = schema::write_report(&out, &rows)?;
        println!("{summary}");
        return Ok(ExitCode::SUCCESS);
    }

    if args.warnings {
        let started = Instant::now();
        check::check(&crates, &root, &mut rows, args.jobs.max(1), true)?;
        let check_secs = started.elapsed().as_secs_f64();
        eprintln!("corpus: checked in {check_secs:.0}s");
        share_duplicates(&mut rows);
        let (summary, total) = warnings::write_report(&out, &rows, check_secs)?;
        println!("{summary}");
        return Ok(if total == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let mut check_secs = None;
    if !args.no_check {
        let started = Instant::now();
        check::check(&crates, &root, &mut rows, args.jobs.max(1), false)?;
        check_secs = Some(started.elapsed().as_secs_f64());
        eprintln!("corpus: checked in {:.0}s", check_secs.unwrap_or_default());
    }
    share_duplicates(&mut rows);

    let bench = if args.no_bench {
        None
    } else {
        bench::github(&corpus, args.bench_runs.max(1))?
    };
    let timing = report::Timing {
        generate_secs,
        check_secs,
    };
    let summary = report::write(&out, &rows, bench.as_ref(), &timing)?;
    println!("{summary}");
    eprintln!(
        "corpus: wrote `{}` and `{}`",
        out.join("report.md").display(),
        out.join("report.json").display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Loads each file once: its version, and the earlier file with the same fingerprint (one
/// spec).
fn load_rows(corpus: &Path, files: &[PathBuf]) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut by_fingerprint: BTreeMap<String, String> = BTreeMap::new();
    for file in files {
        let rel = rel_name(corpus, file);
        let (version, duplicate_of) = match contract_core::spec::load(file) {
            Ok(spec) => {
                let fingerprint = spec.fingerprint.to_string();
                let first = by_fingerprint.get(&fingerprint).cloned();
                by_fingerprint
                    .entry(fingerprint)
                    .or_insert_with(|| rel.clone());
                (spec.version.as_str().to_string(), first)
            }
            Err(e) => (
                format!("unreadable: {}", contract_core::error::with_causes(&e)),
                None,
            ),
        };
        rows.push(Row {
            file: rel,
            version,
            duplicate_of,
            ours: Outcome::default(),
            plain: Outcome::default(),
        });
    }
    rows
}

/// `(row, pipeline)` for every distinct spec, largest specs first so the long ones overlap
/// with the rest.
fn jobs(rows: &[Row], files: &[PathBuf], pipelines: &[Pipeline]) -> Vec<(usize, Pipeline)> {
    let mut jobs: Vec<(usize, Pipeline)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.duplicate_of.is_none() {
            for p in pipelines {
                jobs.push((i, *p));
            }
        }
    }
    jobs.sort_by_key(|(i, _)| {
        std::cmp::Reverse(std::fs::metadata(&files[*i]).map(|m| m.len()).unwrap_or(0))
    });
    jobs
}

/// Duplicates share their original's results; a pipeline that did not run is `skipped`.
fn share_duplicates(rows: &mut [Row]) {
    for i in 0..rows.len() {
        if let Some(original) = rows[i].duplicate_of.clone()
            && let Some(source) = rows.iter().find(|r| r.file == original).cloned()
        {
            rows[i].ours = source.ours;
            rows[i].plain = source.plain;
        }
    }
    for row in rows {
        if row.plain.stage.is_empty() {
            row.plain.stage = "skipped".into();
        }
    }
}

fn run_workers(
    jobs: &[(usize, Pipeline)],
    files: &[PathBuf],
    rows: &[Row],
    crates: &Path,
    parallel: usize,
    mode: worker::Mode,
) -> Vec<Outcome> {
    let exe = std::env::current_exe().expect("the xtask executable");
    crate::pool::run(jobs.len(), parallel, |index| {
        let (row, pipeline) = jobs[index];
        let dir = crate_dir(crates, pipeline, &rows[row]);
        let outcome = spawn_worker(&exe, pipeline, &files[row], &dir, mode);
        eprintln!(
            "  {:<5} {:<10} {}",
            pipeline.name(),
            outcome.stage,
            rows[row].file
        );
        outcome
    })
}

fn spawn_worker(
    exe: &Path,
    pipeline: Pipeline,
    spec: &Path,
    dir: &Path,
    mode: worker::Mode,
) -> Outcome {
    let out = dir.join("src/lib.rs");
    let mut command = Command::new(exe);
    command
        .args(["corpus-worker", "--pipeline", pipeline.name(), "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(&out)
        .args(["--mode", mode.name()]);
    let output = command.output();
    let failed = |error: String| Outcome {
        stage: "generate".into(),
        error: Some(error),
        ..Outcome::default()
    };
    match output {
        Err(e) => failed(format!("could not start the worker: {e}")),
        Ok(o) => match serde_json::from_slice::<Outcome>(&o.stdout) {
            Ok(outcome) => outcome,
            Err(_) => {
                let stderr = String::from_utf8_lossy(&o.stderr);
                let last = stderr
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("");
                failed(format!("the generator process died ({}): {last}", o.status))
            }
        },
    }
}

/// The crate of `row`'s client generated by `pipeline`.
fn crate_dir(crates: &Path, pipeline: Pipeline, row: &Row) -> PathBuf {
    crates.join(pipeline.name()).join(slug(&row.file))
}

/// The crate directory name of a corpus file.
pub fn slug(file: &str) -> String {
    let mut out: String = file
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    out.trim_matches('-').to_string()
}

fn list_specs(corpus: &Path, filter: Option<&str>) -> Result<Vec<PathBuf>, String> {
    crate::pool::files_below(corpus, |path| {
        matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("json" | "yaml" | "yml")
        ) && filter.is_none_or(|f| path.to_string_lossy().contains(f))
    })
}

fn rel_name(corpus: &Path, file: &Path) -> String {
    file.strip_prefix(corpus)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The repository root (the xtask crate's parent).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is in the workspace")
        .to_path_buf()
}

pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root.join(p) })
        .unwrap_or_else(|| root.join("target"))
}
