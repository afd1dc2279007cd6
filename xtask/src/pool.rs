//! What the long runs share: a fixed number of threads taking jobs in order, and the spec
//! files below a folder.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Runs `job(i)` for every `i` in `0..count` on `parallel` threads, each taking the next
/// index when it is free; the results in index order.
pub fn run<T: Send>(count: usize, parallel: usize, job: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..count).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..parallel.max(1) {
            scope.spawn(|| {
                loop {
                    let index = {
                        let mut n = next.lock().expect("lock");
                        let i = *n;
                        *n += 1;
                        i
                    };
                    if index >= count {
                        break;
                    }
                    let result = job(index);
                    results.lock().expect("lock")[index] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("lock")
        .into_iter()
        .map(|r| r.expect("every job ran"))
        .collect()
}

/// The files below `root` (recursively) that `keep` accepts, sorted.
pub fn files_below(root: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("`{}`: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if keep(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_back_in_index_order_whatever_the_threads() {
        let out = super::run(50, 4, |i| i * 2);
        assert_eq!(out, (0..50).map(|i| i * 2).collect::<Vec<_>>());
        assert!(super::run(0, 3, |i| i).is_empty());
    }

    #[test]
    fn files_below_walks_every_folder_and_sorts() {
        let dir = std::env::temp_dir().join(format!("xtask-pool-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("a/b")).unwrap();
        for f in ["z.json", "a/b/x.json", "a/y.txt"] {
            std::fs::write(dir.join(f), "").unwrap();
        }
        let json = super::files_below(&dir, |p| p.extension().is_some_and(|e| e == "json"));
        let rel: Vec<_> = json
            .unwrap()
            .iter()
            .map(|p| p.strip_prefix(&dir).unwrap().to_path_buf())
            .collect();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(rel, [Path::new("a/b/x.json"), Path::new("z.json")]);
    }

    use std::path::Path;
}
