//! The test program of one spec: reads the generated client's methods (with `syn`), matches
//! each to its operation by the `Sends a `METHOD` request to `PATH`` line progenitor writes in
//! its doc, builds the arguments ([`super::arguments`]) and writes a `main.rs` that calls every
//! operation once against the base URL given as its first argument, printing one JSON
//! [`Observation`](super::classify::Observation) line per call.

use std::fmt::Write as _;

use quote::ToTokens;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::arguments;

/// One operation of the spec, and how the program calls it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planned {
    /// `METHOD /path`.
    pub label: String,
    /// The client method, when the client has one.
    pub method: Option<String>,
    /// Why the program does not call it (no method, an argument that cannot be built).
    pub not_called: Option<String>,
}

/// A client method: its name, the operation it sends, its parameters.
#[derive(Debug)]
pub struct Method {
    pub name: String,
    pub http_method: String,
    pub path: String,
    /// `(name, type)`; `generic` says the type is one of the method's type parameters.
    pub parameters: Vec<(String, syn::Type)>,
    pub generics: Vec<String>,
}

/// The methods of `impl Client` blocks in the generated `code`.
pub fn client_methods(code: &str) -> Result<Vec<Method>, String> {
    let file = syn::parse_file(code).map_err(|e| format!("the client does not parse: {e}"))?;
    let mut methods = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() || block.self_ty.to_token_stream().to_string() != "Client" {
            continue;
        }
        for member in &block.items {
            let syn::ImplItem::Fn(function) = member else {
                continue;
            };
            if let Some(method) = method(function) {
                methods.push(method);
            }
        }
    }
    Ok(methods)
}

fn method(function: &syn::ImplItemFn) -> Option<Method> {
    let doc: String = function
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let (http_method, path) = sends(&doc)?;
    let parameters = function
        .sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(typed) => match &*typed.pat {
                syn::Pat::Ident(ident) => Some((ident.ident.to_string(), (*typed.ty).clone())),
                _ => None,
            },
            syn::FnArg::Receiver(_) => None,
        })
        .collect();
    let generics = function
        .sig
        .generics
        .type_params()
        .map(|p| p.ident.to_string())
        .collect();
    Some(Method {
        name: function.sig.ident.to_string(),
        http_method,
        path,
        parameters,
        generics,
    })
}

/// `("GET", "/pets/{id}")` from "Sends a `GET` request to `/pets/{id}`".
pub fn sends(doc: &str) -> Option<(String, String)> {
    let rest = &doc[doc.find("Sends a `")? + "Sends a `".len()..];
    let (http_method, rest) = rest.split_once('`')?;
    let rest = rest.strip_prefix(" request to `")?;
    let (path, _) = rest.split_once('`')?;
    Some((http_method.to_string(), path.to_string()))
}

/// Lowercase letters and digits only: how parameter names are compared with Rust names.
fn comparable(name: &str) -> String {
    name.trim_start_matches("r#")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The operation's parameters (path item's, overridden by the operation's), resolved.
fn spec_parameters<'a>(document: &'a Value, path: &str, method: &str) -> Vec<&'a Value> {
    let item = document.get("paths").and_then(|p| p.get(path));
    let Some(item) = item.and_then(|i| arguments::resolve(document, i, 0).ok()) else {
        return Vec::new();
    };
    let listed = |node: Option<&'a Value>| -> Vec<&'a Value> {
        node.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| arguments::resolve(document, p, 0).ok())
            .collect()
    };
    let operation = item.get(method);
    let mut parameters = listed(operation.and_then(|o| o.get("parameters")));
    for inherited in listed(item.get("parameters")) {
        let key = (inherited.get("name"), inherited.get("in"));
        if !parameters
            .iter()
            .any(|p| (p.get("name"), p.get("in")) == key)
        {
            parameters.push(inherited);
        }
    }
    parameters
}

/// The media type object the client sends for the operation's body (JSON first).
fn body_media<'a>(document: &'a Value, path: &str, method: &str) -> Option<&'a Value> {
    let operation = document.get("paths")?.get(path)?.get(method)?;
    let body = arguments::resolve(document, operation.get("requestBody")?, 0).ok()?;
    let content = body.get("content")?.as_object()?;
    content
        .iter()
        .find(|(media, _)| media.contains("json"))
        .or_else(|| content.iter().next())
        .map(|(_, media)| media)
}

/// The body of `async fn op_<index>(client: &Client) -> Value` calling `method`; `document` is
/// the normalised document the client was generated from.
pub fn call(document: &Value, method: &Method) -> Result<String, String> {
    let http = method.http_method.to_ascii_lowercase();
    let parameters = spec_parameters(document, &method.path, &http);
    let mut code = String::new();
    let mut arguments = Vec::new();
    for (position, (name, ty)) in method.parameters.iter().enumerate() {
        if is_option(ty) {
            arguments.push("None".to_string());
            continue;
        }
        let values = if name == "body" {
            let media = body_media(document, &method.path, &http)
                .ok_or("the client takes a body the spec does not describe")?;
            arguments::body_values(document, media)
        } else {
            let parameter = parameters
                .iter()
                .find(|p| {
                    p.get("name").and_then(Value::as_str).map(comparable) == Some(comparable(name))
                })
                .ok_or_else(|| format!("argument `{name}` matches no parameter of the spec"))?;
            arguments::parameter_values(document, parameter)
        }
        .map_err(|e| format!("`{name}`: {e}"))?;
        let (owned, by_reference) = owned_type(ty, &method.generics);
        let variable = format!("a{position}");
        if owned == "BODY_BYTES" {
            let bytes = match &values[0] {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            writeln!(
                code,
                "    let {variable}: Vec<u8> = {bytes:?}.as_bytes().to_vec();"
            )
            .ok();
        } else {
            let texts: Vec<String> = match owned.as_str() {
                "String" => values
                    .iter()
                    .filter_map(|v| arguments::as_text(v).ok())
                    .map(|t| format!("{:?}", Value::String(t).to_string()))
                    .collect(),
                _ => values
                    .iter()
                    .map(|v| format!("{:?}", v.to_string()))
                    .collect(),
            };
            if texts.is_empty() {
                return Err(format!("`{name}`: no scalar value for a text parameter"));
            }
            writeln!(
                code,
                "    let {variable}: {owned} = match value({name:?}, &[{}]) {{ Ok(v) => v, Err(e) => return e }};",
                texts.join(", ")
            )
            .ok();
        }
        arguments.push(if by_reference {
            format!("&{variable}")
        } else {
            variable
        });
    }
    writeln!(
        code,
        "    observe(client.{}({}).await).await",
        method.name,
        arguments.join(", ")
    )
    .ok();
    Ok(code)
}

fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// The owned type to build (as Rust text) and whether the method takes a reference to it;
/// `BODY_BYTES` for a generic `B: Into<reqwest::Body>`.
fn owned_type(ty: &syn::Type, generics: &[String]) -> (String, bool) {
    let text = |ty: &syn::Type| ty.to_token_stream().to_string().replace("'a ", "");
    match ty {
        syn::Type::Reference(reference) => match &*reference.elem {
            syn::Type::Path(p) if p.path.is_ident("str") => ("String".into(), true),
            syn::Type::Slice(slice) => (format!("Vec<{}>", text(&slice.elem)), true),
            inner => (text(inner), true),
        },
        syn::Type::Path(p)
            if p.path
                .get_ident()
                .is_some_and(|i| generics.contains(&i.to_string())) =>
        {
            ("BODY_BYTES".into(), false)
        }
        other => (text(other), false),
    }
}

/// Headers that satisfy the spec's security schemes Prism checks for presence: every `apiKey`
/// in a header or cookie, and one `Authorization` (the first `http` or OAuth scheme).
pub fn security_headers(document: &Value) -> Vec<(String, String)> {
    let schemes = document
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut cookies = Vec::new();
    for scheme in schemes.into_iter().flat_map(|s| s.values()) {
        let Ok(scheme) = arguments::resolve(document, scheme, 0) else {
            continue;
        };
        let field = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or("");
        let authorization = match (field("type"), field("scheme").to_ascii_lowercase().as_str()) {
            ("apiKey", _) if field("in") == "header" => {
                headers.push((field("name").to_ascii_lowercase(), "conformance".into()));
                None
            }
            ("apiKey", _) if field("in") == "cookie" => {
                cookies.push(format!("{}=conformance", field("name")));
                None
            }
            ("http", "basic") => Some("Basic Y29uZm9ybWFuY2U6Y29uZm9ybWFuY2U="),
            ("http", _) | ("oauth2" | "openIdConnect", _) => Some("Bearer conformance"),
            _ => None,
        };
        if let Some(value) = authorization
            && !headers.iter().any(|(name, _)| name == "authorization")
        {
            headers.push(("authorization".into(), value.into()));
        }
    }
    if !cookies.is_empty() {
        headers.push(("cookie".into(), cookies.join("; ")));
    }
    let token = |name: &str| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    headers.retain(|(name, _)| token(name));
    headers.dedup_by(|a, b| a.0 == b.0);
    headers
}

/// The program's `main.rs`: the harness, one function per called operation, `main`.
pub fn main_rs(calls: &[(usize, String)], headers: &[(String, String)]) -> String {
    let mut out = String::from(HARNESS);
    out.push_str("fn http_client() -> reqwest::Client {\n    let mut headers = reqwest::header::HeaderMap::new();\n");
    for (name, value) in headers {
        writeln!(
            out,
            "    headers.insert(reqwest::header::HeaderName::from_static({name:?}), reqwest::header::HeaderValue::from_static({value:?}));"
        )
        .ok();
    }
    out.push_str("    reqwest::Client::builder().default_headers(headers).timeout(std::time::Duration::from_secs(20)).build().expect(\"an HTTP client\")\n}\n\n");
    for (index, body) in calls {
        writeln!(
            out,
            "async fn op_{index}(client: &Client) -> serde_json::Value {{\n{body}}}\n"
        )
        .ok();
    }
    out.push_str("async fn run(client: &Client) {\n");
    for (index, _) in calls {
        writeln!(out, "    emit({index}, std::panic::AssertUnwindSafe(op_{index}(client)).catch_unwind().await);").ok();
    }
    out.push_str("}\n");
    out
}

/// What every program shares: value parsing, the observation of a result, `main`.
const HARNESS: &str = r#"// Generated by `cargo xtask conformance`: calls every operation once.
#![allow(warnings, clippy::all)]
#[path = "client.rs"]
mod api;
use api::*;
use futures::FutureExt;
use serde_json::json;

fn main() {
    let base = std::env::args().nth(1).expect("the base URL");
    let client = Client::new_with_client(&base, http_client());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(run(&client));
}

/// The first candidate the argument's type accepts.
fn value<T: serde::de::DeserializeOwned>(name: &str, candidates: &[&str]) -> Result<T, serde_json::Value> {
    let mut last = String::new();
    for json in candidates {
        match serde_json::from_str(json) {
            Ok(value) => return Ok(value),
            Err(e) => last = e.to_string(),
        }
    }
    Err(json!({"kind": "argument", "detail": format!("`{name}`: {last}")}))
}

fn violations(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers.get("sl-violations").and_then(|v| v.to_str().ok()).map(str::to_string)
}

fn cut(text: &str) -> String {
    text.chars().take(100_000).collect()
}

async fn observe<T, E>(result: Result<ResponseValue<T>, Error<E>>) -> serde_json::Value {
    match result {
        Ok(v) => json!({"kind": "ok", "status": v.status().as_u16(), "violations": violations(v.headers())}),
        Err(Error::ErrorResponse(v)) => json!({"kind": "error-response", "status": v.status().as_u16(), "violations": violations(v.headers())}),
        Err(Error::InvalidResponsePayload(bytes, e)) => json!({"kind": "invalid-payload", "body": cut(&String::from_utf8_lossy(&bytes)), "detail": e.to_string()}),
        Err(Error::UnexpectedResponse(response)) => {
            let status = response.status().as_u16();
            let found = violations(response.headers());
            let body = response.text().await.unwrap_or_default();
            json!({"kind": "unexpected-response", "status": status, "violations": found, "body": cut(&body)})
        }
        Err(Error::CommunicationError(e)) | Err(Error::ResponseBodyError(e)) | Err(Error::InvalidUpgrade(e)) => {
            json!({"kind": "communication", "detail": e.to_string()})
        }
        Err(Error::InvalidRequest(message)) => json!({"kind": "invalid-request", "detail": message}),
        Err(_) => json!({"kind": "other", "detail": "a hook error"}),
    }
}

fn emit(index: usize, outcome: Result<serde_json::Value, Box<dyn std::any::Any + Send>>) {
    let mut line = outcome.unwrap_or_else(|panic| {
        let message = panic.downcast_ref::<&str>().map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_default();
        json!({"kind": "panic", "detail": message})
    });
    line["index"] = json!(index);
    println!("{line}");
}

"#;

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{call, client_methods, security_headers, sends};

    const CLIENT: &str = r#"
pub struct Client;
impl Client {
    /**Get a pet

Sends a `GET` request to `/pets/{petId}`

Arguments:
- `pet_id`: the id
*/
    pub async fn get_pet<'a>(&'a self, pet_id: &'a str, limit: Option<i64>, kind: types::Kind, body: &'a types::Pet) -> Result<ResponseValue<types::Pet>, Error<()>> { todo!() }
    ///Sends a `PUT` request to `/upload`
    pub async fn upload<'a, B: Into<reqwest::Body>>(&'a self, body: B) -> Result<ResponseValue<()>, Error<()>> { todo!() }
    pub fn new(baseurl: &str) -> Self { todo!() }
}
"#;

    #[test]
    fn the_doc_line_names_the_operation() {
        assert_eq!(
            sends("Get\n\nSends a `DELETE` request to `/a/{b}`\n\nArguments:"),
            Some(("DELETE".into(), "/a/{b}".into()))
        );
        assert_eq!(sends("Create a new client."), None);
    }

    #[test]
    fn calls_pass_built_values_by_reference_and_none_for_optional_ones() {
        let methods = client_methods(CLIENT).unwrap();
        assert_eq!(methods.len(), 2, "`new` is not an operation");
        let document = json!({"paths": {"/pets/{petId}": {
            "parameters": [{"name": "petId", "in": "path", "required": true, "schema": {"type": "integer"}, "example": 42}],
            "get": {
                "parameters": [{"name": "kind", "in": "query", "required": true, "schema": {"type": "string", "enum": ["cat"]}}],
                "requestBody": {"content": {"application/json": {"schema": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}}}
            }
        }}});
        let code = call(&document, &methods[0]).unwrap();
        assert!(
            code.contains(r#"let a0: String = match value("pet_id", &["\"42\"", "\"1\""])"#),
            "{code}"
        );
        assert!(
            code.contains(r#"let a2: types :: Kind = match value("kind", &["\"cat\""])"#),
            "{code}"
        );
        assert!(
            code.contains(
                r#"let a3: types :: Pet = match value("body", &["{\"name\":\"string\"}"])"#
            ),
            "{code}"
        );
        assert!(
            code.contains("observe(client.get_pet(&a0, None, a2, &a3).await).await"),
            "{code}"
        );
    }

    #[test]
    fn an_argument_without_a_parameter_is_not_called_with_the_reason() {
        let methods = client_methods(CLIENT).unwrap();
        let document = json!({"paths": {"/pets/{petId}": {"get": {}}}});
        let error = call(&document, &methods[0]).unwrap_err();
        assert_eq!(error, "argument `pet_id` matches no parameter of the spec");
    }

    #[test]
    fn a_generic_body_is_sent_as_bytes() {
        let methods = client_methods(CLIENT).unwrap();
        let document = json!({"paths": {"/upload": {"put": {"requestBody": {"content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
        }}}}}});
        let code = call(&document, &methods[1]).unwrap();
        assert!(
            code.contains(r#"let a0: Vec<u8> = "string".as_bytes().to_vec();"#),
            "{code}"
        );
        assert!(code.contains("client.upload(a0)"), "{code}");
    }

    #[test]
    fn security_schemes_become_default_headers() {
        let document = json!({"components": {"securitySchemes": {
            "key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
            "query": {"type": "apiKey", "in": "query", "name": "token"},
            "basic": {"type": "http", "scheme": "basic"},
            "bearer": {"type": "http", "scheme": "bearer"},
            "session": {"type": "apiKey", "in": "cookie", "name": "sid"}
        }}});
        assert_eq!(
            security_headers(&document),
            [
                ("x-api-key".to_string(), "conformance".to_string()),
                (
                    "authorization".into(),
                    "Basic Y29uZm9ybWFuY2U6Y29uZm9ybWFuY2U=".into()
                ),
                ("cookie".into(), "sid=conformance".into()),
            ]
        );
    }
}
