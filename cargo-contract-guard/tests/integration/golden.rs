//! Golden files of generated clients (as progenitor keeps them): the whole output for three
//! small specs that go through plain OpenAPI 3.0, the 3.1 lowering and the normalisation; and
//! the rule that binds them to the pipeline revision in headers, so that a change to what is
//! generated cannot ship without `check` reporting older clients as stale.

use contract_core::codegen::PIPELINE_REVISION;

use crate::support::Project;

/// Contract name and fixture.
const SPECS: [(&str, &str); 3] = [
    ("mini", "mini.yaml"),
    ("v31", "v31.yaml"),
    ("multi", "multi-response.yaml"),
];

/// The pipeline revision and the `body-sha256` of each generated client it produces. When
/// generated code changes on purpose: review the snapshot diffs, bump `PIPELINE_REVISION` in
/// `contract-core/src/codegen/progenitor.rs`, then record the new digests here.
const RECORDED: (u32, [&str; 3]) = (
    4,
    [
        "sha256:9b2d9204fb488bc7b0f00072c89055a23a83cfd5b5a28056c0bf66ca064f8d16",
        "sha256:30235932cbe90404246ec5b7dca016b15f82b222460d06ffe1084cf5ea2f2b1f",
        "sha256:5068586638e9a245e5d1dded1092b94b14e62acec472d99987ad28531ef40e9a",
    ],
);

#[test]
fn generated_clients_match_their_golden_files() {
    let project = Project::single("app");
    let mut manifest = project.read("Cargo.toml");
    for (name, fixture) in SPECS {
        project.copy_fixture(fixture, &format!("specs/{fixture}"));
        manifest.push_str(&format!(
            "\n[package.metadata.contract-guard.contracts.{name}]\nspec = \"specs/{fixture}\"\noutput = \"src/{name}.rs\"\n"
        ));
    }
    project.write("Cargo.toml", &manifest);
    project.run(&["lock"]).expect(0);
    project.run(&["generate"]).expect(0);

    let mut digests = Vec::new();
    for (name, _) in SPECS {
        let code = project.read(&format!("src/{name}.rs"));
        insta::assert_snapshot!(name, code);
        let digest = code
            .lines()
            .find_map(|line| line.strip_prefix("// body-sha256: "))
            .expect("a body-sha256 header line")
            .to_string();
        digests.push(digest);
    }
    assert!(
        RECORDED.1.iter().zip(&digests).all(|(r, d)| r == d),
        "generated code changed: if on purpose, bump PIPELINE_REVISION (now {PIPELINE_REVISION}) \
         and record these digests in RECORDED: {digests:?}"
    );
    assert_eq!(
        RECORDED.0, PIPELINE_REVISION,
        "PIPELINE_REVISION was bumped: record its digests in RECORDED"
    );
}
