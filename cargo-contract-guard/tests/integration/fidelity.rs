//! Fidelity (issue 19): rewrites that change what a request sends, or stand in for a dangling
//! `$ref`, stop generation (exit 2) unless the contract accepts them by name; accepted or
//! merely lossy rewrites are recorded in the header and the lock, and `check` reports the
//! client as `degraded` (information, exit 0) in every output format.

use crate::support::{Project, assert_has};

const OUT: &str = "src/generated/pets.rs";

/// A project declaring `pets` from the fixture `fidelity/<spec>`, with `accept` when given.
fn project(spec: &str, accept: Option<&str>) -> Project {
    let project = Project::single("app");
    project.copy_fixture(&format!("fidelity/{spec}"), "specs/pets.yaml");
    project
        .run(&["add", "pets", "specs/pets.yaml", "--output", OUT])
        .expect(0);
    if let Some(accept) = accept {
        set_accept(&project, accept);
    }
    project
}

/// Sets the contract's `accept` list (`accept` is TOML, e.g. `["unsupported-body"]`).
fn set_accept(project: &Project, accept: &str) {
    let manifest = project.read("Cargo.toml");
    let mut lines: Vec<String> = manifest
        .lines()
        .filter(|l| !l.starts_with("accept = "))
        .map(str::to_string)
        .collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("output = "))
        .expect("the contract table written by `add`");
    lines.insert(at + 1, format!("accept = {accept}"));
    project.write("Cargo.toml", &(lines.join("\n") + "\n"));
}

#[test]
fn a_dangling_ref_stops_generation_naming_the_file_pointer_and_reference() {
    let project = project("dangling-ref.yaml", None);
    let lock_before = project.read("contract-guard.lock");
    let run = project.run(&["generate"]).expect(2);
    assert_has(&run.stderr, "error: ");
    assert_has(&run.stderr, "specs/pets.yaml");
    assert_has(
        &run.stderr,
        "[normalize/ref-unresolved] /components/schemas/Pet/properties/owner: `$ref: #/components/schemas/Owner` cannot be resolved",
    );
    assert_has(&run.stderr, "fix the references in the spec");
    assert!(!project.path(OUT).exists(), "no client is written");
    assert_eq!(project.read("contract-guard.lock"), lock_before);

    // Accepted, it generates, and the loss is on record.
    set_accept(&project, "[\"ref-unresolved\"]");
    project.run(&["generate"]).expect(0);
    let header = project.read(OUT);
    assert_has(&header, "// lossy: normalize/ref-unresolved=1\n");
}

#[test]
fn a_request_changing_rewrite_is_refused_until_accepted() {
    let project = project("lossy.yaml", None);
    let run = project.run(&["generate"]).expect(2);
    assert_has(
        &run.stderr,
        "[normalize/unsupported-body] /paths/~1pets~1{id}~1photo/post: operation `POST /pets/{id}/photo` dropped: its request body is `multipart/form-data`, and its schema is not an object of named properties",
    );
    assert_has(&run.stderr, "accept = [\"unsupported-body\"]");
    assert!(!project.path(OUT).exists());

    set_accept(&project, "[\"unsupported-body\"]");
    let run = project.run(&["generate"]).expect(0);
    assert_has(
        &run.stderr,
        "Degraded app/pets: 2 lossy rewrite(s) recorded in the header and the lock (normalize/enum-values ×1, normalize/unsupported-body ×1)",
    );
    assert_has(
        &project.read(OUT),
        "// lossy: normalize/enum-values=1, normalize/unsupported-body=1\n",
    );
    let lock = project.read("contract-guard.lock");
    assert_has(
        &lock,
        "[contract.lossy]\n\"normalize/enum-values\" = 1\n\"normalize/unsupported-body\" = 1\n",
    );
    assert_has(&lock, "version = 2\n");
    // A lock deleted and re-created takes the record back from the intact file's header.
    std::fs::remove_file(project.path("contract-guard.lock")).unwrap();
    project.run(&["lock"]).expect(0);
    assert_eq!(project.read("contract-guard.lock"), lock);
}

#[test]
fn accept_is_validated_and_part_of_the_options_fingerprint() {
    let project = project("lossy.yaml", Some("[\"unsuported-body\"]"));
    let run = project.run(&["generate"]).expect(2);
    assert_has(
        &run.stderr,
        "`unsuported-body` in `accept` is not a rewrite rule: did you mean `unsupported-body`?",
    );
    set_accept(&project, "[\"operation-id\"]");
    let run = project.run(&["status"]).expect(2);
    assert_has(&run.stderr, "`normalize/operation-id` is lossless");

    set_accept(&project, "[\"unsupported-body\"]");
    project.run(&["generate"]).expect(0);
    project.run(&["check"]).expect(0);
    // The same rule by its full id is the same option.
    set_accept(&project, "[\"normalize/unsupported-body\"]");
    project.run(&["check"]).expect(0);
    set_accept(&project, "[\"unsupported-body\", \"body-json\"]");
    let run = project.run(&["check"]).expect(1);
    assert_has(&run.stdout, "drift[stale-generated]");
    assert_has(&run.stdout, "the generator options in Cargo.toml changed");
}

#[test]
fn check_reports_a_degraded_client_as_information_in_every_format() {
    let project = project("lossy.yaml", Some("[\"unsupported-body\"]"));
    project.run(&["generate"]).expect(0);

    let human = project.run(&["check"]).expect(0);
    assert_has(
        &human.stdout,
        "info[degraded]: generated client `src/generated/pets.rs` is degraded: 2 lossy rewrite(s) of the spec (normalize/enum-values ×1, normalize/unsupported-body ×1); operations affected: `POST /pets/{id}/photo`; types affected: `Pet`",
    );
    assert_has(&human.stdout, "--> src/generated/pets.rs:6");
    assert_has(
        &human.stderr,
        "Checked 1 contract(s): no drift (1 degraded client(s))",
    );

    let json = project
        .run(&["check", "--message-format", "json"])
        .expect(0);
    let lines: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let finding = &lines[0];
    assert_eq!(finding["kind"], "degraded", "{}", json.stdout);
    assert_eq!(finding["level"], "info");
    assert_eq!(finding["file"], OUT);
    assert_eq!(finding["line"], 6);
    assert_has(
        finding["message"].as_str().unwrap(),
        "operations affected: `POST /pets/{id}/photo`",
    );
    let summary = lines.last().unwrap();
    assert_eq!(summary["findings"], 1);
    assert_eq!(summary["failing"], 0);

    let sarif = project
        .run(&["check", "--message-format", "sarif"])
        .expect(0);
    let sarif: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "degraded", "{sarif}");
    assert_eq!(result["level"], "note", "{sarif}");
    assert_has(
        result["message"]["text"].as_str().unwrap(),
        "types affected: `Pet`",
    );

    let github = project
        .run(&["check", "--message-format", "github"])
        .expect(0);
    assert_has(&github.stdout, "::notice file=src/generated/pets.rs,line=6");
}

#[test]
fn a_faithful_client_records_no_loss_and_is_not_degraded() {
    let project = Project::single("app");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    project
        .run(&[
            "add",
            "mini",
            "specs/mini.yaml",
            "--output",
            "src/generated/mini.rs",
        ])
        .expect(0);
    project.run(&["generate"]).expect(0);
    assert_has(&project.read("src/generated/mini.rs"), "\n// lossy: none\n");
    assert!(!project.read("contract-guard.lock").contains("lossy"));
    let run = project
        .run(&["check", "--message-format", "json"])
        .expect(0);
    assert!(!run.stdout.contains("degraded"), "{}", run.stdout);
}
