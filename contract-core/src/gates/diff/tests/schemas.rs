//! Schemas in both directions: properties, types, nullability, enums, variants, keywords.

use serde_json::{Value, json};

use super::*;

pub(super) fn object(properties: Value, required: Value) -> Value {
    json!({"type": "object", "properties": properties, "required": required})
}

#[test]
pub(super) fn request_properties() {
    let s = json!({"type": "string"});
    let one = object(json!({"a": s}), json!([]));
    let two_opt = object(json!({"a": s, "b": s}), json!([]));
    let two_req = object(json!({"a": s, "b": s}), json!(["b"]));
    case(
        &request(two_opt.clone()),
        &request(one.clone()),
        "request-property-removed",
        Some("request-property-added-optional"),
    );
    case(
        &request(one),
        &request(two_req.clone()),
        "request-property-added-required",
        None,
    );
    case(
        &request(two_opt.clone()),
        &request(two_req.clone()),
        "request-property-became-required",
        Some("request-property-became-optional"),
    );
    let ro = object(
        json!({"a": s, "b": {"type": "string", "readOnly": true}}),
        json!([]),
    );
    case(
        &request(two_opt),
        &request(ro.clone()),
        "request-property-became-read-only",
        None,
    );
    // A required read-only property is never sent, so it is not required of requests.
    let ro_req = object(
        json!({"a": s, "b": {"type": "string", "readOnly": true}}),
        json!(["b"]),
    );
    assert_eq!(ids(&request(ro), &request(ro_req)), Vec::<&str>::new());
}

#[test]
pub(super) fn response_properties() {
    let s = json!({"type": "string"});
    let one = object(json!({"a": s}), json!(["a"]));
    let two_opt = object(json!({"a": s, "b": s}), json!(["a"]));
    let two_req = object(json!({"a": s, "b": s}), json!(["a", "b"]));
    case(
        &response(two_req.clone()),
        &response(one.clone()),
        "response-required-property-removed",
        Some("response-property-added"),
    );
    case(
        &response(two_opt.clone()),
        &response(one.clone()),
        "response-optional-property-removed",
        Some("response-property-added"),
    );
    case(
        &response(two_req.clone()),
        &response(two_opt.clone()),
        "response-property-became-optional",
        Some("response-property-became-required"),
    );
    let closed = json!({"type": "object", "properties": {"a": s}, "additionalProperties": false});
    let closed_more =
        json!({"type": "object", "properties": {"a": s, "b": s}, "additionalProperties": false});
    case(
        &response(closed),
        &response(closed_more),
        "response-property-added-to-closed-object",
        Some("response-optional-property-removed"),
    );
    let wo = object(
        json!({"a": s, "b": {"type": "string", "writeOnly": true}}),
        json!(["a"]),
    );
    case(
        &response(two_opt),
        &response(wo),
        "response-property-became-write-only",
        None,
    );
    // Moving properties into an `allOf` base is no change.
    let mut flat = response(json!({"$ref": "#/components/schemas/Pet"}));
    flat["components"] =
        json!({"schemas": {"Pet": object(json!({"id": s, "name": s}), json!(["id"]))}});
    let mut composed = response(json!({"$ref": "#/components/schemas/Pet"}));
    composed["components"] = json!({"schemas": {
        "Base": object(json!({"id": s}), json!(["id"])),
        "Pet": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {"name": s}}]}
    }});
    let changes: Vec<_> = ids(&flat, &composed)
        .into_iter()
        .filter(|r| !r.starts_with("component-schema"))
        .collect();
    assert_eq!(changes, Vec::<&str>::new());
}

#[test]
pub(super) fn types_and_nullability_in_both_directions() {
    let t = |v: Value| json!({"type": v});
    case(
        &request(t(json!("integer"))),
        &request(t(json!("string"))),
        "request-type-changed",
        Some("request-type-changed"),
    );
    case(
        &request(t(json!("integer"))),
        &request(t(json!("number"))),
        "request-type-widened",
        Some("request-type-changed"),
    );
    case(
        &response(t(json!("integer"))),
        &response(t(json!("number"))),
        "response-type-changed",
        Some("response-type-narrowed"),
    );
    // 3.0 `nullable` and 3.1 `type: [T, "null"]` are the same thing.
    let n30 = json!({"type": "string", "nullable": true});
    let n31 = openapi(
        "3.1.0",
        json!({"/pets": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": ["string", "null"]}}}}}}}}),
        json!({}),
    );
    let plain = response(json!({"type": "string"}));
    case(
        &plain,
        &response(n30.clone()),
        "response-became-nullable",
        Some("response-became-non-nullable"),
    );
    case(
        &plain,
        &n31,
        "response-became-nullable",
        Some("response-became-non-nullable"),
    );
    let same: Vec<_> = ids(&response(n30.clone()), &n31)
        .into_iter()
        .filter(|r| *r != "openapi-version-changed")
        .collect();
    assert_eq!(same, Vec::<&str>::new());
    case(
        &request(json!({"type": "string"})),
        &request(n30),
        "request-became-nullable",
        Some("request-became-non-nullable"),
    );
    // `anyOf: [X, {type: null}]` is a nullable X.
    let wrapped = response(json!({"anyOf": [{"type": "string"}, {"type": "null"}]}));
    assert_eq!(ids(&plain, &wrapped), vec!["response-became-nullable"]);
    // `allOf: [X]` with a description is X.
    let mut a = response(json!({"$ref": "#/components/schemas/S"}));
    a["components"] = json!({"schemas": {"S": {"type": "string", "enum": ["x"]}}});
    let mut b = response(
        json!({"allOf": [{"$ref": "#/components/schemas/S"}], "description": "the state"}),
    );
    b["components"] = a["components"].clone();
    assert_eq!(ids(&a, &b), ["description-changed"]);
}

#[test]
pub(super) fn enums_formats_and_defaults() {
    let e = |v: Value| json!({"type": "string", "enum": v});
    case(
        &response(e(json!(["a"]))),
        &response(e(json!(["a", "b"]))),
        "response-enum-value-added",
        Some("response-enum-value-removed"),
    );
    case(
        &request(e(json!(["a", "b"]))),
        &request(e(json!(["a"]))),
        "request-enum-value-removed",
        Some("request-enum-value-added"),
    );
    let s = json!({"type": "string"});
    case(
        &request(s.clone()),
        &request(e(json!(["a"]))),
        "request-enum-added",
        Some("request-enum-removed"),
    );
    case(
        &response(e(json!(["a"]))),
        &response(s.clone()),
        "response-enum-removed",
        Some("response-enum-added"),
    );
    // `const` is a one-value enum.
    case(
        &response(json!({"const": "a"})),
        &response(e(json!(["a", "b"]))),
        "response-enum-value-added",
        None,
    );
    let f = |fmt: &str| json!({"type": "string", "format": fmt});
    case(
        &request(s.clone()),
        &request(f("date-time")),
        "request-format-changed",
        Some("request-format-removed"),
    );
    case(
        &response(f("date-time")),
        &response(s.clone()),
        "response-format-changed",
        Some("response-format-added"),
    );
    case(
        &response(f("date")),
        &response(f("date-time")),
        "response-format-changed",
        Some("response-format-changed"),
    );
    let d = |v: Value| json!({"type": "integer", "default": v});
    case(
        &request(d(json!(10))),
        &request(d(json!(20))),
        "request-default-changed",
        Some("request-default-changed"),
    );
    case(
        &response(d(json!(10))),
        &response(d(json!(20))),
        "response-default-changed",
        Some("response-default-changed"),
    );
}

#[test]
pub(super) fn variants_discriminators_arrays_and_other_schema_rules() {
    let base = json!({"schemas": {
        "Cat": {"type": "object", "properties": {"meow": {"type": "boolean"}, "kind": {"type": "string"}}},
        "Dog": {"type": "object", "properties": {"bark": {"type": "boolean"}}}
    }});
    let with = |d: Value, _unused: Value| {
        let mut d = d;
        d["components"] = base.clone();
        d
    };
    let one = json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}]});
    let two = json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]});
    case(
        &with(response(one.clone()), one.clone()),
        &with(response(two.clone()), two.clone()),
        "response-variant-added",
        Some("response-variant-removed"),
    );
    case(
        &with(request(two.clone()), two.clone()),
        &with(request(one.clone()), one.clone()),
        "request-variant-removed",
        Some("request-variant-added"),
    );
    // A plain schema that becomes one of several: a new variant.
    case(
        &response(json!({"type": "string"})),
        &response(json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})),
        "response-variant-added",
        None,
    );
    let disc = |p: &str| json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}], "discriminator": {"propertyName": p}});
    case(
        &with(response(disc("kind")), json!(null)),
        &with(response(disc("type")), json!(null)),
        "discriminator-property-changed",
        Some("discriminator-property-changed"),
    );
    let mapped = |m: Value| json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}], "discriminator": {"propertyName": "kind", "mapping": m}});
    case(
        &with(
            response(mapped(json!({"cat": "#/components/schemas/Cat"}))),
            json!(null),
        ),
        &with(
            response(mapped(json!({"kitty": "#/components/schemas/Cat"}))),
            json!(null),
        ),
        "discriminator-mapping-changed",
        Some("discriminator-mapping-changed"),
    );
    let arr = |items: Value| json!({"type": "array", "items": items});
    case(
        &response(arr(json!({"type": "integer"}))),
        &response(arr(json!({"type": "string"}))),
        "response-type-changed",
        Some("response-type-changed"),
    );
    case(
        &response(json!({"type": "string"})),
        &response(json!({"type": "string", "deprecated": true})),
        "schema-deprecated",
        None,
    );
    case(
        &request(json!({"type": "string"})),
        &request(json!({"type": "string", "not": {"enum": ["x"]}})),
        "schema-not-changed",
        Some("schema-not-changed"),
    );
    case(
        &response(json!({"$ref": "other.yaml#/A"})),
        &response(json!({"$ref": "other.yaml#/B"})),
        "unresolved-ref-changed",
        Some("unresolved-ref-changed"),
    );
}

#[test]
pub(super) fn variants_are_matched_by_signature_and_enums_split_into_variants_are_enums() {
    // Inline `allOf` variants matched by the references they combine, wherever they move.
    let rule = |names: &[&str]| {
        let members: Vec<Value> = names
            .iter()
            .map(|n| json!({"allOf": [{"$ref": format!("#/components/schemas/{n}")}, {"$ref": "#/components/schemas/Info"}]}))
            .collect();
        let mut d = response(json!({"oneOf": members}));
        let mut schemas =
            json!({"Info": {"type": "object", "properties": {"id": {"type": "integer"}}}});
        for n in ["A", "B", "C"] {
            schemas[n] =
                json!({"type": "object", "properties": {"type": {"type": "string", "enum": [n]}}});
        }
        d["components"] = json!({"schemas": schemas});
        d
    };
    assert_eq!(
        ids(&rule(&["A", "C"]), &rule(&["A", "B", "C"])),
        vec!["response-variant-added"]
    );
    // Discriminating single-value enums identify inline variants too.
    let tagged = |tags: &[&str]| {
        let members: Vec<Value> = tags
            .iter()
            .map(|t| json!({"type": "object", "properties": {"kind": {"type": "string", "enum": [t]}, "x": {"type": "string"}}}))
            .collect();
        response(json!({"oneOf": members}))
    };
    assert_eq!(
        ids(&tagged(&["a", "c"]), &tagged(&["a", "b", "c"])),
        vec!["response-variant-added"]
    );
    // An enum rewritten as a `oneOf` of one-value enums is the same enum.
    let plain = response(json!({"type": "string", "enum": ["x", "y"]}));
    let split = response(
        json!({"oneOf": [{"type": "string", "enum": ["x"]}, {"type": "string", "enum": ["y"]}]}),
    );
    assert_eq!(ids(&plain, &split), Vec::<&str>::new());
    let more = response(
        json!({"oneOf": [{"type": "string", "enum": ["x"]}, {"type": "string", "enum": ["y", "z"]}]}),
    );
    assert_eq!(ids(&plain, &more), vec!["response-enum-value-added"]);
    // A nullable parent: its variants need not repeat `nullable`.
    let a = request(json!({"type": "string", "nullable": true}));
    let b = request(
        json!({"nullable": true, "oneOf": [{"type": "string"}, {"type": "object", "properties": {"v": {"type": "string"}}}]}),
    );
    assert_eq!(ids(&a, &b), vec!["request-variant-added"]);
    // Alternative `required` sets constrain the parent; they are not variants.
    let s = json!({"type": "string"});
    let old =
        request(json!({"type": "object", "properties": {"id": s, "name": s}, "required": ["id"]}));
    let new = request(
        json!({"type": "object", "properties": {"id": s, "name": s}, "oneOf": [{"required": ["id"]}, {"required": ["name"]}]}),
    );
    case(
        &old,
        &new,
        "composition-constraints-changed",
        Some("composition-constraints-changed"),
    );
    assert!(!ids(&old, &new).iter().any(|r| r.contains("variant")));
}

#[test]
pub(super) fn additional_properties() {
    let open = json!({"type": "object"});
    let closed = json!({"type": "object", "additionalProperties": false});
    let typed = json!({"type": "object", "additionalProperties": {"type": "integer"}});
    case(
        &request(open.clone()),
        &request(closed.clone()),
        "request-additional-properties-restricted",
        Some("request-additional-properties-loosened"),
    );
    case(
        &response(closed),
        &response(open.clone()),
        "response-additional-properties-allowed",
        Some("response-additional-properties-restricted"),
    );
    case(
        &response(typed.clone()),
        &response(open),
        "response-additional-properties-allowed",
        None,
    );
    let typed_s = json!({"type": "object", "additionalProperties": {"type": "string"}});
    case(
        &response(typed),
        &response(typed_s),
        "response-type-changed",
        Some("response-type-changed"),
    );
}

#[test]
pub(super) fn validation_keywords_in_both_directions() {
    let table: [(&str, Value, Value); 11] = [
        (
            "maximum",
            json!({"type": "integer", "maximum": 100}),
            json!({"type": "integer", "maximum": 50}),
        ),
        (
            "minimum",
            json!({"type": "integer", "minimum": 1}),
            json!({"type": "integer", "minimum": 5}),
        ),
        (
            "max-length",
            json!({"type": "string", "maxLength": 100}),
            json!({"type": "string", "maxLength": 10}),
        ),
        (
            "min-length",
            json!({"type": "string"}),
            json!({"type": "string", "minLength": 1}),
        ),
        (
            "max-items",
            json!({"type": "array", "items": {"type": "string"}}),
            json!({"type": "array", "items": {"type": "string"}, "maxItems": 3}),
        ),
        (
            "min-items",
            json!({"type": "array", "items": {"type": "string"}, "minItems": 1}),
            json!({"type": "array", "items": {"type": "string"}, "minItems": 2}),
        ),
        (
            "max-properties",
            json!({"type": "object"}),
            json!({"type": "object", "maxProperties": 3}),
        ),
        (
            "min-properties",
            json!({"type": "object"}),
            json!({"type": "object", "minProperties": 1}),
        ),
        (
            "pattern",
            json!({"type": "string"}),
            json!({"type": "string", "pattern": "^[a-z]+$"}),
        ),
        (
            "multiple-of",
            json!({"type": "number", "multipleOf": 0.5}),
            json!({"type": "number", "multipleOf": 1}),
        ),
        (
            "unique-items",
            json!({"type": "array", "items": {"type": "string"}}),
            json!({"type": "array", "items": {"type": "string"}, "uniqueItems": true}),
        ),
    ];
    for (kw, loose, tight) in table {
        case(
            &request(loose.clone()),
            &request(tight.clone()),
            &format!("request-{kw}-tightened"),
            Some(&format!("request-{kw}-loosened")),
        );
        case(
            &response(tight),
            &response(loose),
            &format!("response-{kw}-loosened"),
            Some(&format!("response-{kw}-tightened")),
        );
    }
    // 3.0's boolean and 3.1's numeric exclusive bounds are read alike.
    let b30 = response(json!({"type": "integer", "maximum": 10, "exclusiveMaximum": true}));
    let b31 = response(json!({"type": "integer", "exclusiveMaximum": 10}));
    assert_eq!(ids(&b30, &b31), Vec::<&str>::new());
    let inclusive = request(json!({"type": "integer", "maximum": 10}));
    case(
        &inclusive,
        &request(json!({"type": "integer", "exclusiveMaximum": 10})),
        "request-maximum-tightened",
        Some("request-maximum-loosened"),
    );
    // Patterns are compared by the strings they accept: another set is both tighter and
    // looser; a narrower one only tighter (GitHub's commit SHA pattern, v22 → v23).
    let p = |re: &str| json!({"type": "string", "pattern": re});
    case(
        &request(p("^a")),
        &request(p("^b")),
        "request-pattern-tightened",
        Some("request-pattern-tightened"),
    );
    case(
        &response(p("^a")),
        &response(p("^b")),
        "response-pattern-loosened",
        Some("response-pattern-loosened"),
    );
    #[cfg(feature = "patterns")]
    patterns_by_meaning(&p);
}

/// With the `patterns` feature, patterns are compared by the strings they accept.
#[cfg(feature = "patterns")]
fn patterns_by_meaning(p: &dyn Fn(&str) -> Value) {
    let any_hex = p("^[0-9a-fA-F]+$");
    let sha = p("^([0-9a-fA-F]{40}(?:[0-9a-fA-F]{24})?)$");
    case(
        &request(any_hex.clone()),
        &request(sha.clone()),
        "request-pattern-tightened",
        Some("request-pattern-loosened"),
    );
    case(
        &response(sha),
        &response(any_hex),
        "response-pattern-loosened",
        Some("response-pattern-tightened"),
    );
    // A rewrite that accepts the same strings is no change.
    assert_eq!(
        ids(&request(p(r"^\d{3}$")), &request(p("^[0-9][0-9][0-9]$"))),
        Vec::<&str>::new()
    );
    // The message says what the new pattern accepts.
    let said = |old: &str, new: &str| {
        compare(&request(p(old)), &request(p(new)))
            .into_iter()
            .map(|c| c.message)
            .collect::<Vec<_>>()
    };
    assert!(
        said("^[0-9a-fA-F]+$", "^[0-9a-f]{40}$")[0].ends_with("(it accepts fewer strings)"),
        "{:?}",
        said("^[0-9a-fA-F]+$", "^[0-9a-f]{40}$")
    );
    assert!(said("^a", "^b")[0].ends_with("(it accepts other strings)"));
    assert!(said("^a", "(a)\\1")[0].ends_with("(not compared by meaning)"));
}
