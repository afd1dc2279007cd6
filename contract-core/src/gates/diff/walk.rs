//! The traversal: matches the two documents' paths (by template, so a renamed path variable
//! is the same path), operations (by method), webhooks and named schemas, and hands each pair
//! to the comparisons in [`super::operation`], [`super::schema`] and [`super::security`].
//! [`Cx`] carries both documents, the memo of node pairs already compared, and the changes.

use std::collections::HashSet;

use serde_json::Value;

use super::resolve::{self, Doc, Node, addr, child};
use super::rules::Rule;
use super::{Change, operation, schema, security};

/// Which way a value travels, which decides whether narrowing or widening breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Dir {
    /// Sent by the client: the new server must accept everything old clients send.
    Request,
    /// Received by the client: old clients must be able to read everything the new server sends.
    Response,
}

/// What a memoised node pair is being compared as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Memo {
    Schema(Dir),
    Parameter,
    RequestBody,
    Response,
    Header,
}

pub(super) use crate::spec::METHODS;

/// The comparison context.
pub(super) struct Cx<'a> {
    pub old: Doc<'a>,
    pub new: Doc<'a>,
    /// Node pairs (by address) already compared: shared components are compared once per
    /// direction, which keeps the work linear and makes cycles terminate.
    seen: HashSet<(usize, usize, Memo)>,
    /// Old named schemas reached through a reference during the walk.
    pub reached_old_schemas: HashSet<usize>,
    pub changes: Vec<Change>,
    /// `METHOD /path` and operationId of the operation being compared.
    operation: Option<(String, Option<String>)>,
}

impl<'a> Cx<'a> {
    fn new(old: &'a Value, new: &'a Value) -> Self {
        Cx {
            old: Doc::new(old),
            new: Doc::new(new),
            seen: HashSet::new(),
            reached_old_schemas: HashSet::new(),
            changes: Vec::new(),
            operation: None,
        }
    }

    /// Records a change.
    pub fn emit(
        &mut self,
        rule: Rule,
        old: Option<&str>,
        new: Option<&str>,
        message: impl Into<String>,
    ) {
        let (operation, operation_id) = match &self.operation {
            Some((label, id)) => (Some(label.clone()), id.clone()),
            None => (None, None),
        };
        self.changes.push(Change {
            rule,
            old_pointer: old.map(str::to_string),
            new_pointer: new.map(str::to_string),
            operation,
            operation_id,
            message: message.into(),
        });
    }

    /// Whether this pair of nodes is compared as `memo` for the first time (and marks it).
    pub fn first_visit(&mut self, old: &Value, new: &Value, memo: Memo) -> bool {
        self.seen.insert((addr(old), addr(new), memo))
    }

    fn set_operation(&mut self, label: String, id: Option<String>) {
        self.operation = Some((label, id));
    }
}

/// Compares two documents and returns every change, in traversal order, duplicates removed.
pub(super) fn run(old: &Value, new: &Value) -> Vec<Change> {
    let mut cx = Cx::new(old, new);
    document(&mut cx);
    security::schemes(&mut cx);
    security::root_requirements(&mut cx);
    paths(&mut cx);
    webhooks(&mut cx, "webhooks");
    webhooks(&mut cx, "x-webhooks");
    components(&mut cx);
    cx.changes.extend(super::docs::changes(old, new));
    let mut seen = HashSet::new();
    let mut changes = cx.changes;
    changes.retain(|c| {
        seen.insert((
            c.rule,
            c.old_pointer.clone(),
            c.new_pointer.clone(),
            c.message.clone(),
        ))
    });
    changes
}

fn str_at<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

fn document(cx: &mut Cx<'_>) {
    let (old, new) = (cx.old.root, cx.new.root);
    let (ov, nv) = (str_at(old, "openapi"), str_at(new, "openapi"));
    if ov != nv {
        cx.emit(
            Rule::OpenapiVersionChanged,
            Some("/openapi"),
            Some("/openapi"),
            format!(
                "`openapi` changed from {} to {}",
                ov.unwrap_or("(none)"),
                nv.unwrap_or("(none)")
            ),
        );
    }
    servers(
        cx,
        old.get("servers"),
        "/servers",
        new.get("servers"),
        "/servers",
    );
}

/// Compares two `servers` lists by URL.
pub(super) fn servers(
    cx: &mut Cx<'_>,
    old: Option<&Value>,
    old_ptr: &str,
    new: Option<&Value>,
    new_ptr: &str,
) {
    let urls = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|s| str_at(s, "url"))
                    .map(|u| u.trim_end_matches('/').to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (o, n) = (urls(old), urls(new));
    if cx.operation.is_some() {
        if o != n {
            cx.emit(
                Rule::OperationServersChanged,
                old.map(|_| old_ptr),
                new.map(|_| new_ptr),
                format!("servers changed from {o:?} to {n:?}"),
            );
        }
        return;
    }
    for (i, url) in o.iter().enumerate() {
        if !n.contains(url) {
            cx.emit(
                Rule::ServerRemoved,
                Some(&resolve::index(old_ptr, i)),
                None,
                format!("server `{url}` was removed"),
            );
        }
    }
    for (i, url) in n.iter().enumerate() {
        if !o.contains(url) {
            cx.emit(
                Rule::ServerAdded,
                None,
                Some(&resolve::index(new_ptr, i)),
                format!("server `{url}` was added"),
            );
        }
    }
}

/// `/repos/{owner}/{repo}` → `/repos/{}/{}`: paths that differ only in variable names are
/// the same URL.
fn template_key(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_var = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_var = true;
                out.push_str("{}");
            }
            '}' => in_var = false,
            c if !in_var => out.push(c),
            _ => {}
        }
    }
    out
}

fn template_vars(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(v, _)| v))
        .collect()
}

fn paths<'a>(cx: &mut Cx<'a>) {
    let old_paths = resolve::object_at(cx.old.root, "paths");
    let new_paths = resolve::object_at(cx.new.root, "paths");
    let mut by_template: std::collections::HashMap<String, Vec<&str>> =
        std::collections::HashMap::new();
    for path in new_paths.keys() {
        by_template
            .entry(template_key(path))
            .or_default()
            .push(path);
    }
    let mut matched: HashSet<&str> = HashSet::new();
    for (old_path, old_item) in old_paths {
        let new_path = if new_paths.contains_key(old_path) && !matched.contains(old_path.as_str()) {
            Some(old_path.as_str())
        } else {
            by_template.get(&template_key(old_path)).and_then(|c| {
                c.iter()
                    .copied()
                    .find(|p| !matched.contains(p) && !old_paths.contains_key(*p))
            })
        };
        let old_ptr = child("/paths", old_path);
        match new_path {
            None => {
                cx.operation = None;
                cx.emit(
                    Rule::PathRemoved,
                    Some(&old_ptr),
                    None,
                    format!("path `{old_path}` was removed"),
                );
            }
            Some(new_path) => {
                matched.insert(new_path);
                let new_ptr = child("/paths", new_path);
                path_item(
                    cx,
                    old_path,
                    old_item,
                    old_ptr,
                    new_path,
                    &new_paths[new_path],
                    new_ptr,
                );
            }
        }
    }
    cx.operation = None;
    for new_path in new_paths.keys() {
        if !matched.contains(new_path.as_str()) {
            cx.emit(
                Rule::PathAdded,
                None,
                Some(&child("/paths", new_path)),
                format!("path `{new_path}` was added"),
            );
        }
    }
}

fn path_item<'a>(
    cx: &mut Cx<'a>,
    old_path: &str,
    old_item: &'a Value,
    old_ptr: String,
    new_path: &str,
    new_item: &'a Value,
    new_ptr: String,
) {
    let (Some(old_item), Some(new_item)) = (
        cx.old.resolve_opt(old_item, old_ptr),
        cx.new.resolve_opt(new_item, new_ptr),
    ) else {
        return;
    };
    let mut renames: Vec<(String, String)> = Vec::new();
    if old_path != new_path {
        for (o, n) in template_vars(old_path)
            .into_iter()
            .zip(template_vars(new_path))
        {
            if o != n {
                renames.push((o.to_string(), n.to_string()));
            }
        }
    }
    for method in METHODS {
        let label = format!("{} {new_path}", method.to_ascii_uppercase());
        let old_op = old_item.value.get(method);
        let new_op = new_item.value.get(method);
        let id = new_op.or(old_op).and_then(|op| str_at(op, "operationId"));
        cx.set_operation(label.clone(), id.map(str::to_string));
        match (old_op, new_op) {
            (None, None) => {}
            (Some(_), None) => cx.emit(
                Rule::OperationRemoved,
                Some(&child(&old_item.pointer, method)),
                None,
                format!(
                    "operation `{} {old_path}` was removed",
                    method.to_ascii_uppercase()
                ),
            ),
            (None, Some(_)) => cx.emit(
                Rule::OperationAdded,
                None,
                Some(&child(&new_item.pointer, method)),
                format!("operation `{label}` was added"),
            ),
            (Some(o), Some(n)) => {
                if !renames.is_empty() && method == first_method(new_item.value) {
                    for (from, to) in &renames {
                        cx.emit(
                            Rule::PathParameterRenamed,
                            Some(&old_item.pointer),
                            Some(&new_item.pointer),
                            format!("path variable `{{{from}}}` was renamed to `{{{to}}}`"),
                        );
                    }
                }
                let pair = operation::OpPair {
                    old_item: &old_item,
                    new_item: &new_item,
                    old: Node {
                        value: o,
                        pointer: child(&old_item.pointer, method),
                        via_ref: false,
                    },
                    new: Node {
                        value: n,
                        pointer: child(&new_item.pointer, method),
                        via_ref: false,
                    },
                };
                operation::compare(cx, &pair, &renames);
            }
        }
    }
    cx.operation = None;
}

fn first_method(item: &Value) -> &'static str {
    METHODS
        .into_iter()
        .find(|m| item.get(*m).is_some())
        .unwrap_or("get")
}

/// OpenAPI 3.1 `webhooks` and the `x-webhooks` extension (GitHub's spec): requests the server
/// sends, so their bodies are compared as what the Rust side receives.
fn webhooks(cx: &mut Cx<'_>, key: &str) {
    let (Some(old), Some(new)) = (
        cx.old.root.get(key).and_then(Value::as_object),
        cx.new.root.get(key).and_then(Value::as_object),
    ) else {
        return;
    };
    let base = child("", key);
    for (name, old_item) in old {
        let old_ptr = child(&base, name);
        let Some(new_item) = new.get(name) else {
            cx.operation = None;
            cx.emit(
                Rule::WebhookRemoved,
                Some(&old_ptr),
                None,
                format!("webhook `{name}` was removed"),
            );
            continue;
        };
        let new_ptr = child(&base, name);
        let (Some(oi), Some(ni)) = (
            cx.old.resolve_opt(old_item, old_ptr),
            cx.new.resolve_opt(new_item, new_ptr),
        ) else {
            continue;
        };
        for method in METHODS {
            if let (Some(o), Some(n)) = (oi.value.get(method), ni.value.get(method)) {
                cx.set_operation(
                    format!("WEBHOOK {name}"),
                    str_at(n, "operationId").map(str::to_string),
                );
                operation::webhook_body(
                    cx,
                    o,
                    child(&oi.pointer, method),
                    n,
                    child(&ni.pointer, method),
                );
            }
        }
    }
    cx.operation = None;
    for name in new.keys() {
        if !old.contains_key(name) {
            cx.emit(
                Rule::WebhookAdded,
                None,
                Some(&child(&base, name)),
                format!("webhook `{name}` was added"),
            );
        }
    }
}

/// Named schemas: removed ones (their generated types disappear), added ones, and those no
/// operation or webhook reached, compared as what the client receives (generated types are
/// mostly deserialized).
fn components<'a>(cx: &mut Cx<'a>) {
    cx.operation = None;
    fn get(root: &Value) -> Option<&serde_json::Map<String, Value>> {
        root.get("components")?.get("schemas")?.as_object()
    }
    let (Some(old), Some(new)) = (get(cx.old.root), get(cx.new.root)) else {
        return;
    };
    let mut unreached = Vec::new();
    for (name, old_schema) in old {
        let ptr = child("/components/schemas", name);
        match new.get(name) {
            None => cx.emit(
                Rule::ComponentSchemaRemoved,
                Some(&ptr),
                None,
                format!("schema `{name}` was removed"),
            ),
            Some(new_schema) => {
                if !cx.reached_old_schemas.contains(&addr(old_schema)) {
                    unreached.push((old_schema, new_schema, ptr));
                }
            }
        }
    }
    for name in new.keys() {
        if !old.contains_key(name) {
            cx.emit(
                Rule::ComponentSchemaAdded,
                None,
                Some(&child("/components/schemas", name)),
                format!("schema `{name}` was added"),
            );
        }
    }
    for (o, n, ptr) in unreached {
        schema::compare_named(cx, o, n, ptr, Dir::Response);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_ignore_variable_names() {
        assert_eq!(template_key("/repos/{owner}/{repo}"), "/repos/{}/{}");
        assert_eq!(
            template_key("/repos/{org}/{name}"),
            template_key("/repos/{owner}/{repo}")
        );
        assert_eq!(template_vars("/a/{x}/b/{y}"), vec!["x", "y"]);
    }
}
