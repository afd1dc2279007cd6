//! The `Accept` header each operation sends. `normalize/response-json` renames JSON media types
//! spelled otherwise (`application/vnd.amadeus+json`, `application/hal+json`) to
//! `application/json` so that the generator types the response, and progenitor then asks for
//! `application/json`: a request the spec does not describe, which a server offering only its
//! own media type refuses (`406`; found by `cargo xtask conformance` against Prism). Here the
//! header of an operation whose responses do not offer `application/json` names the media
//! types they declare instead.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use serde_json::Value;
use syn::visit::Visit;

use crate::spec::media_type_essence;

/// Rewrites the `Accept` header of every operation in `file` whose responses in `document` (the
/// spec as written) declare JSON media types but not `application/json`.
pub(super) fn restore(file: &mut syn::File, document: &Value) {
    let operations = client_operations(file);
    let rewrite = |function: &mut syn::Block| {
        let mut found = OperationId(None);
        found.visit_block(function);
        let Some((method, path)) = found.0.and_then(|id| operations.get(&id)) else {
            return;
        };
        if let Some(block) = accept(document, method, path).and_then(|a| with_accept(function, &a))
        {
            *function = block;
        }
    };
    for item in &mut file.items {
        match item {
            syn::Item::Impl(block) => {
                for member in &mut block.items {
                    if let syn::ImplItem::Fn(function) = member {
                        rewrite(&mut function.block);
                    }
                }
            }
            syn::Item::Mod(module) => {
                // The builder interface sends from `builder::<Operation>::send`.
                for inner in module.content.iter_mut().flat_map(|(_, items)| items) {
                    let syn::Item::Impl(block) = inner else {
                        continue;
                    };
                    for member in &mut block.items {
                        if let syn::ImplItem::Fn(function) = member {
                            rewrite(&mut function.block);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Client method name → (HTTP method, path), from the "Sends a `GET` request to `/path`" line
/// progenitor writes in each method's documentation (the method name is the operation id the
/// request code records).
fn client_operations(file: &syn::File) -> std::collections::BTreeMap<String, (String, String)> {
    let mut operations = std::collections::BTreeMap::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        for member in &block.items {
            let syn::ImplItem::Fn(function) = member else {
                continue;
            };
            let doc: String = function
                .attrs
                .iter()
                .filter_map(|attribute| match &attribute.meta {
                    syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(text),
                            ..
                        }) => Some(text.value()),
                        _ => None,
                    },
                    _ => None,
                })
                .collect();
            if let Some(sends) = sends(&doc) {
                operations.insert(function.sig.ident.to_string(), sends);
            }
        }
    }
    operations
}

/// `("GET", "/pets/{id}")` from "Sends a `GET` request to `/pets/{id}`".
fn sends(doc: &str) -> Option<(String, String)> {
    let rest = &doc[doc.find("Sends a `")? + "Sends a `".len()..];
    let (method, rest) = rest.split_once('`')?;
    let (path, _) = rest.strip_prefix(" request to `")?.split_once('`')?;
    Some((method.to_ascii_lowercase(), path.to_string()))
}

/// The `Accept` value for the operation: its responses' media types as the spec spells them,
/// when `application/json` is not one of them (progenitor asks for JSON whenever a response is
/// typed; a `text/plain` success beside `+json` errors would get `406`).
fn accept(document: &Value, method: &str, path: &str) -> Option<String> {
    let components = document.get("components").unwrap_or(&Value::Null);
    let paths = document.get("paths")?.as_object()?;
    let item = match paths.get(path) {
        Some(item) => item,
        // Path parameters renamed by normalisation: the same path otherwise.
        None => {
            paths
                .iter()
                .find(|(p, _)| path_shape(p) == path_shape(path))?
                .1
        }
    };
    let operation = item.get(method)?;
    let mut media_types: Vec<&str> = Vec::new();
    for response in operation.get("responses")?.as_object()?.values() {
        let response = crate::codegen::normalize::resolve(response, components);
        for media_type in response
            .get("content")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            let essence = media_type_essence(media_type);
            if essence == "application/json" {
                return None;
            }
            if !media_types.contains(&media_type.as_str()) {
                media_types.push(media_type);
            }
        }
    }
    (!media_types.is_empty()).then(|| media_types.join(", "))
}

/// The path with its parameters' names left out: `/a/{}/b` (generated methods may rename
/// path parameters; the shape still names the operation's route).
pub fn path_shape(path: &str) -> String {
    let mut out = String::new();
    let mut in_parameter = false;
    for c in path.chars() {
        match c {
            '{' => in_parameter = true,
            '}' => {
                in_parameter = false;
                out.push_str("{}");
            }
            _ if !in_parameter => out.push(c),
            _ => {}
        }
    }
    out
}

/// The `operation_id` of the `OperationInfo` a request body records.
struct OperationId(Option<String>);

impl<'ast> Visit<'ast> for OperationId {
    fn visit_expr_struct(&mut self, node: &'ast syn::ExprStruct) {
        if node
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "OperationInfo")
        {
            for field in &node.fields {
                if let (
                    syn::Member::Named(name),
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(id),
                        ..
                    }),
                ) = (&field.member, &field.expr)
                    && name == "operation_id"
                {
                    self.0 = Some(id.value());
                }
            }
        }
        syn::visit::visit_expr_struct(self, node);
    }
}

/// `block` with the literal of `.header(ACCEPT, HeaderValue::from_static("application/json"))`
/// replaced by `accept` (a token walk: the header value is the first `from_static("…")` after
/// the `ACCEPT` identifier).
fn with_accept(block: &syn::Block, accept: &str) -> Option<syn::Block> {
    fn walk(stream: TokenStream, accept: &str, armed: &mut bool) -> TokenStream {
        let mut previous_from_static = false;
        stream
            .into_iter()
            .map(|tree| {
                let tree = match tree {
                    TokenTree::Ident(ident) => {
                        *armed |= ident == "ACCEPT";
                        previous_from_static = ident == "from_static";
                        return TokenTree::Ident(ident);
                    }
                    TokenTree::Group(group) if *armed && previous_from_static => {
                        // `("application/json")`, possibly with a trailing comma.
                        let mut arguments = group.stream().into_iter();
                        let first = arguments.next().map(TokenStream::from);
                        let literal = first.and_then(|t| syn::parse2::<syn::LitStr>(t).ok());
                        if literal.is_some_and(|l| l.value() == "application/json") {
                            *armed = false;
                            let mut value =
                                syn::LitStr::new(accept, group.span()).to_token_stream();
                            value.extend(arguments);
                            let mut replaced = proc_macro2::Group::new(group.delimiter(), value);
                            replaced.set_span(group.span());
                            TokenTree::Group(replaced)
                        } else {
                            TokenTree::Group(group)
                        }
                    }
                    TokenTree::Group(group) => {
                        let inner = walk(group.stream(), accept, armed);
                        let mut rebuilt = proc_macro2::Group::new(group.delimiter(), inner);
                        rebuilt.set_span(group.span());
                        TokenTree::Group(rebuilt)
                    }
                    other => other,
                };
                previous_from_static = false;
                tree
            })
            .collect()
    }
    let mut armed = false;
    syn::parse2(walk(block.to_token_stream(), accept, &mut armed)).ok()
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;
    use serde_json::json;

    const CLIENT: &str = r#"
impl Client {
    ///Sends a `GET` request to `/trips/{id}`
    pub async fn get_trip<'a>(&'a self, id: &'a str) -> Result<ResponseValue<types::Trip>, Error<()>> {
        // progenitor writes a trailing comma in the call.
        let mut request = self.client.get(url).header(
            ::reqwest::header::ACCEPT,
            ::reqwest::header::HeaderValue::from_static("application/json",),
        ).build()?;
        let info = OperationInfo { operation_id: "get_trip" };
        todo!()
    }
    ///Sends a `GET` request to `/plain`
    pub async fn get_plain<'a>(&'a self) -> Result<ResponseValue<types::Trip>, Error<()>> {
        let mut request = self.client.get(url).header(
            ::reqwest::header::ACCEPT,
            ::reqwest::header::HeaderValue::from_static("application/json"),
        ).build()?;
        let info = OperationInfo { operation_id: "get_plain" };
        todo!()
    }
}
"#;

    fn accepts(file: &syn::File) -> Vec<String> {
        let text = file.to_token_stream().to_string();
        text.match_indices("from_static (\"")
            .map(|(at, _)| {
                let rest = &text[at + "from_static (\"".len()..];
                rest[..rest.find('"').unwrap()].to_string()
            })
            .collect()
    }

    #[test]
    fn operations_ask_for_the_json_media_types_their_spec_declares() {
        let document = json!({
            "paths": {
                "/trips/{tripId}": {"get": {"responses": {
                    "200": {"$ref": "#/components/responses/Trip"},
                    "400": {"description": "", "content": {"application/problem+json": {}}},
                    "500": {"description": "", "content": {"text/plain": {}}}
                }}},
                "/plain": {"get": {"responses": {
                    "200": {"description": "", "content": {"application/json": {}}},
                    "400": {"description": "", "content": {"application/problem+json": {}}}
                }}}
            },
            "components": {"responses": {"Trip": {"description": "", "content": {
                "application/vnd.amadeus+json": {}
            }}}}
        });
        let mut file: syn::File = syn::parse_str(CLIENT).unwrap();
        // The client's path names `{id}`, the spec's `{tripId}` (renamed by normalisation).
        super::restore(&mut file, &document);
        assert_eq!(
            accepts(&file),
            [
                "application/vnd.amadeus+json, application/problem+json, text/plain",
                "application/json"
            ]
        );
    }
}
