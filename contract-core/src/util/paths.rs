//! Path arithmetic for paths written in Cargo.toml tables and the lock: lexical normalisation,
//! containment in the workspace (by text, then by the path the file system resolves, so a
//! symbolic link cannot lead out), and relative paths with `/` separators (the same text on
//! every platform and checkout location).

use std::path::{Component, Path, PathBuf};

/// Removes `.` and resolves `..` lexically (without touching the file system).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Why a configured path is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathProblem {
    /// An absolute path (the configuration must not depend on the checkout location).
    Absolute,
    /// The path leaves the workspace.
    OutsideWorkspace,
    /// The path is inside the workspace as written, but a symbolic link on it leads out.
    LinkOutsideWorkspace,
    /// The path is empty.
    Empty,
}

impl PathProblem {
    /// A phrase completing "path `x` ...".
    pub fn describe(self) -> &'static str {
        match self {
            PathProblem::Absolute => "is absolute; write it relative to the crate",
            PathProblem::OutsideWorkspace => "points outside the workspace",
            PathProblem::LinkOutsideWorkspace => {
                "leads outside the workspace through a symbolic link"
            }
            PathProblem::Empty => "is empty",
        }
    }
}

/// Joins a relative `written` path onto `base` and checks that the result stays in `root`,
/// as written and as resolved by the file system ([`confine`]).
pub fn resolve_inside(root: &Path, base: &Path, written: &str) -> Result<PathBuf, PathProblem> {
    if written.trim().is_empty() {
        return Err(PathProblem::Empty);
    }
    let as_path = Path::new(written);
    if as_path.is_absolute() || written.starts_with('/') || written.starts_with('\\') {
        return Err(PathProblem::Absolute);
    }
    let joined = normalize(&base.join(as_path));
    if !joined.starts_with(normalize(root)) {
        return Err(PathProblem::OutsideWorkspace);
    }
    confine(root, &joined)?;
    Ok(joined)
}

/// Checks that `path`, resolved by the file system (every symbolic link on it followed), stays
/// inside `root`, for a file to read or to write. Parts of `path` that do not exist yet are
/// taken as written (they are created as directories, never followed). Returns the resolved
/// path.
pub fn confine(root: &Path, path: &Path) -> Result<PathBuf, PathProblem> {
    let root = resolve_existing(&normalize(root));
    let resolved = resolve_existing(&normalize(path));
    if resolved.starts_with(&root) {
        Ok(resolved)
    } else {
        Err(PathProblem::LinkOutsideWorkspace)
    }
}

/// `path` with its longest existing prefix canonicalised (links followed) and the rest
/// appended.
fn resolve_existing(path: &Path) -> PathBuf {
    let mut existing = path;
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return rest.iter().rev().fold(real, |acc, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// The path from directory `from` to `to`, with `/` separators. Both must be absolute and
/// normalised.
pub fn relative_slash(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> =
        std::iter::repeat_n("..".to_string(), from.len() - common).collect();
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_and_contains() {
        let root = Path::new("/ws");
        let base = Path::new("/ws/crates/a");
        assert_eq!(
            resolve_inside(root, base, "specs/./x.yaml").unwrap(),
            PathBuf::from("/ws/crates/a/specs/x.yaml")
        );
        assert_eq!(
            resolve_inside(root, base, "../../shared/x.yaml").unwrap(),
            PathBuf::from("/ws/shared/x.yaml")
        );
        assert_eq!(
            resolve_inside(root, base, "../../../etc/passwd"),
            Err(PathProblem::OutsideWorkspace)
        );
        assert_eq!(
            resolve_inside(root, base, "/etc/passwd"),
            Err(PathProblem::Absolute)
        );
        assert_eq!(resolve_inside(root, base, " "), Err(PathProblem::Empty));
    }

    #[cfg(unix)]
    #[test]
    fn links_leading_out_are_refused_for_existing_and_new_files() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("spec.yaml"), "x").unwrap();
        let ws = tempfile::tempdir().unwrap();
        let root = ws.path();
        std::fs::create_dir(root.join("specs")).unwrap();
        std::fs::write(root.join("specs/own.yaml"), "x").unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("spec.yaml"),
            root.join("specs/out.yaml"),
        )
        .unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("gen")).unwrap();
        std::os::unix::fs::symlink(root.join("specs/own.yaml"), root.join("in.yaml")).unwrap();
        for ok in ["specs/own.yaml", "in.yaml", "new/dir/file.rs"] {
            assert!(resolve_inside(root, root, ok).is_ok(), "{ok}");
        }
        for bad in ["specs/out.yaml", "gen/client.rs", "gen/new/client.rs"] {
            assert_eq!(
                resolve_inside(root, root, bad),
                Err(PathProblem::LinkOutsideWorkspace),
                "{bad}"
            );
        }
    }

    #[test]
    fn relative_paths_use_slashes() {
        assert_eq!(
            relative_slash(Path::new("/ws"), Path::new("/ws/a/b.yaml")),
            "a/b.yaml"
        );
        assert_eq!(
            relative_slash(Path::new("/ws/crates/a"), Path::new("/ws/specs/b.yaml")),
            "../../specs/b.yaml"
        );
        assert_eq!(relative_slash(Path::new("/ws"), Path::new("/ws")), ".");
    }
}
