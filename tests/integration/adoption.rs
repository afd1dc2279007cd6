//! Adoption in a team's repository: the dependencies `add` writes resolve before the crates are
//! published (a crate made with `cargo new` outside this repository builds), and the GitHub
//! Action's script (`.github/actions/contract-guard/run.sh`) run against a temporary git
//! repository with the cargo workspace in a subfolder.

use std::path::Path;
use std::process::Command;

use crate::support::{Project, assert_has, repo_root};

/// The `contract-macros` line `add --output` writes by default while the crate is unpublished:
/// the source this tool was built from.
fn default_macros_line() -> String {
    let macros = std::fs::canonicalize(repo_root().join("contract-macros")).unwrap();
    format!(
        "contract-macros = {{ version = \"{}\", path = \"{}\", default-features = false }}",
        tool_version(),
        macros.display()
    )
}

/// `[workspace.package] version`: the release of the tool and of `contract-macros`.
fn tool_version() -> String {
    let text = std::fs::read_to_string(repo_root().join("Cargo.toml")).unwrap();
    let doc: toml_edit::DocumentMut = text.parse().unwrap();
    doc["workspace"]["package"]["version"]
        .as_str()
        .unwrap()
        .to_string()
}

fn cargo_new(parent: &Path, name: &str) {
    let status = Command::new(env!("CARGO"))
        .args(["new", "--quiet", "--vcs", "none", name])
        .current_dir(parent)
        .status()
        .unwrap();
    assert!(status.success(), "cargo new {name}");
}

#[test]
fn add_points_contract_macros_at_the_source_the_tool_was_built_from() {
    let project = Project::single("app");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    project
        .run(&["add", "mini", "specs/mini.yaml", "--output", "src/mini.rs"])
        .expect(0);
    assert_has(&project.read("Cargo.toml"), &default_macros_line());
}

#[test]
fn add_writes_a_git_source_when_asked() {
    let project = Project::single("app");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    let url = "https://example.invalid/cargo-contract-guard.git";
    project
        .run(&[
            "add",
            "mini",
            "specs/mini.yaml",
            "--output",
            "src/mini.rs",
            "--macros-git",
            url,
            "--macros-rev",
            "v0.1.0",
        ])
        .expect(0);
    assert_has(
        &project.read("Cargo.toml"),
        &format!(
            "contract-macros = {{ version = \"{}\", git = \"{url}\", rev = \"v0.1.0\", default-features = false }}",
            tool_version()
        ),
    );
}

#[test]
fn add_with_an_unusable_macros_path_changes_nothing() {
    let project = Project::single("app");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    let before = project.read("Cargo.toml");
    let run = project
        .run(&[
            "add",
            "mini",
            "specs/mini.yaml",
            "--output",
            "src/mini.rs",
            "--macros-path",
            "specs",
        ])
        .expect(2);
    assert_has(
        &run.stderr,
        "as the source of the `contract-macros` dependency: cannot read",
    );
    assert_has(&run.stderr, "help: pass `--macros-path <DIR>`");
    assert_eq!(project.read("Cargo.toml"), before, "Cargo.toml was changed");
    assert!(
        !project.path("contract-guard.lock").exists(),
        "a lock was written"
    );
}

/// A crate made with `cargo new` outside this repository, with the dependencies exactly as
/// `add` wrote them, builds and runs. It resolves its own dependencies (the registry must be
/// reachable: a generated client needs `reqwest` with its default features, which this
/// workspace does not build) and takes minutes from a cold cache, so it is ignored by default
/// and run by `.ci/run`: `cargo test -p contract-guard-tests --test integration adoption -- --ignored`.
#[test]
#[ignore = "builds a fresh crate with the registry (minutes); run by .ci/run"]
fn a_crate_made_with_cargo_new_builds_with_what_add_wrote() {
    let dir = tempfile::Builder::new()
        .prefix("cg-adopt-")
        .tempdir()
        .unwrap();
    cargo_new(dir.path(), "adopted");
    let app = dir.path().join("adopted");
    std::fs::create_dir_all(app.join("specs")).unwrap();
    std::fs::copy(
        crate::support::fixture("mini.yaml"),
        app.join("specs/mini.yaml"),
    )
    .unwrap();
    crate::support::run_in(
        &app,
        &["add", "mini", "specs/mini.yaml", "--output", "src/mini.rs"],
    )
    .expect(0);
    crate::support::run_in(&app, &["generate"]).expect(0);
    std::fs::write(
        app.join("src/main.rs"),
        "mod mini;\nuse mini::ClientInfo as _;\nfn main() {\n    let client = mini::Client::new(\"http://localhost:1\");\n    println!(\"client for {}\", client.baseurl());\n}\n",
    )
    .unwrap();
    let target = repo_root().join("target/contract-guard-it");
    let build = Command::new(env!("CARGO"))
        .args(["build", "--quiet"])
        .current_dir(&app)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "cargo build of the new crate:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let run = Command::new(
        target
            .join("debug")
            .join(format!("adopted{}", std::env::consts::EXE_SUFFIX)),
    )
    .output()
    .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "client for http://localhost:1\n"
    );
}
