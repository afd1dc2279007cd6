//! Documentation changes (`description-changed`): descriptions, summaries and titles become
//! the generated client's doc comments, so a change to them changes generated code even when
//! nothing else changes. They are reported at `info`, one finding per operation, path item,
//! named component or other top-level section (`info`, `tags`), naming the texts that changed.
//!
//! The same fields as the generator's `normalize/doc-text` rule are read, by plain tree walk
//! (no `$ref` is followed: a shared component's text is reported once, on the component);
//! extensions (`x-…`) and example, default and enum values are not documentation.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Change;
use super::rules::Rule;
use crate::spec::METHODS;
use crate::util::json_pointer::{child, tokens};

const DOC_FIELDS: [&str; 3] = ["description", "summary", "title"];
const NOT_DOCS: [&str; 4] = ["example", "examples", "default", "enum"];

/// How many changed texts a message names before it says "and N more".
const NAMED: usize = 3;

/// Texts by section pointer, then by pointer relative to the section.
type Texts<'a> = BTreeMap<String, BTreeMap<String, &'a str>>;

/// One `description-changed` change per section whose texts differ, for sections present in
/// both documents.
pub(super) fn changes(old: &Value, new: &Value) -> Vec<Change> {
    let (old_texts, new_texts) = std::thread::scope(|scope| {
        let old_texts = scope.spawn(|| texts(old));
        let new_texts = texts(new);
        (old_texts.join().unwrap_or_default(), new_texts)
    });
    let empty = BTreeMap::new();
    let mut sections: Vec<&String> = old_texts.keys().chain(new_texts.keys()).collect();
    // In the order the rest of the diff walks the document.
    let rank = |s: &str| match s.split('/').nth(1) {
        Some("paths") => 1,
        Some("webhooks") => 2,
        Some("components") => 3,
        _ => 0,
    };
    sections.sort_by(|a, b| (rank(a), a).cmp(&(rank(b), b)));
    sections.dedup();
    let mut out = Vec::new();
    for section in sections {
        if old.pointer(section).is_none() || new.pointer(section).is_none() {
            continue;
        }
        let old_section = old_texts.get(section).unwrap_or(&empty);
        let new_section = new_texts.get(section).unwrap_or(&empty);
        let mut changed: Vec<&str> = old_section
            .keys()
            .chain(new_section.keys())
            .filter(|k| old_section.get(*k) != new_section.get(*k))
            .map(String::as_str)
            .collect();
        changed.sort_unstable();
        changed.dedup();
        if !changed.is_empty() {
            out.push(change(section, new, &changed));
        }
    }
    out
}

fn change(section: &str, new: &Value, changed: &[&str]) -> Change {
    let tokens: Vec<String> = tokens(section).map(Into::into).collect();
    let operation = match tokens.as_slice() {
        [paths, path, method] if paths == "paths" => {
            Some(format!("{} {path}", method.to_ascii_uppercase()))
        }
        _ => None,
    };
    let what = match (tokens.as_slice(), &operation) {
        (_, Some(endpoint)) => format!("operation `{endpoint}`"),
        ([paths, path], _) if paths == "paths" => format!("path `{path}`"),
        ([components, kind, name], _) if components == "components" => {
            format!("{} `{name}`", component_kind(kind))
        }
        _ => format!("`{}`", tokens.join(".")),
    };
    let mut named: Vec<String> = changed
        .iter()
        .take(NAMED)
        .map(|p| format!("`{}`", p.trim_start_matches('/')))
        .collect();
    if changed.len() > NAMED {
        named.push(format!("and {} more", changed.len() - NAMED));
    }
    Change {
        rule: Rule::DescriptionChanged,
        old_pointer: Some(section.to_string()),
        new_pointer: Some(section.to_string()),
        operation_id: operation.as_ref().and_then(|_| {
            new.pointer(section)?
                .get("operationId")?
                .as_str()
                .map(str::to_string)
        }),
        affects: operation.iter().cloned().collect(),
        affects_cut: false,
        operation,
        message: format!(
            "documentation of {what} changed ({} text(s)): {}",
            changed.len(),
            named.join(", ")
        ),
    }
}

fn component_kind(kind: &str) -> &str {
    match kind {
        "schemas" => "schema",
        "parameters" => "parameter",
        "responses" => "response",
        "requestBodies" => "request body",
        "headers" => "header",
        "securitySchemes" => "security scheme",
        "examples" => "example",
        "links" => "link",
        "callbacks" => "callback",
        "pathItems" => "path item",
        other => other,
    }
}

/// Every documentation text of `root`, grouped by section.
fn texts(root: &Value) -> Texts<'_> {
    let mut out = Texts::new();
    let mut at = Vec::new();
    visit(root, &mut at, &mut out);
    out
}

fn visit<'a>(value: &'a Value, at: &mut Vec<String>, out: &mut Texts<'a>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key.starts_with("x-") || NOT_DOCS.contains(&key.as_str()) {
                    continue;
                }
                at.push(key.clone());
                match v {
                    Value::String(text) if DOC_FIELDS.contains(&key.as_str()) => {
                        let (section, rest) = split(at);
                        let rel = rest.iter().fold(String::new(), |p, t| child(&p, t));
                        out.entry(section).or_default().insert(rel, text);
                    }
                    _ => visit(v, at, out),
                }
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(i.to_string());
                visit(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// The section pointer of a text's path, and the rest of the path.
fn split(at: &[String]) -> (String, &[String]) {
    let depth = match at {
        [paths, _, method, _, ..] if paths == "paths" && METHODS.contains(&method.as_str()) => 3,
        [paths, _, _, ..] if paths == "paths" => 2,
        [root, _, _, _, ..] if root == "components" => 3,
        [_, _, ..] => 1,
        _ => 0,
    };
    let section = at[..depth].iter().fold(String::new(), |p, t| child(&p, t));
    (section, &at[depth..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(op_description: &str, schema_title: &str, info: &str) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1", "description": info},
            "paths": {"/pets": {"get": {
                "operationId": "listPets",
                "description": op_description,
                "responses": {"200": {"description": op_description}}
            }}},
            "components": {"schemas": {"Pet": {"title": schema_title, "type": "object",
                "properties": {"description": {"type": "string", "description": "d"}}}}}
        })
    }

    #[test]
    fn one_finding_per_section_naming_the_texts() {
        let old = spec("a", "Pet", "i");
        let new = spec("b", "A pet", "j");
        let found = changes(&old, &new);
        let messages: Vec<&str> = found.iter().map(|c| c.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "documentation of `info` changed (1 text(s)): `description`",
                "documentation of operation `GET /pets` changed (2 text(s)): `description`, `responses/200/description`",
                "documentation of schema `Pet` changed (1 text(s)): `title`",
            ]
        );
        assert_eq!(found[1].operation_id.as_deref(), Some("listPets"));
        assert_eq!(found[1].new_pointer.as_deref(), Some("/paths/~1pets/get"));
        assert!(found.iter().all(|c| c.rule == Rule::DescriptionChanged));
        assert!(changes(&old, &old).is_empty());
    }

    #[test]
    fn sections_missing_on_one_side_and_examples_are_not_documentation_changes() {
        let old = json!({"paths": {"/a": {"get": {"description": "x"}}}, "components": {"schemas": {"S": {"example": {"description": "e"}}}}});
        let new = json!({"paths": {}, "components": {"schemas": {"S": {"example": {"description": "f"}}}}});
        assert!(changes(&old, &new).is_empty());
    }
}
