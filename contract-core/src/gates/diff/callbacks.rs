//! Callbacks of an operation (`callbacks: {name: {expression: path item}}`): requests the
//! server sends back to the Rust side, compared like webhooks (their bodies as what the Rust
//! side receives). Matched by callback name, then by URL expression.

use serde_json::Value;

use super::operation;
use super::resolve::{Node, child, object_at};
use super::rules::Rule;
use super::walk::{Cx, shared_operations};

/// Compares the callbacks of one operation.
pub(super) fn compare<'a>(cx: &mut Cx<'a>, old_op: &Node<'a>, new_op: &Node<'a>) {
    let (old_callbacks, new_callbacks) = (
        object_at(old_op.value, "callbacks"),
        object_at(new_op.value, "callbacks"),
    );
    if old_callbacks.is_empty() && new_callbacks.is_empty() {
        return;
    }
    let old_base = child(&old_op.pointer, "callbacks");
    let new_base = child(&new_op.pointer, "callbacks");
    for (name, old_value) in old_callbacks {
        let Some(old_callback) = cx.old.resolve_opt(old_value, child(&old_base, name)) else {
            continue;
        };
        let new_callback = new_callbacks
            .get(name)
            .and_then(|new_value| cx.new.resolve_opt(new_value, child(&new_base, name)));
        for (expression, old_item) in entries(old_callback.value) {
            let old_ptr = child(&old_callback.pointer, expression);
            match new_callback.as_ref().and_then(|new_callback| {
                Some((new_callback.value.get(expression)?, &new_callback.pointer))
            }) {
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
    for (name, new_value) in new_callbacks {
        let Some(new_callback) = cx.new.resolve_opt(new_value, child(&new_base, name)) else {
            continue;
        };
        let old_callback = old_callbacks
            .get(name)
            .and_then(|old_value| cx.old.resolve_opt(old_value, child(&old_base, name)));
        for (expression, _) in entries(new_callback.value) {
            if old_callback
                .as_ref()
                .is_none_or(|old_callback| old_callback.value.get(expression).is_none())
            {
                cx.emit(
                    Rule::CallbackAdded,
                    None,
                    Some(&child(&new_callback.pointer, expression)),
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
    let (Some(old_path_item), Some(new_path_item)) = (
        cx.old.resolve_opt(old, old_ptr),
        cx.new.resolve_opt(new, new_ptr),
    ) else {
        return;
    };
    for (old_operation, new_operation) in shared_operations(&old_path_item, &new_path_item) {
        operation::webhook_body(
            cx,
            old_operation.value,
            old_operation.pointer,
            new_operation.value,
            new_operation.pointer,
        );
    }
}
