//! Property tests of the canonical fingerprint: invariant under key order, whitespace and
//! JSON ↔ YAML re-rendering; changed by any single leaf mutation.

use std::path::Path;

use proptest::prelude::*;
use serde_json::{Map, Value};

use super::SpecFormat;
use super::parse::parse;
use crate::spec::canonical::fingerprint;

/// Keys that exercise YAML's traps (`yes`, `on`, `0755`, `1_000`, `null`, `~`) and JSON escaping.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,6}",
        Just("yes".to_string()),
        Just("on".to_string()),
        Just("0755".to_string()),
        Just("1_000".to_string()),
        Just("null".to_string()),
        Just("~".to_string()),
        Just("a b: c".to_string()),
        Just("ünï \"q\"".to_string()),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        // JCS writes numbers as IEEE doubles: integers beyond ±2^53 lose precision (documented).
        (-(1i64 << 53) + 1..(1i64 << 53) - 1).prop_map(|n| Value::Number(n.into())),
        (-1.0e12f64..1.0e12).prop_map(|f| serde_json::json!(f)),
        key().prop_map(Value::String),
        "[ -~]{0,12}".prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// The same value with every object's keys in reverse order.
fn reversed(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .rev()
                .map(|(k, v)| (k.clone(), reversed(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(reversed).collect()),
        other => other.clone(),
    }
}

/// Pointers to every leaf.
fn leaves(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                leaves(v, crate::util::json_pointer::child(&pointer, k), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                leaves(v, format!("{pointer}/{i}"), out);
            }
        }
        _ => out.push(pointer),
    }
}

fn mutate(leaf: &Value) -> Value {
    match leaf {
        Value::Null => Value::Bool(false),
        Value::Bool(b) => Value::Bool(!b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Number(i.wrapping_add(1).into()),
            None => serde_json::json!(n.as_f64().unwrap_or(0.0) + 1.0),
        },
        Value::String(s) => Value::String(format!("{s}!")),
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn key_order_does_not_matter(v in value()) {
        prop_assert_eq!(fingerprint(&v).unwrap(), fingerprint(&reversed(&v)).unwrap());
    }

    #[test]
    fn json_whitespace_does_not_matter(v in value()) {
        let path = Path::new("p.json");
        let compact = parse(path, &serde_json::to_string(&v).unwrap(), SpecFormat::Json).unwrap();
        let pretty = parse(path, &serde_json::to_string_pretty(&v).unwrap(), SpecFormat::Json).unwrap();
        prop_assert_eq!(fingerprint(&compact).unwrap(), fingerprint(&v).unwrap());
        prop_assert_eq!(fingerprint(&pretty).unwrap(), fingerprint(&v).unwrap());
    }

    #[test]
    fn yaml_rendering_reads_back_the_same(v in value()) {
        let yaml = serde_saphyr::to_string(&serde_json::json!({"doc": v})).unwrap();
        let back = parse(Path::new("p.yaml"), &yaml, SpecFormat::Yaml).unwrap();
        prop_assert_eq!(fingerprint(&back["doc"]).unwrap(), fingerprint(&v).unwrap(), "YAML:\n{}", yaml);
    }

    #[test]
    fn any_single_leaf_change_changes_the_fingerprint(v in value(), pick in any::<prop::sample::Index>()) {
        let mut pointers = Vec::new();
        leaves(&v, String::new(), &mut pointers);
        prop_assume!(!pointers.is_empty());
        let pointer = &pointers[pick.index(pointers.len())];
        let mut changed = v.clone();
        let slot = changed.pointer_mut(pointer).unwrap();
        *slot = mutate(slot);
        prop_assert_ne!(fingerprint(&changed).unwrap(), fingerprint(&v).unwrap());
    }
}
