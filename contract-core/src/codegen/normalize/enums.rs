//! Enumerations the generator rejects or cannot name:
//!
//! - `normalize/enum-values`: `enum` values of another type than the schema's → converted when
//!   lossless (`1` → `"1"` for strings, `"2"` → `2` for integers), `null` → `nullable: true`,
//!   others dropped; an `enum` left empty is dropped; repeated values are listed once; an untyped
//!   `enum` mixing types → a `oneOf` of one typed `enum` per type;
//! - `normalize/enum-variant-names`: string values that would become the same Rust variant
//!   (`reactions-+1` and `reactions--1`) → the `enum` is dropped (any string accepted).

use serde_json::{Map, Number, Value};

use super::schemas::{short, single_type};
use crate::codegen::note::Note;

/// Rule `normalize/enum-values`.
pub(super) fn enum_values(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(Value::Array(values)) = schema.get("enum") else {
        return;
    };
    let Some(t) = single_type(schema) else {
        return;
    };
    let mut out: Vec<Value> = Vec::new();
    let mut changed: Vec<String> = Vec::new();
    let mut nullable = false;
    for value in values {
        let converted = match (t.as_str(), value) {
            (_, Value::Null) => {
                nullable = true;
                changed.push("`null` written as `nullable: true`".into());
                continue;
            }
            ("string", Value::String(_))
            | ("boolean", Value::Bool(_))
            | ("number", Value::Number(_))
            | ("object", Value::Object(_))
            | ("array", Value::Array(_)) => Some(value.clone()),
            ("integer", Value::Number(n)) if n.is_i64() || n.is_u64() => Some(value.clone()),
            ("integer", Value::Number(n)) => n
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| Value::Number(Number::from(f as i64))),
            ("string", Value::Number(_) | Value::Bool(_)) => Some(Value::String(value.to_string())),
            ("integer", Value::String(s)) => s.parse::<i64>().ok().map(Value::from),
            ("number", Value::String(s)) => s
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map(Value::Number),
            ("boolean", Value::String(s)) => s.parse::<bool>().ok().map(Value::Bool),
            _ => None,
        };
        match converted {
            Some(v) if v == *value => out.push(v),
            Some(v) => {
                changed.push(format!("{value} written as {v}"));
                if !out.contains(&v) {
                    out.push(v);
                }
            }
            None => changed.push(format!("{} dropped", short(value))),
        }
    }
    if changed.is_empty() {
        return;
    }
    notes.push(Note::new(
        "normalize/enum-values",
        at,
        format!(
            "`enum` values that are not of `type: {t}`: {}",
            changed.join(", ")
        ),
    ));
    if nullable {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    if out.is_empty() {
        schema.shift_remove("enum");
    } else {
        schema.insert("enum".into(), Value::Array(out));
    }
}

/// Rule `normalize/enum-values`: repeated values are listed once.
pub(super) fn enum_duplicates(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(Value::Array(values)) = schema.get_mut("enum") else {
        return;
    };
    let mut seen: Vec<Value> = Vec::with_capacity(values.len());
    let mut repeated: Vec<String> = Vec::new();
    for v in values.drain(..) {
        if seen.contains(&v) {
            repeated.push(short(&v));
        } else {
            seen.push(v);
        }
    }
    *values = seen;
    if !repeated.is_empty() {
        notes.push(Note::new(
            "normalize/enum-values",
            at,
            format!(
                "repeated `enum` values listed once: {}",
                repeated.join(", ")
            ),
        ));
    }
}

/// Rule `normalize/enum-values` for an `enum` without `type` whose values have several types:
/// a `oneOf` with one typed `enum` per type (`null` → `nullable: true`).
pub(super) fn untyped_enum(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    if schema.contains_key("type") {
        return;
    }
    let Some(Value::Array(values)) = schema.get("enum") else {
        return;
    };
    let mut groups: Vec<(&'static str, Vec<Value>)> = Vec::new();
    let mut nullable = false;
    for v in values {
        let t = match crate::spec::json_type(v) {
            "null" => {
                nullable = true;
                continue;
            }
            "integer" if groups.iter().any(|(t, _)| *t == "number") => "number",
            t => t,
        };
        match groups.iter_mut().find(|(g, _)| *g == t) {
            Some((_, list)) => list.push(v.clone()),
            None => groups.push((t, vec![v.clone()])),
        }
    }
    if groups.len() < 2 {
        return;
    }
    let types: Vec<&str> = groups.iter().map(|(t, _)| *t).collect();
    let branches: Vec<Value> = groups
        .into_iter()
        .map(|(t, values)| serde_json::json!({"type": t, "enum": values}))
        .collect();
    schema.shift_remove("enum");
    if nullable {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    if schema.contains_key("oneOf") {
        notes.push(Note::new(
            "normalize/enum-values",
            at,
            format!(
                "`enum` mixing {} dropped (the schema already has `oneOf`)",
                types.join(", ")
            ),
        ));
        return;
    }
    schema.insert("oneOf".into(), Value::Array(branches));
    notes.push(Note::new(
        "normalize/enum-values",
        at,
        format!(
            "`enum` mixing {} written as a `oneOf` of one `enum` per type",
            types.join(", ")
        ),
    ));
}

/// Rule `normalize/enum-variant-names`: string values that the generator would turn into the
/// same Rust variant name (`reactions-+1` and `reactions--1`) → the `enum` is dropped and any
/// string is accepted, since no value may be silently lost.
pub(super) fn enum_variant_names(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(Value::Array(values)) = schema.get("enum") else {
        return;
    };
    let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
    if strings.len() < 2 {
        return;
    }
    let unique = |name: fn(&str) -> String| {
        let mut seen = std::collections::BTreeSet::new();
        strings.iter().all(|s| seen.insert(name(s)))
    };
    if unique(super::names::pascal) || unique(|s| super::names::pascal(&x_for_elided(s))) {
        return;
    }
    schema.shift_remove("enum");
    notes.push(Note::new(
        "normalize/enum-variant-names",
        at,
        "`enum` dropped: two of its values would get the same Rust variant name (any string is accepted)",
    ));
}

/// The generator's second try at variant names: elided characters become `X`.
fn x_for_elided(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '_' || !unicode_ident::is_xid_continue(c) {
                'X'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::codegen::note::apply_rule as run;

    #[test]
    fn enum_values_of_another_type() {
        let (out, notes) = run(
            enum_values,
            json!({"type": "string", "enum": ["a", 1, true, null, {}]}),
        );
        assert_eq!(
            out,
            json!({"type": "string", "enum": ["a", "1", "true"], "nullable": true})
        );
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("1 written as \"1\""), "{notes:?}");
        assert!(notes[0].contains("{} dropped"), "{notes:?}");
        let (out, _) = run(
            enum_values,
            json!({"type": "integer", "enum": ["1", 2, 3.0, "x"]}),
        );
        assert_eq!(out, json!({"type": "integer", "enum": [1, 2, 3]}));
        let (out, notes) = run(enum_values, json!({"type": "string", "enum": ["a"]}));
        assert_eq!(
            (out, notes.len()),
            (json!({"type": "string", "enum": ["a"]}), 0)
        );
    }

    #[test]
    fn enum_duplicates_mixed_types_and_colliding_names() {
        let (out, notes) = run(enum_duplicates, json!({"enum": ["a", "b", "a"]}));
        assert_eq!(out, json!({"enum": ["a", "b"]}));
        assert_eq!(notes, ["repeated `enum` values listed once: \"a\""]);
        let (out, notes) = run(untyped_enum, json!({"enum": [true, false, 0, 1, null]}));
        assert_eq!(
            out,
            json!({"nullable": true, "oneOf": [
                {"type": "boolean", "enum": [true, false]},
                {"type": "integer", "enum": [0, 1]}
            ]})
        );
        assert_eq!(notes.len(), 1);
        let (out, notes) = run(untyped_enum, json!({"enum": ["a", "b"]}));
        assert_eq!((out, notes.len()), (json!({"enum": ["a", "b"]}), 0));
        let (out, notes) = run(
            enum_variant_names,
            json!({"type": "string", "enum": ["reactions-+1", "reactions--1"]}),
        );
        assert_eq!(out, json!({"type": "string"}));
        assert_eq!(notes.len(), 1);
        // The generator's second try (`X` for elided characters) separates these.
        let (out, notes) = run(enum_variant_names, json!({"enum": ["a_b", "aB"]}));
        assert_eq!((out, notes.len()), (json!({"enum": ["a_b", "aB"]}), 0));
    }
}
