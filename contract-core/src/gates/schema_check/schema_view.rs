//! Reading JSON Schemas inside an OpenAPI document (3.0 or 3.1): following local `$ref`s
//! (cycle-safe), merging `allOf`, and the facts a Rust type is checked against.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::util::json_pointer;

/// The longest `$ref` chain followed before giving up.
const MAX_REF_HOPS: usize = 64;

/// A schema and the JSON pointer where it sits in the document.
#[derive(Debug, Clone)]
pub struct Node<'d> {
    /// The schema.
    pub value: &'d Value,
    /// Where it is, as a URI fragment (`#/components/schemas/Pet`).
    pub pointer: String,
}

impl<'d> Node<'d> {
    /// The child at `key` (an object key, or an array index written in decimal).
    pub fn child(&self, key: &str) -> Option<Node<'d>> {
        let value = match self.value {
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            other => other.get(key),
        };
        value.map(|value| Node {
            value,
            pointer: json_pointer::child(&self.pointer, key),
        })
    }
}

/// Looks up `#/…` in the document.
pub fn lookup<'d>(root: &'d Value, fragment: &str) -> Option<Node<'d>> {
    let pointer = fragment.strip_prefix('#')?;
    let decoded = json_pointer::percent_decode(pointer)?;
    root.pointer(&decoded).map(|value| Node {
        value,
        pointer: fragment.to_string(),
    })
}

/// The component name a `$ref` points at (`#/components/schemas/Pet` → `Pet`).
pub fn ref_name(value: &Value) -> Option<&str> {
    value
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
        .filter(|name| !name.contains('/'))
}

/// Follows `$ref`s until a schema without one. Errors on a missing target, a non-local
/// reference, or a cycle.
pub fn resolve<'d>(root: &'d Value, node: &Node<'d>) -> Result<Node<'d>, String> {
    let mut current = node.clone();
    for _ in 0..MAX_REF_HOPS {
        let Some(reference) = current.value.get("$ref").and_then(Value::as_str) else {
            return Ok(current);
        };
        if !reference.starts_with('#') {
            return Err(format!(
                "`$ref: {reference}` at `{}` points outside the document; only local references are followed",
                current.pointer
            ));
        }
        current = lookup(root, reference).ok_or_else(|| {
            format!(
                "`$ref: {reference}` at `{}` points nowhere",
                current.pointer
            )
        })?;
    }
    Err(format!("`$ref` cycle at `{}`", node.pointer))
}

/// What an object schema allows beyond its listed properties.
#[derive(Debug, Clone)]
pub enum Additional<'d> {
    /// Not said: JSON Schema allows anything.
    Unspecified,
    /// `additionalProperties: true`.
    Any,
    /// `additionalProperties: false`.
    Forbidden,
    /// `additionalProperties: {schema}`.
    Schema(Node<'d>),
}

/// The properties of an object schema, with `allOf` members merged in.
#[derive(Debug, Clone)]
pub struct ObjectShape<'d> {
    /// `(name, schema)` in document order, first declaration wins.
    pub properties: Vec<(String, Node<'d>)>,
    /// Required property names.
    pub required: BTreeSet<String>,
    /// What else is allowed.
    pub additional: Additional<'d>,
}

/// Collects the object shape of a (resolved) schema, merging `allOf` recursively.
pub fn object_shape<'d>(root: &'d Value, node: &Node<'d>) -> Result<ObjectShape<'d>, String> {
    let mut shape = ObjectShape {
        properties: Vec::new(),
        required: BTreeSet::new(),
        additional: Additional::Unspecified,
    };
    let mut seen = BTreeSet::new();
    merge_into(root, node, &mut shape, &mut seen, 0)?;
    Ok(shape)
}

fn merge_into<'d>(
    root: &'d Value,
    node: &Node<'d>,
    shape: &mut ObjectShape<'d>,
    seen: &mut BTreeSet<String>,
    depth: usize,
) -> Result<(), String> {
    let node = resolve(root, node)?;
    if depth > MAX_REF_HOPS || !seen.insert(node.pointer.clone()) {
        return Ok(());
    }
    if let Some(properties) = node.child("properties")
        && let Some(map) = properties.value.as_object()
    {
        for key in map.keys() {
            if !shape.properties.iter().any(|(k, _)| k == key)
                && let Some(child) = properties.child(key)
            {
                shape.properties.push((key.clone(), child));
            }
        }
    }
    if let Some(required) = node.value.get("required").and_then(Value::as_array) {
        shape.required.extend(
            required
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string),
        );
    }
    match node.value.get("additionalProperties") {
        Some(Value::Bool(true)) => shape.additional = Additional::Any,
        Some(Value::Bool(false)) => shape.additional = Additional::Forbidden,
        Some(Value::Object(_)) => {
            if let Some(child) = node.child("additionalProperties") {
                shape.additional = Additional::Schema(child);
            }
        }
        _ => {}
    }
    if let Some(all_of) = node.child("allOf")
        && let Some(items) = all_of.value.as_array()
    {
        for i in 0..items.len() {
            if let Some(member) = all_of.child(&i.to_string()) {
                merge_into(root, &member, shape, seen, depth + 1)?;
            }
        }
    }
    Ok(())
}

/// The facts about one schema a Rust type must agree with.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// JSON types allowed, `null` excluded (empty: unconstrained).
    pub types: Vec<String>,
    /// Whether `null` is allowed.
    pub nullable: bool,
    /// `format`.
    pub format: Option<String>,
    /// `enum` values other than null, if any.
    pub enum_values: Option<Vec<Value>>,
    /// Lower bound (inclusive), from `minimum` / `exclusiveMinimum`.
    pub minimum: Option<f64>,
    /// Upper bound (inclusive), from `maximum` / `exclusiveMaximum`.
    pub maximum: Option<f64>,
    /// `oneOf`/`anyOf` alternatives other than a null one.
    pub alternatives: usize,
}

/// Reads the facts of a resolved schema. `oneOf`/`anyOf` of one schema and `null` are read as
/// that schema made nullable; `allOf` members contribute their types.
pub fn facts<'d>(root: &'d Value, node: &Node<'d>) -> Result<(Facts, Node<'d>), String> {
    let node = resolve(root, node)?;
    let value = node.value;
    let mut facts = Facts::default();
    match value.get("type") {
        Some(Value::String(t)) if t == "null" => facts.nullable = true,
        Some(Value::String(t)) => facts.types.push(t.clone()),
        Some(Value::Array(ts)) => {
            for t in ts.iter().filter_map(Value::as_str) {
                if t == "null" {
                    facts.nullable = true;
                } else {
                    facts.types.push(t.to_string());
                }
            }
        }
        _ => {}
    }
    if value.get("nullable") == Some(&Value::Bool(true)) {
        facts.nullable = true;
    }
    facts.format = value
        .get("format")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(values) = value.get("enum").and_then(Value::as_array) {
        if values.iter().any(Value::is_null) {
            facts.nullable = true;
        }
        facts.enum_values = Some(values.iter().filter(|v| !v.is_null()).cloned().collect());
    }
    if let Some(c) = value.get("const") {
        facts.enum_values = Some(vec![c.clone()]);
    }
    let number = |key: &str| value.get(key).and_then(Value::as_f64);
    facts.minimum = number("minimum");
    facts.maximum = number("maximum");
    match value.get("exclusiveMinimum") {
        Some(Value::Number(n)) => facts.minimum = n.as_f64().map(|m| m + 1.0).or(facts.minimum),
        Some(Value::Bool(true)) => facts.minimum = facts.minimum.map(|m| m + 1.0),
        _ => {}
    }
    match value.get("exclusiveMaximum") {
        Some(Value::Number(n)) => facts.maximum = n.as_f64().map(|m| m - 1.0).or(facts.maximum),
        Some(Value::Bool(true)) => facts.maximum = facts.maximum.map(|m| m - 1.0),
        _ => {}
    }
    for key in ["oneOf", "anyOf"] {
        let Some(list) = node.child(key) else {
            continue;
        };
        let Some(items) = list.value.as_array() else {
            continue;
        };
        let mut others = Vec::new();
        for i in 0..items.len() {
            let Some(member) = list.child(&i.to_string()) else {
                continue;
            };
            let member = resolve(root, &member)?;
            if member.value.get("type").and_then(Value::as_str) == Some("null") {
                facts.nullable = true;
            } else {
                others.push(member);
            }
        }
        if others.len() == 1 && facts.types.is_empty() {
            let (inner, inner_node) = self::facts(root, &others[0])?;
            let nullable = facts.nullable || inner.nullable;
            facts = Facts { nullable, ..inner };
            return Ok((facts, inner_node));
        }
        facts.alternatives += others.len();
    }
    if facts.types.is_empty() {
        if value.get("properties").is_some() || value.get("additionalProperties").is_some() {
            facts.types.push("object".into());
        } else if value.get("items").is_some() {
            facts.types.push("array".into());
        } else if let Some(all_of) = value.get("allOf").and_then(Value::as_array)
            && !all_of.is_empty()
        {
            // allOf of objects is an object; of one scalar, that scalar.
            let first = node.child("allOf").and_then(|a| a.child("0"));
            if let Some(first) = first {
                let (inner, _) = self::facts(root, &first)?;
                facts.types = inner.types;
                if facts.format.is_none() {
                    facts.format = inner.format;
                }
                if facts.enum_values.is_none() {
                    facts.enum_values = inner.enum_values;
                }
            }
        } else if let Some(values) = &facts.enum_values {
            let mut kinds: Vec<String> = values
                .iter()
                .map(|v| crate::spec::json_type(v).to_string())
                .collect();
            kinds.sort();
            kinds.dedup();
            facts.types = kinds;
        }
    }
    Ok((facts, node))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_refs_and_merges_all_of() {
        let doc = json!({"components": {"schemas": {
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
            "Pet": {"allOf": [{"$ref": "#/components/schemas/Base"},
                              {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}]},
            "Alias": {"$ref": "#/components/schemas/Pet"},
            "Loop": {"$ref": "#/components/schemas/Loop"}
        }}});
        let alias = lookup(&doc, "#/components/schemas/Alias").unwrap();
        let shape = object_shape(&doc, &alias).unwrap();
        let names: Vec<_> = shape.properties.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["id", "name"]);
        assert_eq!(
            shape
                .required
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            ["id", "name"]
        );
        assert_eq!(
            shape.properties[0].1.pointer,
            "#/components/schemas/Base/properties/id"
        );
        let looping = lookup(&doc, "#/components/schemas/Loop").unwrap();
        assert!(resolve(&doc, &looping).unwrap_err().contains("cycle"));
    }

    #[test]
    fn references_are_percent_decoded_or_name_nothing() {
        let doc = json!({"components": {"schemas": {"{A}": {"type": "string"}, "B%zz": {}}}});
        let found = lookup(&doc, "#/components/schemas/%7BA%7D").unwrap();
        assert_eq!(found.value, &json!({"type": "string"}));
        assert_eq!(found.pointer, "#/components/schemas/%7BA%7D");
        // Not a percent-encoded fragment: refused, not read as the key `B%zz`.
        assert!(lookup(&doc, "#/components/schemas/B%zz").is_none());
    }

    #[test]
    fn nullable_forms() {
        let doc = json!({
            "a": {"type": "string", "nullable": true},
            "b": {"type": ["integer", "null"]},
            "c": {"oneOf": [{"type": "null"}, {"type": "string", "format": "uuid"}]},
            "d": {"type": "integer", "minimum": 0, "exclusiveMaximum": 10}
        });
        let get = |k: &str| {
            facts(&doc, &lookup(&doc, &format!("#/{k}")).unwrap())
                .unwrap()
                .0
        };
        assert!(get("a").nullable && get("a").types == ["string"]);
        assert!(get("b").nullable && get("b").types == ["integer"]);
        let c = get("c");
        assert!(c.nullable && c.format.as_deref() == Some("uuid"));
        let d = get("d");
        assert_eq!((d.minimum, d.maximum), (Some(0.0), Some(9.0)));
    }
}
