//! Security schemes and requirements.

use serde_json::{Value, json};

use super::*;

pub(super) fn secured(schemes: Value, root: Option<Value>, op: Option<Value>) -> Value {
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

pub(super) fn oauth(token_url: &str, scopes: Value, extra_flow: bool) -> Value {
    let mut flows = json!({"clientCredentials": {"tokenUrl": token_url, "scopes": scopes}});
    if extra_flow {
        flows["implicit"] =
            json!({"authorizationUrl": "https://auth.example/authorize", "scopes": {}});
    }
    json!({"oauth": {"type": "oauth2", "flows": flows}})
}

#[test]
pub(super) fn security_schemes() {
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
pub(super) fn security_requirements() {
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
    // Several alternatives with the same schemes (Google's style) pair up by their scopes.
    let google = |scopes: [&str; 2]| {
        root(json!([{"oauth": [scopes[0]], "key": []}, {"oauth": [scopes[1]], "key": []}]))
    };
    assert_eq!(
        ids(&google(["read", "write"]), &google(["write", "read"])),
        Vec::<&str>::new()
    );
    let mut changed = ids(&google(["read", "write"]), &google(["read", "admin"]));
    changed.sort_unstable();
    assert_eq!(
        changed,
        vec!["security-scopes-added", "security-scopes-removed"]
    );
    // Both inherit the document's requirement: reported once, at the document.
    let twice = compare(&root(read), &root(json!([{"oauth": ["read", "write"]}])));
    assert_eq!(twice.len(), 1);
    assert_eq!(twice[0].operation, None);
}
