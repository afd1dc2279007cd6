//! Rule `normalize/default`: the generator checks every `default` against the type it
//! generates and refuses the spec when one does not fit (`"10"` for an integer, `0` below
//! `minimum: 1`, a value outside an `enum` or an integer format's range). Such defaults are
//! dropped, checked after the other schema rules with `$ref`s followed.

use serde_json::{Map, Value};

use super::resolve;
use super::schemas::short;
use crate::codegen::note::Note;

/// How deep [`conforms`] follows nested schemas and `$ref`s.
const MAX_DEPTH: usize = 32;

/// Applies the rule over the whole document. `with_default` lists the pointers of the schemas that have one (collected by the caller's
/// walk).
pub(super) fn defaults(document: &mut Value, with_default: Vec<String>, notes: &mut Vec<Note>) {
    let components = document.get("components").unwrap_or(&Value::Null);
    let failing: Vec<String> = with_default
        .into_iter()
        .filter(|at| {
            document
                .pointer(at)
                .and_then(Value::as_object)
                .is_some_and(|s| !default_conforms(s, components))
        })
        .collect();
    for at in failing {
        if let Some(Value::Object(schema)) = document.pointer_mut(&at)
            && let Some(value) = schema.shift_remove("default")
        {
            notes.push(Note::new(
                "normalize/default",
                at,
                format!(
                    "`default: {}` dropped: it does not conform to its schema",
                    short(&value)
                ),
            ));
        }
    }
}

/// Whether the `default` of `schema` (if any) conforms to it.
fn default_conforms(schema: &Map<String, Value>, components: &Value) -> bool {
    schema
        .get("default")
        .is_none_or(|value| conforms_object(value, schema, components, 0))
}

/// Integer formats the generator maps to sized Rust integers, with their ranges.
const INTEGER_FORMATS: [(&str, f64, f64); 8] = [
    ("int8", i8::MIN as f64, i8::MAX as f64),
    ("int16", i16::MIN as f64, i16::MAX as f64),
    ("int32", i32::MIN as f64, i32::MAX as f64),
    ("int64", i64::MIN as f64, i64::MAX as f64),
    ("uint8", 0.0, u8::MAX as f64),
    ("uint16", 0.0, u16::MAX as f64),
    ("uint32", 0.0, u32::MAX as f64),
    ("uint64", 0.0, u64::MAX as f64),
];

/// Whether `value` conforms to `schema` as far as the generator checks defaults: types, enums,
/// numeric bounds and integer formats, required properties, nested properties and items.
pub(super) fn conforms(value: &Value, schema: &Value, components: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return true;
    }
    match resolve(schema, components).as_object() {
        Some(s) => conforms_object(value, s, components, depth),
        None => true,
    }
}

fn conforms_object(
    value: &Value,
    s: &Map<String, Value>,
    components: &Value,
    depth: usize,
) -> bool {
    if depth > MAX_DEPTH {
        return true;
    }
    if value.is_null() {
        return s.get("nullable") == Some(&Value::Bool(true))
            || s.get("enum")
                .and_then(Value::as_array)
                .is_some_and(|e| e.contains(value))
            || (!s.contains_key("type") && !s.contains_key("enum"));
    }
    if let Some(Value::Array(allowed)) = s.get("enum")
        && !allowed.contains(value)
    {
        return false;
    }
    let ok = match s.get("type").and_then(Value::as_str) {
        Some("string") => value.is_string(),
        Some("boolean") => value.is_boolean(),
        Some("integer") => (value.is_i64() || value.is_u64()) && in_bounds(value, s, true),
        Some("number") => value.is_number() && in_bounds(value, s, false),
        Some("array") => match value.as_array() {
            None => false,
            Some(items) => s
                .get("items")
                .is_none_or(|i| items.iter().all(|v| conforms(v, i, components, depth + 1))),
        },
        Some("object") => value.is_object(),
        _ => true,
    };
    if !ok {
        return false;
    }
    if let Some(object) = value.as_object() {
        if let Some(Value::Array(required)) = s.get("required")
            && required
                .iter()
                .filter_map(Value::as_str)
                .any(|r| !object.contains_key(r))
        {
            return false;
        }
        if let Some(Value::Object(props)) = s.get("properties") {
            for (k, v) in object {
                if let Some(p) = props.get(k)
                    && !conforms(v, p, components, depth + 1)
                {
                    return false;
                }
            }
        }
    }
    let all = |key: &str| match s.get(key) {
        Some(Value::Array(list)) => list
            .iter()
            .all(|sub| conforms(value, sub, components, depth + 1)),
        _ => true,
    };
    let any = |key: &str| match s.get(key) {
        Some(Value::Array(list)) if !list.is_empty() => list
            .iter()
            .any(|sub| conforms(value, sub, components, depth + 1)),
        _ => true,
    };
    all("allOf") && any("anyOf") && any("oneOf")
}

fn in_bounds(value: &Value, s: &Map<String, Value>, integer: bool) -> bool {
    let Some(v) = value.as_f64() else {
        return false;
    };
    let bound = |key: &str| s.get(key).and_then(Value::as_f64);
    let exclusive = |key: &str| s.get(key) == Some(&Value::Bool(true));
    let mut ok = match bound("minimum") {
        Some(min) if exclusive("exclusiveMinimum") => v > min,
        Some(min) => v >= min,
        None => true,
    } && match bound("maximum") {
        Some(max) if exclusive("exclusiveMaximum") => v < max,
        Some(max) => v <= max,
        None => true,
    };
    if integer
        && let Some(format) = s.get("format").and_then(Value::as_str)
        && let Some((_, min, max)) = INTEGER_FORMATS.iter().find(|(f, _, _)| *f == format)
    {
        ok &= v >= *min && v <= *max;
    }
    if let Some(m) = bound("multipleOf")
        && m > 0.0
    {
        ok &= (v / m).fract() == 0.0;
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_must_conform() {
        let components = json!({"schemas": {"Color": {"type": "string", "enum": ["red"]}}});
        let cases = [
            (json!({"type": "integer", "default": "10"}), false),
            (
                json!({"type": "integer", "format": "int32", "default": 5000000000u64}),
                false,
            ),
            (
                json!({"type": "integer", "minimum": 1, "default": 0}),
                false,
            ),
            (json!({"type": "integer", "minimum": 1, "default": 1}), true),
            (
                json!({"type": "string", "enum": ["a"], "default": "b"}),
                false,
            ),
            (
                json!({"allOf": [{"$ref": "#/components/schemas/Color"}], "default": "blue"}),
                false,
            ),
            (
                json!({"allOf": [{"$ref": "#/components/schemas/Color"}], "default": "red"}),
                true,
            ),
            (
                json!({"type": "array", "items": {"type": "string"}, "default": [1]}),
                false,
            ),
            (
                json!({"type": "object", "required": ["a"], "default": {}}),
                false,
            ),
            (
                json!({"type": "string", "nullable": true, "default": null}),
                true,
            ),
            (json!({"type": "string", "default": null}), false),
            (json!({"default": 3}), true),
        ];
        for (schema, keeps) in cases {
            let mut doc = json!({"components": components.clone()});
            doc["components"]["schemas"]["Test"] = schema.clone();
            let mut notes = Vec::new();
            defaults(
                &mut doc,
                vec!["/components/schemas/Test".into()],
                &mut notes,
            );
            let after = &doc["components"]["schemas"]["Test"];
            assert_eq!(after.get("default").is_some(), keeps, "{schema}");
            assert_eq!(notes.len(), usize::from(!keeps), "{schema}");
            if !keeps {
                assert_eq!(notes[0].pointer, "/components/schemas/Test");
            }
        }
    }
}
