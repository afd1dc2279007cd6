//! `client!`'s expansion cache in a real build (issue 21): a crate using the macro builds twice
//! from one generation, cargo does not rebuild it a third time for nothing, and a tampered
//! entry is refused, said so on stderr, and generated again. Builds in the shared target
//! directory (`target/contract-guard-it`).

use std::path::PathBuf;

use contract_core::macros::client_cache::{CacheKey, ClientCache, SpecIdentity};
use contract_core::project::settings::GeneratorSettings;

use crate::support::{Project, assert_has, cargo_command_in_shared_target, repo_root};

/// A crate `name` using `client!(contract = "mini")` (the `mini.yaml` fixture, pinned), with
/// contract-macros' `client` feature and the client's dependencies.
fn client_project(name: &str) -> Project {
    let project = Project::single(name);
    let macros = repo_root().join("contract-macros");
    let manifest = project.read("Cargo.toml").replace(
        "[dependencies]\n",
        &format!(
            "[dependencies]\ncontract-macros = {{ path = {:?} }}\n",
            macros.to_str().unwrap()
        ),
    );
    project.write("Cargo.toml", &manifest);
    std::fs::copy(repo_root().join("Cargo.lock"), project.path("Cargo.lock")).unwrap();
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    // `--output` only to have `add` write the client's dependencies; nothing is generated.
    project
        .run(&["add", "mini", "specs/mini.yaml", "--output", "src/mini.rs"])
        .expect(0);
    // The build is offline: reqwest without its default features (TLS, HTTP/2), as the
    // workspace's lock has it, so that a fresh machine's registry cache holds every crate.
    let manifest = project.read("Cargo.toml");
    let mut doc: toml_edit::DocumentMut = manifest.parse().unwrap();
    doc["dependencies"]["reqwest"]["default-features"] = toml_edit::value(false);
    project.write("Cargo.toml", &doc.to_string());
    project.write(
        "src/lib.rs",
        "contract_macros::client!(contract = \"mini\");\n\npub fn client() -> Client {\n    Client::new(\"http://localhost\")\n}\n",
    );
    project
}

/// Where the cache entry of the project's client lives in the shared target directory.
fn entry_path(project: &Project) -> PathBuf {
    let spec = contract_core::spec::load(&project.path("specs/mini.yaml")).unwrap();
    let key = CacheKey::new(&SpecIdentity::of(&spec), &GeneratorSettings::default());
    ClientCache::in_target_dir(&repo_root().join("target/contract-guard-it")).entry_path(&key)
}

fn build(project: &Project, verbose: bool) -> String {
    let args: &[&str] = if verbose {
        &["build", "-v"]
    } else {
        &["build"]
    };
    let output = cargo_command_in_shared_target(project, args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "the crate builds:\n{stderr}");
    stderr
}

#[cfg(unix)]
fn identity(path: &std::path::Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt as _;
    let meta = std::fs::metadata(path).unwrap();
    (meta.ino(), meta.modified().unwrap())
}

#[cfg(unix)]
#[test]
fn a_crate_using_client_builds_twice_from_one_generation() {
    let project = client_project("client-cache");
    let entry = entry_path(&project);
    // The shared target directory outlives test runs: start without the entry.
    if entry.exists() {
        std::fs::remove_file(&entry).unwrap();
    }
    build(&project, false);
    let stored = std::fs::read_to_string(&entry).expect("the build stored the expansion");
    assert_has(&stored, "pub struct Client");
    let before = identity(&entry);

    // Nothing changed: cargo does not compile the crate again, although the entry (one of its
    // dependencies) was written during its build.
    let stderr = build(&project, true);
    assert_has(&stderr, "Fresh client-cache v0.1.0");

    // The crate changes: the macro runs again and takes the entry as it is.
    let lib = project.read("src/lib.rs");
    project.write(
        "src/lib.rs",
        &format!("{lib}\npub const CHANGED: bool = true;\n"),
    );
    let stderr = build(&project, true);
    assert_has(&stderr, "Compiling client-cache v0.1.0");
    assert_eq!(identity(&entry), before, "the entry was not written again");

    // A truncated entry: cargo rebuilds, the macro refuses it, says so, and generates again.
    std::fs::write(&entry, &stored[..stored.len() / 2]).unwrap();
    let stderr = build(&project, false);
    assert_has(
        &stderr,
        "note: `client!(contract = \"mini\")`: refused the cached expansion",
    );
    assert_has(&stderr, "does not match the digest in its header");
    assert_eq!(std::fs::read_to_string(&entry).unwrap(), stored);
}
