//! `diff` and `update`: exit codes and formats on files and contracts, suppressions from
//! Cargo.toml, the pinned-spec cache and its git fallback, `update` refusing breaking changes
//! without touching anything, and the golden summary of the GitHub pair (skipped without the
//! corpus).

use std::collections::BTreeMap;
use std::process::Command;

use crate::generate::generated_project;
use crate::support::{Project, assert_has, corpus, fixture, skipped};

const OUT: &str = "src/generated/mini.rs";
const LOCK: &str = "contract-guard.lock";

/// The mini spec with a response enum value added: a breaking change.
fn breaking_edit(project: &Project) {
    let spec = project.read("specs/mini.yaml");
    project.write(
        "specs/mini.yaml",
        &spec.replace(
            "enum: ['yes', 'no', 'on', 'off']",
            "enum: ['yes', 'no', 'on', 'off', 'maybe']",
        ),
    );
}

/// The mini spec with an optional query parameter added: compatible.
fn compatible_edit(project: &Project) {
    let spec = project.read("specs/mini.yaml");
    project.write(
        "specs/mini.yaml",
        &spec.replace(
            "      responses:\n",
            "        - name: verbose\n          in: query\n          schema:\n            type: boolean\n      responses:\n",
        ),
    );
}

#[test]
fn files_exit_codes_and_formats() {
    let project = Project::empty();
    project.copy_fixture("mini.yaml", "old.yaml");
    project.copy_fixture("mini.yaml", "new.yaml");
    let unchanged = project.run(&["diff", "old.yaml", "new.yaml"]).expect(0);
    insta::assert_snapshot!("files_unchanged", unchanged.transcript(&project));

    let spec = project.read("new.yaml");
    project.write(
        "new.yaml",
        &spec.replace("required: [id, name]", "required: [id]"),
    );
    let run = project.run(&["diff", "old.yaml", "new.yaml"]).expect(1);
    insta::assert_snapshot!("files_breaking", run.transcript(&project));
    project
        .run(&["diff", "old.yaml", "new.yaml", "--fail-on", "security"])
        .expect(0);
    // Backwards the same edit is compatible.
    project.run(&["diff", "new.yaml", "old.yaml"]).expect(0);
    project
        .run(&["diff", "new.yaml", "old.yaml", "--fail-on", "info"])
        .expect(1);

    let json = project
        .run(&["diff", "old.yaml", "new.yaml", "--format", "json"])
        .expect(1);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["summary"]["breaking"], 1, "{doc}");
    assert_eq!(doc["failed"], true);
    assert_eq!(doc["old"]["source"], "old.yaml");
    let change = &doc["changes"][0];
    assert_eq!(change["rule"], "response-property-became-optional");
    assert_eq!(change["severity"], "breaking");
    assert_eq!(change["operation"], "GET /items/{id}");
    assert_eq!(change["operation_id"], "getItem");
    assert_eq!(
        change["new_pointer"],
        "/components/schemas/Item/properties/name"
    );
    assert_eq!(change["ignored"], serde_json::Value::Null);

    let md = project
        .run(&["diff", "old.yaml", "new.yaml", "--format", "markdown"])
        .expect(1);
    insta::assert_snapshot!("files_markdown", md.transcript(&project));

    // Bad input is an error (exit 2), never a verdict.
    let missing = project.run(&["diff", "old.yaml", "nope.yaml"]).expect(2);
    // Not a snapshot: the cause is the operating system's wording of "no such file".
    assert_has(&missing.stderr, "error: ");
    project.write(
        "swagger.yaml",
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    project.run(&["diff", "swagger.yaml", "old.yaml"]).expect(3);
    project.run(&["diff", "old.yaml"]).expect(2);
}

#[test]
fn contract_name_compares_the_pin_with_the_spec_on_disk() {
    let project = generated_project();
    project.run(&["diff", "mini"]).expect(0);
    breaking_edit(&project);
    let run = project.run(&["diff", "mini"]).expect(1);
    insta::assert_snapshot!("contract_breaking", run.transcript(&project));
    // A contract name and a file mix.
    project.copy_fixture("mini.yaml", "original.yaml");
    project.run(&["diff", "original.yaml", "mini"]).expect(1);
    project.run(&["diff", "mini", "original.yaml"]).expect(0);
    // `check` says what kind of change moved the spec.
    let check = project
        .run(&["check", "--message-format", "json"])
        .expect(1);
    assert_has(&check.stdout, "1 breaking and 0 security change(s)");
    let nosuch = project.run(&["diff", "nosuch"]).expect(2);
    insta::assert_snapshot!("contract_unknown", nosuch.transcript(&project));
}

#[test]
fn suppressions_from_cargo_toml() {
    let project = generated_project();
    breaking_edit(&project);
    let manifest = project.read("Cargo.toml");
    let table = "[package.metadata.contract-guard.contracts.mini.diff]\n";
    let with = |extra: &str| format!("{manifest}\n{table}{extra}");
    project.write(
        "Cargo.toml",
        &with("ignore = [{ rule = \"response-enum-value-added\", operation = \"getItem\", reason = \"clients match `mode` with a catch-all\" }, { rule = \"version-not-bumped\", reason = \"internal API\" }]\n"),
    );
    let run = project.run(&["diff", "mini"]).expect(0);
    insta::assert_snapshot!("suppressed_ignored", run.transcript(&project));

    project.write(
        "Cargo.toml",
        &with("severity = { \"response-enum-value-added\" = \"warning\" }\n"),
    );
    let run = project.run(&["diff", "mini"]).expect(0);
    insta::assert_snapshot!("suppressed_severity", run.transcript(&project));
    project
        .run(&["diff", "mini", "--fail-on", "warning"])
        .expect(1);

    project.write("Cargo.toml", &with("fail-on = \"security\"\n"));
    project.run(&["diff", "mini"]).expect(0);
    project
        .run(&["diff", "mini", "--fail-on", "breaking"])
        .expect(1);

    project.write(
        "Cargo.toml",
        &with("severity = { \"response-enum-value-add\" = \"info\" }\n"),
    );
    let bad = project.run(&["diff", "mini"]).expect(2);
    insta::assert_snapshot!("suppressed_unknown_rule", bad.transcript(&project));
    project.write(
        "Cargo.toml",
        &with("ignore = [{ rule = \"path-removed\", reason = \"\" }]\n"),
    );
    project.run(&["diff", "mini"]).expect(2);
}

#[test]
fn sarif_and_github_annotate_the_new_spec() {
    let project = generated_project();
    breaking_edit(&project);
    // The added enum value is reported on the `mode` property of the spec on disk.
    let line = project
        .read("specs/mini.yaml")
        .lines()
        .position(|l| l.trim() == "mode:")
        .unwrap()
        + 1;

    let sarif = project
        .run(&["diff", "mini", "--format", "sarif"])
        .expect(1);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    crate::gate::assert_valid_sarif(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let added = results
        .iter()
        .find(|r| r["ruleId"] == "response-enum-value-added")
        .unwrap_or_else(|| panic!("{log:#}"));
    assert_eq!(added["level"], "error");
    let location = &added["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "specs/mini.yaml");
    assert_eq!(location["region"]["startLine"], line);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(
        rules[added["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "response-enum-value-added"
    );

    let github = project
        .run(&["diff", "mini", "--format", "github"])
        .expect(1);
    assert_has(
        &github.stdout,
        &format!(
            "::error file=specs/mini.yaml,line={line},title=response-enum-value-added::breaking: "
        ),
    );

    // Accepted changes stay in SARIF as suppressed results and leave the annotations.
    let manifest = project.read("Cargo.toml");
    project.write(
        "Cargo.toml",
        &format!("{manifest}\n[package.metadata.contract-guard.contracts.mini.diff]\nignore = [{{ rule = \"response-enum-value-added\", reason = \"clients have a catch-all\" }}]\n"),
    );
    let sarif = project
        .run(&["diff", "mini", "--format", "sarif"])
        .expect(0);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    crate::gate::assert_valid_sarif(&log);
    let added = &log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "response-enum-value-added")
        .unwrap()["suppressions"][0];
    assert_eq!(added["kind"], "external");
    assert_eq!(added["justification"], "clients have a catch-all");
    let github = project
        .run(&["diff", "mini", "--format", "github"])
        .expect(0);
    assert!(
        !github.stdout.contains("response-enum-value-added"),
        "{}",
        github.stdout
    );
}

#[test]
fn specs_spanning_several_files_are_compared_with_their_files() {
    let pet = |required: &str| {
        format!(
            "type: object\nrequired: {required}\nproperties:\n  id: {{type: string}}\n  name: {{type: string}}\n"
        )
    };
    let project = Project::single("app");
    project.write(
        "specs/api.yaml",
        "openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths:\n  /pets/{id}:\n    get:\n      operationId: getPet\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Pet'\ncomponents:\n  schemas:\n    Pet:\n      $ref: 'common/pet.yaml'\n",
    );
    project.write("specs/common/pet.yaml", &pet("[id, name]"));
    project
        .run(&["add", "api", "specs/api.yaml", "--no-deps"])
        .expect(0);
    project.run(&["diff", "api"]).expect(0);

    // Only the referenced file changes: `name` becomes optional in a response.
    project.write("specs/common/pet.yaml", &pet("[id]"));
    let run = project.run(&["diff", "api"]).expect(1);
    // The change is placed in the file it was made in (`specs/common/pet.yaml:5`), not on the
    // root's `$ref`.
    insta::assert_snapshot!("spanning_breaking", run.transcript(&project));
    let github = project
        .run(&["diff", "api", "--format", "github"])
        .expect(1);
    assert_has(&github.stdout, "file=specs/common/pet.yaml,line=5");
    let check = project
        .run(&["check", "--message-format", "json"])
        .expect(1);
    assert_has(&check.stdout, "1 breaking and 0 security change(s)");
    let update = project.run(&["update", "api"]).expect(1);
    insta::assert_snapshot!("spanning_update_refused", update.transcript(&project));

    // Two files on the command line: each with its own referenced files.
    project.write("old/api.yaml", &project.read("specs/api.yaml"));
    project.write("old/common/pet.yaml", &pet("[id, name]"));
    let files = project
        .run(&["diff", "old/api.yaml", "specs/api.yaml", "--format", "json"])
        .expect(1);
    let doc: serde_json::Value = serde_json::from_str(&files.stdout).unwrap();
    assert_eq!(
        doc["changes"][0]["rule"],
        "response-property-became-optional"
    );
    let sarif = project
        .run(&[
            "diff",
            "old/api.yaml",
            "specs/api.yaml",
            "--format",
            "sarif",
        ])
        .expect(1);
    assert_has(&sarif.stdout, r#""uri": "specs/common/pet.yaml""#);

    // Without the cache, the pin is found in git: the spec and its files as committed.
    project.write("specs/common/pet.yaml", &pet("[id, name]"));
    if !commit_all(&project) {
        return;
    }
    std::fs::remove_dir_all(project.path("target/contract-guard")).unwrap();
    project.write("specs/common/pet.yaml", &pet("[id]"));
    let run = project.run(&["diff", "api"]).expect(1);
    insta::assert_snapshot!("spanning_from_git", run.transcript(&project));
}

#[test]
fn update_refuses_breaking_changes_and_touches_nothing() {
    let project = generated_project();
    let lock_before = project.read(LOCK);
    let generated_before = project.read(OUT);
    breaking_edit(&project);
    let refused = project.run(&["update", "mini"]).expect(1);
    insta::assert_snapshot!("update_refused", refused.transcript(&project));
    assert_eq!(project.read(LOCK), lock_before);
    assert_eq!(project.read(OUT), generated_before);

    let accepted = project
        .run(&["update", "mini", "--allow-breaking"])
        .expect(0);
    insta::assert_snapshot!("update_allowed", accepted.transcript(&project));
    assert_ne!(project.read(LOCK), lock_before);
    assert!(
        project.read(OUT).contains("Maybe"),
        "the client was regenerated"
    );
    project.run(&["check"]).expect(0);
    let fresh = project.run(&["update", "mini"]).expect(0);
    insta::assert_snapshot!("update_fresh", fresh.transcript(&project));
    // The new pin is in the cache: the next diff starts from it.
    project.run(&["diff", "mini"]).expect(0);
}

#[test]
fn update_applies_compatible_changes_in_one_step() {
    let project = generated_project();
    compatible_edit(&project);
    project.run(&["check"]).expect(1);
    let run = project.run(&["update", "mini", "-v"]).expect(0);
    insta::assert_snapshot!("update_compatible", run.transcript(&project));
    assert!(
        project.read(OUT).contains("verbose"),
        "the client was regenerated"
    );
    project.run(&["check"]).expect(0);
}

/// Makes the project a git repository with everything committed; `false` (after saying so)
/// when git is not installed.
fn commit_all(project: &Project) -> bool {
    let git = |args: &[&str]| {
        Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.invalid",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(project.dir.path())
            .output()
    };
    if git(&["init", "-q"]).is_err() {
        skipped("the git fallback: git is not installed");
        return false;
    }
    git(&["add", "-A"]).unwrap();
    assert!(git(&["commit", "-qm", "pin"]).unwrap().status.success());
    true
}

#[test]
fn a_pin_without_a_copy_is_found_in_git_or_reported() {
    let project = generated_project();
    std::fs::remove_dir_all(project.path("target/contract-guard")).unwrap();
    breaking_edit(&project);
    let run = project.run(&["diff", "mini"]).expect(2);
    insta::assert_snapshot!("pin_without_a_copy", run.transcript(&project));
    project.run(&["update", "mini"]).expect(2);

    // Commit the pinned spec, then edit it again in the working tree.
    let edited = project.read("specs/mini.yaml");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    if !commit_all(&project) {
        return;
    }
    project.write("specs/mini.yaml", &edited);
    let run = project.run(&["diff", "mini"]).expect(1);
    insta::assert_snapshot!("pin_from_git", run.transcript(&project));
    // The copy found in git is cached for next time.
    std::fs::remove_dir_all(project.path(".git")).unwrap();
    project.run(&["diff", "mini"]).expect(1);
}

/// Counts per rule id of the GitHub pair, checked against `tests/fixtures/github-v22-v23.rules`
/// (regenerate with `UPDATE_GOLDEN=1`).
#[test]
#[cfg_attr(no_corpus, ignore = "needs the corpus at ../shared/corpus (absent)")]
fn github_pair_golden_summary() {
    let Some(corpus) = corpus() else { return };
    let dir = corpus.join("github");
    let load = |name: &str| {
        contract_core::spec::parse_file(&dir.join(name))
            .unwrap()
            .document
    };
    let (old, new) = std::thread::scope(|s| {
        let old = s.spawn(|| load("api.github.com-v22.0.0.json"));
        let new = load("api.github.com-v23.0.2.json");
        (old.join().unwrap(), new)
    });
    let report = contract_core::gates::diff::diff(&old, &new, &Default::default());
    let counts: BTreeMap<&str, usize> = report.rule_counts();
    let mut text =
        String::from("# rule-id count: `diff` of the GitHub REST description v22.0.0 -> v23.0.2\n");
    for (rule, count) in &counts {
        text.push_str(&format!("{rule} {count}\n"));
    }
    let s = report.summary();
    text.push_str(&format!("# {s}\n"));
    let golden = fixture("github-v22-v23.rules");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap();
    assert_eq!(
        text, expected,
        "run with UPDATE_GOLDEN=1 to accept the new summary"
    );
    std::mem::forget((old, new));
}

/// The book's rule catalogue names every rule (validation keywords as a family).
#[test]
fn book_documents_every_rule() {
    let page = crate::support::repo_root().join("docs/src/diff-rules.md");
    let catalogue = std::fs::read_to_string(page).unwrap();
    let keywords = [
        "maximum",
        "minimum",
        "max-length",
        "min-length",
        "max-items",
        "min-items",
        "max-properties",
        "min-properties",
        "pattern",
        "multiple-of",
        "unique-items",
    ];
    for rule in contract_core::gates::diff::Rule::ALL {
        let id = rule.id();
        let keyword = keywords.iter().find(|k| {
            ["request-", "response-"]
                .iter()
                .any(|d| id == format!("{d}{k}-tightened") || id == format!("{d}{k}-loosened"))
        });
        match keyword {
            Some(k) => assert!(
                catalogue.contains(&format!("`{k}`")),
                "docs/src/diff-rules.md lacks keyword `{k}`"
            ),
            None => assert!(
                catalogue.contains(&format!("| `{id}` | {} |", rule.default_severity())),
                "docs/src/diff-rules.md lacks a catalogue row for `{id}`"
            ),
        }
    }
}

/// Every corpus spec diffed against a second parse of itself has no change (skipped without
/// the corpus): the matching never pairs a thing with the wrong counterpart.
#[test]
#[cfg_attr(no_corpus, ignore = "needs the corpus at ../shared/corpus (absent)")]
fn corpus_self_diffs_are_empty() {
    let Some(corpus) = corpus() else { return };
    let mut checked = 0;
    for dir in ["apis-guru", "yaml"] {
        let mut files: Vec<_> = std::fs::read_dir(corpus.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let Ok(a) = contract_core::spec::parse_file(&file) else {
                continue;
            };
            let b = contract_core::spec::parse_file(&file).unwrap();
            let changes = contract_core::gates::diff::compare(&a.document, &b.document);
            assert!(
                changes.is_empty(),
                "{}: {:?}",
                file.display(),
                &changes[..changes.len().min(3)]
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} specs parsed");
}
