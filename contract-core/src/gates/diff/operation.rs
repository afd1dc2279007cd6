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
    let (o, n) = (pair.old.value, pair.new.value);
    let (op_ptr_old, op_ptr_new) = (&pair.old.pointer, &pair.new.pointer);
    let (oid, nid) = (
        o.get("operationId").and_then(Value::as_str),
        n.get("operationId").and_then(Value::as_str),
    );
    if oid != nid {
        cx.emit(
            Rule::OperationIdChanged,
            Some(op_ptr_old),
            Some(op_ptr_new),
            format!(
                "operationId changed from `{}` to `{}`",
                oid.unwrap_or("(none)"),
                nid.unwrap_or("(none)")
            ),
        );
    }
    match (flag(o, "deprecated"), flag(n, "deprecated")) {
        (false, true) => cx.emit(
            Rule::OperationDeprecated,
            Some(op_ptr_old),
            Some(op_ptr_new),
            "the operation was deprecated",
        ),
        (true, false) => cx.emit(
            Rule::OperationUndeprecated,
            Some(op_ptr_old),
            Some(op_ptr_new),
            "the operation is no longer deprecated",
        ),
        _ => {}
    }
    if o.get("servers").is_some() || n.get("servers").is_some() {
        super::walk::servers(
            cx,
            o.get("servers"),
            &child(op_ptr_old, "servers"),
            n.get("servers"),
            &child(op_ptr_new, "servers"),
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
    let (Some(ob), Some(nb)) = (old.get("requestBody"), new.get("requestBody")) else {
        return;
    };
    let (Some(ob), Some(nb)) = (
        cx.old.resolve_opt(ob, child(&old_ptr, "requestBody")),
        cx.new.resolve_opt(nb, child(&new_ptr, "requestBody")),
    ) else {
        return;
    };
    content(cx, &ob, &nb, Dir::Response);
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
    op: &Node<'a>,
) -> Vec<Param<'a>> {
    let doc = if old_side { cx.old } else { cx.new };
    let mut out: Vec<Param<'a>> = Vec::new();
    for container in [item, op] {
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
    for op in &old {
        let mut wanted = op.key();
        if op.location == "path"
            && let Some((_, to)) = renames.iter().find(|(from, _)| from == op.name)
        {
            wanted = key("path", to);
        }
        let found = new
            .iter()
            .enumerate()
            .find(|(i, np)| !matched[*i] && np.key() == wanted)
            .map(|(i, _)| i);
        match found {
            Some(i) => {
                matched[i] = true;
                compare_param(cx, op, &new[i]);
            }
            None => {
                let moved = new.iter().enumerate().find(|(i, np)| {
                    !matched[*i]
                        && np.name.eq_ignore_ascii_case(op.name)
                        && np.location != op.location
                });
                match moved {
                    Some((i, np)) => {
                        matched[i] = true;
                        cx.emit(
                            Rule::RequestParameterLocationChanged,
                            Some(&op.node.pointer),
                            Some(&np.node.pointer),
                            format!(
                                "parameter `{}` moved from {} to {}",
                                op.name, op.location, np.location
                            ),
                        );
                    }
                    None => cx.emit(
                        Rule::RequestParameterRemoved,
                        Some(&op.node.pointer),
                        None,
                        format!("{} parameter `{}` was removed", op.location, op.name),
                    ),
                }
            }
        }
    }
    for (np, _) in new.iter().zip(&matched).filter(|(_, m)| !**m) {
        let (rule, kind) = if np.required() {
            (Rule::RequestParameterAddedRequired, "required")
        } else {
            (Rule::RequestParameterAddedOptional, "optional")
        };
        cx.emit(
            rule,
            None,
            Some(&np.node.pointer),
            format!("{kind} {} parameter `{}` was added", np.location, np.name),
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
    let (mt, media) = p.node.value.get("content")?.as_object()?.iter().next()?;
    let ptr = child(&child(&child(&p.node.pointer, "content"), mt), "schema");
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
    let (op, np) = (
        Some(old.node.pointer.as_str()),
        Some(new.node.pointer.as_str()),
    );
    let what = format!("{} parameter `{}`", new.location, new.name);
    match (old.required(), new.required()) {
        (false, true) => cx.emit(
            Rule::RequestParameterBecameRequired,
            op,
            np,
            format!("{what} became required"),
        ),
        (true, false) => cx.emit(
            Rule::RequestParameterBecameOptional,
            op,
            np,
            format!("{what} became optional"),
        ),
        _ => {}
    }
    let (os, ns) = (serialization(old), serialization(new));
    if os != ns {
        cx.emit(
            Rule::RequestParameterStyleChanged,
            op,
            np,
            format!(
                "{what} is serialized differently: style `{}`/explode {} became `{}`/{}",
                os.0, os.1, ns.0, ns.1
            ),
        );
    }
    if !flag(old.node.value, "deprecated") && flag(new.node.value, "deprecated") {
        cx.emit(
            Rule::RequestParameterDeprecated,
            op,
            np,
            format!("{what} was deprecated"),
        );
    }
    if let (Some((os, optr)), Some((ns, nptr))) = (param_schema(old), param_schema(new)) {
        schema::compare(cx, os, optr, ns, nptr, Dir::Request);
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
        (None, Some(n)) => {
            let (rule, kind) = if flag(n.value, "required") {
                (Rule::RequestBodyAddedRequired, "required")
            } else {
                (Rule::RequestBodyAddedOptional, "optional")
            };
            cx.emit(
                rule,
                None,
                Some(&n.pointer),
                format!("a {kind} request body was added"),
            );
        }
        (Some(o), None) => cx.emit(
            Rule::RequestBodyRemoved,
            Some(&o.pointer),
            None,
            "the request body was removed",
        ),
        (Some(o), Some(n)) => {
            let shared = o.via_ref || n.via_ref;
            if shared && !cx.first_visit(o.value, n.value, Memo::RequestBody) {
                return;
            }
            match (flag(o.value, "required"), flag(n.value, "required")) {
                (false, true) => cx.emit(
                    Rule::RequestBodyBecameRequired,
                    Some(&o.pointer),
                    Some(&n.pointer),
                    "the request body became required",
                ),
                (true, false) => cx.emit(
                    Rule::RequestBodyBecameOptional,
                    Some(&o.pointer),
                    Some(&n.pointer),
                    "the request body became optional",
                ),
                _ => {}
            }
            content(cx, &o, &n, Dir::Request);
            if shared {
                cx.leave();
            }
        }
    }
}

use crate::spec::media_type_essence as essence;

/// Compares the `content` maps of two request bodies, responses or webhook bodies.
fn content<'a>(cx: &mut Cx<'a>, old: &Node<'a>, new: &Node<'a>, dir: Dir) {
    let oc = object_at(old.value, "content");
    let nc = object_at(new.value, "content");
    let (removed, added) = match dir {
        Dir::Request => (Rule::RequestMediaTypeRemoved, Rule::RequestMediaTypeAdded),
        Dir::Response => (Rule::ResponseMediaTypeRemoved, Rule::ResponseMediaTypeAdded),
    };
    let old_base = child(&old.pointer, "content");
    let new_base = child(&new.pointer, "content");
    let mut narrowed_to: Vec<&str> = Vec::new();
    for (mt, om) in oc {
        let optr = child(&old_base, mt);
        match find_media(nc, mt) {
            None if dir == Dir::Response && narrowed(cx, oc, nc, mt, &optr, &new_base) => {
                narrowed_to.extend(nc.keys().map(String::as_str).filter(|n| covers(mt, n)));
            }
            None => cx.emit(
                removed,
                Some(&optr),
                None,
                format!("media type `{mt}` was removed"),
            ),
            Some((nmt, nm)) => {
                let nptr = child(&new_base, nmt);
                media_schemas(cx, (mt, om, &optr), (nm, &nptr), dir);
            }
        }
    }
    for (mt, _) in nc {
        if find_media(oc, mt).is_none() && !narrowed_to.contains(&mt.as_str()) {
            cx.emit(
                added,
                None,
                Some(&child(&new_base, mt)),
                format!("media type `{mt}` was added"),
            );
        }
    }
}

fn find_media<'a>(
    map: &'a serde_json::Map<String, Value>,
    mt: &str,
) -> Option<(&'a String, &'a Value)> {
    map.get_key_value(mt)
        .or_else(|| map.iter().find(|(k, _)| essence(k) == essence(mt)))
}

/// Whether the media-type range `range` (`*/*`, `application/*`) covers `mt`.
fn covers(range: &str, mt: &str) -> bool {
    let (range, mt) = (essence(range), essence(mt));
    match range.split_once('/') {
        Some(("*", "*")) => true,
        Some((kind, "*")) => mt.split_once('/').is_some_and(|(k, _)| k == kind),
        _ => false,
    }
}

/// A response range (`*/*`) that became types it covers, none of them there before: the
/// generated client read the ranged response as raw bytes, and still can. Reports it (info)
/// and returns whether it did.
fn narrowed(
    cx: &mut Cx<'_>,
    oc: &serde_json::Map<String, Value>,
    nc: &serde_json::Map<String, Value>,
    range: &str,
    optr: &str,
    new_base: &str,
) -> bool {
    let fresh: Vec<&String> = nc
        .keys()
        .filter(|n| covers(range, n) && find_media(oc, n).is_none())
        .collect();
    let Some(first) = fresh.first() else {
        return false;
    };
    let names: Vec<String> = fresh.iter().map(|n| format!("`{n}`")).collect();
    cx.emit(
        Rule::ResponseMediaTypeNarrowed,
        Some(optr),
        Some(&child(new_base, first)),
        format!("media type `{range}` was narrowed to {}", names.join(", ")),
    );
    true
}

/// The schemas of one media type present on both sides.
fn media_schemas<'a>(
    cx: &mut Cx<'a>,
    (mt, om, optr): (&str, &'a Value, &str),
    (nm, nptr): (&'a Value, &str),
    dir: Dir,
) {
    match (om.get("schema"), nm.get("schema")) {
        (Some(os), Some(ns))
            if is_raw(mt) && os != ns && raw_bytes(cx.old, os) && raw_bytes(cx.new, ns) =>
        {
            cx.emit(
                Rule::RawBodySchemaChanged,
                Some(&child(optr, "schema")),
                Some(&child(nptr, "schema")),
                format!(
                    "the schema of the `{mt}` body changed from {} to {} (raw bytes either way)",
                    crate::report::short_json(os),
                    crate::report::short_json(ns)
                ),
            );
        }
        (Some(os), Some(ns)) => schema::compare(
            cx,
            os,
            child(optr, "schema"),
            ns,
            child(nptr, "schema"),
            dir,
        ),
        (Some(_), None) if dir == Dir::Response => cx.emit(
            Rule::ResponseTypeChanged,
            Some(&child(optr, "schema")),
            Some(nptr),
            format!("the `{mt}` body is no longer described by a schema"),
        ),
        (None, Some(_)) if dir == Dir::Request => cx.emit(
            Rule::RequestTypeChanged,
            Some(optr),
            Some(&child(nptr, "schema")),
            format!("the `{mt}` body is now restricted by a schema"),
        ),
        _ => {}
    }
}

/// Whether the generated client moves a body of this media type as raw bytes, whatever its
/// schema says: anything but JSON and forms (see `codegen::normalize::bodies` and
/// `responses`).
fn is_raw(mt: &str) -> bool {
    let e = essence(mt);
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
    let or = object_at(old_op.value, "responses");
    let nr = object_at(new_op.value, "responses");
    let old_base = child(&old_op.pointer, "responses");
    let new_base = child(&new_op.pointer, "responses");
    let same = |map: &'a serde_json::Map<String, Value>, status: &str| {
        map.get_key_value(status)
            .or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(status)))
    };
    for (status, ov) in or {
        let optr = child(&old_base, status);
        match same(nr, status) {
            None => {
                let rule = if is_success(status) {
                    Rule::ResponseSuccessStatusRemoved
                } else {
                    Rule::ResponseStatusRemoved
                };
                cx.emit(
                    rule,
                    Some(&optr),
                    None,
                    format!("response `{status}` was removed"),
                );
            }
            Some((nstatus, nv)) => {
                let nptr = child(&new_base, nstatus);
                let (Some(o), Some(n)) =
                    (cx.old.resolve_opt(ov, optr), cx.new.resolve_opt(nv, nptr))
                else {
                    continue;
                };
                let shared = o.via_ref || n.via_ref;
                if shared && !cx.first_visit(o.value, n.value, Memo::Response) {
                    continue;
                }
                content(cx, &o, &n, Dir::Response);
                headers(cx, &o, &n);
                if shared {
                    cx.leave();
                }
            }
        }
    }
    for (status, _) in nr {
        if same(or, status).is_none() {
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
    let oh = object_at(old.value, "headers");
    let nh = object_at(new.value, "headers");
    let old_base = child(&old.pointer, "headers");
    let new_base = child(&new.pointer, "headers");
    let find = |map: &'a serde_json::Map<String, Value>, name: &str| {
        map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    for (name, ov) in oh {
        let Some(o) = cx.old.resolve_opt(ov, child(&old_base, name)) else {
            continue;
        };
        match find(nh, name) {
            None => {
                let rule = if flag(o.value, "required") {
                    Rule::ResponseRequiredHeaderRemoved
                } else {
                    Rule::ResponseHeaderRemoved
                };
                cx.emit(
                    rule,
                    Some(&o.pointer),
                    None,
                    format!("response header `{name}` was removed"),
                );
            }
            Some((nname, nv)) => {
                let Some(n) = cx.new.resolve_opt(nv, child(&new_base, nname)) else {
                    continue;
                };
                let shared = o.via_ref || n.via_ref;
                if shared && !cx.first_visit(o.value, n.value, Memo::Header) {
                    continue;
                }
                if flag(o.value, "required") && !flag(n.value, "required") {
                    cx.emit(
                        Rule::ResponseHeaderBecameOptional,
                        Some(&o.pointer),
                        Some(&n.pointer),
                        format!("response header `{name}` became optional"),
                    );
                }
                if let (Some(os), Some(ns)) = (o.value.get("schema"), n.value.get("schema")) {
                    schema::compare(
                        cx,
                        os,
                        child(&o.pointer, "schema"),
                        ns,
                        child(&n.pointer, "schema"),
                        Dir::Response,
                    );
                }
                if shared {
                    cx.leave();
                }
            }
        }
    }
    for (name, _) in nh {
        if find(oh, name).is_none() {
            cx.emit(
                Rule::ResponseHeaderAdded,
                None,
                Some(&child(&new_base, name)),
                format!("response header `{name}` was added"),
            );
        }
    }
}
