//! Responses. The generator gives each operation one success type and one error type, so all
//! success responses (`2XX`, `101`, `default`) must share one kind — the same JSON schema, raw
//! bytes (another media type) or no content — and so must all error responses (`4XX`, `5XX`,
//! `default`). Otherwise it panics (`response_types.len() <= 1`). The rules:
//!
//! - `normalize/response-json`: a JSON media type spelled otherwise (`application/problem+json`)
//!   → `application/json`, so the response is typed; a JSON response without a schema → any
//!   JSON value; `encoding` dropped;
//! - `normalize/default-response`: when an operation lists success statuses and its `default`
//!   response differs from them, `default` describes errors: it becomes `4XX` and `5XX` (where
//!   those are not listed). Without any success status, a `default` that differs from the error
//!   responses is the success response: it becomes `2XX`;
//! - `normalize/response-types`: success (or error) responses with different JSON schemas →
//!   merged: a new component schema `<OperationId>Response` (`…Error`) that is the `oneOf` of
//!   them, which every one of them uses. Responses of another kind beside JSON ones are dropped
//!   (the client reports those statuses as unexpected responses, with the raw response); bytes
//!   beside no content → the empty responses are returned as (empty) bytes too.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::operations::Operation;
use super::{names, resolve};
use crate::codegen::note::Note;
use crate::util::json_pointer::child;

/// Component schemas created by merges, and the names already in use.
pub(super) struct Created {
    /// `(name, schema)` in creation order.
    pub schemas: Vec<(String, Value)>,
    /// PascalCase names taken by components and earlier merges.
    pub taken: BTreeSet<String>,
}

/// Applies the response rules to one operation.
pub(super) fn responses(
    operation: &mut Operation<'_>,
    components: &Value,
    created: &mut Created,
    notes: &mut Vec<Note>,
) {
    let at = child(&operation.at, "responses");
    let operation_id = operation
        .object
        .get("operationId")
        .and_then(Value::as_str)
        .unwrap_or("operation")
        .to_string();
    let Some(Value::Object(map)) = operation.object.get_mut("responses") else {
        return;
    };
    for (status, response) in map.iter_mut() {
        media_types(response, components, &child(&at, status), notes);
    }
    default_response(map, components, &at, notes);
    for set in [Set::Success, Set::Error] {
        unify(map, components, set, &operation_id, &at, created, notes);
    }
}

/// How a response is represented in the client.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// `application/json` with this schema.
    Json(Value),
    /// Another media type: bytes.
    Raw,
    /// No content.
    Empty,
}

fn kind(response: &Value) -> Kind {
    let Some(content) = response.get("content").and_then(Value::as_object) else {
        return Kind::Empty;
    };
    match content.iter().find(|(k, _)| is_json(k)) {
        Some((_, media)) => Kind::Json(media.get("schema").cloned().unwrap_or(Value::Null)),
        None if content.is_empty() => Kind::Empty,
        None => Kind::Raw,
    }
}

/// What the generator treats as JSON.
fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.starts_with("application/json;")
}

fn is_json_like(media_type: &str) -> bool {
    let essence = crate::spec::media_type_essence(media_type);
    essence == "application/json" || essence == "text/json" || essence.ends_with("+json")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Set {
    Success,
    Error,
}

impl Set {
    /// How notes name the set.
    fn name(self) -> &'static str {
        match self {
            Set::Success => "success",
            Set::Error => "error",
        }
    }

    /// The suffix of the schema a merge creates.
    fn suffix(self) -> &'static str {
        match self {
            Set::Success => "Response",
            Set::Error => "Error",
        }
    }
}

/// Where a status key falls: `(in success set, in error set, sort value)` as the generator
/// sees it.
fn status(key: &str) -> (bool, bool, u16) {
    if key == "default" {
        return (true, true, 1000);
    }
    let bytes = key.as_bytes();
    if bytes.len() == 3 && bytes[1..].eq_ignore_ascii_case(b"XX") && bytes[0].is_ascii_digit() {
        let range = u16::from(bytes[0] - b'0');
        return (range == 2, range == 4 || range == 5, range * 100);
    }
    match key.parse::<u16>() {
        Ok(code) => (
            (200..=299).contains(&code) || code == 101,
            (400..=599).contains(&code),
            code,
        ),
        Err(_) => (false, false, 0),
    }
}

fn in_set(key: &str, set: Set) -> bool {
    let (success, error, _) = status(key);
    match set {
        Set::Success => success,
        Set::Error => error,
    }
}

/// Rule `normalize/response-json` for one response (a `$ref` is replaced by a copy if changed).
fn media_types(response: &mut Value, components: &Value, at: &str, notes: &mut Vec<Note>) {
    let mut copy = resolve(response, components).clone();
    let Some(content) = copy.get_mut("content").and_then(Value::as_object_mut) else {
        return;
    };
    let mut changed = false;
    if !content.keys().any(|k| is_json(k))
        && let Some(key) = content.keys().find(|k| is_json_like(k)).cloned()
    {
        let media = content.shift_remove(&key).unwrap_or_default();
        let mut renamed = Map::new();
        renamed.insert("application/json".into(), media);
        renamed.extend(std::mem::take(content));
        *content = renamed;
        notes.push(Note::new(
            "normalize/response-json",
            child(at, "content"),
            format!("the `{key}` response is read as `application/json` (typed)"),
        ));
        changed = true;
    }
    if let Some((key, media)) = content.iter_mut().find(|(k, _)| is_json(k)) {
        let media_at = child(&child(at, "content"), key);
        if !media.is_object() {
            *media = json!({});
        }
        if media.get("schema").is_none() {
            media["schema"] = json!({});
            notes.push(Note::new(
                "normalize/response-json",
                &media_at,
                "the JSON response has no schema; it is read as any JSON value",
            ));
            changed = true;
        }
        if let Some(m) = media.as_object_mut()
            && m.shift_remove("encoding").is_some()
        {
            notes.push(Note::new(
                "normalize/response-json",
                &media_at,
                "the response's `encoding` dropped (the generator does not use it)",
            ));
            changed = true;
        }
    }
    if changed {
        *response = copy;
    }
}

/// Rule `normalize/default-response`.
fn default_response(
    map: &mut Map<String, Value>,
    components: &Value,
    at: &str,
    notes: &mut Vec<Note>,
) {
    let Some(default) = map.get("default") else {
        return;
    };
    let default_kind = kind(resolve(default, components));
    let others: Vec<(String, Kind)> = map
        .iter()
        .filter(|(k, _)| *k != "default")
        .map(|(k, v)| (k.clone(), kind(resolve(v, components))))
        .collect();
    let successes = others.iter().filter(|(k, _)| in_set(k, Set::Success));
    let errors = others.iter().filter(|(k, _)| in_set(k, Set::Error));
    let has_success = others.iter().any(|(k, _)| in_set(k, Set::Success));
    let at_default = child(at, "default");
    if has_success {
        let agrees = successes.chain(errors).all(|(_, k)| *k == default_kind);
        if agrees {
            return;
        }
        let default = map.shift_remove("default").expect("present");
        let mut added = Vec::new();
        for range in ["4XX", "5XX"] {
            let listed = map.keys().any(|k| k.eq_ignore_ascii_case(range));
            if !listed {
                map.insert(range.into(), default.clone());
                added.push(range);
            }
        }
        let message = if added.is_empty() {
            "`default` differs from the success responses and `4XX`/`5XX` are listed: dropped"
                .to_string()
        } else {
            format!(
                "`default` differs from the success responses, so it describes errors: written as {}",
                added
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )
        };
        notes.push(Note::new("normalize/default-response", at_default, message));
    } else if errors.clone().any(|(_, k)| *k != default_kind) && !map.contains_key("2XX") {
        let default = map.shift_remove("default").expect("present");
        map.insert("2XX".into(), default);
        notes.push(Note::new(
            "normalize/default-response",
            at_default,
            "the operation lists no success status and `default` differs from its errors: `default` written as `2XX` (the success response)",
        ));
    }
}

/// Rule `normalize/response-types` for one set.
fn unify(
    map: &mut Map<String, Value>,
    components: &Value,
    set: Set,
    operation_id: &str,
    at: &str,
    created: &mut Created,
    notes: &mut Vec<Note>,
) {
    let members = members(map, components, set);
    let mut kinds: Vec<&Kind> = Vec::new();
    for (_, k) in &members {
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    if kinds.len() <= 1 {
        return;
    }
    let schemas: Vec<Value> = kinds
        .iter()
        .filter_map(|k| match k {
            Kind::Json(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    let json_statuses = statuses(&members, |k| matches!(k, Kind::Json(_)));
    let others = statuses(&members, |k| !matches!(k, Kind::Json(_)));
    if schemas.len() > 1 {
        let message = merge_schemas(
            map,
            components,
            set,
            operation_id,
            schemas,
            &json_statuses,
            created,
        );
        notes.push(Note::new("normalize/response-types", at, message));
    }
    if !json_statuses.is_empty() && !others.is_empty() {
        for status in &others {
            map.shift_remove(status);
        }
        notes.push(Note::new(
            "normalize/response-types",
            at,
            format!(
                "{} responses {} dropped: they are not JSON like {} (the client reports them as unexpected responses)",
                set.name(),
                list(&others),
                list(&json_statuses)
            ),
        ));
    } else if json_statuses.is_empty() {
        let empty = statuses(&members, |k| *k == Kind::Empty);
        empty_as_bytes(map, components, &empty);
        notes.push(Note::new(
            "normalize/response-types",
            at,
            format!(
                "{} responses {} have no content beside responses with content: they are returned as (empty) bytes too",
                set.name(),
                list(&empty)
            ),
        ));
    }
}

/// The responses of `set` with their kinds, in the generator's order (by status).
fn members(map: &Map<String, Value>, components: &Value, set: Set) -> Vec<(String, Kind)> {
    let mut members: Vec<(u16, String, Kind)> = map
        .iter()
        .filter(|(k, _)| in_set(k, set))
        .map(|(k, v)| (status(k).2, k.clone(), kind(resolve(v, components))))
        .collect();
    members.sort_by_key(|(value, _, _)| *value);
    members.into_iter().map(|(_, k, kind)| (k, kind)).collect()
}

/// The statuses among `members` whose kind is `wanted`.
fn statuses(members: &[(String, Kind)], wanted: impl Fn(&Kind) -> bool) -> Vec<String> {
    members
        .iter()
        .filter(|(_, k)| wanted(k))
        .map(|(s, _)| s.clone())
        .collect()
}

/// Creates the component schema `<OperationId>Response` (`…Error`), the `oneOf` of `schemas`,
/// and points the JSON content of every response in `json_statuses` to it. Returns the note.
fn merge_schemas(
    map: &mut Map<String, Value>,
    components: &Value,
    set: Set,
    operation_id: &str,
    schemas: Vec<Value>,
    json_statuses: &[String],
    created: &mut Created,
) -> String {
    let count = schemas.len();
    let base = format!("{}{}", names::pascal(operation_id), set.suffix());
    let name = names::unused(&base, |n| created.taken.contains(&names::pascal(n)));
    created.taken.insert(names::pascal(&name));
    created
        .schemas
        .push((name.clone(), json!({ "oneOf": schemas })));
    let reference = json!({ "$ref": format!("#/components/schemas/{name}") });
    for status in json_statuses {
        let response = map.get_mut(status).expect("member");
        let mut copy = resolve(response, components).clone();
        if let Some(content) = copy.get_mut("content").and_then(Value::as_object_mut)
            && let Some((_, media)) = content.iter_mut().find(|(k, _)| is_json(k))
        {
            media["schema"] = reference.clone();
        }
        *response = copy;
    }
    format!(
        "{} responses {} have {count} different schemas: merged as `{name}` (`oneOf` of them)",
        set.name(),
        list(json_statuses),
    )
}

/// Gives the responses in `statuses` (without content) a raw-bytes content, so they share the
/// kind of the set's other (non-JSON) responses.
fn empty_as_bytes(map: &mut Map<String, Value>, components: &Value, statuses: &[String]) {
    for status in statuses {
        let Some(response) = map.get_mut(status) else {
            continue;
        };
        let mut copy = resolve(response, components).clone();
        // A malformed response (not an object) is left as it is (found by fuzzing).
        if let Some(object) = copy.as_object_mut() {
            object.insert(
                "content".into(),
                json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}),
            );
            *response = copy;
        }
    }
}

fn list(statuses: &[String]) -> String {
    statuses
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(operation: Value, components: Value) -> (Value, Vec<(String, Value)>, Vec<Note>) {
        let Value::Object(mut object) = operation else {
            panic!()
        };
        let mut notes = Vec::new();
        let mut created = Created {
            schemas: Vec::new(),
            taken: ["ListPetsResponse".to_string()].into(),
        };
        let mut operation = Operation {
            path: "/pets",
            method: "get",
            at: "/op".into(),
            object: &mut object,
        };
        responses(&mut operation, &components, &mut created, &mut notes);
        (Value::Object(object), created.schemas, notes)
    }

    fn json_response(schema: Value) -> Value {
        json!({"description": "", "content": {"application/json": {"schema": schema}}})
    }

    fn rules(notes: &[Note]) -> Vec<&str> {
        notes.iter().map(|n| n.rule).collect()
    }

    #[test]
    fn status_keys() {
        assert_eq!(status("204"), (true, false, 204));
        assert_eq!(status("4xx"), (false, true, 400));
        assert_eq!(status("default"), (true, true, 1000));
        assert_eq!(status("302"), (false, false, 302));
    }

    #[test]
    fn one_consistent_kind_is_untouched() {
        let operation = json!({"operationId": "listPets", "responses": {
            "200": json_response(json!({"$ref": "#/components/schemas/Pets"})),
            "201": json_response(json!({"$ref": "#/components/schemas/Pets"})),
            "404": {"description": ""}
        }});
        let (out, created, notes) = run(operation.clone(), json!({}));
        assert_eq!((out, created.len(), notes.len()), (operation, 0, 0));
    }

    #[test]
    fn default_beside_successes_becomes_error_ranges() {
        let (out, _, notes) = run(
            json!({"operationId": "listPets", "responses": {
                "200": json_response(json!({"type": "string"})),
                "404": json_response(json!({"$ref": "#/components/schemas/Error"})),
                "default": json_response(json!({"$ref": "#/components/schemas/Error"}))
            }}),
            json!({}),
        );
        let keys: Vec<&String> = out["responses"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["200", "404", "4XX", "5XX"]);
        assert_eq!(rules(&notes), ["normalize/default-response"]);
    }

    #[test]
    fn default_without_successes_becomes_the_success() {
        let (out, _, notes) = run(
            json!({"operationId": "x", "responses": {
                "default": json_response(json!({"type": "string"})),
                "400": {"description": ""}
            }}),
            json!({}),
        );
        let keys: Vec<&String> = out["responses"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["400", "2XX"]);
        assert_eq!(rules(&notes), ["normalize/default-response"]);
    }

    #[test]
    fn different_json_schemas_are_merged_and_other_kinds_dropped() {
        let (out, created, notes) = run(
            json!({"operationId": "listPets", "responses": {
                "200": json_response(json!({"$ref": "#/components/schemas/Pets"})),
                "202": {"$ref": "#/components/responses/Accepted"},
                "204": {"description": "none"},
                "400": json_response(json!({"$ref": "#/components/schemas/BadRequest"})),
                "500": json_response(json!({"$ref": "#/components/schemas/Internal"}))
            }}),
            json!({"responses": {"Accepted": json_response(json!({"type": "object"}))}}),
        );
        assert_eq!(
            created,
            [
                (
                    "ListPetsResponse2".to_string(),
                    json!({"oneOf": [{"$ref": "#/components/schemas/Pets"}, {"type": "object"}]})
                ),
                (
                    "ListPetsError".to_string(),
                    json!({"oneOf": [{"$ref": "#/components/schemas/BadRequest"}, {"$ref": "#/components/schemas/Internal"}]})
                ),
            ]
        );
        let r = &out["responses"];
        assert!(r.get("204").is_none());
        for (status, name) in [
            ("200", "ListPetsResponse2"),
            ("202", "ListPetsResponse2"),
            ("400", "ListPetsError"),
        ] {
            assert_eq!(
                r[status]["content"]["application/json"]["schema"]["$ref"],
                format!("#/components/schemas/{name}"),
                "{status}"
            );
        }
        assert_eq!(rules(&notes), ["normalize/response-types"; 3]);
        assert!(notes[1].message.contains("`204` dropped"), "{}", notes[1]);
    }

    #[test]
    fn empty_beside_bytes_becomes_bytes() {
        let (out, _, notes) = run(
            json!({"operationId": "get", "responses": {
                "200": {"description": "", "content": {"text/csv": {}}},
                "204": {"description": ""}
            }}),
            json!({}),
        );
        assert_eq!(
            out["responses"]["204"]["content"],
            json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
        );
        assert_eq!(rules(&notes), ["normalize/response-types"]);
    }

    #[test]
    fn json_like_media_types_are_read_as_json() {
        let (out, _, notes) = run(
            json!({"operationId": "get", "responses": {
                "200": {"description": "", "content": {"application/hal+json": {}, "text/html": {}}}
            }}),
            json!({}),
        );
        assert_eq!(
            out["responses"]["200"]["content"],
            json!({"application/json": {"schema": {}}, "text/html": {}})
        );
        assert_eq!(rules(&notes), ["normalize/response-json"; 2]);
    }
}
