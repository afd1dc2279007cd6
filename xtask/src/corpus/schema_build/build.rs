//! Building the annotated crates with one `cargo check` and mapping each of rustc's errors to
//! the type, or the injected drift, whose lines it is on.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::{BuildPlan, CONTRACT, DRIFTS, drifts_dir};
use crate::corpus::{Pipeline, Row, crate_dir, slug};

/// One error cargo reported in a scratch crate: file (relative to the crate), line, whether it
/// is one of `#[schema]`'s (a proc-macro error or a failed identity assertion), first line.
struct Reported {
    file: String,
    line: usize,
    ours: bool,
    message: String,
}

/// Builds every crate planned by `--schema --build` and records what rustc said in `rows`.
pub fn build(
    crates: &Path,
    root: &Path,
    rows: &mut [Row],
    files: &[std::path::PathBuf],
    jobs: usize,
) -> Result<(), String> {
    let mut packages = crate::corpus::check::Packages::new();
    let mut drift_crates = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let Some(plan) = planned(row) else {
            continue;
        };
        let name = format!("ours-{}", slug(&row.file));
        if !plan.drifts.is_empty() {
            packages.insert(format!("{name}{DRIFTS}"), (i, Pipeline::Ours));
            drift_crates.push(i);
        }
        packages.insert(name, (i, Pipeline::Ours));
    }
    let members: Vec<String> = drift_crates
        .iter()
        .map(|&i| format!("ours/{}{DRIFTS}", slug(&rows[i].file)))
        .collect();
    crate::corpus::check::write_workspace(crates, root, rows, false, &members)?;
    for (i, row) in rows
        .iter()
        .enumerate()
        .filter(|(_, r)| planned(r).is_some())
    {
        let dir = crate_dir(crates, Pipeline::Ours, row);
        declare_contract(&dir, &files[i], root)?;
    }
    for &i in &drift_crates {
        let dir = drifts_dir(&crate_dir(crates, Pipeline::Ours, &rows[i]));
        write_drift_manifest(&dir, &slug(&rows[i].file))?;
        declare_contract(&dir, &files[i], root)?;
    }
    pin(crates)?;
    let large = crate::corpus::check::large_packages(crates, rows, &packages);
    let target = crates.parent().unwrap_or(crates).join("target");
    let mut reported = BTreeMap::new();
    // When every crate is large (`--filter corpus/github`), the workspace minus them is empty.
    if large.len() < packages.len() {
        let mut selection = vec!["--workspace".to_string()];
        for name in &large {
            selection.extend(["--exclude".to_string(), name.clone()]);
        }
        reported.extend(cargo_check(crates, &target, jobs, &selection, &packages)?);
    }
    // In name order: an annotated crate before its drift crate, which is not built when the
    // annotated one has errors (cargo would only build the annotated one again).
    for name in &large {
        let annotated = name.strip_suffix(DRIFTS);
        if annotated.is_some_and(|a| reported.get(a).is_some_and(|r: &Vec<_>| !r.is_empty())) {
            continue;
        }
        eprintln!("corpus: building the large crate `{name}` alone");
        let selection = ["-p".to_string(), name.clone()];
        reported.extend(cargo_check(crates, &target, 1, &selection, &packages)?);
    }
    let none = Vec::new();
    for row in rows.iter_mut() {
        let name = format!("ours-{}", slug(&row.file));
        if let Some(plan) = row.ours.schema.as_mut().and_then(|s| s.build.as_mut()) {
            let annotated = reported.get(&name).unwrap_or(&none);
            let drifts = reported.get(&format!("{name}{DRIFTS}")).unwrap_or(&none);
            attribute_errors(plan, annotated, drifts);
        }
    }
    Ok(())
}

/// The build plan of a row the worker annotated.
fn planned(row: &Row) -> Option<&BuildPlan> {
    (row.ours.stage == "ok")
        .then(|| row.ours.schema.as_ref()?.build.as_ref())
        .flatten()
}

/// The manifest of the drift crate in `dir`: the scratch crates' dependencies, and the
/// annotated crate (`ours/<slug>`) it copies types from as `annotated`.
fn write_drift_manifest(dir: &Path, slug: &str) -> Result<(), String> {
    let manifest = format!(
        "[package]\nname = \"ours-{slug}{DRIFTS}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nannotated = {{ path = \"../{slug}\", package = \"ours-{slug}\" }}\n{}",
        crate::corpus::check::workspace_dependencies(),
    );
    let path = dir.join("Cargo.toml");
    std::fs::write(&path, manifest).map_err(|e| format!("`{}`: {e}", path.display()))
}

/// Adds `contract-macros` and the contract table to a scratch crate's manifest and copies the
/// spec beside it.
fn declare_contract(dir: &Path, source: &Path, root: &Path) -> Result<(), String> {
    let io = |what: &Path, e: std::io::Error| format!("`{}`: {e}", what.display());
    let extension = source
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("json");
    let spec = format!("spec.{extension}");
    std::fs::copy(source, dir.join(&spec)).map_err(|e| io(source, e))?;
    let manifest_path = dir.join("Cargo.toml");
    let mut manifest =
        std::fs::read_to_string(&manifest_path).map_err(|e| io(&manifest_path, e))?;
    manifest.push_str(&format!(
        "contract-macros = {{ path = {:?}, default-features = false }}\n\n[package.metadata.contract-guard.contracts.{CONTRACT}]\nspec = {spec:?}\n",
        root.join("contract-macros").to_string_lossy()
    ));
    std::fs::write(&manifest_path, manifest).map_err(|e| io(&manifest_path, e))
}

/// Pins every scratch crate's contract in the scratch workspace's `contract-guard.lock`.
fn pin(crates: &Path) -> Result<(), String> {
    use contract_core::error::with_causes;
    use contract_core::project::{pin, workspace::Workspace};
    let workspace =
        Workspace::load(Some(&crates.join("Cargo.toml"))).map_err(|e| with_causes(&e))?;
    let all: Vec<_> = workspace.contracts.iter().collect();
    pin::relock(&workspace, &all).map_err(|e| with_causes(&e))?;
    Ok(())
}

/// Maps each error of the annotated crate to the type whose lines it is on, and each of the
/// drift crate to the drift file it is in. When the annotated crate has errors, cargo did not
/// build the drift crate: that is the plan's failure, not drifts missed.
fn attribute_errors(plan: &mut BuildPlan, annotated: &[Reported], drifts: &[Reported]) {
    for error in drifts.iter().filter(|e| e.ours) {
        let file = error.file.strip_prefix("src/").unwrap_or(&error.file);
        if file.starts_with("drift_") && !plan.caught.iter().any(|c| c == file) {
            plan.caught.push(file.to_string());
        }
    }
    let mut rejected: BTreeMap<String, String> = BTreeMap::new();
    for error in annotated {
        let index = plan.lines.iter().rposition(|&start| start <= error.line);
        let owner = match (error.file.as_str(), index) {
            ("src/lib.rs", Some(i)) => plan.annotated[i].0.clone(),
            _ => format!(
                "(outside the annotated types: {}:{})",
                error.file, error.line
            ),
        };
        rejected
            .entry(owner)
            .or_insert_with(|| error.message.clone());
    }
    plan.rejected = rejected.into_iter().collect();
    if !plan.rejected.is_empty() && !plan.drifts.is_empty() {
        plan.failure = Some(format!(
            "its {} drifts were not built: the annotated crate they depend on has errors",
            plan.drifts.len()
        ));
    }
}

/// One `cargo check --keep-going` over `selection`: every error, by package.
fn cargo_check(
    crates: &Path,
    target: &Path,
    jobs: usize,
    selection: &[String],
    packages: &crate::corpus::check::Packages,
) -> Result<BTreeMap<String, Vec<Reported>>, String> {
    let mut out: BTreeMap<String, Vec<Reported>> = BTreeMap::new();
    let mut each = |message: &Value| {
        if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
            return;
        }
        let Some(package) = message["package_id"].as_str().and_then(|id| {
            crate::corpus::check::package_name(id, &|name| packages.contains_key(name))
        }) else {
            return;
        };
        let diagnostic = &message["message"];
        let Some((file, line)) = crate_location(diagnostic) else {
            return;
        };
        let code = diagnostic["code"]["code"].as_str();
        out.entry(package).or_default().push(Reported {
            file,
            line,
            ours: code.is_none() || code == Some("E0080"),
            message: crate::corpus::worker::one_line(
                diagnostic["message"].as_str().unwrap_or("error"),
            ),
        });
    };
    crate::corpus::check::cargo_messages("check", crates, target, jobs, selection, &mut each)?;
    Ok(out)
}

/// Where in the crate a diagnostic is: its primary span, or for an error raised inside a macro
/// of another crate (a `panic!` in a constant) the place in the crate it was expanded from; the
/// file relative to the crate (`src/lib.rs`) and the line.
fn crate_location(diagnostic: &Value) -> Option<(String, usize)> {
    let spans = diagnostic["spans"].as_array()?;
    let mut candidates: Vec<&Value> = spans.iter().filter(|s| s["is_primary"] == true).collect();
    candidates.extend(spans.iter().filter(|s| s["is_primary"] != true));
    while let Some(span) = candidates.first().copied() {
        candidates.remove(0);
        let file = span["file_name"].as_str().unwrap_or_default();
        if let Some(index) = file.find("/src/").filter(|_| !file.starts_with('/')) {
            let line = span["line_start"].as_u64().unwrap_or_default() as usize;
            return Some((file[index + 1..].to_string(), line));
        }
        if span["expansion"]["span"].is_object() {
            candidates.push(&span["expansion"]["span"]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(file: &str, line: usize, ours: bool) -> Reported {
        Reported {
            file: file.into(),
            line,
            ours,
            message: format!("error at {file}:{line}"),
        }
    }

    fn plan() -> BuildPlan {
        let drift = |file: &str| {
            (
                file.into(),
                "6-type-swapped".into(),
                "A".into(),
                String::new(),
            )
        };
        BuildPlan {
            annotated: vec![("A".into(), "name".into()), ("B".into(), "name".into())],
            lines: vec![2, 10],
            drifts: vec![drift("drift_0.rs"), drift("drift_1.rs")],
            ..BuildPlan::default()
        }
    }

    #[test]
    fn drift_errors_of_the_attribute_are_drifts_caught() {
        let mut clean = plan();
        let drifts = [
            error("src/drift_0.rs", 4, true),
            error("src/drift_1.rs", 4, false),
        ];
        attribute_errors(&mut clean, &[], &drifts);
        assert_eq!(clean.caught, ["drift_0.rs"], "another error is no catch");
        assert!(clean.rejected.is_empty() && clean.failure.is_none());
    }

    #[test]
    fn errors_of_the_annotated_crate_reject_types_and_leave_drifts_unbuilt() {
        let mut rejected = plan();
        attribute_errors(&mut rejected, &[error("src/lib.rs", 12, true)], &[]);
        assert_eq!(
            rejected.rejected,
            [("B".into(), "error at src/lib.rs:12".into())]
        );
        let failure = rejected.failure.unwrap_or_default();
        assert!(failure.contains("2 drifts were not built"), "{failure}");
    }
}
