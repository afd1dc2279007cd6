//! The target directory a macro's crate is compiled into, and what macros keep there between
//! builds: `client!`'s expansion cache (`client_cache`), the stamps of spec files whose bytes
//! were hashed to their pin, so the next build of the crate need not hash them again, and the
//! digests of those files: the document a verified read gave (for `#[schema]`, its schemas
//! only), as compact JSON, so the next build reads that instead of cutting and parsing the
//! spec (a proc macro runs unoptimised under cargo's defaults, where that is most of its time
//! on a large spec).
//!
//! A stamp or a digest is trusted as far as cargo's own rebuild tracking: it records the
//! file's length, modification time and inode, and a file changed without changing any of
//! them is a file cargo would not rebuild for either. Both are written only for a file
//! modified at least [`SETTLED`] before (an edit in the same clock tick as the hash cannot
//! hide behind it), and `cargo contract-guard check`, the CI gate, always hashes and parses.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::spec::{LoadedSpec, Reading, SpecFormat};
use crate::util::hash::Sha256Digest;

/// The file cargo writes at the root of every target directory it creates.
const CARGO_TARGET_TAG: &str = "CACHEDIR.TAG";

/// The file cargo writes at the root of every target directory it builds in (its cache of
/// rustc's version), also in one it did not create.
const CARGO_RUSTC_INFO: &str = ".rustc_info.json";

/// How many directories above rustc's `--out-dir` the target directory may be
/// (`<target>/<triple>/<profile>/deps`).
const OUT_DIR_DEPTH: usize = 3;

/// How long before its hash a file must have been last modified for a stamp to be written.
const SETTLED: Duration = Duration::from_secs(2);

/// The first line of every stamp.
const STAMP_FORMAT: &str = "contract-guard verified spec 1";

/// The first line of every digest (with this tool's version: a digest is what this build's
/// reading of a spec gives). Changed whenever what a reading keeps changes (`spec/sections.rs`),
/// so a digest an older reading left is read past.
const DIGEST_FORMAT: &str = "contract-guard spec digest 2";

/// The target directory a proc macro's crate is compiled into, or `None` when none is found
/// (the macro then writes nothing there). Looked up without walking the file system: the
/// nearest directory holding cargo's `CACHEDIR.TAG` among rustc's `--out-dir` and the
/// [`OUT_DIR_DEPTH`] directories above it; else `CARGO_TARGET_DIR` (when absolute); else
/// `target` under the workspace root. A directory counts only when cargo created it or builds
/// in it (it holds the tag or cargo's `.rustc_info.json`), so nothing it writes lands in a source tree.
pub fn find_target_dir(
    out_dir: Option<&Path>,
    target_dir_env: Option<&Path>,
    workspace_root: &Path,
) -> Option<PathBuf> {
    let tagged =
        |dir: &Path| dir.join(CARGO_TARGET_TAG).is_file() || dir.join(CARGO_RUSTC_INFO).is_file();
    if let Some(out_dir) = out_dir.and_then(|dir| std::path::absolute(dir).ok())
        && let Some(found) = out_dir
            .ancestors()
            .take(OUT_DIR_DEPTH + 1)
            .find(|d| tagged(d))
    {
        return Some(found.to_path_buf());
    }
    if let Some(dir) = target_dir_env.filter(|dir| dir.is_absolute() && tagged(dir)) {
        return Some(dir.to_path_buf());
    }
    let default = workspace_root.join("target");
    tagged(&default).then_some(default)
}

/// Creates `target_dir` as cargo does when it does not exist yet: with cargo's `CACHEDIR.TAG`,
/// which cargo writes only into a target directory it creates itself, and which
/// [`find_target_dir`] looks for (a `cargo contract-guard` command is often the first to
/// write under `target/`).
pub fn create_like_cargo(target_dir: &Path) -> std::io::Result<()> {
    if target_dir.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(target_dir)?;
    std::fs::write(
        target_dir.join(CARGO_TARGET_TAG),
        "Signature: 8a477f597d28d172789f06886806bc55\n\
         # This file is a cache directory tag created by cargo.\n\
         # For information about cache directory tags see https://bford.info/cachedir/\n",
    )
}

/// What identifies a file's bytes without reading them: length, modification time, inode.
fn file_state(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(SystemTime::UNIX_EPOCH)
        .ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0u64;
    Some(format!(
        "{} {}.{:09} {inode}",
        meta.len(),
        modified.as_secs(),
        modified.subsec_nanos()
    ))
}

fn stamp_path(target_dir: &Path, spec: &Path) -> PathBuf {
    let name = Sha256Digest::of(spec.to_string_lossy().as_bytes()).to_string();
    let name = name.trim_start_matches("sha256:");
    target_dir
        .join("contract-guard")
        .join("verified")
        .join(&name[..32])
}

fn stamp_text(spec: &Path, state: &str, raw: Sha256Digest) -> String {
    format!("{STAMP_FORMAT}\n{}\n{state}\n{raw}\n", spec.display())
}

/// Whether a stamp says `spec`, as it is now, holds bytes hashing to `raw`.
pub fn stamped(target_dir: &Path, spec: &Path, raw: Sha256Digest) -> bool {
    let Some(state) = file_state(spec) else {
        return false;
    };
    crate::util::fsio::read_bounded(&stamp_path(target_dir, spec), 4096)
        .is_ok_and(|text| text == stamp_text(spec, &state, raw).as_bytes())
}

/// `spec`'s state when it was modified at least [`SETTLED`] ago; `None` otherwise.
fn settled_state(spec: &Path) -> Option<String> {
    let settled = std::fs::metadata(spec)
        .and_then(|m| m.modified())
        .is_ok_and(|m| m + SETTLED < SystemTime::now());
    file_state(spec).filter(|_| settled)
}

/// Writes `bytes` at `path` atomically, its directory created; best effort: what cannot be
/// written only means the next build does the work again.
fn keep(path: &Path, bytes: &[u8]) {
    if let Some(dir) = path.parent()
        && std::fs::create_dir_all(dir).is_ok()
    {
        let _ = crate::util::fsio::write_atomic(path, bytes);
    }
}

/// Records that `spec`'s bytes hash to `raw` (just computed), when the file has settled.
pub fn stamp(target_dir: &Path, spec: &Path, raw: Sha256Digest) {
    if let Some(state) = settled_state(spec) {
        let text = stamp_text(spec, &state, raw);
        keep(&stamp_path(target_dir, spec), text.as_bytes());
    }
}

fn digest_path(target_dir: &Path, spec: &Path, reading: Reading) -> PathBuf {
    let mut path = stamp_path(target_dir, spec).into_os_string();
    path.push(match reading {
        Reading::Whole => ".whole.json",
        Reading::Schemas => ".schemas.json",
    });
    path.into()
}

/// The header line of a digest: what it was read from, and how.
fn digest_header(
    spec: &Path,
    state: &str,
    raw: Sha256Digest,
    reading: Reading,
    format: SpecFormat,
) -> String {
    format!(
        "{DIGEST_FORMAT} {} {reading:?} {format:?} {raw} {state} {}",
        env!("CARGO_PKG_VERSION"),
        spec.display()
    )
}

/// Keeps the document of `spec`, which a verified read (its bytes hashing to `raw`, reaching
/// no other file) gave for `reading`, when the file has settled.
pub fn keep_digest(target_dir: &Path, raw: Sha256Digest, reading: Reading, spec: &LoadedSpec) {
    let Some(state) = settled_state(&spec.path) else {
        return;
    };
    let Ok(json) = serde_json::to_string(&spec.document) else {
        return;
    };
    let header = digest_header(&spec.path, &state, raw, reading, spec.format);
    let text = format!("{header}\n{json}");
    keep(
        &digest_path(target_dir, &spec.path, reading),
        text.as_bytes(),
    );
}

/// The document [`keep_digest`] kept for `spec` as it is now: how the spec is written, and
/// the document as JSON text.
pub fn digest(
    target_dir: &Path,
    spec: &Path,
    raw: Sha256Digest,
    reading: Reading,
) -> Option<(SpecFormat, String)> {
    let state = file_state(spec)?;
    let path = digest_path(target_dir, spec, reading);
    let bytes = crate::util::fsio::read_bounded(&path, crate::util::fsio::MAX_TEXT_BYTES).ok()?;
    let mut text = String::from_utf8(bytes).ok()?;
    let newline = text.find('\n')?;
    let format = [SpecFormat::Json, SpecFormat::Yaml]
        .into_iter()
        .find(|&format| text[..newline] == digest_header(spec, &state, raw, reading, format))?;
    text.drain(..=newline);
    Some((format, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_dir_is_the_tagged_one_above_rustcs_out_dir() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let target = root.join("build/tgt");
        let out_dir = target.join("x86_64-unknown-linux-gnu/debug/deps");
        std::fs::create_dir_all(&out_dir).unwrap();
        // Not cargo's (no tag): never used, so the cache never lands in a source tree.
        assert_eq!(find_target_dir(Some(&out_dir), None, root), None);
        std::fs::create_dir_all(root.join("target")).unwrap();
        std::fs::write(root.join("target").join(CARGO_TARGET_TAG), "").unwrap();
        assert_eq!(
            find_target_dir(Some(&out_dir), None, root),
            Some(root.join("target"))
        );
        std::fs::write(target.join(CARGO_TARGET_TAG), "").unwrap();
        assert_eq!(
            find_target_dir(Some(&out_dir), None, root),
            Some(target.clone())
        );
        assert_eq!(find_target_dir(None, Some(&target), root), Some(target));
        assert_eq!(
            find_target_dir(None, Some(Path::new("relative")), root),
            Some(root.join("target"))
        );
        let args = ["rustc", "--crate-name", "x", "--out-dir", "/t/debug/deps"];
        assert_eq!(
            crate::macros::locate::out_dir_argument(args.iter().map(Into::into)),
            Some(PathBuf::from("/t/debug/deps"))
        );
        let joined = ["rustc", "--out-dir=/t/deps"];
        assert_eq!(
            crate::macros::locate::out_dir_argument(joined.iter().map(Into::into)),
            Some(PathBuf::from("/t/deps"))
        );
        assert_eq!(
            crate::macros::locate::out_dir_argument(["rustc"].iter().map(Into::into)),
            None
        );
    }

    #[test]
    fn a_target_directory_made_here_is_one_cargo_would_have_made() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        create_like_cargo(&target).unwrap();
        assert_eq!(
            find_target_dir(None, None, dir.path()),
            Some(target.clone())
        );
        // An existing directory is left as it is (never tagged after the fact).
        let source = dir.path().join("src");
        std::fs::create_dir(&source).unwrap();
        create_like_cargo(&source).unwrap();
        assert!(!source.join(CARGO_TARGET_TAG).exists());
    }

    #[test]
    fn a_stamp_holds_while_the_file_is_unchanged_and_settled() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("spec.json");
        std::fs::write(&spec, "{}").unwrap();
        let raw = Sha256Digest::of(b"{}");
        // Just written: no stamp (an edit in the same tick could hide behind it).
        stamp(dir.path(), &spec, raw);
        assert!(!stamped(dir.path(), &spec, raw));
        settle(&spec);
        stamp(dir.path(), &spec, raw);
        assert!(stamped(dir.path(), &spec, raw));
        // Another pin, or the file changed: not trusted.
        assert!(!stamped(dir.path(), &spec, Sha256Digest::of(b"[]")));
        // Same length, same inode, a new modification time: not trusted.
        std::fs::write(&spec, "[]").unwrap();
        assert!(!stamped(dir.path(), &spec, raw));
    }

    /// Sets `path`'s modification time a minute back (a settled file).
    fn settle(path: &Path) {
        let past = SystemTime::now() - Duration::from_secs(60);
        std::fs::File::options()
            .append(true)
            .open(path)
            .unwrap()
            .set_modified(past)
            .unwrap();
    }

    #[test]
    fn a_digest_is_read_back_only_for_the_spec_and_reading_it_was_kept_for() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spec.yaml");
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
        std::fs::write(&path, text).unwrap();
        let raw = Sha256Digest::of(text.as_bytes());
        let spec = crate::spec::load_in(&path, dir.path()).unwrap();
        // Just written: not kept (an edit in the same tick could hide behind it).
        keep_digest(dir.path(), raw, Reading::Schemas, &spec);
        assert_eq!(digest(dir.path(), &path, raw, Reading::Schemas), None);
        settle(&path);
        keep_digest(dir.path(), raw, Reading::Schemas, &spec);
        let (format, json) = digest(dir.path(), &path, raw, Reading::Schemas).unwrap();
        assert_eq!(format, SpecFormat::Yaml);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&json).unwrap(),
            spec.document
        );
        // Another reading, another pin: none.
        assert_eq!(digest(dir.path(), &path, raw, Reading::Whole), None);
        assert_eq!(
            digest(dir.path(), &path, Sha256Digest::of(b"x"), Reading::Schemas),
            None
        );
        // The spec rewritten (same length, new modification time): none.
        std::fs::write(&path, text.replace("'1'", "'2'")).unwrap();
        assert_eq!(digest(dir.path(), &path, raw, Reading::Schemas), None);
        // A digest whose header was edited: none.
        settle(&path);
        let state = file_state(&path).unwrap();
        let kept = digest_path(dir.path(), &path, Reading::Schemas);
        let header = digest_header(&path, &state, raw, Reading::Schemas, SpecFormat::Yaml);
        std::fs::write(&kept, format!("{header} \n{{}}")).unwrap();
        assert_eq!(digest(dir.path(), &path, raw, Reading::Schemas), None);
        std::fs::write(&kept, format!("{header}\n{{}}")).unwrap();
        assert_eq!(
            digest(dir.path(), &path, raw, Reading::Schemas),
            Some((SpecFormat::Yaml, "{}".to_string()))
        );
    }
}
