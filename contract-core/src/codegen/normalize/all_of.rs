//! `normalize/all-of-number`: one value declared `integer` by one member of an `allOf` and
//! `number` by another (GitHub's webhooks declare `after_id` and `run_id` so). The generator
//! merges the two into a schema no value satisfies: a nullable property becomes `()`, an
//! optional one is left out of the struct, a required one makes the whole type an enum
//! without variants (GitHub's `workflow_job`). Every integer is a number, so a value that
//! satisfies both is an integer: the `number` declarations are written as `integer`, which the
//! `allOf` meant all along (lossless).
//!
//! The declarations compared are the schema beside the `allOf` and its inline members, and
//! below them the properties they declare under one name, member by member. A member that is a
//! `$ref` is a component's, used elsewhere too, and is left as it is (no corpus spec needs it).

use serde_json::Value;

use crate::codegen::note::Note;
use crate::util::json_pointer::escape;

/// How deep below the `allOf` properties are compared (documents nest at most 256).
const MAX_DEPTH: usize = 64;

/// Applies the rule to one schema node at `at`.
pub(super) fn numbers(node: &mut Value, at: &str, notes: &mut Vec<Note>) {
    let Some(members) = node.get("allOf").and_then(Value::as_array) else {
        return;
    };
    let mut declarations = vec![(String::new(), &*node)];
    for (i, member) in members.iter().enumerate() {
        if member.is_object() && member.get("$ref").is_none() {
            declarations.push((format!("/allOf/{i}"), member));
        }
    }
    let mut numbers = Vec::new();
    find(&declarations, 0, &mut numbers);
    for pointer in numbers {
        if let Some(Value::Object(schema)) = node.pointer_mut(&pointer) {
            schema.insert("type".into(), "integer".into());
            notes.push(Note::new(
                "normalize/all-of-number",
                format!("{at}{pointer}"),
                "`type: number` written as `type: integer`: another member of the `allOf` \
                 declares it `integer`, and a value satisfies both only as an integer",
            ));
        }
    }
}

/// The declarations of one value (pointer relative to the `allOf` node, schema): pushes onto
/// `out` the `number` ones when another says `integer` and none says anything else, then does
/// the same for each property more than one of them declares.
fn find(declarations: &[(String, &Value)], depth: usize, out: &mut Vec<String>) {
    if depth > MAX_DEPTH {
        return;
    }
    let types: Vec<Option<&str>> = declarations
        .iter()
        .map(|(_, schema)| schema.get("type").and_then(Value::as_str))
        .collect();
    let numeric = |t: &&str| *t == "integer" || *t == "number";
    let declared: Vec<&str> = types.iter().flatten().copied().collect();
    if declared.contains(&"integer") && declared.contains(&"number") && declared.iter().all(numeric)
    {
        for ((pointer, _), t) in declarations.iter().zip(&types) {
            if *t == Some("number") {
                out.push(pointer.clone());
            }
        }
    }
    let mut by_name: Vec<(&str, Vec<(String, &Value)>)> = Vec::new();
    for (pointer, schema) in declarations {
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for (name, property) in properties.iter().filter(|(_, p)| is_inline(p)) {
            let at = format!("{pointer}/properties/{}", escape(name));
            match by_name.iter_mut().find(|(n, _)| n == name) {
                Some((_, list)) => list.push((at, property)),
                None => by_name.push((name, vec![(at, property)])),
            }
        }
    }
    for (_, group) in by_name.iter().filter(|(_, g)| g.len() > 1) {
        find(group, depth + 1, out);
    }
}

fn is_inline(schema: &Value) -> bool {
    schema.as_object().is_some_and(|s| !s.contains_key("$ref"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_number_declared_integer_by_another_member_is_written_as_integer() {
        let mut node = json!({"allOf": [
            {"type": "object", "properties": {
                "after_id": {"type": "integer", "nullable": true},
                "creator": {"type": "object", "properties": {"id": {"type": "integer"}}},
                "size": {"type": "number"}
            }},
            {"$ref": "#/components/schemas/Other"},
            {"type": "object", "properties": {
                "after_id": {"type": "number", "nullable": true},
                "creator": {"type": "object", "properties": {"id": {"type": "number"}}},
                "size": {"type": "number"},
                "name": {"type": "string"}
            }}
        ]});
        let mut notes = Vec::new();
        numbers(&mut node, "/components/schemas/Card", &mut notes);
        let second = &node["allOf"][2]["properties"];
        assert_eq!(
            second["after_id"],
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(second["creator"]["properties"]["id"]["type"], "integer");
        assert_eq!(second["size"]["type"], "number", "no member says integer");
        let pointers: Vec<&str> = notes.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/Card/allOf/2/properties/after_id",
                "/components/schemas/Card/allOf/2/properties/creator/properties/id",
            ]
        );
    }

    #[test]
    fn other_types_and_referenced_members_are_left_as_they_are() {
        let original = json!({"type": "number", "allOf": [
            {"properties": {"a": {"type": "string"}}},
            {"properties": {"a": {"type": "integer"}}},
            {"$ref": "#/components/schemas/Int"}
        ]});
        let mut node = original.clone();
        let mut notes = Vec::new();
        numbers(&mut node, "", &mut notes);
        assert_eq!(node, original);
        assert!(notes.is_empty());

        let mut beside = json!({"type": "number", "allOf": [{"type": "integer"}]});
        numbers(&mut beside, "/s", &mut notes);
        assert_eq!(beside["type"], "integer");
        assert_eq!(notes[0].pointer, "/s");
    }
}
