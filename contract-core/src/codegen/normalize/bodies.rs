//! Request bodies. The generator sends exactly one media type per operation, and only JSON,
//! `application/x-www-form-urlencoded`, `application/octet-stream` (bytes) and `text/plain`
//! (a string):
//!
//! - `normalize/body-media-types`: several media types → the first JSON one, else form, else
//!   bytes, else text, else the first; the others are listed as dropped;
//! - `normalize/body-json`: a JSON media type spelled otherwise (`application/merge-patch+json`,
//!   `text/json`, `application/*+json`) → `application/json`;
//! - `normalize/body-bytes`: `*/*` and `application/*` → `application/octet-stream`; a bytes
//!   or text body's schema → the plain binary or string schema the generator expects;
//! - `normalize/body-schema`: a JSON body without a schema → any JSON value; `encoding` dropped;
//! - `normalize/body-multipart`: a `multipart/form-data` body of named properties → generated
//!   as a JSON body of the same struct, marked to be sent as multipart parts (see
//!   [`multipart`](super::multipart));
//! - `normalize/body-text`: XML and other `text/*` bodies → the caller's string, generated as
//!   `text/plain` and relabelled with the body's own media type (its schema is not checked);
//! - `normalize/unsupported-body`: any other media type (`image/png`, …) or a multipart body without
//!   default part encodings → the **operation is dropped**, with a note naming it, since its
//!   request cannot be sent.

use serde_json::{Value, json};

use super::operations::Operation;
use super::resolve;
use crate::codegen::note::Note;
use crate::spec::media_type_essence;
use crate::util::json_pointer::child;

/// What happened to an operation's request body.
pub(super) enum Outcome {
    /// Generate the operation.
    Keep,
    /// Drop the operation (the note says why).
    Drop,
}

/// Applies the request body rules to one operation.
pub(super) fn request_body(
    operation: &mut Operation<'_>,
    components: &Value,
    notes: &mut Vec<Note>,
) -> Outcome {
    let Some(original) = operation.object.get("requestBody") else {
        return Outcome::Keep;
    };
    let at = child(&operation.at, "requestBody");
    let mut body = resolve(original, components).clone();
    let before = body.clone();
    let Some(content) = body.get_mut("content").and_then(Value::as_object_mut) else {
        operation.object.shift_remove("requestBody");
        return Outcome::Keep;
    };
    if content.is_empty() {
        operation.object.shift_remove("requestBody");
        return Outcome::Keep;
    }
    let at_content = child(&at, "content");
    let chosen = content
        .keys()
        .min_by_key(|k| preference(k))
        .cloned()
        .expect("not empty");
    if content.len() > 1 {
        let dropped: Vec<String> = content
            .keys()
            .filter(|k| **k != chosen)
            .map(|k| format!("`{k}`"))
            .collect();
        notes.push(Note::new(
            "normalize/body-media-types",
            &at_content,
            format!(
                "the request body is sent as `{chosen}`; {} dropped (the generator sends one media type)",
                dropped.join(", ")
            ),
        ));
        content.retain(|k, _| *k == chosen);
    }
    let mut media = content.shift_remove(&chosen).unwrap_or_else(|| json!({}));
    let at_media = child(&at_content, &chosen);
    let essence = media_type_essence(&chosen);
    let target = match Kind::of(&essence) {
        Kind::Json if essence == "application/json" => chosen.clone(),
        Kind::Json => {
            notes.push(Note::new(
                "normalize/body-json",
                &at_media,
                format!("the JSON request body `{chosen}` is sent labelled `application/json`"),
            ));
            "application/json".into()
        }
        Kind::Form => chosen.clone(),
        Kind::Bytes if essence == "application/octet-stream" => chosen.clone(),
        Kind::Bytes => {
            notes.push(Note::new(
                "normalize/body-bytes",
                &at_media,
                format!("the `{chosen}` request body is sent as bytes labelled `application/octet-stream`"),
            ));
            "application/octet-stream".into()
        }
        Kind::Text => chosen.clone(),
        Kind::Multipart => return multipart(operation, body, &chosen, &media, components, notes),
        Kind::OtherText => return other_text(operation, body, &chosen, notes),
        Kind::Unsupported => {
            return drop_operation(operation, &chosen, "the generator cannot send it", notes);
        }
    };
    let kind = Kind::of(&media_type_essence(&target));
    let schema = components_schema(&media, components);
    fix_schema(&mut media, kind, &schema, &at_media, notes);
    content.insert(target, media);
    if body != before {
        operation.object.insert("requestBody".into(), body);
    }
    Outcome::Keep
}

/// A `multipart/form-data` body: generated as a JSON body of the same struct, the operation
/// marked with its parts (`normalize/body-multipart`), or left out.
fn multipart(
    operation: &mut Operation<'_>,
    mut body: Value,
    chosen: &str,
    media: &Value,
    components: &Value,
    notes: &mut Vec<Note>,
) -> Outcome {
    let (schema, parts) = match super::multipart::lower(media, components) {
        Ok(lowered) => lowered,
        Err(reason) => return drop_operation(operation, chosen, &reason, notes),
    };
    notes.push(Note::new(
        "normalize/body-multipart",
        media_pointer(operation, chosen),
        format!(
            "the `{chosen}` request body is generated as a struct and sent as {} part(s)",
            parts.len()
        ),
    ));
    operation.object.insert(
        super::multipart::EXTENSION.into(),
        super::multipart::extension(&parts),
    );
    body["content"] = json!({"application/json": {"schema": schema}});
    operation.object.insert("requestBody".into(), body);
    Outcome::Keep
}

/// A text body other than `text/plain` (XML, `text/csv`, …): generated as a `text/plain`
/// string, the operation marked so that the request is labelled with its own media type
/// (`normalize/body-text`; the schema of the text is not checked). A media type that is not a
/// valid header value is left out.
fn other_text(
    operation: &mut Operation<'_>,
    mut body: Value,
    chosen: &str,
    notes: &mut Vec<Note>,
) -> Outcome {
    if !chosen
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
    {
        return drop_operation(operation, chosen, "it is not a valid header value", notes);
    }
    notes.push(Note::new(
        "normalize/body-text",
        media_pointer(operation, chosen),
        format!("the `{chosen}` request body is the caller's text, sent labelled `{chosen}`; its schema is not checked"),
    ));
    operation
        .object
        .insert(TEXT_EXTENSION.into(), Value::String(chosen.to_string()));
    body["content"] = json!({"text/plain": {"schema": {"type": "string"}}});
    operation.object.insert("requestBody".into(), body);
    Outcome::Keep
}

/// The operation extension carrying a text body's own media type to the code processing.
const TEXT_EXTENSION: &str = "x-contract-guard-text-media-type";

/// Removes the text-body marks from the prepared `document`, returning the operation id and
/// media type of each marked operation.
pub(super) fn take_text_media_types(document: &mut Value) -> Vec<(String, String)> {
    let mut marked = Vec::new();
    super::operations::retain(document, |operation| {
        if let Some(Value::String(media_type)) = operation.object.shift_remove(TEXT_EXTENSION)
            && let Some(Value::String(id)) = operation.object.get("operationId")
        {
            marked.push((id.clone(), media_type));
        }
        true
    });
    marked
}

/// `…/requestBody/content/<media type>` of `operation`.
fn media_pointer(operation: &Operation<'_>, media_type: &str) -> String {
    child(
        &child(&child(&operation.at, "requestBody"), "content"),
        media_type,
    )
}

/// Leaves the operation out (`normalize/unsupported-body`), saying why.
fn drop_operation(
    operation: &Operation<'_>,
    media_type: &str,
    reason: &str,
    notes: &mut Vec<Note>,
) -> Outcome {
    notes.push(Note::new(
        "normalize/unsupported-body",
        &operation.at,
        format!(
            "operation `{}` dropped: its request body is `{media_type}`, and {reason}",
            operation.label()
        ),
    ));
    Outcome::Drop
}

/// What kind of body a media type is, for the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Json,
    Form,
    Bytes,
    Text,
    Multipart,
    /// XML and other text: sent as the caller's string.
    OtherText,
    Unsupported,
}

impl Kind {
    fn of(essence: &str) -> Kind {
        match essence {
            "application/x-www-form-urlencoded" => Kind::Form,
            "application/octet-stream" | "*/*" | "application/*" => Kind::Bytes,
            "text/plain" | "text/x-markdown" => Kind::Text,
            "multipart/form-data" => Kind::Multipart,
            e if e == "application/json" || e == "text/json" || e.ends_with("+json") => Kind::Json,
            e if e.starts_with("text/") || e == "application/xml" || e.ends_with("+xml") => {
                Kind::OtherText
            }
            _ => Kind::Unsupported,
        }
    }
}

/// Lower is better: JSON, form, bytes, text, multipart, other text, anything else.
fn preference(media_type: &str) -> (u8, bool) {
    let essence = media_type_essence(media_type);
    let rank = match Kind::of(&essence) {
        Kind::Json => 0,
        Kind::Form => 1,
        Kind::Bytes => 2,
        Kind::Text => 3,
        Kind::Multipart => 4,
        Kind::OtherText => 5,
        Kind::Unsupported => 6,
    };
    // Among JSON types, plain `application/json` first.
    (rank, essence != "application/json")
}

/// The media type's schema with a top-level `$ref` to a component schema followed.
fn components_schema(media: &Value, components: &Value) -> Value {
    media
        .get("schema")
        .map(|s| super::resolve(s, components).clone())
        .unwrap_or(Value::Null)
}

fn fix_schema(media: &mut Value, kind: Kind, schema: &Value, at: &str, notes: &mut Vec<Note>) {
    if !media.is_object() {
        *media = json!({});
    }
    if let Some(m) = media.as_object_mut()
        && m.shift_remove("encoding").is_some()
    {
        notes.push(Note::new(
            "normalize/body-schema",
            at,
            "the body's `encoding` dropped (the generator does not use it)",
        ));
    }
    let expected = match kind {
        Kind::Bytes => json!({"type": "string", "format": "binary"}),
        Kind::Text => json!({"type": "string"}),
        Kind::Json | Kind::Form if schema.is_null() => {
            notes.push(Note::new(
                "normalize/body-schema",
                at,
                "the request body has no schema; it accepts any JSON value",
            ));
            media["schema"] = json!({});
            return;
        }
        _ => return,
    };
    let plain = schema.get("type") == expected.get("type")
        && schema.get("format") == expected.get("format")
        && [
            "enum",
            "pattern",
            "minLength",
            "maxLength",
            "default",
            "nullable",
        ]
        .iter()
        .all(|k| schema.get(*k).is_none());
    if !plain {
        notes.push(Note::new(
            "normalize/body-bytes",
            at,
            format!(
                "the request body's schema is written as `{expected}`, the form the generator sends"
            ),
        ));
        media["schema"] = expected;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(operation: Value) -> (Option<Value>, Vec<Note>) {
        let Value::Object(mut object) = operation else {
            panic!()
        };
        let mut notes = Vec::new();
        let mut operation = Operation {
            path: "/a",
            method: "post",
            at: "/op".into(),
            object: &mut object,
        };
        let outcome = request_body(&mut operation, &json!({}), &mut notes);
        match outcome {
            Outcome::Keep => (Some(Value::Object(object)), notes),
            Outcome::Drop => (None, notes),
        }
    }

    #[test]
    fn one_media_type_is_kept_json_first() {
        let (operation, notes) = run(json!({"requestBody": {"content": {
            "application/xml": {"schema": {}},
            "application/json-patch+json": {"schema": {"type": "array"}},
            "application/json": {"schema": {"type": "object"}}
        }}}));
        assert_eq!(
            operation.unwrap(),
            json!({"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}})
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].rule, "normalize/body-media-types");
        assert!(
            notes[0]
                .message
                .contains("`application/xml`, `application/json-patch+json` dropped")
        );
    }

    #[test]
    fn json_like_types_are_sent_as_json() {
        let (operation, notes) = run(
            json!({"requestBody": {"content": {"application/merge-patch+json": {"schema": {}}}}}),
        );
        assert_eq!(
            operation.unwrap()["requestBody"]["content"],
            json!({"application/json": {"schema": {}}})
        );
        assert_eq!(notes[0].rule, "normalize/body-json");
    }

    #[test]
    fn text_and_bytes_get_the_schema_the_generator_expects() {
        let (operation, notes) = run(json!({"requestBody": {"content": {
            "text/plain": {"schema": {"type": "string", "maxLength": 10}},
            "text/x-markdown": {"schema": {"type": "string"}}
        }}}));
        assert_eq!(
            operation.unwrap()["requestBody"]["content"],
            json!({"text/plain": {"schema": {"type": "string"}}})
        );
        assert_eq!(notes.len(), 2);
        let (operation, notes) =
            run(json!({"requestBody": {"content": {"*/*": {"schema": {"type": "object"}}}}}));
        assert_eq!(
            operation.unwrap()["requestBody"]["content"],
            json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
        );
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn multipart_without_named_parts_drops_the_operation_with_a_note() {
        let (operation, notes) =
            run(json!({"requestBody": {"content": {"multipart/form-data": {"schema": {}}}}}));
        assert!(operation.is_none());
        assert_eq!(notes[0].rule, "normalize/unsupported-body");
        assert_eq!(notes[0].pointer, "/op");
        assert!(
            notes[0]
                .message
                .contains("`POST /a` dropped: its request body is `multipart/form-data`, and its schema is not an object"),
            "{}",
            notes[0]
        );
        let (operation, notes) =
            run(json!({"requestBody": {"content": {"image/png": {"schema": {}}}}}));
        assert!(operation.is_none());
        assert!(
            notes[0]
                .message
                .ends_with("and the generator cannot send it")
        );
    }

    #[test]
    fn xml_is_the_callers_text_marked_with_its_media_type() {
        let (operation, notes) = run(json!({"operationId": "put", "requestBody": {"content": {
            "application/xml": {"schema": {"type": "object", "xml": {"name": "Pet"}}}
        }}}));
        let mut document = json!({"paths": {"/a": {"post": operation.unwrap()}}});
        let operation = &document["paths"]["/a"]["post"];
        assert_eq!(
            operation["requestBody"]["content"],
            json!({"text/plain": {"schema": {"type": "string"}}})
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].rule, "normalize/body-text");
        assert_eq!(
            take_text_media_types(&mut document),
            [("put".to_string(), "application/xml".to_string())]
        );
        assert!(
            document["paths"]["/a"]["post"]
                .get(TEXT_EXTENSION)
                .is_none()
        );
        // A media type that is no header value is not sent.
        let (operation, notes) =
            run(json!({"requestBody": {"content": {"text/csv; x=\u{7f}": {"schema": {}}}}}));
        assert!(operation.is_none());
        assert!(
            notes[0].message.contains("not a valid header value"),
            "{}",
            notes[0]
        );
    }

    #[test]
    fn multipart_of_named_parts_is_generated_as_a_struct_and_marked() {
        let (operation, notes) = run(json!({"requestBody": {"required": true, "content": {
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "file": {"type": "string", "format": "binary"},
                "name": {"type": "string"}
            }}}
        }}}));
        let operation = operation.unwrap();
        assert_eq!(operation["requestBody"]["required"], true);
        let content = &operation["requestBody"]["content"];
        assert_eq!(
            content["application/json"]["schema"]["properties"]["file"]["items"]["format"],
            "uint8"
        );
        assert_eq!(
            operation[super::super::multipart::EXTENSION],
            json!([["file", "File"], ["name", "Text"]])
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].rule, "normalize/body-multipart");
        assert_eq!(
            notes[0].pointer,
            "/op/requestBody/content/multipart~1form-data"
        );
    }

    #[test]
    fn json_without_schema_and_encoding() {
        let (operation, notes) = run(
            json!({"requestBody": {"content": {"application/x-www-form-urlencoded": {"encoding": {"a": {}}}}}}),
        );
        assert_eq!(
            operation.unwrap()["requestBody"]["content"],
            json!({"application/x-www-form-urlencoded": {"schema": {}}})
        );
        assert_eq!(notes.len(), 2);
        let (operation, notes) = run(
            json!({"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}}),
        );
        assert_eq!(notes.len(), 0);
        assert!(operation.is_some());
    }
}
