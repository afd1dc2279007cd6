//! Path arithmetic for paths written in Cargo.toml tables and the lock: lexical normalisation,
//! containment in the workspace, and relative paths with `/` separators (the same text on every
//! platform and checkout location).

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
    /// The path is empty.
    Empty,
}

impl PathProblem {
    /// A phrase completing "path `x` ...".
    pub fn describe(self) -> &'static str {
        match self {
            PathProblem::Absolute => "is absolute; write it relative to the crate",
            PathProblem::OutsideWorkspace => "points outside the workspace",
            PathProblem::Empty => "is empty",
        }
    }
}

/// Joins a relative `written` path onto `base` and checks that the result stays in `root`.
pub fn resolve_inside(root: &Path, base: &Path, written: &str) -> Result<PathBuf, PathProblem> {
    if written.trim().is_empty() {
        return Err(PathProblem::Empty);
    }
    let as_path = Path::new(written);
    if as_path.is_absolute() || written.starts_with('/') || written.starts_with('\\') {
        return Err(PathProblem::Absolute);
    }
    let joined = normalize(&base.join(as_path));
    if joined.starts_with(normalize(root)) {
        Ok(joined)
    } else {
        Err(PathProblem::OutsideWorkspace)
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
