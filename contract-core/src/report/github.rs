//! GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`): annotations
//! shown inline on pull requests.

use super::{Annotation, Level};

/// Escapes message data (`%`, CR, LF) as the runner requires.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (also `:` and `,`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
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
            message: "100% edited\nby hand".into(),
            suppressed: None,
        }]);
        assert_eq!(
            out,
            "::error file=a%2Cb%3Ac.rs,line=3,title=hand-edited::100%25 edited%0Aby hand\n"
        );
    }

    #[test]
    fn suppressed_annotations_are_left_out() {
        let annotation = |suppressed: Option<&str>| Annotation {
            rule: "path-removed".into(),
            level: Level::Warning,
            file: "api.yaml".into(),
            line: None,
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
