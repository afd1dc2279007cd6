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
    6,
    [
        "sha256:04e4338b883353fad746fc1f459bded1598d3666798096354df5c0c7d6d7f82a",
        "sha256:bf9f92d2c1223cb1b94956f6d784c5f6110d5763be9c79a77e9d7b911d31e8b0",
        "sha256:86c14c436b5f47f374274ddf45110bc18aba9bf9bfaebc4637ac5bba0daa9e46",
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
