//! The compile-time guard in generated clients: a crate stops compiling when its spec moves
//! from the fingerprint the client was generated from, or when the client is edited by hand.
//! Builds a real crate with cargo (dependencies are shared across runs in
//! `target/contract-guard-it`).

use crate::support::{Project, cargo_in_shared_target, repo_root};

pub(crate) const OUT: &str = "src/generated/mini.rs";

/// A crate `name` with contract `mini` (`specs/mini.yaml`) and its client generated at
/// [`OUT`], depending on contract-macros and resolving what this repository resolved.
pub(crate) fn guarded_project(name: &str) -> Project {
    guarded_project_from(name, "mini.yaml", "mini")
}

/// A crate `name` with contract `contract` from the fixture `spec` (as
/// `specs/<contract>.yaml`), its client generated at `src/generated/<contract>.rs`.
pub(crate) fn guarded_project_from(name: &str, spec: &str, contract: &str) -> Project {
    let project = Project::single(name);
    let macros = repo_root().join("contract-macros");
    let manifest = project.read("Cargo.toml").replace(
        "[dependencies]\n",
        &format!(
            "[dependencies]\ncontract-macros = {{ path = {:?}, default-features = false }}\nreqwest = {{ version = \"0.13\", default-features = false }}\n",
            macros.to_str().unwrap()
        ),
    );
    project.write("Cargo.toml", &manifest);
    // Resolve exactly what this repository resolved (and so build offline).
    std::fs::copy(repo_root().join("Cargo.lock"), project.path("Cargo.lock")).unwrap();
    let spec_rel = format!("specs/{contract}.yaml");
    project.copy_fixture(spec, &spec_rel);
    let output = format!("src/generated/{contract}.rs");
    project
        .run(&["add", contract, &spec_rel, "--output", &output])
        .expect(0);
    project.run(&["generate"]).expect(0);
    project
}

/// Builds and runs `main` as the binary of a project from [`guarded_project_from`], with
/// `serde_json` added to its dependencies (a round trip through the generated types).
pub(crate) fn run_with_serde_json(project: &Project, main: &str) -> std::process::Output {
    let manifest = project
        .read("Cargo.toml")
        .replace("[dependencies]\n", "[dependencies]\nserde_json = \"1.0\"\n");
    project.write("Cargo.toml", &manifest);
    project.write("src/main.rs", main);
    crate::support::cargo_command_in_shared_target(project, &["run", "--quiet"])
}

#[test]
fn generated_client_guards_its_spec_and_body() {
    let project = guarded_project("guarded");
    project.write(
        "src/lib.rs",
        "pub mod generated { pub mod mini; }\npub fn client() -> generated::mini::Client { generated::mini::Client::new(\"http://localhost\") }\n",
    );
    let (ok, stderr) = cargo_in_shared_target(&project, "build");
    assert!(ok, "the fresh client compiles:\n{stderr}");

    // The spec moves without re-locking and regenerating: cargo rebuilds and the guard fails.
    let spec = project.read("specs/mini.yaml");
    project.write(
        "specs/mini.yaml",
        &spec.replace("version: 1.0.0", "version: 1.0.1"),
    );
    let (ok, stderr) = cargo_in_shared_target(&project, "build");
    assert!(!ok, "a moved spec must fail the build");
    assert!(stderr.contains("spec `specs/mini.yaml` of contract `mini` changed since `src/generated/mini.rs` was generated"), "{stderr}");
    assert_eq!(
        stderr.matches("sha256:").count(),
        2,
        "both fingerprints: {stderr}"
    );
    assert!(
        stderr.contains("cargo contract-guard update mini"),
        "{stderr}"
    );
    assert!(
        stderr.contains("spec = \"specs/mini.yaml\""),
        "the error points at the spec argument: {stderr}"
    );

    // Spec restored, generated file edited by hand: the guard names the file and the fix.
    project.write("specs/mini.yaml", &spec);
    let text = project.read(OUT);
    project.write(OUT, &text.replacen("pub id: i64", "pub id: i32", 1));
    let (ok, stderr) = cargo_in_shared_target(&project, "build");
    assert!(!ok, "a hand-edited client must fail the build");
    assert!(
        stderr.contains("generated client `src/generated/mini.rs` was edited by hand"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cargo contract-guard generate mini"),
        "{stderr}"
    );

    project.write(OUT, &text);
    let (ok, stderr) = cargo_in_shared_target(&project, "build");
    assert!(ok, "restored, it compiles again:\n{stderr}");
}
