//! The text of a spec that becomes doc comments in the generated code: descriptions,
//! summaries, titles, `info.version` and `info.termsOfService`.
//!
//! - Rule `normalize/control-characters`: a carriage return or another control character
//!   breaks the formatting. `\r\n` and `\r` become `\n`; other control characters except tabs
//!   are removed.
//! - Rule `normalize/doc-text`: rustdoc reads doc comments as Markdown and compiles and runs
//!   the code blocks in them as doctests (in private modules too). Nothing from a spec may
//!   become code, so the text is made inert ([`inert_markdown`]): no fenced or indented code
//!   block, no code span, no HTML. One note for the whole document counts the fields changed.

use serde_json::Value;

use crate::codegen::note::Note;
use crate::util::json_pointer::push_token;

/// The fields whose text ends up in doc comments, wherever they are.
const DOC_FIELDS: [&str; 3] = ["description", "summary", "title"];

/// Fields of `info` the generator also writes into the client's doc comment.
const INFO_DOC_FIELDS: [&str; 2] = ["version", "termsOfService"];

/// Applies both rules to every documentation string of `document`.
pub(super) fn doc_text(document: &mut Value, notes: &mut Vec<Note>) {
    let mut at = String::new();
    let mut inert = 0;
    visit(document, &mut at, &mut |text, key, at| {
        if let Some(clean) = cleaned(text) {
            notes.push(Note::new(
                "normalize/control-characters",
                at,
                format!("control characters in `{key}` replaced by line breaks or removed"),
            ));
            *text = clean;
        }
        let safe = inert_markdown(text);
        if safe != *text {
            inert += 1;
            *text = safe;
        }
    });
    if let Some(Value::Object(info)) = document.get_mut("info") {
        for key in INFO_DOC_FIELDS {
            if let Some(Value::String(text)) = info.get_mut(key) {
                let safe = inert_markdown(&text.replace(['\r', '\n'], " "));
                if safe != *text {
                    inert += 1;
                    *text = safe;
                }
            }
        }
    }
    if inert > 0 {
        notes.push(Note::new(
            "normalize/doc-text",
            "",
            format!(
                "{inert} description(s), summary(ies) or title(s) made inert for rustdoc: \
                 code blocks, code spans and HTML written as plain text"
            ),
        ));
    }
}

fn visit(value: &mut Value, at: &mut String, fix: &mut dyn FnMut(&mut String, &str, &str)) {
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
                        fix(text, key, at.as_str());
                    }
                    _ => visit(v, at, fix),
                }
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                let len = at.len();
                push_token(at, &i.to_string());
                visit(v, at, fix);
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

/// `text` as Markdown that renders as prose only, whatever it holds:
///
/// - every line starts without indentation and runs of spaces and tabs become one space, so
///   no line is indented enough to be an indented code block, at the top level or inside a
///   list item or a block quote;
/// - `` ` ``, `~` and `\` are backslash-escaped, so no fence (```` ``` ````, `~~~`) and no code
///   span can open, and an escape in the spec cannot undo ours;
/// - so is `<`, so no HTML tag or block (`<pre>`, `<script>`, `<img>`) is formed (a backslash
///   rather than `&lt;` keeps the type names typify derives from titles unchanged).
///
/// Line breaks are kept, so paragraphs and lists still read as such.
pub fn inert_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut space = false;
        for c in line.trim_start_matches([' ', '\t']).chars() {
            if c == ' ' || c == '\t' {
                space = true;
                continue;
            }
            if std::mem::take(&mut space) {
                out.push(' ');
            }
            match c {
                '`' | '~' | '\\' | '<' => {
                    out.push('\\');
                    out.push(c);
                }
                c => out.push(c),
            }
        }
    }
    out
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
        doc_text(&mut doc, &mut notes);
        assert_eq!(doc["info"]["description"], "a\nb\ncd e");
        assert_eq!(doc["paths"]["/a"]["get"]["x-note"], "\r");
        assert_eq!(doc["components"]["schemas"]["S"]["title"], "T\n");
        assert_eq!(doc["components"]["schemas"]["S"]["example"], "\r");
        assert_eq!(
            notes.iter().map(|n| n.pointer.as_str()).collect::<Vec<_>>(),
            ["/info/description", "/components/schemas/S/title", ""]
        );
    }

    /// Every way Markdown has to start a code block or HTML, as rustdoc (pulldown-cmark)
    /// reads it.
    const HOSTILE: &str = "Intro.\n\n```rust\npanic!(\"from the spec\");\n```\n\n~~~\nstd::fs::write(\"x\", \"\").unwrap();\n~~~\n\n    indented_code();\n\n\tstd::process::exit(1);\n\n- item\n\n      code_in_a_list();\n\n> ```\n> quoted_code();\n> ```\n\n>     quoted_indented();\n\n1. ```\n   listed_fence();\n   ```\n\nA `span` and \\```escaped```.\n\n<pre>html</pre>\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>";

    #[test]
    fn no_code_block_code_span_or_html_survives() {
        let out = inert_markdown(HOSTILE);
        for line in out.lines() {
            assert!(!line.starts_with([' ', '\t']), "indented: {line:?}");
            assert!(!line.contains("  ") && !line.contains('\t'), "{line:?}");
            assert!(!line.replace("\\<", "").contains('<'), "html: {line:?}");
        }
        // Every backtick, tilde and backslash is escaped by a backslash that is not itself
        // escaped.
        let mut escaped = false;
        for c in out.chars() {
            if matches!(c, '`' | '~' | '<') {
                assert!(escaped, "unescaped {c} in {out}");
            }
            escaped = c == '\\' && !escaped;
        }
        assert!(out.contains("\\`\\`\\`rust\npanic!(\"from the spec\");"));
        assert!(out.contains("A \\`span\\` and \\\\\\`\\`\\`escaped"));
        assert!(out.contains("\\<img src=x onerror=alert(1)>"));
        assert!(out.contains("- item\n\ncode_in_a_list();"));
        assert!(out.contains(">\\`\\`\\`") || out.contains("> \\`\\`\\`"));
    }

    #[test]
    fn prose_is_kept() {
        let prose = "Where the pet is in the sales process.\n\n- available\n- sold";
        assert_eq!(inert_markdown(prose), prose);
    }

    #[test]
    fn info_version_and_terms_are_made_inert() {
        let mut doc = json!({"info": {
            "title": "T", "version": "1.0\n\n    indented()", "termsOfService": "<b>x</b>"
        }});
        let mut notes = Vec::new();
        doc_text(&mut doc, &mut notes);
        assert_eq!(doc["info"]["version"], "1.0 indented()");
        assert_eq!(doc["info"]["termsOfService"], "\\<b>x\\</b>");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].rule, "normalize/doc-text");
    }
}
