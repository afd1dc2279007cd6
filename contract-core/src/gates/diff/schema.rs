//! Two schemas against each other, in a direction ([`Dir`]): types (3.0 `nullable` and 3.1
//! `type: [T, "null"]` alike), enums, formats, defaults, `oneOf`/`anyOf` variants, arrays,
//! deprecation, discriminators; objects in [`super::object`], variants in
//! [`super::variants`], validation keywords in [`super::keywords`]; what a schema is (its view,
//! types, nullability) in [`super::shape`].
//!
//! References are followed, never inlined: a pair of nodes reached through a `$ref` is
//! compared once per direction (memoised by address), so shared components cost one
//! comparison and recursive schemas terminate. Wrappers that only annotate a single schema
//! (`allOf: [X]`, `anyOf: [X, {type: null}]`) are seen through.

use serde_json::Value;

use super::resolve::{Doc, addr, child};
use super::rules::Rule;
use super::shape::{
    ARRAY, OBJECT, Types, View, covers, describe, describe_pair, is_null_schema, nullable, show,
    type_names, types_of, view,
};
use super::values::ValueSet;
use super::variants::{compare_variants, split_constraints, variants};
use super::walk::{Cx, Dir, Memo};
use super::{keywords, object};

/// Where a schema sits, beyond its direction.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Slot {
    /// Whether each parent admits null (a `oneOf`/`anyOf` variant need not repeat it).
    pub parent_null: (bool, bool),
    /// An optional response property that the client generated from the old spec holds in an
    /// `Option` (see [`super::object`]): `null` reads as `None`, so becoming nullable is
    /// compatible.
    pub in_option: bool,
}

/// Compares two schemas found at these pointers.
pub(super) fn compare<'a>(
    cx: &mut Cx<'a>,
    old: &'a Value,
    old_ptr: String,
    new: &'a Value,
    new_ptr: String,
    dir: Dir,
) {
    compare_with(cx, old, old_ptr, new, new_ptr, dir, Slot::default());
}

/// [`compare`], for schemas in a [`Slot`].
pub(super) fn compare_with<'a>(
    cx: &mut Cx<'a>,
    old: &'a Value,
    old_ptr: String,
    new: &'a Value,
    new_ptr: String,
    dir: Dir,
    slot: Slot,
) {
    match (
        view(cx.old, old, old_ptr.clone()),
        view(cx.new, new, new_ptr.clone()),
    ) {
        (Ok(mut old_view), Ok(mut new_view)) => {
            old_view.null_wrapped |= slot.parent_null.0;
            new_view.null_wrapped |= slot.parent_null.1;
            nullability(cx, &old_view, &new_view, dir, slot.in_option);
            compare_views(cx, old_view, new_view, dir)
        }
        (Err(a), Err(b)) if a == b => {}
        (old_view, new_view) => {
            let show = |r: &Result<View<'_>, &str>| match r {
                Ok(_) => "a schema".to_string(),
                Err(r) => format!("unresolvable `{r}`"),
            };
            cx.emit(
                Rule::UnresolvedRefChanged,
                Some(&old_ptr),
                Some(&new_ptr),
                format!("{} became {}", show(&old_view), show(&new_view)),
            );
        }
    }
}

/// Compares two named schemas directly (both treated as reached through a reference).
pub(super) fn compare_named<'a>(
    cx: &mut Cx<'a>,
    old: &'a Value,
    new: &'a Value,
    ptr: String,
    dir: Dir,
) {
    if let (Ok(mut old_view), Ok(mut new_view)) =
        (view(cx.old, old, ptr.clone()), view(cx.new, new, ptr))
    {
        old_view.node.via_ref = true;
        new_view.node.via_ref = true;
        nullability(cx, &old_view, &new_view, dir, false);
        compare_views(cx, old_view, new_view, dir);
    }
}

pub(super) fn pick(dir: Dir, request: Rule, response: Rule) -> Rule {
    match dir {
        Dir::Request => request,
        Dir::Response => response,
    }
}

/// Whether null became admitted or refused. Judged for every place a schema is used, before
/// the memo of [`compare_views`]: a shared schema may sit in an `Option` in one place and in a
/// plain field in another (equal findings are merged afterwards).
fn nullability<'a>(
    cx: &mut Cx<'a>,
    old_view: &View<'a>,
    new_view: &View<'a>,
    dir: Dir,
    in_option: bool,
) {
    if !old_view.node.value.is_object() || !new_view.node.value.is_object() {
        return;
    }
    let (old_ptr, new_ptr) = (
        old_view.node.pointer.as_str(),
        new_view.node.pointer.as_str(),
    );
    let what = describe_pair(old_ptr, new_ptr);
    let rule = match (nullable(cx.old, old_view), nullable(cx.new, new_view), dir) {
        (false, true, Dir::Response) if in_option => Rule::ResponseOptionalPropertyBecameNullable,
        (false, true, _) => pick(
            dir,
            Rule::RequestBecameNullable,
            Rule::ResponseBecameNullable,
        ),
        (true, false, _) => pick(
            dir,
            Rule::RequestBecameNonNullable,
            Rule::ResponseBecameNonNullable,
        ),
        _ => return,
    };
    let message = if rule == Rule::ResponseOptionalPropertyBecameNullable {
        format!("{what} became nullable (optional: the client already holds it in an `Option`)")
    } else if matches!(
        rule,
        Rule::RequestBecameNullable | Rule::ResponseBecameNullable
    ) {
        format!("{what} became nullable")
    } else {
        format!("{what} is no longer nullable")
    };
    cx.emit(rule, Some(old_ptr), Some(new_ptr), message);
}

/// Compares two schema views (nullability excepted: see [`nullability`]).
pub(super) fn compare_views<'a>(cx: &mut Cx<'a>, old_view: View<'a>, new_view: View<'a>, dir: Dir) {
    if old_view.node.via_ref {
        cx.reached_old_schemas.insert(addr(old_view.node.value));
    }
    // Nodes inside components can be reached many ways: through references, and inline ones
    // through the `allOf` members merged into objects (which recursive schemas do forever).
    let in_components = |v: &View<'_>| v.node.pointer.starts_with("/components/");
    let shared = old_view.node.via_ref
        || new_view.node.via_ref
        || in_components(&old_view)
        || in_components(&new_view);
    if shared && !cx.first_visit(old_view.node.value, new_view.node.value, Memo::Schema(dir)) {
        return;
    }
    compare_parts(cx, &old_view, &new_view, dir);
    if shared {
        cx.leave();
    }
}

/// Everything [`compare_views`] compares, once per pair.
fn compare_parts<'a>(cx: &mut Cx<'a>, old_view: &View<'a>, new_view: &View<'a>, dir: Dir) {
    let (ov, nv) = (old_view.node.value, new_view.node.value);
    if !ov.is_object() || !nv.is_object() {
        boolean_schemas(cx, old_view, new_view, dir);
        return;
    }
    if !compare_variant_parts(cx, old_view, new_view, dir) {
        return;
    }
    let (old_ptr, new_ptr) = (
        old_view.node.pointer.as_str(),
        new_view.node.pointer.as_str(),
    );
    let what = describe_pair(old_ptr, new_ptr);
    let Some(types) = compare_types(cx, old_view, new_view, dir, &what) else {
        return;
    };
    let (oenum, nenum) = (enum_like(cx.old, ov), enum_like(cx.new, nv));
    enums(cx, (oenum, old_ptr), (nenum, new_ptr), dir, &what);
    format(cx, ov, old_ptr, nv, new_ptr, dir, &what);
    default(cx, ov, old_ptr, nv, new_ptr, dir, &what);
    keywords::compare(cx, ov, old_ptr, nv, new_ptr, dir, &what);
    if ov.get("deprecated") != Some(&Value::Bool(true))
        && nv.get("deprecated") == Some(&Value::Bool(true))
    {
        cx.emit(
            Rule::SchemaDeprecated,
            Some(old_ptr),
            Some(new_ptr),
            format!("{what} was deprecated"),
        );
    }
    discriminator(cx, ov, old_ptr, nv, new_ptr, &what);
    if ov.get("not") != nv.get("not") {
        cx.emit(
            Rule::SchemaNotChanged,
            Some(old_ptr),
            Some(new_ptr),
            format!("the `not` subschema of {what} changed"),
        );
    }
    let (ot, nt) = types;
    let (o_obj, n_obj) = (ot == 0 || ot & OBJECT != 0, nt == 0 || nt & OBJECT != 0);
    if o_obj && n_obj {
        object::compare(cx, old_view, new_view, dir);
    }
    items(cx, ov, old_ptr, nv, new_ptr, dir, &what);
}

/// Boolean schemas (3.1): `true` accepts anything, `false` nothing.
fn boolean_schemas(cx: &mut Cx<'_>, old_view: &View<'_>, new_view: &View<'_>, dir: Dir) {
    let (ov, nv) = (old_view.node.value, new_view.node.value);
    if ov != nv {
        let new_ptr = new_view.node.pointer.as_str();
        cx.emit(
            pick(dir, Rule::RequestTypeChanged, Rule::ResponseTypeChanged),
            Some(&old_view.node.pointer),
            Some(new_ptr),
            format!(
                "{} changed from {} to {}",
                describe(new_ptr),
                show(ov),
                show(nv)
            ),
        );
    }
}

/// `oneOf`/`anyOf` constraints and variants. Returns whether the rest of the schemas is
/// still to compare (not when one side had no variants and was compared as one).
fn compare_variant_parts<'a>(
    cx: &mut Cx<'a>,
    old_view: &View<'a>,
    new_view: &View<'a>,
    dir: Dir,
) -> bool {
    let (old_ptr, new_ptr) = (
        old_view.node.pointer.as_str(),
        new_view.node.pointer.as_str(),
    );
    let (ovars, ocons) = split_constraints(variants(cx.old, old_view));
    let (nvars, ncons) = split_constraints(variants(cx.new, new_view));
    if !ocons.iter().map(|v| v.raw).eq(ncons.iter().map(|v| v.raw)) {
        cx.emit(
            Rule::CompositionConstraintsChanged,
            Some(old_ptr),
            Some(new_ptr),
            format!(
                "the `oneOf`/`anyOf` constraints of {} changed",
                describe_pair(old_ptr, new_ptr)
            ),
        );
    }
    let enum_only = enum_like(cx.old, old_view.node.value).is_some()
        && enum_like(cx.new, new_view.node.value).is_some();
    if (ovars.is_empty() && nvars.is_empty()) || enum_only {
        return true;
    }
    let lifted = ovars.is_empty() || nvars.is_empty();
    let null = (nullable(cx.old, old_view), nullable(cx.new, new_view));
    compare_variants(cx, old_view, ovars, new_view, nvars, dir, null);
    !lifted
}

/// The types; `None` when they changed incompatibly (nothing more to say about the rest).
fn compare_types(
    cx: &mut Cx<'_>,
    old_view: &View<'_>,
    new_view: &View<'_>,
    dir: Dir,
    what: &str,
) -> Option<(Types, Types)> {
    let (ot, nt) = (
        types_of(cx.old, old_view.node.value, 0),
        types_of(cx.new, new_view.node.value, 0),
    );
    if ot == nt {
        return Some((ot, nt));
    }
    let (rule, compatible) = match dir {
        Dir::Request if covers(nt, ot) => (Rule::RequestTypeWidened, true),
        Dir::Request => (Rule::RequestTypeChanged, false),
        Dir::Response if covers(ot, nt) => (Rule::ResponseTypeNarrowed, true),
        Dir::Response => (Rule::ResponseTypeChanged, false),
    };
    cx.emit(
        rule,
        Some(&old_view.node.pointer),
        Some(&new_view.node.pointer),
        format!(
            "type of {what} changed from {} to {}",
            type_names(ot),
            type_names(nt)
        ),
    );
    compatible.then_some((ot, nt))
}

fn default(
    cx: &mut Cx<'_>,
    ov: &Value,
    old_ptr: &str,
    nv: &Value,
    new_ptr: &str,
    dir: Dir,
    what: &str,
) {
    if ov.get("default") == nv.get("default") {
        return;
    }
    let rule = pick(
        dir,
        Rule::RequestDefaultChanged,
        Rule::ResponseDefaultChanged,
    );
    let show_opt = |v: Option<&Value>| v.map_or("(none)".to_string(), show);
    cx.emit(
        rule,
        Some(old_ptr),
        Some(new_ptr),
        format!(
            "default of {what} changed from {} to {}",
            show_opt(ov.get("default")),
            show_opt(nv.get("default"))
        ),
    );
}

fn enum_values(v: &Value) -> Option<Vec<&Value>> {
    if let Some(values) = v.get("enum").and_then(Value::as_array) {
        return Some(values.iter().filter(|x| !x.is_null()).collect());
    }
    v.get("const").filter(|c| !c.is_null()).map(|c| vec![c])
}

/// The values a schema is restricted to: its own `enum`/`const`, or, for a `oneOf`/`anyOf`
/// whose members are all bare enums (`oneOf: [{enum: [a]}, {enum: [b]}]`), their union.
fn enum_like<'a>(doc: Doc<'a>, v: &'a Value) -> Option<Vec<&'a Value>> {
    if let Some(values) = enum_values(v) {
        return Some(values);
    }
    let mut union = ValueSet::default();
    let mut any = false;
    for key in ["oneOf", "anyOf"] {
        for m in v.get(key).and_then(Value::as_array).into_iter().flatten() {
            if is_null_schema(doc, m) {
                continue;
            }
            let member = doc.resolve_opt(m, String::new())?.value;
            let structural = [
                "properties",
                "items",
                "oneOf",
                "anyOf",
                "allOf",
                "additionalProperties",
            ];
            if structural.iter().any(|k| member.get(*k).is_some()) {
                return None;
            }
            for value in enum_values(member)? {
                union.insert(value);
            }
            any = true;
        }
    }
    any.then(|| union.into_values())
}

type EnumSide<'s, 'a> = (Option<Vec<&'a Value>>, &'s str);

fn enums(
    cx: &mut Cx<'_>,
    (old, old_ptr): EnumSide<'_, '_>,
    (new, new_ptr): EnumSide<'_, '_>,
    dir: Dir,
    what: &str,
) {
    match (old, new) {
        (None, None) => {}
        (None, Some(values)) => cx.emit(
            pick(dir, Rule::RequestEnumAdded, Rule::ResponseEnumAdded),
            Some(old_ptr),
            Some(new_ptr),
            format!("{what} is now restricted to {} enum value(s)", values.len()),
        ),
        (Some(_), None) => cx.emit(
            pick(dir, Rule::RequestEnumRemoved, Rule::ResponseEnumRemoved),
            Some(old_ptr),
            Some(new_ptr),
            format!("{what} is no longer restricted to an enum"),
        ),
        (Some(old), Some(new)) => {
            let (old_set, new_set): (ValueSet<'_>, ValueSet<'_>) =
                (old.iter().copied().collect(), new.iter().copied().collect());
            for v in &old {
                if !new_set.contains(v) {
                    cx.emit(
                        pick(
                            dir,
                            Rule::RequestEnumValueRemoved,
                            Rule::ResponseEnumValueRemoved,
                        ),
                        Some(old_ptr),
                        Some(new_ptr),
                        format!("enum value {} was removed from {what}", show(v)),
                    );
                }
            }
            for v in &new {
                if !old_set.contains(v) {
                    cx.emit(
                        pick(
                            dir,
                            Rule::RequestEnumValueAdded,
                            Rule::ResponseEnumValueAdded,
                        ),
                        Some(old_ptr),
                        Some(new_ptr),
                        format!("enum value {} was added to {what}", show(v)),
                    );
                }
            }
        }
    }
}

/// Formats that describe presentation, not values.
const HINT_FORMATS: [&str; 1] = ["password"];

fn format(
    cx: &mut Cx<'_>,
    ov: &Value,
    old_ptr: &str,
    nv: &Value,
    new_ptr: &str,
    dir: Dir,
    what: &str,
) {
    let (of, nf) = (
        ov.get("format").and_then(Value::as_str),
        nv.get("format").and_then(Value::as_str),
    );
    if of == nf {
        return;
    }
    // `password` only asks user interfaces to mask the value: typify ignores it (a `String`
    // either way) and no validator restricts values by it.
    let hint = |f: Option<&str>| f.is_none_or(|f| HINT_FORMATS.contains(&f));
    let rule = match (dir, of, nf) {
        _ if hint(of) && hint(nf) => Rule::FormatHintChanged,
        (Dir::Request, Some(_), None) => Rule::RequestFormatRemoved,
        (Dir::Request, _, _) => Rule::RequestFormatChanged,
        (Dir::Response, None, Some(_)) => Rule::ResponseFormatAdded,
        (Dir::Response, _, _) => Rule::ResponseFormatChanged,
    };
    cx.emit(
        rule,
        Some(old_ptr),
        Some(new_ptr),
        format!(
            "format of {what} changed from {} to {}",
            of.map_or("(none)".into(), |f| format!("`{f}`")),
            nf.map_or("(none)".into(), |f| format!("`{f}`"))
        ),
    );
}

fn discriminator(
    cx: &mut Cx<'_>,
    ov: &Value,
    old_ptr: &str,
    nv: &Value,
    new_ptr: &str,
    what: &str,
) {
    let (od, nd) = (ov.get("discriminator"), nv.get("discriminator"));
    if od == nd {
        return;
    }
    fn prop(d: Option<&Value>) -> Option<&str> {
        d?.get("propertyName")?.as_str()
    }
    if prop(od) != prop(nd) {
        cx.emit(
            Rule::DiscriminatorPropertyChanged,
            Some(old_ptr),
            Some(new_ptr),
            format!(
                "discriminator of {what} changed from {} to {}",
                prop(od).map_or("(none)".into(), |p| format!("`{p}`")),
                prop(nd).map_or("(none)".into(), |p| format!("`{p}`"))
            ),
        );
    } else if od.and_then(|d| d.get("mapping")) != nd.and_then(|d| d.get("mapping")) {
        cx.emit(
            Rule::DiscriminatorMappingChanged,
            Some(old_ptr),
            Some(new_ptr),
            format!("discriminator mapping of {what} changed"),
        );
    }
}

fn items<'a>(
    cx: &mut Cx<'a>,
    ov: &'a Value,
    old_ptr: &str,
    nv: &'a Value,
    new_ptr: &str,
    dir: Dir,
    what: &str,
) {
    match (ov.get("items"), nv.get("items")) {
        (Some(oi), Some(ni)) => compare(
            cx,
            oi,
            child(old_ptr, "items"),
            ni,
            child(new_ptr, "items"),
            dir,
        ),
        (Some(_), None) if types_of(cx.new, nv, 0) & ARRAY != 0 => cx.emit(
            pick(dir, Rule::RequestTypeWidened, Rule::ResponseTypeChanged),
            Some(old_ptr),
            Some(new_ptr),
            format!("the items of {what} are no longer described"),
        ),
        (None, Some(_)) if types_of(cx.old, ov, 0) & ARRAY != 0 => cx.emit(
            pick(dir, Rule::RequestTypeChanged, Rule::ResponseTypeNarrowed),
            Some(old_ptr),
            Some(new_ptr),
            format!("the items of {what} are now restricted by a schema"),
        ),
        _ => {}
    }
}
