//! Argument values for one operation: the spec's examples first (a parameter's or media type's
//! `example` / first `examples` entry, then a schema's `example` or `default`), otherwise a
//! minimal valid value derived from the schema (required properties only; enums → first value;
//! formats → valid strings). Pure: tested without a server.

use serde_json::{Map, Value, json};

/// Nested schemas followed before giving up (recursive schemas with required cycles).
const MAX_DEPTH: usize = 24;

/// The values to try for a parameter object (`in: path|query|header|cookie`), already
/// resolved: its example, then one built from its schema (a spec's example may not fit its
/// own schema: the program takes the first that the argument's type accepts).
pub fn parameter_values(document: &Value, parameter: &Value) -> Result<Vec<Value>, String> {
    candidates(document, parameter, "parameter")
}

/// The values to try for a request body's media type object: its example, then one built from
/// its schema.
pub fn body_values(document: &Value, media_type: &Value) -> Result<Vec<Value>, String> {
    candidates(document, media_type, "request body")
}

fn candidates(document: &Value, holder: &Value, what: &str) -> Result<Vec<Value>, String> {
    let mut values: Vec<Value> = holder_example(document, holder).into_iter().collect();
    let built = match holder.get("schema") {
        Some(schema) => schema_value(document, schema, 0),
        None => Err(format!("the {what} has no schema")),
    };
    match built {
        Ok(value) if !values.contains(&value) => values.push(value),
        Ok(_) => {}
        Err(e) if values.is_empty() => return Err(e),
        Err(_) => {}
    }
    Ok(values)
}

/// A parameter value as the text a `&str` argument takes (scalars only).
pub fn as_text(value: &Value) -> Result<String, String> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Number(_) | Value::Bool(_) => Ok(value.to_string()),
        _ => Err(format!("`{value}` is not a scalar for a text parameter")),
    }
}

/// `example`, or the first of `examples` (each `{ value }`, possibly a `$ref`), of a parameter
/// or media type object.
fn holder_example(document: &Value, holder: &Value) -> Option<Value> {
    if let Some(example) = holder.get("example") {
        return Some(example.clone());
    }
    let examples = holder.get("examples")?.as_object()?;
    examples.values().find_map(|example| {
        let example = resolve(document, example, 0).ok()?;
        example.get("value").cloned()
    })
}

/// Follows `$ref`s (local ones only) to the object they name.
pub fn resolve<'a>(
    document: &'a Value,
    node: &'a Value,
    depth: usize,
) -> Result<&'a Value, String> {
    let mut node = node;
    for _ in depth..MAX_DEPTH {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            return Ok(node);
        };
        node = reference
            .strip_prefix('#')
            .and_then(|pointer| document.pointer(pointer))
            .ok_or_else(|| format!("`$ref: {reference}` does not resolve in the document"))?;
    }
    Err("`$ref`s nest too deeply".into())
}

/// A value valid for `schema`.
pub fn schema_value(document: &Value, schema: &Value, depth: usize) -> Result<Value, String> {
    if depth >= MAX_DEPTH {
        return Err("the schema nests too deeply (a required property cycle?)".into());
    }
    let schema = resolve(document, schema, depth)?;
    for key in ["example", "default"] {
        if let Some(value) = schema.get(key).filter(|v| !v.is_null()) {
            return Ok(value.clone());
        }
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|values| values.iter().find(|v| !v.is_null()))
    {
        return Ok(first.clone());
    }
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        return all_of(document, schema, members, depth);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(members) = schema.get(key).and_then(Value::as_array) {
            return first_that_builds(document, members, depth, key);
        }
    }
    let kind = schema.get("type").and_then(|t| match t {
        Value::String(s) => Some(s.as_str()),
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null"),
        _ => None,
    });
    match kind {
        Some("string") => string_value(schema),
        Some("integer") => Ok(number_value(schema, true)),
        Some("number") => Ok(number_value(schema, false)),
        Some("boolean") => Ok(Value::Bool(true)),
        Some("array") => array_value(document, schema, depth),
        Some("object") => object_value(document, schema, depth),
        None if schema.get("properties").is_some() => object_value(document, schema, depth),
        None if schema.get("items").is_some() => array_value(document, schema, depth),
        // Any value fits a schema without a type.
        _ => Ok(Value::String("string".into())),
    }
}

/// The members merged when they are all objects, otherwise the first member's value.
fn all_of(
    document: &Value,
    schema: &Value,
    members: &[Value],
    depth: usize,
) -> Result<Value, String> {
    let mut merged = Map::new();
    let mut others = Vec::new();
    for member in members {
        match schema_value(document, member, depth + 1)? {
            Value::Object(fields) => merged.extend(fields),
            other => others.push(other),
        }
    }
    if schema.get("properties").is_some()
        && let Value::Object(fields) = object_value(document, schema, depth)?
    {
        merged.extend(fields);
    }
    match others.into_iter().next() {
        Some(other) if merged.is_empty() => Ok(other),
        Some(_) => Err("`allOf` mixes objects and other types".into()),
        None => Ok(Value::Object(merged)),
    }
}

fn first_that_builds(
    document: &Value,
    members: &[Value],
    depth: usize,
    key: &str,
) -> Result<Value, String> {
    let mut last = format!("`{key}` has no member");
    for member in members {
        match schema_value(document, member, depth + 1) {
            Ok(value) => return Ok(value),
            Err(e) => last = e,
        }
    }
    Err(last)
}

fn string_value(schema: &Value) -> Result<Value, String> {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let formatted = match format {
        "date" => Some("2024-01-01"),
        "date-time" => Some("2024-01-01T00:00:00Z"),
        "time" => Some("12:00:00"),
        "uuid" => Some("00000000-0000-4000-8000-000000000000"),
        "email" => Some("user@example.com"),
        "uri" | "url" | "uri-reference" | "iri" => Some("https://example.com/"),
        "hostname" => Some("example.com"),
        "ipv4" => Some("192.0.2.1"),
        "ipv6" => Some("2001:db8::1"),
        "byte" => Some("c3RyaW5n"),
        _ => None,
    };
    if let Some(text) = formatted {
        return Ok(Value::String(text.into()));
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        return Err(format!("a string with `pattern: {pattern}` and no example"));
    }
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|m| m as usize);
    let length = max.map_or(min.max(6), |max| min.max(6.min(max)));
    if length > 4096 {
        return Err(format!("a string of at least {min} characters"));
    }
    Ok(Value::String(
        "string".chars().cycle().take(length).collect(),
    ))
}

/// The minimum (stepped past an exclusive one), else 1 capped by the maximum; a multiple of
/// `multipleOf` when there is one.
fn number_value(schema: &Value, integer: bool) -> Value {
    let step = schema
        .get("multipleOf")
        .and_then(Value::as_f64)
        .filter(|m| *m > 0.0);
    let exclusive = |key: &str| schema.get(key).and_then(Value::as_bool).unwrap_or(false);
    let minimum = schema.get("minimum").and_then(Value::as_f64).map(|m| {
        if exclusive("exclusiveMinimum") {
            m + step.unwrap_or(1.0)
        } else {
            m
        }
    });
    let maximum = schema.get("maximum").and_then(Value::as_f64).map(|m| {
        if exclusive("exclusiveMaximum") {
            m - step.unwrap_or(1.0)
        } else {
            m
        }
    });
    let mut value = minimum.unwrap_or_else(|| maximum.map_or(1.0, |max| max.min(1.0)));
    if let Some(step) = step {
        value = (value / step).ceil() * step;
    }
    if integer || value.fract() == 0.0 {
        json!(value.ceil() as i64)
    } else {
        json!(value)
    }
}

/// One item (or `minItems` of them).
fn array_value(document: &Value, schema: &Value, depth: usize) -> Result<Value, String> {
    let count = schema
        .get("minItems")
        .and_then(Value::as_u64)
        .unwrap_or(1)
        .max(1) as usize;
    if count > 1 && schema.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
        return Err(format!("{count} distinct items (`uniqueItems`)"));
    }
    if count > 64 {
        return Err(format!("an array of at least {count} items"));
    }
    let item = match schema.get("items") {
        Some(items) => schema_value(document, items, depth + 1)?,
        None => Value::String("string".into()),
    };
    Ok(Value::Array(vec![item; count]))
}

/// The required properties, each with its own value.
fn object_value(document: &Value, schema: &Value, depth: usize) -> Result<Value, String> {
    let properties = schema.get("properties").and_then(Value::as_object);
    let mut object = Map::new();
    let required = schema.get("required").and_then(Value::as_array);
    for name in required.into_iter().flatten().filter_map(Value::as_str) {
        let value = match properties.and_then(|p| p.get(name)) {
            Some(property) => schema_value(document, property, depth + 1)
                .map_err(|e| format!("property `{name}`: {e}"))?,
            None => match schema.get("additionalProperties") {
                Some(extra) if extra.is_object() => schema_value(document, extra, depth + 1)?,
                _ => Value::String("string".into()),
            },
        };
        object.insert(name.to_string(), value);
    }
    Ok(Value::Object(object))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{as_text, body_values, parameter_values, schema_value};

    fn value(schema: serde_json::Value) -> Result<serde_json::Value, String> {
        schema_value(&json!({}), &schema, 0)
    }

    #[test]
    fn examples_come_first_then_examples_maps_then_the_schema() {
        let document = json!({"components": {"examples": {"e": {"value": "from-ref"}}}});
        let values = |parameter: serde_json::Value| parameter_values(&document, &parameter);
        let with_example = json!({"example": 7, "schema": {"type": "integer"}});
        assert_eq!(values(with_example), Ok(vec![json!(7), json!(1)]));
        let with_examples = json!({"examples": {"a": {"$ref": "#/components/examples/e"}}});
        assert_eq!(values(with_examples), Ok(vec![json!("from-ref")]));
        let schema_only = json!({"schema": {"type": "string", "example": "abc"}});
        assert_eq!(values(schema_only), Ok(vec![json!("abc")]));
        // An example outside its schema's enum (Azure IMDS): the enum's value comes second.
        let wrong = json!({"example": "2019-08-15", "schema": {"enum": ["2018-10-01"]}});
        assert_eq!(
            values(wrong),
            Ok(vec![json!("2019-08-15"), json!("2018-10-01")])
        );
        assert!(values(json!({"name": "x"})).is_err());
    }

    #[test]
    fn objects_get_their_required_properties_through_refs() {
        let document = json!({"components": {"schemas": {
            "Pet": {"type": "object", "required": ["name", "kind", "tags"], "properties": {
                "name": {"type": "string", "minLength": 8},
                "kind": {"$ref": "#/components/schemas/Kind"},
                "tags": {"type": "array", "items": {"type": "integer", "minimum": 5}},
                "nickname": {"type": "string"}
            }},
            "Kind": {"type": "string", "enum": [null, "cat", "dog"]}
        }}});
        let media = json!({"schema": {"$ref": "#/components/schemas/Pet"}});
        assert_eq!(
            body_values(&document, &media),
            Ok(vec![
                json!({"name": "stringst", "kind": "cat", "tags": [5]})
            ])
        );
    }

    #[test]
    fn formats_bounds_and_compositions_give_valid_values() {
        assert_eq!(
            value(json!({"type": "string", "format": "date-time"})),
            Ok(json!("2024-01-01T00:00:00Z"))
        );
        assert_eq!(
            value(json!({"type": "string", "format": "uuid"})),
            Ok(json!("00000000-0000-4000-8000-000000000000"))
        );
        assert_eq!(
            value(json!({"type": "string", "maxLength": 2})),
            Ok(json!("st"))
        );
        assert_eq!(
            value(json!({"type": "integer", "minimum": 10, "exclusiveMinimum": true})),
            Ok(json!(11))
        );
        assert_eq!(
            value(json!({"type": "integer", "maximum": 0})),
            Ok(json!(0))
        );
        assert_eq!(
            value(json!({"type": "integer", "minimum": 3, "multipleOf": 5})),
            Ok(json!(5))
        );
        assert_eq!(
            value(json!({"type": "number", "minimum": 0.5})),
            Ok(json!(0.5))
        );
        assert_eq!(value(json!({"type": ["null", "boolean"]})), Ok(json!(true)));
        assert_eq!(
            value(json!({"allOf": [
                {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}},
                {"type": "object", "required": ["b"], "properties": {"b": {"type": "boolean"}}}
            ]})),
            Ok(json!({"a": 1, "b": true}))
        );
        assert_eq!(
            value(json!({"oneOf": [{"type": "string", "pattern": "^x$"}, {"type": "integer"}]})),
            Ok(json!(1))
        );
    }

    #[test]
    fn what_cannot_be_built_is_an_error_with_the_reason() {
        let pattern = value(json!({"type": "string", "pattern": "^[A-Z]{3}$"}));
        assert!(pattern.unwrap_err().contains("pattern"));
        let unique =
            value(json!({"type": "array", "minItems": 2, "uniqueItems": true, "items": {}}));
        assert!(unique.unwrap_err().contains("uniqueItems"));
        let document = json!({"components": {"schemas": {"Node": {
            "type": "object", "required": ["next"],
            "properties": {"next": {"$ref": "#/components/schemas/Node"}}
        }}}});
        let cycle = schema_value(&document, &json!({"$ref": "#/components/schemas/Node"}), 0);
        assert!(cycle.unwrap_err().contains("too deeply"));
    }

    #[test]
    fn text_arguments_take_scalars_only() {
        assert_eq!(as_text(&json!("a b")), Ok("a b".to_string()));
        assert_eq!(as_text(&json!(12)), Ok("12".to_string()));
        assert_eq!(as_text(&json!(false)), Ok("false".to_string()));
        assert!(as_text(&json!({"a": 1})).is_err());
    }
}
