//! The lowering rules for one JSON Schema 2020-12 schema object (see the table in
//! [`crate::codegen::lower`]). Each rule takes the schema, its pointer and the notes; children are
//! lowered afterwards by the walker.

use serde_json::{Map, Value, json};

use super::{keywords, types};
use crate::codegen::note::Note;

/// Applies every schema rule to `node`, in a fixed order.
pub(super) fn lower_schema(node: &mut Value, at: &str, notes: &mut Vec<Note>) {
    boolean_schema(node, at, notes);
    let Value::Object(schema) = node else {
        return;
    };
    json_schema_keywords(schema, at, notes);
    ref_siblings(schema, at, notes);
    types::type_keyword(schema, at, notes);
    nullable_union(schema, at, notes);
    constant(schema, at, notes);
    exclusive_bounds(schema, at, notes);
    examples(schema, at, notes);
    content_encoding(schema, at, notes);
    keywords::prefix_items(schema, at, notes);
    keywords::conditional(schema, at, notes);
    keywords::dependent(schema, at, notes);
    keywords::pattern_properties(schema, at, notes);
    keywords::unevaluated(schema, at, notes);
    keywords::unsupported(schema, at, notes);
}

/// `true` → `{}` (anything), `false` → `{"not": {}}` (nothing).
pub(crate) fn boolean_schema(node: &mut Value, at: &str, notes: &mut Vec<Note>) {
    let Value::Bool(b) = *node else {
        return;
    };
    *node = if b { json!({}) } else { json!({"not": {}}) };
    notes.push(Note::new(
        "lower/boolean-schema",
        at,
        format!("boolean schema `{b}` written as `{node}`"),
    ));
}

/// JSON Schema identity and vocabulary keywords the generator has no use for.
pub(super) fn json_schema_keywords(
    schema: &mut Map<String, Value>,
    at: &str,
    notes: &mut Vec<Note>,
) {
    for key in [
        "$schema",
        "$id",
        "$anchor",
        "$dynamicRef",
        "$dynamicAnchor",
        "$vocabulary",
        "$comment",
        "$defs",
    ] {
        if schema.shift_remove(key).is_some() {
            notes.push(Note::new(
                "lower/json-schema-keyword",
                at,
                format!("`{key}` dropped (not part of OpenAPI 3.0 schemas)"),
            ));
        }
    }
}

/// Keywords that only describe a schema; beside a `$ref` they can be dropped without changing
/// what the generated code accepts.
const ANNOTATIONS: [&str; 10] = [
    "description",
    "title",
    "summary",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "default",
];

/// A `$ref` with sibling keywords: 3.0 ignores the siblings. Annotations are dropped; anything
/// that constrains the value keeps its meaning as `allOf: [{$ref}]` beside it.
pub(super) fn ref_siblings(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    if !schema.contains_key("$ref") || schema.len() == 1 {
        return;
    }
    let dropped: Vec<String> = schema
        .keys()
        .filter(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-"))
        .cloned()
        .collect();
    for key in &dropped {
        schema.shift_remove(key);
    }
    if !dropped.is_empty() {
        notes.push(Note::new(
            "lower/ref-siblings",
            at,
            format!(
                "{} beside `$ref` dropped (3.0 ignores them)",
                quoted(&dropped)
            ),
        ));
    }
    if schema.len() > 1 {
        let reference = schema.shift_remove("$ref").unwrap_or_default();
        let mut all_of = vec![json!({ "$ref": reference })];
        if let Some(Value::Array(existing)) = schema.shift_remove("allOf") {
            all_of.extend(existing);
        }
        schema.insert("allOf".into(), Value::Array(all_of));
        let kept: Vec<String> = schema.keys().filter(|k| *k != "allOf").cloned().collect();
        notes.push(Note::new(
            "lower/ref-siblings",
            at,
            format!(
                "`$ref` moved into `allOf` so {} beside it still apply",
                quoted(&kept)
            ),
        ));
    }
}

/// Whether `schema` only allows `null`.
pub(super) fn is_null_schema(schema: &Value) -> bool {
    match schema {
        Value::Object(o) => match (o.get("type"), o.get("const"), o.get("enum")) {
            (Some(Value::String(t)), _, _) => t == "null",
            (Some(Value::Array(ts)), _, _) => ts.iter().all(|t| t == "null") && !ts.is_empty(),
            (None, Some(Value::Null), _) => true,
            (None, None, Some(Value::Array(e))) => e.iter().all(Value::is_null) && !e.is_empty(),
            _ => false,
        },
        _ => false,
    }
}

/// `anyOf`/`oneOf` with a null branch → the other branches with `nullable: true`; a single
/// remaining `$ref` becomes `allOf: [$ref]`, a single inline schema is merged in.
pub(super) fn nullable_union(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = schema.get_mut(key) else {
            continue;
        };
        let before = branches.len();
        branches.retain(|b| !is_null_schema(b));
        if branches.len() == before {
            continue;
        }
        schema.insert("nullable".into(), Value::Bool(true));
        let mut message = format!("the `null` branch of `{key}` written as `nullable: true`");
        let Some(Value::Array(branches)) = schema.get(key) else {
            continue;
        };
        if branches.len() == 1 {
            let only = schema
                .shift_remove(key)
                .and_then(|v| v.as_array()?.first().cloned());
            match only {
                Some(Value::Object(inner))
                    if !inner.contains_key("$ref")
                        && inner.keys().all(|k| !schema.contains_key(k)) =>
                {
                    schema.extend(inner);
                    message.push_str(", its only other branch merged in");
                }
                Some(other) => {
                    match schema.get_mut("allOf") {
                        Some(Value::Array(all_of)) => all_of.insert(0, other),
                        _ => {
                            schema.insert("allOf".into(), json!([other]));
                        }
                    }
                    message.push_str(", its only other branch moved to `allOf`");
                }
                None => {}
            }
        }
        notes.push(Note::new("lower/nullable-union", at, message));
    }
}

/// `const: v` → `enum: [v]`.
pub(super) fn constant(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(value) = schema.shift_remove("const") else {
        return;
    };
    if value.is_null() {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    notes.push(Note::new(
        "lower/const",
        at,
        format!("`const: {value}` written as `enum: [{value}]`"),
    ));
    schema.insert("enum".into(), Value::Array(vec![value]));
}

/// Numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true` (and the same for the
/// maximum), keeping the stricter bound when `minimum` is also given.
pub(crate) fn exclusive_bounds(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    for (exclusive, inclusive, stricter) in [
        ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
        ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
    ] {
        let Some(Value::Number(bound)) = schema.get(exclusive).cloned() else {
            continue;
        };
        let other = schema.get(inclusive).and_then(Value::as_f64);
        let keep_inclusive =
            other.is_some_and(|o| o.partial_cmp(&bound.as_f64().unwrap_or(0.0)) == Some(stricter));
        if keep_inclusive {
            schema.shift_remove(exclusive);
            notes.push(Note::new(
                "lower/exclusive-bound",
                at,
                format!("`{exclusive}: {bound}` dropped: `{inclusive}` is stricter"),
            ));
        } else {
            schema.insert(inclusive.into(), Value::Number(bound.clone()));
            schema.insert(exclusive.into(), Value::Bool(true));
            notes.push(Note::new(
                "lower/exclusive-bound",
                at,
                format!(
                    "`{exclusive}: {bound}` written as `{inclusive}: {bound}, {exclusive}: true`"
                ),
            ));
        }
    }
}

/// A schema's `examples` list → `example` (its first entry).
pub(super) fn examples(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(examples) = schema.shift_remove("examples") else {
        return;
    };
    let first = match examples {
        Value::Array(list) => list.into_iter().next(),
        _ => None,
    };
    match first {
        Some(first) if !schema.contains_key("example") => {
            schema.insert("example".into(), first);
            notes.push(Note::new(
                "lower/examples",
                at,
                "`examples` written as `example` (its first entry)",
            ));
        }
        _ => notes.push(Note::new("lower/examples", at, "`examples` dropped")),
    }
}

/// `contentEncoding`/`contentMediaType` on a string → the 3.0 `format`s `byte` and `binary`.
pub(super) fn content_encoding(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let encoding = schema.shift_remove("contentEncoding");
    let media = schema.shift_remove("contentMediaType");
    schema.shift_remove("contentSchema");
    if encoding.is_none() && media.is_none() {
        return;
    }
    let format = match (&encoding, &media) {
        (Some(Value::String(e)), _) if e.eq_ignore_ascii_case("base64") => Some("byte"),
        (None, Some(Value::String(m))) if !m.starts_with("text/") && !m.contains("json") => {
            Some("binary")
        }
        _ => None,
    };
    let what = [("contentEncoding", &encoding), ("contentMediaType", &media)]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("`{k}: {v}`")))
        .collect::<Vec<_>>()
        .join(" and ");
    match format {
        Some(format) if !schema.contains_key("format") => {
            schema.insert("format".into(), format.into());
            notes.push(Note::new(
                "lower/content-encoding",
                at,
                format!("{what} written as `format: {format}`"),
            ));
        }
        _ => notes.push(Note::new(
            "lower/content-encoding",
            at,
            format!("{what} dropped"),
        )),
    }
}

/// `` `a`, `b` ``.
pub(super) fn quoted(keys: &[String]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::codegen::note::apply_rule as run;

    #[test]
    fn boolean_schemas() {
        let mut notes = Vec::new();
        let mut yes = json!(true);
        boolean_schema(&mut yes, "/s", &mut notes);
        let mut no = json!(false);
        boolean_schema(&mut no, "/s", &mut notes);
        let mut object = json!({"type": "string"});
        boolean_schema(&mut object, "/s", &mut notes);
        assert_eq!((yes, no), (json!({}), json!({"not": {}})));
        assert_eq!(object, json!({"type": "string"}));
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[1].rule, "lower/boolean-schema");
    }

    #[test]
    fn json_schema_keywords_are_dropped() {
        let (out, notes) = run(
            json_schema_keywords,
            json!({"$schema": "x", "$id": "y", "$comment": "c", "type": "string"}),
        );
        assert_eq!(out, json!({"type": "string"}));
        assert_eq!(notes.len(), 3);
    }

    #[test]
    fn ref_siblings_annotations_dropped_constraints_kept_in_all_of() {
        let (out, notes) = run(
            ref_siblings,
            json!({"$ref": "#/components/schemas/A", "description": "d", "x-y": 1}),
        );
        assert_eq!(out, json!({"$ref": "#/components/schemas/A"}));
        assert_eq!(
            notes,
            ["`description`, `x-y` beside `$ref` dropped (3.0 ignores them)"]
        );

        let (out, notes) = run(
            ref_siblings,
            json!({"$ref": "#/A", "nullable": true, "maxLength": 3}),
        );
        assert_eq!(
            out,
            json!({"nullable": true, "maxLength": 3, "allOf": [{"$ref": "#/A"}]})
        );
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("`nullable`, `maxLength`"), "{notes:?}");

        let (out, notes) = run(ref_siblings, json!({"$ref": "#/A"}));
        assert_eq!((out, notes.len()), (json!({"$ref": "#/A"}), 0));
    }

    #[test]
    fn nullable_unions() {
        let (out, notes) = run(
            nullable_union,
            json!({"anyOf": [{"$ref": "#/A"}, {"type": "null"}], "description": "d"}),
        );
        assert_eq!(
            out,
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/A"}]})
        );
        assert_eq!(notes.len(), 1);

        let (out, _) = run(
            nullable_union,
            json!({"oneOf": [{"type": "string", "format": "date"}, {"const": null}]}),
        );
        assert_eq!(
            out,
            json!({"nullable": true, "type": "string", "format": "date"})
        );

        let (out, _) = run(
            nullable_union,
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": ["null"]}]}),
        );
        assert_eq!(
            out,
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );

        let (out, notes) = run(
            nullable_union,
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
        );
        assert_eq!(notes.len(), 0);
        assert_eq!(out["anyOf"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn const_becomes_a_single_value_enum() {
        let (out, notes) = run(constant, json!({"type": "string", "const": "a"}));
        assert_eq!(out, json!({"type": "string", "enum": ["a"]}));
        assert_eq!(notes, ["`const: \"a\"` written as `enum: [\"a\"]`"]);
        let (out, _) = run(constant, json!({"const": null}));
        assert_eq!(out, json!({"nullable": true, "enum": [null]}));
    }

    #[test]
    fn numeric_exclusive_bounds_take_the_3_0_form() {
        let (out, notes) = run(
            exclusive_bounds,
            json!({"exclusiveMinimum": 0, "exclusiveMaximum": 10.5}),
        );
        assert_eq!(
            out,
            json!({"exclusiveMinimum": true, "minimum": 0, "exclusiveMaximum": true, "maximum": 10.5})
        );
        assert_eq!(notes.len(), 2);
        let (out, notes) = run(
            exclusive_bounds,
            json!({"exclusiveMinimum": 0, "minimum": 5}),
        );
        assert_eq!(out, json!({"minimum": 5}));
        assert!(notes[0].contains("stricter"));
        let (out, _) = run(
            exclusive_bounds,
            json!({"exclusiveMinimum": 5, "minimum": 0}),
        );
        assert_eq!(out, json!({"exclusiveMinimum": true, "minimum": 5}));
        let (out, notes) = run(
            exclusive_bounds,
            json!({"exclusiveMinimum": true, "minimum": 0}),
        );
        assert_eq!(
            (out, notes.len()),
            (json!({"exclusiveMinimum": true, "minimum": 0}), 0)
        );
    }

    #[test]
    fn examples_become_example() {
        let (out, notes) = run(examples, json!({"examples": ["a", "b"]}));
        assert_eq!(out, json!({"example": "a"}));
        assert_eq!(notes.len(), 1);
        let (out, notes) = run(examples, json!({"examples": [], "example": 1}));
        assert_eq!(
            (out, notes),
            (
                json!({"example": 1}),
                vec!["`examples` dropped".to_string()]
            )
        );
    }

    #[test]
    fn content_encoding_becomes_a_format() {
        let (out, notes) = run(
            content_encoding,
            json!({"type": "string", "contentEncoding": "base64"}),
        );
        assert_eq!(out, json!({"type": "string", "format": "byte"}));
        assert_eq!(
            notes,
            ["`contentEncoding: \"base64\"` written as `format: byte`"]
        );
        let (out, _) = run(
            content_encoding,
            json!({"type": "string", "contentMediaType": "image/png"}),
        );
        assert_eq!(out, json!({"type": "string", "format": "binary"}));
        let (out, notes) = run(
            content_encoding,
            json!({"type": "string", "contentMediaType": "application/json"}),
        );
        assert_eq!(out, json!({"type": "string"}));
        assert!(notes[0].ends_with("dropped"));
    }

    #[test]
    fn all_rules_in_order() {
        let mut node = json!({
            "$schema": "x",
            "type": ["string", "null"],
            "examples": ["a"],
            "contentEncoding": "base64"
        });
        let mut notes = Vec::new();
        lower_schema(&mut node, "/s", &mut notes);
        assert_eq!(
            node,
            json!({"type": "string", "nullable": true, "example": "a", "format": "byte"})
        );
        assert_eq!(
            notes.iter().map(|n| n.rule).collect::<Vec<_>>(),
            [
                "lower/json-schema-keyword",
                "lower/type-null",
                "lower/examples",
                "lower/content-encoding"
            ]
        );
    }
}
