//! Paths, operations, parameters, request bodies, responses, webhooks, servers.

use serde_json::{Value, json};

use super::*;

#[test]
pub(super) fn identical_documents_have_no_changes() {
    for d in [
        request(json!({"type": "object", "properties": {"a": {"type": "string"}}})),
        response(json!({"type": "array", "items": {"type": "integer"}})),
        params(json!([{"name": "q", "in": "query", "schema": {"type": "string"}}])),
    ] {
        assert_eq!(ids(&d, &d), Vec::<&str>::new());
    }
}

#[test]
pub(super) fn paths_and_operations() {
    let a = doc(json!({"/pets": {"get": {"responses": {}}}}));
    let b =
        doc(json!({"/pets": {"get": {"responses": {}}}, "/owners": {"get": {"responses": {}}}}));
    case(&b, &a, "path-removed", Some("path-added"));
    let c = doc(json!({"/pets": {"get": {"responses": {}}, "post": {"responses": {}}}}));
    case(&c, &a, "operation-removed", Some("operation-added"));
    let d = doc(json!({"/pets": {"get": {"operationId": "listPets", "responses": {}}}}));
    let e = doc(json!({"/pets": {"get": {"operationId": "pets_list", "responses": {}}}}));
    case(&d, &e, "operation-id-changed", Some("operation-id-changed"));
    // A description-only change: documentation, at info level.
    let described =
        doc(json!({"/pets": {"get": {"description": "```rust\npanic!()\n```", "responses": {}}}}));
    case(
        &a,
        &described,
        "description-changed",
        Some("description-changed"),
    );
    assert_eq!(ids(&a, &described), ["description-changed"]);
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
pub(super) fn renamed_path_variables_are_the_same_path() {
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
pub(super) fn document_servers_openapi_version_components_and_webhooks() {
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
pub(super) fn callbacks_are_compared_as_received() {
    let with = |callbacks: Value| {
        doc(json!({"/subscriptions": {"post": {"responses": {}, "callbacks": callbacks}}}))
    };
    let event = |values: Value| {
        json!({"{$request.body#/url}": {"post": {"requestBody": {"content": {"application/json": {
            "schema": {"type": "string", "enum": values}
        }}}}}})
    };
    case(
        &with(json!({"onEvent": event(json!(["a"]))})),
        &with(json!({})),
        "callback-removed",
        Some("callback-added"),
    );
    // Another URL expression for the same callback is another callback.
    let moved =
        json!({"onEvent": {"{$request.body#/other}": event(json!(["a"]))["{$request.body#/url}"]}});
    case(
        &with(json!({"onEvent": event(json!(["a"]))})),
        &with(moved),
        "callback-removed",
        Some("callback-removed"),
    );
    // The body is sent to the Rust side: an added value breaks its types.
    case(
        &with(json!({"onEvent": event(json!(["a"]))})),
        &with(json!({"onEvent": event(json!(["a", "b"]))})),
        "response-enum-value-added",
        Some("response-enum-value-removed"),
    );
    // Through a `$ref` into `components/callbacks`.
    let mut by_ref = with(json!({"onEvent": {"$ref": "#/components/callbacks/Event"}}));
    by_ref["components"]["callbacks"] = json!({"Event": event(json!(["a", "b"]))});
    case(
        &with(json!({"onEvent": event(json!(["a"]))})),
        &by_ref,
        "response-enum-value-added",
        None,
    );
}

#[test]
pub(super) fn unreached_named_schemas_are_summarised_as_info() {
    let c = |values: Value| {
        openapi(
            "3.0.3",
            json!({}),
            json!({"schemas": {"State": {"type": "string", "enum": values}}}),
        )
    };
    let (one, two) = (c(json!(["open"])), c(json!(["open", "closed"])));
    case(
        &one,
        &two,
        "unreferenced-schema-changed",
        Some("unreferenced-schema-changed"),
    );
    let changes = compare(&one, &two);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(
        changes[0].message,
        "schema `State` changed (1 change(s): response-enum-value-added) (no operation reaches it)"
    );
    assert!(changes[0].affects.is_empty());
    assert_eq!(
        Rule::UnreferencedSchemaChanged.default_severity(),
        Severity::Info
    );
}

#[test]
pub(super) fn parameters() {
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
pub(super) fn header_parameter_names_are_case_insensitive_and_refs_are_followed() {
    let a = params(json!([{"name": "X-Token", "in": "header", "schema": {"type": "string"}}]));
    let mut b = params(json!([{"$ref": "#/components/parameters/token"}]));
    b["components"] = json!({"parameters": {"token": {"name": "x-token", "in": "header", "schema": {"type": "string"}}}});
    assert_eq!(ids(&a, &b), Vec::<&str>::new());
}

#[test]
pub(super) fn request_bodies_and_media_types() {
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
pub(super) fn responses_statuses_media_types_and_headers() {
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
