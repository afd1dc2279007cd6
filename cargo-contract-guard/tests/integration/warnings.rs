//! Generated clients build without a warning under `-D warnings` (issue 21): in a binary that
//! calls one operation (where rustc reports dead code) and in a library, on a fixture with the
//! shapes rustc warned about (`tests/fixtures/warnings.yaml`: the enum values `+1` and `-1`, a
//! default naming one, overlapping response ranges, operations the binary does not call).
//! Builds real crates with cargo in the shared target directory.

use crate::compile_guard::guarded_project_from;
use crate::support::{Project, assert_has, cargo_command_in_shared_target};

/// Makes every rustc warning in the crate itself an error, as `-D warnings` does (through the
/// manifest's `[lints]`, so the dependencies shared with other tests are not rebuilt).
fn deny_warnings(project: &Project) {
    let manifest = project.read("Cargo.toml");
    project.write(
        "Cargo.toml",
        &format!("{manifest}\n[lints.rust]\nwarnings = \"deny\"\n"),
    );
}

/// `cargo build` of the project; panics with the output when it fails.
fn build(project: &Project) {
    let output = cargo_command_in_shared_target(project, &["build", "--quiet"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the crate must build under -D warnings:\n{stderr}"
    );
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn a_binary_calling_one_operation_builds_under_deny_warnings() {
    let project = guarded_project_from("warnings_bin", "warnings.yaml", "reactions");
    deny_warnings(&project);
    std::fs::remove_file(project.path("src/lib.rs")).unwrap();
    project.write(
        "src/main.rs",
        "mod generated {\n    pub mod reactions;\n}\n\nfn main() {\n    let client = generated::reactions::Client::new(\"http://localhost\");\n    let content = Some(generated::reactions::types::ReactionContent::Plus1);\n    drop(client.list_reactions(content));\n}\n",
    );
    build(&project);

    // The names rustc warned about are fixed, not silenced: the variants are upper camel case,
    // their wire names unchanged, and `non_camel_case_types` is allowed nowhere.
    let code = project.read("src/generated/reactions.rs");
    assert_has(&code, "#[serde(rename = \"+1\")]\n        Plus1,");
    assert_has(&code, "#[serde(rename = \"-1\")]\n        Minus1,");
    assert!(
        !code.contains("plus1") && !code.contains("minus1"),
        "{code}"
    );
    assert!(!code.contains("non_camel_case_types"), "{code}");
}

#[test]
fn a_library_exporting_the_client_builds_under_deny_warnings() {
    let project = guarded_project_from("warnings_lib", "warnings.yaml", "reactions");
    deny_warnings(&project);
    project.write(
        "src/lib.rs",
        "pub mod generated {\n    pub mod reactions;\n}\n",
    );
    build(&project);
}
