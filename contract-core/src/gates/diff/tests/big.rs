//! Big inputs stay near-linear: the work is counted (equality checks between values), not
//! timed.

use serde_json::{Value, json};

use super::*;
use crate::gates::diff::values::equality_checks;

/// `n` string values.
fn values(n: usize) -> Vec<Value> {
    (0..n).map(|i| json!(format!("v{i}"))).collect()
}

#[test]
fn removing_one_value_of_a_100000_value_enum_is_linear() {
    const N: usize = 100_000;
    let old = values(N);
    let mut new = old.clone();
    new.remove(N / 2);
    let (old, new) = (
        request(json!({"type": "string", "enum": old})),
        request(json!({"type": "string", "enum": new})),
    );
    let before = equality_checks();
    let changes = compare(&old, &new);
    let checks = equality_checks() - before;
    assert_eq!(
        changes.iter().map(|c| c.rule.id()).collect::<Vec<_>>(),
        ["request-enum-value-removed"]
    );
    assert_has_value(&changes[0].message, "\"v50000\"");
    // Each value is looked up once in the other list (and compared with the one equal value);
    // searching the other list instead made 5,000,000,000 checks.
    assert!(checks <= 2 * N, "{checks} equality checks for {N} values");
}

#[test]
fn the_union_of_single_value_members_is_linear_too() {
    const N: usize = 20_000;
    let members = |skip: usize| -> Value {
        (0..N)
            .filter(|&i| i != skip)
            .map(|i| json!({"enum": [format!("v{}", i % (N / 2))]}))
            .collect()
    };
    let (old, new) = (
        response(json!({"oneOf": members(N)})),
        response(json!({"oneOf": members(3)})),
    );
    let before = equality_checks();
    let changes = compare(&old, &new);
    let checks = equality_checks() - before;
    // Every value appears twice; the member dropped still has its twin: nothing changed.
    assert!(
        changes.iter().all(|c| !c.rule.id().contains("enum")),
        "{changes:?}"
    );
    assert!(checks <= 8 * N, "{checks} equality checks for {N} members");
}

#[track_caller]
fn assert_has_value(message: &str, needle: &str) {
    assert!(message.contains(needle), "{needle} not in {message}");
}
