//! `normalize/selection`: a contract that selects operations (`operations = [...]`) gets a
//! client of exactly those operations and the components they reach, transitively. Everything
//! else is removed from the copy the generator reads, before any other rule runs, so no rule
//! reports on (or counts as lossy) what the client leaves out on purpose. One note says what
//! was kept.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::Value;

use super::refs::local_pointer;
use crate::codegen::note::Note;
use crate::project::selection::{OperationKey, Selection, path_item};
use crate::spec::METHODS;
use crate::util::json_pointer;

/// The component kinds pruned to what the selection reaches. Security schemes are named by
/// `security` requirements, not by `$ref`, and are kept whole.
const PRUNED_KINDS: [&str; 9] = [
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "links",
    "callbacks",
    "pathItems",
];

/// Reduces `document` to the operations `selection` selects and the components they reach.
/// An entry that selects nothing, or a selected operation that refers into a path the
/// selection leaves out, is an error (the message names the entry or the reference).
pub fn select(document: &mut Value, selection: &Selection) -> Result<Note, String> {
    let selected = selection.resolve(document)?;
    let total = crate::project::selection::operations(document).len();
    keep_operations(document, &selected);
    let reached = reachable(document)?;
    let (kept, removed) = keep_components(document, &reached);
    let webhooks = document
        .as_object_mut()
        .and_then(|root| root.shift_remove("webhooks"))
        .is_some();
    let entries: Vec<String> = selection.entries().map(|e| format!("`{e}`")).collect();
    let mut message = format!(
        "{} of {total} operations selected by `operations = [{}]`; the components they reach are kept ({kept}), {removed} others and {} operations left out",
        selected.len(),
        entries.join(", "),
        total - selected.len(),
    );
    if webhooks {
        message.push_str(", and the webhooks");
    }
    Ok(Note::new("normalize/selection", "/paths", message))
}

/// Removes every operation not in `selected`, and path items left without one. A path item
/// written as a `$ref` is replaced by a copy of what it names first.
fn keep_operations(document: &mut Value, selected: &BTreeSet<OperationKey>) {
    let resolved: BTreeMap<String, Value> = match document.get("paths").and_then(Value::as_object) {
        Some(paths) => paths
            .iter()
            .filter(|(_, item)| item.get("$ref").is_some())
            .map(|(path, item)| (path.clone(), path_item(document, item).clone()))
            .collect(),
        None => return,
    };
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in resolved {
        paths.insert(path, item);
    }
    paths.retain(|path, item| {
        let Some(item) = item.as_object_mut() else {
            return false;
        };
        for method in METHODS {
            let key = OperationKey {
                path: path.clone(),
                method,
            };
            if item.contains_key(method) && !selected.contains(&key) {
                item.shift_remove(method);
            }
        }
        METHODS.iter().any(|m| item.contains_key(*m))
    });
}

/// The components (`(kind, name)`) the remaining paths reach through `$ref`s and
/// discriminator mappings, transitively. A reference into `#/paths/…` must still resolve.
fn reachable(document: &Value) -> Result<BTreeSet<(String, String)>, String> {
    let mut reached = BTreeSet::new();
    let mut queue: VecDeque<&Value> = VecDeque::new();
    if let Some(paths) = document.get("paths") {
        queue.push_back(paths);
    }
    let mut references = Vec::new();
    while let Some(value) = queue.pop_front() {
        references.clear();
        collect_references(value, &mut references);
        for reference in &references {
            let Some(pointer) = local_pointer(reference) else {
                continue;
            };
            if pointer.starts_with("/paths/") && document.pointer(&pointer).is_none() {
                return Err(format!(
                    "a selected operation refers to `{reference}`, which the selection leaves out: add that operation to `operations`"
                ));
            }
            let mut tokens = json_pointer::tokens(&pointer);
            let (Some(root), Some(kind), Some(name)) =
                (tokens.next(), tokens.next(), tokens.next())
            else {
                continue;
            };
            if root != "components" {
                continue;
            }
            let key = (kind.into_owned(), name.into_owned());
            if reached.contains(&key) {
                continue;
            }
            if let Some(target) = document
                .get("components")
                .and_then(|c| c.get(&key.0))
                .and_then(|k| k.get(&key.1))
            {
                queue.push_back(target);
            }
            reached.insert(key);
        }
    }
    Ok(reached)
}

/// Every `$ref` under `value`, and every discriminator mapping target (a bare name means a
/// component schema).
fn collect_references(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                out.push(reference.clone());
            }
            if let Some(Value::Object(mapping)) =
                map.get("discriminator").and_then(|d| d.get("mapping"))
            {
                for target in mapping.values().filter_map(Value::as_str) {
                    out.push(if target.starts_with('#') {
                        target.to_string()
                    } else {
                        format!("#/components/schemas/{target}")
                    });
                }
            }
            for child in map.values() {
                collect_references(child, out);
            }
        }
        Value::Array(items) => {
            for child in items {
                collect_references(child, out);
            }
        }
        _ => {}
    }
}

/// Removes the components of [`PRUNED_KINDS`] not in `reached`; returns (kept, removed).
fn keep_components(document: &mut Value, reached: &BTreeSet<(String, String)>) -> (usize, usize) {
    let Some(components) = document
        .get_mut("components")
        .and_then(Value::as_object_mut)
    else {
        return (0, 0);
    };
    let (mut kept, mut removed) = (0, 0);
    for kind in PRUNED_KINDS {
        let Some(Value::Object(entries)) = components.get_mut(kind) else {
            continue;
        };
        let before = entries.len();
        entries.retain(|name, _| reached.contains(&(kind.to_string(), name.clone())));
        kept += entries.len();
        removed += before - entries.len();
        if entries.is_empty() {
            components.shift_remove(kind);
        }
    }
    (kept, removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::selection::parse;
    use serde_json::json;

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {
                "/pets": {
                    "parameters": [{"$ref": "#/components/parameters/Trace"}],
                    "get": {"operationId": "pets/list", "tags": ["pets"], "responses": {"200": {
                        "description": "",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pets"}}}}}},
                    "post": {"operationId": "pets/create", "tags": ["pets"], "responses": {"201": {"$ref": "#/components/responses/Created"}}}
                },
                "/stores": {"get": {"operationId": "stores/list", "tags": ["stores"], "responses": {"200": {
                    "description": "",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Store"}}}}}}}
            },
            "components": {
                "schemas": {
                    "Pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                    "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                            "discriminator": {"propertyName": "kind", "mapping": {"cat": "Cat", "dog": "#/components/schemas/Dog"}}},
                    "Cat": {"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/Owner"}}},
                    "Dog": {"type": "object"},
                    "Owner": {"type": "object", "properties": {"pets": {"$ref": "#/components/schemas/Pets"}}},
                    "Store": {"type": "object"},
                    "Unused": {"type": "string"}
                },
                "parameters": {"Trace": {"name": "trace", "in": "header", "schema": {"type": "string"}}},
                "responses": {"Created": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Store"}}}}},
                "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}
            }
        })
    }

    fn selected(entries: &[&str]) -> (Value, Result<Note, String>) {
        let entries: Vec<String> = entries.iter().map(|e| e.to_string()).collect();
        let mut document = spec();
        let result = select(&mut document, &parse(&entries).unwrap());
        (document, result)
    }

    fn names(document: &Value, kind: &str) -> Vec<String> {
        document["components"][kind]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    #[test]
    fn keeps_the_selected_operations_and_what_they_reach_transitively() {
        let (document, note) = selected(&["pets/list"]);
        let note = note.unwrap();
        assert_eq!(note.rule, "normalize/selection");
        assert!(
            note.message.starts_with("1 of 3 operations selected"),
            "{note}"
        );
        let paths: Vec<&String> = document["paths"].as_object().unwrap().keys().collect();
        assert_eq!(paths, ["/pets"]);
        assert!(document["paths"]["/pets"].get("post").is_none());
        // Pets → Pet → Cat (by mapping and oneOf) → Owner → Pets (a cycle), and Dog.
        assert_eq!(
            names(&document, "schemas"),
            ["Pets", "Pet", "Cat", "Dog", "Owner"]
        );
        assert_eq!(names(&document, "parameters"), ["Trace"]);
        assert!(document["components"].get("responses").is_none());
        assert_eq!(names(&document, "securitySchemes"), ["token"]);
    }

    #[test]
    fn components_reached_through_other_components_are_kept() {
        let (document, note) = selected(&["POST /pets"]);
        note.unwrap();
        assert_eq!(names(&document, "responses"), ["Created"]);
        assert_eq!(names(&document, "schemas"), ["Store"]);
    }

    #[test]
    fn selecting_nothing_is_an_error_and_a_dangling_path_reference_too() {
        let (_, result) = selected(&["pets/lst"]);
        assert!(result.unwrap_err().contains("did you mean `pets/list`?"));

        let mut document = spec();
        document["paths"]["/stores"]["get"]["parameters"] =
            json!([{"$ref": "#/paths/~1pets/post/parameters/0"}]);
        document["paths"]["/pets"]["post"]["parameters"] =
            json!([{"name": "x", "in": "query", "schema": {"type": "string"}}]);
        let selection = parse(&["stores/list".to_string()]).unwrap();
        let err = select(&mut document, &selection).unwrap_err();
        assert!(err.contains("#/paths/~1pets/post/parameters/0"), "{err}");
    }

    #[test]
    fn path_items_written_as_references_are_copied_then_pruned() {
        let mut document = spec();
        document["components"]["pathItems"] = json!({"Pets": document["paths"]["/pets"].clone()});
        document["paths"]["/pets"] = json!({"$ref": "#/components/pathItems/Pets"});
        let selection = parse(&["tag:pets".to_string()]).unwrap();
        select(&mut document, &selection).unwrap();
        assert!(document["paths"]["/pets"].get("$ref").is_none());
        assert!(document["paths"]["/pets"].get("post").is_some());
        assert!(document["components"].get("pathItems").is_none());
    }
}
