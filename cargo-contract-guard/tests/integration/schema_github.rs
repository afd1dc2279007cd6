//! `#[schema]` on real schemas: hand-written types for a dozen schemas of GitHub's REST API
//! (`tests/fixtures/github-types/lib.rs`) compile against the 13 MB spec, and a drifted type
//! fails with an error at the field.

use crate::support::{Project, cargo_in_shared_target, corpus, fixture, repo_root};

#[test]
#[cfg_attr(no_corpus, ignore = "needs the corpus at ../shared/corpus (absent)")]
fn github_types_match_their_schemas() {
    let Some(corpus) = corpus() else { return };
    let project = Project::single("github-types");
    let macros = repo_root().join("contract-macros");
    let manifest = project.read("Cargo.toml").replace(
        "[dependencies]\n",
        &format!(
            "[package.metadata.contract-guard.contracts.github]\nspec = \"specs/github.json\"\n\n\
             [dependencies]\ncontract-macros = {{ path = {:?}, default-features = false }}\n\
             serde = {{ version = \"1.0\", features = [\"derive\"] }}\n",
            macros.to_str().unwrap()
        ),
    );
    project.write("Cargo.toml", &manifest);
    std::fs::copy(repo_root().join("Cargo.lock"), project.path("Cargo.lock")).unwrap();
    std::fs::create_dir_all(project.path("specs")).unwrap();
    std::fs::copy(
        corpus.join("github/api.github.com-v23.0.2.json"),
        project.path("specs/github.json"),
    )
    .unwrap();
    project.run(&["lock"]).expect(0);
    let types = std::fs::read_to_string(fixture("github-types/lib.rs")).unwrap();
    project.write("src/lib.rs", &types);
    let (ok, stderr) = cargo_in_shared_target(&project, "check");
    assert!(ok, "the GitHub types compile:\n{stderr}");

    // A type that drifted from its schema fails at the field.
    let drifted = types.replacen("pub remaining: i64,", "pub remaining: u8,", 1);
    assert_ne!(drifted, types);
    project.write("src/lib.rs", &drifted);
    let (ok, stderr) = cargo_in_shared_target(&project, "check");
    assert!(!ok, "a drifted type must fail");
    assert!(
        stderr.contains("`u8` cannot hold every value of this integer"),
        "{stderr}"
    );
    assert!(
        stderr.contains("specs/github.json#/components/schemas/rate-limit/properties/remaining"),
        "{stderr}"
    );
    assert!(
        stderr.contains("pub remaining: u8,"),
        "the error points at the field: {stderr}"
    );
}
