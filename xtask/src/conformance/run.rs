//! The three phases: prepare every program (child processes), build them all (one
//! `cargo build --keep-going`), run each against its own Prism.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::classify::{Observation, Verdict, classify};
use super::server::{self, Killed};
use super::worker::Prepared;
use super::{OperationResult, SpecResult, program_dir};
use crate::corpus::check::{DEPENDENCIES, Results, cargo_json};
use crate::corpus::slug;

/// Every spec through the three phases; results in `files` order.
pub fn all(
    root: &Path,
    out: &Path,
    corpus: &Path,
    files: &[PathBuf],
    prism: &Path,
    jobs: usize,
) -> Result<Vec<SpecResult>, String> {
    let rel = |file: &Path| {
        file.strip_prefix(corpus)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let exe = std::env::current_exe().map_err(|e| format!("the xtask executable: {e}"))?;
    let prepared = crate::pool::run(files.len(), jobs, |i| {
        let name = rel(&files[i]);
        let prepared = prepare(&exe, &files[i], &program_dir(out, &name));
        eprintln!("  prepare {:<9} {name}", prepared.stage);
        prepared
    });
    let names: Vec<String> = files.iter().map(|f| rel(f)).collect();
    let ready: Vec<&String> = names
        .iter()
        .zip(&prepared)
        .filter(|(_, p)| p.stage == "ok")
        .map(|(n, _)| n)
        .collect();
    let built = build(root, out, &ready, jobs)?;
    Ok(crate::pool::run(files.len(), jobs, |i| {
        let name = &names[i];
        let result = exercise(prism, &files[i], out, name, &prepared[i], built.get(name));
        eprintln!("  run     {:<9} {name} {:?}", result.stage, result.counts);
        result
    }))
}

fn prepare(exe: &Path, spec: &Path, dir: &Path) -> Prepared {
    let _ = std::fs::remove_dir_all(dir.join("src"));
    let output = Command::new(exe)
        .arg("conformance-worker")
        .arg("--spec")
        .arg(spec)
        .arg("--dir")
        .arg(dir)
        .output();
    let failed = |error: String| Prepared {
        stage: "generate".into(),
        error: Some(error),
        operations: Vec::new(),
    };
    match output {
        Err(e) => failed(format!("could not start the worker: {e}")),
        Ok(o) => serde_json::from_slice(&o.stdout).unwrap_or_else(|_| {
            let stderr = String::from_utf8_lossy(&o.stderr);
            let last = stderr
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            failed(format!("the generator process died ({}): {last}", o.status))
        }),
    }
}

/// The package (and binary) name of a spec's program.
fn package(name: &str) -> String {
    format!("cf-{}", slug(name))
}

/// Writes the scratch workspace and builds every program; the first error of each that failed.
fn build(
    root: &Path,
    out: &Path,
    ready: &[&String],
    jobs: usize,
) -> Result<BTreeMap<String, Option<String>>, String> {
    if ready.is_empty() {
        return Ok(BTreeMap::new());
    }
    let io = |what: &Path, e: std::io::Error| format!("`{}`: {e}", what.display());
    let dependencies: String = DEPENDENCIES
        .lines()
        .chain(["tokio = { version = \"1\", features = [\"rt\"] }"])
        .map(|l| {
            format!(
                "{} = {{ workspace = true }}\n",
                l.split(" = ").next().unwrap_or(l)
            )
        })
        .collect();
    for name in ready {
        let dir = program_dir(out, name);
        let manifest = format!(
            "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{dependencies}",
            package(name)
        );
        std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| io(&dir, e))?;
    }
    let members: Vec<String> = ready.iter().map(|n| format!("\"{}\"", slug(n))).collect();
    let workspace = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [\n    {},\n]\n\n[workspace.dependencies]\n{DEPENDENCIES}tokio = {{ version = \"1\", features = [\"rt\"] }}\n\n[profile.dev]\ndebug = 0\nincremental = false\n",
        members.join(",\n    ")
    );
    std::fs::write(out.join("Cargo.toml"), workspace).map_err(|e| io(out, e))?;
    let lock = out.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock).map_err(|e| io(&lock, e))?;
    }
    eprintln!("conformance: cargo build of {} programs", ready.len());
    let packages: Vec<String> = ready.iter().map(|n| package(n)).collect();
    let ours = |name: &str| packages.iter().any(|p| p == name);
    let mut results = Results::default();
    let selection = ["--workspace".to_string()];
    cargo_json(
        "build",
        out,
        &out.join("target"),
        jobs,
        &selection,
        &ours,
        &mut results,
    )?;
    Ok(ready
        .iter()
        .map(|name| {
            let package = package(name);
            let error = match (
                results.first_error.get(&package),
                results.finished.get(&package),
            ) {
                (Some(error), _) => Some(error.clone()),
                (None, Some(true)) => None,
                (None, _) => Some("not built (a dependency failed to build)".into()),
            };
            ((*name).clone(), error)
        })
        .collect())
}

/// One spec against its own Prism.
fn exercise(
    prism: &Path,
    spec: &Path,
    out: &Path,
    name: &str,
    prepared: &Prepared,
    built: Option<&Option<String>>,
) -> SpecResult {
    let mut result = SpecResult {
        file: name.to_string(),
        stage: prepared.stage.clone(),
        error: prepared.error.clone(),
        ..SpecResult::default()
    };
    let stopped = |result: &mut SpecResult, stage: &str, error: String| {
        result.stage = stage.into();
        result.error = Some(error);
    };
    let mut observations = BTreeMap::new();
    let mut missing = "the program did not run".to_string();
    if prepared.stage == "ok" {
        match built {
            Some(Some(error)) => stopped(&mut result, "build", error.clone()),
            None => stopped(&mut result, "build", "not built".into()),
            Some(None) => {
                let dir = program_dir(out, name);
                match server::start(prism, spec, &dir.join("prism.log")) {
                    Err(e) => stopped(&mut result, "prism", e),
                    Ok(mut server) => {
                        let binary = out.join("target/debug").join(package(name));
                        let calls = prepared
                            .operations
                            .iter()
                            .filter(|o| o.not_called.is_none())
                            .count();
                        let limit = Duration::from_secs((30 + 3 * calls as u64).min(900));
                        let (found, end) = run_program(&binary, &server.base_url, &dir, limit);
                        observations = found;
                        missing = format!("the program stopped before this call ({end})");
                        if let Some(crash) = server.crashed() {
                            missing = crash.clone();
                            stopped(&mut result, "prism", crash);
                        } else if end != "exit status: 0" {
                            stopped(&mut result, "run", end);
                        }
                    }
                }
            }
        }
    }
    let crashed = result.stage == "prism";
    result.operations = operations(prepared, &observations, &missing, crashed);
    result.count();
    result
}

/// Each planned operation's verdict.
fn operations(
    prepared: &Prepared,
    observations: &BTreeMap<usize, Observation>,
    missing: &str,
    crashed: bool,
) -> Vec<OperationResult> {
    let mut results: Vec<OperationResult> = prepared
        .operations
        .iter()
        .enumerate()
        .map(|(index, planned)| {
            let (verdict, reason) = match (&planned.not_called, observations.get(&index)) {
                (Some(reason), _) => (Verdict::NotExercised, reason.clone()),
                // Calls after a crash found no server.
                (None, Some(o)) if o.kind == "communication" && crashed => {
                    (Verdict::NotExercised, missing.to_string())
                }
                (None, Some(observation)) => {
                    let path = planned.label.split_once(' ').map_or("", |(_, p)| p);
                    classify(observation, path)
                }
                (None, None) => (Verdict::NotExercised, missing.to_string()),
            };
            OperationResult {
                operation: planned.label.clone(),
                verdict,
                reason: crate::corpus::worker::one_line(&reason),
            }
        })
        .collect();
    results.sort_by(|a, b| a.operation.cmp(&b.operation));
    results
}

/// Runs the program against `base_url` for at most `limit`: its observations by index, and
/// how it ended.
fn run_program(
    binary: &Path,
    base_url: &str,
    dir: &Path,
    limit: Duration,
) -> (BTreeMap<usize, Observation>, String) {
    let stderr = std::fs::File::create(dir.join("program.stderr"))
        .map(Stdio::from)
        .unwrap_or(Stdio::null());
    let child = Command::new(binary)
        .arg(base_url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn();
    let mut child = match child {
        Ok(child) => Killed(child),
        Err(e) => {
            return (
                BTreeMap::new(),
                format!("could not start `{}`: {e}", binary.display()),
            );
        }
    };
    let stdout = child.0.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .filter_map(|line| serde_json::from_str::<Observation>(&line).ok())
            .map(|o| (o.index, o))
            .collect::<BTreeMap<_, _>>()
    });
    let started = Instant::now();
    let end = loop {
        match child.0.try_wait() {
            Ok(Some(status)) => break status.to_string(),
            Err(e) => break e.to_string(),
            Ok(None) if started.elapsed() > limit => {
                let _ = child.0.kill();
                break format!("stopped after {}s", limit.as_secs());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
        }
    };
    drop(child);
    (reader.join().unwrap_or_default(), end)
}
