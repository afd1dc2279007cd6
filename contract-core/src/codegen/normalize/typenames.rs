//! Rule `normalize/type-name`: the generator names an inline schema after where it sits —
//! property `reference` of `PaymentInstrument` becomes `PaymentInstrumentReference`, the
//! response of operation `listPets` becomes `ListPetsResponse` — without checking that the name
//! is free. When such a derived name is already a component's (or a title's, or an earlier
//! derived name), the inline schema gets a `title` with a free name (`…2`), which the
//! generator uses instead.
//!
//! A nullable `oneOf`/`anyOf`/`allOf`/`not` with nothing else beside it (no `type`,
//! `properties`, `required`, …) is the exception: the generator
//! moves its title onto the `null` alternative it wraps it in and names the schema by where it
//! sits all the same, so a taken name made a second type of that name (which does not compile)
//! or the field took the other type (GitHub's `repository-ruleset.conditions` became the
//! unrelated `RepositoryRulesetConditions`). Such a schema keeps `nullable` and gets its
//! composition moved into a one-member `anyOf` that carries the title, which the generator
//! honours.
//!
//! The derived names follow the generator's rules for the common cases: properties
//! (`<Parent>_<property>`), array items (`<Parent>_item`), map values (`<Parent>Value`), and for
//! operations `<operationId>-response`, `-body` and `-<parameter>`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::names;
use crate::codegen::note::Note;
use crate::spec::METHODS;
use crate::util::json_pointer::{child, push_token};

struct Namer<'a> {
    /// Names of components and titles.
    reserved: BTreeSet<String>,
    /// Names given to inline schemas so far: for each derived name, where the schemas that
    /// wanted it are and the title each got. The generator gives identical schemas one type, so
    /// an identical schema wanting the same name gets the same treatment.
    derived: BTreeMap<String, Vec<(String, Option<String>)>>,
    /// The document (read only: titles are decided first and added afterwards).
    document: &'a Value,
    /// `(pointer, title, the name it was given instead of)`.
    titles: Vec<(String, String, String)>,
}

/// Applies the rule to `document`, whose schema titles have the Rust names `titles`.
pub(super) fn type_names(document: &mut Value, titles: BTreeSet<String>, notes: &mut Vec<Note>) {
    let mut reserved = titles;
    if let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        reserved.extend(schemas.keys().map(|k| names::pascal(k)));
    }
    let mut namer = Namer {
        reserved,
        derived: BTreeMap::new(),
        document,
        titles: Vec::new(),
    };
    if let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (key, schema) in schemas {
            namer.children(schema, key, &mut child("/components/schemas", key));
        }
    }
    if let Some(paths) = document.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let at_path = child("/paths", path);
            for method in METHODS {
                if let Some(Value::Object(operation)) = item.get(method) {
                    let id = operation
                        .get("operationId")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    namer.operation(operation, id, &mut child(&at_path, method));
                }
            }
        }
    }
    let titles = namer.titles;
    for (at, title, wanted) in titles {
        if let Some(Value::Object(schema)) = document.pointer_mut(&at) {
            let wrapped = named_by_place(schema);
            if wrapped {
                let mut inner = Map::new();
                inner.insert("title".into(), Value::String(title.clone()));
                for key in COMPOSITIONS {
                    if let Some(value) = schema.shift_remove(key) {
                        inner.insert(key.into(), value);
                    }
                }
                schema.insert("anyOf".into(), Value::Array(vec![Value::Object(inner)]));
            } else {
                schema.insert("title".into(), Value::String(title.clone()));
            }
            let how = if wrapped {
                " (in a one-member `anyOf`, beside `nullable`)"
            } else {
                ""
            };
            notes.push(Note::new(
                "normalize/type-name",
                at,
                format!("the generated type name `{wanted}` is taken by another schema; this one is titled `{title}`{how}"),
            ));
        }
    }
}

/// The keywords that make a schema a composition for the generator.
const COMPOSITIONS: [&str; 4] = ["oneOf", "anyOf", "allOf", "not"];

/// The other keywords the generator's parser reads beside a composition: with any of them the
/// schema is not a composition to it, and keeps its title.
const BESIDE_COMPOSITIONS: [&str; 20] = [
    "type",
    "pattern",
    "multipleOf",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minimum",
    "maximum",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "enum",
    "format",
    "minLength",
    "maxLength",
];

/// Whether the generator names `schema` by where it sits whatever its title: a nullable
/// schema that is one composition and nothing else its parser reads (openapiv3's `OneOf`,
/// `AllOf`, `AnyOf` or `Not` kind, whose title progenitor moves onto the `null` wrapper).
fn named_by_place(schema: &Map<String, Value>) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
        && COMPOSITIONS
            .iter()
            .filter(|k| schema.contains_key(**k))
            .count()
            == 1
        && !BESIDE_COMPOSITIONS.iter().any(|k| schema.contains_key(*k))
}

impl Namer<'_> {
    fn operation(&mut self, operation: &Map<String, Value>, id: &str, at: &mut String) {
        if let Some(Value::Array(params)) = operation.get("parameters") {
            for (i, p) in params.iter().enumerate() {
                let name = p.get("name").and_then(Value::as_str).unwrap_or("");
                if let Some(schema) = p.get("schema") {
                    let len = at.len();
                    for token in ["parameters", &i.to_string(), "schema"] {
                        push_token(at, token);
                    }
                    self.node(schema, &format!("{id}-{name}"), at);
                    at.truncate(len);
                }
            }
        }
        if let Some(body) = operation.get("requestBody") {
            let len = at.len();
            push_token(at, "requestBody");
            self.content(body, &format!("{id}-body"), at);
            at.truncate(len);
        }
        if let Some(Value::Object(responses)) = operation.get("responses") {
            let name = format!("{id}-response");
            for (status, response) in responses {
                let len = at.len();
                push_token(at, "responses");
                push_token(at, status);
                self.content(response, &name, at);
                at.truncate(len);
            }
        }
    }

    fn content(&mut self, holder: &Value, name: &str, at: &mut String) {
        let Some(Value::Object(content)) = holder.get("content") else {
            return;
        };
        for (media_type, media) in content {
            let generated = media_type == "application/json"
                || media_type.starts_with("application/json;")
                || media_type == "application/x-www-form-urlencoded";
            if let (true, Some(schema)) = (generated, media.get("schema")) {
                let len = at.len();
                for token in ["content", media_type, "schema"] {
                    push_token(at, token);
                }
                self.node(schema, name, at);
                at.truncate(len);
            }
        }
    }

    /// An inline schema whose suggested name is `suggested`.
    fn node(&mut self, schema: &Value, suggested: &str, at: &mut String) {
        let Some(object) = schema.as_object() else {
            return;
        };
        if object.contains_key("$ref") {
            return;
        }
        let name = match object.get("title").and_then(Value::as_str) {
            Some(title) if !named_by_place(object) => title.to_string(),
            _ if may_be_a_type(object) => self.name(suggested, at),
            _ => suggested.to_string(),
        };
        self.children(schema, &name, at);
    }

    /// The name an inline schema that may become a type gets: the suggested one when free, the
    /// one an identical schema got under the same name, or a new title.
    fn name(&mut self, suggested: &str, at: &str) -> String {
        let wanted = names::pascal(suggested);
        let same = self.derived.get(&wanted).and_then(|seen| {
            let here = self.document.pointer(at);
            seen.iter()
                .find(|(p, _)| self.document.pointer(p) == here)
                .map(|(_, title)| title.clone())
        });
        match same {
            Some(Some(title)) => {
                self.titles.push((at.to_string(), title.clone(), wanted));
                title
            }
            Some(None) => suggested.to_string(),
            None if !self.reserved.contains(&wanted) && !self.derived.contains_key(&wanted) => {
                self.derived
                    .entry(wanted)
                    .or_default()
                    .push((at.to_string(), None));
                suggested.to_string()
            }
            None => {
                let new = (2..)
                    .map(|n| format!("{wanted}{n}"))
                    .find(|n| !self.reserved.contains(n) && !self.derived.contains_key(n))
                    .expect("a free name");
                self.derived
                    .entry(wanted.clone())
                    .or_default()
                    .push((at.to_string(), Some(new.clone())));
                self.derived
                    .entry(new.clone())
                    .or_default()
                    .push((at.to_string(), None));
                self.titles.push((at.to_string(), new.clone(), wanted));
                new
            }
        }
    }

    /// The inline schemas under a schema named `name`.
    fn children(&mut self, schema: &Value, name: &str, at: &mut String) {
        let Some(object) = schema.as_object() else {
            return;
        };
        let len = at.len();
        if let Some(Value::Object(props)) = object.get("properties") {
            for (prop, sub) in props {
                push_token(at, "properties");
                push_token(at, prop);
                self.node(sub, &format!("{name}_{prop}"), at);
                at.truncate(len);
            }
        }
        if let Some(items) = object.get("items") {
            push_token(at, "items");
            self.node(items, &format!("{name}_item"), at);
            at.truncate(len);
        }
        if let Some(values) = object.get("additionalProperties") {
            push_token(at, "additionalProperties");
            self.node(values, &format!("{name}Value"), at);
            at.truncate(len);
        }
    }
}

/// Whether the generator may define a named type for this inline schema.
fn may_be_a_type(schema: &Map<String, Value>) -> bool {
    [
        "properties",
        "enum",
        "oneOf",
        "anyOf",
        "allOf",
        "not",
        "pattern",
        "minLength",
        "maxLength",
    ]
    .iter()
    .any(|k| schema.contains_key(*k))
        || schema
            .get("additionalProperties")
            .is_some_and(Value::is_object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn derived_names_that_are_taken_get_a_title() {
        let mut doc = json!({
            "components": {"schemas": {
                "PaymentInstrument": {"properties": {
                    "reference": {"type": "string", "maxLength": 150},
                    "plain": {"type": "string"}
                }},
                "PaymentInstrumentReference": {"properties": {"id": {"type": "string"}}},
                "ListPetsResponse": {"type": "object"}
            }},
            "paths": {"/pets": {"get": {
                "operationId": "listPets",
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"properties": {"a": {"type": "string"}}}}}},
                    "400": {"content": {"application/json": {"schema": {"properties": {"b": {"type": "string"}}}}}}
                }
            }}}
        });
        let mut notes = Vec::new();
        type_names(&mut doc, BTreeSet::new(), &mut notes);
        let s = &doc["components"]["schemas"];
        assert_eq!(
            s["PaymentInstrument"]["properties"]["reference"]["title"],
            "PaymentInstrumentReference2"
        );
        assert!(
            s["PaymentInstrument"]["properties"]["plain"]
                .get("title")
                .is_none()
        );
        let r = &doc["paths"]["/pets"]["get"]["responses"];
        assert_eq!(
            r["200"]["content"]["application/json"]["schema"]["title"],
            "ListPetsResponse2"
        );
        assert_eq!(
            r["400"]["content"]["application/json"]["schema"]["title"],
            "ListPetsResponse3"
        );
        assert_eq!(notes.len(), 3);
        assert!(notes.iter().all(|n| n.rule == "normalize/type-name"));
    }

    #[test]
    fn identical_schemas_wanting_one_name_stay_one_type() {
        let schema = json!({"properties": {"a": {"type": "string"}}});
        let mut doc = json!({
            "components": {"schemas": {"GetResponse": {"type": "object"}}},
            "paths": {"/a": {"get": {"operationId": "get", "responses": {
                "200": {"content": {"application/json": {"schema": schema}}},
                "201": {"content": {"application/json": {"schema": schema}}},
                "400": {"content": {"application/json": {"schema": {"properties": {"b": {}}}}}}
            }}}}
        });
        let mut notes = Vec::new();
        type_names(&mut doc, BTreeSet::new(), &mut notes);
        let r = &doc["paths"]["/a"]["get"]["responses"];
        let title = |s: &str| r[s]["content"]["application/json"]["schema"]["title"].clone();
        assert_eq!(title("200"), "GetResponse2");
        assert_eq!(title("201"), "GetResponse2");
        assert_eq!(title("400"), "GetResponse3");
        assert_eq!(notes.len(), 3);
    }

    #[test]
    fn a_nullable_composition_is_titled_inside_a_one_member_any_of() {
        let choice = json!({"nullable": true, "description": "d", "title": "Ignored",
            "anyOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]});
        let mut doc = json!({"components": {"schemas": {
            "Rule": {"properties": {
                "choice": choice,
                "typed": {"type": "object", "nullable": true, "anyOf": [{"$ref": "#/components/schemas/A"}]},
                "required": {"nullable": true, "required": ["a"], "oneOf": [{"$ref": "#/components/schemas/A"}]},
                "free": {"nullable": true, "oneOf": [{"$ref": "#/components/schemas/A"}]}
            }},
            "RuleChoice": {"type": "object"},
            "RuleTyped": {"type": "object"},
            "RuleRequired": {"type": "object"}
        }}});
        let mut notes = Vec::new();
        type_names(&mut doc, BTreeSet::new(), &mut notes);
        let rule = &doc["components"]["schemas"]["Rule"]["properties"];
        assert_eq!(
            rule["choice"],
            json!({"nullable": true, "description": "d", "title": "Ignored", "anyOf": [
                {"title": "RuleChoice2", "anyOf": choice["anyOf"]}
            ]})
        );
        assert_eq!(
            rule["typed"]["title"], "RuleTyped2",
            "a `type` keeps its title"
        );
        assert_eq!(
            rule["required"]["title"], "RuleRequired2",
            "so does `required`"
        );
        assert!(rule["free"].get("title").is_none() && rule["free"].get("anyOf").is_none());
        assert_eq!(notes.len(), 3);
        assert!(notes[0].message.contains("one-member `anyOf`"), "{notes:?}");
    }

    #[test]
    fn free_names_are_left_alone() {
        let input = json!({"components": {"schemas": {
            "A": {"properties": {"b": {"properties": {"c": {"enum": ["x"]}}}}}
        }}});
        let mut doc = input.clone();
        let mut notes = Vec::new();
        type_names(&mut doc, BTreeSet::new(), &mut notes);
        assert_eq!((doc, notes.len()), (input, 0));
    }
}
