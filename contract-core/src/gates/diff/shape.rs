//! What a schema is, before two are compared: the node behind its references and
//! annotation-only wrappers (`allOf: [X]`, `allOf: [X, {description: …}]`,
//! `anyOf: [X, {type: null}]`), its JSON types (3.0
//! `nullable` and 3.1 `type: [T, "null"]` alike), whether it admits null, and how messages
//! name where it is.

use serde_json::Value;

use super::resolve::{Doc, Node, Resolved, child, index, tokens};

/// Hops through annotation-only wrappers before giving up.
const MAX_UNWRAP: usize = 32;

/// A schema as compared: the node after references and wrappers, and whether a wrapper made
/// it nullable.
pub(super) struct View<'a> {
    pub node: Node<'a>,
    pub null_wrapped: bool,
}

/// Keys that only annotate a schema: a wrapper made of these and a single `allOf` member is
/// the member.
fn annotation_only(map: &serde_json::Map<String, Value>, wrapper_key: &str) -> bool {
    map.keys().all(|k| {
        k == wrapper_key
            || k.starts_with("x-")
            || matches!(
                k.as_str(),
                "description"
                    | "title"
                    | "example"
                    | "examples"
                    | "deprecated"
                    | "nullable"
                    | "readOnly"
                    | "writeOnly"
                    | "externalDocs"
                    | "default"
                    | "$comment"
            )
    })
}

/// For `allOf: [X]` and `allOf: [X, {description: …}]` (what AWS specs write around every
/// property) whose wrapper only annotates: the index of `X`, the one member that is a schema,
/// and whether an annotating member says `nullable: true`. `None` for a real merge of several
/// schemas, whose keywords all apply.
fn described_member(map: &serde_json::Map<String, Value>) -> Option<(usize, bool)> {
    let members = map.get("allOf")?.as_array()?;
    if !annotation_only(map, "allOf") {
        return None;
    }
    if let [_] = members.as_slice() {
        return Some((0, false));
    }
    let annotates = |m: &Value| m.as_object().is_some_and(|m| annotation_only(m, ""));
    let mut schemas = members.iter().enumerate().filter(|(_, m)| !annotates(m));
    let (i, _) = schemas.next()?;
    if schemas.next().is_some() {
        return None;
    }
    let nullable = members
        .iter()
        .any(|m| annotates(m) && m.get("nullable").and_then(Value::as_bool) == Some(true));
    Some((i, nullable))
}

pub(super) fn is_null_schema(doc: Doc<'_>, value: &Value) -> bool {
    let value = match doc.resolve(value, String::new()) {
        Resolved::Found(n) => n.value,
        Resolved::Unresolved(_) => return false,
    };
    match value.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => !ts.is_empty() && ts.iter().all(|t| t == "null"),
        _ => value
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.len() == 1 && e[0].is_null()),
    }
}

/// Resolves references and sees through annotation-only wrappers.
pub(super) fn view<'a>(
    doc: Doc<'a>,
    value: &'a Value,
    pointer: String,
) -> Result<View<'a>, &'a str> {
    let mut null_wrapped = false;
    let mut via_ref = false;
    let mut node = match doc.resolve(value, pointer) {
        Resolved::Found(n) => n,
        Resolved::Unresolved(r) => return Err(r),
    };
    for _ in 0..MAX_UNWRAP {
        via_ref |= node.via_ref;
        let Some(map) = node.value.as_object() else {
            break;
        };
        let next = if let Some((i, annotated_null)) = described_member(map) {
            null_wrapped |= annotated_null;
            let members = &map["allOf"];
            Some((&members[i], index(&child(&node.pointer, "allOf"), i)))
        } else {
            let mut found = None;
            for key in ["anyOf", "oneOf"] {
                if let Some(Value::Array(members)) = map.get(key)
                    && members.len() == 2
                    && annotation_only(map, key)
                {
                    let nulls: Vec<bool> = members.iter().map(|m| is_null_schema(doc, m)).collect();
                    if nulls == [true, false] || nulls == [false, true] {
                        let i = usize::from(nulls[0]);
                        found = Some((&members[i], index(&child(&node.pointer, key), i)));
                        null_wrapped = true;
                    }
                }
            }
            found
        };
        let Some((member, pointer)) = next else { break };
        if map.get("nullable").and_then(Value::as_bool) == Some(true) {
            null_wrapped = true;
        }
        node = match doc.resolve(member, pointer) {
            Resolved::Found(n) => n,
            Resolved::Unresolved(r) => return Err(r),
        };
    }
    node.via_ref |= via_ref;
    Ok(View { node, null_wrapped })
}

/// Bit set of JSON types; empty means "any".
pub(super) type Types = u8;
const STRING: Types = 1;
const NUMBER: Types = 2;
const INTEGER: Types = 4;
const BOOLEAN: Types = 8;
pub(super) const ARRAY: Types = 16;
pub(super) const OBJECT: Types = 32;
const NAMES: [(Types, &str); 6] = [
    (STRING, "string"),
    (NUMBER, "number"),
    (INTEGER, "integer"),
    (BOOLEAN, "boolean"),
    (ARRAY, "array"),
    (OBJECT, "object"),
];

fn type_bit(name: &str) -> Types {
    NAMES
        .iter()
        .find(|(_, n)| *n == name)
        .map_or(0, |(b, _)| *b)
}

/// The declared (or evident) types of a schema, without `null`.
pub(super) fn types_of(doc: Doc<'_>, value: &Value, depth: usize) -> Types {
    match value.get("type") {
        Some(Value::String(t)) => return type_bit(t),
        Some(Value::Array(ts)) => {
            return ts
                .iter()
                .filter_map(Value::as_str)
                .map(type_bit)
                .fold(0, |a, b| a | b);
        }
        _ => {}
    }
    if value.get("properties").is_some() || value.get("additionalProperties").is_some() {
        return OBJECT;
    }
    if value.get("items").is_some() {
        return ARRAY;
    }
    if let Some(values) = value.get("enum").and_then(Value::as_array) {
        return values
            .iter()
            .map(|v| match v {
                Value::String(_) => STRING,
                Value::Number(n) if n.is_f64() => NUMBER,
                Value::Number(_) => INTEGER,
                Value::Bool(_) => BOOLEAN,
                Value::Array(_) => ARRAY,
                Value::Object(_) => OBJECT,
                Value::Null => 0,
            })
            .fold(0, |a, b| a | b);
    }
    if depth < 8 {
        let mut union = 0;
        let mut all_typed = false;
        for key in ["oneOf", "anyOf"] {
            for m in value
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if is_null_schema(doc, m) {
                    continue;
                }
                let t = doc
                    .resolve_opt(m, String::new())
                    .map_or(0, |n| types_of(doc, n.value, depth + 1));
                if t == 0 {
                    all_typed = false;
                    union = 0;
                    break;
                }
                all_typed = true;
                union |= t;
            }
            if union == 0 && all_typed {
                break;
            }
        }
        if all_typed && union != 0 {
            return union;
        }
    }
    if depth < 8
        && let Some(members) = value.get("allOf").and_then(Value::as_array)
    {
        for (i, m) in members.iter().enumerate() {
            if let Some(n) = doc.resolve_opt(m, index("", i)) {
                let t = types_of(doc, n.value, depth + 1);
                if t != 0 {
                    return t;
                }
            }
        }
    }
    0
}

/// Whether every value of `sub` is a value of `sup` (integers are numbers; empty is "any").
pub(super) fn covers(sup: Types, sub: Types) -> bool {
    if sup == 0 {
        return true;
    }
    if sub == 0 {
        return false;
    }
    let sup = if sup & NUMBER != 0 {
        sup | INTEGER
    } else {
        sup
    };
    sub & !sup == 0
}

pub(super) fn type_names(t: Types) -> String {
    if t == 0 {
        return "any".into();
    }
    NAMES
        .iter()
        .filter(|(b, _)| t & b != 0)
        .map(|(_, n)| *n)
        .collect::<Vec<_>>()
        .join("|")
}

/// Whether a schema admits `null`, in any of the ways 3.0 and 3.1 write it.
pub(super) fn nullable(doc: Doc<'_>, view: &View<'_>) -> bool {
    let v = view.node.value;
    view.null_wrapped
        || v.get("nullable").and_then(Value::as_bool) == Some(true)
        || match v.get("type") {
            Some(Value::Array(ts)) => ts.iter().any(|t| t == "null"),
            Some(Value::String(t)) => t == "null",
            _ => false,
        }
        || v.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.iter().any(Value::is_null))
        || ["oneOf", "anyOf"].iter().any(|k| {
            v.get(*k)
                .and_then(Value::as_array)
                .is_some_and(|ms| ms.iter().any(|m| is_null_schema(doc, m)))
        })
}

/// Describes where a pointer is, for messages: `property `state``, `schema `repo``, ….
pub(super) fn describe(pointer: &str) -> String {
    let toks: Vec<String> = tokens(pointer).map(Into::into).collect();
    if let Some(i) = (1..toks.len()).rev().find(|&i| toks[i - 1] == "properties") {
        let rest = &toks[i + 1..];
        let suffix = if rest.iter().any(|t| t == "items") {
            " (its items)"
        } else if rest.iter().any(|t| t == "additionalProperties") {
            " (its values)"
        } else {
            ""
        };
        return format!("property `{}`{suffix}", toks[i]);
    }
    if toks.len() >= 3 && toks[0] == "components" && toks[1] == "schemas" {
        return format!("schema `{}`", toks[2]);
    }
    if toks.iter().any(|t| t == "parameters") {
        "the parameter".into()
    } else if toks.iter().any(|t| t == "headers") {
        "the header".into()
    } else if toks.iter().any(|t| t == "requestBody") {
        "the request body".into()
    } else if toks.iter().any(|t| t == "responses") {
        "the response body".into()
    } else {
        "the schema".into()
    }
}

/// [`describe`] for a pair of pointers: the new one, unless only the old one names a property.
pub(super) fn describe_pair(old: &str, new: &str) -> String {
    let new_description = describe(new);
    if !new_description.starts_with("property") {
        let old_description = describe(old);
        if old_description.starts_with("property") {
            return old_description;
        }
    }
    new_description
}

pub(super) use crate::report::short_json as show;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_treats_integers_as_numbers_and_empty_as_any() {
        assert!(covers(NUMBER, INTEGER));
        assert!(!covers(INTEGER, NUMBER));
        assert!(covers(0, STRING));
        assert!(!covers(STRING, 0));
        assert!(covers(STRING | OBJECT, OBJECT));
    }

    #[test]
    fn describe_names_the_property() {
        assert_eq!(
            describe("/components/schemas/repo/properties/state"),
            "property `state`"
        );
        assert_eq!(
            describe("/components/schemas/repo/properties/tags/items"),
            "property `tags` (its items)"
        );
        assert_eq!(describe("/components/schemas/repo"), "schema `repo`");
        assert_eq!(
            describe("/paths/~1a/get/parameters/0/schema"),
            "the parameter"
        );
    }
}
