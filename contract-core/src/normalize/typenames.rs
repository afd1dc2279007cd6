//! Rule `normalize/type-name`: the generator names an inline schema after where it sits —
//! property `reference` of `PaymentInstrument` becomes `PaymentInstrumentReference`, the
//! response of operation `listPets` becomes `ListPetsResponse` — without checking that the name
//! is free. When such a derived name is already a component's (or a title's, or an earlier
//! derived name), the inline schema gets a `title` with a free name (`…2`), which the
//! generator uses instead.
//!
//! The derived names follow the generator's rules for the common cases: properties
//! (`<Parent>_<property>`), array items (`<Parent>_item`), map values (`<Parent>Value`), and for
//! operations `<operationId>-response`, `-body` and `-<parameter>`.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::names;
use crate::note::{METHODS, Note, child};

struct Namer<'a> {
    /// Names of components and titles.
    reserved: BTreeSet<String>,
    /// Names given to inline schemas so far.
    derived: BTreeSet<String>,
    notes: &'a mut Vec<Note>,
}

/// Applies the rule to `document`.
pub(super) fn type_names(document: &mut Value, notes: &mut Vec<Note>) {
    let mut reserved: BTreeSet<String> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().map(|k| names::pascal(k)).collect())
        .unwrap_or_default();
    crate::lower::walk::schemas(document, &mut |node, _| {
        if let Some(Value::String(title)) = node.get("title") {
            reserved.insert(names::pascal(title));
        }
    });
    let mut namer = Namer {
        reserved,
        derived: BTreeSet::new(),
        notes,
    };
    if let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (key, schema) in schemas.iter_mut() {
            let at = child("/components/schemas", key);
            namer.children(schema, key, &at);
        }
    }
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let at_path = child("/paths", path);
        for method in METHODS {
            let Some(Value::Object(op)) = item.get_mut(method) else {
                continue;
            };
            let at = child(&at_path, method);
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            namer.operation(op, &id, &at);
        }
    }
}

impl Namer<'_> {
    fn operation(&mut self, op: &mut Map<String, Value>, id: &str, at: &str) {
        if let Some(Value::Array(params)) = op.get_mut("parameters") {
            for (i, p) in params.iter_mut().enumerate() {
                let name = p.get("name").and_then(Value::as_str).unwrap_or("").to_string();
                if let Some(schema) = p.get_mut("schema") {
                    let at = child(&child(&child(at, "parameters"), &i.to_string()), "schema");
                    self.node(schema, &format!("{id}-{name}"), &at);
                }
            }
        }
        if let Some(body) = op.get_mut("requestBody") {
            self.content(body, &format!("{id}-body"), &child(at, "requestBody"));
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            for (status, response) in responses.iter_mut() {
                let at = child(&child(at, "responses"), status);
                self.content(response, &format!("{id}-response"), &at);
            }
        }
    }

    fn content(&mut self, holder: &mut Value, name: &str, at: &str) {
        let Some(Value::Object(content)) = holder.get_mut("content") else {
            return;
        };
        for (media_type, media) in content.iter_mut() {
            let generated = media_type == "application/json"
                || media_type.starts_with("application/json;")
                || media_type == "application/x-www-form-urlencoded";
            if let (true, Some(schema)) = (generated, media.get_mut("schema")) {
                let at = child(&child(&child(at, "content"), media_type), "schema");
                self.node(schema, name, &at);
            }
        }
    }

    /// An inline schema whose suggested name is `suggested`.
    fn node(&mut self, schema: &mut Value, suggested: &str, at: &str) {
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        if object.contains_key("$ref") {
            return;
        }
        let name = match object.get("title").and_then(Value::as_str) {
            Some(title) => title.to_string(),
            None if may_be_a_type(object) => {
                let wanted = names::pascal(suggested);
                let free = |n: &String| !self.reserved.contains(n) && !self.derived.contains(n);
                if free(&wanted) {
                    self.derived.insert(wanted);
                    suggested.to_string()
                } else {
                    let new = (2..)
                        .map(|n| format!("{wanted}{n}"))
                        .find(|n| free(n))
                        .expect("a free name");
                    self.derived.insert(new.clone());
                    self.notes.push(Note::new(
                        "normalize/type-name",
                        at,
                        format!("the generated type name `{wanted}` is taken by another schema; this one is titled `{new}`"),
                    ));
                    object.insert("title".into(), Value::String(new.clone()));
                    new
                }
            }
            None => suggested.to_string(),
        };
        self.children(schema, &name, at);
    }

    /// The inline schemas under a schema named `name`.
    fn children(&mut self, schema: &mut Value, name: &str, at: &str) {
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        if let Some(Value::Object(props)) = object.get_mut("properties") {
            for (prop, sub) in props.iter_mut() {
                let at = child(&child(at, "properties"), prop);
                self.node(sub, &format!("{name}_{prop}"), &at);
            }
        }
        if let Some(items) = object.get_mut("items") {
            self.node(items, &format!("{name}_item"), &child(at, "items"));
        }
        if let Some(values) = object.get_mut("additionalProperties") {
            self.node(values, &format!("{name}Value"), &child(at, "additionalProperties"));
        }
    }
}

/// Whether the generator may define a named type for this inline schema.
fn may_be_a_type(schema: &Map<String, Value>) -> bool {
    [
        "properties",
        "enum",
        "oneOf",
        "anyOf",
        "allOf",
        "not",
        "pattern",
        "minLength",
        "maxLength",
    ]
    .iter()
    .any(|k| schema.contains_key(*k))
        || schema.get("additionalProperties").is_some_and(Value::is_object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn derived_names_that_are_taken_get_a_title() {
        let mut doc = json!({
            "components": {"schemas": {
                "PaymentInstrument": {"properties": {
                    "reference": {"type": "string", "maxLength": 150},
                    "plain": {"type": "string"}
                }},
                "PaymentInstrumentReference": {"properties": {"id": {"type": "string"}}},
                "ListPetsResponse": {"type": "object"}
            }},
            "paths": {"/pets": {"get": {
                "operationId": "listPets",
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"properties": {"a": {"type": "string"}}}}}},
                    "400": {"content": {"application/json": {"schema": {"properties": {"b": {"type": "string"}}}}}}
                }
            }}}
        });
        let mut notes = Vec::new();
        type_names(&mut doc, &mut notes);
        let s = &doc["components"]["schemas"];
        assert_eq!(s["PaymentInstrument"]["properties"]["reference"]["title"], "PaymentInstrumentReference2");
        assert!(s["PaymentInstrument"]["properties"]["plain"].get("title").is_none());
        let r = &doc["paths"]["/pets"]["get"]["responses"];
        assert_eq!(r["200"]["content"]["application/json"]["schema"]["title"], "ListPetsResponse2");
        assert_eq!(r["400"]["content"]["application/json"]["schema"]["title"], "ListPetsResponse3");
        assert_eq!(notes.len(), 3);
        assert!(notes.iter().all(|n| n.rule == "normalize/type-name"));
    }

    #[test]
    fn free_names_are_left_alone() {
        let input = json!({"components": {"schemas": {
            "A": {"properties": {"b": {"properties": {"c": {"enum": ["x"]}}}}}
        }}});
        let mut doc = input.clone();
        let mut notes = Vec::new();
        type_names(&mut doc, &mut notes);
        assert_eq!((doc, notes.len()), (input, 0));
    }
}
