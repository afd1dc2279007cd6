//! Rule `normalize/property-name`: properties of one object whose Rust field names collide
//! (`created-at` and `created_at`, `foo` and `Foo`) would give a struct that does not compile.
//! The property whose name already is its field name (else the first) keeps it; each other one
//! is renamed, in the generator's copy only, to a *placeholder*: its name, [`MARKER`] and a
//! number (`created-at⁣2`), which the generator turns into a free field name (`created_at_2`)
//! with `#[serde(rename = "created-at⁣2")]`. [`restore`] then puts the JSON name back in every
//! string of the generated code, so the field reads and writes `created-at` as the spec says.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream, TokenTree};
use serde_json::{Map, Value};

use super::names;
use crate::codegen::lower::walk;
use crate::codegen::note::Note;
use crate::util::json_pointer::child;

/// INVISIBLE SEPARATOR: not a Rust identifier character, so the generator spells it `_`, and
/// not found in real names (a spec that uses it in a property name gets no placeholders).
pub const MARKER: char = '\u{2063}';

/// A placeholder and the property name it stands for.
pub type Placeholder = (String, String);

/// Renames colliding properties throughout `document`, returning the placeholders.
pub(super) fn property_names(document: &mut Value, notes: &mut Vec<Note>) -> Vec<Placeholder> {
    let mut marked = false;
    walk::schemas(document, &mut |schema, _| {
        if let Some(Value::Object(properties)) = schema.get("properties") {
            marked |= properties.keys().any(|k| k.contains(MARKER));
        }
    });
    if marked {
        return Vec::new();
    }
    let mut placeholders = Vec::new();
    walk::schemas(document, &mut |schema, at| {
        placeholders.extend(rename_colliding(schema, at, notes));
    });
    placeholders
}

fn rename_colliding(schema: &mut Value, at: &str, notes: &mut Vec<Note>) -> Vec<Placeholder> {
    let Some(Value::Object(properties)) = schema.get("properties") else {
        return Vec::new();
    };
    let renames = placeholders_for(properties);
    if renames.is_empty() {
        return Vec::new();
    }
    let properties = std::mem::take(
        schema
            .get_mut("properties")
            .and_then(Value::as_object_mut)
            .expect("checked above"),
    );
    let renamed: Map<String, Value> = properties
        .into_iter()
        .map(
            |(name, property)| match renames.iter().find(|(_, n)| *n == name) {
                Some((placeholder, _)) => (placeholder.clone(), property),
                None => (name, property),
            },
        )
        .collect();
    schema["properties"] = Value::Object(renamed);
    if let Some(Value::Array(required)) = schema.get_mut("required") {
        for entry in required.iter_mut() {
            if let Some((placeholder, _)) = renames.iter().find(|(_, n)| entry == n) {
                *entry = Value::String(placeholder.clone());
            }
        }
    }
    for (placeholder, name) in &renames {
        notes.push(Note::new(
            "normalize/property-name",
            child(&child(at, "properties"), name),
            format!(
                "property `{name}` would get the Rust field name of another property: it is the field `{}` (its JSON name unchanged)",
                names::snake(placeholder)
            ),
        ));
    }
    renames
}

/// `(placeholder, name)` for each property that must give up its field name.
fn placeholders_for(properties: &Map<String, Value>) -> Vec<Placeholder> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut owners: Vec<&str> = Vec::new();
    // Names that already are their field name keep it first, then the others in order.
    let exact = properties.keys().filter(|k| names::snake(k) == **k);
    let inexact = properties.keys().filter(|k| names::snake(k) != **k);
    let mut losers = Vec::new();
    for name in exact.chain(inexact) {
        if taken.insert(names::snake(name)) {
            owners.push(name);
        } else {
            losers.push(name.as_str());
        }
    }
    let mut placeholders = Vec::new();
    for name in properties.keys().filter(|k| losers.contains(&k.as_str())) {
        let placeholder = (2..)
            .map(|n| format!("{name}{MARKER}{n}"))
            .find(|p| !taken.contains(&names::snake(p)))
            .expect("a free field name");
        taken.insert(names::snake(&placeholder));
        placeholders.push((placeholder, name.clone()));
    }
    placeholders
}

/// Puts every property name back where the generated code spells its placeholder (serde
/// renames, builder messages, documentation).
pub fn restore(tokens: TokenStream, placeholders: &[Placeholder]) -> TokenStream {
    if placeholders.is_empty() {
        return tokens;
    }
    tokens
        .into_iter()
        .map(|token| match token {
            TokenTree::Group(group) => {
                let mut restored = proc_macro2::Group::new(
                    group.delimiter(),
                    restore(group.stream(), placeholders),
                );
                restored.set_span(group.span());
                TokenTree::Group(restored)
            }
            TokenTree::Literal(literal) => {
                TokenTree::Literal(restore_literal(literal, placeholders))
            }
            other => other,
        })
        .collect()
}

fn restore_literal(literal: Literal, placeholders: &[Placeholder]) -> Literal {
    let text = literal.to_string();
    // Only string literals can hold a placeholder; the marker is written raw or escaped.
    if !text.starts_with('"') || !(text.contains(MARKER) || text.contains("\\u{2063}")) {
        return literal;
    }
    let Ok(string) = syn::parse_str::<syn::LitStr>(&text) else {
        return literal;
    };
    let mut value = string.value();
    for (placeholder, name) in placeholders {
        value = value.replace(placeholder.as_str(), name);
    }
    let mut restored = Literal::string(&value);
    restored.set_span(literal.span());
    restored
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;
    use serde_json::json;

    #[test]
    fn the_exact_name_keeps_its_field_and_the_others_get_placeholders() {
        let mut document = json!({"components": {"schemas": {"Event": {
            "type": "object",
            "required": ["created-at"],
            "properties": {
                "created-at": {"type": "string"},
                "created_at": {"type": "string"},
                "Foo": {"type": "integer"},
                "foo": {"type": "integer"},
                "other": {"type": "integer"}
            }
        }}}});
        let mut notes = Vec::new();
        let placeholders = property_names(&mut document, &mut notes);
        assert_eq!(
            placeholders,
            [
                ("created-at\u{2063}2".to_string(), "created-at".to_string()),
                ("Foo\u{2063}2".to_string(), "Foo".to_string())
            ]
        );
        let event = &document["components"]["schemas"]["Event"];
        let keys: Vec<&String> = event["properties"].as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "created-at\u{2063}2",
                "created_at",
                "Foo\u{2063}2",
                "foo",
                "other"
            ]
        );
        assert_eq!(event["required"], json!(["created-at\u{2063}2"]));
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[0].rule, "normalize/property-name");
        assert_eq!(
            notes[0].pointer,
            "/components/schemas/Event/properties/created-at"
        );
        assert!(
            notes[0].message.contains("the field `created_at_2`"),
            "{}",
            notes[0]
        );
        assert_eq!(names::snake("Foo\u{2063}2"), "foo_2");
    }

    #[test]
    fn a_spec_using_the_marker_gets_no_placeholders() {
        let mut document = json!({"components": {"schemas": {"A": {"properties": {
            "a\u{2063}2": {}, "a": {}, "A": {}
        }}}}});
        assert!(property_names(&mut document, &mut Vec::new()).is_empty());
    }

    #[test]
    fn restore_puts_names_back_in_every_string_literal() {
        let placeholders = [("created-at\u{2063}2".to_string(), "created-at".to_string())];
        let placeholder = "created-at\u{2063}2";
        let message = format!("no value supplied for {placeholder}");
        let tokens = quote! {
            #[serde(rename = #placeholder)]
            pub created_at_2: String,
            fn f() { let _ = (#message, 1, "created_at"); }
        };
        let restored = restore(tokens, &placeholders).to_string();
        assert!(restored.contains("rename = \"created-at\""), "{restored}");
        assert!(
            restored.contains("\"no value supplied for created-at\""),
            "{restored}"
        );
        assert!(restored.contains("created_at_2"), "{restored}");
        assert!(
            !restored.contains("2063") && !restored.contains(MARKER),
            "{restored}"
        );
    }
}
