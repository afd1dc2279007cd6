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

/// The component a schema stands for as a whole: a `$ref` to it with nothing beside but
/// annotations and nullability, or an `allOf` of one such `$ref` and members that only
/// annotate or add nullability (`allOf: [{$ref}, {description}]`, common in real specs).
/// A `$ref` with constraints beside it (`maxLength`) is a new schema, not the component.
pub fn ref_target(value: &Value) -> Option<&str> {
    let only_annotates = |member: &Value, allowed: &[&str]| {
        member.as_object().is_some_and(|o| {
            o.keys().all(|k| {
                ANNOTATIONS.contains(&k.as_str())
                    || NULLABILITY_ONLY.contains(&k.as_str())
                    || allowed.contains(&k.as_str())
                    || k.starts_with("x-")
            })
        })
    };
    if value.get("$ref").is_some() {
        return ref_name(value).filter(|_| only_annotates(value, &["$ref"]));
    }
    let members = value.get("allOf")?.as_array()?;
    let mut refs = members.iter().filter(|m| m.get("$ref").is_some());
    let (Some(target), None) = (refs.next(), refs.next()) else {
        return None;
    };
    let rest_annotates = members
        .iter()
        .filter(|m| m.get("$ref").is_none())
        .all(|m| only_annotates(m, &[]));
    // `type: object` and an empty `properties` beside the `allOf` add nothing to an object
    // component (the generator writes such a schema as a newtype over the component's type).
    let adds_nothing = value.as_object().is_some_and(|o| {
        o.iter().all(|(k, v)| match k.as_str() {
            "type" => v == "object",
            "properties" => v.as_object().is_some_and(serde_json::Map::is_empty),
            _ => true,
        })
    });
    (rest_annotates && adds_nothing && only_annotates(value, &["allOf", "type", "properties"]))
        .then(|| ref_target(target))
        .flatten()
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
    /// Properties declared in several `allOf` members, one of which does not allow `null`
    /// (a value must satisfy every declaration, so none is `null`).
    pub non_null: BTreeSet<String>,
    /// What else is allowed.
    pub additional: Additional<'d>,
}

/// Collects the object shape of a (resolved) schema, merging `allOf` recursively.
pub fn object_shape<'d>(root: &'d Value, node: &Node<'d>) -> Result<ObjectShape<'d>, String> {
    let mut shape = ObjectShape {
        properties: Vec::new(),
        required: BTreeSet::new(),
        non_null: BTreeSet::new(),
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
    // `required` beside a `$ref` (`{$ref: Dates, required: [name]}` in an `allOf`) counts:
    // the generator honours it.
    if node.value.get("$ref").is_some() {
        add_required(&mut shape.required, node.value);
    }
    let node = resolve(root, node)?;
    if depth > MAX_REF_HOPS || !seen.insert(node.pointer.clone()) {
        return Ok(());
    }
    if let Some(properties) = node.child("properties")
        && let Some(map) = properties.value.as_object()
    {
        for key in map.keys() {
            let Some(child) = properties.child(key) else {
                continue;
            };
            let Some((_, earlier)) = shape.properties.iter_mut().find(|(k, _)| k == key) else {
                shape.properties.push((key.clone(), child));
                continue;
            };
            if forbids_null(root, &child) {
                shape.non_null.insert(key.clone());
            }
            if narrows(root, earlier, &child) {
                *earlier = child;
            } else if let Some(alternative) = alternative_typed(root, earlier, &child) {
                *earlier = alternative;
            }
        }
    }
    add_required(&mut shape.required, node.value);
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

/// Whether `later`, a second declaration of a property in another `allOf` member, is exactly
/// what a value must satisfy, both declarations together: `earlier` says no more than a type
/// (and annotations), which `later` implies, and `later` allows `null` only if `earlier` does.
/// (`RecordRef` declares `type: string`; a member beside it narrows `type` to an enum, and the
/// generator writes the enum. GitHub's `workflow_job` declares `run_id` a `number`, then an
/// `integer`: the generator writes `i64`, `normalize/all-of-number`.) Otherwise the first declaration stays the one checked against.
fn narrows<'d>(root: &'d Value, earlier: &Node<'d>, later: &Node<'d>) -> bool {
    let Some(map) = earlier.value.as_object() else {
        return false;
    };
    let plain = map
        .keys()
        .all(|k| k == "type" || ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-"));
    let (Ok((before, _)), Ok((after, _))) = (facts(root, earlier), facts(root, later)) else {
        return false;
    };
    let implied = before.types.is_empty()
        || !after.types.is_empty() && after.types.iter().all(|t| type_within(t, &before.types));
    plain && implied && (before.nullable || !after.nullable)
}

/// Whether every value of JSON type `t` has one of `types` (an integer is a number).
fn type_within(t: &str, types: &[String]) -> bool {
    types
        .iter()
        .any(|u| u == t || (t == "integer" && u == "number"))
}

/// Whether a declaration says a type and not `null`.
fn forbids_null<'d>(root: &'d Value, node: &Node<'d>) -> bool {
    facts(root, node).is_ok_and(|(f, _)| !f.nullable && !f.types.is_empty())
}

/// The one `oneOf`/`anyOf` alternative of `earlier` that `later`, a second declaration of the
/// property saying no more than a type (and not `null`), leaves: both together allow that
/// alternative's values only. (GitHub's webhooks declare `created_at` as an integer or a
/// date-time string, and again as a string in another `allOf` member; the generator writes
/// the date-time.)
fn alternative_typed<'d>(
    root: &'d Value,
    earlier: &Node<'d>,
    later: &Node<'d>,
) -> Option<Node<'d>> {
    let plain = later
        .value
        .as_object()?
        .keys()
        .all(|k| k == "type" || ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-"));
    let (after, _) = facts(root, later).ok()?;
    if !plain || after.nullable || after.types.is_empty() {
        return None;
    }
    let earlier = resolve(root, earlier).ok()?;
    let list = ["oneOf", "anyOf"]
        .into_iter()
        .find_map(|key| earlier.child(key))?;
    let count = list.value.as_array()?.len();
    let mut kept = (0..count)
        .filter_map(|i| list.child(&i.to_string()))
        .filter(|member| {
            facts(root, member).is_ok_and(|(f, _)| {
                !f.types.is_empty() && f.types.iter().all(|t| after.types.contains(t))
            })
        });
    match (kept.next(), kept.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

fn add_required(required: &mut BTreeSet<String>, value: &Value) {
    if let Some(names) = value.get("required").and_then(Value::as_array) {
        required.extend(names.iter().filter_map(Value::as_str).map(str::to_string));
    }
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

/// Whether `null` is allowed by what is written at `node` itself, before its `$ref` is
/// followed: `nullable: true` or a `null` type beside the `$ref` (OpenAPI 3.0 ignores siblings
/// of `$ref`, but real specs write them and the generator honours them, as 3.1 does), an
/// `allOf` member that only says `nullable: true`, or a `null` branch of `oneOf`/`anyOf`.
pub fn nullable_here<'d>(root: &'d Value, node: &Node<'d>) -> bool {
    let says_null = |value: &Value| {
        value.get("nullable") == Some(&Value::Bool(true))
            || match value.get("type") {
                Some(Value::String(t)) => t == "null",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "null"),
                _ => false,
            }
            || value
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|v| v.iter().any(Value::is_null))
    };
    if says_null(node.value) {
        return true;
    }
    let members = |key: &str| {
        node.value
            .get(key)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    };
    // An `allOf` member that constrains nothing but nullability makes the whole nullable.
    let all_of_null = members("allOf").iter().any(|m| {
        m.get("$ref").is_none()
            && says_null(m)
            && m.as_object()
                .is_some_and(|o| o.keys().all(|k| NULLABILITY_ONLY.contains(&k.as_str())))
    });
    let union_null = ["oneOf", "anyOf"].iter().any(|key| {
        (0..members(key).len()).any(|i| {
            node.child(key)
                .and_then(|list| list.child(&i.to_string()))
                .and_then(|member| resolve(root, &member).ok())
                .is_some_and(|member| {
                    member.value.get("type").and_then(Value::as_str) == Some("null")
                })
        })
    });
    all_of_null || union_null
}

/// Annotation keywords left out of a schema's structural identity.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
    "$comment",
    "xml",
    // `readOnly`/`writeOnly` say which direction carries a value, not which values are valid.
    "readOnly",
    "writeOnly",
];

/// A schema's structural identity: the first 8 bytes of the SHA-256 of its canonical JSON
/// (RFC 8785), `$ref`s at the top followed and annotations (`title`, `description`,
/// examples, `x-` extensions) removed at every level, so equal schemas under two names have
/// the same identity. Never 0 (0 stands for "not checked").
pub fn identity<'d>(root: &'d Value, node: &Node<'d>) -> Result<u64, String> {
    /// `names`: the object is a map of names to schemas (`properties`), not a schema.
    fn strip(value: &Value, names: bool) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .filter(|(k, _)| {
                        names || !ANNOTATIONS.contains(&k.as_str()) && !k.starts_with("x-")
                    })
                    .map(|(k, v)| {
                        let holds_names =
                            !names && matches!(k.as_str(), "properties" | "patternProperties");
                        (k.clone(), strip(v, holds_names))
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|v| strip(v, false)).collect()),
            other => other.clone(),
        }
    }
    let mut node = resolve(root, node)?;
    // An annotated alias of another schema (`allOf: [{$ref: …}]` with a `description`) is
    // that schema, wherever the `$ref` points (a component or another schema's property).
    for _ in 0..MAX_REF_HOPS {
        let Some(target) = alias_of(root, node.value) else {
            break;
        };
        let Some(next) = lookup(root, target) else {
            break;
        };
        node = resolve(root, &next)?;
    }
    let digest = crate::spec::canonical::fingerprint(&strip(node.value, false))?;
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest.as_bytes()[..8]);
    Ok(u64::from_be_bytes(first).max(1))
}

/// The local `$ref` of a schema that is only an `allOf` of one `$ref` and members that only
/// annotate (`allOf: [{description}, {$ref}]`) or restate what the referenced schema declares
/// ([`restates`]), with annotations beside it.
fn alias_of<'v>(root: &Value, value: &'v Value) -> Option<&'v str> {
    let only_annotates = |member: &Value, allowed: &str| {
        member.as_object().is_some_and(|map| {
            map.keys()
                .all(|k| k == allowed || ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-"))
        })
    };
    let members = value.get("allOf")?.as_array()?;
    let mut refs = members.iter().filter(|m| m.get("$ref").is_some());
    let (Some(member), None) = (refs.next(), refs.next()) else {
        return None;
    };
    let target = member.get("$ref")?.as_str()?;
    let rest_annotates = members
        .iter()
        .filter(|m| m.get("$ref").is_none())
        .all(|m| only_annotates(m, "") || restates(root, m, target));
    (target.starts_with('#')
        && rest_annotates
        && only_annotates(value, "allOf")
        && only_annotates(member, "$ref"))
    .then_some(target)
}

/// Whether an `allOf` member only restates the object schema at `target`: its `type`,
/// `properties` and `required` are the target's (each property declared there the same way,
/// each required name required there), so the `allOf` is the target (icons8's `IconV3Item`
/// repeats `CompactIconV3Item`'s properties; the generator writes a newtype over it).
fn restates(root: &Value, member: &Value, target: &str) -> bool {
    let Some(Ok(target)) = lookup(root, target).map(|node| resolve(root, &node)) else {
        return false;
    };
    let Some(member) = member.as_object() else {
        return false;
    };
    let declared = |name: &str| target.value.get("properties").and_then(|p| p.get(name));
    let required = |name: &Value| {
        (target.value.get("required").and_then(Value::as_array)).is_some_and(|r| r.contains(name))
    };
    member.iter().all(|(k, v)| match k.as_str() {
        "type" => target.value.get("type") == Some(v),
        "properties" => v
            .as_object()
            .is_some_and(|p| p.iter().all(|(name, s)| declared(name) == Some(s))),
        "required" => v.as_array().is_some_and(|r| r.iter().all(required)),
        other => ANNOTATIONS.contains(&other) || other.starts_with("x-"),
    })
}

/// Keywords of an `allOf` member that only adds nullability.
const NULLABILITY_ONLY: &[&str] = &["nullable", "type", "description", "title", "enum"];

/// Reads the facts of a schema, following its `$ref`s. `oneOf`/`anyOf` of one schema and
/// `null` are read as that schema made nullable; `allOf` members contribute their types;
/// `nullable` beside a `$ref` or in an `allOf` member counts ([`nullable_here`]).
pub fn facts<'d>(root: &'d Value, node: &Node<'d>) -> Result<(Facts, Node<'d>), String> {
    let here = nullable_here(root, node);
    let node = resolve(root, node)?;
    let mut facts = direct_facts(node.value);
    facts.nullable |= here || nullable_here(root, &node);
    if let Some(single) = single_alternative(root, &node, &mut facts)? {
        let (inner, inner_node) = self::facts(root, &single)?;
        let nullable = facts.nullable || inner.nullable;
        return Ok((Facts { nullable, ..inner }, inner_node));
    }
    if facts.types.is_empty() {
        implied_types(root, &node, &mut facts)?;
    }
    Ok((facts, node))
}

/// The facts written in the schema object itself: types, format, enum, bounds.
fn direct_facts(value: &Value) -> Facts {
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
    facts.format = value
        .get("format")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(values) = value.get("enum").and_then(Value::as_array) {
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
    facts
}

/// Counts the non-null `oneOf`/`anyOf` alternatives; when there is exactly one and no `type`,
/// returns it (the schema is that alternative, maybe nullable).
fn single_alternative<'d>(
    root: &'d Value,
    node: &Node<'d>,
    facts: &mut Facts,
) -> Result<Option<Node<'d>>, String> {
    for key in ["oneOf", "anyOf"] {
        let Some(list) = node.child(key) else {
            continue;
        };
        let count = list.value.as_array().map_or(0, Vec::len);
        let mut others = Vec::new();
        for i in 0..count {
            let Some(member) = list.child(&i.to_string()) else {
                continue;
            };
            let resolved = resolve(root, &member)?;
            if resolved.value.get("type").and_then(Value::as_str) != Some("null") {
                others.push(member);
            }
        }
        if others.len() == 1 && facts.types.is_empty() {
            return Ok(others.pop());
        }
        if let Some(values) = string_enum_union(root, &others, facts)? {
            facts.types = vec!["string".into()];
            facts.enum_values = Some(values);
            continue;
        }
        facts.alternatives += others.len();
    }
    Ok(None)
}

/// The values of alternatives that are all string enums (`oneOf: [{type: string, enum: [a]},
/// {type: string, enum: [b]}]`, which the generator writes as one enum): one string enum of
/// all their values, in order. `None` when any alternative says more, or the schema itself
/// has another type or its own `enum`.
fn string_enum_union<'d>(
    root: &'d Value,
    alternatives: &[Node<'d>],
    facts: &Facts,
) -> Result<Option<Vec<Value>>, String> {
    let string_only = facts.types.is_empty() || facts.types == ["string"];
    if alternatives.len() < 2 || !string_only || facts.enum_values.is_some() {
        return Ok(None);
    }
    let mut values: Vec<Value> = Vec::new();
    for member in alternatives {
        let member = resolve(root, member)?;
        let Some(map) = member.value.as_object() else {
            return Ok(None);
        };
        let plain = map.iter().all(|(k, v)| match k.as_str() {
            "type" => v == "string",
            "enum" => v
                .as_array()
                .is_some_and(|vs| vs.iter().all(Value::is_string)),
            k => ANNOTATIONS.contains(&k) || k.starts_with("x-"),
        });
        let Some(listed) = map.get("enum").and_then(Value::as_array).filter(|_| plain) else {
            return Ok(None);
        };
        for value in listed {
            if !values.contains(value) {
                values.push(value.clone());
            }
        }
    }
    Ok(Some(values))
}

/// Types a schema without `type` implies: `properties` → object, `items` → array, `allOf` →
/// its first member's, `enum` → its values'.
fn implied_types<'d>(root: &'d Value, node: &Node<'d>, facts: &mut Facts) -> Result<(), String> {
    let value = node.value;
    if value.get("properties").is_some() || value.get("additionalProperties").is_some() {
        facts.types.push("object".into());
    } else if value.get("items").is_some() {
        facts.types.push("array".into());
    } else if let Some(first) = node.child("allOf").and_then(|a| a.child("0")) {
        // allOf of objects is an object; of one scalar, that scalar.
        let (inner, _) = self::facts(root, &first)?;
        facts.types = inner.types;
        if facts.format.is_none() {
            facts.format = inner.format;
        }
        if facts.enum_values.is_none() {
            facts.enum_values = inner.enum_values;
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
    Ok(())
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
    fn an_all_of_of_one_ref_that_adds_nothing_is_that_ref() {
        let answer = json!({"allOf": [{"$ref": "#/components/schemas/Response"}],
                            "description": "An answer.", "properties": {}, "type": "object"});
        assert_eq!(ref_target(&answer), Some("Response"));
        let more = json!({"allOf": [{"$ref": "#/components/schemas/Response"}],
                          "properties": {"id": {"type": "string"}}, "type": "object"});
        assert_eq!(ref_target(&more), None);
        let string =
            json!({"allOf": [{"$ref": "#/components/schemas/Response"}], "type": "string"});
        assert_eq!(ref_target(&string), None);
    }

    #[test]
    fn an_annotated_alias_has_the_identity_of_what_it_names() {
        let doc = json!({"components": {"schemas": {
            "T": {"properties": {"currency": {"type": "string", "minLength": 3}}},
            "C": {"properties": {"currency": {"allOf": [{"$ref": "#/components/schemas/T/properties/currency"}],
                                              "description": "The currency"}}}
        }}});
        let at = |p: &str| identity(&doc, &lookup(&doc, p).unwrap()).unwrap();
        assert_eq!(
            at("#/components/schemas/C/properties/currency"),
            at("#/components/schemas/T/properties/currency")
        );
        assert_ne!(at("#/components/schemas/C"), at("#/components/schemas/T"));
    }

    #[test]
    fn an_alias_may_put_its_annotations_in_a_member_of_their_own() {
        let doc = json!({"components": {"schemas": {
            "T": {"properties": {"currency": {"type": "string", "format": "ISO4217"}}},
            "C": {"properties": {
                "first": {"allOf": [{"description": "Default currency"},
                                    {"$ref": "#/components/schemas/T/properties/currency"}]},
                "last": {"allOf": [{"$ref": "#/components/schemas/T/properties/currency"},
                                   {"description": "Currency"}]},
                "narrowed": {"allOf": [{"$ref": "#/components/schemas/T/properties/currency"},
                                       {"maxLength": 3}]}
            }}
        }}});
        let at = |p: &str| identity(&doc, &lookup(&doc, p).unwrap()).unwrap();
        let currency = at("#/components/schemas/T/properties/currency");
        assert_eq!(at("#/components/schemas/C/properties/first"), currency);
        assert_eq!(at("#/components/schemas/C/properties/last"), currency);
        assert_ne!(at("#/components/schemas/C/properties/narrowed"), currency);
    }

    #[test]
    fn an_all_of_member_restating_the_referenced_schema_adds_nothing_to_it() {
        let id = json!({"type": "number", "description": "icon id"});
        let doc = json!({"components": {"schemas": {
            "Compact": {"type": "object", "required": ["id"],
                        "properties": {"id": id, "name": {"type": "string"}}},
            "Icon": {"allOf": [{"$ref": "#/components/schemas/Compact"},
                               {"type": "object", "required": ["id"], "properties": {"id": id}}]},
            "Wider": {"allOf": [{"$ref": "#/components/schemas/Compact"},
                                {"properties": {"size": {"type": "integer"}}}]},
            "Required": {"allOf": [{"$ref": "#/components/schemas/Compact"},
                                   {"required": ["name"]}]},
            "Narrowed": {"allOf": [{"$ref": "#/components/schemas/Compact"},
                                   {"properties": {"id": {"type": "integer"}}}]}
        }}});
        let at = |p: &str| identity(&doc, &lookup(&doc, p).unwrap()).unwrap();
        let compact = at("#/components/schemas/Compact");
        assert_eq!(at("#/components/schemas/Icon"), compact);
        for other in ["Wider", "Required", "Narrowed"] {
            assert_ne!(
                at(&format!("#/components/schemas/{other}")),
                compact,
                "{other}"
            );
        }
    }

    #[test]
    fn a_property_narrowed_by_a_later_all_of_member_is_read_from_that_member() {
        let doc = json!({"components": {"schemas": {
            "RecordRef": {"type": "object", "properties": {"type": {"type": "string"}, "id": {"type": "string"}}},
            "Kind": {"type": "string", "enum": ["Fee", "Order"]},
            "SourceRef": {"allOf": [{"$ref": "#/components/schemas/RecordRef"},
                                    {"properties": {"type": {"$ref": "#/components/schemas/Kind"},
                                                    "id": {"type": "integer"}}}]},
            "Widened": {"allOf": [{"properties": {"type": {"$ref": "#/components/schemas/Kind"}}},
                                  {"properties": {"type": {"type": "string"}}}]},
            "Nullable": {"allOf": [{"$ref": "#/components/schemas/RecordRef"},
                                   {"properties": {"type": {"type": "string", "enum": ["A"], "nullable": true}}}]}
        }}});
        let declared = |name: &str, property: &str| {
            let node = lookup(&doc, &format!("#/components/schemas/{name}")).unwrap();
            let shape = object_shape(&doc, &node).unwrap();
            let (_, node) = shape
                .properties
                .into_iter()
                .find(|(k, _)| k == property)
                .unwrap();
            node.pointer
        };
        assert_eq!(
            declared("SourceRef", "type"),
            "#/components/schemas/SourceRef/allOf/1/properties/type"
        );
        // A later declaration of another type, a wider one, or one that adds `null` where the
        // first does not allow it, is not what both together allow: the first stays.
        assert_eq!(
            declared("SourceRef", "id"),
            "#/components/schemas/RecordRef/properties/id"
        );
        assert_eq!(
            declared("Widened", "type"),
            "#/components/schemas/Widened/allOf/0/properties/type"
        );
        assert_eq!(
            declared("Nullable", "type"),
            "#/components/schemas/RecordRef/properties/type"
        );
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
