//! Type names. The generator names a component schema after its key and an inline schema after
//! its `title`, so a title can collide with another type's name: GitHub's `simple-commit` and
//! `nullable-simple-commit` are both titled "Simple Commit", and the client then defines
//! `SimpleCommit` twice. Rule `normalize/title`: a schema's title is dropped when its Rust name
//! is also the name of a component schema (other than the one it titles) or the title of
//! another schema; the generator then names the type from its context instead. The title of a
//! nullable component is dropped too: the generator names the component's `Option` wrapper
//! after the key and the type inside after the title, which is usually the same name.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::names;
use crate::codegen::lower::walk;
use crate::codegen::note::Note;
use crate::util::json_pointer::unescape;

/// Applies the rule to `document`; returns the Rust names of the titles that remain.
pub(super) fn titles(document: &mut Value, notes: &mut Vec<Note>) -> BTreeSet<String> {
    let components: BTreeSet<String> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().map(|k| names::pascal(k)).collect())
        .unwrap_or_default();
    // Rust name of each title → pointers of the schemas carrying it.
    let mut carriers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut nullable_roots: BTreeSet<String> = BTreeSet::new();
    // Titled schemas in document order (notes follow it).
    let mut order: Vec<String> = Vec::new();
    walk::schemas(document, &mut |node, at| {
        if let Some(Value::String(title)) = node.get("title") {
            order.push(at.to_string());
            carriers
                .entry(names::pascal(title))
                .or_default()
                .push(at.to_string());
            if own_component(at).is_some() && node.get("nullable") == Some(&Value::Bool(true)) {
                nullable_roots.insert(at.to_string());
            }
        }
    });
    // Pointer → why its title goes.
    let mut drop: BTreeMap<String, &str> = BTreeMap::new();
    for (name, pointers) in &carriers {
        for at in pointers {
            if nullable_roots.contains(at) {
                drop.insert(
                    at.clone(),
                    "the generator would name both the nullable component and the type inside it",
                );
                continue;
            }
            let own = own_component(at).is_some_and(|key| names::pascal(&key) == *name);
            if own {
                continue;
            }
            if components.contains(name) || pointers.len() > 1 {
                drop.insert(at.clone(), "the type name is also used by another schema");
            }
        }
    }
    for at in &order {
        let Some(why) = drop.get(at) else {
            continue;
        };
        if let Some(Value::Object(object)) = document.pointer_mut(at)
            && let Some(Value::String(title)) = object.shift_remove("title")
        {
            notes.push(Note::new(
                "normalize/title",
                at.as_str(),
                format!(
                    "`title: {title}` dropped: {why} (`{}`)",
                    names::pascal(&title)
                ),
            ));
        }
    }
    carriers
        .into_iter()
        .filter(|(_, pointers)| pointers.iter().any(|p| !drop.contains_key(p)))
        .map(|(name, _)| name)
        .collect()
}

/// The component key when `at` is `/components/schemas/<key>` itself.
fn own_component(at: &str) -> Option<String> {
    let key = at.strip_prefix("/components/schemas/")?;
    (!key.contains('/')).then(|| unescape(key).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn colliding_titles_are_dropped() {
        let mut doc = json!({"components": {"schemas": {
            "simple-commit": {"title": "Simple Commit", "type": "object"},
            "nullable-simple-commit": {"title": "Simple Commit", "type": "object", "nullable": true},
            "auto-merge": {"title": "Auto merge", "type": "object", "nullable": true},
            "Repo": {"properties": {
                "a": {"title": "Owner", "type": "object"},
                "b": {"title": "Owner", "type": "object", "properties": {}},
                "c": {"title": "Unique", "type": "string"}
            }}
        }}});
        let mut notes = Vec::new();
        let kept = titles(&mut doc, &mut notes);
        assert_eq!(
            kept.into_iter().collect::<Vec<_>>(),
            ["SimpleCommit", "Unique"]
        );
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["simple-commit"]["title"], "Simple Commit");
        assert!(schemas["nullable-simple-commit"].get("title").is_none());
        assert!(schemas["Repo"]["properties"]["a"].get("title").is_none());
        assert!(schemas["Repo"]["properties"]["b"].get("title").is_none());
        assert_eq!(schemas["Repo"]["properties"]["c"]["title"], "Unique");
        assert!(schemas["auto-merge"].get("title").is_none());
        assert_eq!(notes.len(), 4);
        assert!(notes.iter().all(|n| n.rule == "normalize/title"));
        assert_eq!(
            notes[0].pointer,
            "/components/schemas/nullable-simple-commit"
        );
    }
}
