//! The `type` keyword of 3.1 schemas: `"null"` and lists of types. 3.0 has one type per schema
//! and `nullable`, so `[T, "null"]` becomes `T` + `nullable: true`, and several types become a
//! `oneOf` with one branch per type carrying the keywords that apply to it.

use serde_json::{Map, Value};

use crate::codegen::note::Note;

/// Keywords that only constrain values of one JSON type.
const STRING_KEYWORDS: [&str; 3] = ["minLength", "maxLength", "pattern"];
const NUMBER_KEYWORDS: [&str; 5] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
const OBJECT_KEYWORDS: [&str; 6] = [
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "discriminator",
];
const ARRAY_KEYWORDS: [&str; 4] = ["items", "minItems", "maxItems", "uniqueItems"];
/// `format`s of numbers; any other format belongs to strings.
const NUMBER_FORMATS: [&str; 4] = ["int32", "int64", "float", "double"];

/// Rewrites `type: "null"` and `type: [...]` (rules `lower/type-null` and `lower/type-array`).
pub(crate) fn type_keyword(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let types: Vec<String> = match schema.get("type") {
        Some(Value::String(t)) if t == "null" => vec![t.clone()],
        Some(Value::Array(list)) => {
            let mut out: Vec<String> = Vec::new();
            for t in list.iter().filter_map(Value::as_str) {
                if !out.iter().any(|o| o == t) {
                    out.push(t.to_string());
                }
            }
            out
        }
        _ => return,
    };
    let written = schema.shift_remove("type").unwrap_or_default();
    let nullable = types.iter().any(|t| t == "null");
    let mut rest: Vec<&str> = types
        .iter()
        .map(String::as_str)
        .filter(|t| *t != "null")
        .collect();
    if rest.contains(&"integer") && rest.contains(&"number") {
        rest.retain(|t| *t != "integer");
    }
    if nullable {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    match rest.as_slice() {
        [] => notes.push(Note::new(
            "lower/type-null",
            at,
            format!("`type: {written}` written as `nullable: true`"),
        )),
        [only] => {
            schema.insert("type".into(), (*only).into());
            notes.push(Note::new(
                if nullable {
                    "lower/type-null"
                } else {
                    "lower/type-array"
                },
                at,
                format!(
                    "`type: {written}` written as `type: {only}`{}",
                    if nullable { ", nullable: true" } else { "" }
                ),
            ));
        }
        several => {
            let branches: Vec<Value> = several.iter().map(|t| branch(schema, t)).collect();
            for t in several {
                for key in keywords_of(t) {
                    schema.shift_remove(*key);
                }
            }
            if schema.get("format").and_then(Value::as_str).is_some() {
                schema.shift_remove("format");
            }
            schema.shift_remove("enum");
            let branches = Value::Array(branches);
            if schema.contains_key("oneOf") {
                let entry = serde_json::json!({ "oneOf": branches });
                match schema.get_mut("allOf") {
                    Some(Value::Array(all_of)) => all_of.push(entry),
                    _ => {
                        schema.insert("allOf".into(), Value::Array(vec![entry]));
                    }
                }
            } else {
                schema.insert("oneOf".into(), branches);
            }
            notes.push(Note::new(
                "lower/type-array",
                at,
                format!(
                    "`type: {written}` written as a `oneOf` of {}{}",
                    several.join(", "),
                    if nullable { ", nullable: true" } else { "" }
                ),
            ));
        }
    }
}

fn keywords_of(t: &str) -> &'static [&'static str] {
    match t {
        "string" => &STRING_KEYWORDS,
        "number" | "integer" => &NUMBER_KEYWORDS,
        "object" => &OBJECT_KEYWORDS,
        "array" => &ARRAY_KEYWORDS,
        _ => &[],
    }
}

/// The branch of a split schema for type `t`: the type, its own keywords, its `format`, and
/// the `enum` values of that type.
fn branch(schema: &Map<String, Value>, t: &str) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), t.into());
    for key in keywords_of(t) {
        if let Some(v) = schema.get(*key) {
            out.insert((*key).into(), v.clone());
        }
    }
    if let Some(Value::String(format)) = schema.get("format") {
        let numeric = NUMBER_FORMATS.contains(&format.as_str());
        if numeric == matches!(t, "number" | "integer") && t != "object" && t != "array" {
            out.insert("format".into(), format.clone().into());
        }
    }
    if let Some(Value::Array(values)) = schema.get("enum") {
        let of_type: Vec<Value> = values
            .iter()
            .filter(|v| match t {
                "string" => v.is_string(),
                "integer" => v.is_i64() || v.is_u64(),
                "number" => v.is_number(),
                "boolean" => v.is_boolean(),
                "object" => v.is_object(),
                "array" => v.is_array(),
                _ => false,
            })
            .cloned()
            .collect();
        if !of_type.is_empty() {
            out.insert("enum".into(), Value::Array(of_type));
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(input: Value) -> (Value, Vec<Note>) {
        let Value::Object(mut schema) = input else {
            panic!()
        };
        let mut notes = Vec::new();
        type_keyword(&mut schema, "/s", &mut notes);
        (Value::Object(schema), notes)
    }

    #[test]
    fn type_with_null_becomes_nullable() {
        let (out, notes) = run(json!({"type": ["string", "null"], "maxLength": 3}));
        assert_eq!(
            out,
            json!({"maxLength": 3, "nullable": true, "type": "string"})
        );
        assert_eq!(notes[0].rule, "lower/type-null");
        assert_eq!(
            notes[0].message,
            "`type: [\"string\",\"null\"]` written as `type: string`, nullable: true"
        );
        let (out, notes) = run(json!({"type": "null"}));
        assert_eq!(out, json!({"nullable": true}));
        assert_eq!(notes[0].rule, "lower/type-null");
        let (out, _) = run(json!({"type": ["object"]}));
        assert_eq!(out, json!({"type": "object"}));
    }

    #[test]
    fn several_types_become_one_of_with_keywords_split() {
        let (out, notes) = run(json!({
            "description": "d",
            "type": ["null", "number", "string"],
            "minimum": 0,
            "maxLength": 5,
            "format": "date",
            "enum": ["a", 1, null]
        }));
        assert_eq!(
            out,
            json!({
                "description": "d",
                "nullable": true,
                "oneOf": [
                    {"type": "number", "minimum": 0, "enum": [1]},
                    {"type": "string", "maxLength": 5, "format": "date", "enum": ["a"]}
                ]
            })
        );
        assert_eq!(notes[0].rule, "lower/type-array");
    }

    #[test]
    fn integer_and_number_merge_and_existing_one_of_is_kept() {
        let (out, _) = run(json!({"type": ["integer", "number"]}));
        assert_eq!(out, json!({"type": "number"}));
        let (out, _) = run(json!({"type": ["string", "boolean"], "oneOf": [{}]}));
        assert_eq!(
            out,
            json!({"oneOf": [{}], "allOf": [{"oneOf": [{"type": "string"}, {"type": "boolean"}]}]})
        );
    }

    #[test]
    fn plain_types_are_untouched() {
        let (out, notes) = run(json!({"type": "string"}));
        assert_eq!((out, notes.len()), (json!({"type": "string"}), 0));
    }
}
