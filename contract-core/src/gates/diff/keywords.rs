//! Validation keywords: bounds (`maximum`/`exclusiveMaximum` in both the 3.0 boolean and
//! the 3.1 numeric form, `minimum`, lengths, item and property counts), `pattern`,
//! `multipleOf` and `uniqueItems`. Each is judged tightened, loosened or (for patterns)
//! changed, then mapped to the rule of its direction.

use serde_json::Value;

use super::pattern::Relation;
use super::rules::Rule;
use super::shape::show;
use super::walk::{Cx, Dir};

/// How a keyword moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Delta {
    /// Fewer values are valid.
    Tightened,
    /// More values are valid.
    Loosened,
    /// Different values are valid (e.g. another pattern): both at once.
    Changed,
}

/// How a pattern moved, judged by the strings it accepts, and how to say so: `None` when it
/// accepts the same ones (a rewrite); `Changed` when that cannot be decided.
fn pattern_delta(old: &str, new: &str) -> Option<(Delta, &'static str)> {
    match super::pattern::relation(old, new) {
        Some(Relation::Same) => None,
        Some(Relation::Narrower) => Some((Delta::Tightened, " (it accepts fewer strings)")),
        Some(Relation::Wider) => Some((Delta::Loosened, " (it accepts more strings)")),
        Some(Relation::Different) => Some((Delta::Changed, " (it accepts other strings)")),
        None => Some((Delta::Changed, " (not compared by meaning)")),
    }
}

/// The four rules of a keyword: request tightened, request loosened, response loosened,
/// response tightened.
struct Keyword {
    label: &'static str,
    rules: [Rule; 4],
}

const fn kw(label: &'static str, rules: [Rule; 4]) -> Keyword {
    Keyword { label, rules }
}

use Rule::*;
const MAXIMUM: Keyword = kw(
    "maximum",
    [
        RequestMaximumTightened,
        RequestMaximumLoosened,
        ResponseMaximumLoosened,
        ResponseMaximumTightened,
    ],
);
const MINIMUM: Keyword = kw(
    "minimum",
    [
        RequestMinimumTightened,
        RequestMinimumLoosened,
        ResponseMinimumLoosened,
        ResponseMinimumTightened,
    ],
);
const MAX_LENGTH: Keyword = kw(
    "maxLength",
    [
        RequestMaxLengthTightened,
        RequestMaxLengthLoosened,
        ResponseMaxLengthLoosened,
        ResponseMaxLengthTightened,
    ],
);
const MIN_LENGTH: Keyword = kw(
    "minLength",
    [
        RequestMinLengthTightened,
        RequestMinLengthLoosened,
        ResponseMinLengthLoosened,
        ResponseMinLengthTightened,
    ],
);
const MAX_ITEMS: Keyword = kw(
    "maxItems",
    [
        RequestMaxItemsTightened,
        RequestMaxItemsLoosened,
        ResponseMaxItemsLoosened,
        ResponseMaxItemsTightened,
    ],
);
const MIN_ITEMS: Keyword = kw(
    "minItems",
    [
        RequestMinItemsTightened,
        RequestMinItemsLoosened,
        ResponseMinItemsLoosened,
        ResponseMinItemsTightened,
    ],
);
const MAX_PROPERTIES: Keyword = kw(
    "maxProperties",
    [
        RequestMaxPropertiesTightened,
        RequestMaxPropertiesLoosened,
        ResponseMaxPropertiesLoosened,
        ResponseMaxPropertiesTightened,
    ],
);
const MIN_PROPERTIES: Keyword = kw(
    "minProperties",
    [
        RequestMinPropertiesTightened,
        RequestMinPropertiesLoosened,
        ResponseMinPropertiesLoosened,
        ResponseMinPropertiesTightened,
    ],
);
const PATTERN: Keyword = kw(
    "pattern",
    [
        RequestPatternTightened,
        RequestPatternLoosened,
        ResponsePatternLoosened,
        ResponsePatternTightened,
    ],
);
const MULTIPLE_OF: Keyword = kw(
    "multipleOf",
    [
        RequestMultipleOfTightened,
        RequestMultipleOfLoosened,
        ResponseMultipleOfLoosened,
        ResponseMultipleOfTightened,
    ],
);
const UNIQUE_ITEMS: Keyword = kw(
    "uniqueItems",
    [
        RequestUniqueItemsTightened,
        RequestUniqueItemsLoosened,
        ResponseUniqueItemsLoosened,
        ResponseUniqueItemsTightened,
    ],
);

impl Keyword {
    fn rule(&self, dir: Dir, delta: Delta) -> Rule {
        let i = match (dir, delta) {
            (Dir::Request, Delta::Tightened | Delta::Changed) => 0,
            (Dir::Request, Delta::Loosened) => 1,
            (Dir::Response, Delta::Loosened | Delta::Changed) => 2,
            (Dir::Response, Delta::Tightened) => 3,
        };
        self.rules[i]
    }
}

/// A bound: the limit and whether it is exclusive.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bound {
    value: f64,
    exclusive: bool,
}

impl Bound {
    fn show(&self) -> String {
        if self.exclusive {
            format!("{} (exclusive)", self.value)
        } else {
            format!("{}", self.value)
        }
    }
}

/// The effective bound of `maximum`/`minimum` with their `exclusive*` companions in either
/// form; `upper` picks the smaller of two upper bounds, else the larger.
fn bound(v: &Value, plain: &str, exclusive: &str, upper: bool) -> Option<Bound> {
    let mut out: Option<Bound> = None;
    let flag_form = v.get(exclusive).and_then(Value::as_bool) == Some(true);
    if let Some(value) = v.get(plain).and_then(Value::as_f64) {
        out = Some(Bound {
            value,
            exclusive: flag_form,
        });
    }
    if let Some(value) = v.get(exclusive).and_then(Value::as_f64) {
        let candidate = Bound {
            value,
            exclusive: true,
        };
        out = Some(match out {
            Some(b) if tighter(b, candidate, upper) => b,
            _ => candidate,
        });
    }
    out
}

/// Whether `a` admits fewer values than `b`.
fn tighter(a: Bound, b: Bound, upper: bool) -> bool {
    if a.value == b.value {
        return a.exclusive && !b.exclusive;
    }
    if upper {
        a.value < b.value
    } else {
        a.value > b.value
    }
}

fn bound_delta(old: Option<Bound>, new: Option<Bound>, upper: bool) -> Option<Delta> {
    match (old, new) {
        (None, None) => None,
        (None, Some(_)) => Some(Delta::Tightened),
        (Some(_), None) => Some(Delta::Loosened),
        (Some(a), Some(b)) if tighter(b, a, upper) => Some(Delta::Tightened),
        (Some(a), Some(b)) if tighter(a, b, upper) => Some(Delta::Loosened),
        _ => None,
    }
}

fn count(v: &Value, key: &str) -> Option<Bound> {
    v.get(key).and_then(Value::as_f64).map(|value| Bound {
        value,
        exclusive: false,
    })
}

fn show_opt(b: Option<Bound>) -> String {
    b.map_or("(none)".into(), |b| b.show())
}

/// A keyword that moved: how, and its old and new values as shown.
type Moved = (&'static Keyword, Delta, String, String);

/// Compares every validation keyword of two schemas.
pub(super) fn compare(
    cx: &mut Cx<'_>,
    old_schema: &Value,
    old_ptr: &str,
    new_schema: &Value,
    new_ptr: &str,
    dir: Dir,
    what: &str,
) {
    let mut moved: Vec<Moved> = bounds(old_schema, new_schema);
    moved.extend(pattern(old_schema, new_schema));
    moved.extend(multiple_of(old_schema, new_schema));
    moved.extend(unique_items(old_schema, new_schema));
    for (keyword, delta, from, to) in moved {
        cx.emit(
            keyword.rule(dir, delta),
            Some(old_ptr),
            Some(new_ptr),
            format!("`{}` of {what} changed from {from} to {to}", keyword.label),
        );
    }
}

/// `maximum`/`minimum` (with their exclusive forms), lengths and counts.
fn bounds(ov: &Value, nv: &Value) -> Vec<Moved> {
    let mut out = Vec::new();
    for (keyword, plain, exclusive, upper) in [
        (&MAXIMUM, "maximum", "exclusiveMaximum", true),
        (&MINIMUM, "minimum", "exclusiveMinimum", false),
    ] {
        let (a, b) = (
            bound(ov, plain, exclusive, upper),
            bound(nv, plain, exclusive, upper),
        );
        if let Some(delta) = bound_delta(a, b, upper) {
            out.push((keyword, delta, show_opt(a), show_opt(b)));
        }
    }
    for (keyword, key, upper) in [
        (&MAX_LENGTH, "maxLength", true),
        (&MIN_LENGTH, "minLength", false),
        (&MAX_ITEMS, "maxItems", true),
        (&MIN_ITEMS, "minItems", false),
        (&MAX_PROPERTIES, "maxProperties", true),
        (&MIN_PROPERTIES, "minProperties", false),
    ] {
        let (a, b) = (count(ov, key), count(nv, key));
        if let Some(delta) = bound_delta(a, b, upper) {
            out.push((keyword, delta, show_opt(a), show_opt(b)));
        }
    }
    out
}

fn pattern(ov: &Value, nv: &Value) -> Option<Moved> {
    let (a, b) = (ov.get("pattern"), nv.get("pattern"));
    if a == b {
        return None;
    }
    let (delta, meaning) = match (a, b) {
        (None, Some(_)) => (Delta::Tightened, ""),
        (Some(_), None) => (Delta::Loosened, ""),
        (Some(Value::String(old)), Some(Value::String(new))) => pattern_delta(old, new)?,
        _ => (Delta::Changed, ""),
    };
    let s = |v: Option<&Value>| v.map_or("(none)".into(), show);
    Some((&PATTERN, delta, s(a), format!("{}{meaning}", s(b))))
}

fn multiple_of(ov: &Value, nv: &Value) -> Option<Moved> {
    let (a, b) = (
        ov.get("multipleOf").and_then(Value::as_f64),
        nv.get("multipleOf").and_then(Value::as_f64),
    );
    if a == b {
        return None;
    }
    let divides = |x: f64, y: f64| y != 0.0 && (x / y - (x / y).round()).abs() < 1e-9;
    let delta = match (a, b) {
        (None, Some(_)) => Delta::Tightened,
        (Some(_), None) => Delta::Loosened,
        // Every multiple of the old step is a multiple of the new one.
        (Some(x), Some(y)) if divides(x, y) => Delta::Loosened,
        (Some(x), Some(y)) if divides(y, x) => Delta::Tightened,
        _ => Delta::Changed,
    };
    let s = |v: Option<f64>| v.map_or("(none)".into(), |v| v.to_string());
    Some((&MULTIPLE_OF, delta, s(a), s(b)))
}

fn unique_items(ov: &Value, nv: &Value) -> Option<Moved> {
    let unique = |v: &Value| v.get("uniqueItems").and_then(Value::as_bool) == Some(true);
    let delta = match (unique(ov), unique(nv)) {
        (false, true) => Delta::Tightened,
        (true, false) => Delta::Loosened,
        _ => return None,
    };
    let (from, to) = (unique(ov).to_string(), unique(nv).to_string());
    Some((&UNIQUE_ITEMS, delta, from, to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bounds_read_both_exclusive_forms() {
        let v30 = json!({"maximum": 10, "exclusiveMaximum": true});
        let v31 = json!({"exclusiveMaximum": 10});
        assert_eq!(
            bound(&v30, "maximum", "exclusiveMaximum", true),
            bound(&v31, "maximum", "exclusiveMaximum", true)
        );
        let inclusive = json!({"maximum": 10});
        assert_eq!(
            bound_delta(
                bound(&inclusive, "maximum", "exclusiveMaximum", true),
                bound(&v31, "maximum", "exclusiveMaximum", true),
                true
            ),
            Some(Delta::Tightened)
        );
        let low = json!({"minimum": 1});
        let lower = json!({"minimum": 0});
        assert_eq!(
            bound_delta(
                bound(&low, "minimum", "exclusiveMinimum", false),
                bound(&lower, "minimum", "exclusiveMinimum", false),
                false
            ),
            Some(Delta::Loosened)
        );
    }
}
