//! Unified diffs of generated text, for showing a hand edit.

/// A unified diff from `expected` (as generated) to `actual` (as found), with three lines of
/// context and at most `max_lines` lines of output.
pub fn unified(expected: &str, actual: &str, file: &str, max_lines: usize) -> String {
    let diff = similar::TextDiff::from_lines(expected, actual);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{file} (as generated)"),
            &format!("{file} (on disk)"),
        )
        .to_string();
    let total = text.lines().count();
    if total <= max_lines {
        return text;
    }
    let mut out: String = text
        .lines()
        .take(max_lines)
        .map(|l| format!("{l}\n"))
        .collect();
    out.push_str(&format!("... {} more diff lines\n", total - max_lines));
    out
}

/// The file `expected_body` would make: `on_disk`'s header (everything before `body`, which
/// must be a suffix of `on_disk`) followed by `expected_body`. Diffing it against `on_disk`
/// numbers hunks and lines as in the file on disk, not from the end of the header.
pub fn as_generated(on_disk: &str, body: &str, expected_body: &str) -> String {
    let head = on_disk.strip_suffix(body).unwrap_or_default();
    format!("{head}{expected_body}")
}

/// The 1-based line of `actual` where it first departs from `expected`: the first inserted
/// line, or for a pure deletion the line that now stands where the deleted one was.
pub fn first_changed_line(expected: &str, actual: &str) -> Option<usize> {
    // Where the common prefix of lines ends, as a line diff says, without diffing (the guard
    // calls this on a 17 MB client).
    let mut expected = expected.split_inclusive('\n');
    let mut actual = actual.split_inclusive('\n');
    let mut line = 1;
    loop {
        match (expected.next(), actual.next()) {
            (None, None) => return None,
            (e, a) if e == a => line += 1,
            _ => return Some(line),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_changed_line() {
        assert_eq!(first_changed_line("a\nb\nc\n", "a\nB\nc\n"), Some(2));
        assert_eq!(first_changed_line("a\nb\nc\n", "a\nc\n"), Some(2));
        assert_eq!(first_changed_line("a\n", "a\n"), None);
        assert_eq!(
            first_changed_line("a\nb\n", "a\n"),
            Some(2),
            "deleted at the end"
        );
        assert_eq!(
            first_changed_line("a\n", "a\nb\n"),
            Some(2),
            "added at the end"
        );
        assert_eq!(
            first_changed_line("a\nb", "a\nb\n"),
            Some(2),
            "a final newline"
        );
        let diff = unified("a\nb\n", "a\nB\n", "f.rs", 100);
        assert!(diff.contains("-b\n+B\n"), "{diff}");
    }

    #[test]
    fn hunks_are_numbered_as_lines_of_the_file_on_disk() {
        let on_disk = "// h1\n// h2\n\nbody1\nEDIT\n";
        let body = &on_disk["// h1\n// h2\n\n".len()..];
        let expected = as_generated(on_disk, body, "body1\nbody2\n");
        assert_eq!(expected, "// h1\n// h2\n\nbody1\nbody2\n");
        assert_eq!(first_changed_line(&expected, on_disk), Some(5));
        let diff = unified(&expected, on_disk, "f.rs", 100);
        assert!(diff.contains("@@ -2,4 +2,4 @@"), "{diff}");
    }
}
