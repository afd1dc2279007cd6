//! Bad spec files: each gives exit 2 and a one-paragraph error naming the file, never a panic.

use crate::support::{Project, fixture, run_in};

/// Runs `fingerprint` on `path` from its folder and snapshots the run as `snapshot`, the folder
/// (a temporary project or `tests/fixtures/hostile`) written `[DIR]`.
#[track_caller]
fn assert_clean_error(path: &std::path::Path, snapshot: &str) {
    let dir = path.parent().unwrap();
    let run = run_in(dir, &["fingerprint", path.to_str().unwrap()]).expect(2);
    insta::assert_snapshot!(snapshot, run.transcript_in(dir, "[DIR]"));
    // Absences, stated on their own so that a snapshot update cannot approve them by accident.
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // One paragraph: no blank lines.
    assert!(!run.stderr.trim_end().contains("\n\n"), "{}", run.stderr);
}

#[test]
fn malformed_json() {
    assert_clean_error(&fixture("hostile/malformed.json"), "malformed_json");
}

#[test]
fn malformed_yaml() {
    assert_clean_error(&fixture("hostile/malformed.yaml"), "malformed_yaml");
}

#[test]
fn deeply_nested_array() {
    let project = Project::empty();
    let deep = format!(
        "{{\"openapi\": \"3.0.3\", \"x\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    project.write("deep.json", &deep);
    assert_clean_error(&project.path("deep.json"), "deep_json");
    project.write(
        "deep.yaml",
        &format!(
            "openapi: 3.0.3\nx: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    assert_clean_error(&project.path("deep.yaml"), "deep_yaml");
}

#[test]
fn yaml_alias_bomb() {
    assert_clean_error(&fixture("hostile/alias-bomb.yaml"), "alias_bomb");
}

#[test]
fn non_utf8_file() {
    assert_clean_error(&fixture("hostile/not-utf8.yaml"), "not_utf8");
}

#[test]
fn missing_file_and_directory() {
    let project = Project::empty();
    assert_clean_error(&project.path("nope.yaml"), "missing_file");
    std::fs::create_dir(project.path("dir.yaml")).unwrap();
    assert_clean_error(&project.path("dir.yaml"), "directory");
}

#[test]
fn not_openapi_and_unsupported_versions() {
    let project = Project::empty();
    project.write("empty.yaml", "\n");
    assert_clean_error(&project.path("empty.yaml"), "empty_file");
    project.write("other.json", "{\"name\": \"x\"}");
    assert_clean_error(&project.path("other.json"), "not_openapi");
    project.write("v4.yaml", "openapi: 4.0.0\n");
    assert_clean_error(&project.path("v4.yaml"), "openapi_4");
    project.write("dup.yaml", "openapi: 3.0.3\ninfo: {}\ninfo: {}\n");
    assert_clean_error(&project.path("dup.yaml"), "duplicate_key");
}

#[test]
fn swagger_2_is_fingerprinted() {
    let project = Project::empty();
    project.write(
        "swagger.json",
        "{\"swagger\": \"2.0\", \"info\": {\"title\": \"x\", \"version\": \"1\"}, \"paths\": {}}",
    );
    let run = project.run(&["fingerprint", "swagger.json"]).expect(0);
    insta::assert_snapshot!("swagger_2_fingerprint", run.transcript(&project));
}

#[test]
fn bad_usage_exits_2() {
    let project = Project::empty();
    let run = project.run(&["frobnicate"]).expect(2);
    insta::assert_snapshot!("unknown_subcommand", run.transcript(&project));
    project.run(&["--help"]).expect(0);
    // `cargo contract-guard …` passes the subcommand name first.
    project.run(&["contract-guard", "--version"]).expect(0);
}
