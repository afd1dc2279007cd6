//! Schemas the generator rejects or mis-reads, one rule each:
//!
//! - `normalize/schema-keyword`: a keyword whose value has the wrong JSON type (`required: true`,
//!   `minLength: "3"`, a list as `items`) → dropped (a list of `items` becomes their common
//!   schema, or any value);
//! - `normalize/schema-type`: an unknown `type` (`file` → a binary string; anything else →
//!   dropped); a 3.1-style list of types or boolean schema in a 3.0 document → lowered as in
//!   [`crate::lower`];
//! - `normalize/exclusive-bound`: `exclusiveMinimum: true` without `minimum` (or the maximum
//!   alike) → dropped; numeric ones → the 3.0 form;
//! - `normalize/enum-values`: `enum` values of another type than the schema's → converted when
//!   lossless (`1` → `"1"` for strings, `"2"` → `2` for integers), `null` → `nullable: true`,
//!   others dropped; an `enum` left empty is dropped; repeated values listed once; an untyped
//!   `enum` mixing types → a `oneOf` of one typed `enum` per type;
//! - `normalize/enum-variant-names`: string values that would become the same Rust variant
//!   → the `enum` is dropped (any string accepted);
//! - `normalize/format`: a `format` on an object, array or boolean → dropped;
//! - `normalize/pattern`: a `pattern` that is not a valid ECMA 262 regular expression for the
//!   generated validator → dropped;
//! - `normalize/default`: a `default` that does not conform to its schema (`$ref`s followed) →
//!   dropped.

use serde_json::{Map, Number, Value};

use super::resolve;
use crate::lower::schema_rules;
use crate::note::Note;

/// How deep [`conforms`] follows nested schemas and `$ref`s.
const MAX_DEPTH: usize = 32;

/// Applies the schema rules to one schema node (defaults are checked afterwards, by
/// [`defaults`]).
pub(super) fn schema(node: &mut Value, at: &str, notes: &mut Vec<Note>) {
    schema_rules::boolean_schema(node, at, notes);
    let Value::Object(schema) = node else {
        return;
    };
    keyword_types(schema, at, notes);
    schema_type(schema, at, notes);
    exclusive_bounds(schema, at, notes);
    enum_duplicates(schema, at, notes);
    enum_values(schema, at, notes);
    untyped_enum(schema, at, notes);
    enum_variant_names(schema, at, notes);
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

/// Rule `normalize/enum-values`.
pub(super) fn enum_values(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(Value::Array(values)) = schema.get("enum") else {
        return;
    };
    let Some(t) = schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
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

/// The JSON type name of a value, as `type` spells it.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
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
        let t = match json_type(v) {
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

/// Rule `normalize/format`: a `format` on an object, array or boolean schema → dropped (the
/// generator only reads formats of strings and numbers, and rejects the others).
pub(super) fn format(schema: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(t) = schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        return;
    };
    if !["object", "array", "boolean"].contains(&t.as_str()) {
        return;
    }
    if let Some(format) = schema.shift_remove("format") {
        notes.push(Note::new(
            "normalize/format",
            at,
            format!("`format: {format}` dropped: a `type: {t}` has no formats"),
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

/// Rule `normalize/default`, over the whole document (after the other schema rules): a
/// `default` is checked against its schema with `$ref`s followed, then dropped if it does not
/// conform.
/// `with_default` lists the pointers of the schemas that have one (collected by the caller's
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

/// A value for a message, cut to 60 characters.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(59).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(
        rule: fn(&mut Map<String, Value>, &str, &mut Vec<Note>),
        input: Value,
    ) -> (Value, Vec<String>) {
        let Value::Object(mut schema) = input else {
            panic!()
        };
        let mut notes = Vec::new();
        rule(&mut schema, "/s", &mut notes);
        (
            Value::Object(schema),
            notes.into_iter().map(|n| n.message).collect(),
        )
    }

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
