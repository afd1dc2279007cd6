//! Bad spec files: each gives exit 2 and a one-paragraph error naming the file, never a panic.

use crate::support::{Project, assert_has, fixture, run_in};

#[track_caller]
fn assert_clean_error(path: &std::path::Path, expected: &str) {
    let run = run_in(
        path.parent().unwrap(),
        &["fingerprint", path.to_str().unwrap()],
    )
    .expect(2);
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
    let name = path.file_name().unwrap().to_str().unwrap();
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert!(
        run.stderr.contains(name),
        "the error does not name {name}: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains(expected),
        "expected {expected:?} in: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // One paragraph: no blank lines.
    assert!(!run.stderr.trim_end().contains("\n\n"), "{}", run.stderr);
}

#[test]
fn malformed_json() {
    assert_clean_error(&fixture("hostile/malformed.json"), "malformed.json:5:");
}

#[test]
fn malformed_yaml() {
    assert_clean_error(&fixture("hostile/malformed.yaml"), "invalid YAML");
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
    assert_clean_error(&project.path("deep.json"), "invalid JSON");
    project.write(
        "deep.yaml",
        &format!(
            "openapi: 3.0.3\nx: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    assert_clean_error(&project.path("deep.yaml"), "nesting is deeper than");
}

#[test]
fn yaml_alias_bomb() {
    assert_clean_error(
        &fixture("hostile/alias-bomb.yaml"),
        "alias bombs are refused",
    );
}

#[test]
fn non_utf8_file() {
    assert_clean_error(&fixture("hostile/not-utf8.yaml"), "is not UTF-8");
}

#[test]
fn missing_file_and_directory() {
    let project = Project::empty();
    assert_clean_error(&project.path("nope.yaml"), "could not read");
    std::fs::create_dir(project.path("dir.yaml")).unwrap();
    assert_clean_error(&project.path("dir.yaml"), "directory");
}

#[test]
fn not_openapi_and_unsupported_versions() {
    let project = Project::empty();
    project.write("empty.yaml", "\n");
    assert_clean_error(&project.path("empty.yaml"), "empty");
    project.write("other.json", "{\"name\": \"x\"}");
    assert_clean_error(&project.path("other.json"), "no top-level `openapi`");
    project.write("v4.yaml", "openapi: 4.0.0\n");
    assert_clean_error(&project.path("v4.yaml"), "not supported");
    project.write("dup.yaml", "openapi: 3.0.3\ninfo: {}\ninfo: {}\n");
    assert_clean_error(&project.path("dup.yaml"), "dup.yaml:3:");
}

#[test]
fn swagger_2_is_fingerprinted() {
    let project = Project::empty();
    project.write(
        "swagger.json",
        "{\"swagger\": \"2.0\", \"info\": {\"title\": \"x\", \"version\": \"1\"}, \"paths\": {}}",
    );
    let run = project.run(&["fingerprint", "swagger.json"]).expect(0);
    assert!(run.stdout.starts_with("sha256:"));
}

#[test]
fn bad_usage_exits_2() {
    let project = Project::empty();
    let run = project.run(&["frobnicate"]).expect(2);
    assert_has(&run.stderr, "frobnicate");
    project.run(&["--help"]).expect(0);
    // `cargo contract-guard …` passes the subcommand name first.
    project.run(&["contract-guard", "--version"]).expect(0);
}
