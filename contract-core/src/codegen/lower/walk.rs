//! Finding every schema of an OpenAPI document: under `components`, in parameters, headers,
//! request bodies, responses and callbacks of every operation, and nested inside schemas.

use serde_json::{Map, Value};

use crate::spec::METHODS;
use crate::util::json_pointer::push_token;

/// Calls `visit` on every schema of `document`, parents before children, with its JSON pointer.
/// The children walked are those of the schema as `visit` left it. Boolean schemas are visited
/// too, except as `additionalProperties`, where OpenAPI 3.0 allows them.
pub(crate) fn schemas(document: &mut Value, visit: &mut dyn FnMut(&mut Value, &str)) {
    let mut walker = Walker {
        pointer: String::new(),
        visit,
    };
    let Some(root) = document.as_object_mut() else {
        return;
    };
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        walker.enter("components", |w| w.components(components));
    }
    for key in ["paths", "webhooks"] {
        if let Some(paths) = root.get_mut(key).and_then(Value::as_object_mut) {
            walker.enter(key, |w| {
                w.each(paths, |w, item| w.path_item(item));
            });
        }
    }
}

struct Walker<'a> {
    pointer: String,
    visit: &'a mut dyn FnMut(&mut Value, &str),
}

impl Walker<'_> {
    fn enter(&mut self, token: &str, f: impl FnOnce(&mut Self)) {
        let len = self.pointer.len();
        push_token(&mut self.pointer, token);
        f(self);
        self.pointer.truncate(len);
    }

    /// Each value of an object (a map keyed by name).
    fn each(&mut self, map: &mut Map<String, Value>, mut f: impl FnMut(&mut Self, &mut Value)) {
        for (key, value) in map.iter_mut() {
            self.enter(key, |w| f(w, value));
        }
    }

    /// Each element of an array.
    fn each_index(&mut self, value: &mut Value, mut f: impl FnMut(&mut Self, &mut Value)) {
        if let Some(items) = value.as_array_mut() {
            for (i, item) in items.iter_mut().enumerate() {
                self.enter(&i.to_string(), |w| f(w, item));
            }
        }
    }

    fn field(
        &mut self,
        object: &mut Map<String, Value>,
        key: &str,
        f: impl FnOnce(&mut Self, &mut Value),
    ) {
        if let Some(value) = object.get_mut(key) {
            self.enter(key, |w| f(w, value));
        }
    }

    fn map_field(
        &mut self,
        object: &mut Map<String, Value>,
        key: &str,
        f: impl FnMut(&mut Self, &mut Value),
    ) {
        if let Some(map) = object.get_mut(key).and_then(Value::as_object_mut) {
            self.enter(key, |w| w.each(map, f));
        }
    }

    fn components(&mut self, components: &mut Map<String, Value>) {
        self.map_field(components, "schemas", |w, s| w.schema(s));
        self.map_field(components, "parameters", |w, p| w.parameter(p));
        self.map_field(components, "headers", |w, h| w.parameter(h));
        self.map_field(components, "responses", |w, r| w.response(r));
        self.map_field(components, "requestBodies", |w, b| w.content_holder(b));
        self.map_field(components, "callbacks", |w, c| w.callback(c));
        self.map_field(components, "pathItems", |w, p| w.path_item(p));
    }

    fn path_item(&mut self, item: &mut Value) {
        let Some(item) = item.as_object_mut() else {
            return;
        };
        self.field(item, "parameters", |w, ps| {
            w.each_index(ps, |w, p| w.parameter(p))
        });
        for method in METHODS {
            self.field(item, method, |w, operation| w.operation(operation));
        }
    }

    fn operation(&mut self, operation: &mut Value) {
        let Some(operation) = operation.as_object_mut() else {
            return;
        };
        self.field(operation, "parameters", |w, ps| {
            w.each_index(ps, |w, p| w.parameter(p))
        });
        self.field(operation, "requestBody", |w, b| w.content_holder(b));
        self.map_field(operation, "responses", |w, r| w.response(r));
        self.map_field(operation, "callbacks", |w, c| w.callback(c));
    }

    fn callback(&mut self, callback: &mut Value) {
        if let Some(map) = callback.as_object_mut() {
            self.each(map, |w, item| w.path_item(item));
        }
    }

    /// A parameter or header object.
    fn parameter(&mut self, parameter: &mut Value) {
        let Some(object) = parameter.as_object_mut() else {
            return;
        };
        self.field(object, "schema", |w, s| w.schema(s));
        self.content(object);
    }

    fn response(&mut self, response: &mut Value) {
        let Some(object) = response.as_object_mut() else {
            return;
        };
        self.map_field(object, "headers", |w, h| w.parameter(h));
        self.content(object);
    }

    /// A request body (or anything else with a `content` map).
    fn content_holder(&mut self, holder: &mut Value) {
        if let Some(object) = holder.as_object_mut() {
            self.content(object);
        }
    }

    fn content(&mut self, object: &mut Map<String, Value>) {
        self.map_field(object, "content", |w, media| {
            let Some(media) = media.as_object_mut() else {
                return;
            };
            w.field(media, "schema", |w, s| w.schema(s));
            w.map_field(media, "encoding", |w, encoding| {
                if let Some(encoding) = encoding.as_object_mut() {
                    w.map_field(encoding, "headers", |w, h| w.parameter(h));
                }
            });
        });
    }

    fn schema(&mut self, schema: &mut Value) {
        (self.visit)(schema, &self.pointer);
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        for key in SCHEMA_MAPS {
            self.map_field(object, key, |w, s| w.schema(s));
        }
        for key in SCHEMA_LISTS {
            self.field(object, key, |w, list| {
                w.each_index(list, |w, s| w.schema(s))
            });
        }
        for key in SCHEMA_SINGLES {
            self.field(object, key, |w, s| match s {
                Value::Bool(_) if key == "additionalProperties" => {}
                Value::Array(_) => w.each_index(s, |w, s| w.schema(s)),
                _ => w.schema(s),
            });
        }
    }
}

/// Keywords whose value maps names to schemas.
const SCHEMA_MAPS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Keywords whose value is a list of schemas.
const SCHEMA_LISTS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value is one schema (`items` may also be a list in older drafts).
const SCHEMA_SINGLES: [&str; 12] = [
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
    "contentSchema",
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn visits_every_schema_with_its_pointer() {
        let mut doc = json!({
            "paths": {"/a/{id}": {
                "parameters": [{"name": "id", "schema": {"type": "string"}}],
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/x"}}}},
                    "responses": {"200": {
                        "headers": {"X-A": {"schema": {"type": "integer"}}},
                        "content": {"application/json": {"schema": {"type": "array", "items": true}}}
                    }}
                }
            }},
            "components": {"schemas": {"S": {
                "properties": {"p": {"allOf": [{"type": "string"}]}},
                "additionalProperties": false
            }}},
            "webhooks": {"w": {"get": {"parameters": [{"schema": {}}]}}}
        });
        let mut seen = Vec::new();
        schemas(&mut doc, &mut |_, p| seen.push(p.to_string()));
        assert_eq!(
            seen,
            [
                "/components/schemas/S",
                "/components/schemas/S/properties/p",
                "/components/schemas/S/properties/p/allOf/0",
                "/paths/~1a~1{id}/parameters/0/schema",
                "/paths/~1a~1{id}/post/requestBody/content/application~1json/schema",
                "/paths/~1a~1{id}/post/responses/200/headers/X-A/schema",
                "/paths/~1a~1{id}/post/responses/200/content/application~1json/schema",
                "/paths/~1a~1{id}/post/responses/200/content/application~1json/schema/items",
                "/webhooks/w/get/parameters/0/schema",
            ]
        );
    }

    #[test]
    fn children_are_those_the_visitor_left() {
        let mut doc = json!({"components": {"schemas": {"S": {"x-wrap": {"type": "string"}}}}});
        let mut seen = Vec::new();
        schemas(&mut doc, &mut |s, p| {
            if let Some(inner) = s.as_object_mut().and_then(|o| o.remove("x-wrap")) {
                s["not"] = inner;
            }
            seen.push(p.to_string());
        });
        assert_eq!(seen, ["/components/schemas/S", "/components/schemas/S/not"]);
    }
}
