//! Rule `normalize/control-characters`: descriptions, summaries and titles become doc comments
//! in the generated code, where a carriage return or another control character breaks the
//! formatting. `\r\n` and `\r` become `\n`; other control characters except tabs are removed.

use serde_json::Value;

use crate::note::{Note, push_token};

/// The fields whose text ends up in doc comments.
const DOC_FIELDS: [&str; 3] = ["description", "summary", "title"];

/// Applies the rule to every documentation string of `document`.
pub(super) fn control_characters(document: &mut Value, notes: &mut Vec<Note>) {
    let mut at = String::new();
    visit(document, &mut at, notes);
}

fn visit(value: &mut Value, at: &mut String, notes: &mut Vec<Note>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key.starts_with("x-")
                    || ["example", "examples", "default", "enum"].contains(&key.as_str())
                {
                    continue;
                }
                let len = at.len();
                push_token(at, key);
                match v {
                    Value::String(text) if DOC_FIELDS.contains(&key.as_str()) => {
                        if let Some(clean) = cleaned(text) {
                            notes.push(Note::new(
                                "normalize/control-characters",
                                at.as_str(),
                                format!("control characters in `{key}` replaced by line breaks or removed"),
                            ));
                            *text = clean;
                        }
                    }
                    _ => visit(v, at, notes),
                }
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                let len = at.len();
                push_token(at, &i.to_string());
                visit(v, at, notes);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// The text without control characters, or `None` when it has none.
fn cleaned(text: &str) -> Option<String> {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return None;
    }
    Some(
        text.replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn carriage_returns_become_line_breaks() {
        let mut doc = json!({
            "info": {"description": "a\r\nb\rc\u{7}d\te"},
            "paths": {"/a": {"get": {"summary": "fine\nline", "x-note": "\r"}}},
            "components": {"schemas": {"S": {"title": "T\r", "example": "\r", "properties": {"description": {"type": "string"}}}}}
        });
        let mut notes = Vec::new();
        control_characters(&mut doc, &mut notes);
        assert_eq!(doc["info"]["description"], "a\nb\ncd\te");
        assert_eq!(doc["paths"]["/a"]["get"]["x-note"], "\r");
        assert_eq!(doc["components"]["schemas"]["S"]["title"], "T\n");
        assert_eq!(doc["components"]["schemas"]["S"]["example"], "\r");
        assert_eq!(
            notes.iter().map(|n| n.pointer.as_str()).collect::<Vec<_>>(),
            ["/info/description", "/components/schemas/S/title"]
        );
    }
}
