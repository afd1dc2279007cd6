//! File access for everything the tool reads and writes. Reads are bounded: regular files
//! only (never a FIFO, a device or a socket, even through a symbolic link) and at most a given
//! size. Writes are crash-safe: content goes to a temporary file in the target's directory, is
//! flushed to disk, then renamed over the target, so readers see the old or the new file,
//! never a partial one.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};

/// The most bytes read from any text file: a spec, a file it references, the lock, a
/// generated client, a manifest. Binaries have their own limit.
pub const MAX_TEXT_BYTES: u64 = 256 * 1024 * 1024;

/// Prefix and suffix of the temporary files [`write_atomic`] renames into place.
const TEMP_PREFIX: &str = ".contract-guard-";
const TEMP_SUFFIX: &str = ".tmp";

/// Reads the whole regular file at `path`, refusing anything else (a directory, a FIFO, a
/// device, a socket) and files over `limit` bytes. The file's type is checked before it is
/// opened, so a FIFO never blocks the read, and again after, so a file swapped in between is
/// refused too; the read stops at `limit + 1` bytes whatever the file claims to hold.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io("read", path, e))?;
    check_regular(path, &meta, limit)?;
    let file = std::fs::File::open(path).map_err(|e| Error::io("read", path, e))?;
    let opened = file.metadata().map_err(|e| Error::io("read", path, e))?;
    check_regular(path, &opened, limit)?;
    if !same_file(&meta, &opened) {
        return Err(not_regular(path, "it changed while it was being opened"));
    }
    let mut bytes = Vec::with_capacity(opened.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", path, e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// [`read_bounded`], with `Ok(None)` when nothing exists at `path`.
pub fn read_bounded_if_exists(path: &Path, limit: u64) -> Result<Option<Vec<u8>>> {
    match read_bounded(path, limit) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

fn check_regular(path: &Path, meta: &std::fs::Metadata, limit: u64) -> Result<()> {
    if meta.is_dir() {
        return Err(not_regular(path, "it is a directory, not a file"));
    }
    if !meta.is_file() {
        return Err(not_regular(
            path,
            "it is not a regular file (a FIFO, a device or a socket)",
        ));
    }
    if meta.len() > limit {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit,
        });
    }
    Ok(())
}

fn not_regular(path: &Path, why: &'static str) -> Error {
    Error::io(
        "read",
        path,
        std::io::Error::new(std::io::ErrorKind::InvalidInput, why),
    )
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    true
}

/// Writes `bytes` to `path` atomically, creating parent directories. Does nothing (and keeps
/// the file's modification time, so cargo does not rebuild) when the content is unchanged.
/// A new file gets the mode cargo gives its files (`0666` less the umask); a replaced file
/// keeps its mode. Temporary files left in the directory by a killed run are removed first
/// (even when the content is unchanged).
/// Returns whether the file was written.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<bool> {
    write_atomic_sweeping(path, bytes, Duration::ZERO)
}

/// How old a temporary file must be before [`write_atomic_shared`] takes it for a killed
/// run's.
const SHARED_TEMP_AGE: Duration = Duration::from_secs(3600);

/// [`write_atomic`] into a directory that processes holding no workspace lock write at once
/// (a cache that several rustc processes fill): only temporary files older than an hour are
/// removed first, so another writer's file in progress is left alone.
pub fn write_atomic_shared(path: &Path, bytes: &[u8]) -> Result<bool> {
    write_atomic_sweeping(path, bytes, SHARED_TEMP_AGE)
}

/// [`write_atomic`], removing the temporary files in the directory at least `stale_after` old.
fn write_atomic_sweeping(path: &Path, bytes: &[u8], stale_after: Duration) -> Result<bool> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    remove_stale_temps(dir, stale_after);
    let existing = std::fs::symlink_metadata(path).ok();
    if existing.as_ref().is_some_and(|m| m.is_file())
        && read_bounded(path, bytes.len() as u64).is_ok_and(|old| old == bytes)
    {
        return Ok(false);
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create the directory of", path, e))?;
    let mut temp = temp_builder()
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file for", path, e))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| Error::io("write", path, e))?;
    if let Some(meta) = existing.filter(std::fs::Metadata::is_file) {
        // Keep the permissions of the file being replaced.
        std::fs::set_permissions(temp.path(), meta.permissions())
            .map_err(|e| Error::io("keep the permissions of", path, e))?;
    }
    temp.persist(path)
        .map_err(|e| Error::io("replace", path, e.error))?;
    Ok(true)
}

/// Writes that succeed or fail together: each goes through [`write_atomic`], and unless
/// [`commit`](Self::commit) is called (a later step failed, or the command returned early),
/// dropping the transaction puts every file it wrote back as it was (removed if it did not
/// exist), last written first. Restoring is best effort: it is itself a write that can fail.
#[derive(Debug, Default)]
pub struct Transaction {
    /// Each file written, with its bytes before (`None`: it did not exist).
    written: Vec<(PathBuf, Option<Vec<u8>>)>,
}

impl Transaction {
    /// Writes `bytes` to `path` atomically, remembering what was there. Returns whether the
    /// file changed.
    pub fn write(&mut self, path: &Path, bytes: &[u8]) -> Result<bool> {
        let before = read_bounded_if_exists(path, MAX_TEXT_BYTES)?;
        let changed = write_atomic(path, bytes)?;
        if changed {
            self.written.push((path.to_path_buf(), before));
        }
        Ok(changed)
    }

    /// Removes the file at `path`, remembering its bytes; nothing there is no change. Returns
    /// whether a file was removed.
    pub fn remove(&mut self, path: &Path) -> Result<bool> {
        let Some(before) = read_bounded_if_exists(path, MAX_TEXT_BYTES)? else {
            return Ok(false);
        };
        std::fs::remove_file(path).map_err(|e| Error::io("remove", path, e))?;
        self.written.push((path.to_path_buf(), Some(before)));
        Ok(true)
    }

    /// Keeps every write.
    pub fn commit(mut self) {
        self.written.clear();
    }
}

impl Drop for Transaction {
    fn drop(&mut self) {
        for (path, before) in self.written.drain(..).rev() {
            let _ = match before {
                Some(bytes) => write_atomic(&path, &bytes).map(drop),
                None => std::fs::remove_file(&path).map_err(|e| Error::io("remove", &path, e)),
            };
        }
    }
}

/// Temporary files created `0666` less the umask, as `File::create` (and cargo) would.
fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
}

/// Removes the temporary files of [`write_atomic`] that a killed run left in `dir`, those at
/// least `stale_after` old. Writers of the workspace hold its lock
/// ([`crate::project::workspace_lock`]), so none is in use. Best effort: a file that cannot be
/// removed is left.
fn remove_stale_temps(dir: &Path, stale_after: Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX)
            && name.ends_with(TEMP_SUFFIX)
            && entry.file_type().is_ok_and(|t| t.is_file())
            && old_enough(&entry, stale_after)
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether `entry` was last modified at least `age` ago (any file when `age` is zero).
fn old_enough(entry: &std::fs::DirEntry, age: Duration) -> bool {
    age.is_zero()
        || entry
            .metadata()
            .and_then(|meta| meta.modified())
            .is_ok_and(|modified| modified.elapsed().is_ok_and(|elapsed| elapsed >= age))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(dir: &Path) -> Vec<std::ffi::OsString> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_creates_dirs_and_skips_identical_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/file.txt");
        assert!(write_atomic(&path, b"one").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        assert!(!write_atomic(&path, b"one").unwrap());
        assert!(write_atomic(&path, b"two").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(names_in(path.parent().unwrap()), ["file.txt"]);
    }

    #[test]
    fn a_transaction_not_committed_puts_files_back() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old.rs"), dir.path().join("new.rs"));
        std::fs::write(&old, "before").unwrap();
        let mut tx = Transaction::default();
        assert!(tx.write(&old, b"after").unwrap());
        assert!(tx.write(&new, b"created").unwrap());
        assert!(tx.write(&dir.path().join("a/dir"), b"x").is_ok());
        drop(tx);
        assert_eq!(std::fs::read(&old).unwrap(), b"before");
        assert!(!new.exists());
        let mut tx = Transaction::default();
        assert!(tx.remove(&old).unwrap());
        assert!(!tx.remove(&new).unwrap());
        assert!(!old.exists());
        drop(tx);
        assert_eq!(std::fs::read(&old).unwrap(), b"before");
        let mut tx = Transaction::default();
        tx.write(&new, b"kept").unwrap();
        tx.commit();
        assert_eq!(std::fs::read(&new).unwrap(), b"kept");
    }

    #[test]
    fn stale_temporary_files_are_removed_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".contract-guard-Xy12ab.tmp"), "partial").unwrap();
        std::fs::write(dir.path().join("keep.tmp"), "mine").unwrap();
        write_atomic(&dir.path().join("out.rs"), b"fn main() {}").unwrap();
        assert_eq!(names_in(dir.path()), ["keep.tmp", "out.rs"]);
    }

    #[test]
    fn a_shared_write_leaves_another_writers_fresh_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let (fresh, old) = (
            dir.path().join(".contract-guard-fresh1.tmp"),
            dir.path().join(".contract-guard-old123.tmp"),
        );
        std::fs::write(&fresh, "in progress").unwrap();
        std::fs::write(&old, "killed").unwrap();
        let long_ago = std::time::SystemTime::now() - 2 * SHARED_TEMP_AGE;
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        assert!(write_atomic_shared(&dir.path().join("out.rs"), b"x").unwrap());
        assert_eq!(
            names_in(dir.path()),
            [".contract-guard-fresh1.tmp", "out.rs"]
        );
    }

    #[test]
    fn reads_are_bounded_and_refuse_directories() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_bounded(&path, 5).unwrap(), b"12345");
        let err = read_bounded(&path, 4).unwrap_err();
        assert!(
            matches!(
                err,
                Error::TooLarge {
                    size: 5,
                    limit: 4,
                    ..
                }
            ),
            "{err}"
        );
        let err = crate::error::with_causes(&read_bounded(dir.path(), 10).unwrap_err());
        assert!(err.contains("it is a directory"), "{err}");
        assert!(
            read_bounded_if_exists(&dir.path().join("none"), 1)
                .unwrap()
                .is_none()
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let zero = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        for path in [Some(zero), made.is_ok_and(|s| s.success()).then_some(fifo)]
            .into_iter()
            .flatten()
        {
            let err = crate::error::with_causes(&read_bounded(&path, MAX_TEXT_BYTES).unwrap_err());
            assert!(err.contains("not a regular file"), "{err}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn new_files_follow_the_umask_and_replaced_files_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        // What `File::create` gives a new file under this process's umask.
        let probe = dir.path().join("probe");
        std::fs::File::create(&probe).unwrap();
        let expected = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
        let path = dir.path().join("new.rs");
        write_atomic(&path, b"one").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, expected);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"two").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
}
