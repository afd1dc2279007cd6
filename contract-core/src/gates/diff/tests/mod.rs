//! Rule tests on small hand-written spec pairs, each run in both directions: `old → new` must
//! report the rule, and `new → old` the opposite one (or not the same one). A final test
//! checks that every rule of the catalogue is exercised by some pair.

mod accuracy;
mod big;
mod operations;
mod schemas;
mod security;

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::*;

pub(super) fn openapi(version: &str, paths: Value, components: Value) -> Value {
    json!({
        "openapi": version,
        "info": {"title": "t", "version": "1.0.0"},
        "paths": paths,
        "components": components,
    })
}

pub(super) fn doc(paths: Value) -> Value {
    openapi("3.0.3", paths, json!({}))
}

/// A document whose `POST /pets` sends `schema`.
pub(super) fn request(schema: Value) -> Value {
    doc(json!({"/pets": {"post": {
        "requestBody": {"required": true, "content": {"application/json": {"schema": schema}}},
        "responses": {"204": {"description": "ok"}}
    }}}))
}

/// A document whose `GET /pets` returns `schema`.
pub(super) fn response(schema: Value) -> Value {
    doc(json!({"/pets": {"get": {
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}
    }}}))
}

/// A document whose `GET /pets` takes these parameters.
pub(super) fn params(parameters: Value) -> Value {
    doc(json!({"/pets": {"get": {
        "parameters": parameters,
        "responses": {"204": {"description": "ok"}}
    }}}))
}

pub(super) fn ids(old: &Value, new: &Value) -> Vec<&'static str> {
    compare(old, new).iter().map(|c| c.rule.id()).collect()
}

/// Every rule seen by a [`case`], for the coverage test.
pub(super) static SEEN: std::sync::Mutex<BTreeSet<&'static str>> =
    std::sync::Mutex::new(BTreeSet::new());

/// Asserts `old → new` reports `forward` and `new → old` reports `backward` (when given) and
/// never `forward` (unless both are the same rule).
#[track_caller]
pub(super) fn case(old: &Value, new: &Value, forward: &str, backward: Option<&str>) {
    let there = ids(old, new);
    assert!(
        there.contains(&forward),
        "expected `{forward}` in {there:?}\nold: {old}\nnew: {new}"
    );
    let back = ids(new, old);
    if let Some(backward) = backward {
        assert!(
            back.contains(&backward),
            "expected `{backward}` back in {back:?}\nold: {new}\nnew: {old}"
        );
    }
    if backward != Some(forward) {
        assert!(
            !back.contains(&forward),
            "`{forward}` also reported backwards: {back:?}"
        );
    }
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    seen.extend(there);
    seen.extend(back);
}

#[test]
fn shared_components_are_reported_once_and_cycles_terminate() {
    let node = |extra: Value| {
        let mut props =
            json!({"next": {"$ref": "#/components/schemas/Node"}, "v": {"type": "string"}});
        if !extra.is_null() {
            props["w"] = extra;
        }
        json!({"type": "object", "properties": props, "required": ["v"]})
    };
    let d = |n: Value| {
        let mut d = doc(json!({
            "/a": {"get": {"responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}}}},
            "/b": {"get": {"responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}}}}
        }));
        d["components"] = json!({"schemas": {"Node": n}});
        d
    };
    let changes = compare(&d(node(json!(null))), &d(node(json!({"type": "string"}))));
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].rule, Rule::ResponsePropertyAdded);
    assert_eq!(
        changes[0].new_pointer.as_deref(),
        Some("/components/schemas/Node/properties/w")
    );
    assert_eq!(changes[0].operation.as_deref(), Some("GET /a"));
}

#[test]
fn reports_apply_overrides_ignores_and_version_discipline() {
    let old = response(json!({"type": "string", "enum": ["a"]}));
    let new = response(json!({"type": "string", "enum": ["a", "b"]}));
    let report = diff(&old, &new, &DiffConfig::default());
    assert_eq!(report.summary().breaking, 1);
    assert!(report.rule_counts().contains_key("version-not-bumped"));
    assert!(report.fails(Severity::Breaking));

    let mut bumped = new.clone();
    bumped["info"]["version"] = json!("2.0.0");
    assert!(
        !diff(&old, &bumped, &DiffConfig::default())
            .rule_counts()
            .contains_key("version-not-bumped")
    );

    let lowered = DiffConfig {
        severity: [("response-enum-value-added".to_string(), Severity::Warning)].into(),
        ..DiffConfig::default()
    };
    let report = diff(&old, &new, &lowered);
    assert!(!report.fails(Severity::Breaking));
    assert!(report.fails(Severity::Warning));
    assert!(!report.rule_counts().contains_key("version-not-bumped"));

    let ignored = DiffConfig {
        ignore: vec![Ignore {
            rule: "response-enum-value-added".into(),
            pointer: None,
            operation: Some("GET /pets".into()),
            reason: "clients use a catch-all variant".into(),
        }],
        ..DiffConfig::default()
    };
    let report = diff(&old, &new, &ignored);
    assert!(!report.fails(Severity::Info));
    let s = report.summary();
    assert_eq!((s.breaking, s.ignored), (0, 1));
    let last = report.findings.last().unwrap();
    assert_eq!(
        last.ignored.as_deref(),
        Some("clients use a catch-all variant")
    );
    let json = report.to_json("old.yaml", "new.yaml", Severity::Breaking);
    assert_eq!(json["summary"]["ignored"], 1);
    assert_eq!(
        json["changes"][0]["ignored"],
        "clients use a catch-all variant"
    );
    let md = report.to_markdown("old.yaml", "new.yaml", Severity::Breaking);
    assert!(
        md.contains("<summary>Ignored (1)</summary>")
            && md.contains("Passes at `--fail-on breaking`"),
        "{md}"
    );
}

#[test]
fn hostile_documents_do_not_panic() {
    let cases = [
        json!(null),
        json!([]),
        json!({"paths": []}),
        json!({"paths": {"/a": {"get": {"parameters": {}, "responses": []}}}}),
        json!({"paths": {"/a": {"$ref": "#/paths/~1a"}}}),
        json!({"paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/x"}}}}}, "x": {"$ref": "#/x"}}),
        json!({"components": {"schemas": {"A": {"allOf": [{"$ref": "#/components/schemas/A"}]}, "B": true}}}),
    ];
    for old in &cases {
        for new in &cases {
            let _ = diff(old, new, &DiffConfig::default());
        }
    }
}

#[test]
fn every_rule_is_exercised() {
    // Run the other rule tests here too so this test does not depend on the test order.
    use operations::*;
    use schemas::*;
    use security::*;
    paths_and_operations();
    renamed_path_variables_are_the_same_path();
    document_servers_openapi_version_components_and_webhooks();
    unreached_named_schemas_are_summarised_as_info();
    callbacks_are_compared_as_received();
    parameters();
    request_bodies_and_media_types();
    responses_statuses_media_types_and_headers();
    request_properties();
    response_properties();
    types_and_nullability_in_both_directions();
    enums_formats_and_defaults();
    variants_discriminators_arrays_and_other_schema_rules();
    additional_properties();
    variants_are_matched_by_signature_and_enums_split_into_variants_are_enums();
    validation_keywords_in_both_directions();
    security_schemes();
    security_requirements();
    accuracy::every_pattern();
    let seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .map(|r| r.id())
        .filter(|id| !seen.contains(id) && *id != "version-not-bumped")
        .collect();
    assert!(missing.is_empty(), "rules without a test case: {missing:?}");
}
