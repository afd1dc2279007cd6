//! Operations as the generator needs them: every operation has a unique operation id that is
//! a Rust identifier once sanitised (`normalize/operation-id`), and path-level parameters are
//! copied into each operation so the per-operation rules see them all.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::names;
use crate::codegen::note::Note;
use crate::spec::METHODS;
use crate::util::json_pointer::child;

/// One operation while it is normalised.
pub(super) struct Operation<'a> {
    /// The path template, e.g. `/pets/{id}`.
    pub path: &'a str,
    /// Lowercase method.
    pub method: &'static str,
    /// JSON pointer of the operation.
    pub at: String,
    /// The operation object.
    pub object: &'a mut Map<String, Value>,
}

impl Operation<'_> {
    /// `GET /pets/{id}`.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_ascii_uppercase(), self.path)
    }
}

/// Calls `f` on every operation, paths in document order and methods in the specification's
/// order (the order the generator uses). When `f` returns `false` the operation is removed.
pub(super) fn retain(document: &mut Value, mut f: impl FnMut(&mut Operation<'_>) -> bool) {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let at_path = child("/paths", path);
        for method in METHODS {
            let keep = match item.get_mut(method) {
                Some(Value::Object(object)) => f(&mut Operation {
                    path,
                    method,
                    at: child(&at_path, method),
                    object,
                }),
                _ => true,
            };
            if !keep {
                item.shift_remove(method);
            }
        }
    }
}

/// Copies path-level `parameters` into each operation of the path (an operation's own
/// parameter with the same name and location wins) and removes them from the path item. This
/// changes nothing about the API, so it is not reported.
pub(super) fn inline_path_parameters(document: &mut Value, components: &Value) {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let Some(Value::Array(shared)) = item.shift_remove("parameters") else {
            continue;
        };
        for method in METHODS {
            let Some(Value::Object(operation)) = item.get_mut(method) else {
                continue;
            };
            let own: BTreeSet<(String, String)> = match operation.get("parameters") {
                Some(Value::Array(list)) => {
                    list.iter().filter_map(|p| key(p, components)).collect()
                }
                _ => BTreeSet::new(),
            };
            let inherited: Vec<Value> = shared
                .iter()
                .filter(|p| key(p, components).is_none_or(|k| !own.contains(&k)))
                .cloned()
                .collect();
            if inherited.is_empty() {
                continue;
            }
            let list = operation
                .entry("parameters")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = list {
                let mut all = inherited;
                all.append(list);
                *list = all;
            }
        }
    }
}

/// `(name, in)` of a parameter or a reference to one.
fn key(parameter: &Value, components: &Value) -> Option<(String, String)> {
    let resolved = super::resolve(parameter, components);
    Some((
        resolved.get("name")?.as_str()?.to_string(),
        resolved.get("in")?.as_str()?.to_string(),
    ))
}

/// Gives every operation a usable, unique operation id: missing, empty (once sanitised) and
/// duplicate ids are replaced by one derived from the method and path.
pub(super) fn operation_ids(document: &mut Value, notes: &mut Vec<Note>) {
    // Ids are compared as the generator will spell them (snake_case).
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut pending: Vec<(String, String, String)> = Vec::new();
    retain(document, |operation| {
        let usable = match operation.object.get("operationId") {
            Some(Value::String(id)) if id.chars().any(char::is_alphanumeric) => {
                taken.insert(names::snake(id)).then_some(())
            }
            _ => None,
        };
        if usable.is_none() {
            pending.push((
                operation.at.clone(),
                operation.method.to_string(),
                operation.path.to_string(),
            ));
        }
        true
    });
    if pending.is_empty() {
        return;
    }
    let mut index = 0;
    retain(document, |operation| {
        if pending
            .get(index)
            .is_some_and(|(at, _, _)| *at == operation.at)
        {
            let (_, method, path) = &pending[index];
            index += 1;
            let base = names::operation_id(method, path);
            let id = (1..)
                .map(|n| {
                    if n == 1 {
                        base.clone()
                    } else {
                        format!("{base}_{n}")
                    }
                })
                .find(|id| !taken.contains(&names::snake(id)))
                .expect("an unused id");
            taken.insert(names::snake(&id));
            let message = match operation.object.get("operationId") {
                None => format!("no `operationId`; `{id}` derived from the method and path"),
                Some(Value::String(old)) if old.chars().any(char::is_alphanumeric) => format!(
                    "`operationId: {old}` is used by an earlier operation (as `{}`); `{id}` derived from the method and path",
                    names::snake(old)
                ),
                Some(old) => format!(
                    "`operationId: {old}` is not usable as a name; `{id}` derived from the method and path"
                ),
            };
            notes.push(Note::new(
                "normalize/operation-id",
                child(&operation.at, "operationId"),
                message,
            ));
            operation
                .object
                .insert("operationId".into(), Value::String(id));
        }
        true
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operation_ids_are_derived_when_missing_duplicate_or_unusable() {
        let mut doc = json!({"paths": {
            "/pets/{id}": {
                "get": {"operationId": "getPet"},
                "put": {},
                "delete": {"operationId": "get_pet"},
                "patch": {"operationId": "--"}
            },
            "/": {"post": {"operationId": 3}},
            "/pets/{id}/": {"put": {}}
        }});
        let mut notes = Vec::new();
        operation_ids(&mut doc, &mut notes);
        let ids: Vec<&str> = ["put", "delete", "patch"]
            .iter()
            .map(|m| {
                doc["paths"]["/pets/{id}"][m]["operationId"]
                    .as_str()
                    .unwrap()
            })
            .collect();
        assert_eq!(ids, ["put_pets_id", "delete_pets_id", "patch_pets_id"]);
        assert_eq!(doc["paths"]["/pets/{id}"]["get"]["operationId"], "getPet");
        assert_eq!(doc["paths"]["/"]["post"]["operationId"], "post_root");
        assert_eq!(
            doc["paths"]["/pets/{id}/"]["put"]["operationId"],
            "put_pets_id_2"
        );
        assert_eq!(notes.len(), 5);
        assert!(
            notes[1]
                .message
                .contains("used by an earlier operation (as `get_pet`)"),
            "{}",
            notes[1]
        );
        assert_eq!(notes[0].pointer, "/paths/~1pets~1{id}/put/operationId");
        assert!(notes.iter().all(|n| n.rule == "normalize/operation-id"));
    }

    #[test]
    fn path_parameters_move_into_operations() {
        let mut doc = json!({"paths": {"/a/{id}": {
            "parameters": [{"$ref": "#/components/parameters/id"}, {"name": "q", "in": "query"}],
            "get": {"parameters": [{"name": "q", "in": "query", "required": true}]},
            "post": {}
        }}});
        let components = json!({"parameters": {"id": {"name": "id", "in": "path"}}});
        inline_path_parameters(&mut doc, &components);
        assert_eq!(
            doc["paths"]["/a/{id}"],
            json!({
                "get": {"parameters": [
                    {"$ref": "#/components/parameters/id"},
                    {"name": "q", "in": "query", "required": true}
                ]},
                "post": {"parameters": [
                    {"$ref": "#/components/parameters/id"},
                    {"name": "q", "in": "query"}
                ]}
            })
        );
    }
}
