//! `cargo check` of every generated client: one crate per client in a scratch workspace, one
//! `cargo check --keep-going` over all of them with one target directory (the very large ones
//! are checked one at a time afterwards, to bound memory), errors attributed to crates by
//! cargo's JSON messages.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use super::{Pipeline, Row, crate_dir, slug};

/// The dependencies a generated client may use (as `contract-core`'s `deps` lists them).
const DEPENDENCIES: &str = r#"progenitor-client = "0.15.1"
reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream"] }
serde = { version = "1.0", features = ["derive"] }
serde_json = "1.0"
chrono = { version = "0.4", features = ["serde"] }
uuid = { version = "1.0", features = ["serde", "v4"] }
regress = "0.12"
futures = "0.3"
base64 = "0.22"
rand = "0.9"
"#;

/// The crates to check: package name → (row, pipeline).
pub(super) type Packages = BTreeMap<String, (usize, Pipeline)>;

/// Checks every generated crate under `crates` and records the results in `rows`.
pub fn check(crates: &Path, root: &Path, rows: &mut [Row], jobs: usize) -> Result<(), String> {
    let packages = write_workspace(crates, root, rows)?;
    if packages.is_empty() {
        return Ok(());
    }
    let target = crates.parent().unwrap_or(crates).join("target");
    // Very large clients (the GitHub ones: 400k lines, ~8 GB of memory each) are checked one at
    // a time, after the others.
    let large: Vec<&String> = packages
        .iter()
        .filter(|(_, (i, pipeline))| {
            let lib = crate_dir(crates, *pipeline, &rows[*i]).join("src/lib.rs");
            std::fs::metadata(lib).is_ok_and(|m| m.len() > LARGE)
        })
        .map(|(name, _)| name)
        .collect();
    eprintln!(
        "corpus: cargo check of {} crates ({} large ones one at a time)",
        packages.len(),
        large.len()
    );
    let mut results = Results::default();
    let mut all: Vec<String> = vec!["--workspace".into()];
    for name in &large {
        all.extend(["--exclude".to_string(), (*name).clone()]);
    }
    cargo_check(crates, &target, jobs, &all, &packages, &mut results)?;
    for name in &large {
        cargo_check(
            crates,
            &target,
            1,
            &["-p".into(), (*name).clone()],
            &packages,
            &mut results,
        )?;
    }
    record(rows, &packages, results);
    Ok(())
}

/// Writes a manifest for every generated client and the scratch workspace around them; returns
/// the packages.
pub(super) fn write_workspace(
    crates: &Path,
    root: &Path,
    rows: &[Row],
) -> Result<Packages, String> {
    let io = |what: &Path, e: std::io::Error| format!("`{}`: {e}", what.display());
    let dependencies: String = DEPENDENCIES
        .lines()
        .map(|l| {
            format!(
                "{} = {{ workspace = true }}\n",
                l.split(" = ").next().unwrap_or(l)
            )
        })
        .collect();
    let mut packages = Packages::new();
    let mut members: Vec<String> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        for pipeline in [Pipeline::Ours, Pipeline::Plain] {
            if row.outcome(pipeline).stage != "ok" {
                continue;
            }
            let name = format!("{}-{}", pipeline.name(), slug(&row.file));
            let dir = crate_dir(crates, pipeline, row);
            let manifest = format!(
                "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{dependencies}"
            );
            std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| io(&dir, e))?;
            packages.insert(name, (i, pipeline));
            members.push(format!("\"{}/{}\"", pipeline.name(), slug(&row.file)));
        }
    }
    if packages.is_empty() {
        return Ok(packages);
    }
    let workspace = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [\n    {},\n]\n\n[workspace.dependencies]\n{DEPENDENCIES}\n[profile.dev]\ndebug = 0\nincremental = false\n",
        members.join(",\n    ")
    );
    std::fs::write(crates.join("Cargo.toml"), workspace).map_err(|e| io(crates, e))?;
    let lock = crates.join("Cargo.lock");
    if !lock.exists() {
        // Start from the repository's versions; cargo adds what is missing.
        std::fs::copy(root.join("Cargo.lock"), &lock).map_err(|e| io(&lock, e))?;
    }
    Ok(packages)
}

/// Marks every package that did not build cleanly as failed at `check`, with its first error.
fn record(rows: &mut [Row], packages: &Packages, results: Results) {
    let Results {
        first_error,
        finished,
    } = results;
    for (name, (i, pipeline)) in packages {
        if finished.get(name) == Some(&true) && !first_error.contains_key(name) {
            continue;
        }
        let outcome = rows[*i].outcome_mut(*pipeline);
        outcome.stage = "check".into();
        outcome.error = Some(
            first_error
                .get(name)
                .cloned()
                .unwrap_or_else(|| "not checked (a dependency failed to build)".into()),
        );
    }
}

/// Generated code above this size is checked alone.
pub(super) const LARGE: u64 = 4 << 20;

/// What cargo reported, by package.
#[derive(Default)]
struct Results {
    first_error: BTreeMap<String, String>,
    finished: BTreeMap<String, bool>,
}

/// One `cargo check --keep-going` over `selection`.
fn cargo_check(
    crates: &Path,
    target: &Path,
    jobs: usize,
    selection: &[String],
    packages: &Packages,
    results: &mut Results,
) -> Result<(), String> {
    let mut child = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "check",
            "--keep-going",
            "--message-format",
            "json",
            "--jobs",
        ])
        .arg(jobs.to_string())
        .args(selection)
        .current_dir(crates)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env("CARGO_TERM_COLOR", "never")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("running cargo check: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let Some(package) = message
            .get("package_id")
            .and_then(|p| p.as_str())
            .and_then(|id| package_name(id, packages))
        else {
            continue;
        };
        match message.get("reason").and_then(|r| r.as_str()) {
            Some("compiler-message") => {
                let diagnostic = &message["message"];
                if diagnostic["level"] == "error" && !results.first_error.contains_key(&package) {
                    let text = diagnostic["rendered"]
                        .as_str()
                        .or(diagnostic["message"].as_str())
                        .unwrap_or("error");
                    results
                        .first_error
                        .insert(package.clone(), super::worker::one_line(text));
                }
            }
            Some("compiler-artifact") => {
                results.finished.insert(package, true);
            }
            _ => {}
        }
    }
    child.wait().map_err(|e| e.to_string())?;
    Ok(())
}

/// The package name of a cargo package id, when it is one of ours.
pub(super) fn package_name(id: &str, packages: &Packages) -> Option<String> {
    // `path+file:///…/ours/x#ours-x@0.0.0` (or the older `ours-x 0.0.0 (path+…)`).
    let name = match id.split_once('#') {
        Some((_, rest)) => rest.split('@').next()?.to_string(),
        None => id.split(' ').next()?.to_string(),
    };
    packages.contains_key(&name).then_some(name)
}
