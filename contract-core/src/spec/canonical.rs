//! The canonical form of a document and its fingerprint:
//! `sha256:` + hex(SHA-256(RFC 8785 JSON Canonicalization Scheme bytes)).
//!
//! JCS sorts object keys by UTF-16 code units, removes insignificant whitespace and writes
//! numbers the way ECMAScript does, so any rendering of the same data gives the same bytes.
//! As in every JCS implementation, integers beyond ±2^53 are written as IEEE doubles and can
//! lose precision: two specs that differ only in such a digit get the same fingerprint.

use serde_json::Value;

use crate::util::hash::{HashWriter, Sha256Digest};

/// The canonical JSON bytes of a document.
pub fn canonical_json(document: &Value) -> Result<Vec<u8>, String> {
    serde_json_canonicalizer::to_vec(document).map_err(|e| e.to_string())
}

/// The fingerprint of a document, streamed into the hasher without building the canonical text.
pub fn fingerprint(document: &Value) -> Result<Sha256Digest, String> {
    let mut hasher = HashWriter::new();
    serde_json_canonicalizer::to_writer(document, &mut hasher).map_err(|e| e.to_string())?;
    Ok(hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_and_whitespace_do_not_matter() {
        let a: Value =
            serde_json::from_str(r#"{"b": [1, 2.50, "x"], "a": {"d": null, "c": true}}"#).unwrap();
        let b: Value =
            serde_json::from_str(r#"{"a":{"c":true,"d":null},"b":[1,2.5,"x"]}"#).unwrap();
        assert_eq!(fingerprint(&a).unwrap(), fingerprint(&b).unwrap());
        assert_eq!(
            String::from_utf8(canonical_json(&a).unwrap()).unwrap(),
            r#"{"a":{"c":true,"d":null},"b":[1,2.5,"x"]}"#
        );
    }

    #[test]
    fn streamed_fingerprint_equals_hash_of_canonical_bytes() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "é", "version": "1"}, "n": 1e21});
        assert_eq!(
            fingerprint(&doc).unwrap(),
            Sha256Digest::of(&canonical_json(&doc).unwrap())
        );
    }

    #[test]
    fn integers_beyond_2_pow_53_share_a_fingerprint_as_documented() {
        let a = json!({"n": 9_007_199_254_740_993u64});
        let b = json!({"n": 9_007_199_254_740_992u64});
        assert_eq!(fingerprint(&a).unwrap(), fingerprint(&b).unwrap());
        assert_ne!(
            fingerprint(&json!({"n": 9_007_199_254_740_991u64})).unwrap(),
            fingerprint(&b).unwrap()
        );
    }

    #[test]
    fn any_value_change_changes_the_fingerprint() {
        let base = json!({"a": [1, "x", true, null], "b": {"c": 1.5}});
        let variants = [
            json!({"a": [2, "x", true, null], "b": {"c": 1.5}}),
            json!({"a": [1, "y", true, null], "b": {"c": 1.5}}),
            json!({"a": [1, "x", false, null], "b": {"c": 1.5}}),
            json!({"a": [1, "x", true, 0], "b": {"c": 1.5}}),
            json!({"a": [1, "x", true, null], "b": {"c": 1.25}}),
            json!({"a": [1, "x", true, null], "b": {"C": 1.5}}),
            json!({"a": ["x", 1, true, null], "b": {"c": 1.5}}),
            json!({"a": [1, "x", true, null], "b": {"c": "1.5"}}),
        ];
        let base_fp = fingerprint(&base).unwrap();
        for variant in variants {
            assert_ne!(fingerprint(&variant).unwrap(), base_fp, "{variant}");
        }
    }
}
