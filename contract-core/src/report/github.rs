//! GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`): annotations
//! shown inline on pull requests.

use super::{Annotation, Level};

/// Escapes message data (`%`, CR, LF) as the runner requires; other control characters (ANSI
/// escapes) are written as `\u{…}` so that they do not reach the log.
fn escape_data(text: &str) -> String {
    super::printable(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (also `:` and `,`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// An error of the tool itself (the command could not complete): one `::error` without a file.
pub fn render_error(message: &str) -> String {
    format!(
        "::error title=cargo-contract-guard::{}\n",
        escape_data(message)
    )
}

/// One workflow command per annotation that is not suppressed, each ending with a newline.
pub fn render(annotations: &[Annotation]) -> String {
    let mut out = String::new();
    for a in annotations.iter().filter(|a| a.suppressed.is_none()) {
        let command = match a.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        out.push_str(&format!("::{command} file={}", escape_property(&a.file)));
        if let Some(line) = a.line {
            out.push_str(&format!(",line={line}"));
            if let Some(column) = a.column {
                out.push_str(&format!(",col={column}"));
            }
        }
        out.push_str(&format!(
            ",title={}::{}\n",
            escape_property(&a.rule),
            escape_data(&a.message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_the_runner_rules() {
        let out = render(&[Annotation {
            rule: "hand-edited".into(),
            level: Level::Error,
            file: "a,b:c.rs".into(),
            line: Some(3),
            column: Some(7),
            message: "100% edited\nby hand\r\u{1b}[2J".into(),
            suppressed: None,
        }]);
        assert_eq!(
            out,
            "::error file=a%2Cb%3Ac.rs,line=3,col=7,title=hand-edited::100%25 edited%0Aby hand\\u{d}\\u{1b}[2J\n"
        );
    }

    #[test]
    fn tool_errors_have_no_file() {
        assert_eq!(
            render_error("bad lock:\n  line 3"),
            "::error title=cargo-contract-guard::bad lock:%0A  line 3\n"
        );
    }

    #[test]
    fn suppressed_annotations_are_left_out() {
        let annotation = |suppressed: Option<&str>| Annotation {
            rule: "path-removed".into(),
            level: Level::Warning,
            file: "api.yaml".into(),
            line: None,
            column: None,
            message: "gone".into(),
            suppressed: suppressed.map(str::to_string),
        };
        let out = render(&[
            annotation(Some("agreed with the consumers")),
            annotation(None),
        ]);
        assert_eq!(out, "::warning file=api.yaml,title=path-removed::gone\n");
    }
}
