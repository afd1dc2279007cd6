//! Component schemas as Rust types. Each becomes a type named after its key (PascalCase):
//!
//! - `normalize/schema-name`: keys that become the same name (`String` and `__string`,
//!   `DataArray` and `dataArray`) → the later ones are renamed `<Name>2`, `<Name>3`… and every
//!   `$ref` to them follows;
//! - `normalize/nullable-component`: a nullable component built by composition (`oneOf`,
//!   `anyOf`, `allOf`) would define its name twice (the `Option` wrapper and the inner type) →
//!   the composition moves to a new component `<Name>Inner`, which the nullable one refers to.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::names;
use crate::codegen::note::Note;
use crate::util::json_pointer::child;

/// Rule `normalize/schema-name`.
pub(super) fn schema_names(document: &mut Value, notes: &mut Vec<Note>) {
    let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    let keys: Vec<String> = schemas.keys().cloned().collect();
    let all: BTreeSet<String> = keys.iter().map(|k| names::pascal(k)).collect();
    for key in &keys {
        let name = names::pascal(key);
        if taken.insert(name.clone()) {
            continue;
        }
        let new = (2..)
            .map(|n| format!("{name}{n}"))
            .find(|n| !taken.contains(n) && !all.contains(n) && !schemas.contains_key(n))
            .expect("an unused name");
        taken.insert(new.clone());
        renames.insert(key.clone(), new);
    }
    if renames.is_empty() {
        return;
    }
    let renamed: Map<String, Value> = std::mem::take(schemas)
        .into_iter()
        .map(|(k, v)| match renames.get(&k) {
            Some(new) => (new.clone(), v),
            None => (k, v),
        })
        .collect();
    *schemas = renamed;
    for (old, new) in &renames {
        notes.push(Note::new(
            "normalize/schema-name",
            child("/components/schemas", old),
            format!(
                "component `{old}` renamed `{new}`: its Rust name `{}` is taken by an earlier component",
                names::pascal(old)
            ),
        ));
    }
    let refs: BTreeMap<String, String> = renames
        .iter()
        .map(|(old, new)| (schema_ref(old), schema_ref(new)))
        .collect();
    repoint(document, &refs);
}

fn schema_ref(name: &str) -> String {
    format!(
        "#/components/schemas/{}",
        crate::util::json_pointer::escape(name)
    )
}

/// Rewrites every `$ref` found in `refs`.
fn repoint(value: &mut Value, refs: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref")
                && let Some(new) = refs.get(r.as_str())
            {
                *r = new.clone();
            }
            for v in map.values_mut() {
                repoint(v, refs);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| repoint(v, refs)),
        _ => {}
    }
}

/// Keywords that stay on the nullable component when its composition moves out.
const KEEP: [&str; 8] = [
    "nullable",
    "title",
    "description",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
];

/// Rule `normalize/nullable-component`.
pub(super) fn nullable_components(document: &mut Value, notes: &mut Vec<Note>) {
    let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut taken: BTreeSet<String> = schemas.keys().map(|k| names::pascal(k)).collect();
    let mut added: Vec<(String, Value)> = Vec::new();
    for (key, schema) in schemas.iter_mut() {
        let Some(object) = schema.as_object_mut() else {
            continue;
        };
        let composed = ["oneOf", "anyOf", "allOf"]
            .iter()
            .any(|k| object.contains_key(*k));
        let only_a_ref = object.len() <= KEEP.len() + 1
            && object
                .get("allOf")
                .and_then(Value::as_array)
                .is_some_and(|a| a.len() == 1 && a[0].get("$ref").is_some())
            && object
                .keys()
                .all(|k| k == "allOf" || KEEP.contains(&k.as_str()));
        if object.get("nullable") != Some(&Value::Bool(true)) || !composed || only_a_ref {
            continue;
        }
        let base = format!("{}Inner", names::pascal(key));
        let name = names::unused(&base, |n| taken.contains(n));
        taken.insert(name.clone());
        let mut inner = Map::new();
        let mut outer = Map::new();
        for (k, v) in std::mem::take(object) {
            if KEEP.contains(&k.as_str()) {
                outer.insert(k, v);
            } else {
                inner.insert(k, v);
            }
        }
        outer.insert("allOf".into(), json!([{ "$ref": schema_ref(&name) }]));
        *object = outer;
        added.push((name.clone(), Value::Object(inner)));
        notes.push(Note::new(
            "normalize/nullable-component",
            child("/components/schemas", key),
            format!("the composition of nullable `{key}` moved to a new component `{name}`, so the two types get different names"),
        ));
    }
    schemas.extend(added);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_component_names_are_renamed_with_their_refs() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/__string"}
            }}}}}}},
            "components": {"schemas": {
                "String": {"type": "string"},
                "__string": {"type": "string"},
                "String2": {"type": "integer"},
                "List": {"items": {"$ref": "#/components/schemas/__string"}}
            }}
        });
        let mut notes = Vec::new();
        schema_names(&mut doc, &mut notes);
        let keys: Vec<&String> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(keys, ["String", "String3", "String2", "List"]);
        assert_eq!(
            doc["components"]["schemas"]["List"]["items"]["$ref"],
            "#/components/schemas/String3"
        );
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/String3"
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].pointer, "/components/schemas/__string");
    }

    #[test]
    fn nullable_compositions_move_to_an_inner_component() {
        let mut doc = json!({"components": {"schemas": {
            "Val": {"nullable": true, "description": "d", "oneOf": [{"type": "string"}]},
            "Ok": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Val"}]},
            "Plain": {"oneOf": [{"type": "string"}]}
        }}});
        let mut notes = Vec::new();
        nullable_components(&mut doc, &mut notes);
        assert_eq!(
            doc["components"]["schemas"],
            json!({
                "Val": {"nullable": true, "description": "d", "allOf": [{"$ref": "#/components/schemas/ValInner"}]},
                "Ok": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Val"}]},
                "Plain": {"oneOf": [{"type": "string"}]},
                "ValInner": {"oneOf": [{"type": "string"}]}
            })
        );
        assert_eq!(notes.len(), 1);
    }
}
