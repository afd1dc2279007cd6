//! Callbacks of an operation (`callbacks: {name: {expression: path item}}`): requests the
//! server sends back to the Rust side, compared like webhooks (their bodies as what the Rust
//! side receives). Matched by callback name, then by URL expression.

use serde_json::Value;

use super::operation;
use super::resolve::{Node, child, object_at};
use super::rules::Rule;
use super::walk::{Cx, METHODS};

/// Compares the callbacks of one operation.
pub(super) fn compare<'a>(cx: &mut Cx<'a>, old_op: &Node<'a>, new_op: &Node<'a>) {
    let (oc, nc) = (
        object_at(old_op.value, "callbacks"),
        object_at(new_op.value, "callbacks"),
    );
    if oc.is_empty() && nc.is_empty() {
        return;
    }
    let old_base = child(&old_op.pointer, "callbacks");
    let new_base = child(&new_op.pointer, "callbacks");
    for (name, ov) in oc {
        let Some(o) = cx.old.resolve_opt(ov, child(&old_base, name)) else {
            continue;
        };
        let n = nc
            .get(name)
            .and_then(|nv| cx.new.resolve_opt(nv, child(&new_base, name)));
        for (expression, old_item) in entries(o.value) {
            let old_ptr = child(&o.pointer, expression);
            match n
                .as_ref()
                .and_then(|n| Some((n.value.get(expression)?, &n.pointer)))
            {
                Some((new_item, new_at)) => {
                    let new_ptr = child(new_at, expression);
                    item(cx, old_item, old_ptr, new_item, new_ptr);
                }
                None => cx.emit(
                    Rule::CallbackRemoved,
                    Some(&old_ptr),
                    None,
                    format!("callback `{name}` to `{expression}` was removed"),
                ),
            }
        }
    }
    for (name, nv) in nc {
        let Some(n) = cx.new.resolve_opt(nv, child(&new_base, name)) else {
            continue;
        };
        let o = oc
            .get(name)
            .and_then(|ov| cx.old.resolve_opt(ov, child(&old_base, name)));
        for (expression, _) in entries(n.value) {
            if o.as_ref().is_none_or(|o| o.value.get(expression).is_none()) {
                cx.emit(
                    Rule::CallbackAdded,
                    None,
                    Some(&child(&n.pointer, expression)),
                    format!("callback `{name}` to `{expression}` was added"),
                );
            }
        }
    }
}

/// The URL expressions of a callback object and their path items (extensions left out).
fn entries(callback: &Value) -> impl Iterator<Item = (&String, &Value)> {
    callback
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(key, _)| !key.starts_with("x-"))
}

/// One callback URL in both documents: the request bodies of its operations.
fn item<'a>(cx: &mut Cx<'a>, old: &'a Value, old_ptr: String, new: &'a Value, new_ptr: String) {
    let (Some(oi), Some(ni)) = (
        cx.old.resolve_opt(old, old_ptr),
        cx.new.resolve_opt(new, new_ptr),
    ) else {
        return;
    };
    for method in METHODS {
        if let (Some(o), Some(n)) = (oi.value.get(method), ni.value.get(method)) {
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
