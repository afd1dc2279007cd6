//! `cargo check` of every generated client: one crate per client in a scratch workspace, one
//! `cargo check --keep-going` over all of them with one target directory (the very large ones
//! are checked one at a time afterwards, to bound memory), errors (and, for `--warnings`,
//! warnings by lint) attributed to crates by cargo's JSON messages.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use super::warnings::Lint;
use super::{Pipeline, Row, crate_dir, slug};

/// The dependencies a generated client may use (as `contract-core`'s `deps` lists them).
pub(crate) const DEPENDENCIES: &str = r#"progenitor-client = "0.15.1"
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

/// Checks every generated crate under `crates` and records the results in `rows`; `binary`:
/// each crate is a binary that declares the client as a module and calls nothing of it (what
/// `--warnings` checks: dead code warns in a binary, not in a library).
pub fn check(
    crates: &Path,
    root: &Path,
    rows: &mut [Row],
    jobs: usize,
    binary: bool,
) -> Result<(), String> {
    let packages = write_workspace(crates, root, rows, binary, &[])?;
    if packages.is_empty() {
        return Ok(());
    }
    let target = crates.parent().unwrap_or(crates).join("target");
    // Very large clients (the GitHub ones: 400k lines, ~8 GB of memory each) are checked one at
    // a time, after the others.
    let large = large_packages(crates, rows, &packages);
    eprintln!(
        "corpus: cargo check of {} crates ({} large ones one at a time)",
        packages.len(),
        large.len()
    );
    let mut results = Results::default();
    let mut all: Vec<String> = vec!["--workspace".into()];
    for name in &large {
        all.extend(["--exclude".to_string(), name.clone()]);
    }
    let ours = |name: &str| packages.contains_key(name);
    // When every crate is large (`--filter corpus/github`), the workspace minus them is empty.
    if large.len() < packages.len() {
        cargo_json("check", crates, &target, jobs, &all, &ours, &mut results)?;
    }
    for name in &large {
        let selection = ["-p".into(), name.clone()];
        cargo_json("check", crates, &target, 1, &selection, &ours, &mut results)?;
    }
    record(rows, &packages, results);
    Ok(())
}

/// The `[dependencies]` lines of a scratch crate: every one of [`DEPENDENCIES`], from the
/// workspace.
pub(crate) fn workspace_dependencies() -> String {
    DEPENDENCIES
        .lines()
        .map(|l| {
            format!(
                "{} = {{ workspace = true }}\n",
                l.split(" = ").next().unwrap_or(l)
            )
        })
        .collect()
}

/// The entry point of a client's crate checked as a binary.
const BINARY_MAIN: &str = "#[path = \"lib.rs\"]\nmod client;\n\nfn main() {}\n";

/// Writes a manifest for every generated client and the scratch workspace around them (with
/// `extra_members`, paths under `crates` whose manifests the caller writes); returns the
/// packages.
pub(super) fn write_workspace(
    crates: &Path,
    root: &Path,
    rows: &[Row],
    binary: bool,
    extra_members: &[String],
) -> Result<Packages, String> {
    let io = |what: &Path, e: std::io::Error| format!("`{}`: {e}", what.display());
    let dependencies = workspace_dependencies();
    let mut packages = Packages::new();
    let mut members: Vec<String> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        for pipeline in [Pipeline::Ours, Pipeline::Plain] {
            if row.outcome(pipeline).stage != "ok" {
                continue;
            }
            let name = format!("{}-{}", pipeline.name(), slug(&row.file));
            let dir = crate_dir(crates, pipeline, row);
            let target = if binary {
                std::fs::write(dir.join("src/main.rs"), BINARY_MAIN).map_err(|e| io(&dir, e))?;
                format!("autolib = false\n\n[[bin]]\nname = \"{name}\"\npath = \"src/main.rs\"\n")
            } else {
                String::new()
            };
            let manifest = format!(
                "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n{target}\n[dependencies]\n{dependencies}"
            );
            std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| io(&dir, e))?;
            packages.insert(name, (i, pipeline));
            members.push(format!("\"{}/{}\"", pipeline.name(), slug(&row.file)));
        }
    }
    if packages.is_empty() {
        return Ok(packages);
    }
    members.extend(extra_members.iter().map(|m| format!("{m:?}")));
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
        mut warnings,
    } = results;
    for (name, (i, pipeline)) in packages {
        let outcome = rows[*i].outcome_mut(*pipeline);
        outcome.warnings = warnings.remove(name).unwrap_or_default();
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
}

/// Generated code above this size is checked alone.
const LARGE: u64 = 4 << 20;

/// The packages whose generated code is over [`LARGE`] (the GitHub clients: 400k lines, up to
/// 13 GB of memory each), checked one at a time after the others.
pub(crate) fn large_packages(crates: &Path, rows: &[Row], packages: &Packages) -> Vec<String> {
    packages
        .iter()
        .filter(|(_, (i, pipeline))| {
            let lib = crate_dir(crates, *pipeline, &rows[*i]).join("src/lib.rs");
            std::fs::metadata(lib).is_ok_and(|m| m.len() > LARGE)
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// What cargo reported, by package.
#[derive(Default)]
pub(crate) struct Results {
    pub first_error: BTreeMap<String, String>,
    pub finished: BTreeMap<String, bool>,
    /// Warnings by lint.
    warnings: BTreeMap<String, BTreeMap<String, Lint>>,
}

/// One `cargo <subcommand> --keep-going` (`check` or `build`) over `selection`, recording the
/// packages `ours` accepts.
pub(crate) fn cargo_json(
    subcommand: &str,
    crates: &Path,
    target: &Path,
    jobs: usize,
    selection: &[String],
    ours: &dyn Fn(&str) -> bool,
    results: &mut Results,
) -> Result<(), String> {
    let mut each = |message: &serde_json::Value| {
        let Some(package) = message
            .get("package_id")
            .and_then(|p| p.as_str())
            .and_then(|id| package_name(id, ours))
        else {
            return;
        };
        match message.get("reason").and_then(|r| r.as_str()) {
            Some("compiler-message") => results.message(package, &message["message"]),
            Some("compiler-artifact") => {
                results.finished.insert(package, true);
            }
            _ => {}
        }
    };
    cargo_messages(subcommand, crates, target, jobs, selection, &mut each)
}

/// Runs `cargo <subcommand> --keep-going --message-format json` over `selection` in the
/// scratch workspace `crates` (its target directory `target`, without the caller's
/// `RUSTFLAGS`) and hands each JSON message cargo prints to `each`.
pub(crate) fn cargo_messages(
    subcommand: &str,
    crates: &Path,
    target: &Path,
    jobs: usize,
    selection: &[String],
    each: &mut dyn FnMut(&serde_json::Value),
) -> Result<(), String> {
    let mut child = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            subcommand,
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
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running cargo {subcommand}: {e}"))?;
    // cargo's own lines are passed on; one saying a rustc was killed by a signal (out of
    // memory, most often) fails the run: that crate's missing errors would read as "accepted".
    let stderr = child.stderr.take().expect("piped");
    let killed = std::thread::spawn(move || {
        let mut killed = None;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            if line.contains("(signal: ") {
                killed.get_or_insert(line);
            }
        }
        killed
    });
    let stdout = child.stdout.take().expect("piped");
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        if let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) {
            each(&message);
        }
    }
    child.wait().map_err(|e| e.to_string())?;
    match killed.join() {
        Ok(None) => Ok(()),
        Ok(Some(line)) => Err(format!(
            "cargo {subcommand}: a rustc process was killed, so its crate's errors are missing (out of memory? run the large clients alone with `--filter`): {}",
            line.trim()
        )),
        Err(_) => Err(format!("cargo {subcommand}: reading its stderr failed")),
    }
}

impl Results {
    /// Records one of rustc's diagnostics for `package`: its first error, or a warning by lint.
    fn message(&mut self, package: String, diagnostic: &serde_json::Value) {
        let text = diagnostic["rendered"]
            .as_str()
            .or(diagnostic["message"].as_str())
            .unwrap_or("error");
        match diagnostic["level"].as_str() {
            Some("error") if !self.first_error.contains_key(&package) => {
                self.first_error
                    .insert(package, super::worker::one_line(text));
            }
            Some("warning") => {
                // rustc's closing count ("N warnings emitted") has neither a lint nor a place.
                let spans = diagnostic["spans"].as_array().map_or(0, Vec::len);
                let code = diagnostic["code"]["code"].as_str();
                if code.is_none() && spans == 0 {
                    return;
                }
                let lint = self
                    .warnings
                    .entry(package)
                    .or_default()
                    .entry(code.unwrap_or("(none)").to_string())
                    .or_default();
                lint.count += 1;
                if lint.first.is_empty() {
                    lint.first = first_warning(diagnostic, text);
                }
            }
            _ => {}
        }
    }
}

/// A warning in one line: its message and where its primary span starts.
fn first_warning(diagnostic: &serde_json::Value, rendered: &str) -> String {
    let place = diagnostic["spans"]
        .as_array()
        .and_then(|spans| spans.iter().find(|s| s["is_primary"] == true))
        .map(|span| {
            format!(
                " ({}:{})",
                span["file_name"].as_str().unwrap_or("?"),
                span["line_start"]
            )
        })
        .unwrap_or_default();
    let message = diagnostic["message"].as_str().unwrap_or(rendered);
    format!("{}{place}", super::worker::one_line(message))
}

/// The package name of a cargo package id, when it is one of ours.
pub(super) fn package_name(id: &str, ours: &dyn Fn(&str) -> bool) -> Option<String> {
    // `path+file:///…/ours/x#ours-x@0.0.0` (or the older `ours-x 0.0.0 (path+…)`).
    let name = match id.split_once('#') {
        Some((_, rest)) => rest.split('@').next()?.to_string(),
        None => id.split(' ').next()?.to_string(),
    };
    ours(&name).then_some(name)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Results;

    #[test]
    fn warnings_are_counted_by_lint_and_the_closing_count_is_not_one() {
        let mut results = Results::default();
        let warning = |code: Option<&str>, line: u32| {
            json!({
                "level": "warning",
                "message": "variant `plus1` should have an upper camel case name",
                "code": code.map(|c| json!({"code": c})),
                "spans": [{"file_name": "src/lib.rs", "line_start": line, "is_primary": true}],
                "rendered": "warning: variant `plus1` should have an upper camel case name\n --> src/lib.rs:1:1\n",
            })
        };
        results.message("a".into(), &warning(Some("non_camel_case_types"), 43));
        results.message("a".into(), &warning(Some("non_camel_case_types"), 45));
        results.message("a".into(), &warning(None, 7));
        results.message(
            "a".into(),
            &json!({"level": "warning", "message": "3 warnings emitted", "code": null, "spans": []}),
        );
        results.message(
            "a".into(),
            &json!({"level": "error", "message": "boom", "rendered": "error: boom\nmore", "spans": []}),
        );
        let lints = &results.warnings["a"];
        assert_eq!(lints.len(), 2);
        assert_eq!(lints["non_camel_case_types"].count, 2);
        assert_eq!(
            lints["non_camel_case_types"].first,
            "variant `plus1` should have an upper camel case name (src/lib.rs:43)"
        );
        assert_eq!(lints["(none)"].count, 1);
        assert_eq!(results.first_error["a"], "error: boom");
    }
}
