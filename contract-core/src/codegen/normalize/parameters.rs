//! Parameters the generator cannot take as written. A parameter given by `$ref` is replaced by
//! a copy when one of these rules changes it (the shared component stays as it was):
//!
//! - `normalize/parameter-location`: cookie parameters and unknown locations are dropped;
//! - `normalize/parameter-schema`: `content` instead of `schema` → the content's schema; no
//!   schema at all → a string;
//! - `normalize/parameter-style`: styles other than `simple` (path, header) and `form` (query)
//!   → those;
//! - `normalize/path-parameter`: path parameters are required; one missing from the path
//!   template is dropped, a template variable without a parameter gets a string parameter;
//! - `normalize/parameter-name`: parameters whose Rust names collide (`maxResults` and
//!   `MaxResults`, or a repeated name) → the first is kept, the others are dropped.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::operations::Operation;
use super::{names, resolve};
use crate::codegen::note::Note;
use crate::util::json_pointer::child;

/// Applies the parameter rules to one operation.
pub(super) fn parameters(operation: &mut Operation<'_>, components: &Value, notes: &mut Vec<Note>) {
    let list = match operation.object.get("parameters") {
        Some(Value::Array(list)) => list.clone(),
        Some(_) => Vec::new(),
        None if template_names(operation.path).is_empty() => return,
        None => Vec::new(),
    };
    let at_list = child(&operation.at, "parameters");
    let template = template_names(operation.path);
    let mut out: Vec<Value> = Vec::new();
    // Rust names in use (the request body is always `body`).
    let mut rust_names: BTreeSet<String> = BTreeSet::new();
    if operation.object.contains_key("requestBody") {
        rust_names.insert("body".into());
    }
    let mut declared_path: BTreeSet<String> = BTreeSet::new();
    for (i, original) in list.into_iter().enumerate() {
        let at = child(&at_list, &i.to_string());
        let mut parameter = resolve(&original, components).clone();
        let field = |key: &str| {
            parameter
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let (name, location) = (field("name"), field("in"));
        if let Some((rule, message)) =
            dropped(&name, &location, &template, operation.path, &mut rust_names)
        {
            notes.push(Note::new(rule, at, message));
            continue;
        }
        if location == "path" {
            declared_path.insert(name.clone());
        }
        let before = parameter.clone();
        repair(&mut parameter, &name, &location, &at, notes);
        out.push(if parameter == before {
            original
        } else {
            parameter
        });
    }
    for name in template
        .iter()
        .filter(|name| !declared_path.contains(*name))
    {
        notes.push(Note::new(
            "normalize/path-parameter",
            &at_list,
            format!(
                "`{{{name}}}` in `{}` has no parameter; a required string parameter was added",
                operation.path
            ),
        ));
        out.push(
            json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
        );
    }
    operation
        .object
        .insert("parameters".into(), Value::Array(out));
}

/// Rules `normalize/parameter-schema`, `normalize/parameter-style`, and a path parameter's
/// `required: true`, for a parameter that is kept.
fn repair(parameter: &mut Value, name: &str, location: &str, at: &str, notes: &mut Vec<Note>) {
    schema(parameter, name, at, notes);
    style(parameter, name, location, at, notes);
    if location == "path" && parameter.get("required") != Some(&Value::Bool(true)) {
        parameter["required"] = Value::Bool(true);
        notes.push(Note::new(
            "normalize/path-parameter",
            at,
            format!("path parameter `{name}` marked `required: true` (path parameters always are)"),
        ));
    }
}

/// Why the parameter `name` in `location` is dropped, as `(rule, message)`: a location the
/// generator cannot send, a path parameter `path` does not use, or a Rust name already in
/// `rust_names` (else its Rust name is added there).
fn dropped(
    name: &str,
    location: &str,
    template: &[String],
    path: &str,
    rust_names: &mut BTreeSet<String>,
) -> Option<(&'static str, String)> {
    match location {
        "path" | "query" | "header" => {}
        "cookie" => {
            return Some((
                "normalize/parameter-location",
                format!("cookie parameter `{name}` dropped (the generator cannot send cookies)"),
            ));
        }
        other => {
            return Some((
                "normalize/parameter-location",
                format!(
                    "parameter `{name}` with `in: {other}` dropped (not an OpenAPI 3 location)"
                ),
            ));
        }
    }
    if location == "path" && !template.iter().any(|t| t == name) {
        return Some((
            "normalize/path-parameter",
            format!("path parameter `{name}` dropped: `{path}` has no `{{{name}}}`"),
        ));
    }
    let rust = names::snake(name);
    if !rust_names.insert(rust.clone()) {
        return Some((
            "normalize/parameter-name",
            format!(
                "{location} parameter `{name}` dropped: its Rust name `{rust}` is taken by an earlier parameter or the body"
            ),
        ));
    }
    None
}

/// `{name}` variables of a path template, in order.
pub(super) fn template_names(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        if !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
        rest = &rest[start + len + 1..];
    }
    out
}

fn schema(parameter: &mut Value, name: &str, at: &str, notes: &mut Vec<Note>) {
    if parameter.get("schema").is_some() {
        if let Some(object) = parameter.as_object_mut()
            && object.shift_remove("content").is_some()
        {
            notes.push(Note::new(
                "normalize/parameter-schema",
                at,
                format!("parameter `{name}` has both `schema` and `content`; `content` dropped"),
            ));
        }
        return;
    }
    let from_content = parameter
        .get("content")
        .and_then(Value::as_object)
        .and_then(|c| c.values().next())
        .and_then(|m| m.get("schema"))
        .cloned();
    let message = match &from_content {
        Some(_) => {
            format!("parameter `{name}` described by `content`: its schema is used directly")
        }
        None => format!("parameter `{name}` has no schema; it is sent as a string"),
    };
    if let Some(object) = parameter.as_object_mut() {
        object.shift_remove("content");
        object.insert(
            "schema".into(),
            from_content.unwrap_or_else(|| json!({"type": "string"})),
        );
    }
    notes.push(Note::new("normalize/parameter-schema", at, message));
}

fn style(parameter: &mut Value, name: &str, location: &str, at: &str, notes: &mut Vec<Note>) {
    let expected = if location == "query" {
        "form"
    } else {
        "simple"
    };
    let Some(Value::String(style)) = parameter.get("style") else {
        return;
    };
    if style == expected {
        return;
    }
    let style = style.clone();
    notes.push(Note::new(
        "normalize/parameter-style",
        at,
        format!(
            "{location} parameter `{name}` with `style: {style}` is sent with `style: {expected}`"
        ),
    ));
    parameter["style"] = Value::String(expected.into());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    fn run(path: &str, operation: Value, components: Value) -> (Value, Vec<Note>) {
        let Value::Object(mut object) = operation else {
            panic!()
        };
        let mut notes = Vec::new();
        let mut operation = Operation {
            path,
            method: "get",
            at: "/op".into(),
            object: &mut object,
        };
        parameters(&mut operation, &components, &mut notes);
        (Value::Object(object), notes)
    }

    fn rules(notes: &[Note]) -> Vec<&str> {
        notes.iter().map(|n| n.rule).collect()
    }

    #[test]
    fn template_variables() {
        assert_eq!(template_names("/a/{x}/b/{y}.{x}"), ["x", "y"]);
        assert!(template_names("/a").is_empty());
    }

    #[test]
    fn cookies_and_bad_locations_are_dropped() {
        let (operation, notes) = run(
            "/a",
            json!({"parameters": [{"name": "s", "in": "cookie"}, {"name": "b", "in": "body"}, {"name": "q", "in": "query", "schema": {}}]}),
            json!({}),
        );
        assert_eq!(
            operation,
            json!({"parameters": [{"name": "q", "in": "query", "schema": {}}]})
        );
        assert_eq!(rules(&notes), ["normalize/parameter-location"; 2]);
    }

    #[test]
    fn path_parameters_are_required_and_match_the_template() {
        let (operation, notes) = run(
            "/a/{id}/{other}",
            json!({"parameters": [
                {"$ref": "#/components/parameters/id"},
                {"name": "gone", "in": "path", "required": true, "schema": {}}
            ]}),
            json!({"parameters": {"id": {"name": "id", "in": "path", "schema": {"type": "integer"}}}}),
        );
        assert_eq!(
            operation,
            json!({"parameters": [
                {"name": "id", "in": "path", "schema": {"type": "integer"}, "required": true},
                {"name": "other", "in": "path", "required": true, "schema": {"type": "string"}}
            ]})
        );
        assert_eq!(rules(&notes), ["normalize/path-parameter"; 3]);
    }

    #[test]
    fn names_colliding_in_rust_keep_the_first() {
        let (operation, notes) = run(
            "/a",
            json!({"parameters": [
                {"name": "maxResults", "in": "query", "schema": {}},
                {"name": "MaxResults", "in": "query", "schema": {}},
                {"name": "body", "in": "query", "schema": {}}
            ], "requestBody": {}}),
            json!({}),
        );
        assert_eq!(
            operation["parameters"],
            json!([{"name": "maxResults", "in": "query", "schema": {}}])
        );
        assert_eq!(rules(&notes), ["normalize/parameter-name"; 2]);
        assert!(notes[0].message.contains("`max_results`"), "{}", notes[0]);
    }

    #[test]
    fn schema_and_style() {
        let (operation, notes) = run(
            "/a",
            json!({"parameters": [
                {"name": "f", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}},
                {"name": "n", "in": "header"},
                {"name": "d", "in": "query", "style": "deepObject", "schema": {}},
                {"name": "ok", "in": "query", "style": "form", "schema": {}}
            ]}),
            json!({}),
        );
        assert_eq!(
            operation["parameters"],
            json!([
                {"name": "f", "in": "query", "schema": {"type": "object"}},
                {"name": "n", "in": "header", "schema": {"type": "string"}},
                {"name": "d", "in": "query", "style": "form", "schema": {}},
                {"name": "ok", "in": "query", "style": "form", "schema": {}}
            ])
        );
        assert_eq!(
            rules(&notes),
            [
                "normalize/parameter-schema",
                "normalize/parameter-schema",
                "normalize/parameter-style"
            ]
        );
    }

    #[test]
    fn untouched_references_stay_references() {
        let input = json!({"parameters": [{"$ref": "#/components/parameters/q"}]});
        let (operation, notes) = run(
            "/a",
            input.clone(),
            json!({"parameters": {"q": {"name": "q", "in": "query", "schema": {}}}}),
        );
        assert_eq!((operation, notes.len()), (input, 0));
        let _ = Map::new();
    }
}
