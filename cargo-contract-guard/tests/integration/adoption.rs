//! Adoption in a team's repository: the dependencies `add` writes resolve before the crates are
//! published (a crate made with `cargo new` outside this repository builds), and the GitHub
//! Action's script (`.github/actions/contract-guard/run.sh`) run against a temporary git
//! repository with the cargo workspace in a subfolder.

use std::path::Path;
use std::process::Command;

use crate::support::{Project, assert_has, redact_durations, redact_folder, repo_root};

/// The `contract-macros` line `add --output` writes by default while the crate is unpublished:
/// the source this tool was built from.
fn default_macros_line() -> String {
    let macros = std::fs::canonicalize(repo_root().join("contract-macros")).unwrap();
    format!(
        "contract-macros = {{ version = \"{}\", path = \"{}\", default-features = false }}",
        tool_version(),
        macros.display()
    )
}

/// `[workspace.package] version`: the release of the tool and of `contract-macros`.
fn tool_version() -> String {
    let text = std::fs::read_to_string(repo_root().join("Cargo.toml")).unwrap();
    let doc: toml_edit::DocumentMut = text.parse().unwrap();
    doc["workspace"]["package"]["version"]
        .as_str()
        .unwrap()
        .to_string()
}

fn cargo_new(parent: &Path, name: &str) {
    let status = Command::new(env!("CARGO"))
        .args(["new", "--quiet", "--vcs", "none", name])
        .current_dir(parent)
        .status()
        .unwrap();
    assert!(status.success(), "cargo new {name}");
}

#[test]
fn add_points_contract_macros_at_the_source_the_tool_was_built_from() {
    let project = Project::single("app");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    project
        .run(&["add", "mini", "specs/mini.yaml", "--output", "src/mini.rs"])
        .expect(0);
    // Cargo.toml names this checkout's absolute path and the release version: a snapshot of
    // it would change with both, so the one line is compared.
    assert_has(&project.read("Cargo.toml"), &default_macros_line());
}

#[test]
fn add_writes_a_git_source_when_asked() {
    let project = Project::single("app");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    let url = "https://example.invalid/cargo-contract-guard.git";
    project
        .run(&[
            "add",
            "mini",
            "specs/mini.yaml",
            "--output",
            "src/mini.rs",
            "--macros-git",
            url,
            "--macros-rev",
            "v0.1.0",
        ])
        .expect(0);
    assert_has(
        &project.read("Cargo.toml"),
        &format!(
            "contract-macros = {{ version = \"{}\", git = \"{url}\", rev = \"v0.1.0\", default-features = false }}",
            tool_version()
        ),
    );
}

#[test]
fn add_with_an_unusable_macros_path_changes_nothing() {
    let project = Project::single("app");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    let before = project.read("Cargo.toml");
    let run = project
        .run(&[
            "add",
            "mini",
            "specs/mini.yaml",
            "--output",
            "src/mini.rs",
            "--macros-path",
            "specs",
        ])
        .expect(2);
    insta::assert_snapshot!("add_unusable_macros_path", run.transcript(&project));
    assert_eq!(project.read("Cargo.toml"), before, "Cargo.toml was changed");
    assert!(
        !project.path("contract-guard.lock").exists(),
        "a lock was written"
    );
}

/// A crate made with `cargo new` outside this repository, with the dependencies exactly as
/// `add` wrote them, builds and runs. It resolves its own dependencies (the registry must be
/// reachable: a generated client needs `reqwest` with its default features, which this
/// workspace does not build) and takes minutes from a cold cache, so it is ignored by default
/// and run by `.ci/run`: `cargo test -p contract-guard-tests --test integration adoption -- --ignored`.
#[test]
#[ignore = "builds a fresh crate with the registry (minutes); run by .ci/run"]
fn a_crate_made_with_cargo_new_builds_with_what_add_wrote() {
    let dir = tempfile::Builder::new()
        .prefix("cg-adopt-")
        .tempdir()
        .unwrap();
    cargo_new(dir.path(), "adopted");
    let app = dir.path().join("adopted");
    std::fs::create_dir_all(app.join("specs")).unwrap();
    std::fs::copy(
        crate::support::fixture("mini.yaml"),
        app.join("specs/mini.yaml"),
    )
    .unwrap();
    crate::support::run_in(
        &app,
        &["add", "mini", "specs/mini.yaml", "--output", "src/mini.rs"],
    )
    .expect(0);
    crate::support::run_in(&app, &["generate"]).expect(0);
    std::fs::write(
        app.join("src/main.rs"),
        "mod mini;\nuse mini::ClientInfo as _;\nfn main() {\n    let client = mini::Client::new(\"http://localhost:1\");\n    println!(\"client for {}\", client.baseurl());\n}\n",
    )
    .unwrap();
    // Its own target directory: the build runs as a user's would, without CI's RUSTFLAGS,
    // which would otherwise rebuild the dependencies the other cargo tests share.
    let target = repo_root().join("target/contract-guard-adopt");
    let build = Command::new(env!("CARGO"))
        .args(["build", "--quiet"])
        .current_dir(&app)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "cargo build of the new crate:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let run = Command::new(
        target
            .join("debug")
            .join(format!("adopted{}", std::env::consts::EXE_SUFFIX)),
    )
    .output()
    .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "client for http://localhost:1\n"
    );
}

// ---- The GitHub Action (`.github/actions/contract-guard`: action.yml runs run.sh) ----

/// The action's folder.
fn action_dir() -> std::path::PathBuf {
    repo_root().join(".github/actions/contract-guard")
}

/// A git repository whose cargo workspace is in the `service/` subfolder (the action's
/// `working-directory`), with one pinned contract, committed on `main`.
struct ActionRepo {
    dir: tempfile::TempDir,
}

/// What one step of the action did.
struct Step {
    code: i32,
    stdout: String,
    stderr: String,
    /// The `GITHUB_OUTPUT` file: `name=value` lines.
    outputs: String,
}

/// Whether `jq` (which run.sh uses, as GitHub's runners provide it) is here. Without it the
/// action's tests skip with a printed reason, except in CI (`CI` set), where `.ci/run`
/// installs it and its absence is a failure.
fn jq_available() -> bool {
    let found = Command::new("jq")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found || std::env::var_os("CI").is_none(),
        "jq is missing in CI: .ci/run installs it"
    );
    if !found {
        crate::support::skipped("jq is not installed (the action's script needs it)");
    }
    found
}

impl ActionRepo {
    /// The repository, or `None` (with a printed reason) when `jq` is missing.
    fn new() -> Option<ActionRepo> {
        jq_available().then(ActionRepo::create)
    }

    fn create() -> ActionRepo {
        let dir = tempfile::Builder::new()
            .prefix("cg-action-")
            .tempdir()
            .unwrap();
        let repo = ActionRepo { dir };
        std::fs::create_dir_all(repo.path("runner-temp")).unwrap();
        let service = repo.path("repo/service");
        std::fs::create_dir_all(service.join("src")).unwrap();
        std::fs::create_dir_all(service.join("specs")).unwrap();
        std::fs::write(
            service.join("Cargo.toml"),
            "[package]\nname = \"service\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
        )
        .unwrap();
        std::fs::write(service.join("src/lib.rs"), "").unwrap();
        std::fs::copy(
            crate::support::fixture("mini.yaml"),
            service.join("specs/mini.yaml"),
        )
        .unwrap();
        crate::support::run_in(&service, &["add", "mini", "specs/mini.yaml"]).expect(0);
        repo.git(&["init", "--quiet", "--initial-branch=main"]);
        repo.commit("base");
        repo
    }

    fn path(&self, rel: &str) -> std::path::PathBuf {
        self.dir.path().join(rel)
    }

    fn git(&self, args: &[&str]) {
        let status = Command::new("git")
            .args(args)
            .current_dir(self.path("repo"))
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "--quiet", "-m", message]);
    }

    fn edit_spec(&self, from: &str, to: &str) {
        let path = self.path("repo/service/specs/mini.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from:?} not in the spec");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    }

    /// Runs `run.sh <step>` at the repository root as the runner would: inputs and runner
    /// files in the environment, the built tool on PATH.
    fn run(&self, step: &str, env: &[(&str, &str)]) -> Step {
        let tool_dir = crate::support::bin().parent().unwrap();
        let path = std::env::join_paths(std::iter::once(tool_dir.to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ))
        .unwrap();
        let outputs = self.path("runner-temp/github-output");
        std::fs::write(&outputs, "").unwrap();
        let output = Command::new("bash")
            .arg(action_dir().join("run.sh"))
            .arg(step)
            .current_dir(self.path("repo"))
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .env_remove("CARGO_TARGET_DIR")
            .env("RUNNER_TEMP", self.path("runner-temp"))
            .env("GITHUB_OUTPUT", &outputs)
            .env("GITHUB_STEP_SUMMARY", self.path("runner-temp/summary.md"))
            .env("GITHUB_PATH", self.path("runner-temp/github-path"))
            .env("GITHUB_EVENT_NAME", "push")
            .env("GITHUB_EVENT_PATH", self.path("runner-temp/event.json"))
            .env("GITHUB_REPOSITORY", "owner/service")
            .env("GITHUB_ACTOR", "someone")
            .env("INPUT_WORKING_DIRECTORY", "service")
            .env("INPUT_SARIF", "true")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        Step {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            outputs: std::fs::read_to_string(&outputs).unwrap(),
        }
    }

    /// `text` with the temporary folder written `[REPO]` and durations `[TIME]`.
    fn redact(&self, text: &str) -> String {
        redact_durations(&redact_folder(text, self.dir.path(), "[REPO]"))
    }

    fn sarif(&self) -> std::path::PathBuf {
        self.path("runner-temp/contract-guard.sarif")
    }

    /// A pull request event from `head_repo`.
    fn pull_request_from(&self, head_repo: &str) {
        std::fs::write(
            self.path("runner-temp/event.json"),
            format!(
                "{{\"pull_request\":{{\"head\":{{\"repo\":{{\"full_name\":\"{head_repo}\"}}}}}}}}"
            ),
        )
        .unwrap();
    }
}

impl Step {
    /// The exit code, stdout, stderr and outputs as one text for a snapshot: the temporary
    /// folder is written `[REPO]` and durations `[TIME]`, and `git fetch`'s progress lines
    /// (`From …`, ` * branch …`, worded by the installed git) are left out.
    fn transcript(&self, repo: &ActionRepo) -> String {
        let stderr: String = self
            .stderr
            .lines()
            .filter(|line| !line.starts_with("From ") && !line.starts_with(" * "))
            .map(|line| format!("{line}\n"))
            .collect();
        let text = format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{stderr}--- outputs\n{}",
            self.code, self.stdout, self.outputs
        );
        repo.redact(&text)
    }

    #[track_caller]
    fn expect(self, code: i32) -> Step {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}\n--- outputs\n{}",
            self.stdout, self.stderr, self.outputs
        );
        self
    }
}

#[test]
fn action_names_files_from_the_repository_root() {
    let Some(repo) = ActionRepo::new() else {
        return;
    };
    repo.edit_spec("version: 1.0.0", "version: 1.0.1");
    let step = repo.run("check", &[]).expect(0);
    insta::assert_snapshot!("action_check_in_subfolder", step.transcript(&repo));
    // Absence, stated on its own so that a snapshot update cannot approve it by accident.
    assert!(!step.stdout.contains("file=specs/"), "{}", step.stdout);
    let sarif = repo.sarif();
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(!uris.is_empty());
    assert!(
        uris.iter().all(|u| *u == "service/specs/mini.yaml"),
        "{uris:?}"
    );
}

#[test]
fn action_uploads_no_sarif_when_the_check_cannot_complete() {
    let Some(repo) = ActionRepo::new() else {
        return;
    };
    let manifest = repo.path("repo/service/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("spec = ", "bogus = 1\nspec = ")).unwrap();
    let step = repo.run("check", &[]).expect(0);
    insta::assert_snapshot!("action_check_incomplete", step.transcript(&repo));
    // Absence, stated on its own so that a snapshot update cannot approve it by accident.
    assert!(!step.outputs.contains("sarif-file"), "{}", step.outputs);
    assert!(!repo.sarif().exists(), "a SARIF file was left for upload");
    let gate = repo.run("gate", &[("CHECK_CODE", "2")]).expect(1);
    insta::assert_snapshot!("action_gate_incomplete", gate.transcript(&repo));
}

#[test]
fn action_skips_the_sarif_upload_on_pull_requests_from_forks() {
    let Some(repo) = ActionRepo::new() else {
        return;
    };
    let event = [("GITHUB_EVENT_NAME", "pull_request")];
    repo.pull_request_from("someone/service");
    let step = repo.run("check", &event).expect(0);
    insta::assert_snapshot!("action_check_fork", step.transcript(&repo));
    // Absence, stated on its own so that a snapshot update cannot approve it by accident.
    assert!(!step.outputs.contains("sarif-file"), "{}", step.outputs);
    repo.pull_request_from("owner/service");
    let step = repo.run("check", &event).expect(0);
    assert_has(&step.outputs, "sarif-file=");
    // And should the upload still fail (missing permission), the steps after it run (action.yml
    // is not output: its two lines are checked, not the whole file).
    let action = std::fs::read_to_string(action_dir().join("action.yml")).unwrap();
    let upload = action.split("- name: Upload SARIF").nth(1).unwrap();
    let upload = upload.split("- name:").next().unwrap();
    assert_has(upload, "continue-on-error: true");
    assert_has(upload, "steps.check.outputs.sarif-file != ''");
}

#[test]
fn action_inputs_are_data_not_code() {
    let Some(repo) = ActionRepo::new() else {
        return;
    };
    let pwned = repo.path("pwned");
    // Shell syntax, and a line that would be a workflow command of its own if echoed as is.
    let evil = format!("\"; touch {}; \"\n::add-path::/tmp/evil", pwned.display());
    let evil = evil.as_str();
    let event = ("GITHUB_EVENT_NAME", "pull_request");
    repo.pull_request_from("owner/service");
    let cases = [
        (
            "check",
            vec![("INPUT_WORKING_DIRECTORY", evil)],
            2,
            "is not a directory",
        ),
        (
            "diff",
            vec![event, ("INPUT_FAIL_ON", evil)],
            2,
            "fail-on must be security, breaking or warning",
        ),
        (
            "diff",
            vec![event, ("INPUT_BASE_REF", evil)],
            2,
            "is not a branch name",
        ),
        (
            "install",
            vec![("INPUT_INSTALL", evil)],
            2,
            "unknown install mode",
        ),
        (
            "gate",
            vec![
                ("CHECK_CODE", "0"),
                ("DIFF_CODE", "1"),
                ("INPUT_FAIL_ON", evil),
            ],
            1,
            "needs review",
        ),
    ];
    for (i, (name, env, code, message)) in cases.into_iter().enumerate() {
        let step = repo.run(name, &env).expect(code);
        insta::assert_snapshot!(format!("action_input_{i}_{name}"), step.transcript(&repo));
        let both = format!("{}{}", step.stdout, step.stderr);
        // The message and the escaped echo are also checked here: the snapshot shows them, and
        // these say which lines matter.
        assert_has(&both, message);
        // Echoed, the input stays inside the one error command.
        assert_has(&both, &evil.replace('\n', "%0A"));
        assert!(!both.contains("\n::add-path"), "{name}: {both}");
    }
    assert!(!pwned.exists(), "an input ran as a command");
    // The workflow file itself: no expression is pasted into a script.
    let action = std::fs::read_to_string(action_dir().join("action.yml")).unwrap();
    for line in action
        .lines()
        .filter(|l| l.trim_start().starts_with("run:"))
    {
        assert!(
            line.trim_start()
                .starts_with("run: bash \"$GITHUB_ACTION_PATH/run.sh\" ")
                && !line.contains("${{"),
            "a run: line that is not a plain call of run.sh: {line}"
        );
    }
}

#[test]
fn action_diffs_specs_of_a_workspace_in_a_subfolder_against_the_base_branch() {
    let Some(repo) = ActionRepo::new() else {
        return;
    };
    let origin = repo.path("repo");
    repo.git(&["remote", "add", "origin", origin.to_str().unwrap()]);
    repo.git(&["checkout", "--quiet", "-b", "feature"]);
    repo.edit_spec("/items/{id}:", "/things/{id}:");
    repo.commit("rename the path");
    repo.pull_request_from("owner/service");
    let step = repo
        .run(
            "diff",
            &[
                ("GITHUB_EVENT_NAME", "pull_request"),
                ("INPUT_BASE_REF", "main"),
                ("INPUT_FAIL_ON", "breaking"),
            ],
        )
        .expect(0);
    insta::assert_snapshot!("action_diff_in_subfolder", step.transcript(&repo));
    // Absence, stated on its own so that a snapshot update cannot approve it by accident.
    assert!(
        !step.stdout.contains("new contract spec"),
        "{}",
        step.stdout
    );
    let summary = std::fs::read_to_string(repo.path("runner-temp/summary.md")).unwrap();
    insta::assert_snapshot!("action_diff_summary", repo.redact(&summary));
}

#[test]
fn action_cache_key_follows_the_tool_source() {
    let Some(repo) = ActionRepo::new() else {
        return;
    };
    let source = repo.path("repo/service");
    let mode = format!("path:{}", source.display());
    let key = |repo: &ActionRepo| {
        let step = repo
            .run(
                "cache-key",
                &[
                    ("INPUT_INSTALL", &mode),
                    ("RUNNER_OS", "Linux"),
                    ("RUNNER_ARCH", "X64"),
                ],
            )
            .expect(0);
        step.outputs
    };
    let first = key(&repo);
    // The key ends in a hash of the source, which changes with any file of it: the prefix is
    // checked, and equality across runs.
    assert_has(&first, "key=cargo-contract-guard-Linux-X64-");
    assert_eq!(key(&repo), first, "the same source gives the same key");
    std::fs::write(source.join("src/lib.rs"), "pub fn changed() {}\n").unwrap();
    assert_ne!(key(&repo), first, "a changed source gives another key");
    let none = repo
        .run("cache-key", &[("INPUT_INSTALL", "none")])
        .expect(0);
    assert_eq!(none.outputs, "key=\n");
}

#[test]
fn action_install_puts_a_restored_binary_on_path_without_building() {
    let Some(repo) = ActionRepo::new() else {
        return;
    };
    let root = repo.path("runner-temp/cargo-contract-guard");
    std::fs::create_dir_all(root.join("bin")).unwrap();
    std::fs::copy(crate::support::bin(), root.join("bin/cargo-contract-guard")).unwrap();
    let root_text = root.to_str().unwrap();
    repo.run(
        "install",
        &[
            ("INPUT_INSTALL", "source"),
            ("INSTALL_ROOT", root_text),
            ("CACHE_HIT", "true"),
        ],
    )
    .expect(0);
    let path = std::fs::read_to_string(repo.path("runner-temp/github-path")).unwrap();
    assert_eq!(path, format!("{}\n", root.join("bin").display()));
}

#[test]
fn action_skips_swagger_2_diffs_with_a_notice() {
    let Some(repo) = ActionRepo::new() else {
        return;
    };
    let origin = repo.path("repo");
    repo.git(&["remote", "add", "origin", origin.to_str().unwrap()]);
    repo.git(&["checkout", "--quiet", "-b", "feature"]);
    std::fs::write(
        repo.path("repo/service/specs/mini.yaml"),
        "swagger: \"2.0\"\ninfo: {title: Mini, version: \"1.0.0\"}\npaths: {}\n",
    )
    .unwrap();
    repo.commit("back to Swagger 2.0");
    repo.pull_request_from("owner/service");
    let step = repo
        .run(
            "diff",
            &[
                ("GITHUB_EVENT_NAME", "pull_request"),
                ("INPUT_BASE_REF", "main"),
            ],
        )
        .expect(0);
    insta::assert_snapshot!("action_diff_swagger_2", step.transcript(&repo));
}
