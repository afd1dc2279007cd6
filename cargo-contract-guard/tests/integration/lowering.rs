//! OpenAPI 3.1 lowering and normalisation, end to end: a 3.1 spec and a spec plain progenitor
//! panics on both generate, list their rewrites, generate the same bytes anywhere, compile,
//! and keep the fingerprint of the document as written.

use std::process::Command;

use contract_core::codegen::normalize::for_generator;
use contract_core::spec;
use contract_core::spec::canonical;

use crate::support::{Project, fixture, redact_durations, repo_root};

/// A project with `fixture` declared as contract `name` and generated to `src/<name>.rs`, and
/// what `generate` printed (durations redacted).
fn generated(name: &str, fixture_name: &str) -> (Project, String) {
    let project = Project::single("app");
    let spec = format!("specs/{fixture_name}");
    let out = format!("src/{name}.rs");
    project.copy_fixture(fixture_name, &spec);
    project
        .run(&["add", name, &spec, "--output", &out, "--no-deps"])
        .expect(0);
    let run = project.run(&["generate"]).expect(0);
    (project, redact_durations(&run.stderr))
}

#[test]
fn a_3_1_spec_generates_and_reports_its_lowering() {
    let (project, stderr) = generated("pets", "v31.yaml");
    insta::assert_snapshot!("v31_generated", stderr);
    let code = project.read("src/pets.rs");
    for expected in [
        "pub nickname: ::std::option::Option<::std::string::String>,",
        "pub owner: ::std::option::Option<Owner>,",
        "pub species: PetSpecies,",
        "pub async fn get_pet<'a>(",
        "pub async fn get_pets<'a>(",
    ] {
        assert!(code.contains(expected), "missing {expected:?}");
    }

    let verbose = project.run(&["generate", "--verbose"]).expect(0).stderr;
    let lines: Vec<&str> = verbose.lines().map(str::trim).collect();
    let at = |text: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(text))
            .unwrap_or_else(|| panic!("no line starting with {text:?} in\n{verbose}"))
    };
    // Document-wide notes, then each operation with its own.
    assert!(
        at("document and components")
            < at("[lower/version] /openapi: OpenAPI 3.1.0 lowered to 3.0.3")
    );
    assert!(at("[lower/webhooks] /webhooks: 1 webhook(s) dropped") < at("GET /pets/{petId}"));
    assert!(
        at("GET /pets/{petId}")
            < at(
                "[lower/exclusive-bound] /paths/~1pets~1{petId}/get/parameters/0/schema: `exclusiveMinimum: 0` written as `minimum: 0, exclusiveMinimum: true`"
            )
    );
    assert!(
        at("GET /pets")
            < at(
                "[normalize/operation-id] /paths/~1pets/get/operationId: no `operationId`; `get_pets` derived from the method and path"
            )
    );
    for rule in [
        "[lower/type-null] /components/schemas/Pet/properties/nickname",
        "[lower/const] /components/schemas/Pet/properties/species",
        "[lower/examples]",
        "[lower/nullable-union]",
        "[lower/ref-siblings]",
        "[lower/json-schema-dialect]",
    ] {
        at(rule);
    }
}

#[test]
fn a_spec_that_made_progenitor_panic_generates_with_merged_responses() {
    let (project, stderr) = generated("orders", "multi-response.yaml");
    insta::assert_snapshot!("multi_response_generated", stderr);
    let verbose = project.run(&["generate", "--verbose"]).expect(0).stderr;
    for expected in [
        "POST /orders",
        "[normalize/body-media-types] /paths/~1orders/post/requestBody/content: the request body is sent as `application/json`; `text/plain` dropped",
        "[normalize/default-response] /paths/~1orders/post/responses/default: `default` differs from the success responses, so it describes errors: written as `4XX` and `5XX`",
        "[normalize/response-types] /paths/~1orders/post/responses: success responses `201`, `202` have 2 different schemas: merged as `CreateOrderResponse`",
        "[normalize/response-types] /paths/~1orders/post/responses: success responses `204` dropped",
        "[normalize/response-types] /paths/~1orders/post/responses: error responses `400`, `4XX`, `5XX`, `503` have 2 different schemas: merged as `CreateOrderError`",
    ] {
        assert!(
            verbose.contains(expected),
            "missing {expected:?} in\n{verbose}"
        );
    }
    let code = project.read("src/orders.rs");
    assert!(
        code.contains("pub enum CreateOrderResponse {"),
        "merged success type"
    );
    assert!(
        code.contains("pub enum CreateOrderError {"),
        "merged error type"
    );
    for returned in [
        "ResponseValue<types::CreateOrderResponse>",
        "Error<types::CreateOrderError>",
    ] {
        assert!(code.contains(returned), "the operation returns {returned}");
    }
}

#[test]
fn lowered_and_normalised_output_is_deterministic() {
    for (name, fixture_name) in [("pets", "v31.yaml"), ("orders", "multi-response.yaml")] {
        let (first, _) = generated(name, fixture_name);
        let (second, _) = generated(name, fixture_name);
        assert_ne!(first.dir.path(), second.dir.path());
        let out = format!("src/{name}.rs");
        assert_eq!(first.read(&out), second.read(&out), "{fixture_name}");
        // Regenerating in place changes nothing either.
        let again = first.run(&["generate"]).expect(0);
        insta::assert_snapshot!(format!("fresh_{name}"), again.transcript(&first));
    }
}

#[test]
fn fingerprints_are_those_of_the_original_document() {
    let (project, _) = generated("pets", "v31.yaml");
    let printed = project
        .run(&["fingerprint", "specs/v31.yaml"])
        .expect(0)
        .stdout;
    let printed = printed.trim();
    let loaded = spec::load(&fixture("v31.yaml")).unwrap();
    assert_eq!(printed, loaded.fingerprint.to_string());
    assert!(
        project
            .read("src/pets.rs")
            .contains(&format!("// spec-fingerprint: {printed}")),
        "the header carries the original's fingerprint"
    );
    assert!(project.read("contract-guard.lock").contains(printed));

    // Lowering works on a copy: the loaded document is untouched, and the lowered one would
    // have another fingerprint.
    let before = loaded.document.clone();
    let prepared = for_generator(&loaded.document, &loaded.version);
    assert_eq!(loaded.document, before);
    assert_ne!(prepared.document, before);
    assert_ne!(
        canonical::fingerprint(&prepared.document).unwrap(),
        loaded.fingerprint
    );
    assert_eq!(
        spec::load(&fixture("v31.yaml")).unwrap().fingerprint,
        loaded.fingerprint
    );
}

#[test]
fn generated_clients_compile() {
    let project = Project::single("lowered");
    let macros = repo_root().join("contract-macros");
    let manifest = project.read("Cargo.toml").replace(
        "[dependencies]\n",
        &format!(
            "[dependencies]\ncontract-macros = {{ path = {:?} }}\nprogenitor-client = \"0.15\"\nreqwest = {{ version = \"0.13\", default-features = false, features = [\"json\", \"query\", \"stream\"] }}\nserde = {{ version = \"1.0\", features = [\"derive\"] }}\nserde_json = \"1.0\"\n",
            macros.to_str().unwrap()
        ),
    );
    project.write("Cargo.toml", &manifest);
    std::fs::copy(repo_root().join("Cargo.lock"), project.path("Cargo.lock")).unwrap();
    for (name, fixture_name) in [("pets", "v31.yaml"), ("orders", "multi-response.yaml")] {
        let spec = format!("specs/{fixture_name}");
        project.copy_fixture(fixture_name, &spec);
        let out = format!("src/{name}.rs");
        project
            .run(&["add", name, &spec, "--output", &out, "--no-deps"])
            .expect(0);
    }
    project.run(&["generate"]).expect(0);
    project.write("src/lib.rs", "pub mod orders;\npub mod pets;\n");
    let output = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--offline"])
        .current_dir(project.dir.path())
        .env(
            "CARGO_TARGET_DIR",
            repo_root().join("target/contract-guard-it"),
        )
        .env("CARGO_TERM_COLOR", "never")
        // Generated clients must build under the strictest flags users set.
        .env("RUSTFLAGS", "-Dwarnings")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
