//! Hashes of generated files and folders. A file hashes as its bytes; a folder as the SHA-256 of
//! its listing, one `<hex sha256>  <path>\n` line per regular file, sorted by path (`/`
//! separators, relative to the folder: the output of `sha256sum` on the sorted file list), so
//! the same files give the same hash on every machine and checkout path. Symbolic links and
//! special files inside a folder are refused (they could lead out of the repository); the walk
//! is bounded in files, depth and bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::util::fsio;
use crate::util::hash::Sha256Digest;

/// The most files a folder may hold.
pub const MAX_FILES: usize = 20_000;
/// The deepest a folder may nest.
pub const MAX_DEPTH: usize = 32;
/// The most bytes all of a folder's files may hold together.
pub const MAX_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;

/// The hash of a file or folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeHash {
    /// The file's SHA-256, or the folder listing's.
    pub sha256: Sha256Digest,
    /// A folder's files (relative, `/`-separated) and their hashes; `None` for a file.
    pub files: Option<BTreeMap<String, Sha256Digest>>,
}

/// The regular files under `folder`, relative and `/`-separated, sorted, ignored ones included.
pub fn list_files(folder: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    walk(folder, folder, 0, &mut files)?;
    files.sort();
    Ok(files)
}

/// Whether `rel` (a path inside a folder) is one of `ignore`, or inside one.
pub fn is_ignored(rel: &str, ignore: &[String]) -> bool {
    ignore.iter().any(|i| {
        rel == i
            || rel
                .strip_prefix(i.as_str())
                .is_some_and(|r| r.starts_with('/'))
    })
}

/// The hash of the file or folder at `path`, without the `ignore`d paths of a folder; `None`
/// when nothing is there.
pub fn hash_path(path: &Path, ignore: &[String]) -> Result<Option<TreeHash>> {
    let meta = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read", path, e)),
        Ok(meta) => meta,
    };
    if !meta.is_dir() {
        let bytes = fsio::read_bounded(path, fsio::MAX_TEXT_BYTES)?;
        return Ok(Some(TreeHash {
            sha256: Sha256Digest::of(&bytes),
            files: None,
        }));
    }
    let mut files = BTreeMap::new();
    let mut total = 0u64;
    for rel in list_files(path)? {
        if is_ignored(&rel, ignore) {
            continue;
        }
        let file = path.join(&rel);
        let bytes = fsio::read_bounded(&file, fsio::MAX_TEXT_BYTES)?;
        total += bytes.len() as u64;
        if total > MAX_TOTAL_BYTES {
            return Err(refused(path, "its files hold more than 1 GiB together"));
        }
        files.insert(rel, Sha256Digest::of(&bytes));
    }
    Ok(Some(TreeHash {
        sha256: listing_hash(&files),
        files: Some(files),
    }))
}

/// The hash of a folder listing: `<hex>  <path>\n` per file, in path order.
pub fn listing_hash(files: &BTreeMap<String, Sha256Digest>) -> Sha256Digest {
    let listing: String = files
        .iter()
        .map(|(rel, digest)| format!("{}  {rel}\n", digest.hex()))
        .collect();
    Sha256Digest::of(listing.as_bytes())
}

/// The files that differ between two listings, each as `modified a.py`, `added b.py` or
/// `removed c.py`, in path order.
pub fn changed_files(
    recorded: &BTreeMap<String, Sha256Digest>,
    now: &BTreeMap<String, Sha256Digest>,
) -> Vec<String> {
    let mut paths: Vec<&String> = recorded.keys().chain(now.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter_map(|rel| match (recorded.get(rel), now.get(rel)) {
            (Some(a), Some(b)) if a != b => Some(format!("modified {rel}")),
            (Some(_), None) => Some(format!("removed {rel}")),
            (None, Some(_)) => Some(format!("added {rel}")),
            _ => None,
        })
        .collect()
}

fn walk(top: &Path, dir: &Path, depth: usize, files: &mut Vec<String>) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(refused(top, "it nests more than 32 folders deep"));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("read the folder", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read the folder", dir, e))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| Error::io("read", &path, e))?;
        if kind.is_dir() {
            walk(top, &path, depth + 1, files)?;
        } else if kind.is_file() {
            if files.len() >= MAX_FILES {
                return Err(refused(top, "it holds more than 20000 files"));
            }
            files.push(slash_relative(top, &path)?);
        } else {
            let why = "a symbolic link or special file inside a generated folder is refused (it could lead outside the repository)";
            return Err(Error::io(
                "hash",
                path,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, why),
            ));
        }
    }
    Ok(())
}

fn slash_relative(top: &Path, path: &Path) -> Result<String> {
    let rel: PathBuf = path.strip_prefix(top).unwrap_or(path).to_path_buf();
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    parts.map(|p| p.join("/")).ok_or_else(|| {
        Error::io(
            "hash",
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidData, "its name is not UTF-8"),
        )
    })
}

fn refused(path: &Path, why: &'static str) -> Error {
    Error::io(
        "hash",
        path,
        std::io::Error::new(std::io::ErrorKind::InvalidInput, why),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_hashes_as_its_sorted_listing_without_ignored_paths() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().join("client");
        std::fs::create_dir_all(top.join("b/c")).unwrap();
        std::fs::create_dir_all(top.join(".openapi-generator")).unwrap();
        std::fs::write(top.join("a.py"), "a").unwrap();
        std::fs::write(top.join("b/c/d.py"), "d").unwrap();
        std::fs::write(top.join(".openapi-generator/VERSION"), "7").unwrap();
        let ignore = vec![".openapi-generator".to_string()];
        let hash = hash_path(&top, &ignore).unwrap().unwrap();
        let files = hash.files.clone().unwrap();
        assert_eq!(files.keys().collect::<Vec<_>>(), ["a.py", "b/c/d.py"]);
        let listing = format!(
            "{}  a.py\n{}  b/c/d.py\n",
            Sha256Digest::of(b"a").hex(),
            Sha256Digest::of(b"d").hex()
        );
        assert_eq!(hash.sha256, Sha256Digest::of(listing.as_bytes()));
        std::fs::write(top.join(".openapi-generator/VERSION"), "8").unwrap();
        assert_eq!(hash_path(&top, &ignore).unwrap().unwrap(), hash);
        std::fs::write(top.join("a.py"), "edited").unwrap();
        std::fs::write(top.join("new.py"), "n").unwrap();
        std::fs::remove_file(top.join("b/c/d.py")).unwrap();
        let now = hash_path(&top, &ignore).unwrap().unwrap();
        assert_ne!(now.sha256, hash.sha256);
        assert_eq!(
            changed_files(&files, &now.files.unwrap()),
            ["modified a.py", "removed b/c/d.py", "added new.py"]
        );
        assert!(hash_path(&dir.path().join("none"), &[]).unwrap().is_none());
        let file = hash_path(&top.join("a.py"), &[]).unwrap().unwrap();
        assert_eq!(file.sha256, Sha256Digest::of(b"edited"));
        assert!(file.files.is_none());
    }

    #[test]
    fn ignore_entries_match_whole_path_components() {
        let ignore = vec![".meta".to_string()];
        assert!(is_ignored(".meta", &ignore));
        assert!(is_ignored(".meta/x", &ignore));
        assert!(!is_ignored(".metadata", &ignore));
        assert!(!is_ignored("src/.meta", &ignore));
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_a_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("out")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("out/link")).unwrap();
        let err = crate::error::with_causes(&hash_path(&dir.path().join("out"), &[]).unwrap_err());
        assert!(err.contains("symbolic link"), "{err}");
    }
}
