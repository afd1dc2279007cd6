//! `cargo check` of every generated client: one crate per client in a scratch workspace, one
//! `cargo check --keep-going` over all of them with one target directory, errors attributed to
//! crates by cargo's JSON messages.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use super::{Pipeline, Row, slug};

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

/// Checks every generated crate under `crates` and records the results in `rows`.
pub fn check(crates: &Path, root: &Path, rows: &mut [Row], jobs: usize) -> Result<(), String> {
    let io = |what: &Path, e: std::io::Error| format!("`{}`: {e}", what.display());
    let mut packages: BTreeMap<String, (usize, Pipeline)> = BTreeMap::new();
    let mut members: Vec<String> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        for (pipeline, outcome) in [(Pipeline::Ours, &row.ours), (Pipeline::Plain, &row.plain)] {
            if outcome.stage != "ok" {
                continue;
            }
            let name = format!("{}-{}", pipeline.name(), slug(&row.file));
            let dir = crates.join(pipeline.name()).join(slug(&row.file));
            let manifest = format!(
                "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{}",
                DEPENDENCIES
                    .lines()
                    .map(|l| format!(
                        "{} = {{ workspace = true }}\n",
                        l.split(" = ").next().unwrap_or(l)
                    ))
                    .collect::<String>()
            );
            std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| io(&dir, e))?;
            packages.insert(name, (i, pipeline));
            members.push(format!("\"{}/{}\"", pipeline.name(), slug(&row.file)));
        }
    }
    if packages.is_empty() {
        return Ok(());
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
    let target = crates.parent().unwrap_or(crates).join("target");
    eprintln!("corpus: cargo check of {} crates", packages.len());
    let mut child = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format",
            "json",
            "--jobs",
        ])
        .arg(jobs.to_string())
        .current_dir(crates)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .env("CARGO_TERM_COLOR", "never")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("running cargo check: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let mut first_error: BTreeMap<String, String> = BTreeMap::new();
    let mut finished: BTreeMap<String, bool> = BTreeMap::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let Some(package) = message
            .get("package_id")
            .and_then(|p| p.as_str())
            .and_then(|id| package_name(id, &packages))
        else {
            continue;
        };
        match message.get("reason").and_then(|r| r.as_str()) {
            Some("compiler-message") => {
                let m = &message["message"];
                if m["level"] == "error" && !first_error.contains_key(&package) {
                    let text = m["rendered"]
                        .as_str()
                        .or(m["message"].as_str())
                        .unwrap_or("error");
                    first_error.insert(package.clone(), super::worker::one_line(text));
                }
            }
            Some("compiler-artifact") => {
                finished.insert(package, true);
            }
            _ => {}
        }
    }
    child.wait().map_err(|e| e.to_string())?;
    for (name, (i, pipeline)) in &packages {
        let outcome = match pipeline {
            Pipeline::Ours => &mut rows[*i].ours,
            Pipeline::Plain => &mut rows[*i].plain,
        };
        if finished.get(name) == Some(&true) && !first_error.contains_key(name) {
            continue;
        }
        outcome.stage = "check".into();
        outcome.error = Some(
            first_error
                .get(name)
                .cloned()
                .unwrap_or_else(|| "not checked (a dependency failed to build)".into()),
        );
    }
    Ok(())
}

/// The package name of a cargo package id, when it is one of ours.
fn package_name(id: &str, packages: &BTreeMap<String, (usize, Pipeline)>) -> Option<String> {
    // `path+file:///…/ours/x#ours-x@0.0.0` (or the older `ours-x 0.0.0 (path+…)`).
    let name = match id.split_once('#') {
        Some((_, rest)) => rest.split('@').next()?.to_string(),
        None => id.split(' ').next()?.to_string(),
    };
    packages.contains_key(&name).then_some(name)
}
