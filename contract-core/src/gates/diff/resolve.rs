//! Following `$ref`s inside one document, cycle-safe, and the RFC 6901 JSON pointers that
//! name every place a change is reported at.
//!
//! Nothing is inlined or cloned: a resolved reference is a borrow of the target node plus the
//! pointer of the target, so a schema reused a thousand times is one node.

use serde_json::Value;

/// The longest chain of `$ref`s to `$ref`s followed before giving up (a cycle of pure refs).
const MAX_REF_HOPS: usize = 32;

pub use crate::util::json_pointer::{child, tokens};

/// Appends an array index to a JSON pointer.
pub fn index(pointer: &str, i: usize) -> String {
    format!("{pointer}/{i}")
}

/// One document, for resolving references in it.
#[derive(Clone, Copy)]
pub struct Doc<'a> {
    /// The whole document.
    pub root: &'a Value,
}

/// A node reached, with where it is.
#[derive(Clone)]
pub struct Node<'a> {
    /// The node.
    pub value: &'a Value,
    /// Its JSON pointer in the document.
    pub pointer: String,
    /// Whether a `$ref` was followed to reach it.
    pub via_ref: bool,
}

/// What following a node's `$ref`s gives.
pub enum Resolved<'a> {
    /// The target (or the node itself when it is no reference).
    Found(Node<'a>),
    /// A reference that points outside the document, nowhere, or into a cycle of refs.
    Unresolved(&'a str),
}

impl<'a> Doc<'a> {
    /// A document.
    pub fn new(root: &'a Value) -> Self {
        Doc { root }
    }

    /// Follows `value`'s `$ref` (and the target's, and so on) to a node that is not a reference.
    pub fn resolve(&self, value: &'a Value, pointer: String) -> Resolved<'a> {
        let mut node = Node {
            value,
            pointer,
            via_ref: false,
        };
        for _ in 0..MAX_REF_HOPS {
            let Some(reference) = ref_of(node.value) else {
                return Resolved::Found(node);
            };
            match self.lookup(reference) {
                Some((target, target_pointer)) => {
                    node = Node {
                        value: target,
                        pointer: target_pointer,
                        via_ref: true,
                    };
                }
                None => return Resolved::Unresolved(reference),
            }
        }
        match ref_of(node.value) {
            Some(reference) => Resolved::Unresolved(reference),
            None => Resolved::Found(node),
        }
    }

    /// Like [`Doc::resolve`], for places where an unresolvable reference is just skipped.
    pub fn resolve_opt(&self, value: &'a Value, pointer: String) -> Option<Node<'a>> {
        match self.resolve(value, pointer) {
            Resolved::Found(node) => Some(node),
            Resolved::Unresolved(_) => None,
        }
    }

    /// The node a local reference (`#/…`) names, with its pointer (percent-decoded,
    /// re-escaped). `None` for references to other files or to nothing.
    pub fn lookup(&self, reference: &str) -> Option<(&'a Value, String)> {
        let fragment = reference.strip_prefix('#')?;
        let decoded = crate::util::json_pointer::percent_decode(fragment)?;
        if decoded.is_empty() {
            return Some((self.root, String::new()));
        }
        if !decoded.starts_with('/') {
            return None;
        }
        let mut current = self.root;
        for token in tokens(&decoded) {
            current = match current {
                Value::Object(map) => map.get(token.as_ref())?,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some((current, decoded.into_owned()))
    }
}

/// The object at `key` of a node, or an empty one.
pub fn object_at<'a>(value: &'a Value, key: &str) -> &'a serde_json::Map<String, Value> {
    static EMPTY: std::sync::LazyLock<serde_json::Map<String, Value>> =
        std::sync::LazyLock::new(serde_json::Map::new);
    value.get(key).and_then(Value::as_object).unwrap_or(&EMPTY)
}

/// The `$ref` string of a node, if it is a reference.
pub fn ref_of(value: &Value) -> Option<&str> {
    value.as_object()?.get("$ref")?.as_str()
}

/// The address of a node, to memoise comparisons of node pairs.
pub fn addr(value: &Value) -> usize {
    std::ptr::from_ref(value) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_escape_and_unescape() {
        let p = child(&child("", "paths"), "/pets/{id}~x");
        assert_eq!(p, "/paths/~1pets~1{id}~0x");
        assert_eq!(
            tokens(&p).collect::<Vec<_>>(),
            vec!["paths", "/pets/{id}~x"]
        );
        assert_eq!(index("/a", 3), "/a/3");
    }

    #[test]
    fn resolves_chains_and_stops_on_cycles() {
        let doc = json!({
            "components": {"schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"type": "string"},
                "C": {"$ref": "#/components/schemas/D"},
                "D": {"$ref": "#/components/schemas/C"},
                "a b": {"type": "integer"},
            }},
            "x": {"$ref": "#/components/schemas/A"},
            "y": {"$ref": "#/components/schemas/C"},
            "z": {"$ref": "other.yaml#/Pet"},
            "w": {"$ref": "#/components/schemas/a%20b"},
        });
        let d = Doc::new(&doc);
        match d.resolve(&doc["x"], "/x".into()) {
            Resolved::Found(n) => {
                assert_eq!(n.pointer, "/components/schemas/B");
                assert!(n.via_ref);
                assert_eq!(n.value, &json!({"type": "string"}));
            }
            Resolved::Unresolved(r) => panic!("{r}"),
        }
        assert!(matches!(
            d.resolve(&doc["y"], "/y".into()),
            Resolved::Unresolved(_)
        ));
        assert!(matches!(
            d.resolve(&doc["z"], "/z".into()),
            Resolved::Unresolved("other.yaml#/Pet")
        ));
        let w = d.resolve_opt(&doc["w"], "/w".into()).unwrap();
        assert_eq!(w.value, &json!({"type": "integer"}));
        let plain = d
            .resolve_opt(&doc["components"], "/components".into())
            .unwrap();
        assert!(!plain.via_ref);
        assert_eq!(plain.pointer, "/components");
    }

    #[test]
    fn bad_percent_escapes_do_not_panic() {
        let doc = json!({"a": 1});
        let d = Doc::new(&doc);
        for r in ["#/a%", "#/a%2", "#/a%zz", "#/%ff%fe", "#a"] {
            assert!(d.lookup(r).is_none(), "{r}");
        }
    }
}
