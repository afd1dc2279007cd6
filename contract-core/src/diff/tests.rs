//! Rule tests on small hand-written spec pairs, each run in both directions: `old → new` must
//! report the rule, and `new → old` the opposite one (or not the same one). A final test
//! checks that every rule of the catalogue is exercised here.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::*;

fn openapi(version: &str, paths: Value, components: Value) -> Value {
    json!({
        "openapi": version,
        "info": {"title": "t", "version": "1.0.0"},
        "paths": paths,
        "components": components,
    })
}

fn doc(paths: Value) -> Value {
    openapi("3.0.3", paths, json!({}))
}

/// A document whose `POST /pets` sends `schema`.
fn request(schema: Value) -> Value {
    doc(json!({"/pets": {"post": {
        "requestBody": {"required": true, "content": {"application/json": {"schema": schema}}},
        "responses": {"204": {"description": "ok"}}
    }}}))
}

/// A document whose `GET /pets` returns `schema`.
fn response(schema: Value) -> Value {
    doc(json!({"/pets": {"get": {
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}
    }}}))
}

/// A document whose `GET /pets` takes these parameters.
fn params(parameters: Value) -> Value {
    doc(json!({"/pets": {"get": {
        "parameters": parameters,
        "responses": {"204": {"description": "ok"}}
    }}}))
}

fn ids(old: &Value, new: &Value) -> Vec<&'static str> {
    compare(old, new).iter().map(|c| c.rule.id()).collect()
}

/// Every rule seen by a [`case`], for the coverage test.
static SEEN: std::sync::Mutex<BTreeSet<&'static str>> = std::sync::Mutex::new(BTreeSet::new());

/// Asserts `old → new` reports `forward` and `new → old` reports `backward` (when given) and
/// never `forward` (unless both are the same rule).
#[track_caller]
fn case(old: &Value, new: &Value, forward: &str, backward: Option<&str>) {
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
fn identical_documents_have_no_changes() {
    for d in [
        request(json!({"type": "object", "properties": {"a": {"type": "string"}}})),
        response(json!({"type": "array", "items": {"type": "integer"}})),
        params(json!([{"name": "q", "in": "query", "schema": {"type": "string"}}])),
    ] {
        assert_eq!(ids(&d, &d), Vec::<&str>::new());
    }
}

#[test]
fn paths_and_operations() {
    let a = doc(json!({"/pets": {"get": {"responses": {}}}}));
    let b =
        doc(json!({"/pets": {"get": {"responses": {}}}, "/owners": {"get": {"responses": {}}}}));
    case(&b, &a, "path-removed", Some("path-added"));
    let c = doc(json!({"/pets": {"get": {"responses": {}}, "post": {"responses": {}}}}));
    case(&c, &a, "operation-removed", Some("operation-added"));
    let d = doc(json!({"/pets": {"get": {"operationId": "listPets", "responses": {}}}}));
    let e = doc(json!({"/pets": {"get": {"operationId": "pets_list", "responses": {}}}}));
    case(&d, &e, "operation-id-changed", Some("operation-id-changed"));
    let f = doc(json!({"/pets": {"get": {"deprecated": true, "responses": {}}}}));
    case(
        &a,
        &f,
        "operation-deprecated",
        Some("operation-undeprecated"),
    );
    let g = doc(
        json!({"/pets": {"get": {"servers": [{"url": "https://a.example"}], "responses": {}}}}),
    );
    let h = doc(
        json!({"/pets": {"get": {"servers": [{"url": "https://b.example"}], "responses": {}}}}),
    );
    case(
        &g,
        &h,
        "operation-servers-changed",
        Some("operation-servers-changed"),
    );
}

#[test]
fn renamed_path_variables_are_the_same_path() {
    let p = |var: &str| {
        doc(json!({format!("/pets/{{{var}}}"): {"get": {
            "parameters": [{"name": var, "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {}
        }}}))
    };
    let changes = ids(&p("id"), &p("petId"));
    assert_eq!(changes, vec!["path-parameter-renamed"]);
    case(
        &p("id"),
        &p("petId"),
        "path-parameter-renamed",
        Some("path-parameter-renamed"),
    );
}

#[test]
fn document_servers_openapi_version_components_and_webhooks() {
    let mut a = doc(json!({}));
    let mut b = doc(json!({}));
    a["servers"] = json!([{"url": "https://api.example/v1"}]);
    b["servers"] = json!([{"url": "https://api.example/v2"}]);
    case(&a, &b, "server-removed", Some("server-removed"));
    case(&a, &b, "server-added", Some("server-added"));
    let c = openapi("3.1.0", json!({}), json!({}));
    case(
        &doc(json!({})),
        &c,
        "openapi-version-changed",
        Some("openapi-version-changed"),
    );
    let with = openapi(
        "3.0.3",
        json!({}),
        json!({"schemas": {"Pet": {"type": "object"}}}),
    );
    let without = openapi("3.0.3", json!({}), json!({"schemas": {}}));
    case(
        &with,
        &without,
        "component-schema-removed",
        Some("component-schema-added"),
    );
    let hook = |enum_values: Value| {
        let mut d = doc(json!({}));
        d["x-webhooks"] = json!({"ping": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "string", "enum": enum_values}}}}}}});
        d
    };
    let none = {
        let mut d = doc(json!({}));
        d["x-webhooks"] = json!({});
        d
    };
    case(
        &hook(json!(["a"])),
        &none,
        "webhook-removed",
        Some("webhook-added"),
    );
    // A webhook body is received by the Rust side: an added value breaks it.
    case(
        &hook(json!(["a"])),
        &hook(json!(["a", "b"])),
        "response-enum-value-added",
        Some("response-enum-value-removed"),
    );
}

#[test]
fn unreached_named_schemas_are_compared_as_received() {
    let c = |values: Value| {
        openapi(
            "3.0.3",
            json!({}),
            json!({"schemas": {"State": {"type": "string", "enum": values}}}),
        )
    };
    case(
        &c(json!(["open"])),
        &c(json!(["open", "closed"])),
        "response-enum-value-added",
        Some("response-enum-value-removed"),
    );
}

#[test]
fn parameters() {
    let q = |required: bool| json!({"name": "q", "in": "query", "required": required, "schema": {"type": "string"}});
    let none = params(json!([]));
    case(
        &params(json!([q(false)])),
        &none,
        "request-parameter-removed",
        Some("request-parameter-added-optional"),
    );
    case(
        &none,
        &params(json!([q(true)])),
        "request-parameter-added-required",
        Some("request-parameter-removed"),
    );
    case(
        &params(json!([q(false)])),
        &params(json!([q(true)])),
        "request-parameter-became-required",
        Some("request-parameter-became-optional"),
    );
    let h = json!({"name": "q", "in": "header", "schema": {"type": "string"}});
    case(
        &params(json!([q(false)])),
        &params(json!([h])),
        "request-parameter-location-changed",
        Some("request-parameter-location-changed"),
    );
    let exploded = json!({"name": "q", "in": "query", "explode": false, "schema": {"type": "array", "items": {"type": "string"}}});
    let plain = json!({"name": "q", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}});
    case(
        &params(json!([plain])),
        &params(json!([exploded])),
        "request-parameter-style-changed",
        Some("request-parameter-style-changed"),
    );
    let dep = json!({"name": "q", "in": "query", "deprecated": true, "schema": {"type": "string"}});
    case(
        &params(json!([q(false)])),
        &params(json!([dep])),
        "request-parameter-deprecated",
        None,
    );
    // Parameter schemas are what the client sends.
    let e = |v: Value| {
        params(json!([{"name": "q", "in": "query", "schema": {"type": "string", "enum": v}}]))
    };
    case(
        &e(json!(["a", "b"])),
        &e(json!(["a"])),
        "request-enum-value-removed",
        Some("request-enum-value-added"),
    );
}

#[test]
fn header_parameter_names_are_case_insensitive_and_refs_are_followed() {
    let a = params(json!([{"name": "X-Token", "in": "header", "schema": {"type": "string"}}]));
    let mut b = params(json!([{"$ref": "#/components/parameters/token"}]));
    b["components"] = json!({"parameters": {"token": {"name": "x-token", "in": "header", "schema": {"type": "string"}}}});
    assert_eq!(ids(&a, &b), Vec::<&str>::new());
}

#[test]
fn request_bodies_and_media_types() {
    let body = |required: bool, mt: &str| {
        doc(json!({"/pets": {"post": {
            "requestBody": {"required": required, "content": {mt: {"schema": {"type": "string"}}}},
            "responses": {}
        }}}))
    };
    let none = doc(json!({"/pets": {"post": {"responses": {}}}}));
    case(
        &none,
        &body(true, "application/json"),
        "request-body-added-required",
        Some("request-body-removed"),
    );
    case(
        &none,
        &body(false, "application/json"),
        "request-body-added-optional",
        Some("request-body-removed"),
    );
    case(
        &body(false, "application/json"),
        &body(true, "application/json"),
        "request-body-became-required",
        Some("request-body-became-optional"),
    );
    let two = doc(json!({"/pets": {"post": {
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "string"}}, "text/plain": {"schema": {"type": "string"}}}},
        "responses": {}
    }}}));
    case(
        &two,
        &body(true, "application/json"),
        "request-media-type-removed",
        Some("request-media-type-added"),
    );
    // Parameters of a media type do not make it another one.
    assert_eq!(
        ids(
            &body(true, "application/json"),
            &body(true, "application/json; charset=utf-8")
        ),
        Vec::<&str>::new()
    );
}

#[test]
fn responses_statuses_media_types_and_headers() {
    let r = |responses: Value| doc(json!({"/pets": {"get": {"responses": responses}}}));
    let ok = json!({"description": "ok"});
    case(
        &r(json!({"200": ok})),
        &r(json!({})),
        "response-success-status-removed",
        Some("response-success-status-added"),
    );
    case(
        &r(json!({"200": ok, "404": ok})),
        &r(json!({"200": ok})),
        "response-status-removed",
        Some("response-status-added"),
    );
    let media = |mt: &str| {
        r(json!({"200": {"description": "ok", "content": {mt: {"schema": {"type": "string"}}}}}))
    };
    let two = r(
        json!({"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}, "text/plain": {"schema": {"type": "string"}}}}}),
    );
    case(
        &two,
        &media("application/json"),
        "response-media-type-removed",
        Some("response-media-type-added"),
    );
    let header = |headers: Value| r(json!({"200": {"description": "ok", "headers": headers}}));
    let req = json!({"X-Rate": {"required": true, "schema": {"type": "integer"}}});
    let opt = json!({"X-Rate": {"schema": {"type": "integer"}}});
    case(
        &header(req.clone()),
        &header(json!({})),
        "response-required-header-removed",
        Some("response-header-added"),
    );
    case(
        &header(opt.clone()),
        &header(json!({})),
        "response-header-removed",
        Some("response-header-added"),
    );
    case(
        &header(req),
        &header(opt),
        "response-header-became-optional",
        None,
    );
    let typed = |t: &str| header(json!({"x-rate": {"schema": {"type": t}}}));
    case(
        &typed("integer"),
        &typed("string"),
        "response-type-changed",
        Some("response-type-changed"),
    );
}

fn object(properties: Value, required: Value) -> Value {
    json!({"type": "object", "properties": properties, "required": required})
}

#[test]
fn request_properties() {
    let s = json!({"type": "string"});
    let one = object(json!({"a": s}), json!([]));
    let two_opt = object(json!({"a": s, "b": s}), json!([]));
    let two_req = object(json!({"a": s, "b": s}), json!(["b"]));
    case(
        &request(two_opt.clone()),
        &request(one.clone()),
        "request-property-removed",
        Some("request-property-added-optional"),
    );
    case(
        &request(one),
        &request(two_req.clone()),
        "request-property-added-required",
        None,
    );
    case(
        &request(two_opt.clone()),
        &request(two_req.clone()),
        "request-property-became-required",
        Some("request-property-became-optional"),
    );
    let ro = object(
        json!({"a": s, "b": {"type": "string", "readOnly": true}}),
        json!([]),
    );
    case(
        &request(two_opt),
        &request(ro.clone()),
        "request-property-became-read-only",
        None,
    );
    // A required read-only property is never sent, so it is not required of requests.
    let ro_req = object(
        json!({"a": s, "b": {"type": "string", "readOnly": true}}),
        json!(["b"]),
    );
    assert_eq!(ids(&request(ro), &request(ro_req)), Vec::<&str>::new());
}

#[test]
fn response_properties() {
    let s = json!({"type": "string"});
    let one = object(json!({"a": s}), json!(["a"]));
    let two_opt = object(json!({"a": s, "b": s}), json!(["a"]));
    let two_req = object(json!({"a": s, "b": s}), json!(["a", "b"]));
    case(
        &response(two_req.clone()),
        &response(one.clone()),
        "response-required-property-removed",
        Some("response-property-added"),
    );
    case(
        &response(two_opt.clone()),
        &response(one.clone()),
        "response-optional-property-removed",
        Some("response-property-added"),
    );
    case(
        &response(two_req.clone()),
        &response(two_opt.clone()),
        "response-property-became-optional",
        Some("response-property-became-required"),
    );
    let closed = json!({"type": "object", "properties": {"a": s}, "additionalProperties": false});
    let closed_more =
        json!({"type": "object", "properties": {"a": s, "b": s}, "additionalProperties": false});
    case(
        &response(closed),
        &response(closed_more),
        "response-property-added-to-closed-object",
        Some("response-optional-property-removed"),
    );
    let wo = object(
        json!({"a": s, "b": {"type": "string", "writeOnly": true}}),
        json!(["a"]),
    );
    case(
        &response(two_opt),
        &response(wo),
        "response-property-became-write-only",
        None,
    );
    // Moving properties into an `allOf` base is no change.
    let mut flat = response(json!({"$ref": "#/components/schemas/Pet"}));
    flat["components"] =
        json!({"schemas": {"Pet": object(json!({"id": s, "name": s}), json!(["id"]))}});
    let mut composed = response(json!({"$ref": "#/components/schemas/Pet"}));
    composed["components"] = json!({"schemas": {
        "Base": object(json!({"id": s}), json!(["id"])),
        "Pet": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {"name": s}}]}
    }});
    let changes: Vec<_> = ids(&flat, &composed)
        .into_iter()
        .filter(|r| !r.starts_with("component-schema"))
        .collect();
    assert_eq!(changes, Vec::<&str>::new());
}

#[test]
fn types_and_nullability_in_both_directions() {
    let t = |v: Value| json!({"type": v});
    case(
        &request(t(json!("integer"))),
        &request(t(json!("string"))),
        "request-type-changed",
        Some("request-type-changed"),
    );
    case(
        &request(t(json!("integer"))),
        &request(t(json!("number"))),
        "request-type-widened",
        Some("request-type-changed"),
    );
    case(
        &response(t(json!("integer"))),
        &response(t(json!("number"))),
        "response-type-changed",
        Some("response-type-narrowed"),
    );
    // 3.0 `nullable` and 3.1 `type: [T, "null"]` are the same thing.
    let n30 = json!({"type": "string", "nullable": true});
    let n31 = openapi(
        "3.1.0",
        json!({"/pets": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": ["string", "null"]}}}}}}}}),
        json!({}),
    );
    let plain = response(json!({"type": "string"}));
    case(
        &plain,
        &response(n30.clone()),
        "response-became-nullable",
        Some("response-became-non-nullable"),
    );
    case(
        &plain,
        &n31,
        "response-became-nullable",
        Some("response-became-non-nullable"),
    );
    let same: Vec<_> = ids(&response(n30.clone()), &n31)
        .into_iter()
        .filter(|r| *r != "openapi-version-changed")
        .collect();
    assert_eq!(same, Vec::<&str>::new());
    case(
        &request(json!({"type": "string"})),
        &request(n30),
        "request-became-nullable",
        Some("request-became-non-nullable"),
    );
    // `anyOf: [X, {type: null}]` is a nullable X.
    let wrapped = response(json!({"anyOf": [{"type": "string"}, {"type": "null"}]}));
    assert_eq!(ids(&plain, &wrapped), vec!["response-became-nullable"]);
    // `allOf: [X]` with a description is X.
    let mut a = response(json!({"$ref": "#/components/schemas/S"}));
    a["components"] = json!({"schemas": {"S": {"type": "string", "enum": ["x"]}}});
    let mut b = response(
        json!({"allOf": [{"$ref": "#/components/schemas/S"}], "description": "the state"}),
    );
    b["components"] = a["components"].clone();
    assert_eq!(ids(&a, &b), Vec::<&str>::new());
}

#[test]
fn enums_formats_and_defaults() {
    let e = |v: Value| json!({"type": "string", "enum": v});
    case(
        &response(e(json!(["a"]))),
        &response(e(json!(["a", "b"]))),
        "response-enum-value-added",
        Some("response-enum-value-removed"),
    );
    case(
        &request(e(json!(["a", "b"]))),
        &request(e(json!(["a"]))),
        "request-enum-value-removed",
        Some("request-enum-value-added"),
    );
    let s = json!({"type": "string"});
    case(
        &request(s.clone()),
        &request(e(json!(["a"]))),
        "request-enum-added",
        Some("request-enum-removed"),
    );
    case(
        &response(e(json!(["a"]))),
        &response(s.clone()),
        "response-enum-removed",
        Some("response-enum-added"),
    );
    // `const` is a one-value enum.
    case(
        &response(json!({"const": "a"})),
        &response(e(json!(["a", "b"]))),
        "response-enum-value-added",
        None,
    );
    let f = |fmt: &str| json!({"type": "string", "format": fmt});
    case(
        &request(s.clone()),
        &request(f("date-time")),
        "request-format-changed",
        Some("request-format-removed"),
    );
    case(
        &response(f("date-time")),
        &response(s.clone()),
        "response-format-changed",
        Some("response-format-added"),
    );
    case(
        &response(f("date")),
        &response(f("date-time")),
        "response-format-changed",
        Some("response-format-changed"),
    );
    let d = |v: Value| json!({"type": "integer", "default": v});
    case(
        &request(d(json!(10))),
        &request(d(json!(20))),
        "request-default-changed",
        Some("request-default-changed"),
    );
    case(
        &response(d(json!(10))),
        &response(d(json!(20))),
        "response-default-changed",
        Some("response-default-changed"),
    );
}

#[test]
fn variants_discriminators_arrays_and_other_schema_rules() {
    let base = json!({"schemas": {
        "Cat": {"type": "object", "properties": {"meow": {"type": "boolean"}, "kind": {"type": "string"}}},
        "Dog": {"type": "object", "properties": {"bark": {"type": "boolean"}}}
    }});
    let with = |d: Value, _unused: Value| {
        let mut d = d;
        d["components"] = base.clone();
        d
    };
    let one = json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}]});
    let two = json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]});
    case(
        &with(response(one.clone()), one.clone()),
        &with(response(two.clone()), two.clone()),
        "response-variant-added",
        Some("response-variant-removed"),
    );
    case(
        &with(request(two.clone()), two.clone()),
        &with(request(one.clone()), one.clone()),
        "request-variant-removed",
        Some("request-variant-added"),
    );
    // A plain schema that becomes one of several: a new variant.
    case(
        &response(json!({"type": "string"})),
        &response(json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})),
        "response-variant-added",
        None,
    );
    let disc = |p: &str| json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}], "discriminator": {"propertyName": p}});
    case(
        &with(response(disc("kind")), json!(null)),
        &with(response(disc("type")), json!(null)),
        "discriminator-property-changed",
        Some("discriminator-property-changed"),
    );
    let mapped = |m: Value| json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}], "discriminator": {"propertyName": "kind", "mapping": m}});
    case(
        &with(
            response(mapped(json!({"cat": "#/components/schemas/Cat"}))),
            json!(null),
        ),
        &with(
            response(mapped(json!({"kitty": "#/components/schemas/Cat"}))),
            json!(null),
        ),
        "discriminator-mapping-changed",
        Some("discriminator-mapping-changed"),
    );
    let arr = |items: Value| json!({"type": "array", "items": items});
    case(
        &response(arr(json!({"type": "integer"}))),
        &response(arr(json!({"type": "string"}))),
        "response-type-changed",
        Some("response-type-changed"),
    );
    case(
        &response(json!({"type": "string"})),
        &response(json!({"type": "string", "deprecated": true})),
        "schema-deprecated",
        None,
    );
    case(
        &request(json!({"type": "string"})),
        &request(json!({"type": "string", "not": {"enum": ["x"]}})),
        "schema-not-changed",
        Some("schema-not-changed"),
    );
    case(
        &response(json!({"$ref": "other.yaml#/A"})),
        &response(json!({"$ref": "other.yaml#/B"})),
        "unresolved-ref-changed",
        Some("unresolved-ref-changed"),
    );
}

#[test]
fn variants_are_matched_by_signature_and_enums_split_into_variants_are_enums() {
    // Inline `allOf` variants matched by the references they combine, wherever they move.
    let rule = |names: &[&str]| {
        let members: Vec<Value> = names
            .iter()
            .map(|n| json!({"allOf": [{"$ref": format!("#/components/schemas/{n}")}, {"$ref": "#/components/schemas/Info"}]}))
            .collect();
        let mut d = response(json!({"oneOf": members}));
        let mut schemas =
            json!({"Info": {"type": "object", "properties": {"id": {"type": "integer"}}}});
        for n in ["A", "B", "C"] {
            schemas[n] =
                json!({"type": "object", "properties": {"type": {"type": "string", "enum": [n]}}});
        }
        d["components"] = json!({"schemas": schemas});
        d
    };
    assert_eq!(
        ids(&rule(&["A", "C"]), &rule(&["A", "B", "C"])),
        vec!["response-variant-added"]
    );
    // Discriminating single-value enums identify inline variants too.
    let tagged = |tags: &[&str]| {
        let members: Vec<Value> = tags
            .iter()
            .map(|t| json!({"type": "object", "properties": {"kind": {"type": "string", "enum": [t]}, "x": {"type": "string"}}}))
            .collect();
        response(json!({"oneOf": members}))
    };
    assert_eq!(
        ids(&tagged(&["a", "c"]), &tagged(&["a", "b", "c"])),
        vec!["response-variant-added"]
    );
    // An enum rewritten as a `oneOf` of one-value enums is the same enum.
    let plain = response(json!({"type": "string", "enum": ["x", "y"]}));
    let split = response(
        json!({"oneOf": [{"type": "string", "enum": ["x"]}, {"type": "string", "enum": ["y"]}]}),
    );
    assert_eq!(ids(&plain, &split), Vec::<&str>::new());
    let more = response(
        json!({"oneOf": [{"type": "string", "enum": ["x"]}, {"type": "string", "enum": ["y", "z"]}]}),
    );
    assert_eq!(ids(&plain, &more), vec!["response-enum-value-added"]);
    // A nullable parent: its variants need not repeat `nullable`.
    let a = request(json!({"type": "string", "nullable": true}));
    let b = request(
        json!({"nullable": true, "oneOf": [{"type": "string"}, {"type": "object", "properties": {"v": {"type": "string"}}}]}),
    );
    assert_eq!(ids(&a, &b), vec!["request-variant-added"]);
    // Alternative `required` sets constrain the parent; they are not variants.
    let s = json!({"type": "string"});
    let old =
        request(json!({"type": "object", "properties": {"id": s, "name": s}, "required": ["id"]}));
    let new = request(
        json!({"type": "object", "properties": {"id": s, "name": s}, "oneOf": [{"required": ["id"]}, {"required": ["name"]}]}),
    );
    case(
        &old,
        &new,
        "composition-constraints-changed",
        Some("composition-constraints-changed"),
    );
    assert!(!ids(&old, &new).iter().any(|r| r.contains("variant")));
}

#[test]
fn additional_properties() {
    let open = json!({"type": "object"});
    let closed = json!({"type": "object", "additionalProperties": false});
    let typed = json!({"type": "object", "additionalProperties": {"type": "integer"}});
    case(
        &request(open.clone()),
        &request(closed.clone()),
        "request-additional-properties-restricted",
        Some("request-additional-properties-loosened"),
    );
    case(
        &response(closed),
        &response(open.clone()),
        "response-additional-properties-allowed",
        Some("response-additional-properties-restricted"),
    );
    case(
        &response(typed.clone()),
        &response(open),
        "response-additional-properties-allowed",
        None,
    );
    let typed_s = json!({"type": "object", "additionalProperties": {"type": "string"}});
    case(
        &response(typed),
        &response(typed_s),
        "response-type-changed",
        Some("response-type-changed"),
    );
}

#[test]
fn validation_keywords_in_both_directions() {
    let table: [(&str, Value, Value); 11] = [
        (
            "maximum",
            json!({"type": "integer", "maximum": 100}),
            json!({"type": "integer", "maximum": 50}),
        ),
        (
            "minimum",
            json!({"type": "integer", "minimum": 1}),
            json!({"type": "integer", "minimum": 5}),
        ),
        (
            "max-length",
            json!({"type": "string", "maxLength": 100}),
            json!({"type": "string", "maxLength": 10}),
        ),
        (
            "min-length",
            json!({"type": "string"}),
            json!({"type": "string", "minLength": 1}),
        ),
        (
            "max-items",
            json!({"type": "array", "items": {"type": "string"}}),
            json!({"type": "array", "items": {"type": "string"}, "maxItems": 3}),
        ),
        (
            "min-items",
            json!({"type": "array", "items": {"type": "string"}, "minItems": 1}),
            json!({"type": "array", "items": {"type": "string"}, "minItems": 2}),
        ),
        (
            "max-properties",
            json!({"type": "object"}),
            json!({"type": "object", "maxProperties": 3}),
        ),
        (
            "min-properties",
            json!({"type": "object"}),
            json!({"type": "object", "minProperties": 1}),
        ),
        (
            "pattern",
            json!({"type": "string"}),
            json!({"type": "string", "pattern": "^[a-z]+$"}),
        ),
        (
            "multiple-of",
            json!({"type": "number", "multipleOf": 0.5}),
            json!({"type": "number", "multipleOf": 1}),
        ),
        (
            "unique-items",
            json!({"type": "array", "items": {"type": "string"}}),
            json!({"type": "array", "items": {"type": "string"}, "uniqueItems": true}),
        ),
    ];
    for (kw, loose, tight) in table {
        case(
            &request(loose.clone()),
            &request(tight.clone()),
            &format!("request-{kw}-tightened"),
            Some(&format!("request-{kw}-loosened")),
        );
        case(
            &response(tight),
            &response(loose),
            &format!("response-{kw}-loosened"),
            Some(&format!("response-{kw}-tightened")),
        );
    }
    // 3.0's boolean and 3.1's numeric exclusive bounds are read alike.
    let b30 = response(json!({"type": "integer", "maximum": 10, "exclusiveMaximum": true}));
    let b31 = response(json!({"type": "integer", "exclusiveMaximum": 10}));
    assert_eq!(ids(&b30, &b31), Vec::<&str>::new());
    let inclusive = request(json!({"type": "integer", "maximum": 10}));
    case(
        &inclusive,
        &request(json!({"type": "integer", "exclusiveMaximum": 10})),
        "request-maximum-tightened",
        Some("request-maximum-loosened"),
    );
    // A changed pattern is both tighter and looser.
    let p = |re: &str| json!({"type": "string", "pattern": re});
    case(
        &request(p("^a")),
        &request(p("^b")),
        "request-pattern-tightened",
        Some("request-pattern-tightened"),
    );
    case(
        &response(p("^a")),
        &response(p("^b")),
        "response-pattern-loosened",
        Some("response-pattern-loosened"),
    );
}

fn secured(schemes: Value, root: Option<Value>, op: Option<Value>) -> Value {
    let mut operation = json!({"responses": {}});
    if let Some(op) = op {
        operation["security"] = op;
    }
    let mut d = openapi(
        "3.0.3",
        json!({"/pets": {"get": operation}}),
        json!({"securitySchemes": schemes}),
    );
    if let Some(root) = root {
        d["security"] = root;
    }
    d
}

fn oauth(token_url: &str, scopes: Value, extra_flow: bool) -> Value {
    let mut flows = json!({"clientCredentials": {"tokenUrl": token_url, "scopes": scopes}});
    if extra_flow {
        flows["implicit"] =
            json!({"authorizationUrl": "https://auth.example/authorize", "scopes": {}});
    }
    json!({"oauth": {"type": "oauth2", "flows": flows}})
}

#[test]
fn security_schemes() {
    let key = |loc: &str, name: &str| json!({"key": {"type": "apiKey", "in": loc, "name": name}});
    case(
        &secured(key("header", "X-Key"), None, None),
        &secured(json!({}), None, None),
        "security-scheme-removed",
        Some("security-scheme-added"),
    );
    case(
        &secured(key("header", "X-Key"), None, None),
        &secured(key("query", "X-Key"), None, None),
        "security-scheme-api-key-changed",
        Some("security-scheme-api-key-changed"),
    );
    case(
        &secured(key("header", "X-Key"), None, None),
        &secured(key("header", "X-Api-Key"), None, None),
        "security-scheme-api-key-changed",
        Some("security-scheme-api-key-changed"),
    );
    let http = |scheme: &str, format: &str| json!({"key": {"type": "http", "scheme": scheme, "bearerFormat": format}});
    case(
        &secured(key("header", "X"), None, None),
        &secured(http("bearer", "JWT"), None, None),
        "security-scheme-type-changed",
        Some("security-scheme-type-changed"),
    );
    case(
        &secured(http("basic", "JWT"), None, None),
        &secured(http("bearer", "JWT"), None, None),
        "security-scheme-http-scheme-changed",
        Some("security-scheme-http-scheme-changed"),
    );
    case(
        &secured(http("bearer", "JWT"), None, None),
        &secured(http("bearer", "opaque"), None, None),
        "security-scheme-bearer-format-changed",
        Some("security-scheme-bearer-format-changed"),
    );
    let s = json!({"read": "r", "write": "w"});
    case(
        &secured(
            oauth("https://a.example/token", s.clone(), true),
            None,
            None,
        ),
        &secured(
            oauth("https://a.example/token", s.clone(), false),
            None,
            None,
        ),
        "security-scheme-oauth-flow-removed",
        Some("security-scheme-oauth-flow-added"),
    );
    case(
        &secured(
            oauth("https://a.example/token", s.clone(), false),
            None,
            None,
        ),
        &secured(
            oauth("https://evil.example/token", s.clone(), false),
            None,
            None,
        ),
        "security-scheme-oauth-url-changed",
        Some("security-scheme-oauth-url-changed"),
    );
    case(
        &secured(oauth("https://a.example/token", s, false), None, None),
        &secured(
            oauth("https://a.example/token", json!({"read": "r"}), false),
            None,
            None,
        ),
        "security-scheme-scope-removed",
        Some("security-scheme-scope-added"),
    );
    let oidc = |url: &str| json!({"key": {"type": "openIdConnect", "openIdConnectUrl": url}});
    case(
        &secured(oidc("https://a.example/.well-known"), None, None),
        &secured(oidc("https://b.example/.well-known"), None, None),
        "security-scheme-openid-url-changed",
        Some("security-scheme-openid-url-changed"),
    );
}

#[test]
fn security_requirements() {
    let schemes = json!({
        "oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a.example/t", "scopes": {"read": "", "write": ""}}}},
        "key": {"type": "apiKey", "in": "header", "name": "X-Key"}
    });
    let root = |v: Value| secured(schemes.clone(), Some(v), None);
    let op = |v: Value| secured(schemes.clone(), Some(json!([{"oauth": ["read"]}])), Some(v));
    let read = json!([{"oauth": ["read"]}]);
    // The operation opts out of the document's requirement: fail-open.
    case(
        &root(read.clone()),
        &op(json!([])),
        "security-requirement-removed",
        Some("security-requirement-added"),
    );
    case(
        &root(read.clone()),
        &root(json!([])),
        "security-requirement-removed",
        Some("security-requirement-added"),
    );
    case(
        &root(read.clone()),
        &root(json!([{"oauth": ["read"]}, {}])),
        "security-requirement-made-optional",
        Some("security-requirement-added"),
    );
    case(
        &root(read.clone()),
        &root(json!([{"oauth": ["read"]}, {"key": []}])),
        "security-alternative-added",
        Some("security-alternative-removed"),
    );
    case(
        &root(read.clone()),
        &op(json!([{"oauth": ["read", "write"]}])),
        "security-scopes-added",
        Some("security-scopes-removed"),
    );
    let counted = compare(
        &root(read.clone()),
        &op(json!([{"oauth": ["read", "write"]}])),
    );
    assert_eq!(counted.len(), 1, "{counted:?}");
    assert_eq!(
        counted[0].new_pointer.as_deref(),
        Some("/paths/~1pets/get/security")
    );
    assert_eq!(counted[0].operation.as_deref(), Some("GET /pets"));
    // Both inherit the document's requirement: reported once, at the document.
    let twice = compare(&root(read), &root(json!([{"oauth": ["read", "write"]}])));
    assert_eq!(twice.len(), 1);
    assert_eq!(twice[0].operation, None);
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
        md.contains("### Ignored (1)") && md.contains("Passes at `--fail-on breaking`"),
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
    paths_and_operations();
    renamed_path_variables_are_the_same_path();
    document_servers_openapi_version_components_and_webhooks();
    unreached_named_schemas_are_compared_as_received();
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
    let seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .map(|r| r.id())
        .filter(|id| !seen.contains(id) && *id != "version-not-bumped")
        .collect();
    assert!(missing.is_empty(), "rules without a test case: {missing:?}");
}
