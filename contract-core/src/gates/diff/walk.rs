//! The traversal: matches the two documents' paths (by template, so a renamed path variable
//! is the same path), operations (by method), webhooks and named schemas, and hands each pair
//! to the comparisons in [`super::operation`], [`super::schema`] and [`super::security`].
//! [`Cx`] carries both documents, the memo of node pairs already compared, and the changes.

use std::collections::{HashMap, HashSet};

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
    /// Node pairs (by address) already compared, with the [`Scope`] of their comparison:
    /// shared components are compared once per direction, which keeps the work linear and
    /// makes cycles terminate.
    seen: HashMap<(usize, usize, Memo), usize>,
    /// Old named schemas reached through a reference during the walk.
    pub reached_old_schemas: HashSet<usize>,
    pub changes: Vec<Change>,
    /// The scope each change was found in, by index into `changes`.
    change_scopes: Vec<Option<usize>>,
    /// `METHOD /path` and operationId of the operation being compared.
    operation: Option<(String, Option<String>)>,
    /// Every operation compared, in document order: what scopes name.
    labels: Vec<String>,
    scopes: Vec<Scope>,
    /// The scopes being compared, innermost last.
    stack: Vec<usize>,
    /// `(scope, parent)` links already recorded: a shared node reached again and again from
    /// the same place links once.
    edges: HashSet<(usize, usize)>,
}

/// The comparison of one shared node pair, and who reaches it: operations directly, or other
/// shared pairs (whose operations reach it too). A change found inside affects them all.
#[derive(Default)]
struct Scope {
    operations: Vec<usize>,
    parents: Vec<usize>,
}

impl<'a> Cx<'a> {
    fn new(old: &'a Value, new: &'a Value) -> Self {
        Cx {
            old: Doc::new(old),
            new: Doc::new(new),
            seen: HashMap::new(),
            reached_old_schemas: HashSet::new(),
            changes: Vec::new(),
            change_scopes: Vec::new(),
            operation: None,
            labels: Vec::new(),
            scopes: Vec::new(),
            stack: Vec::new(),
            edges: HashSet::new(),
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
            affects: Vec::new(),
            affects_cut: false,
        });
        self.change_scopes.push(self.stack.last().copied());
    }

    /// Whether this pair of nodes is compared as `memo` for the first time. The first time,
    /// the comparison's scope is entered (close it with [`Cx::leave`]); later, whoever reaches
    /// the pair again is recorded as reaching what was found inside it.
    pub fn first_visit(&mut self, old: &Value, new: &Value, memo: Memo) -> bool {
        let key = (addr(old), addr(new), memo);
        if let Some(&scope) = self.seen.get(&key) {
            self.reach(scope);
            return false;
        }
        let scope = self.scopes.len();
        self.scopes.push(Scope::default());
        self.reach(scope);
        self.seen.insert(key, scope);
        self.stack.push(scope);
        true
    }

    /// Closes the scope entered by the last successful [`Cx::first_visit`].
    pub fn leave(&mut self) {
        self.stack.pop();
    }

    /// Records that the current place (the innermost scope, else the operation) reaches `scope`.
    fn reach(&mut self, scope: usize) {
        match self.stack.last() {
            Some(&parent) if parent != scope => {
                if self.edges.insert((scope, parent)) {
                    self.scopes[scope].parents.push(parent);
                }
            }
            Some(_) => {}
            None => {
                if let Some(operation) = self.operation_index()
                    && self.scopes[scope].operations.last() != Some(&operation)
                {
                    self.scopes[scope].operations.push(operation);
                }
            }
        }
    }

    fn operation_index(&mut self) -> Option<usize> {
        let (label, _) = self.operation.as_ref()?;
        if self.labels.last() != Some(label) {
            self.labels.push(label.clone());
        }
        Some(self.labels.len() - 1)
    }

    fn set_operation(&mut self, label: String, id: Option<String>) {
        self.operation = Some((label, id));
    }

    /// Compares under a scope that these operations reach (for schemas the walk did not reach
    /// but some operation does, through a place it does not compare).
    fn with_operations(&mut self, labels: &[String], compare: impl FnOnce(&mut Self)) {
        let scope = self.scopes.len();
        let mut operations = Vec::new();
        for label in labels {
            operations.push(self.labels.len());
            self.labels.push(label.clone());
        }
        self.scopes.push(Scope {
            operations,
            parents: Vec::new(),
        });
        self.stack.push(scope);
        compare(self);
        self.stack.pop();
    }

    /// Fills every change's `affects` with the operations reaching the scope it was found in
    /// (its own operation for changes outside shared nodes), in document order.
    fn resolve_affects(&mut self) {
        let mut memo = vec![None; self.scopes.len()];
        for (change, scope) in self.changes.iter_mut().zip(&self.change_scopes) {
            let Some(scope) = scope else {
                change.affects = change.operation.iter().cloned().collect();
                continue;
            };
            let (ops, cut) = affected(&self.scopes, *scope, &mut memo);
            let mut seen = HashSet::new();
            change.affects = ops
                .iter()
                .map(|&i| &self.labels[i])
                .filter(|n| seen.insert(*n))
                .cloned()
                .collect();
            change.affects_cut = cut;
        }
    }
}

/// Scopes visited when collecting the operations that reach one scope: beyond it (a schema
/// shared by thousands of others, as in Microsoft Graph), the list is cut and says so.
const MAX_SCOPES_WALKED: usize = 4096;

/// The operations reaching a scope, directly or through its parents (cycle-safe), sorted, and
/// whether the walk was cut at [`MAX_SCOPES_WALKED`].
fn affected(
    scopes: &[Scope],
    start: usize,
    memo: &mut [Option<(Vec<usize>, bool)>],
) -> (Vec<usize>, bool) {
    if let Some(done) = &memo[start] {
        return done.clone();
    }
    let mut seen = HashSet::from([start]);
    let mut todo = vec![start];
    let mut ops = Vec::new();
    let mut cut = false;
    while let Some(s) = todo.pop() {
        if let Some((done, done_cut)) = &memo[s] {
            ops.extend(done.iter().copied());
            cut |= *done_cut;
            continue;
        }
        ops.extend(scopes[s].operations.iter().copied());
        for &p in &scopes[s].parents {
            if seen.len() >= MAX_SCOPES_WALKED {
                cut = true;
                break;
            }
            if seen.insert(p) {
                todo.push(p);
            }
        }
    }
    ops.sort_unstable();
    ops.dedup();
    memo[start] = Some((ops.clone(), cut));
    (ops, cut)
}

/// Compares two documents and returns every change, in traversal order, duplicates merged.
pub(super) fn run(old: &Value, new: &Value) -> Vec<Change> {
    let mut cx = Cx::new(old, new);
    document(&mut cx);
    security::schemes(&mut cx);
    security::root_requirements(&mut cx);
    paths(&mut cx);
    webhooks(&mut cx, "webhooks");
    webhooks(&mut cx, "x-webhooks");
    components(&mut cx);
    cx.resolve_affects();
    let mut changes = merge_duplicates(cx.changes);
    for change in &mut changes {
        name_affected(change);
    }
    changes.extend(super::docs::changes(old, new));
    changes
}

/// Keeps the first of equal changes (a shared schema judged from several places), with the
/// operations all of them affect.
fn merge_duplicates(changes: Vec<Change>) -> Vec<Change> {
    let mut first: HashMap<(Rule, Option<String>, Option<String>, String), usize> = HashMap::new();
    let mut out: Vec<Change> = Vec::new();
    for change in changes {
        let key = (
            change.rule,
            change.old_pointer.clone(),
            change.new_pointer.clone(),
            change.message.clone(),
        );
        match first.get(&key) {
            Some(&i) => {
                out[i].affects_cut |= change.affects_cut;
                for operation in change.affects {
                    if !out[i].affects.contains(&operation) {
                        out[i].affects.push(operation);
                    }
                }
            }
            None => {
                first.insert(key, out.len());
                out.push(change);
            }
        }
    }
    out
}

/// Operations named in a message before the rest are counted.
const NAMED_OPERATIONS: usize = 5;

/// Says in the message which operations a change in a shared component affects, or that none
/// reaches it. Only schema changes are traced to operations: other changes (document-level,
/// security schemes, a schema added or removed as a whole) say nothing rather than claim
/// that no operation uses them.
fn name_affected(change: &mut Change) {
    let traced = change.location().starts_with("/components/schemas/")
        && !matches!(
            change.rule,
            Rule::ComponentSchemaAdded | Rule::ComponentSchemaRemoved
        );
    match change.affects.as_slice() {
        [] if traced => change.message.push_str(" (no operation reaches it)"),
        [] | [_] => {}
        all => {
            let mut named: Vec<String> = all
                .iter()
                .take(NAMED_OPERATIONS)
                .map(|operation| format!("`{operation}`"))
                .collect();
            if all.len() > NAMED_OPERATIONS {
                named.push(format!("and {} more", all.len() - NAMED_OPERATIONS));
            }
            let count = all.len();
            let at_least = if change.affects_cut { "at least " } else { "" };
            change.message.push_str(&format!(
                " (affects {at_least}{count} operations: {})",
                named.join(", ")
            ));
        }
    }
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
    let (old_urls, new_urls) = (urls(old), urls(new));
    if cx.operation.is_some() {
        if old_urls != new_urls {
            cx.emit(
                Rule::OperationServersChanged,
                old.map(|_| old_ptr),
                new.map(|_| new_ptr),
                format!("servers changed from {old_urls:?} to {new_urls:?}"),
            );
        }
        return;
    }
    for (i, url) in old_urls.iter().enumerate() {
        if !new_urls.contains(url) {
            cx.emit(
                Rule::ServerRemoved,
                Some(&resolve::index(old_ptr, i)),
                None,
                format!("server `{url}` was removed"),
            );
        }
    }
    for (i, url) in new_urls.iter().enumerate() {
        if !old_urls.contains(url) {
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
        for (old_var, new_var) in template_vars(old_path)
            .into_iter()
            .zip(template_vars(new_path))
        {
            if old_var != new_var {
                renames.push((old_var.to_string(), new_var.to_string()));
            }
        }
    }
    for method in METHODS {
        let label = format!("{} {new_path}", method.to_ascii_uppercase());
        let old_op = old_item.value.get(method);
        let new_op = new_item.value.get(method);
        let id = new_op
            .or(old_op)
            .and_then(|operation| str_at(operation, "operationId"));
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
            (Some(old_operation), Some(new_operation)) => {
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
                        value: old_operation,
                        pointer: child(&old_item.pointer, method),
                        via_ref: false,
                    },
                    new: Node {
                        value: new_operation,
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
        let (Some(old_path_item), Some(new_path_item)) = (
            cx.old.resolve_opt(old_item, old_ptr),
            cx.new.resolve_opt(new_item, new_ptr),
        ) else {
            continue;
        };
        for (old_operation, new_operation) in shared_operations(&old_path_item, &new_path_item) {
            cx.set_operation(
                format!("WEBHOOK {name}"),
                str_at(new_operation.value, "operationId").map(str::to_string),
            );
            operation::webhook_body(
                cx,
                old_operation.value,
                old_operation.pointer,
                new_operation.value,
                new_operation.pointer,
            );
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

/// Named schemas: removed ones (their generated types disappear), added ones, and those the
/// walk did not reach. Those are judged by how the operations that reach them through places
/// the walk does not compare use them; those no operation reaches are summarised as one info
/// finding each (no generated method sends or receives them).
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
    if unreached.is_empty() {
        return;
    }
    let reach = super::reach::Reach::new(cx.old.root);
    let mut nobody = Vec::new();
    for (old_schema, new_schema, ptr) in unreached {
        let uses = reach.operations(&ptr);
        if uses.is_empty() {
            nobody.push((old_schema, new_schema, ptr));
            continue;
        }
        for (dir, labels) in uses {
            cx.with_operations(&labels, |cx| {
                schema::compare_named(cx, old_schema, new_schema, ptr.clone(), dir);
            });
        }
    }
    // Last: what they share with used schemas has been judged as used by then.
    for (old_schema, new_schema, ptr) in nobody {
        unreferenced(cx, old_schema, new_schema, ptr);
    }
}

/// A named schema no operation reaches: compared as received (generated types are mostly
/// deserialized), and reported as one info finding listing what changed.
fn unreferenced<'a>(cx: &mut Cx<'a>, old: &'a Value, new: &'a Value, ptr: String) {
    let start = cx.changes.len();
    schema::compare_named(cx, old, new, ptr.clone(), Dir::Response);
    if cx.changes.len() == start {
        return;
    }
    let found: Vec<Change> = cx.changes.drain(start..).collect();
    cx.change_scopes.truncate(start);
    let mut rules: Vec<&str> = found.iter().map(|c| c.rule.id()).collect();
    rules.sort_unstable();
    rules.dedup();
    let name = super::reach::schema_name(&ptr);
    cx.emit(
        Rule::UnreferencedSchemaChanged,
        Some(&ptr),
        Some(&ptr),
        format!(
            "schema `{name}` changed ({} change(s): {})",
            found.len(),
            rules.join(", ")
        ),
    );
}

/// The operations both path items define under the same method, each with its pointer.
pub(super) fn shared_operations<'n, 'a>(
    old: &'n Node<'a>,
    new: &'n Node<'a>,
) -> impl Iterator<Item = (Node<'a>, Node<'a>)> + 'n {
    METHODS.iter().filter_map(move |method| {
        let at = |item: &Node<'a>| {
            item.value.get(*method).map(|value| Node {
                value,
                pointer: child(&item.pointer, method),
                via_ref: item.via_ref,
            })
        };
        Some((at(old)?, at(new)?))
    })
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
