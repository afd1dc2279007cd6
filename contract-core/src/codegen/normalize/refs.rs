//! `$ref`s the generator cannot follow. It looks a reference up by its last segment among the
//! document's `components`, so every reference must be `#/components/<kind>/<name>`:
//!
//! - `normalize/ref-hoist`: a schema reference into another place (`#/components/schemas/A/definitions/b`,
//!   `#/paths/…/schema`) → the schema is copied into `components/schemas` under a new name and
//!   every reference to it points there;
//! - `normalize/ref-inline`: a parameter, response or request body reference into another place
//!   (`#/paths/…/parameters/0`) → replaced by a copy of what it points to;
//! - `normalize/ref-unresolved`: a reference to another file or to nothing → a schema accepts
//!   any value, a parameter or request body is dropped, a response keeps its description only.
//!
//! References written percent-encoded (`%7B`) are decoded first.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value, json};

use super::names;
use crate::codegen::lower::walk;
use crate::codegen::note::Note;
use crate::util::json_pointer;

/// How many rounds of hoisting or inlining before giving up on a chain of references.
const MAX_ROUNDS: usize = 16;
/// How many references may be replaced by copies in all: a spec whose references copy each
/// other could otherwise grow exponentially. Beyond it they count as unresolved.
const MAX_INLINED: usize = 2_000;
/// How many JSON values (objects, arrays, scalars) all the copies may hold together.
const MAX_COPIED_VALUES: usize = 1_000_000;
/// How deeply nested a copy may end up. Copies of targets that contain references to
/// themselves nest deeper every round; the parser accepts 128 levels, and the rewrites after
/// this one (and dropping the document) recurse once per level.
const MAX_DEPTH: usize = 256;

/// How many values measuring reference targets may visit in all: each distinct target is
/// measured once per round, and beyond this budget no more copies are made.
const MAX_MEASURED_VALUES: usize = 20_000_000;

const TOO_LARGE: &str = "copies of reference targets would make the document too large";

/// The state of the inlining rounds.
#[derive(Default)]
struct Round {
    changed: bool,
    inlined: usize,
    copied_values: usize,
    /// The shape of each target measured in this round, by pointer (the snapshot targets are
    /// read from does not change within a round).
    shapes: HashMap<String, (usize, usize)>,
    measured_values: usize,
}

impl Round {
    /// Counts a copy of `target` (at `pointer` in the snapshot) to `at`, or says why it would
    /// go over a bound.
    fn take_copy(&mut self, target: &Value, pointer: &str, at: &str) -> Result<(), &'static str> {
        if self.inlined >= MAX_INLINED || self.copied_values >= MAX_COPIED_VALUES {
            return Err(TOO_LARGE);
        }
        let (depth, values) = match self.shapes.get(pointer) {
            Some(known) => *known,
            None if self.measured_values >= MAX_MEASURED_VALUES => return Err(TOO_LARGE),
            None => {
                let measured = shape(target, MAX_COPIED_VALUES);
                self.measured_values += measured.1;
                self.shapes.insert(pointer.to_string(), measured);
                measured
            }
        };
        if self.copied_values + values > MAX_COPIED_VALUES {
            return Err(TOO_LARGE);
        }
        if at.matches('/').count() + depth > MAX_DEPTH {
            return Err("its copy would be nested too deeply (a target that refers to itself)");
        }
        self.inlined += 1;
        self.copied_values += values;
        Ok(())
    }
}

/// The nesting depth of `value` and the number of values in it, without recursion; counting
/// stops once the values exceed `cap`.
fn shape(value: &Value, cap: usize) -> (usize, usize) {
    let (mut max_depth, mut values) = (0, 0);
    let mut stack = vec![(value, 1)];
    while let Some((value, depth)) = stack.pop() {
        values += 1;
        if values > cap {
            break;
        }
        max_depth = max_depth.max(depth);
        match value {
            Value::Object(map) => stack.extend(map.values().map(|v| (v, depth + 1))),
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            _ => {}
        }
    }
    (max_depth, values)
}

/// Applies the three rules to `document`.
pub(super) fn references(document: &mut Value, notes: &mut Vec<Note>) {
    // Most documents only have plain component references: one read-only pass tells.
    if !has_other_refs(document, document) {
        return;
    }
    for _ in 0..MAX_ROUNDS {
        if !hoist_schema_refs(document, notes) {
            break;
        }
    }
    let mut round = Round::default();
    for _ in 0..MAX_ROUNDS {
        // Most documents need no round at all: check before copying.
        if !has_other_refs(document, document) {
            break;
        }
        let snapshot = document.clone();
        round.changed = false;
        round.shapes.clear();
        other_refs(
            document,
            &snapshot,
            None,
            &mut String::new(),
            notes,
            &mut round,
        );
        if !round.changed {
            break;
        }
    }
}

/// The JSON pointer of a local reference (`#/a/b` → `/a/b`), percent-decoded; `None` for
/// references to other documents, and for fragments that do not percent-decode
/// ([`json_pointer::percent_decode`]).
pub(super) fn local_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return None;
    }
    json_pointer::percent_decode(fragment).map(Into::into)
}

/// `(kind, name)` when `pointer` is `/components/<kind>/<name>`.
fn component(pointer: &str) -> Option<(&str, String)> {
    let rest = pointer.strip_prefix("/components/")?;
    let (kind, name) = rest.split_once('/')?;
    (!name.contains('/')).then(|| (kind, json_pointer::unescape(name).into_owned()))
}

/// The reference a schema should use for component schema `name`.
fn schema_ref(name: &str) -> String {
    format!("#/components/schemas/{}", json_pointer::escape(name))
}

/// One round: finds schema references that are not `#/components/schemas/<name>`, copies their
/// targets into `components/schemas` and repoints them. Returns whether anything changed.
fn hoist_schema_refs(document: &mut Value, notes: &mut Vec<Note>) -> bool {
    let mut found: Vec<String> = Vec::new();
    walk::schemas(document, &mut |node, _| {
        if let Some(Value::String(r)) = node.get("$ref")
            && !is_canonical_schema_ref(r)
            && !found.contains(r)
        {
            found.push(r.clone());
        }
    });
    if found.is_empty() {
        return false;
    }
    let mut existing: Vec<String> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    // reference → what to write instead: a new component reference, or nothing (unresolved).
    let mut targets: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    for reference in &found {
        let target = local_pointer(reference).and_then(|p| {
            let value = document.pointer(&p)?;
            Some((p, value.clone()))
        });
        let replacement = match target {
            Some((pointer, _)) if component(&pointer).is_some_and(|(k, _)| k == "schemas") => {
                // Only the spelling differs (percent-encoding): no copy needed.
                component(&pointer).map(|(_, name)| schema_ref(&name))
            }
            Some((pointer, value)) => {
                let name = unique_name(&hoist_name(&pointer), &existing);
                existing.push(name.clone());
                hoisted.push((name.clone(), value));
                Some(schema_ref(&name))
            }
            None => None,
        };
        targets.insert(reference.clone(), replacement);
    }
    if !hoisted.is_empty() {
        let root = document.as_object_mut().expect("walked an object");
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if !components.is_object() {
            *components = Value::Object(Map::new());
        }
        let schemas = components
            .as_object_mut()
            .expect("made an object")
            .entry("schemas")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(schemas) = schemas {
            for (name, value) in hoisted {
                schemas.insert(name, value);
            }
        }
    }
    walk::schemas(document, &mut |node, at| {
        let Some(Value::String(r)) = node.get("$ref") else {
            return;
        };
        let Some(replacement) = targets.get(r) else {
            return;
        };
        let r = r.clone();
        match replacement {
            Some(new) => {
                notes.push(Note::new(
                    "normalize/ref-hoist",
                    at,
                    format!("`$ref: {r}` points to `{new}` (a copy of its target)"),
                ));
                node["$ref"] = Value::String(new.clone());
            }
            None => {
                notes.push(Note::new(
                    "normalize/ref-unresolved",
                    at,
                    format!("`$ref: {r}` cannot be resolved (another file or a missing target); the schema accepts any value"),
                ));
                *node = json!({});
            }
        }
    });
    true
}

fn is_canonical_schema_ref(reference: &str) -> bool {
    reference
        .strip_prefix("#/components/schemas/")
        .is_some_and(|name| !name.contains('/') && !name.contains('%'))
}

/// A component name for a schema found at `pointer`: its meaningful tokens, PascalCased.
fn hoist_name(pointer: &str) -> String {
    const SKIP: [&str; 12] = [
        "components",
        "schemas",
        "definitions",
        "$defs",
        "properties",
        "paths",
        "content",
        "schema",
        "parameters",
        "responses",
        "requestBody",
        "items",
    ];
    let tokens: Vec<String> = pointer
        .split('/')
        .filter(|t| {
            !t.is_empty() && !SKIP.contains(t) && !t.contains('~') && t.parse::<u64>().is_err()
        })
        .map(names::pascal)
        .collect();
    let name = tokens.concat();
    if name.is_empty() {
        "Hoisted".into()
    } else {
        name
    }
}

fn unique_name(base: &str, existing: &[String]) -> String {
    names::unused(base, |n| {
        existing
            .iter()
            .any(|e| names::pascal(e) == names::pascal(n))
    })
}

/// Whether `value` holds a reference [`other_refs`] would change: one that is not a plain
/// `#/components/<kind>/<name>` naming an existing component.
fn has_other_refs(value: &Value, root: &Value) -> bool {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                let plain = r.starts_with("#/components/")
                    && !r.contains('%')
                    && local_pointer(r)
                        .is_some_and(|p| component(&p).is_some() && root.pointer(&p).is_some());
                return !plain;
            }
            map.iter()
                .filter(|(k, _)| {
                    !k.starts_with("x-")
                        && !["example", "examples", "default", "enum"].contains(&k.as_str())
                })
                .any(|(_, v)| has_other_refs(v, root))
        }
        Value::Array(items) => items.iter().any(|v| has_other_refs(v, root)),
        _ => false,
    }
}

/// One round over the whole document for references outside schemas. `container` is the key
/// of the map or list holding `value`. Returns whether `value` must be removed from it.
fn other_refs(
    value: &mut Value,
    snapshot: &Value,
    container: Option<&str>,
    at: &mut String,
    notes: &mut Vec<Note>,
    round: &mut Round,
) -> bool {
    if value.get("$ref").is_some_and(Value::is_string) {
        return other_ref(value, snapshot, container, at, notes, round);
    }
    match value {
        Value::Object(map) => {
            let mut remove = Vec::new();
            for (k, v) in map.iter_mut() {
                if k.starts_with("x-")
                    || ["example", "examples", "default", "enum"].contains(&k.as_str())
                {
                    continue;
                }
                let len = at.len();
                json_pointer::push_token(at, k);
                if other_refs(v, snapshot, Some(k), at, notes, round) {
                    remove.push(k.clone());
                }
                at.truncate(len);
            }
            for k in remove {
                map.shift_remove(&k);
            }
            false
        }
        Value::Array(items) => {
            let mut keep = Vec::with_capacity(items.len());
            for (i, v) in items.iter_mut().enumerate() {
                let len = at.len();
                json_pointer::push_token(at, &i.to_string());
                keep.push(!other_refs(v, snapshot, container, at, notes, round));
                at.truncate(len);
            }
            let mut keep = keep.into_iter();
            items.retain(|_| keep.next().unwrap_or(true));
            false
        }
        _ => false,
    }
}

/// An object with `$ref` outside a schema: canonicalised, inlined, or (unresolved) replaced
/// or removed. Returns whether it must be removed.
fn other_ref(
    value: &mut Value,
    snapshot: &Value,
    container: Option<&str>,
    at: &str,
    notes: &mut Vec<Note>,
    round: &mut Round,
) -> bool {
    let Some(Value::String(r)) = value.get("$ref") else {
        return false;
    };
    let r = r.clone();
    let target = local_pointer(&r).and_then(|p| Some((snapshot.pointer(&p)?, p)));
    let unresolved = match target {
        Some((_, p)) if component(&p).is_some() => {
            let (kind, name) = component(&p).expect("checked");
            let canonical = format!("#/components/{kind}/{}", json_pointer::escape(&name));
            if canonical != r {
                value["$ref"] = Value::String(canonical);
                round.changed = true;
            }
            return false;
        }
        Some((target, p)) => match round.take_copy(target, &p, at) {
            Ok(()) => {
                notes.push(Note::new(
                    "normalize/ref-inline",
                    at,
                    format!("`$ref: {r}` replaced by a copy of its target"),
                ));
                *value = target.clone();
                round.changed = true;
                return false;
            }
            Err(reason) => format!("`$ref: {r}` is not copied: {reason}"),
        },
        None => format!("`$ref: {r}` cannot be resolved (another file or a missing target)"),
    };
    round.changed = true;
    if container == Some("responses") {
        notes.push(Note::new(
            "normalize/ref-unresolved",
            at,
            format!("{unresolved}; replaced by a response without content"),
        ));
        *value = json!({"description": format!("unresolved reference `{r}`")});
        false
    } else {
        notes.push(Note::new(
            "normalize/ref-unresolved",
            at,
            format!("{unresolved}; dropped"),
        ));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(mut doc: Value) -> (Value, Vec<Note>) {
        let mut notes = Vec::new();
        references(&mut doc, &mut notes);
        (doc, notes)
    }

    #[test]
    fn local_pointers_are_percent_decoded() {
        assert_eq!(
            local_pointer("#/paths/~1a~1%7Bid%7D").as_deref(),
            Some("/paths/~1a~1{id}")
        );
        assert_eq!(local_pointer("other.yaml#/a"), None);
        assert_eq!(
            local_pointer("#/components/schemas/A").as_deref(),
            Some("/components/schemas/A")
        );
        // Not a percent-encoded fragment: it names nothing (was kept literally before).
        assert_eq!(local_pointer("#/components/schemas/A%zz"), None);
        assert_eq!(local_pointer("#/components/schemas/%ff"), None);
    }

    #[test]
    fn deep_schema_refs_are_hoisted_into_components() {
        let (doc, notes) = run(json!({
            "paths": {"/a": {"get": {"parameters": [{"name": "p", "in": "query", "schema": {"$ref": "#/components/schemas/Order/definitions/line"}}]}}},
            "components": {"schemas": {
                "Order": {"definitions": {"line": {"type": "string"}}, "properties": {
                    "l": {"$ref": "#/components/schemas/Order/definitions/line"}
                }},
                "OrderLine": {"type": "integer"}
            }}
        }));
        assert_eq!(
            doc["components"]["schemas"]["OrderLine2"],
            json!({"type": "string"})
        );
        assert_eq!(
            doc["components"]["schemas"]["Order"]["properties"]["l"],
            json!({"$ref": "#/components/schemas/OrderLine2"})
        );
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"][0]["schema"],
            json!({"$ref": "#/components/schemas/OrderLine2"})
        );
        assert_eq!(notes.len(), 2);
        assert!(notes.iter().all(|n| n.rule == "normalize/ref-hoist"));
    }

    #[test]
    fn refs_into_paths_are_inlined() {
        let (doc, notes) = run(json!({
            "paths": {
                "/a/{id}": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]},
                "/b/{id}": {"get": {"parameters": [{"$ref": "#/paths/~1a~1%7Bid%7D/parameters/0"}]}}
            }
        }));
        assert_eq!(
            doc["paths"]["/b/{id}"]["get"]["parameters"][0],
            doc["paths"]["/a/{id}"]["parameters"][0]
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].rule, "normalize/ref-inline");
        assert_eq!(notes[0].pointer, "/paths/~1b~1{id}/get/parameters/0");
    }

    #[test]
    fn unresolved_refs_are_replaced_or_dropped() {
        let (doc, notes) = run(json!({
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "#/components/parameters/missing"}, {"name": "q", "in": "query", "schema": {"$ref": "other.yaml#/X"}}],
                "requestBody": {"$ref": "#/nowhere"}
            }}}
        }));
        assert_eq!(
            doc["paths"]["/a"]["get"],
            json!({"parameters": [{"name": "q", "in": "query", "schema": {}}]})
        );
        assert_eq!(notes.len(), 3);
        assert!(notes.iter().all(|n| n.rule == "normalize/ref-unresolved"));
    }

    #[test]
    fn copies_are_bounded() {
        // Each level refers to the one below four times: inlining everything would multiply
        // the document by four per round.
        let mut paths = serde_json::Map::new();
        for level in 0..12 {
            let below = format!("#/paths/~1l{}/get/parameters/0", level + 1);
            paths.insert(
                format!("/l{level}"),
                json!({"get": {"parameters": [
                    {"name": "p", "in": "query", "schema": {"type": "string"}, "x": [{"$ref": below}, {"$ref": below}, {"$ref": below}, {"$ref": below}]},
                    {"$ref": below}
                ]}}),
            );
        }
        let input = json!({ "paths": paths });
        let (doc, notes) = run(input.clone());
        let inlined = notes
            .iter()
            .filter(|n| n.rule == "normalize/ref-inline")
            .count();
        assert!((1..=MAX_INLINED).contains(&inlined), "{inlined} copies");
        assert!(shape(&doc, usize::MAX).1 <= shape(&input, usize::MAX).1 + MAX_COPIED_VALUES);
        assert!(
            notes
                .iter()
                .any(|n| n.message.contains("would make the document too large"))
        );
    }

    #[test]
    fn copies_of_self_referring_targets_stay_shallow() {
        // The parameter refers to the operation holding it: each round copies the operation
        // into itself, doubling the nesting, until the copy would be too deep.
        let (doc, notes) = run(json!({
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/paths/~1a/get"}]}}}
        }));
        let (depth, _) = shape(&doc, usize::MAX);
        assert!(depth <= MAX_DEPTH + 4, "depth {depth}");
        let last = notes.last().expect("notes");
        assert_eq!(last.rule, "normalize/ref-unresolved");
        assert!(
            last.message.contains("nested too deeply"),
            "{}",
            last.message
        );
    }

    #[test]
    fn references_to_the_whole_document_are_measured_once_per_round() {
        // Every copy of the document holds more references to the document: without a bound
        // on measuring, each of them measured a document of up to a million values.
        let filler: Vec<Value> = (0..2_000).map(|i| json!({"n": i})).collect();
        let (doc, notes) = run(json!({
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#"}, {"$ref": "#"}, {"$ref": "#"}]}}},
            "x-filler": filler
        }));
        assert!(shape(&doc, usize::MAX).1 <= 6_001 + MAX_COPIED_VALUES);
        assert!(notes.iter().any(|n| n.message.contains("too large")));
    }

    #[test]
    fn shape_counts_depth_and_values() {
        assert_eq!(shape(&json!(1), 10), (1, 1));
        assert_eq!(shape(&json!({"a": [1, {"b": null}], "c": 2}), 10), (4, 6));
        assert_eq!(shape(&json!([1, 2, 3, 4, 5]), 3).1, 4, "stops past the cap");
    }

    #[test]
    fn canonical_refs_are_untouched() {
        let input = json!({
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/p"}]}}},
            "components": {
                "parameters": {"p": {"name": "p", "in": "query", "schema": {"$ref": "#/components/schemas/S"}}},
                "schemas": {"S": {"type": "string"}}
            }
        });
        let (doc, notes) = run(input.clone());
        assert_eq!((doc, notes.len()), (input, 0));
    }
}
