//! `multipart/form-data` request bodies (`normalize/body-multipart`). The generator sends JSON,
//! form, bytes and text bodies only, so a multipart body whose schema is an object of named
//! properties is handed to it as a JSON body of the same struct, and the operation is marked
//! with how each property goes on the wire (OpenAPI 3.0's default part encodings):
//!
//! - a scalar (`string`, `integer`, `number`, `boolean`) → a text part;
//! - a binary string (`format: binary`) → a file part (`application/octet-stream`), its schema
//!   written as bytes (`Vec<u8>`) so any content can be sent;
//! - an array of scalars or of binary strings → one such part per item;
//! - an object → an `application/json` part.
//!
//! `codegen::bodies` then replaces the generated method's JSON
//! body with those parts. Anything else (a body that is not an object of properties, `encoding`
//! objects, composed or untyped properties, additional properties) is not marked: the caller
//! leaves the operation out (`normalize/unsupported-body`), since its parts could not be sent
//! as the spec says.

use serde_json::{Map, Value, json};

use super::resolve;

/// The operation extension that carries the parts from normalisation to the code processing
/// (removed again by [`take`] before the generator sees the document).
pub(super) const EXTENSION: &str = "x-contract-guard-multipart";

/// How one property of a multipart body goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// A text part holding the scalar.
    Text,
    /// One text part per item of an array of scalars.
    Texts,
    /// A file part holding the bytes.
    File,
    /// One file part per item of an array of byte strings.
    Files,
    /// An `application/json` part holding the object.
    Json,
}

impl Part {
    /// The name the extension and the generated code use.
    pub fn name(self) -> &'static str {
        match self {
            Part::Text => "Text",
            Part::Texts => "Texts",
            Part::File => "File",
            Part::Files => "Files",
            Part::Json => "Json",
        }
    }

    fn from_name(name: &str) -> Option<Part> {
        [Part::Text, Part::Texts, Part::File, Part::Files, Part::Json]
            .into_iter()
            .find(|p| p.name() == name)
    }
}

/// A multipart operation of the prepared document: its final operation id and its parts, in
/// the order of the schema's properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartBody {
    /// The operation id the generator names the method after.
    pub operation_id: String,
    /// Property name and how it is sent.
    pub parts: Vec<(String, Part)>,
}

/// The schema to generate for a multipart body's media type object, and its parts; or why it
/// cannot be sent as the spec says.
pub(super) fn lower(
    media: &Value,
    components: &Value,
) -> Result<(Value, Vec<(String, Part)>), String> {
    if media.get("encoding").is_some() {
        return Err("its `encoding` (per-part media types and headers) is not supported".into());
    }
    let written = media.get("schema").unwrap_or(&Value::Null);
    let schema = resolve(written, components);
    let is_object = schema.get("type").and_then(Value::as_str) == Some("object")
        || (schema.get("type").is_none() && schema.get("properties").is_some());
    let composed = ["allOf", "oneOf", "anyOf", "not"]
        .iter()
        .any(|k| schema.get(*k).is_some());
    if !is_object || composed {
        return Err("its schema is not an object of named properties".into());
    }
    if !matches!(
        schema.get("additionalProperties"),
        None | Some(Value::Bool(false))
    ) {
        return Err("its additional properties have no part names".into());
    }
    let empty = Map::new();
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut parts = Vec::new();
    let mut rewritten = Map::new();
    for (name, property) in properties {
        let (part, replacement) = classify(property, components)
            .ok_or_else(|| format!("its property `{name}` has no default part encoding"))?;
        parts.push((name.clone(), part));
        rewritten.insert(
            name.clone(),
            replacement.unwrap_or_else(|| property.clone()),
        );
    }
    if rewritten == *properties {
        // Nothing to rewrite: the body keeps its schema (and a component its name).
        return Ok((written.clone(), parts));
    }
    let mut inline = schema.clone();
    inline["properties"] = Value::Object(rewritten);
    Ok((inline, parts))
}

/// How a property is sent, and the schema it is generated with when not its own.
fn classify(property: &Value, components: &Value) -> Option<(Part, Option<Value>)> {
    let resolved = resolve(property, components);
    if is_binary(resolved) {
        return Some((Part::File, Some(bytes_schema(resolved))));
    }
    match resolved.get("type").and_then(Value::as_str) {
        Some("array") => {
            let items = resolve(resolved.get("items")?, components);
            if is_binary(items) {
                let mut array = resolved.clone();
                array["items"] = bytes_schema(items);
                Some((Part::Files, Some(array)))
            } else if is_scalar(items) {
                Some((Part::Texts, None))
            } else {
                None
            }
        }
        Some("object") if !is_composed(resolved) => Some((Part::Json, None)),
        _ if is_scalar(resolved) => Some((Part::Text, None)),
        _ => None,
    }
}

fn is_binary(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string")
        && schema.get("format").and_then(Value::as_str) == Some("binary")
}

fn is_scalar(schema: &Value) -> bool {
    matches!(
        schema.get("type").and_then(Value::as_str),
        Some("string" | "integer" | "number" | "boolean")
    ) && !is_binary(schema)
        && !is_composed(schema)
}

fn is_composed(schema: &Value) -> bool {
    ["allOf", "oneOf", "anyOf", "not"]
        .iter()
        .any(|k| schema.get(*k).is_some())
}

/// Bytes as the generator types them (`Vec<u8>`), keeping the documentation.
fn bytes_schema(binary: &Value) -> Value {
    let mut schema = json!({"type": "array", "items": {"type": "integer", "format": "uint8"}});
    for key in ["description", "title", "nullable"] {
        if let Some(text) = binary.get(key) {
            schema[key] = text.clone();
        }
    }
    schema
}

/// The extension value recording `parts`.
pub(super) fn extension(parts: &[(String, Part)]) -> Value {
    Value::Array(
        parts
            .iter()
            .map(|(name, part)| json!([name, part.name()]))
            .collect(),
    )
}

/// Removes the extension from every operation of the prepared `document`, returning the
/// multipart operations it marked (paths in document order).
pub(super) fn take(document: &mut Value) -> Vec<MultipartBody> {
    let mut bodies = Vec::new();
    super::operations::retain(document, |operation| {
        let Some(Value::Array(marked)) = operation.object.shift_remove(EXTENSION) else {
            return true;
        };
        let parts = marked
            .iter()
            .filter_map(|entry| {
                let name = entry.get(0)?.as_str()?;
                let part = Part::from_name(entry.get(1)?.as_str()?)?;
                Some((name.to_string(), part))
            })
            .collect();
        if let Some(Value::String(id)) = operation.object.get("operationId") {
            bodies.push(MultipartBody {
                operation_id: id.clone(),
                parts,
            });
        }
        true
    });
    bodies
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_files_lists_and_objects_get_their_default_parts() {
        let media = json!({"schema": {"type": "object", "required": ["file"], "properties": {
            "name": {"type": "string"},
            "count": {"type": "integer"},
            "file": {"type": "string", "format": "binary", "description": "The file"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "photos": {"type": "array", "items": {"type": "string", "format": "binary"}},
            "meta": {"type": "object", "properties": {"a": {"type": "string"}}}
        }}});
        let (schema, parts) = lower(&media, &json!({})).unwrap();
        let kinds: Vec<(&str, Part)> = parts.iter().map(|(n, p)| (n.as_str(), *p)).collect();
        assert_eq!(
            kinds,
            [
                ("name", Part::Text),
                ("count", Part::Text),
                ("file", Part::File),
                ("tags", Part::Texts),
                ("photos", Part::Files),
                ("meta", Part::Json)
            ]
        );
        assert_eq!(
            schema["properties"]["file"],
            json!({"type": "array", "items": {"type": "integer", "format": "uint8"}, "description": "The file"})
        );
        assert_eq!(
            schema["properties"]["photos"]["items"]["items"]["format"],
            "uint8"
        );
        assert_eq!(schema["required"], json!(["file"]));
    }

    #[test]
    fn a_component_without_files_keeps_its_reference() {
        let components = json!({"schemas": {"Form": {"type": "object", "properties": {"a": {"type": "string"}}}}});
        let media = json!({"schema": {"$ref": "#/components/schemas/Form"}});
        let (schema, parts) = lower(&media, &components).unwrap();
        assert_eq!(schema, json!({"$ref": "#/components/schemas/Form"}));
        assert_eq!(parts, [("a".to_string(), Part::Text)]);
    }

    #[test]
    fn shapes_without_a_default_encoding_are_refused() {
        let components = json!({});
        for (media, reason) in [
            (
                json!({"schema": {"type": "string", "format": "binary"}}),
                "not an object",
            ),
            (
                json!({"schema": {"type": "object"}, "encoding": {"a": {}}}),
                "`encoding`",
            ),
            (
                json!({"schema": {"type": "object", "additionalProperties": true}}),
                "additional",
            ),
            (
                json!({"schema": {"type": "object", "properties": {"a": {}}}}),
                "property `a`",
            ),
            (
                json!({"schema": {"type": "object", "properties": {"a": {"type": "array", "items": {"type": "object"}}}}}),
                "property `a`",
            ),
            (
                json!({"schema": {"allOf": [{"type": "object"}]}}),
                "not an object",
            ),
        ] {
            let err = lower(&media, &components).unwrap_err();
            assert!(err.contains(reason), "{media}: {err}");
        }
    }

    #[test]
    fn take_reads_and_removes_the_marks() {
        let mut document = json!({"paths": {"/a": {"post": {
            "operationId": "upload",
            EXTENSION: [["file", "File"], ["name", "Text"]]
        }}}});
        let bodies = take(&mut document);
        assert_eq!(
            bodies,
            [MultipartBody {
                operation_id: "upload".into(),
                parts: vec![("file".into(), Part::File), ("name".into(), Part::Text)]
            }]
        );
        assert!(document["paths"]["/a"]["post"].get(EXTENSION).is_none());
    }
}
