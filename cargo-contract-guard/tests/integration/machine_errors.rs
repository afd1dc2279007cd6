//! A command that cannot complete still answers in the machine format it was asked for (a
//! JSON error object, a SARIF log whose invocation failed, a GitHub `::error`), with exit 2:
//! empty output would read as "nothing found" to a tool that parses only stdout.

use crate::support::{Project, Run, assert_has, bin};

const BROKEN: &str = "contract-guard.lock";

/// A crate with one contract and a lock that does not parse.
fn corrupt_lock() -> Project {
    let project = Project::single("app");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    project.run(&["add", "mini", "specs/mini.yaml"]).expect(0);
    project.write(BROKEN, "version = [\n");
    project
}

/// Asserts the JSON error object (one line) on stdout.
#[track_caller]
fn assert_json_error(run: Run) {
    let run = run.expect(2);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    let error: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(error["type"], "error");
    assert_eq!(error["exit_code"], 2);
    assert_has(
        error["message"].as_str().unwrap(),
        "`contract-guard.lock` is not a valid",
    );
    assert!(error["hint"].is_string(), "{error}");
    assert_has(&run.stderr, "error: ");
}

#[track_caller]
fn assert_sarif_error(run: Run) {
    let run = run.expect(2);
    let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    crate::gate::assert_valid_sarif(&log);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert_has(
        notification["message"]["text"].as_str().unwrap(),
        "`contract-guard.lock` is not a valid",
    );
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[track_caller]
fn assert_github_error(run: Run) {
    let run = run.expect(2);
    assert!(
        run.stdout.starts_with(
            "::error title=cargo-contract-guard::`contract-guard.lock` is not a valid"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
}

#[test]
fn a_corrupt_lock_is_reported_in_every_machine_format() {
    let project = corrupt_lock();
    let run = |args: &[&str]| project.run(args);
    assert_json_error(run(&["check", "--message-format", "json"]));
    assert_sarif_error(run(&["check", "--message-format", "sarif"]));
    assert_github_error(run(&["check", "--message-format", "github"]));
    assert_json_error(run(&["status", "--message-format", "json"]));
    assert_json_error(run(&["diff", "mini", "--format", "json"]));
    assert_sarif_error(run(&["diff", "mini", "--format", "sarif"]));
    assert_github_error(run(&["diff", "mini", "--format", "github"]));
    // The pull-request comment says the comparison failed rather than being empty.
    let markdown = run(&["diff", "mini", "--message-format", "markdown"]).expect(2);
    insta::assert_snapshot!("corrupt_lock_markdown", markdown.transcript(&project));
    let binary = bin().to_str().unwrap();
    assert_json_error(run(&["verify-binary", binary, "--message-format", "json"]));
    // People's formats keep stdout empty and say it on stderr.
    let human = run(&["check"]).expect(2);
    insta::assert_snapshot!("corrupt_lock_human", human.transcript(&project));
    assert_eq!(project.read(BROKEN), "version = [\n", "left as it is");
}

#[test]
fn inspect_of_a_file_that_is_not_a_binary_is_a_json_error() {
    let project = Project::empty();
    project.write("notes.txt", "not a binary");
    let run = project
        .run(&["inspect", "notes.txt", "--message-format", "json"])
        .expect(2);
    let error: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(error["type"], "error");
    assert_has(error["message"].as_str().unwrap(), "notes.txt");
}

#[test]
fn contracts_that_cannot_be_checked_are_sarif_notifications_and_github_errors() {
    let project = Project::single("app");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    project.run(&["add", "mini", "specs/mini.yaml"]).expect(0);
    project.write("specs/mini.yaml", "openapi: [\n");
    let sarif = project
        .run(&["check", "--message-format", "sarif"])
        .expect(2);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    crate::gate::assert_valid_sarif(&log);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_has(
        invocation["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .unwrap(),
        "specs/mini.yaml",
    );
    let github = project
        .run(&["check", "--message-format", "github"])
        .expect(2);
    assert_has(&github.stdout, "::error title=cargo-contract-guard::");
}
