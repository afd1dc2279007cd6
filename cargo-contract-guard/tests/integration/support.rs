//! Test support: the built binary, temporary projects, and running commands in them.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A fixture under `tests/fixtures/` (at the repository root).
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// The shared corpus, or `None` (with a visible reason) when it is absent. Tests that need it
/// whole also carry `#[cfg_attr(no_corpus, ignore = …)]` (see `cargo-contract-guard/build.rs`),
/// so they are counted as ignored rather than passed.
pub fn corpus() -> Option<PathBuf> {
    let dir = repo_root().join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        skipped(&format!("the corpus folder {} is absent", dir.display()));
        None
    }
}

/// Says that part of a test was skipped, on the real standard error: libtest captures
/// `eprintln!` of passing tests, which would hide the skip.
pub fn skipped(reason: &str) {
    use std::io::Write;
    let test = std::thread::current().name().unwrap_or("test").to_string();
    let _ = writeln!(std::io::stderr(), "SKIPPED in {test}: {reason}");
}

/// The `cargo-contract-guard` binary of this build: cargo builds it before the tests of the
/// package that defines it and names it in `CARGO_BIN_EXE_<name>`.
pub fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_cargo-contract-guard"))
}

/// What a command did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, showing the output when it differs.
    #[track_caller]
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl Run {
    /// The exit code, stdout and stderr as one text for a snapshot, the same on every machine
    /// and run: `project`'s folder is written `[PROJECT]` and durations (`in 0.12s`) `[TIME]`.
    pub fn transcript(&self, project: &Project) -> String {
        redact_durations(&project.redact_path(&self.unredacted()))
    }

    /// [`Run::transcript`] for a run outside a [`Project`]: the folder `dir` is written `label`.
    pub fn transcript_in(&self, dir: &Path, label: &str) -> String {
        redact_durations(&redact_folder(&self.unredacted(), dir, label))
    }

    fn unredacted(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// `text` with the folder `dir` (as given and, when it exists, canonical) written `label`.
pub fn redact_folder(text: &str, dir: &Path, label: &str) -> String {
    let mut text = text.to_string();
    let canonical = dir.canonicalize().ok();
    for path in canonical.iter().map(PathBuf::as_path).chain([dir]) {
        text = text.replace(path.to_str().unwrap(), label);
    }
    text
}

/// `text` with the seconds of each `in <digits>.<digits>s` written `[TIME]`.
pub fn redact_durations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" in ") {
        let (before, after) = rest.split_at(at + 4);
        out.push_str(before);
        let number = after
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(after.len());
        let seconds = after[..number]
            .split_once('.')
            .is_some_and(|(whole, part)| {
                [whole, part]
                    .iter()
                    .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            });
        if seconds && after[number..].starts_with('s') {
            out.push_str("[TIME]");
            rest = &after[number..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Runs the tool in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_with_env(dir, args, &[])
}

/// Runs the tool in `dir` with extra environment variables.
pub fn run_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .envs(env.iter().copied())
        // Each project gets its own target directory (and so its own spec cache).
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A temporary directory holding a cargo project.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    /// An empty project directory.
    pub fn empty() -> Project {
        Project {
            dir: tempfile::Builder::new().prefix("cg-it-").tempdir().unwrap(),
        }
    }

    /// A single crate named `name` at the root (its own workspace).
    pub fn single(name: &str) -> Project {
        let project = Project::empty();
        project.write(
            "Cargo.toml",
            &format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n\n[workspace]\n"),
        );
        project.write("src/lib.rs", "");
        project
    }

    /// A workspace with member crates under `crates/<name>`.
    pub fn workspace(members: &[&str]) -> Project {
        let project = Project::empty();
        let list: Vec<String> = members.iter().map(|m| format!("\"crates/{m}\"")).collect();
        project.write(
            "Cargo.toml",
            &format!(
                "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
                list.join(", ")
            ),
        );
        for member in members {
            project.write(
                &format!("crates/{member}/Cargo.toml"),
                &format!("[package]\nname = \"{member}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n"),
            );
            project.write(&format!("crates/{member}/src/lib.rs"), "");
        }
        project
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, contents: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    pub fn write_bytes(&self, rel: &str, contents: &[u8]) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    /// `text` with this project's folder (as given and canonical) written `[PROJECT]`.
    pub fn redact_path(&self, text: &str) -> String {
        redact_folder(text, self.dir.path(), "[PROJECT]")
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Copies a fixture into the project.
    pub fn copy_fixture(&self, fixture_name: &str, rel: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::copy(fixture(fixture_name), path).unwrap();
    }

    /// Runs the tool at the project root.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }
}

/// Runs `cargo <subcommand> --quiet --offline` in a project, with the target directory shared
/// by every such test (`target/contract-guard-it`, so dependencies build once). Returns whether
/// it succeeded and its stderr.
pub fn cargo_in_shared_target(project: &Project, subcommand: &str) -> (bool, String) {
    let output = cargo_command_in_shared_target(project, &[subcommand, "--quiet"]);
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs `cargo <args> --offline` in a project, in the shared target directory (see
/// [`cargo_in_shared_target`]), and returns its whole output.
///
/// Each such crate needs a name of its own: cargo hashes a workspace's root package by its path
/// relative to the workspace, so two crates of one name in two temporary folders would share
/// fingerprints here, and one's build could pass as the other's (a test reuses a name: panic).
pub fn cargo_command_in_shared_target(project: &Project, args: &[&str]) -> std::process::Output {
    claim_crate_name(project);
    Command::new(env!("CARGO"))
        .args(args)
        .arg("--offline")
        .current_dir(project.dir.path())
        .env(
            "CARGO_TARGET_DIR",
            repo_root().join("target/contract-guard-it"),
        )
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .unwrap()
}

/// Records that `project`'s crate name is taken by its folder, panicking when another folder
/// took it already in this test run.
fn claim_crate_name(project: &Project) {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static TAKEN: Mutex<Option<HashMap<String, PathBuf>>> = Mutex::new(None);
    let manifest: toml_edit::DocumentMut = project.read("Cargo.toml").parse().unwrap();
    let name = manifest["package"]["name"].as_str().unwrap().to_string();
    let mut taken = TAKEN.lock().unwrap_or_else(|e| e.into_inner());
    let owner = taken
        .get_or_insert_with(HashMap::new)
        .entry(name.clone())
        .or_insert_with(|| project.dir.path().to_path_buf());
    assert_eq!(
        owner,
        project.dir.path(),
        "crate name `{name}` is built by two tests in the shared target directory"
    );
}

/// Asserts that `haystack` contains `needle`, showing the whole haystack when it does not.
#[track_caller]
pub fn assert_has(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "expected {needle:?} in:\n{haystack}"
    );
}

#[test]
fn durations_are_redacted_and_other_numbers_kept() {
    assert_eq!(
        redact_durations("1 operations, 7 types in 0.25s -> `a.rs`\n2 contract(s) in 12.5s\n"),
        "1 operations, 7 types in [TIME]s -> `a.rs`\n2 contract(s) in [TIME]s\n"
    );
    assert_eq!(
        redact_durations("pinned in 3 files in 2s; in 1.0.0s in x"),
        "pinned in 3 files in 2s; in 1.0.0s in x"
    );
}
