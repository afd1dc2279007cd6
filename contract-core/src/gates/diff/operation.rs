//! One operation against its counterpart: operationId, deprecation, servers, parameters
//! (matched by name and location, path variables by position), request bodies and responses
//! (matched by status code and media type), response headers. Schemas go to
//! [`super::schema`], security requirements to [`super::security`], callbacks to
//! [`super::callbacks`].

use serde_json::Value;

use super::resolve::{Node, child, index, object_at};
use super::rules::Rule;
use super::walk::{Cx, Dir, Memo};
use super::{schema, security};

/// An operation in both documents, with the path items around them.
pub(super) struct OpPair<'n, 'a> {
    pub old_item: &'n Node<'a>,
    pub new_item: &'n Node<'a>,
    pub old: Node<'a>,
    pub new: Node<'a>,
}

fn flag(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// Compares one operation.
pub(super) fn compare<'a>(cx: &mut Cx<'a>, pair: &OpPair<'_, 'a>, renames: &[(String, String)]) {
    let (old_operation, new_operation) = (pair.old.value, pair.new.value);
    let (old_ptr, new_ptr) = (&pair.old.pointer, &pair.new.pointer);
    let (old_id, new_id) = (
        old_operation.get("operationId").and_then(Value::as_str),
        new_operation.get("operationId").and_then(Value::as_str),
    );
    if old_id != new_id {
        cx.emit(
            Rule::OperationIdChanged,
            Some(old_ptr),
            Some(new_ptr),
            format!(
                "operationId changed from `{}` to `{}`",
                old_id.unwrap_or("(none)"),
                new_id.unwrap_or("(none)")
            ),
        );
    }
    match (
        flag(old_operation, "deprecated"),
        flag(new_operation, "deprecated"),
    ) {
        (false, true) => cx.emit(
            Rule::OperationDeprecated,
            Some(old_ptr),
            Some(new_ptr),
            "the operation was deprecated",
        ),
        (true, false) => cx.emit(
            Rule::OperationUndeprecated,
            Some(old_ptr),
            Some(new_ptr),
            "the operation is no longer deprecated",
        ),
        _ => {}
    }
    if old_operation.get("servers").is_some() || new_operation.get("servers").is_some() {
        super::walk::servers(
            cx,
            old_operation.get("servers"),
            &child(old_ptr, "servers"),
            new_operation.get("servers"),
            &child(new_ptr, "servers"),
        );
    }
    security::operation(cx, &pair.old, &pair.new);
    parameters(cx, pair, renames);
    request_body(cx, &pair.old, &pair.new);
    responses(cx, &pair.old, &pair.new);
    super::callbacks::compare(cx, &pair.old, &pair.new);
}

/// A webhook operation: its request body is what the Rust side receives.
pub(super) fn webhook_body<'a>(
    cx: &mut Cx<'a>,
    old: &'a Value,
    old_ptr: String,
    new: &'a Value,
    new_ptr: String,
) {
    let (Some(old_body), Some(new_body)) = (old.get("requestBody"), new.get("requestBody")) else {
        return;
    };
    let (Some(old_body), Some(new_body)) = (
        cx.old.resolve_opt(old_body, child(&old_ptr, "requestBody")),
        cx.new.resolve_opt(new_body, child(&new_ptr, "requestBody")),
    ) else {
        return;
    };
    content(cx, &old_body, &new_body, Dir::Response);
}

struct Param<'a> {
    node: Node<'a>,
    name: &'a str,
    location: &'a str,
}

impl Param<'_> {
    fn key(&self) -> (String, String) {
        key(self.location, self.name)
    }
    fn required(&self) -> bool {
        self.location == "path" || flag(self.node.value, "required")
    }
}

fn key(location: &str, name: &str) -> (String, String) {
    if location == "header" {
        (location.to_string(), name.to_ascii_lowercase())
    } else {
        (location.to_string(), name.to_string())
    }
}

/// The parameters in effect for an operation: the path item's, overridden by the operation's.
fn effective_params<'a>(
    cx: &Cx<'a>,
    old_side: bool,
    item: &Node<'a>,
    operation: &Node<'a>,
) -> Vec<Param<'a>> {
    let doc = if old_side { cx.old } else { cx.new };
    let mut out: Vec<Param<'a>> = Vec::new();
    for container in [item, operation] {
        let Some(list) = container.value.get("parameters").and_then(Value::as_array) else {
            continue;
        };
        let base = child(&container.pointer, "parameters");
        for (i, raw) in list.iter().enumerate() {
            let Some(node) = doc.resolve_opt(raw, index(&base, i)) else {
                continue;
            };
            let (Some(name), Some(location)) = (
                node.value.get("name").and_then(Value::as_str),
                node.value.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let param = Param {
                node,
                name,
                location,
            };
            match out.iter().position(|p| p.key() == param.key()) {
                Some(existing) => out[existing] = param,
                None => out.push(param),
            }
        }
    }
    out
}

fn parameters<'a>(cx: &mut Cx<'a>, pair: &OpPair<'_, 'a>, renames: &[(String, String)]) {
    let old = effective_params(cx, true, pair.old_item, &pair.old);
    let new = effective_params(cx, false, pair.new_item, &pair.new);
    let mut matched = vec![false; new.len()];
    for old_param in &old {
        let mut wanted = old_param.key();
        if old_param.location == "path"
            && let Some((_, to)) = renames.iter().find(|(from, _)| from == old_param.name)
        {
            wanted = key("path", to);
        }
        let found = new
            .iter()
            .enumerate()
            .find(|(i, new_param)| !matched[*i] && new_param.key() == wanted)
            .map(|(i, _)| i);
        match found {
            Some(i) => {
                matched[i] = true;
                compare_param(cx, old_param, &new[i]);
            }
            None => {
                let moved = new.iter().enumerate().find(|(i, new_param)| {
                    !matched[*i]
                        && new_param.name.eq_ignore_ascii_case(old_param.name)
                        && new_param.location != old_param.location
                });
                match moved {
                    Some((i, new_param)) => {
                        matched[i] = true;
                        cx.emit(
                            Rule::RequestParameterLocationChanged,
                            Some(&old_param.node.pointer),
                            Some(&new_param.node.pointer),
                            format!(
                                "parameter `{}` moved from {} to {}",
                                old_param.name, old_param.location, new_param.location
                            ),
                        );
                    }
                    None => cx.emit(
                        Rule::RequestParameterRemoved,
                        Some(&old_param.node.pointer),
                        None,
                        format!(
                            "{} parameter `{}` was removed",
                            old_param.location, old_param.name
                        ),
                    ),
                }
            }
        }
    }
    for (new_param, _) in new.iter().zip(&matched).filter(|(_, m)| !**m) {
        let (rule, kind) = if new_param.required() {
            (Rule::RequestParameterAddedRequired, "required")
        } else {
            (Rule::RequestParameterAddedOptional, "optional")
        };
        cx.emit(
            rule,
            None,
            Some(&new_param.node.pointer),
            format!(
                "{kind} {} parameter `{}` was added",
                new_param.location, new_param.name
            ),
        );
    }
}

/// `style` and `explode` as in effect (the defaults depend on the location).
fn serialization(p: &Param<'_>) -> (String, bool) {
    let default_style = match p.location {
        "query" | "cookie" => "form",
        _ => "simple",
    };
    let style = p
        .node
        .value
        .get("style")
        .and_then(Value::as_str)
        .unwrap_or(default_style)
        .to_string();
    let explode = p
        .node
        .value
        .get("explode")
        .and_then(Value::as_bool)
        .unwrap_or(style == "form");
    (style, explode)
}

/// A parameter's schema: `schema`, or the schema of its single `content` entry.
fn param_schema<'a>(p: &Param<'a>) -> Option<(&'a Value, String)> {
    if let Some(s) = p.node.value.get("schema") {
        return Some((s, child(&p.node.pointer, "schema")));
    }
    let (media_type, media) = p.node.value.get("content")?.as_object()?.iter().next()?;
    let ptr = child(
        &child(&child(&p.node.pointer, "content"), media_type),
        "schema",
    );
    Some((media.get("schema")?, ptr))
}

fn compare_param<'a>(cx: &mut Cx<'a>, old: &Param<'a>, new: &Param<'a>) {
    let shared = old.node.via_ref || new.node.via_ref;
    if shared && !cx.first_visit(old.node.value, new.node.value, Memo::Parameter) {
        return;
    }
    compare_param_parts(cx, old, new);
    if shared {
        cx.leave();
    }
}

fn compare_param_parts<'a>(cx: &mut Cx<'a>, old: &Param<'a>, new: &Param<'a>) {
    let (old_ptr, new_ptr) = (
        Some(old.node.pointer.as_str()),
        Some(new.node.pointer.as_str()),
    );
    let what = format!("{} parameter `{}`", new.location, new.name);
    match (old.required(), new.required()) {
        (false, true) => cx.emit(
            Rule::RequestParameterBecameRequired,
            old_ptr,
            new_ptr,
            format!("{what} became required"),
        ),
        (true, false) => cx.emit(
            Rule::RequestParameterBecameOptional,
            old_ptr,
            new_ptr,
            format!("{what} became optional"),
        ),
        _ => {}
    }
    let (old_serialization, new_serialization) = (serialization(old), serialization(new));
    if old_serialization != new_serialization {
        cx.emit(
            Rule::RequestParameterStyleChanged,
            old_ptr,
            new_ptr,
            format!(
                "{what} is serialized differently: style `{}`/explode {} became `{}`/{}",
                old_serialization.0, old_serialization.1, new_serialization.0, new_serialization.1
            ),
        );
    }
    if !flag(old.node.value, "deprecated") && flag(new.node.value, "deprecated") {
        cx.emit(
            Rule::RequestParameterDeprecated,
            old_ptr,
            new_ptr,
            format!("{what} was deprecated"),
        );
    }
    if let (Some((old_schema, old_schema_ptr)), Some((new_schema, new_schema_ptr))) =
        (param_schema(old), param_schema(new))
    {
        schema::compare(
            cx,
            old_schema,
            old_schema_ptr,
            new_schema,
            new_schema_ptr,
            Dir::Request,
        );
    }
}

fn request_body<'a>(cx: &mut Cx<'a>, old_op: &Node<'a>, new_op: &Node<'a>) {
    let old = old_op
        .value
        .get("requestBody")
        .and_then(|b| cx.old.resolve_opt(b, child(&old_op.pointer, "requestBody")));
    let new = new_op
        .value
        .get("requestBody")
        .and_then(|b| cx.new.resolve_opt(b, child(&new_op.pointer, "requestBody")));
    match (old, new) {
        (None, None) => {}
        (None, Some(new_body)) => {
            let (rule, kind) = if flag(new_body.value, "required") {
                (Rule::RequestBodyAddedRequired, "required")
            } else {
                (Rule::RequestBodyAddedOptional, "optional")
            };
            cx.emit(
                rule,
                None,
                Some(&new_body.pointer),
                format!("a {kind} request body was added"),
            );
        }
        (Some(old_body), None) => cx.emit(
            Rule::RequestBodyRemoved,
            Some(&old_body.pointer),
            None,
            "the request body was removed",
        ),
        (Some(old_body), Some(new_body)) => {
            let shared = old_body.via_ref || new_body.via_ref;
            if shared && !cx.first_visit(old_body.value, new_body.value, Memo::RequestBody) {
                return;
            }
            match (
                flag(old_body.value, "required"),
                flag(new_body.value, "required"),
            ) {
                (false, true) => cx.emit(
                    Rule::RequestBodyBecameRequired,
                    Some(&old_body.pointer),
                    Some(&new_body.pointer),
                    "the request body became required",
                ),
                (true, false) => cx.emit(
                    Rule::RequestBodyBecameOptional,
                    Some(&old_body.pointer),
                    Some(&new_body.pointer),
                    "the request body became optional",
                ),
                _ => {}
            }
            content(cx, &old_body, &new_body, Dir::Request);
            if shared {
                cx.leave();
            }
        }
    }
}

use crate::spec::media_type_essence as essence;

/// Compares the `content` maps of two request bodies, responses or webhook bodies.
fn content<'a>(cx: &mut Cx<'a>, old: &Node<'a>, new: &Node<'a>, dir: Dir) {
    let old_content = object_at(old.value, "content");
    let new_content = object_at(new.value, "content");
    let (removed, added) = match dir {
        Dir::Request => (Rule::RequestMediaTypeRemoved, Rule::RequestMediaTypeAdded),
        Dir::Response => (Rule::ResponseMediaTypeRemoved, Rule::ResponseMediaTypeAdded),
    };
    let old_base = child(&old.pointer, "content");
    let new_base = child(&new.pointer, "content");
    let mut narrowed_to: Vec<&str> = Vec::new();
    for (media_type, old_media) in old_content {
        let old_ptr = child(&old_base, media_type);
        match find_media(new_content, media_type) {
            None if dir == Dir::Response
                && narrowed(
                    cx,
                    old_content,
                    new_content,
                    media_type,
                    &old_ptr,
                    &new_base,
                ) =>
            {
                narrowed_to.extend(
                    new_content
                        .keys()
                        .map(String::as_str)
                        .filter(|candidate| covers(media_type, candidate)),
                );
            }
            None => cx.emit(
                removed,
                Some(&old_ptr),
                None,
                format!("media type `{media_type}` was removed"),
            ),
            Some((new_media_type, new_media)) => {
                let new_ptr = child(&new_base, new_media_type);
                media_schemas(
                    cx,
                    (media_type, old_media, &old_ptr),
                    (new_media, &new_ptr),
                    dir,
                );
            }
        }
    }
    for (media_type, _) in new_content {
        if find_media(old_content, media_type).is_none()
            && !narrowed_to.contains(&media_type.as_str())
        {
            cx.emit(
                added,
                None,
                Some(&child(&new_base, media_type)),
                format!("media type `{media_type}` was added"),
            );
        }
    }
}

fn find_media<'a>(
    map: &'a serde_json::Map<String, Value>,
    media_type: &str,
) -> Option<(&'a String, &'a Value)> {
    map.get_key_value(media_type)
        .or_else(|| map.iter().find(|(k, _)| essence(k) == essence(media_type)))
}

/// Whether the media-type range `range` (`*/*`, `application/*`) covers `media_type`.
fn covers(range: &str, media_type: &str) -> bool {
    let (range, media_type) = (essence(range), essence(media_type));
    match range.split_once('/') {
        Some(("*", "*")) => true,
        Some((kind, "*")) => media_type.split_once('/').is_some_and(|(k, _)| k == kind),
        _ => false,
    }
}

/// A response range (`*/*`) that became types it covers, none of them there before: the
/// generated client read the ranged response as raw bytes, and still can. Reports it (info)
/// and returns whether it did.
fn narrowed(
    cx: &mut Cx<'_>,
    old_content: &serde_json::Map<String, Value>,
    new_content: &serde_json::Map<String, Value>,
    range: &str,
    old_ptr: &str,
    new_base: &str,
) -> bool {
    let fresh: Vec<&String> = new_content
        .keys()
        .filter(|candidate| {
            covers(range, candidate) && find_media(old_content, candidate).is_none()
        })
        .collect();
    let Some(first) = fresh.first() else {
        return false;
    };
    let names: Vec<String> = fresh
        .iter()
        .map(|candidate| format!("`{candidate}`"))
        .collect();
    cx.emit(
        Rule::ResponseMediaTypeNarrowed,
        Some(old_ptr),
        Some(&child(new_base, first)),
        format!("media type `{range}` was narrowed to {}", names.join(", ")),
    );
    true
}

/// The schemas of one media type present on both sides.
fn media_schemas<'a>(
    cx: &mut Cx<'a>,
    (media_type, old_media, old_ptr): (&str, &'a Value, &str),
    (new_media, new_ptr): (&'a Value, &str),
    dir: Dir,
) {
    match (old_media.get("schema"), new_media.get("schema")) {
        (Some(old_schema), Some(new_schema))
            if is_raw(media_type)
                && old_schema != new_schema
                && raw_bytes(cx.old, old_schema)
                && raw_bytes(cx.new, new_schema) =>
        {
            cx.emit(
                Rule::RawBodySchemaChanged,
                Some(&child(old_ptr, "schema")),
                Some(&child(new_ptr, "schema")),
                format!(
                    "the schema of the `{media_type}` body changed from {} to {} (raw bytes either way)",
                    crate::report::short_json(old_schema),
                    crate::report::short_json(new_schema)
                ),
            );
        }
        (Some(old_schema), Some(new_schema)) => schema::compare(
            cx,
            old_schema,
            child(old_ptr, "schema"),
            new_schema,
            child(new_ptr, "schema"),
            dir,
        ),
        (Some(_), None) if dir == Dir::Response => cx.emit(
            Rule::ResponseTypeChanged,
            Some(&child(old_ptr, "schema")),
            Some(new_ptr),
            format!("the `{media_type}` body is no longer described by a schema"),
        ),
        (None, Some(_)) if dir == Dir::Request => cx.emit(
            Rule::RequestTypeChanged,
            Some(old_ptr),
            Some(&child(new_ptr, "schema")),
            format!("the `{media_type}` body is now restricted by a schema"),
        ),
        _ => {}
    }
}

/// Whether the generated client moves a body of this media type as raw bytes, whatever its
/// schema says: anything but JSON and forms (see `codegen::normalize::bodies` and
/// `responses`).
fn is_raw(media_type: &str) -> bool {
    let e = essence(media_type);
    !(e == "application/json"
        || e == "text/json"
        || e.ends_with("+json")
        || e == "application/x-www-form-urlencoded")
}

/// Whether a schema admits any byte string: `{}` (any value) or a plain or binary string,
/// with annotations at most.
fn raw_bytes(doc: super::resolve::Doc<'_>, schema: &Value) -> bool {
    let Some(map) = doc
        .resolve_opt(schema, String::new())
        .and_then(|n| n.value.as_object())
    else {
        return false;
    };
    map.iter().all(|(k, v)| match k.as_str() {
        "type" => v == "string",
        "format" => v == "binary",
        k => {
            k.starts_with("x-")
                || matches!(
                    k,
                    "description" | "title" | "example" | "examples" | "$comment"
                )
        }
    })
}

fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

fn responses<'a>(cx: &mut Cx<'a>, old_op: &Node<'a>, new_op: &Node<'a>) {
    let old_responses = object_at(old_op.value, "responses");
    let new_responses = object_at(new_op.value, "responses");
    let old_base = child(&old_op.pointer, "responses");
    let new_base = child(&new_op.pointer, "responses");
    let same = |map: &'a serde_json::Map<String, Value>, status: &str| {
        map.get_key_value(status)
            .or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(status)))
    };
    for (status, old_value) in old_responses {
        let old_ptr = child(&old_base, status);
        match same(new_responses, status) {
            None => {
                let rule = if is_success(status) {
                    Rule::ResponseSuccessStatusRemoved
                } else {
                    Rule::ResponseStatusRemoved
                };
                cx.emit(
                    rule,
                    Some(&old_ptr),
                    None,
                    format!("response `{status}` was removed"),
                );
            }
            Some((nstatus, new_value)) => {
                let new_ptr = child(&new_base, nstatus);
                let (Some(old_response), Some(new_response)) = (
                    cx.old.resolve_opt(old_value, old_ptr),
                    cx.new.resolve_opt(new_value, new_ptr),
                ) else {
                    continue;
                };
                let shared = old_response.via_ref || new_response.via_ref;
                if shared && !cx.first_visit(old_response.value, new_response.value, Memo::Response)
                {
                    continue;
                }
                content(cx, &old_response, &new_response, Dir::Response);
                headers(cx, &old_response, &new_response);
                if shared {
                    cx.leave();
                }
            }
        }
    }
    for (status, _) in new_responses {
        if same(old_responses, status).is_none() {
            let rule = if is_success(status) {
                Rule::ResponseSuccessStatusAdded
            } else {
                Rule::ResponseStatusAdded
            };
            cx.emit(
                rule,
                None,
                Some(&child(&new_base, status)),
                format!("response `{status}` was added"),
            );
        }
    }
}

fn headers<'a>(cx: &mut Cx<'a>, old: &Node<'a>, new: &Node<'a>) {
    let old_headers = object_at(old.value, "headers");
    let new_headers = object_at(new.value, "headers");
    let old_base = child(&old.pointer, "headers");
    let new_base = child(&new.pointer, "headers");
    let find = |map: &'a serde_json::Map<String, Value>, name: &str| {
        map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    for (name, old_value) in old_headers {
        let Some(old_header) = cx.old.resolve_opt(old_value, child(&old_base, name)) else {
            continue;
        };
        match find(new_headers, name) {
            None => {
                let rule = if flag(old_header.value, "required") {
                    Rule::ResponseRequiredHeaderRemoved
                } else {
                    Rule::ResponseHeaderRemoved
                };
                cx.emit(
                    rule,
                    Some(&old_header.pointer),
                    None,
                    format!("response header `{name}` was removed"),
                );
            }
            Some((nname, new_value)) => {
                let Some(new_header) = cx.new.resolve_opt(new_value, child(&new_base, nname))
                else {
                    continue;
                };
                let shared = old_header.via_ref || new_header.via_ref;
                if shared && !cx.first_visit(old_header.value, new_header.value, Memo::Header) {
                    continue;
                }
                if flag(old_header.value, "required") && !flag(new_header.value, "required") {
                    cx.emit(
                        Rule::ResponseHeaderBecameOptional,
                        Some(&old_header.pointer),
                        Some(&new_header.pointer),
                        format!("response header `{name}` became optional"),
                    );
                }
                if let (Some(old_schema), Some(new_schema)) = (
                    old_header.value.get("schema"),
                    new_header.value.get("schema"),
                ) {
                    schema::compare(
                        cx,
                        old_schema,
                        child(&old_header.pointer, "schema"),
                        new_schema,
                        child(&new_header.pointer, "schema"),
                        Dir::Response,
                    );
                }
                if shared {
                    cx.leave();
                }
            }
        }
    }
    for (name, _) in new_headers {
        if find(old_headers, name).is_none() {
            cx.emit(
                Rule::ResponseHeaderAdded,
                None,
                Some(&child(&new_base, name)),
                format!("response header `{name}` was added"),
            );
        }
    }
}
