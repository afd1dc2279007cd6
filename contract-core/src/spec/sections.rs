//! The parts of a JSON spec that hold its schemas, cut out of the text without parsing the
//! rest: `#[schema]` reads only component schemas, and in a macro (compiled unoptimised)
//! parsing the GitHub spec's operations, webhooks and examples costs more than its schemas.
//! Used only on bytes that hash to a pin (they were parsed whole when pinned); any text the
//! scan cannot follow, or a reference from a kept part into a part left out, reads the whole.

/// Top-level members left out (their values become `{}`).
const OPERATIONS: [&[u8]; 3] = [b"paths", b"webhooks", b"x-webhooks"];
/// Members of `components` left out.
const COMPONENTS: [&[u8]; 1] = [b"examples"];
/// The local references a kept part may hold: into the components that stay.
const KEPT_TARGETS: [&str; 6] = [
    "#/components/schemas/",
    "#/components/parameters/",
    "#/components/responses/",
    "#/components/headers/",
    "#/components/requestBodies/",
    "#/components/securitySchemes/",
];

/// Whether a JSON pointer (`/components/schemas/Pet`, without `#`) is inside a kept part.
pub fn is_kept(pointer: &str) -> bool {
    KEPT_TARGETS
        .iter()
        .any(|kept| pointer.starts_with(&kept[1..]))
}

/// `text` (a JSON object) with the values of its operations, webhooks and component examples
/// replaced by `{}`; `None` when the text cannot be followed this simply, or a kept part holds
/// a reference (or any string that reads as one) that may point into what was left out.
pub fn schemas_only(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut cut = Vec::new();
    for (key, start, end) in members(text, first_non_space(bytes, 0)?)? {
        if OPERATIONS.contains(&key) {
            cut.push((start, end));
        } else if key == b"components" {
            for (inner, start, end) in members(text, start)? {
                if COMPONENTS.contains(&inner) {
                    cut.push((start, end));
                }
            }
        }
    }
    cut.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for &(start, end) in &cut {
        out.push_str(&text[at..start]);
        out.push_str("{}");
        at = end;
    }
    out.push_str(&text[at..]);
    refers_only_to_kept(&out).then_some(out)
}

/// Where a kept part may also point: into a component example, by name (responses refer to
/// them). Such a pointer names nothing in the reduced document, so following it is an error,
/// never a pass; a pointer to the whole map of examples is not allowed.
const EXAMPLE: &str = "#/components/examples/";

/// Whether every string of `text` that starts like a local JSON pointer (`"#/`, `"#\`,
/// `"#%`, or `"#"`, the whole document) starts with one of [`KEPT_TARGETS`] or [`EXAMPLE`],
/// and no `#` is written as an escape (`\u0023`, which the scan would not see).
fn refers_only_to_kept(text: &str) -> bool {
    if text.contains("\\u0023") {
        return false;
    }
    text.match_indices('#').all(|(at, _)| {
        let quoted = at > 0 && text.as_bytes()[at - 1] == b'"';
        let rest = &text[at..];
        let pointer_like = matches!(rest.as_bytes().get(1), Some(b'/' | b'\\' | b'%' | b'"'));
        !(quoted && pointer_like)
            || rest.starts_with(EXAMPLE)
            || KEPT_TARGETS.iter().any(|kept| rest.starts_with(kept))
    })
}

/// The members of the object whose `{` is at `open`: each key's raw bytes (escapes left as
/// written) and its value's byte range.
fn members(text: &str, open: usize) -> Option<Vec<(&[u8], usize, usize)>> {
    let bytes = text.as_bytes();
    if bytes.get(open) != Some(&b'{') {
        return None;
    }
    let mut out = Vec::new();
    let mut at = first_non_space(bytes, open + 1)?;
    if bytes[at] == b'}' {
        return Some(out);
    }
    loop {
        let key_end = string_end(text, at)?;
        let key = &bytes[at + 1..key_end - 1];
        at = first_non_space(bytes, key_end)?;
        if bytes[at] != b':' {
            return None;
        }
        let start = first_non_space(bytes, at + 1)?;
        let end = value_end(text, start)?;
        out.push((key, start, end));
        at = first_non_space(bytes, end)?;
        match bytes[at] {
            b',' => at = first_non_space(bytes, at + 1)?,
            b'}' => return Some(out),
            _ => return None,
        }
    }
}

fn first_non_space(bytes: &[u8], mut at: usize) -> Option<usize> {
    while at < bytes.len() {
        if !matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r') {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// The end (exclusive) of the string whose `"` is at `at`: the next `"` not escaped (found
/// with `str::find`, which runs at memchr's speed even in an unoptimised macro).
fn string_end(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    // `from` always follows an ASCII `"`, so it is a character boundary.
    let mut from = at + 1;
    loop {
        let quote = from + text.get(from..)?.find('"')?;
        let mut backslashes = 0;
        while bytes[quote - 1 - backslashes] == b'\\' {
            backslashes += 1;
        }
        if backslashes % 2 == 0 {
            return Some(quote + 1);
        }
        from = quote + 1;
    }
}

/// The end (exclusive) of the value starting at `at`.
fn value_end(text: &str, mut at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    match bytes.get(at)? {
        b'"' => string_end(text, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            while at < bytes.len() {
                match bytes[at] {
                    b'"' => {
                        at = string_end(text, at)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(at + 1);
                        }
                    }
                    _ => {}
                }
                at += 1;
            }
            None
        }
        _ => {
            while at < bytes.len()
                && !matches!(bytes[at], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                at += 1;
            }
            Some(at)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn parsed(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn operations_webhooks_and_examples_are_left_out_and_the_rest_kept_as_written() {
        let text = r##"{"openapi": "3.1.0", "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/Ok"}}}}},
            "webhooks": {"w": {}}, "x-webhooks": [1, "}"],
            "components": {"examples": {"e": {"value": "a \" } ]"}}, "schemas": {"Pet": {"type": "object", "description": "# Heading"}},
                           "responses": {"Ok": {"description": "ok"}}}, "info": {"title": "t\\", "version": "1"}}"##;
        let out = parsed(&schemas_only(text).unwrap());
        assert_eq!(out["paths"], json!({}));
        assert_eq!(out["webhooks"], json!({}));
        assert_eq!(out["x-webhooks"], json!({}));
        assert_eq!(out["components"]["examples"], json!({}));
        let whole = parsed(text);
        assert_eq!(out["components"]["schemas"], whole["components"]["schemas"]);
        assert_eq!(out["info"], whole["info"]);
    }

    #[test]
    fn a_reference_from_a_kept_part_into_a_part_left_out_reads_the_whole() {
        for target in [
            "#/paths/~1a/get",
            "#/components/examples",
            "#/p%61ths/~1a",
            "#\\/paths",
            "#/webhooks/w",
            "#",
            "\\u0023/paths/~1a",
        ] {
            let text = format!(
                r#"{{"paths": {{}}, "components": {{"schemas": {{"A": {{"$ref": "{target}"}}}}}}}}"#
            );
            assert_eq!(schemas_only(&text), None, "{target}");
        }
        // An example by name, from a kept part, names nothing once examples are left out.
        let example = r##"{"components": {"examples": {"e": {}}, "responses": {"R": {"$ref": "#/components/examples/e"}}}}"##;
        let out = parsed(&schemas_only(example).unwrap());
        assert!(out.pointer("/components/examples/e").is_none());
        // References inside the parts left out do not count.
        let inside = r##"{"paths": {"/a": {"$ref": "#/components/examples/e"}}, "components": {"schemas": {}}}"##;
        assert!(schemas_only(inside).is_some());
    }

    #[test]
    fn text_the_scan_cannot_follow_reads_the_whole() {
        for text in ["[1]", "{\"paths\": {", "{\"a\" 1}", "", "{\"a\": \"open"] {
            assert_eq!(schemas_only(text), None, "{text:?}");
        }
        assert_eq!(schemas_only("{}").as_deref(), Some("{}"));
    }

    #[test]
    fn pointers_into_kept_parts() {
        assert!(is_kept("/components/schemas/Pet/properties/id"));
        assert!(!is_kept("/components/examples/e"));
        assert!(!is_kept("/paths/~1pets/get"));
        assert!(!is_kept("/components/schemasX"));
    }
}
