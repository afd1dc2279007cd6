//! Where a generated file was edited, for the guard's error. `check` finds the line by
//! regenerating the file; the guard has no generator, so it takes the file as generated from
//! git: the staged copy, else the one in `HEAD`, and only when its body hashes to the header's
//! `body-sha256` (so it is the generated original whatever git holds). Without git, or with
//! the edit already committed, the guard says where to see the edit instead.
//!
//! git runs only on this failure path, read-only (`cat-file`), with no prompt, no optional
//! locks and no fsmonitor hook, and its output is read up to a bound.

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::codegen::header;
use crate::report::text_diff;
use crate::util::hash::Sha256Digest;

/// The longest edited line shown, in characters.
const MAX_SHOWN: usize = 120;

/// The first edited line of a generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Edit {
    /// 1-based line in the file on disk.
    pub line: usize,
    /// That line as it is now (shortened, control characters replaced).
    pub text: String,
}

/// The first line where `on_disk` (the text of `file`) departs from the generated original
/// whose body hashes to `body_sha256`, when git holds that original.
pub(super) fn first_edit(file: &Path, on_disk: &str, body_sha256: Sha256Digest) -> Option<Edit> {
    // The original is at most the edited file plus what the edit removed: allow a generous
    // bound, never an unbounded read.
    let cap = (on_disk.len() as u64).saturating_mul(2).max(1 << 20);
    let original = original(file, body_sha256, cap)?;
    let on_disk = on_disk.replace("\r\n", "\n");
    let line = text_diff::first_changed_line(&original, &on_disk)?;
    let text = on_disk.lines().nth(line - 1).unwrap_or_default();
    Some(Edit {
        line,
        text: shown(text),
    })
}

/// The staged, else committed, copy of `file` whose body hashes to `body_sha256`.
fn original(file: &Path, body_sha256: Sha256Digest, cap: u64) -> Option<String> {
    let dir = file.parent()?;
    let name = file.file_name()?.to_str()?;
    ["", "HEAD"].into_iter().find_map(|revision| {
        let bytes = git_blob(dir, &format!("{revision}:./{name}"), cap)?;
        let text = String::from_utf8(bytes).ok()?.replace("\r\n", "\n");
        let (_, body) = header::split(&text).ok()?;
        (header::body_hash(body) == body_sha256).then_some(text)
    })
}

/// The bytes of git object `object` (relative to `dir`), when git has it and it is at most
/// `cap` bytes.
fn git_blob(dir: &Path, object: &str, cap: u64) -> Option<Vec<u8>> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "core.fsmonitor=false", "--no-optional-locks"])
        .args(["cat-file", "blob", object])
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut bytes = Vec::new();
    let read = child.stdout.take()?.take(cap + 1).read_to_end(&mut bytes);
    if read.is_err() || bytes.len() as u64 > cap {
        let _ = child.kill();
        let _ = child.wait();
        return None;
    }
    child.wait().ok()?.success().then_some(bytes)
}

/// A line as an error message shows it: trimmed at the end, at most [`MAX_SHOWN`] characters,
/// control characters replaced.
fn shown(line: &str) -> String {
    let line = line.trim_end();
    let mut out: String = line
        .chars()
        .take(MAX_SHOWN)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if line.chars().count() > MAX_SHOWN {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    /// A generated-looking file committed to a fresh repository; its body hash.
    fn committed(dir: &Path, body: &str) -> Sha256Digest {
        let hash = header::body_hash(body);
        let text = format!(
            "{}{body}",
            header::Header {
                tool_version: "0.1.0".into(),
                generator: "progenitor 0.15.1".into(),
                contract: "mini".into(),
                spec: "specs/mini.yaml".into(),
                spec_fingerprint: Sha256Digest::of(b"spec"),
                settings_fingerprint: Sha256Digest::of(b"settings"),
                body_sha256: hash,
                lossy: None,
                operations: Vec::new(),
            }
            .render()
        );
        std::fs::create_dir_all(dir.join("src/generated")).unwrap();
        std::fs::write(dir.join("src/generated/mini.rs"), text).unwrap();
        git(dir, &["init", "-q"]);
        git(dir, &["add", "."]);
        git(dir, &["commit", "-q", "-m", "generated"]);
        hash
    }

    #[test]
    fn names_the_first_edited_line_from_the_committed_original() {
        let dir = tempfile::tempdir().unwrap();
        let body: String = (1..=40)
            .map(|i| format!("pub const C{i}: i32 = {i};\n"))
            .collect();
        let hash = committed(dir.path(), &body);
        let file = dir.path().join("src/generated/mini.rs");
        let text = std::fs::read_to_string(&file).unwrap();
        // Body line 30 is file line 35 (a 5-line header).
        let edited = text.replace("C30: i32", "C30: i64");
        std::fs::write(&file, &edited).unwrap();
        let edit = first_edit(&file, &edited, hash).unwrap();
        assert_eq!(edit.line, 35);
        assert_eq!(edit.text, "pub const C30: i64 = 30;");
        // Staged, the edit is still found against `HEAD`.
        git(dir.path(), &["add", "."]);
        assert_eq!(first_edit(&file, &edited, hash).unwrap().line, 35);
        // Committed, git no longer has the original: nothing is made up.
        git(dir.path(), &["commit", "-q", "-m", "edit"]);
        assert_eq!(first_edit(&file, &edited, hash), None);
    }

    #[test]
    fn nothing_without_git_or_past_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f.rs");
        std::fs::write(&file, "x\n").unwrap();
        assert_eq!(first_edit(&file, "x\n", Sha256Digest::of(b"x")), None);
        let body = "pub const A: i32 = 1;\n".repeat(100);
        let hash = committed(dir.path(), &body);
        let file = dir.path().join("src/generated/mini.rs");
        assert!(original(&file, hash, 1 << 20).is_some());
        assert!(
            original(&file, hash, 100).is_none(),
            "larger than the bound"
        );
    }

    #[test]
    fn shows_lines_shortened_and_without_control_characters() {
        assert_eq!(shown("a\u{1b}[31mb  "), "a\u{fffd}[31mb");
        assert_eq!(shown(&"x".repeat(200)).chars().count(), MAX_SHOWN + 1);
    }
}
