//! Objects: properties matched by name across `properties` and every `allOf` member (so
//! moving a property into a shared base schema is no change), `required`, `readOnly` /
//! `writeOnly`, and `additionalProperties`.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::resolve::{Doc, addr, child, index};
use super::rules::Rule;
use super::schema::{self, Slot};
use super::shape::{self, View, describe};
use super::walk::{Cx, Dir};

/// How deep `allOf` members are followed when collecting properties.
const MAX_ALL_OF_DEPTH: usize = 16;

struct Prop<'a> {
    name: &'a str,
    value: &'a Value,
    pointer: String,
}

enum Additional<'a> {
    /// Absent, `true` or `{}`.
    Open,
    /// `false`.
    Closed,
    /// A schema for the values.
    Schema(&'a Value, String),
}

/// An object schema with its `allOf` members merged.
struct Flat<'a> {
    props: Vec<Prop<'a>>,
    index: HashMap<&'a str, usize>,
    required: Vec<&'a str>,
    additional: Additional<'a>,
    /// Addresses of the named schemas merged in through `allOf`.
    members: Vec<usize>,
}

impl<'a> Flat<'a> {
    fn get(&self, name: &str) -> Option<&Prop<'a>> {
        self.index.get(name).map(|&i| &self.props[i])
    }
}

fn flatten<'a>(doc: Doc<'a>, value: &'a Value, pointer: &str) -> Flat<'a> {
    let mut flat = Flat {
        props: Vec::new(),
        index: HashMap::new(),
        required: Vec::new(),
        additional: Additional::Open,
        members: Vec::new(),
    };
    let mut visited = HashSet::new();
    collect(doc, value, pointer, 0, &mut flat, &mut visited, true);
    flat
}

fn collect<'a>(
    doc: Doc<'a>,
    value: &'a Value,
    pointer: &str,
    depth: usize,
    flat: &mut Flat<'a>,
    visited: &mut HashSet<usize>,
    top: bool,
) {
    if depth > MAX_ALL_OF_DEPTH || !visited.insert(addr(value)) {
        return;
    }
    if let Some(props) = value.get("properties").and_then(Value::as_object) {
        let base = child(pointer, "properties");
        for (name, schema) in props {
            if !flat.index.contains_key(name.as_str()) {
                flat.index.insert(name, flat.props.len());
                flat.props.push(Prop {
                    name,
                    value: schema,
                    pointer: child(&base, name),
                });
            }
        }
    }
    if let Some(required) = value.get("required").and_then(Value::as_array) {
        for name in required.iter().filter_map(Value::as_str) {
            if !flat.required.contains(&name) {
                flat.required.push(name);
            }
        }
    }
    match value.get("additionalProperties") {
        Some(Value::Bool(false)) => flat.additional = Additional::Closed,
        Some(s @ Value::Object(map))
            if !map.is_empty() && (top || matches!(flat.additional, Additional::Open)) =>
        {
            flat.additional = Additional::Schema(s, child(pointer, "additionalProperties"));
        }
        _ => {}
    }
    if let Some(members) = value.get("allOf").and_then(Value::as_array) {
        let base = child(pointer, "allOf");
        for (i, member) in members.iter().enumerate() {
            if let Some(node) = doc.resolve_opt(member, index(&base, i)) {
                if node.via_ref {
                    flat.members.push(addr(node.value));
                }
                collect(
                    doc,
                    node.value,
                    &node.pointer,
                    depth + 1,
                    flat,
                    visited,
                    false,
                );
            }
        }
    }
}

/// Whether a property schema (or what it references) carries a `true` flag.
fn flag(doc: Doc<'_>, value: &Value, key: &str) -> bool {
    let own = value.get(key).and_then(Value::as_bool) == Some(true);
    own || doc
        .resolve_opt(value, String::new())
        .is_some_and(|n| n.value.get(key).and_then(Value::as_bool) == Some(true))
}

/// The two flattened objects of a comparison, with what the direction hides.
struct Sides<'s, 'a> {
    old: &'s Flat<'a>,
    new: &'s Flat<'a>,
    old_ptr: &'s str,
    new_ptr: &'s str,
    dir: Dir,
    /// `readOnly` for requests (never sent), `writeOnly` for responses (never returned).
    hidden: &'static str,
}

/// Compares the object parts of two schemas.
pub(super) fn compare<'a>(cx: &mut Cx<'a>, old_view: &View<'a>, new_view: &View<'a>, dir: Dir) {
    let (old_ptr, new_ptr) = (
        old_view.node.pointer.as_str(),
        new_view.node.pointer.as_str(),
    );
    let old = flatten(cx.old, old_view.node.value, old_ptr);
    let new = flatten(cx.new, new_view.node.value, new_ptr);
    // Named schemas merged through `allOf` are compared here, as part of this object.
    cx.reached_old_schemas.extend(old.members.iter().copied());
    let hidden = match dir {
        Dir::Request => "readOnly",
        Dir::Response => "writeOnly",
    };
    let sides = Sides {
        old: &old,
        new: &new,
        old_ptr,
        new_ptr,
        dir,
        hidden,
    };
    for p in &old.props {
        old_property(cx, &sides, p);
    }
    for q in &new.props {
        added_property(cx, &sides, q);
    }
    required_without_schema(cx, &sides);
    additional(cx, &old, old_ptr, &new, new_ptr, dir);
}

impl<'a> Sides<'_, 'a> {
    fn required(&self, flat: &Flat<'a>, doc: Doc<'a>, name: &str) -> bool {
        flat.required.contains(&name)
            && !flat
                .get(name)
                .is_some_and(|p| flag(doc, p.value, self.hidden))
    }
}

/// One property of the old object: removed, hidden, required or optional, and its schema.
fn old_property<'a>(cx: &mut Cx<'a>, s: &Sides<'_, 'a>, p: &Prop<'a>) {
    let (old_doc, new_doc) = (cx.old, cx.new);
    let old_hidden = flag(old_doc, p.value, s.hidden);
    let was_required = s.required(s.old, old_doc, p.name);
    let Some(q) = s.new.get(p.name) else {
        if !old_hidden {
            removed_property(cx, s, p, was_required);
        }
        return;
    };
    let new_hidden = flag(new_doc, q.value, s.hidden);
    if old_hidden && new_hidden {
        return;
    }
    if new_hidden {
        let (rule, became) = match s.dir {
            Dir::Request => (Rule::RequestPropertyBecameReadOnly, "read-only"),
            Dir::Response => (Rule::ResponsePropertyBecameWriteOnly, "write-only"),
        };
        let message = format!("property `{}` became {became}", p.name);
        cx.emit(rule, Some(&p.pointer), Some(&q.pointer), message);
        return;
    }
    let now_required = s.required(s.new, new_doc, p.name);
    let rule = match (s.dir, was_required, now_required) {
        (Dir::Request, false, true) => Some((Rule::RequestPropertyBecameRequired, "required")),
        (Dir::Request, true, false) => Some((Rule::RequestPropertyBecameOptional, "optional")),
        (Dir::Response, true, false) => Some((Rule::ResponsePropertyBecameOptional, "optional")),
        (Dir::Response, false, true) => Some((Rule::ResponsePropertyBecameRequired, "required")),
        _ => None,
    };
    if let Some((rule, kind)) = rule {
        let message = format!("property `{}` became {kind}", p.name);
        cx.emit(rule, Some(&p.pointer), Some(&q.pointer), message);
    }
    let slot = Slot {
        in_option: s.dir == Dir::Response && !was_required && held_in_option(old_doc, p.value),
        ..Slot::default()
    };
    schema::compare_with(
        cx,
        p.value,
        p.pointer.clone(),
        q.value,
        q.pointer.clone(),
        s.dir,
        slot,
    );
}

/// Whether the client generated from the old spec holds an optional property in an `Option`
/// (so a `null` reads as `None`). typify does so unless the property has a `default` or is an
/// array or a map, which it holds as a plain `Vec`/map filled by `#[serde(default)]` (and
/// there `null` fails).
fn held_in_option(doc: Doc<'_>, value: &Value) -> bool {
    let Ok(v) = shape::view(doc, value, String::new()) else {
        return false;
    };
    let v = v.node.value;
    let types = shape::types_of(doc, v, 0);
    let map = types & shape::OBJECT != 0
        && v.get("properties")
            .and_then(Value::as_object)
            .is_none_or(serde_json::Map::is_empty)
        && v.get("allOf").is_none();
    v.get("default").is_none()
        && value.get("default").is_none()
        && types & shape::ARRAY == 0
        && !map
}

fn removed_property(cx: &mut Cx<'_>, s: &Sides<'_, '_>, p: &Prop<'_>, was_required: bool) {
    let rule = match s.dir {
        Dir::Request => Rule::RequestPropertyRemoved,
        Dir::Response if was_required => Rule::ResponseRequiredPropertyRemoved,
        Dir::Response => Rule::ResponseOptionalPropertyRemoved,
    };
    let kind = if was_required { "required" } else { "optional" };
    cx.emit(
        rule,
        Some(&p.pointer),
        Some(s.new_ptr),
        format!("{kind} property `{}` was removed", p.name),
    );
}

/// One property of the new object that the old one does not have.
fn added_property<'a>(cx: &mut Cx<'a>, s: &Sides<'_, 'a>, q: &Prop<'a>) {
    let new_doc = cx.new;
    if s.old.get(q.name).is_some() || flag(new_doc, q.value, s.hidden) {
        return;
    }
    let required = s.required(s.new, new_doc, q.name);
    let kind = if required { "required" } else { "optional" };
    let closed_old = matches!(s.old.additional, Additional::Closed);
    let (rule, message) = match s.dir {
        Dir::Request if required => (
            Rule::RequestPropertyAddedRequired,
            format!("{kind} property `{}` was added", q.name),
        ),
        Dir::Request => (
            Rule::RequestPropertyAddedOptional,
            format!("{kind} property `{}` was added", q.name),
        ),
        Dir::Response if closed_old => (
            Rule::ResponsePropertyAddedToClosedObject,
            format!(
                "{kind} property `{}` was added to an object with `additionalProperties: false`",
                q.name
            ),
        ),
        Dir::Response => (
            Rule::ResponsePropertyAdded,
            format!("{kind} property `{}` was added", q.name),
        ),
    };
    cx.emit(rule, Some(s.old_ptr), Some(&q.pointer), message);
}

/// Required names without a property schema (free-form objects).
fn required_without_schema(cx: &mut Cx<'_>, s: &Sides<'_, '_>) {
    let (old, new) = (s.old, s.new);
    for name in &new.required {
        if new.get(name).is_none()
            && old.get(name).is_none()
            && !old.required.contains(name)
            && s.dir == Dir::Request
        {
            cx.emit(
                Rule::RequestPropertyBecameRequired,
                Some(s.old_ptr),
                Some(&child(s.new_ptr, "required")),
                format!("property `{name}` became required"),
            );
        }
    }
    for name in &old.required {
        if new.get(name).is_none()
            && old.get(name).is_none()
            && !new.required.contains(name)
            && s.dir == Dir::Response
        {
            cx.emit(
                Rule::ResponsePropertyBecameOptional,
                Some(&child(s.old_ptr, "required")),
                Some(s.new_ptr),
                format!("property `{name}` became optional"),
            );
        }
    }
}

fn additional<'a>(
    cx: &mut Cx<'a>,
    old: &Flat<'a>,
    old_ptr: &str,
    new: &Flat<'a>,
    new_ptr: &str,
    dir: Dir,
) {
    use Additional::{Closed, Open, Schema};
    let what = describe(new_ptr);
    let state = |a: &Additional<'_>| match a {
        Open => "any additional properties",
        Closed => "no additional properties",
        Schema(..) => "additional properties of one schema",
    };
    let rule = match (&old.additional, &new.additional) {
        (Open, Open) | (Closed, Closed) => None,
        (Schema(old_schema, old_schema_ptr), Schema(new_schema, new_schema_ptr)) => {
            schema::compare(
                cx,
                old_schema,
                old_schema_ptr.clone(),
                new_schema,
                new_schema_ptr.clone(),
                dir,
            );
            None
        }
        // Fewer accepted: breaks requests; more returned: breaks responses.
        (Open, Closed) | (Open, Schema(..)) | (Schema(..), Closed) => Some(match dir {
            Dir::Request => Rule::RequestAdditionalPropertiesRestricted,
            Dir::Response => Rule::ResponseAdditionalPropertiesRestricted,
        }),
        (Closed, Open) | (Closed, Schema(..)) | (Schema(..), Open) => Some(match dir {
            Dir::Request => Rule::RequestAdditionalPropertiesLoosened,
            Dir::Response => Rule::ResponseAdditionalPropertiesAllowed,
        }),
    };
    if let Some(rule) = rule {
        cx.emit(
            rule,
            Some(old_ptr),
            Some(new_ptr),
            format!(
                "{what} changed from {} to {}",
                state(&old.additional),
                state(&new.additional)
            ),
        );
    }
}
