//! The workspace-wide gate: cross-crate drift in every output format, SARIF validated against
//! the SARIF 2.1.0 schema, GitHub annotations and JSON shape as snapshots, `--locked`,
//! `--quiet`.

use std::path::Path;

use crate::support::{Project, assert_has, fixture};

/// A copy of `tests/fixtures/workspace-drift`: three crates, two of which pin the same API
/// (`Payments` at `https://payments.example.com/v1`) at different versions.
fn drift_workspace() -> Project {
    let project = Project::empty();
    copy_dir(&fixture("workspace-drift"), project.dir.path());
    project.run(&["lock"]).expect(0);
    project
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn cross_crate_drift_in_every_format() {
    let project = drift_workspace();
    let human = project.run(&["check"]).expect(1);
    // Only the two crates pinning `Payments`; `catalog` is not named.
    insta::assert_snapshot!("cross_crate_human", human.transcript(&project));

    let json = project
        .run(&["check", "--message-format", "json"])
        .expect(1);
    insta::assert_snapshot!("cross_crate_json", json.stdout);
    let github = project
        .run(&["check", "--message-format", "github"])
        .expect(1);
    insta::assert_snapshot!("cross_crate_github", github.stdout);
    let sarif = project
        .run(&["check", "--message-format", "sarif"])
        .expect(1);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "cross-crate-drift");
    assert_valid_sarif(&log);

    // Pinning both crates to the same version clears it.
    std::fs::copy(
        project.path("payments-b/specs/payments.yaml"),
        project.path("payments-a/specs/payments.yaml"),
    )
    .unwrap();
    project.run(&["lock"]).expect(0);
    project.run(&["check"]).expect(0);
}

#[test]
fn an_explicit_id_groups_contracts_with_different_specs() {
    let project = drift_workspace();
    // Different server: no longer the same API by title and server...
    let b = project.read("payments-b/specs/payments.yaml");
    project.write(
        "payments-b/specs/payments.yaml",
        &b.replace(
            "https://payments.example.com/v1",
            "https://eu.payments.example.com/v1",
        ),
    );
    project.run(&["lock"]).expect(0);
    project.run(&["check"]).expect(0);
    // ...unless the tables say so.
    for krate in ["payments-a", "payments-b"] {
        let manifest = project.read(&format!("{krate}/Cargo.toml"));
        project.write(
            &format!("{krate}/Cargo.toml"),
            &format!("{manifest}id = \"payments-api\"\n"),
        );
    }
    let run = project
        .run(&["check", "--message-format", "json"])
        .expect(1);
    assert_has(
        &run.stdout,
        "`payments-api` is pinned at different fingerprints",
    );
}

/// Every finding kind in SARIF, validated against the official schema.
#[test]
fn sarif_is_valid_for_every_finding_kind() {
    let project = crate::generate::generated_project();
    let text = project.read("src/generated/mini.rs");
    project.write(
        "src/generated/mini.rs",
        &text.replacen("pub id: i64", "pub id: i32", 1),
    );
    project.copy_fixture("mini.yaml", "specs/other.yaml");
    let manifest = project.read("Cargo.toml");
    project.write("Cargo.toml", &format!("{manifest}\n[package.metadata.contract-guard.contracts.other]\nspec = \"specs/other.yaml\"\n"));
    let run = project
        .run(&["check", "--message-format", "sarif"])
        .expect(1);
    let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let rules: Vec<_> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["hand-edited", "not-locked"]);
    assert!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap()
            > 5
    );
    let rule_ids: Vec<_> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(
        rule_ids.contains(&"cross-crate-drift") && rule_ids.contains(&"spec-changed"),
        "{rule_ids:?}"
    );
    assert_valid_sarif(&log);
    // A clean run is a valid, empty log.
    project.write("src/generated/mini.rs", &text);
    project.run(&["lock"]).expect(0);
    let clean = project
        .run(&["check", "--message-format", "sarif"])
        .expect(0);
    let log: serde_json::Value = serde_json::from_str(&clean.stdout).unwrap();
    assert!(log["runs"][0]["results"].as_array().unwrap().is_empty());
    assert_valid_sarif(&log);
}

fn fix_language_pattern(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) if s == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" => {
            *s = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
        }
        serde_json::Value::Object(map) => map.values_mut().for_each(fix_language_pattern),
        serde_json::Value::Array(items) => items.iter_mut().for_each(fix_language_pattern),
        _ => {}
    }
}

pub(crate) fn assert_valid_sarif(log: &serde_json::Value) {
    let mut schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("sarif-2.1.0-rtm.5.json")).unwrap()).unwrap();
    // Erratum in the published schema: the `language` patterns have a stray `]`, which strict
    // regex engines reject. Use the corrected pattern of later SARIF schema revisions.
    fix_language_pattern(&mut schema);
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF: {errors:#?}\n{log:#}");
}

#[test]
fn locked_refuses_to_change_the_lock() {
    let project = drift_workspace();
    project.run(&["lock", "--locked"]).expect(0);
    let before = project.read("contract-guard.lock");
    let catalog = project.read("catalog/specs/catalog.yaml");
    project.write(
        "catalog/specs/catalog.yaml",
        &catalog.replace("version: 2.0.0", "version: 2.0.1"),
    );
    let run = project.run(&["lock", "--locked"]).expect(1);
    insta::assert_snapshot!("locked_lock", run.transcript(&project));
    project.run(&["lock", "--frozen"]).expect(1);
    assert_eq!(
        project.read("contract-guard.lock"),
        before,
        "nothing written"
    );
    let run = project
        .run(&["check", "--locked", "-p", "catalog"])
        .expect(1);
    insta::assert_snapshot!("locked_check", run.transcript(&project));

    let generated = crate::generate::generated_project();
    generated.run(&["generate", "--locked"]).expect(0);
    let manifest = generated.read("Cargo.toml");
    generated.write(
        "Cargo.toml",
        &manifest.replace(
            "output = \"src/generated/mini.rs\"\n",
            "output = \"src/generated/mini.rs\"\nderives = [\"PartialEq\"]\n",
        ),
    );
    let run = generated.run(&["generate", "--locked"]).expect(1);
    insta::assert_snapshot!("locked_generate", run.transcript(&generated));
    generated
        .run(&["generate", "--relock", "--locked"])
        .expect(2);
}

#[test]
fn quiet_prints_only_findings() {
    let project = drift_workspace();
    let quiet = project.run(&["--quiet", "lock"]).expect(0);
    assert_eq!(quiet.stderr, "");
    let run = project.run(&["check", "-q", "-p", "catalog"]).expect(0);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    let run = project.run(&["check", "-q"]).expect(1);
    insta::assert_snapshot!("quiet_drift", run.transcript(&project));
}
