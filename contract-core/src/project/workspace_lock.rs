//! One writer of `contract-guard.lock` at a time. Commands that read the lock, change it and
//! write it back (`lock`, `generate`, `update`, `add`) hold an exclusive advisory lock for the
//! whole command, as cargo holds one on its build directory. The lock is taken on a stable
//! sidecar file, `<target-dir>/contract-guard/.lock`, not on `contract-guard.lock` itself:
//! that file is replaced by a rename on every write, which would leave a waiting process
//! holding a lock on a file no longer in place. Readers need no lock: every write is atomic.

use std::fs::{File, TryLockError};
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::project::workspace::Workspace;

/// Held while a command may change the lock file; released when dropped (or when the process
/// ends, however it ends).
#[derive(Debug)]
pub struct WorkspaceLock {
    _file: File,
    path: PathBuf,
}

impl WorkspaceLock {
    /// The sidecar file locked for `workspace`.
    pub fn path_for(workspace: &Workspace) -> PathBuf {
        workspace.target_dir.join("contract-guard").join(".lock")
    }

    /// Takes the lock, calling `on_wait` first when another process holds it (to say why the
    /// command is waiting), then waiting for it.
    pub fn acquire(workspace: &Workspace, on_wait: impl FnOnce()) -> Result<WorkspaceLock> {
        let path = Self::path_for(workspace);
        let fail = |e| Error::io("lock", &path, e);
        crate::macros::target_dir::create_like_cargo(&workspace.target_dir).map_err(fail)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(fail)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                on_wait();
                file.lock().map_err(fail)?;
            }
            Err(TryLockError::Error(e)) => return Err(fail(e)),
        }
        Ok(WorkspaceLock { _file: file, path })
    }

    /// The file locked.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }
}
