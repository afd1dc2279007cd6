//! `check`: one test per finding kind, asserting the kind, the file and the exit code.

use crate::generate::generated_project;
use crate::support::{Project, Run, assert_has};

const OUT: &str = "src/generated/mini.rs";

/// The findings of a `check --message-format json` run.
pub(crate) fn findings(run: &Run) -> Vec<serde_json::Value> {
    run.stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "finding")
        .collect()
}

#[track_caller]
fn expect_single(project: &Project, kind: &str, file: &str) -> serde_json::Value {
    let run = project
        .run(&["check", "--message-format", "json"])
        .expect(1);
    let found = findings(&run);
    assert_eq!(found.len(), 1, "{}", run.stdout);
    assert_eq!(found[0]["kind"], kind, "{}", run.stdout);
    assert_eq!(found[0]["file"], file, "{}", run.stdout);
    let human = project.run(&["check"]).expect(1);
    assert_has(&human.stdout, &format!("drift[{kind}]"));
    assert_has(&human.stdout, "= fix: ");
    found[0].clone()
}

/// Asserts that the diff's only added line, counted from its hunk header, is line `line` of
/// the file on disk (hunks are numbered as in the file, header included).
#[track_caller]
pub(crate) fn assert_added_line_is(diff: &str, line: usize) {
    let mut next = None;
    let mut added = Vec::new();
    for l in diff.lines() {
        if let Some(rest) = l.strip_prefix("@@ -") {
            let plus = rest.split(' ').nth(1).unwrap().trim_start_matches('+');
            next = Some(plus.split(',').next().unwrap().parse::<usize>().unwrap());
        } else if let Some(n) = next.as_mut() {
            if l.starts_with('+') {
                added.push(*n);
            }
            if !l.starts_with('-') {
                *n += 1;
            }
        }
    }
    assert_eq!(added, [line], "{diff}");
}

/// Every finding kind is documented in `check --help` and in the book's table of kinds.
#[test]
fn every_finding_kind_is_documented() {
    let help = crate::support::run_in(&crate::support::repo_root(), &["check", "--help"]).expect(0);
    let page = crate::support::repo_root().join("docs/src/check.md");
    let book = std::fs::read_to_string(page).unwrap();
    for kind in contract_core::gates::check::FindingKind::ALL {
        let id = kind.id();
        assert!(help.stdout.contains(id), "`check --help` lacks {id}");
        assert!(
            book.contains(&format!("\n| `{id}` | ")),
            "docs/src/check.md's table of kinds lacks {id}"
        );
    }
}

#[test]
fn clean_project_passes() {
    let project = generated_project();
    let run = project.run(&["check"]).expect(0);
    insta::assert_snapshot!("clean", run.transcript(&project));
    project.run(&["check", "--deep"]).expect(0);
    let json = project
        .run(&["check", "--message-format", "json"])
        .expect(0);
    let summary: serde_json::Value =
        serde_json::from_str(json.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(
        summary,
        serde_json::json!({"type": "summary", "contracts": 1, "findings": 0, "failing": 0, "errors": 0})
    );
}

#[test]
fn spec_changed() {
    let project = generated_project();
    let spec = project.read("specs/mini.yaml");
    project.write(
        "specs/mini.yaml",
        &spec.replace("version: 1.0.0", "version: 1.0.1"),
    );
    // The generated file was made from the old spec, which is still the pin: only the spec moved.
    let finding = expect_single(&project, "spec-changed", "specs/mini.yaml");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("pinned sha256:")
    );
}

#[test]
fn stale_generated_after_relock_or_option_change() {
    let project = generated_project();
    let spec = project.read("specs/mini.yaml");
    project.write(
        "specs/mini.yaml",
        &spec.replace("version: 1.0.0", "version: 1.0.1"),
    );
    project.run(&["lock"]).expect(0);
    let finding = expect_single(&project, "stale-generated", OUT);
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("but the pin is"),
        "{finding}"
    );
    project.run(&["generate"]).expect(0);
    project.run(&["check"]).expect(0);

    let manifest = project.read("Cargo.toml");
    project.write(
        "Cargo.toml",
        &manifest.replace(
            "output = \"src/generated/mini.rs\"\n",
            "output = \"src/generated/mini.rs\"\ninterface = \"builder\"\n",
        ),
    );
    let finding = expect_single(&project, "stale-generated", OUT);
    assert!(
        finding["message"].as_str().unwrap().contains("options"),
        "{finding}"
    );
}

#[test]
fn hand_edited_reports_the_line_and_diff() {
    let project = generated_project();
    let text = project.read(OUT);
    let line = text
        .lines()
        .position(|l| l.contains("pub id: i64"))
        .unwrap()
        + 1;
    project.write(OUT, &text.replacen("pub id: i64", "pub id: i32", 1));
    let finding = expect_single(&project, "hand-edited", OUT);
    assert_eq!(finding["line"], line, "{finding}");
    let diff = finding["diff"].as_str().unwrap();
    assert!(
        diff.lines()
            .any(|l| l.starts_with('-') && l.ends_with("pub id: i64,")),
        "{diff}"
    );
    assert!(
        diff.lines()
            .any(|l| l.starts_with('+') && l.ends_with("pub id: i32,")),
        "{diff}"
    );
    assert_added_line_is(diff, line);
}

#[test]
fn forged_header_is_caught_by_the_lock_and_by_deep() {
    let project = generated_project();
    let text = project.read(OUT);
    let (header, body) = text.split_at(text.find("\n\n::contract_macros").unwrap() + 1);
    let body = body.replacen("pub id: i64", "pub id: i32", 1);
    let old_hash = contract_core::codegen::header::split(&text)
        .unwrap()
        .0
        .body_sha256;
    let new_hash = contract_core::codegen::header::body_hash(&body);
    project.write(
        OUT,
        &format!(
            "{}{body}",
            header.replace(&old_hash.to_string(), &new_hash.to_string())
        ),
    );
    let finding = expect_single(&project, "stale-generated", OUT);
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("lock recorded"),
        "{finding}"
    );
    // With the lock forged too, only a deep check sees it.
    let lock = project.read("contract-guard.lock");
    project.write(
        "contract-guard.lock",
        &lock.replace(&old_hash.to_string(), &new_hash.to_string()),
    );
    project.run(&["check"]).expect(0);
    let run = project
        .run(&["check", "--deep", "--message-format", "json"])
        .expect(1);
    assert_eq!(
        findings(&run)[0]["kind"],
        "stale-generated",
        "{}",
        run.stdout
    );
}

#[test]
fn missing_output() {
    let project = generated_project();
    std::fs::remove_file(project.path(OUT)).unwrap();
    expect_single(&project, "missing-output", OUT);
}

#[test]
fn missing_spec() {
    let project = Project::single("app");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    project.run(&["add", "mini", "specs/mini.yaml"]).expect(0);
    std::fs::remove_file(project.path("specs/mini.yaml")).unwrap();
    expect_single(&project, "missing-spec", "specs/mini.yaml");
}

#[test]
fn not_locked_and_lock_orphan() {
    let project = Project::single("app");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    let manifest = project.read("Cargo.toml");
    project.write(
        "Cargo.toml",
        &format!("{manifest}\n[package.metadata.contract-guard.contracts.mini]\nspec = \"specs/mini.yaml\"\n"),
    );
    expect_single(&project, "not-locked", "specs/mini.yaml");
    project.run(&["lock"]).expect(0);
    project.run(&["check"]).expect(0);
    project.write("Cargo.toml", &manifest);
    expect_single(&project, "lock-orphan", "contract-guard.lock");
}

#[test]
fn every_finding_is_reported_at_once_and_bad_specs_exit_2() {
    let project = generated_project();
    let manifest = project.read("Cargo.toml");
    project.copy_fixture("mini.yaml", "specs/second.yaml");
    project.write(
        "Cargo.toml",
        &format!("{manifest}\n[package.metadata.contract-guard.contracts.second]\nspec = \"specs/second.yaml\"\n"),
    );
    std::fs::remove_file(project.path(OUT)).unwrap();
    let run = project
        .run(&["check", "--message-format", "json"])
        .expect(1);
    let kinds: Vec<_> = findings(&run)
        .iter()
        .map(|f| f["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["missing-output", "not-locked"], "{}", run.stdout);

    project.copy_fixture("hostile/malformed.yaml", "specs/second.yaml");
    let run = project.run(&["check"]).expect(2);
    insta::assert_snapshot!("malformed_second_spec", run.transcript(&project));
}
