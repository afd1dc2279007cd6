//! Schemas the generator rejects or mis-reads, one rule each:
//!
//! - `normalize/schema-keyword`: a keyword whose value has the wrong JSON type (`required: true`,
//!   `minLength: "3"`, a list as `items`) → dropped (a list of `items` becomes their common
//!   schema, or any value);
//! - `normalize/schema-type`: an unknown `type` (`file` → a binary string; anything else →
//!   dropped); a 3.1-style list of types or boolean schema in a 3.0 document → lowered as in
//!   [`crate::codegen::lower`];
//! - `normalize/exclusive-bound`: `exclusiveMinimum: true` without `minimum` (or the maximum
//!   alike) → dropped; numeric ones → the 3.0 form;
//! - `normalize/enum-values`, `normalize/enum-variant-names`: see [`super::enums`];
//! - `normalize/format`: a `format` on an object, array or boolean → dropped; so is an integer
//!   width no standard defines that the generator reads as 32 bits (`int`, `uint`);
//! - `normalize/pattern`: a `pattern` that is not a valid ECMA 262 regular expression for the
//!   generated validator → dropped;
//! - `normalize/default`: see [`super::defaults`].

use serde_json::{Map, Number, Value};

use super::enums;
use crate::codegen::lower::schema_rules;
use crate::codegen::note::Note;

/// Applies the schema rules to one schema node (defaults are checked afterwards, by
/// [`super::defaults`]).
pub(super) fn schema(node: &mut Value, at: &str, notes: &mut Vec<Note>) {
    schema_rules::boolean_schema(node, at, notes);
    let Value::Object(schema) = node else {
        return;
    };
    keyword_types(schema, at, notes);
    schema_type(schema, at, notes);
    exclusive_bounds(schema, at, notes);
    enums::enum_duplicates(schema, at, notes);
    enums::enum_values(schema, at, notes);
    enums::untyped_enum(schema, at, notes);
    enums::enum_variant_names(schema, at, notes);
    format(schema, at, notes);
    pattern(schema, at, notes);
}

/// The JSON type a keyword's value must have.
#[derive(Clone, Copy)]
enum Expect {
    Count,
    Number,
    Bool,
    String,
    Array,
    Object,
    SchemaOrBool,
    StringList,
}

const KEYWORDS: [(&str, Expect); 26] = [
    ("required", Expect::StringList),
    ("minLength", Expect::Count),
    ("maxLength", Expect::Count),
    ("minItems", Expect::Count),
    ("maxItems", Expect::Count),
    ("minProperties", Expect::Count),
    ("maxProperties", Expect::Count),
    ("minimum", Expect::Number),
    ("maximum", Expect::Number),
    ("multipleOf", Expect::Number),
    ("uniqueItems", Expect::Bool),
    ("nullable", Expect::Bool),
    ("readOnly", Expect::Bool),
    ("writeOnly", Expect::Bool),
    ("deprecated", Expect::Bool),
    ("pattern", Expect::String),
    ("format", Expect::String),
    ("title", Expect::String),
    ("description", Expect::String),
    ("enum", Expect::Array),
    ("properties", Expect::Object),
    ("additionalProperties", Expect::SchemaOrBool),
    ("allOf", Expect::Array),
    ("anyOf", Expect::Array),
    ("oneOf", Expect::Array),
    ("not", Expect::Object),
];

fn fits(value: &Value, expect: Expect) -> bool {
    match expect {
        Expect::Count => value.as_u64().is_some(),
        Expect::Number => value.is_number(),
        Expect::Bool => value.is_boolean(),
        Expect::String => value.is_string(),
        Expect::Array => value.is_array(),
        Expect::Object => value.is_object(),
        Expect::SchemaOrBool => value.is_object() || value.is_boolean(),
        Expect::StringList => value
            .as_array()
            .is_some_and(|l| l.iter().all(Value::is_string)),
    }
}

/// Rule `normalize/schema-keyword`.
pub(super) fn keyword_types(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    for (key, expect) in KEYWORDS {
        let Some(value) = schema.get(key) else {
            continue;
        };
        if fits(value, expect) {
            continue;
        }
        // A count written as a float (`maxLength: 10.0`) keeps its value.
        if let (Expect::Count, Some(f)) = (expect, value.as_f64())
            && f >= 0.0
            && f.fract() == 0.0
            && f <= u32::MAX as f64
        {
            schema.insert(key.into(), Value::Number(Number::from(f as u64)));
            continue;
        }
        let value = schema.shift_remove(key).unwrap_or_default();
        notes.push(Note::new(
            "normalize/schema-keyword",
            at,
            format!(
                "`{key}: {}` dropped: not a valid value for `{key}`",
                short(&value)
            ),
        ));
    }
    match schema.get("items") {
        Some(Value::Array(list)) => {
            let first = list.first().cloned().unwrap_or_default();
            let common = if list.iter().all(|s| *s == first) && first.is_object() {
                first
            } else {
                Value::Object(Map::new())
            };
            notes.push(Note::new(
                "normalize/schema-keyword",
                at,
                format!(
                    "`items` given as a list of {} schemas written as one schema",
                    list.len()
                ),
            ));
            schema.insert("items".into(), common);
        }
        Some(Value::Object(_)) | Some(Value::Bool(_)) | None => {}
        Some(other) => {
            let other = short(other);
            schema.shift_remove("items");
            notes.push(Note::new(
                "normalize/schema-keyword",
                at,
                format!("`items: {other}` dropped: not a schema"),
            ));
        }
    }
}

/// Rule `normalize/schema-type`.
pub(super) fn schema_type(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    match schema.get("type") {
        Some(Value::Array(_)) | Some(Value::String(_))
            if schema.get("type").and_then(Value::as_str) == Some("null")
                || schema.get("type").is_some_and(Value::is_array) =>
        {
            schema_rules::type_keyword(schema, at, notes);
        }
        Some(Value::String(t))
            if ["string", "number", "integer", "boolean", "object", "array"]
                .contains(&t.as_str()) => {}
        Some(Value::String(t)) if t == "file" => {
            schema.insert("type".into(), "string".into());
            schema.insert("format".into(), "binary".into());
            notes.push(Note::new(
                "normalize/schema-type",
                at,
                "`type: file` (Swagger 2) written as `type: string, format: binary`",
            ));
        }
        Some(other) => {
            let other = short(other);
            schema.shift_remove("type");
            notes.push(Note::new(
                "normalize/schema-type",
                at,
                format!("`type: {other}` dropped: not a JSON Schema type"),
            ));
        }
        None => {}
    }
}

/// Rule `normalize/exclusive-bound`.
pub(super) fn exclusive_bounds(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    if schema.get("exclusiveMinimum").is_some_and(Value::is_number)
        || schema.get("exclusiveMaximum").is_some_and(Value::is_number)
    {
        schema_rules::exclusive_bounds(schema, at, notes);
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match schema.get(exclusive) {
            Some(Value::Bool(true)) if !schema.contains_key(bound) => {}
            Some(Value::Bool(_)) | None => continue,
            Some(_) => {}
        }
        let value = schema.shift_remove(exclusive).unwrap_or_default();
        notes.push(Note::new(
            "normalize/exclusive-bound",
            at,
            format!("`{exclusive}: {value}` dropped: no `{bound}` to make exclusive"),
        ));
    }
}

/// The schema's `type` when it is one name (not a list), owned so the schema can be edited.
pub(super) fn single_type(schema: &Map<String, Value>) -> Option<String> {
    schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// Rule `normalize/format`: a `format` on an object, array or boolean schema → dropped (the
/// generator only reads formats of strings and numbers, and rejects the others); so is an
/// integer's `int` or `uint`, which neither OpenAPI's format registry nor JSON Schema defines
/// (an unknown format constrains nothing) and which the generator would read as `i32` or
/// `u32`, failing on values the spec allows.
pub(super) fn format(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(t) = single_type(schema) else {
        return;
    };
    let why = match (t.as_str(), schema.get("format").and_then(Value::as_str)) {
        ("object" | "array" | "boolean", _) => format!("a `type: {t}` has no formats"),
        ("integer", Some("int" | "uint")) => {
            "no standard defines this width (the generator would read it as 32 bits)".into()
        }
        _ => return,
    };
    if let Some(format) = schema.shift_remove("format") {
        notes.push(Note::new(
            "normalize/format",
            at,
            format!("`format: {format}` dropped: {why}"),
        ));
    }
}

/// Rule `normalize/pattern`.
pub(super) fn pattern(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(Value::String(p)) = schema.get("pattern") else {
        return;
    };
    if let Err(e) = regress::Regex::new(p) {
        notes.push(Note::new(
            "normalize/pattern",
            at,
            format!("`pattern: {p}` dropped: not a regular expression the generated validator accepts ({e})"),
        ));
        schema.shift_remove("pattern");
    }
}

pub(super) use crate::report::short_json as short;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::codegen::note::apply_rule as run;

    #[test]
    fn keywords_with_wrong_types_are_dropped() {
        let (out, notes) = run(
            keyword_types,
            json!({"type": "string", "required": true, "maxLength": 10.0, "minLength": "1", "items": [{"type": "string"}]}),
        );
        assert_eq!(
            out,
            json!({"type": "string", "maxLength": 10, "items": {"type": "string"}})
        );
        assert_eq!(notes.len(), 3);
        assert_eq!(
            notes[0],
            "`required: true` dropped: not a valid value for `required`"
        );
    }

    #[test]
    fn unknown_types() {
        let (out, notes) = run(schema_type, json!({"type": "file"}));
        assert_eq!(out, json!({"type": "string", "format": "binary"}));
        assert_eq!(notes.len(), 1);
        let (out, _) = run(schema_type, json!({"type": "any", "description": "d"}));
        assert_eq!(out, json!({"description": "d"}));
        let (out, _) = run(schema_type, json!({"type": ["string", "null"]}));
        assert_eq!(out, json!({"nullable": true, "type": "string"}));
        let (out, notes) = run(schema_type, json!({"type": "integer"}));
        assert_eq!((out, notes.len()), (json!({"type": "integer"}), 0));
    }

    #[test]
    fn exclusive_bounds_without_bounds() {
        let (out, notes) = run(
            exclusive_bounds,
            json!({"exclusiveMinimum": true, "exclusiveMaximum": true, "maximum": 3}),
        );
        assert_eq!(out, json!({"exclusiveMaximum": true, "maximum": 3}));
        assert_eq!(
            notes,
            ["`exclusiveMinimum: true` dropped: no `minimum` to make exclusive"]
        );
        let (out, _) = run(exclusive_bounds, json!({"exclusiveMinimum": 1}));
        assert_eq!(out, json!({"exclusiveMinimum": true, "minimum": 1}));
    }

    #[test]
    fn formats_of_objects_are_dropped() {
        let (out, notes) = run(format, json!({"type": "object", "format": "uri-map"}));
        assert_eq!(out, json!({"type": "object"}));
        assert_eq!(notes.len(), 1);
        let (out, notes) = run(format, json!({"type": "string", "format": "uri"}));
        assert_eq!(
            (out, notes.len()),
            (json!({"type": "string", "format": "uri"}), 0)
        );
        // import.io's `APIError.code`: `format: int`, which the generator wrote as `i32`.
        for width in ["int", "uint"] {
            let (out, notes) = run(format, json!({"type": "integer", "format": width}));
            assert_eq!(out, json!({"type": "integer"}));
            assert!(notes[0].contains("32 bits"), "{notes:?}");
        }
        let (out, notes) = run(format, json!({"type": "integer", "format": "int32"}));
        assert_eq!(
            (out, notes.len()),
            (json!({"type": "integer", "format": "int32"}), 0)
        );
    }

    #[test]
    fn invalid_patterns_are_dropped() {
        let (kept, none) = run(pattern, json!({"pattern": "^[a-z]+$"}));
        assert_eq!(kept, json!({"pattern": "^[a-z]+$"}));
        assert!(none.is_empty());
        let (bad, bad_notes) = run(pattern, json!({"pattern": "[z-a]"}));
        assert_eq!(bad, json!({}));
        assert_eq!(bad_notes.len(), 1);
    }
}
