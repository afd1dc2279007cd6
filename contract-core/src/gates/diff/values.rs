//! Sets of JSON values, to compare two lists of them (`enum` values) in linear time: a value is
//! looked up by a hash consistent with JSON equality, then compared only with the values of
//! the same hash. Searching the other list for every value made a 100,000-value enum take
//! minutes to diff.

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::Value;

thread_local! {
    /// Equality checks made by every set on this thread: the work a comparison of lists does,
    /// which tests bound.
    static EQUALITY_CHECKS: Cell<usize> = const { Cell::new(0) };
}

/// Equality checks made by sets on this thread so far.
#[cfg(test)]
pub(super) fn equality_checks() -> usize {
    EQUALITY_CHECKS.with(Cell::get)
}

/// Whether two values are equal, counted.
fn same(a: &Value, b: &Value) -> bool {
    EQUALITY_CHECKS.with(|c| c.set(c.get() + 1));
    a == b
}

/// A set of borrowed values, in insertion order.
#[derive(Default)]
pub(super) struct ValueSet<'a> {
    values: Vec<&'a Value>,
    by_hash: HashMap<u64, Vec<usize>>,
}

impl<'a> ValueSet<'a> {
    /// Adds `value` unless an equal one is in; returns whether it was added.
    pub fn insert(&mut self, value: &'a Value) -> bool {
        let bucket = self.by_hash.entry(hash(value)).or_default();
        if bucket.iter().any(|&i| same(self.values[i], value)) {
            return false;
        }
        bucket.push(self.values.len());
        self.values.push(value);
        true
    }

    /// Whether a value equal to `value` is in.
    pub fn contains(&self, value: &Value) -> bool {
        self.by_hash
            .get(&hash(value))
            .is_some_and(|bucket| bucket.iter().any(|&i| same(self.values[i], value)))
    }

    /// The values, in the order they were added.
    pub fn into_values(self) -> Vec<&'a Value> {
        self.values
    }
}

impl<'a> FromIterator<&'a Value> for ValueSet<'a> {
    fn from_iter<I: IntoIterator<Item = &'a Value>>(values: I) -> Self {
        let mut set = ValueSet::default();
        for value in values {
            set.insert(value);
        }
        set
    }
}

/// A hash under which equal values (`==`) hash the same: object keys in any order, and
/// numbers as `serde_json` compares them (`0.0 == -0.0`).
fn hash(value: &Value) -> u64 {
    let mut hasher = DefaultHasher::new();
    feed(value, &mut hasher);
    hasher.finish()
}

fn feed(value: &Value, hasher: &mut DefaultHasher) {
    match value {
        Value::Null => 0u8.hash(hasher),
        Value::Bool(b) => (1u8, b).hash(hasher),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => (2u8, u).hash(hasher),
            (None, Some(i), _) => (3u8, i).hash(hasher),
            // `0.0 == -0.0`: both hash as 0.
            (None, None, Some(f)) => (4u8, if f == 0.0 { 0 } else { f.to_bits() }).hash(hasher),
            (None, None, None) => 8u8.hash(hasher),
        },
        Value::String(s) => (5u8, s).hash(hasher),
        Value::Array(items) => {
            (6u8, items.len()).hash(hasher);
            for item in items {
                feed(item, hasher);
            }
        }
        Value::Object(map) => {
            // Order-independent: the entries' hashes summed.
            let sum = map.iter().fold(0u64, |sum, (key, child)| {
                let mut entry = DefaultHasher::new();
                key.hash(&mut entry);
                feed(child, &mut entry);
                sum.wrapping_add(entry.finish())
            });
            (7u8, map.len(), sum).hash(hasher);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn equal_values_are_found_whatever_their_key_order() {
        let a = json!({"x": 1, "y": [1, "a", null]});
        let b: Value = serde_json::from_str(r#"{"y": [1, "a", null], "x": 1}"#).unwrap();
        let values = [
            a,
            json!(0.0),
            json!(1),
            json!("1"),
            json!(true),
            json!(null),
        ];
        let set: ValueSet<'_> = values.iter().collect();
        assert!(set.contains(&b));
        assert!(set.contains(&json!(-0.0)));
        assert!(
            !set.contains(&json!(1.0)),
            "1 and 1.0 differ for serde_json"
        );
        assert!(!set.contains(&json!(false)));
        assert!(!set.contains(&json!({"x": 1})));
        let mut set = set;
        assert!(!set.insert(&b));
        assert_eq!(set.into_values().len(), 6);
    }
}
