//! Normalisation for the generator: the rewrites a real-world OpenAPI 3.0 document needs before
//! progenitor can take it (or where progenitor would panic or emit code that does not compile).
//! Every rule is deterministic and reports what it did as a [`Note`] with its rule id and a JSON
//! pointer; an operation is only ever dropped with a note naming it.
//!
//! The rules live next to what they rewrite: `refs.rs` (`normalize/ref-*`), `text.rs`
//! (`normalize/control-characters`, `doc-text`), `schemas.rs` (`normalize/schema-*`, `format`, `pattern`,
//! `exclusive-bound`), `enums.rs` (`normalize/enum-*`), `defaults.rs` (`normalize/default`),
//! `operations.rs` (`normalize/operation-id`), `parameters.rs` (`normalize/parameter-*`,
//! `path-parameter`), `bodies.rs` (`normalize/body-*`, `unsupported-body`) with `multipart.rs`
//! (`normalize/body-multipart`), `all_of.rs` (`normalize/all-of-number`), `responses.rs`
//! (`normalize/response-*`, `default-response`), `components.rs` (`normalize/schema-name`,
//! `nullable-component`), `titles.rs` (`normalize/title`), `typenames.rs`
//! (`normalize/type-name`), `properties.rs` (`normalize/property-name`) and `select.rs`
//! (`normalize/selection`, a contract's `operations`, applied first).
//!
//! [`for_generator`] is the whole preparation: lowering (3.1) then normalisation, on a copy.
//! The fingerprint is always that of the original document.

mod all_of;
mod bodies;
mod components;
mod defaults;
mod enums;
pub mod multipart;
pub mod names;
mod operations;
mod parameters;
pub mod properties;
mod refs;
mod responses;
mod schemas;
mod select;
mod text;
mod titles;
mod typenames;

use serde_json::{Map, Value};

use crate::codegen::lower::{self, walk};
use crate::codegen::note::Note;
use crate::project::selection::Selection;
use crate::spec::SpecVersion;

/// A document ready for the generator, and what was changed to get there.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The OpenAPI 3.0 document to generate from.
    pub document: Value,
    /// Every rewrite, lowering first, in a deterministic order.
    pub notes: Vec<Note>,
    /// The operations whose body the generated method must send as `multipart/form-data`.
    pub multipart: Vec<multipart::MultipartBody>,
    /// The operations whose `text/plain` body the generated method must label with another
    /// media type (operation id, media type).
    pub text_media_types: Vec<(String, String)>,
    /// Property names standing in for colliding ones, to put back in the generated code
    /// ([`properties::restore`]).
    pub placeholders: Vec<properties::Placeholder>,
}

/// Lowers (OpenAPI 3.1) and normalises a copy of `document` for the generator.
pub fn for_generator(document: &Value, version: &SpecVersion) -> Prepared {
    prepare(document.clone(), version, Vec::new())
}

/// [`for_generator`] for a contract that selects operations: the copy is first reduced to
/// the selected operations and the components they reach (`normalize/selection`, the first
/// note), so the other rules only see (and report on) what the client holds. An entry of
/// the selection that selects nothing is an error.
pub fn for_generator_selected(
    document: &Value,
    version: &SpecVersion,
    selection: Option<&Selection>,
) -> Result<Prepared, String> {
    let Some(selection) = selection else {
        return Ok(for_generator(document, version));
    };
    let mut document = document.clone();
    let note = select::select(&mut document, selection)?;
    Ok(prepare(document, version, vec![note]))
}

fn prepare(mut document: Value, version: &SpecVersion, mut notes: Vec<Note>) -> Prepared {
    if let SpecVersion::OpenApi31(_) = version {
        notes.extend(lower::lower(&mut document));
    }
    notes.extend(normalize(&mut document));
    // Last, so that the other rules (and the multipart parts) see the spec's names.
    let placeholders = properties::property_names(&mut document, &mut notes);
    let multipart = multipart::take(&mut document);
    let text_media_types = bodies::take_text_media_types(&mut document);
    Prepared {
        document,
        notes,
        multipart,
        text_media_types,
        placeholders,
    }
}

/// Applies every normalisation rule to an OpenAPI 3.0 `document` in place.
pub fn normalize(document: &mut Value) -> Vec<Note> {
    let mut notes = Vec::new();
    if !document.is_object() {
        return notes;
    }
    refs::references(document, &mut notes);
    text::doc_text(document, &mut notes);

    let mut with_default = Vec::new();
    walk::schemas(document, &mut |node, at| {
        schemas::schema(node, at, &mut notes);
        all_of::numbers(node, at, &mut notes);
        if node.get("default").is_some() {
            with_default.push(at.to_string());
        }
    });
    defaults::defaults(document, with_default, &mut notes);

    components::schema_names(document, &mut notes);
    components::nullable_components(document, &mut notes);

    // The operation rules read components (to follow `$ref`s) and rewrite operations only:
    // components are taken out meanwhile rather than copied.
    let components = match document.get_mut("components") {
        Some(c) => std::mem::take(c),
        None => Value::Null,
    };
    operations::inline_path_parameters(document, &components);
    operations::retain(document, |operation| {
        matches!(
            bodies::request_body(operation, &components, &mut notes),
            bodies::Outcome::Keep
        )
    });
    operations::operation_ids(document, &mut notes);
    let mut created = responses::Created {
        schemas: Vec::new(),
        taken: components
            .get("schemas")
            .and_then(Value::as_object)
            .map(|m| m.keys().map(|k| names::pascal(k)).collect())
            .unwrap_or_default(),
    };
    operations::retain(document, |operation| {
        parameters::parameters(operation, &components, &mut notes);
        responses::responses(operation, &components, &mut created, &mut notes);
        true
    });
    if let Some(slot) = document.get_mut("components") {
        *slot = components;
    }
    add_schemas(document, created.schemas);
    let titles = titles::titles(document, &mut notes);
    typenames::type_names(document, titles, &mut notes);
    notes
}

/// Adds component schemas created by the rules.
fn add_schemas(document: &mut Value, created: Vec<(String, Value)>) {
    if created.is_empty() {
        return;
    }
    let Some(root) = document.as_object_mut() else {
        return;
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(components) = components {
        let schemas = components
            .entry("schemas")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(schemas) = schemas {
            schemas.extend(created);
        }
    }
}

/// `value`, or what its `$ref` names among `components` (`#/components/<kind>/<name>`),
/// following chains of references a bounded number of times.
pub(crate) fn resolve<'a>(value: &'a Value, components: &'a Value) -> &'a Value {
    let mut current = value;
    for _ in 0..16 {
        let Some(Value::String(r)) = current.get("$ref") else {
            return current;
        };
        let Some(pointer) = r.strip_prefix("#/components") else {
            return current;
        };
        match components.pointer(pointer) {
            Some(next) => current = next,
            None => return current,
        }
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolve_follows_component_references() {
        let components =
            json!({"parameters": {"a": {"$ref": "#/components/parameters/b"}, "b": {"name": "b"}}});
        assert_eq!(
            resolve(&json!({"$ref": "#/components/parameters/a"}), &components),
            &json!({"name": "b"})
        );
        let missing = json!({"$ref": "#/components/parameters/zz"});
        assert_eq!(resolve(&missing, &components), &missing);
    }

    #[test]
    fn for_generator_lowers_only_3_1_and_keeps_the_original() {
        let original = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {"responses": {"200": {"description": ""}}}}}
        });
        let prepared = for_generator(&original, &SpecVersion::OpenApi31("3.1.0".into()));
        assert_eq!(original["openapi"], "3.1.0");
        assert_eq!(prepared.document["openapi"], "3.0.3");
        assert_eq!(
            prepared.document["paths"]["/a"]["get"]["operationId"],
            "get_a"
        );
        let rules: Vec<&str> = prepared.notes.iter().map(|n| n.rule).collect();
        assert_eq!(rules, ["lower/version", "normalize/operation-id"]);

        let as_30 = for_generator(&original, &SpecVersion::OpenApi30("3.0.3".into()));
        assert_eq!(as_30.document["openapi"], "3.1.0");
    }
}
