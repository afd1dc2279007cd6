//! OpenAPI 3.1 → 3.0 lowering: rewrites a 3.1 document (as JSON) into the 3.0 form the
//! generator reads. Each rule is a small function, deterministic, and reports what it did as a
//! [`Note`]; constructs 3.0 cannot express are dropped with a note saying so.
//!
//! Lowering works on a copy: the fingerprint is always of the original document.
//!
//! | rule | rewrite |
//! |---|---|
//! | `lower/version` | `openapi: 3.1.x` → `3.0.3` |
//! | `lower/webhooks`, `lower/json-schema-dialect`, `lower/path-items` | dropped (no 3.0 equivalent; `$ref`s to path items are inlined first) |
//! | `lower/paths` | a document without `paths` gets an empty one |
//! | `lower/boolean-schema` | `true` → `{}`, `false` → `{"not": {}}` |
//! | `lower/json-schema-keyword` | `$schema`, `$id`, `$anchor`, `$dynamicRef`, `$dynamicAnchor`, `$vocabulary`, `$comment`, `$defs` dropped |
//! | `lower/ref-siblings` | `$ref` with annotations → annotations dropped; with constraints → `allOf: [$ref]` plus them |
//! | `lower/type-null` | `type: [T, "null"]` → `type: T, nullable: true`; `type: "null"` → `nullable: true` |
//! | `lower/type-array` | several non-null types → `oneOf` of one schema per type, keywords split by type |
//! | `lower/nullable-union` | `anyOf`/`oneOf` with a `{type: "null"}` branch → the others, `nullable: true` |
//! | `lower/const` | `const: v` → `enum: [v]` |
//! | `lower/exclusive-bound` | numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` + `true` |
//! | `lower/examples` | schema `examples: [a, …]` → `example: a` |
//! | `lower/content-encoding` | `contentEncoding: base64` → `format: byte`, `contentMediaType` → `format: binary` or dropped |
//! | `lower/prefix-items` | `prefixItems` → `items` (the common schema, or any) with `minItems`/`maxItems` |
//! | `lower/conditional` | `if`/`then`/`else` dropped |
//! | `lower/dependent` | `dependentRequired`, `dependentSchemas` dropped |
//! | `lower/pattern-properties` | `patternProperties` → `additionalProperties` |
//! | `lower/unevaluated` | `unevaluatedProperties`/`unevaluatedItems` → `additionalProperties`/dropped |
//! | `lower/unsupported-keyword` | `contains`, `minContains`, `maxContains`, `propertyNames` dropped |

mod keywords;
mod schema;
mod types;
pub(crate) mod walk;

/// The schema rules [`crate::codegen::normalize`] also applies to 3.0 documents that use 3.1 forms.
#[cfg_attr(not(feature = "generate"), allow(unused_imports))]
pub(crate) mod schema_rules {
    pub(crate) use super::schema::{boolean_schema, exclusive_bounds};
    pub(crate) use super::types::type_keyword;
}

use serde_json::{Map, Value};

use crate::codegen::note::Note;

/// The version a lowered document declares.
pub const LOWERED_VERSION: &str = "3.0.3";

/// Rewrites a 3.1 `document` into OpenAPI 3.0 in place, returning what it changed.
pub fn lower(document: &mut Value) -> Vec<Note> {
    let mut notes = Vec::new();
    let Some(root) = document.as_object_mut() else {
        return notes;
    };
    version(root, &mut notes);
    inline_path_item_refs(root, &mut notes);
    drop_top_level(root, &mut notes);
    walk::schemas(document, &mut |node, at| {
        schema::lower_schema(node, at, &mut notes)
    });
    notes
}

fn version(root: &mut Map<String, Value>, notes: &mut Vec<Note>) {
    if let Some(Value::String(v)) = root.get("openapi")
        && v.starts_with("3.1.")
    {
        notes.push(Note::new(
            "lower/version",
            "/openapi",
            format!("OpenAPI {v} lowered to {LOWERED_VERSION}"),
        ));
        root.insert("openapi".into(), LOWERED_VERSION.into());
    }
    if !root.contains_key("paths") {
        notes.push(Note::new(
            "lower/paths",
            "/paths",
            "the document has no `paths`; an empty one was added",
        ));
        root.insert("paths".into(), Value::Object(Map::new()));
    }
}

/// Replaces `{"$ref": "#/components/pathItems/X"}` under `paths` by the path item it names
/// (3.0 has no reusable path items).
fn inline_path_item_refs(root: &mut Map<String, Value>, notes: &mut Vec<Note>) {
    let items = root
        .get("components")
        .and_then(|c| c.get("pathItems"))
        .cloned();
    let Some(Value::Object(items)) = items else {
        return;
    };
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(Value::String(target)) = item.get("$ref") else {
            continue;
        };
        let Some(name) = target.strip_prefix("#/components/pathItems/") else {
            continue;
        };
        if let Some(found) = items.get(crate::util::json_pointer::unescape(name).as_ref()) {
            notes.push(Note::new(
                "lower/path-items",
                crate::util::json_pointer::child("/paths", path),
                format!("`$ref: {target}` replaced by the path item it names"),
            ));
            *item = found.clone();
        }
    }
}

/// Drops the 3.1-only top-level fields (and `components.pathItems`).
fn drop_top_level(root: &mut Map<String, Value>, notes: &mut Vec<Note>) {
    if let Some(Value::Object(hooks)) = root.shift_remove("webhooks") {
        let names: Vec<&str> = hooks.keys().map(String::as_str).collect();
        notes.push(Note::new(
            "lower/webhooks",
            "/webhooks",
            format!(
                "{} webhook(s) dropped (OpenAPI 3.0 has no webhooks; a client does not call them): {}",
                names.len(),
                names.join(", ")
            ),
        ));
    }
    if let Some(dialect) = root.shift_remove("jsonSchemaDialect") {
        notes.push(Note::new(
            "lower/json-schema-dialect",
            "/jsonSchemaDialect",
            format!("`jsonSchemaDialect: {dialect}` dropped (3.0 has one schema dialect)"),
        ));
    }
    if let Some(Value::Object(components)) = root.get_mut("components")
        && components.shift_remove("pathItems").is_some()
    {
        notes.push(Note::new(
            "lower/path-items",
            "/components/pathItems",
            "`components.pathItems` dropped (3.0 has no reusable path items)",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules(notes: &[Note]) -> Vec<&str> {
        notes.iter().map(|n| n.rule).collect()
    }

    #[test]
    fn version_is_lowered_and_paths_added() {
        let mut doc = json!({"openapi": "3.1.0", "info": {}});
        let notes = lower(&mut doc);
        assert_eq!(doc, json!({"openapi": "3.0.3", "info": {}, "paths": {}}));
        assert_eq!(rules(&notes), ["lower/version", "lower/paths"]);
    }

    #[test]
    fn webhooks_dialect_and_path_items_are_dropped_with_notes() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
            "webhooks": {"newPet": {"post": {}}, "gone": {}},
            "components": {"pathItems": {"A": {"get": {"operationId": "a"}}}}
        });
        let notes = lower(&mut doc);
        assert_eq!(
            doc,
            json!({
                "openapi": "3.0.3",
                "paths": {"/a": {"get": {"operationId": "a"}}},
                "components": {}
            })
        );
        assert_eq!(
            rules(&notes),
            [
                "lower/version",
                "lower/path-items",
                "lower/webhooks",
                "lower/json-schema-dialect",
                "lower/path-items"
            ]
        );
        assert!(
            notes[2].message.contains("2 webhook(s) dropped"),
            "{}",
            notes[2]
        );
        assert!(notes[2].message.ends_with("newPet, gone"), "{}", notes[2]);
    }

    #[test]
    fn schemas_everywhere_are_lowered() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"type": ["string", "null"]}
            }}}}}}},
            "components": {"schemas": {"S": {"properties": {"c": {"const": 1}}}}}
        });
        let notes = lower(&mut doc);
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            doc["components"]["schemas"]["S"]["properties"]["c"],
            json!({"enum": [1]})
        );
        assert_eq!(
            notes.iter().map(|n| n.pointer.as_str()).collect::<Vec<_>>(),
            [
                "/openapi",
                "/components/schemas/S/properties/c",
                "/paths/~1a/get/responses/200/content/application~1json/schema"
            ]
        );
    }

    #[test]
    fn lowering_is_deterministic_and_idempotent() {
        let original = json!({
            "openapi": "3.1.0",
            "paths": {},
            "components": {"schemas": {
                "A": {"type": ["integer", "string", "null"], "minimum": 1, "maxLength": 3, "examples": [1]},
                "B": {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}
            }}
        });
        let mut once = original.clone();
        let notes = lower(&mut once);
        let mut again = original.clone();
        assert_eq!(lower(&mut again), notes);
        assert_eq!(once, again);
        let mut twice = once.clone();
        assert!(lower(&mut twice).is_empty());
        assert_eq!(twice, once);
    }
}
