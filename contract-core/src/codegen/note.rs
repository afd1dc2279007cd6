//! Notes: what [`lower`](crate::codegen::lower) and [`normalize`](crate::codegen::normalize) changed in a document
//! before it reached the generator. Each names its rule, where it applied (a JSON pointer) and
//! what it did, so nothing is rewritten or dropped silently.

use std::fmt;

use serde::Serialize;

use crate::spec::METHODS;
use crate::util::json_pointer::unescape;

/// One rewrite applied to a document before generation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Note {
    /// The rule, e.g. `lower/type-null` or `normalize/operation-id` (documented in
    /// `docs/src/lowering.md`, whose table a test holds to the rules of the code).
    pub rule: &'static str,
    /// Where it applied: an RFC 6901 JSON pointer (`""` is the whole document) into the
    /// document as the rule saw it, which is the original except below a schema an earlier rule
    /// moved (a split `type` list, a hoisted `$ref` target).
    pub pointer: String,
    /// What was changed or dropped, in one sentence.
    pub message: String,
}

impl Note {
    /// A note for `rule` at `pointer`.
    pub fn new(rule: &'static str, pointer: impl Into<String>, message: impl Into<String>) -> Note {
        Note {
            rule,
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    /// The operation the note is about, as `GET /pets/{id}`, when its pointer is inside one
    /// (`/paths/<path>/<method>/…`).
    pub fn operation(&self) -> Option<String> {
        let mut parts = self.pointer.strip_prefix("/paths/")?.split('/');
        let path = unescape(parts.next()?);
        let method = parts.next()?;
        METHODS
            .contains(&method)
            .then(|| format!("{} {path}", method.to_ascii_uppercase()))
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "[{}] {at}: {}", self.rule, self.message)
    }
}

/// Test helper for schema rules: runs `rule` on the schema `input` at pointer `/s` and returns
/// the schema and the notes' messages (every note must point at `/s`).
#[cfg(test)]
pub(crate) fn apply_rule(
    rule: fn(&mut serde_json::Map<String, serde_json::Value>, &str, &mut Vec<Note>),
    input: serde_json::Value,
) -> (serde_json::Value, Vec<String>) {
    let serde_json::Value::Object(mut schema) = input else {
        panic!("not an object")
    };
    let mut notes = Vec::new();
    rule(&mut schema, "/s", &mut notes);
    assert!(notes.iter().all(|n| n.pointer == "/s"));
    (
        serde_json::Value::Object(schema),
        notes.into_iter().map(|n| n.message).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_name_their_operation() {
        let pointer = "/paths/~1pets~1{id}~0x/get";
        let note = Note::new("normalize/x", format!("{pointer}/responses"), "m");
        assert_eq!(note.operation().as_deref(), Some("GET /pets/{id}~x"));
        assert_eq!(
            Note::new("r", "/paths/~1a/parameters/0", "m").operation(),
            None
        );
        assert_eq!(
            Note::new("r", "/components/schemas/A", "m").operation(),
            None
        );
        assert_eq!(
            Note::new("lower/x", "", "dropped").to_string(),
            "[lower/x] /: dropped"
        );
    }
}
