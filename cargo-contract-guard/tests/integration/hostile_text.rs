//! Text from specs is data, never code or markup: descriptions cannot become doctests that
//! `cargo test` runs, description changes are visible in `diff`, and names from a spec render
//! inertly in Markdown, GitHub workflow commands, SARIF and on the terminal.
//!
//! The checks for fences, escape sequences and forged workflow commands stay targeted rather than
//! snapshots: each asserts that a byte sequence is absent, which a snapshot would only imply.

use crate::compile_guard::guarded_project_from;
use crate::support::{Project, assert_has, cargo_command_in_shared_target, run_with_env};

const OUT: &str = "src/generated/api.rs";

/// A crate whose generated client comes from `hostile-doc-text.yaml`: every description holds
/// a code block (fenced, indented, in a list, in a quote, in HTML) that writes `doctest-ran`.
fn hostile_docs_crate() -> Project {
    let project = guarded_project_from("hostile_docs", "hostile-doc-text.yaml", "api");
    project.write("src/lib.rs", "pub mod generated { pub mod api; }\n");
    project
}

#[test]
fn descriptions_never_become_doctests() {
    let project = hostile_docs_crate();
    let code = project.read(OUT);
    // The text is still there, as prose: every backtick and tilde escaped, so that no fence
    // (three in a row) is left anywhere in the file.
    assert_has(&code, "\\`\\`\\`rust");
    assert_has(&code, "\\<img src=x onerror=alert(1)>");
    assert!(!code.contains("```") && !code.contains("~~~"));

    let output = cargo_command_in_shared_target(&project, &["test", "--doc"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_has(&stdout, "running 0 tests");
    assert!(
        !project.path("doctest-ran").exists(),
        "a doctest from the spec ran"
    );
}

#[test]
fn description_only_changes_are_info_findings_per_operation_and_schema() {
    let project = Project::empty();
    project.copy_fixture("mini.yaml", "old.yaml");
    let old = project.read("old.yaml");
    let new = old
        .replace(
            "      operationId: getItem\n",
            "      operationId: getItem\n      description: |\n        ```rust\n        panic!()\n        ```\n",
        )
        .replace("description: The item", "description: The item, now described")
        .replace(
            "    Item:\n      type: object\n",
            "    Item:\n      description: An item\n      type: object\n",
        );
    project.write("new.yaml", &new);
    let run = project
        .run(&["diff", "old.yaml", "new.yaml", "--format", "json"])
        .expect(0);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let changes = report["changes"].as_array().unwrap();
    let found: Vec<(&str, &str, &str)> = changes
        .iter()
        .map(|c| {
            (
                c["rule"].as_str().unwrap(),
                c["severity"].as_str().unwrap(),
                c["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "description-changed",
                "info",
                "documentation of operation `GET /items/{id}` changed (2 text(s)): `description`, `responses/200/description`"
            ),
            (
                "description-changed",
                "info",
                "documentation of schema `Item` changed (1 text(s)): `description`"
            ),
        ]
    );
    assert_eq!(report["summary"]["info"], 2);
    assert_eq!(changes[0]["operation_id"], "getItem");

    // Listed by `--verbose`, counted otherwise.
    let human = project.run(&["diff", "old.yaml", "new.yaml"]).expect(0);
    insta::assert_snapshot!("description_changes_counted", human.transcript(&project));
    let verbose = project
        .run(&["diff", "old.yaml", "new.yaml", "--verbose"])
        .expect(0);
    insta::assert_snapshot!("description_changes_listed", verbose.transcript(&project));
    project
        .run(&["diff", "old.yaml", "new.yaml", "--fail-on", "info"])
        .expect(1);
}

/// A property name that tries everything Markdown and GitHub would render.
const NAME: &str = "x` [link](https://evil.example) ![img](https://evil.example/i.png) @octocat <img src=x onerror=alert(1)> | cell";

/// `old.json` and `new.json`, where `new.json` adds a required request property `name`.
fn request_property_added(name: &str) -> Project {
    let spec = |properties: serde_json::Value, required: &[&str]| {
        serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1.0.0"},
            "paths": {"/pets": {"post": {
                "operationId": "addPet",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object", "properties": properties, "required": required
                }}}},
                "responses": {"204": {"description": "ok"}}
            }}}
        })
        .to_string()
    };
    let project = Project::empty();
    project.write(
        "old.json",
        &spec(serde_json::json!({"id": {"type": "string"}}), &["id"]),
    );
    project.write(
        "new.json",
        &spec(
            serde_json::json!({"id": {"type": "string"}, name: {"type": "string"}}),
            &["id", name],
        ),
    );
    project
}

/// The code span a table cell holds, if the whole cell is one: its fence is longer than any
/// run of backticks inside.
fn single_code_span(cell: &str) -> Option<&str> {
    let cell = cell.trim();
    let fence = cell.len() - cell.trim_start_matches('`').len();
    if fence == 0 || !cell.ends_with(&"`".repeat(fence)) {
        return None;
    }
    let inner = &cell[fence..cell.len() - fence];
    let longest_run = inner.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    (longest_run < fence).then_some(inner)
}

#[test]
fn spec_names_render_inertly_in_markdown() {
    let project = request_property_added(NAME);
    let run = project
        .run(&["diff", "old.json", "new.json", "--format", "markdown"])
        .expect(1);
    let row = run
        .stdout
        .lines()
        .find(|l| l.starts_with("| `request-property-added-required`"))
        .unwrap_or_else(|| panic!("no row in:\n{}", run.stdout));
    // Cells split on unescaped pipes, as GitHub splits them.
    let cells: Vec<&str> = row.trim_matches('|').split(" | ").map(str::trim).collect();
    assert_eq!(cells.len(), 4, "the name's `|` must not add a cell: {row}");
    let message = single_code_span(cells[2])
        .unwrap_or_else(|| panic!("the message is not one code span: {}", cells[2]));
    assert_has(message, "[link](https://evil.example)");
    assert_has(message, "<img src=x onerror=alert(1)>");
    assert_has(message, "@octocat");
    assert_has(message, "\\| cell");
    for cell in &cells[1..] {
        assert!(single_code_span(cell).is_some(), "{cell} in {row}");
    }
}

#[test]
fn spec_names_are_escaped_in_github_commands_sarif_and_the_terminal() {
    let name = "evil\n::error file=Cargo.toml::forged,title=a:b\r\u{1b}[2J%0A";
    let project = request_property_added(name);

    let github = project
        .run(&["diff", "old.json", "new.json", "--format", "github"])
        .expect(1);
    let lines: Vec<&str> = github.stdout.lines().collect();
    assert!(
        lines.iter().all(|l| l.starts_with("::")) && !lines.is_empty(),
        "{}",
        github.stdout
    );
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with("::error file=Cargo.toml")),
        "a forged command: {}",
        github.stdout
    );
    assert_has(
        &github.stdout,
        "evil%0A::error file=Cargo.toml::forged,title=a:b\\u{d}\\u{1b}[2J%250A",
    );
    assert!(!github.stdout.contains('\u{1b}'));

    let sarif = project
        .run(&["diff", "old.json", "new.json", "--format", "sarif"])
        .expect(1);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    crate::gate::assert_valid_sarif(&log);
    let message = log["runs"][0]["results"][0]["message"]["text"]
        .as_str()
        .unwrap();
    assert_has(message, name);

    // The terminal gets the escape as text even with colours forced on.
    let human = run_with_env(
        project.dir.path(),
        &["diff", "old.json", "new.json", "--color", "always"],
        &[("CLICOLOR_FORCE", "1")],
    )
    .expect(1);
    assert_has(&human.stdout, "\\u{1b}[2J");
    assert!(!human.stdout.contains("\u{1b}[2J"), "{}", human.stdout);
    assert!(!human.stdout.contains('\r'));
}

#[test]
fn spec_text_in_errors_does_not_reach_the_terminal() {
    let project = Project::empty();
    project.write(
        "bad.json",
        "{\"openapi\": \"4.0.0\\u001b[2J\", \"info\": {}, \"paths\": {}}",
    );
    let run = run_with_env(
        project.dir.path(),
        &["fingerprint", "bad.json", "--color", "always"],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_has(&run.stderr, "4.0.0\\u{1b}[2J");
    assert!(!run.stderr.contains("\u{1b}[2J"), "{}", run.stderr);
}

/// Text the generator writes into docs without it being a description (a path, which must
/// stay as it is to be called) is not rewritten: a path that would open a code block fails
/// generation instead, and nothing is written.
#[test]
fn a_path_that_would_open_a_code_block_fails_generation() {
    let project = Project::single("app");
    let spec = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/items\n\n```rust\npanic!()\n```\n": {"get": {
            "operationId": "getItems",
            "responses": {"204": {"description": "ok"}}
        }}}
    });
    project.write("spec.json", &spec.to_string());
    project
        .run(&["add", "api", "spec.json", "--output", "src/api.rs"])
        .expect(0);
    let run = project.run(&["generate"]).expect(2);
    insta::assert_snapshot!("doctest_path_refused", run.transcript(&project));
    assert!(!project.path("src/api.rs").exists());
}

#[test]
fn update_shows_a_description_only_change_and_regenerates_its_docs() {
    let project = crate::generate::generated_project();
    let spec = project.read("specs/mini.yaml");
    project.write(
        "specs/mini.yaml",
        &spec.replace(
            "    Item:\n      type: object\n",
            "    Item:\n      description: |\n        ```rust\n        panic!()\n        ```\n      type: object\n",
        ),
    );
    let run = project.run(&["update", "mini"]).expect(0);
    insta::assert_snapshot!("description_only_update", run.transcript(&project));
    let code = project.read("src/generated/mini.rs");
    assert_has(&code, "\\`\\`\\`rust");
    assert!(!code.contains("```"));
}
