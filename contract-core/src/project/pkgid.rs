//! Cargo package id specs, as `-p` and `--exclude` take them (`cargo help pkgid`): `name`,
//! `name@version` where the version may be a prefix (`app@1`, `app@1.2`, `app@1.2.3`), and the
//! URL forms of path packages, `path+file:///dir#name@version`, `file:///dir#version` (the name
//! is then the directory's), `file:///dir`.

use std::path::{Path, PathBuf};

/// A parsed package id spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkgIdSpec {
    /// The package name.
    pub name: String,
    /// The version or version prefix, if given.
    pub version: Option<String>,
    /// The package directory, for URL forms.
    pub dir: Option<PathBuf>,
}

impl PkgIdSpec {
    /// Parses a spec; the error says why it is not one.
    pub fn parse(spec: &str) -> Result<PkgIdSpec, String> {
        let (url, fragment) = match spec.split_once('#') {
            Some((url, fragment)) => (Some(url), Some(fragment)),
            None if spec.contains("://") => (Some(spec), None),
            None => (None, Some(spec)),
        };
        let dir = match url {
            None => None,
            Some(url) => Some(PathBuf::from(
                url.strip_prefix("path+file://")
                    .or_else(|| url.strip_prefix("file://"))
                    .ok_or_else(|| {
                        format!("`{spec}`: only `path+file://` and `file://` URLs name workspace members")
                    })?,
            )),
        };
        let dir_name = || {
            dir.as_deref()
                .and_then(Path::file_name)
                .map(|n| n.to_string_lossy().into_owned())
        };
        let (name, version) = match fragment {
            None => (dir_name(), None),
            Some(f) if url.is_some() && f.starts_with(|c: char| c.is_ascii_digit()) => {
                (dir_name(), Some(f.to_string()))
            }
            Some(f) => match f.split_once('@') {
                Some((name, version)) => (Some(name.to_string()), Some(version.to_string())),
                None => (Some(f.to_string()), None),
            },
        };
        let name = name
            .filter(|n| !n.is_empty())
            .ok_or_else(|| format!("`{spec}` names no package"))?;
        if version.as_deref().is_some_and(|v| !valid_version(v)) {
            return Err(format!(
                "`{spec}`: the version must be like `1`, `1.2` or `1.2.3`"
            ));
        }
        Ok(PkgIdSpec { name, version, dir })
    }

    /// Whether the package `name` at `version` in directory `dir` is the one named.
    pub fn matches(&self, name: &str, version: &str, dir: &Path) -> bool {
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        self.name == name
            && self
                .version
                .as_deref()
                .is_none_or(|v| version_matches(v, version))
            && self
                .dir
                .as_deref()
                .is_none_or(|d| canonical(d) == canonical(dir))
    }
}

fn valid_version(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() <= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `1` and `1.2` are prefixes (`1.2` matches `1.2.7`); a full version matches itself only.
fn version_matches(wanted: &str, version: &str) -> bool {
    let parts = wanted.split('.').count();
    if parts == 3 || wanted.contains(['-', '+']) {
        return version == wanted || version.split('+').next() == Some(wanted);
    }
    let core = version.split(['-', '+']).next().unwrap_or_default();
    core.split('.').take(parts).eq(wanted.split('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(spec: &str) -> bool {
        PkgIdSpec::parse(spec)
            .unwrap()
            .matches("app", "1.2.3", Path::new("/ws/crates/app"))
    }

    #[test]
    fn names_versions_and_urls_match_as_in_cargo() {
        for yes in [
            "app",
            "app@1",
            "app@1.2",
            "app@1.2.3",
            "path+file:///ws/crates/app#app@1.2.3",
            "path+file:///ws/crates/app#1.2",
            "file:///ws/crates/app",
        ] {
            assert!(matches(yes), "{yes}");
        }
        for no in [
            "ap",
            "app@2",
            "app@1.3",
            "app@1.2.4",
            "path+file:///ws/crates/other#app",
            "file:///ws/crates/other",
        ] {
            assert!(!matches(no), "{no}");
        }
    }

    #[test]
    fn malformed_specs_are_errors() {
        for bad in [
            "app@x",
            "app@1.2.3.4",
            "@1",
            "git+https://x/app#app",
            "app@",
        ] {
            assert!(PkgIdSpec::parse(bad).is_err(), "{bad}");
        }
    }
}
