//! Lowering rules for the JSON Schema 2020-12 keywords OpenAPI 3.0 does not have: tuples,
//! conditionals, dependencies, pattern and unevaluated properties, `contains`. Each becomes its
//! nearest 3.0 form or is dropped, with a note.

use serde_json::{Map, Value, json};

use super::schema::quoted;
use crate::codegen::note::Note;

/// `prefixItems` (a tuple) → `items`: the common schema when all positions share one, any
/// value otherwise, with the tuple's length as `minItems`/`maxItems` bounds.
pub(super) fn prefix_items(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(Value::Array(prefix)) = schema.shift_remove("prefixItems") else {
        return;
    };
    let rest = schema.shift_remove("items");
    let mut all: Vec<Value> = prefix.clone();
    let closed = matches!(rest, Some(Value::Bool(false)));
    if let Some(rest) = rest.filter(|r| !r.is_boolean()) {
        all.push(rest);
    }
    let items = match all.first() {
        Some(first) if all.iter().all(|s| s == first) => first.clone(),
        _ => json!({}),
    };
    schema.insert("items".into(), items);
    if closed && !schema.contains_key("maxItems") {
        schema.insert("maxItems".into(), prefix.len().into());
    }
    notes.push(Note::new(
        "lower/prefix-items",
        at,
        format!(
            "`prefixItems` ({} positions) written as `items`{}",
            prefix.len(),
            if closed { " with `maxItems`" } else { "" }
        ),
    ));
}

/// `if`/`then`/`else`: no 3.0 equivalent; dropped.
pub(super) fn conditional(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    drop_keys(
        schema,
        at,
        notes,
        "lower/conditional",
        &["if", "then", "else"],
    );
}

/// `dependentRequired`/`dependentSchemas`: no 3.0 equivalent; dropped.
pub(super) fn dependent(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    drop_keys(
        schema,
        at,
        notes,
        "lower/dependent",
        &["dependentRequired", "dependentSchemas", "dependencies"],
    );
}

/// `patternProperties` → `additionalProperties` (the schema when there is one pattern or all
/// share one, any value otherwise), unless `additionalProperties` is already set.
pub(super) fn pattern_properties(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(Value::Object(patterns)) = schema.shift_remove("patternProperties") else {
        return;
    };
    if schema.contains_key("additionalProperties") {
        notes.push(Note::new(
            "lower/pattern-properties",
            at,
            "`patternProperties` dropped: `additionalProperties` is set",
        ));
        return;
    }
    let mut values = patterns.values();
    let first = values.next().cloned().unwrap_or_else(|| json!({}));
    let value = if values.all(|v| *v == first) {
        first
    } else {
        json!({})
    };
    schema.insert("additionalProperties".into(), value);
    let keys: Vec<String> = patterns.keys().cloned().collect();
    notes.push(Note::new(
        "lower/pattern-properties",
        at,
        format!(
            "`patternProperties` {} written as `additionalProperties`",
            quoted(&keys)
        ),
    ));
}

/// `unevaluatedProperties` → `additionalProperties` on a schema without composition (where
/// they mean the same); dropped otherwise. `unevaluatedItems` is dropped.
pub(super) fn unevaluated(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    if let Some(value) = schema.shift_remove("unevaluatedProperties") {
        let composed = ["allOf", "anyOf", "oneOf", "$ref"]
            .iter()
            .any(|k| schema.contains_key(*k));
        if composed || schema.contains_key("additionalProperties") {
            notes.push(Note::new(
                "lower/unevaluated",
                at,
                "`unevaluatedProperties` dropped (no 3.0 equivalent beside composition)",
            ));
        } else {
            schema.insert("additionalProperties".into(), value);
            notes.push(Note::new(
                "lower/unevaluated",
                at,
                "`unevaluatedProperties` written as `additionalProperties`",
            ));
        }
    }
    drop_keys(
        schema,
        at,
        notes,
        "lower/unevaluated",
        &["unevaluatedItems"],
    );
}

/// Array and object keywords 3.0 does not have.
pub(super) fn unsupported(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    drop_keys(
        schema,
        at,
        notes,
        "lower/unsupported-keyword",
        &[
            "contains",
            "minContains",
            "maxContains",
            "propertyNames",
            "additionalItems",
        ],
    );
}

fn drop_keys(
    schema: &mut Map<String, Value>,
    at: &str,
    notes: &mut Vec<Note>,
    rule: &'static str,
    keys: &[&str],
) {
    let dropped: Vec<String> = keys
        .iter()
        .filter(|k| schema.shift_remove(**k).is_some())
        .map(|k| k.to_string())
        .collect();
    if !dropped.is_empty() {
        notes.push(Note::new(
            rule,
            at,
            format!("{} dropped (no OpenAPI 3.0 equivalent)", quoted(&dropped)),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::codegen::note::apply_rule as run;

    #[test]
    fn prefix_items_become_items() {
        let (out, notes) = run(
            prefix_items,
            json!({"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}], "items": false}),
        );
        assert_eq!(
            out,
            json!({"type": "array", "items": {"type": "number"}, "maxItems": 2})
        );
        assert_eq!(notes.len(), 1);
        let (out, _) = run(
            prefix_items,
            json!({"prefixItems": [{"type": "number"}, {"type": "string"}]}),
        );
        assert_eq!(out, json!({"items": {}}));
    }

    #[test]
    fn conditionals_and_dependencies_are_dropped() {
        let (out, notes) = run(
            conditional,
            json!({"type": "object", "if": {}, "then": {}, "else": {}}),
        );
        assert_eq!(out, json!({"type": "object"}));
        assert_eq!(
            notes,
            ["`if`, `then`, `else` dropped (no OpenAPI 3.0 equivalent)"]
        );
        let (out, notes) = run(dependent, json!({"dependentRequired": {"a": ["b"]}}));
        assert_eq!((out, notes.len()), (json!({}), 1));
    }

    #[test]
    fn pattern_properties_become_additional_properties() {
        let (out, notes) = run(
            pattern_properties,
            json!({"type": "object", "patternProperties": {"^x-": {"type": "string"}}}),
        );
        assert_eq!(
            out,
            json!({"type": "object", "additionalProperties": {"type": "string"}})
        );
        assert_eq!(notes.len(), 1);
        let (out, notes) = run(
            pattern_properties,
            json!({"patternProperties": {"a": {}}, "additionalProperties": false}),
        );
        assert_eq!(out, json!({"additionalProperties": false}));
        assert!(notes[0].contains("dropped"));
    }

    #[test]
    fn unevaluated_keywords() {
        let (out, _) = run(
            unevaluated,
            json!({"properties": {}, "unevaluatedProperties": false}),
        );
        assert_eq!(
            out,
            json!({"properties": {}, "additionalProperties": false})
        );
        let (out, notes) = run(
            unevaluated,
            json!({"allOf": [], "unevaluatedProperties": false, "unevaluatedItems": false}),
        );
        assert_eq!(out, json!({"allOf": []}));
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn unsupported_keywords_are_dropped() {
        let (out, notes) = run(
            unsupported,
            json!({"type": "array", "contains": {}, "minContains": 1, "propertyNames": {}}),
        );
        assert_eq!(out, json!({"type": "array"}));
        assert_eq!(notes.len(), 1);
    }
}
