//! `oneOf`/`anyOf` members matched across documents: identical members, then by `$ref`, then
//! by a signature (the references of an `allOf` member, its title, or the single-valued enum
//! properties that discriminate it), then by shared property names, then by a type found once
//! on each side, then a lone leftover pair; what remains was added or removed. A schema without variants facing one with variants is
//! compared as a single variant. Members without a type of their own (alternative `required`
//! sets) are constraints on the parent, not variants.

use serde_json::Value;

use super::resolve::{Doc, child, index, ref_of};
use super::rules::Rule;
use super::schema::{Slot, compare_with, pick};
use super::shape::{Types, View, describe, is_null_schema, type_names, types_of};
use super::walk::{Cx, Dir};

/// A `oneOf`/`anyOf` member (not the `null` one).
#[derive(Clone)]
pub(super) struct Variant<'a> {
    pub raw: &'a Value,
    pointer: String,
    reference: Option<&'a str>,
    types: Types,
    signature: Option<String>,
    /// Property names of an inline object member.
    props: Vec<&'a str>,
    constraint_only: bool,
}

fn prop_names(v: Option<&Value>) -> Vec<&str> {
    v.and_then(|v| v.get("properties"))
        .and_then(Value::as_object)
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// Shared property names over all property names.
fn overlap(a: &[&str], b: &[&str]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.iter().filter(|x| b.contains(x)).count();
    shared as f64 / (a.len() + b.len() - shared) as f64
}

/// Whether two variants are the same member.
type Matcher = dyn Fn(&Variant<'_>, &Variant<'_>) -> bool;

/// Keys that make a member a schema of its own rather than a constraint on its parent.
const SUBSTANTIVE: [&str; 11] = [
    "$ref",
    "type",
    "properties",
    "items",
    "enum",
    "const",
    "allOf",
    "oneOf",
    "anyOf",
    "additionalProperties",
    "format",
];

fn signature(doc: Doc<'_>, v: &Value) -> Option<String> {
    if let Some(members) = v.get("allOf").and_then(Value::as_array) {
        let refs: Vec<&str> = members.iter().filter_map(ref_of).collect();
        if !refs.is_empty() {
            return Some(format!("allOf:{}", refs.join(",")));
        }
    }
    if let Some(title) = v.get("title").and_then(Value::as_str) {
        return Some(format!("title:{title}"));
    }
    let props = v.get("properties")?.as_object()?;
    let mut tags: Vec<String> = props
        .iter()
        .filter_map(|(name, p)| {
            let p = doc.resolve_opt(p, String::new())?.value;
            let single = match (p.get("const"), p.get("enum").and_then(Value::as_array)) {
                (Some(c), _) => c.clone(),
                (None, Some(e)) if e.len() == 1 => e[0].clone(),
                _ => return None,
            };
            Some(format!("{name}={single}"))
        })
        .collect();
    tags.sort();
    (!tags.is_empty()).then(|| format!("tags:{}", tags.join(",")))
}

/// The non-null members of a schema's `oneOf` and `anyOf`.
pub(super) fn variants<'a>(doc: Doc<'a>, view: &View<'a>) -> Vec<Variant<'a>> {
    let mut out = Vec::new();
    for key in ["oneOf", "anyOf"] {
        let Some(members) = view.node.value.get(key).and_then(Value::as_array) else {
            continue;
        };
        let base = child(&view.node.pointer, key);
        for (i, raw) in members.iter().enumerate() {
            if is_null_schema(doc, raw) {
                continue;
            }
            let target = doc.resolve_opt(raw, String::new()).map(|t| t.value);
            let constraint_only = raw
                .as_object()
                .is_some_and(|m| !SUBSTANTIVE.iter().any(|k| m.contains_key(*k)));
            out.push(Variant {
                raw,
                pointer: index(&base, i),
                reference: ref_of(raw),
                types: target.map_or(0, |t| types_of(doc, t, 0)),
                signature: target.and_then(|t| signature(doc, t)),
                props: if ref_of(raw).is_none() {
                    prop_names(target)
                } else {
                    Vec::new()
                },
                constraint_only,
            });
        }
    }
    out
}

/// Splits variants into real ones and constraint-only ones.
pub(super) fn split_constraints<'a>(all: Vec<Variant<'a>>) -> (Vec<Variant<'a>>, Vec<Variant<'a>>) {
    all.into_iter().partition(|v| !v.constraint_only)
}

fn lifted<'a>(doc: Doc<'a>, view: &View<'a>) -> Variant<'a> {
    Variant {
        raw: view.node.value,
        pointer: view.node.pointer.clone(),
        reference: None,
        types: types_of(doc, view.node.value, 0),
        signature: signature(doc, view.node.value),
        props: prop_names(Some(view.node.value)),
        constraint_only: false,
    }
}

/// Compares two variant lists; `nullable` is whether each parent admits null.
pub(super) fn compare_variants<'a>(
    cx: &mut Cx<'a>,
    old_view: &View<'a>,
    mut ovars: Vec<Variant<'a>>,
    new_view: &View<'a>,
    mut nvars: Vec<Variant<'a>>,
    dir: Dir,
    nullable: (bool, bool),
) {
    if ovars.is_empty() {
        ovars.push(lifted(cx.old, old_view));
    }
    if nvars.is_empty() {
        nvars.push(lifted(cx.new, new_view));
    }
    let mut m = Matching::new(ovars.len(), nvars.len());
    m.exact_passes(&ovars, &nvars);
    m.by_property_names(&ovars, &nvars);
    m.by_lone_type(&ovars, &nvars);
    m.lone_leftovers(&ovars, &nvars);
    unmatched(cx, old_view, &ovars, new_view, &nvars, &m, dir);
    let mut pairs = m.pairs;
    pairs.sort_unstable();
    for (i, j) in pairs {
        let (a, b) = (&ovars[i], &nvars[j]);
        if std::ptr::eq(a.raw, old_view.node.value) && std::ptr::eq(b.raw, new_view.node.value) {
            continue;
        }
        compare_with(
            cx,
            a.raw,
            a.pointer.clone(),
            b.raw,
            b.pointer.clone(),
            dir,
            Slot {
                parent_null: nullable,
                in_option: false,
            },
        );
    }
}

/// Which old variant goes with which new one.
struct Matching {
    pairs: Vec<(usize, usize)>,
    used_old: Vec<bool>,
    used_new: Vec<bool>,
}

impl Matching {
    fn new(old: usize, new: usize) -> Self {
        Matching {
            pairs: Vec::new(),
            used_old: vec![false; old],
            used_new: vec![false; new],
        }
    }

    fn pair(&mut self, i: usize, j: usize) {
        self.used_old[i] = true;
        self.used_new[j] = true;
        self.pairs.push((i, j));
    }

    /// 0. identical members; 1. the same reference; 2. the same signature.
    fn exact_passes(&mut self, ovars: &[Variant<'_>], nvars: &[Variant<'_>]) {
        let passes: [&Matcher; 3] = [
            &|a, b| a.raw == b.raw,
            &|a, b| a.reference.is_some() && a.reference == b.reference,
            &|a, b| a.signature.is_some() && a.signature == b.signature,
        ];
        for pass in passes {
            for (i, old) in ovars.iter().enumerate() {
                if self.used_old[i] {
                    continue;
                }
                if let Some(j) =
                    (0..nvars.len()).find(|&j| !self.used_new[j] && pass(old, &nvars[j]))
                {
                    self.pair(i, j);
                }
            }
        }
    }

    /// 3. inline objects sharing most of their property names, best pairs first.
    fn by_property_names(&mut self, ovars: &[Variant<'_>], nvars: &[Variant<'_>]) {
        let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
        for i in (0..ovars.len()).filter(|&i| !self.used_old[i]) {
            for j in (0..nvars.len()).filter(|&j| !self.used_new[j]) {
                let score = overlap(&ovars[i].props, &nvars[j].props);
                if score >= 0.5 {
                    candidates.push((score, i, j));
                }
            }
        }
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (_, i, j) in candidates {
            if !self.used_old[i] && !self.used_new[j] {
                self.pair(i, j);
            }
        }
    }

    /// 4. a type that only one unmatched variant has on each side (not two distinct refs).
    fn by_lone_type(&mut self, ovars: &[Variant<'_>], nvars: &[Variant<'_>]) {
        for i in 0..ovars.len() {
            if self.used_old[i] {
                continue;
            }
            let t = ovars[i].types;
            let olds: Vec<usize> = (0..ovars.len())
                .filter(|&k| !self.used_old[k] && ovars[k].types == t)
                .collect();
            let news: Vec<usize> = (0..nvars.len())
                .filter(|&k| !self.used_new[k] && nvars[k].types == t)
                .collect();
            if let ([a], [b]) = (olds.as_slice(), news.as_slice())
                && (ovars[*a].reference.is_none() || nvars[*b].reference.is_none())
            {
                self.pair(*a, *b);
            }
        }
    }

    /// 5. a lone leftover pair, unless both are distinct references.
    fn lone_leftovers(&mut self, ovars: &[Variant<'_>], nvars: &[Variant<'_>]) {
        let left_old: Vec<usize> = (0..ovars.len()).filter(|&i| !self.used_old[i]).collect();
        let left_new: Vec<usize> = (0..nvars.len()).filter(|&j| !self.used_new[j]).collect();
        if let ([i], [j]) = (left_old.as_slice(), left_new.as_slice())
            && (ovars[*i].reference.is_none() || nvars[*j].reference.is_none())
        {
            self.pair(*i, *j);
        }
    }
}

/// The variants left unmatched: removed (old side) and added (new side).
fn unmatched(
    cx: &mut Cx<'_>,
    old_view: &View<'_>,
    ovars: &[Variant<'_>],
    new_view: &View<'_>,
    nvars: &[Variant<'_>],
    m: &Matching,
    dir: Dir,
) {
    let what = describe(&new_view.node.pointer);
    for (i, v) in ovars.iter().enumerate().filter(|(i, _)| !m.used_old[*i]) {
        cx.emit(
            pick(
                dir,
                Rule::RequestVariantRemoved,
                Rule::ResponseVariantRemoved,
            ),
            Some(&v.pointer),
            Some(&new_view.node.pointer),
            format!("variant {} of {what} was removed", name(v, i)),
        );
    }
    for (j, v) in nvars.iter().enumerate().filter(|(j, _)| !m.used_new[*j]) {
        cx.emit(
            pick(dir, Rule::RequestVariantAdded, Rule::ResponseVariantAdded),
            Some(&old_view.node.pointer),
            Some(&v.pointer),
            format!("variant {} was added to {what}", name(v, j)),
        );
    }
}

fn name(v: &Variant<'_>, i: usize) -> String {
    match (v.reference, &v.signature) {
        (Some(r), _) => format!("`{}`", r.rsplit('/').next().unwrap_or(r)),
        (None, Some(s)) => {
            let (_, body) = s.split_once(':').unwrap_or(("", s));
            let first = body.split(',').next().unwrap_or(body);
            format!("`{}`", first.rsplit('/').next().unwrap_or(first))
        }
        (None, None) => format!("#{i} ({})", type_names(v.types)),
    }
}
