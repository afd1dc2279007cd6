//! Running the commands that generate a contract's artifacts (files or folders of other
//! languages), without a shell: each command runs in the workspace root with a cleared
//! environment (`PATH`, `HOME` and `TMPDIR` kept), its arguments' `{spec}` replaced by the
//! pinned spec and `{path}` by a path in a temporary folder under the target directory, within
//! its `timeout`. Nothing reaches the repository until every command of the run succeeded; then
//! [`install`] moves each output into place through a [`Transaction`].

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::project::artifact::{Artifact, ArtifactRecord, PATH_PLACEHOLDER, SPEC_PLACEHOLDER};
use crate::project::contract::Contract;
use crate::util::fsio::{self, Transaction};
use crate::util::hash::Sha256Digest;
use crate::util::paths;
use crate::util::tree::{self, TreeHash};

/// The variables a command's environment keeps (everything else is cleared). Node (`npx`)
/// and Python generators need no others.
pub const KEPT_ENVIRONMENT: &[&str] = &[
    "PATH",
    "HOME",
    "TMPDIR",
    #[cfg(windows)]
    "SYSTEMROOT",
    #[cfg(windows)]
    "USERPROFILE",
    #[cfg(windows)]
    "APPDATA",
    #[cfg(windows)]
    "LOCALAPPDATA",
    #[cfg(windows)]
    "TEMP",
    #[cfg(windows)]
    "TMP",
];

/// Lines of a failed command's output quoted in the error.
const QUOTED_LINES: usize = 15;

/// The outputs of one run of a contract's artifact commands, in a temporary folder removed when
/// this is dropped.
#[derive(Debug)]
pub struct ArtifactRun {
    _scratch: tempfile::TempDir,
    /// What each command wrote, in declaration order.
    pub produced: Vec<Produced>,
}

/// What one command wrote.
#[derive(Debug)]
pub struct Produced {
    /// The artifact.
    pub artifact: Artifact,
    /// Where the command wrote it.
    pub temp: PathBuf,
    /// Its hash (without the ignored paths).
    pub hash: TreeHash,
    /// How long the command ran.
    pub seconds: f64,
}

impl Produced {
    /// The lock's record of this output, generated from `fingerprint` (`info.version`
    /// `spec_version`).
    pub fn record(
        &self,
        fingerprint: Sha256Digest,
        spec_version: Option<String>,
    ) -> ArtifactRecord {
        ArtifactRecord {
            path: self.artifact.rel.clone(),
            runtime: self.artifact.runtime.clone(),
            command: self.artifact.command.clone(),
            ignore: self.artifact.ignore.clone(),
            fingerprint,
            spec_version,
            sha256: self.hash.sha256,
            files: self.hash.files.clone(),
        }
    }

    /// How many files it holds (1 for a file).
    pub fn file_count(&self) -> usize {
        self.hash.files.as_ref().map_or(1, |f| f.len())
    }
}

/// Where runs of artifact commands make their temporary folders.
pub fn scratch_root(target_dir: &Path) -> PathBuf {
    target_dir.join("contract-guard").join("artifacts")
}

/// Runs the command of each of `artifacts` (of `contract`) into a fresh temporary folder under
/// `scratch_root`; the first failure stops the run and is the error.
pub fn run_all(
    contract: &Contract,
    artifacts: &[Artifact],
    scratch_root: &Path,
) -> Result<ArtifactRun> {
    std::fs::create_dir_all(scratch_root)
        .map_err(|e| Error::io("create the directory", scratch_root, e))?;
    let scratch = tempfile::Builder::new()
        .prefix("run-")
        .tempdir_in(scratch_root)
        .map_err(|e| Error::io("create a temporary folder in", scratch_root, e))?;
    let mut produced = Vec::new();
    for (index, artifact) in artifacts.iter().enumerate() {
        let slot = scratch.path().join(index.to_string());
        std::fs::create_dir_all(&slot).map_err(|e| Error::io("create the directory", &slot, e))?;
        let name = artifact.path.file_name().unwrap_or_default();
        let temp = slot.join(name);
        let log = scratch.path().join(format!("{index}.log"));
        let started = Instant::now();
        run_command(contract, artifact, &temp, &log)?;
        let failure =
            |message: String| artifact_error(contract, artifact, message, fix_command(contract));
        let hash = tree::hash_path(&temp, &artifact.ignore)?.ok_or_else(|| {
            failure(format!(
                "the command exited successfully but wrote nothing at `{PATH_PLACEHOLDER}`"
            ))
        })?;
        produced.push(Produced {
            artifact: artifact.clone(),
            temp,
            hash,
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    Ok(ArtifactRun {
        _scratch: scratch,
        produced,
    })
}

/// The arguments of `artifact`'s command with its placeholders replaced (`temp`: where it must
/// write). Both paths are relative to the workspace root, where the command runs.
pub fn arguments(contract: &Contract, artifact: &Artifact, temp: &Path) -> Vec<String> {
    let temp_rel = paths::relative_slash(&contract.root, temp);
    artifact.command[1..]
        .iter()
        .map(|arg| {
            arg.replace(SPEC_PLACEHOLDER, &contract.spec_rel)
                .replace(PATH_PLACEHOLDER, &temp_rel)
        })
        .collect()
}

/// The program to start: a name is looked up on `PATH`, a path (with a `/`) is taken relative to
/// the workspace root.
fn program(contract: &Contract, artifact: &Artifact) -> PathBuf {
    let written = &artifact.command[0];
    if written.contains('/') || written.contains('\\') {
        paths::normalize(&contract.root.join(written))
    } else {
        PathBuf::from(written)
    }
}

fn run_command(contract: &Contract, artifact: &Artifact, temp: &Path, log: &Path) -> Result<()> {
    let written = &artifact.command[0];
    let log_file = std::fs::File::create(log).map_err(|e| Error::io("create", log, e))?;
    let log_err = log_file
        .try_clone()
        .map_err(|e| Error::io("create", log, e))?;
    let mut command = Command::new(program(contract, artifact));
    command
        .args(arguments(contract, artifact, temp))
        .current_dir(&contract.root)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(log_err);
    for key in KEPT_ENVIRONMENT {
        if let Some(value) = std::env::var_os(key) {
            command.env(key, value);
        }
    }
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let failure = |message: String, fix: String| artifact_error(contract, artifact, message, fix);
    let mut child = command.spawn().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            failure(
                format!(
                    "its generator `{written}` is not installed (not found{})",
                    if written.contains('/') {
                        " at that path, relative to the workspace root"
                    } else {
                        " on PATH"
                    }
                ),
                format!(
                    "install `{written}`, or change `command` in `{}`",
                    manifest(contract)
                ),
            )
        } else {
            failure(
                format!("could not start `{written}`: {e}"),
                fix_command(contract),
            )
        }
    })?;
    let deadline = Instant::now() + Duration::from_secs(artifact.timeout_secs);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                kill(&mut child);
                return Err(failure(
                    format!(
                        "`{}` did not finish within {} s and was stopped",
                        artifact.command.join(" "),
                        artifact.timeout_secs
                    ),
                    format!(
                        "raise `timeout` (seconds) in `{}`, or find why the command hangs",
                        manifest(contract)
                    ),
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                kill(&mut child);
                return Err(failure(
                    format!("could not wait for `{written}`: {e}"),
                    fix_command(contract),
                ));
            }
        }
    };
    if status.success() {
        return Ok(());
    }
    let code = status.code().map_or_else(
        || "was killed by a signal".to_string(),
        |c| format!("exited with status {c}"),
    );
    Err(failure(
        format!(
            "`{}` {code}{}",
            artifact.command.join(" "),
            quoted_tail(log)
        ),
        fix_command(contract),
    ))
}

/// Stops a command that ran too long, with the processes it started (its process group).
fn kill(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// `; its output ended with:` and the last lines of the log, control characters removed.
fn quoted_tail(log: &Path) -> String {
    let Ok(bytes) = fsio::read_bounded(log, 16 * 1024 * 1024) else {
        return String::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return "; it printed nothing".into();
    }
    let tail: Vec<String> = lines[lines.len().saturating_sub(QUOTED_LINES)..]
        .iter()
        .map(|line| {
            line.chars()
                .filter(|c| !c.is_control() || *c == '\t')
                .take(300)
                .collect()
        })
        .collect();
    format!("; its output ended with:\n    {}", tail.join("\n    "))
}

fn manifest(contract: &Contract) -> String {
    paths::relative_slash(&contract.root, &contract.manifest_path)
}

fn fix_command(contract: &Contract) -> String {
    format!(
        "run the command by hand from the workspace root to see why, or fix `command` in `{}`; nothing was written",
        manifest(contract)
    )
}

fn artifact_error(contract: &Contract, artifact: &Artifact, message: String, fix: String) -> Error {
    Error::Artifact {
        contract: contract.display_name(),
        artifact: artifact.describe(),
        message,
        fix,
    }
}

/// Moves what `produced` holds to its artifact's place, through `transaction`: a file replaces
/// the file; a folder's files are written and the files it no longer holds removed (ignored
/// metadata included, so the folder is exactly what the command wrote). Returns whether
/// anything changed.
pub fn install(produced: &Produced, transaction: &mut Transaction) -> Result<bool> {
    let target = &produced.artifact.path;
    let existing = std::fs::symlink_metadata(target).ok();
    let mut changed = false;
    if produced.hash.files.is_none() {
        if existing.as_ref().is_some_and(std::fs::Metadata::is_dir) {
            return Err(Error::io(
                "replace",
                target,
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "it is a folder, but the command now writes a file: remove the folder and generate again",
                ),
            ));
        }
        let bytes = fsio::read_bounded(&produced.temp, fsio::MAX_TEXT_BYTES)?;
        return transaction.write(target, &bytes);
    }
    let before = match existing {
        Some(meta) if meta.is_dir() => tree::list_files(target)?,
        Some(_) => {
            changed |= transaction.remove(target)?;
            Vec::new()
        }
        None => Vec::new(),
    };
    let written = tree::list_files(&produced.temp)?;
    for rel in &written {
        let bytes = fsio::read_bounded(&produced.temp.join(rel), fsio::MAX_TEXT_BYTES)?;
        changed |= transaction.write(&target.join(rel), &bytes)?;
    }
    for rel in before.iter().filter(|rel| !written.contains(rel)) {
        changed |= transaction.remove(&target.join(rel))?;
    }
    Ok(changed)
}

/// How an artifact on disk compares with its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnDisk {
    /// Nothing is at its path.
    Missing,
    /// It hashes as recorded.
    AsRecorded,
    /// It changed since it was generated: the files that differ.
    Edited(Vec<String>),
}

/// Compares `artifact` on disk with `record` (hashed without the ignored paths it was
/// recorded with).
pub fn compare(artifact: &Artifact, record: &ArtifactRecord) -> Result<OnDisk> {
    let Some(now) = tree::hash_path(&artifact.path, &record.ignore)? else {
        return Ok(OnDisk::Missing);
    };
    if now.sha256 == record.sha256 && now.files.is_some() == record.files.is_some() {
        return Ok(OnDisk::AsRecorded);
    }
    let changed = match (&record.files, &now.files) {
        (Some(recorded), Some(files)) => tree::changed_files(recorded, files),
        (None, None) => vec![format!("modified {}", artifact.rel)],
        (Some(_), None) => vec![format!("{} is now a file, not a folder", artifact.rel)],
        (None, Some(_)) => vec![format!("{} is now a folder, not a file", artifact.rel)],
    };
    Ok(OnDisk::Edited(changed))
}
