//! Contract records embedded in real binaries, read back with `inspect` and `verify-binary`.
//!
//! A small workspace is built with cargo: a binary crate `app` (which uses `embed!` and
//! `fingerprint!` for its pinned-only contract `billing`) depending on a library crate `sdk`
//! (whose client `src/mini.rs` carries a generated-client guard). The client's body is a
//! one-line stand-in written with a valid provenance header, so the guard runs exactly as in a
//! progenitor client while the build needs no HTTP stack: only the proc-macro's host
//! dependencies, which are shared across runs in `target/contract-guard-it`.
//!
//! The binary is built in every release profile setting that could drop the records: plain
//! `--release` and all of them at once by default; `codegen-units = 1`, `panic = "abort"`,
//! `strip = true` and `lto = true` alone in the release matrix (`#[ignore]`d, run by
//! `.ci/run`). The linker's section garbage collection (`--gc-sections`, which rustc passes in
//! every profile) is also requested explicitly by the binary's build script.

use std::path::{Path, PathBuf};
use std::process::Command;

use contract_core::Sha256Digest;
use contract_core::codegen::header::{self, Header};
use object::{Object as _, ObjectSection as _};

use crate::support::{Project, Run, fixture, redact_folder, repo_root, run_in};

const GUARD: &str = "::contract_macros::verify_generated! {
    contract = \"mini\",
    spec = \"specs/mini.yaml\",
    file = \"src/mini.rs\",
}
";

fn write_workspace(project: &Project) {
    let macros = repo_root().join("contract-macros");
    let macros = format!(
        "contract-macros = {{ path = {:?} }}",
        macros.to_str().unwrap()
    );
    project.write(
        "Cargo.toml",
        "[workspace]\nresolver = \"2\"\nmembers = [\"app\", \"sdk\"]\n\n\
         # Host dependencies (the proc-macro's) are built once for every release variant below.\n\
         [profile.release.build-override]\nstrip = false\n",
    );
    project.write(
        "app/Cargo.toml",
        &format!(
            "[package]\nname = \"app\"\nversion = \"0.3.0\"\nedition = \"2021\"\n\n\
             [dependencies]\n{macros}\nsdk = {{ path = \"../sdk\" }}\n\n\
             [package.metadata.contract-guard.contracts.billing]\nspec = \"specs/billing.yaml\"\n"
        ),
    );
    project.write(
        "app/build.rs",
        "fn main() {\n    if std::env::var(\"CARGO_CFG_TARGET_OS\").as_deref() == Ok(\"linux\") {\n        println!(\"cargo:rustc-link-arg-bins=-Wl,--gc-sections\");\n    }\n}\n",
    );
    project.write(
        "app/src/main.rs",
        "#![forbid(unsafe_code)]\n\n\
         contract_macros::embed!(\"billing\");\n\n\
         const BILLING: &str = contract_macros::fingerprint!(\"billing\");\n\n\
         fn main() {\n    println!(\"billing={BILLING} sdk={}\", sdk::client_name());\n}\n",
    );
    project.copy_fixture("mini.yaml", "app/specs/billing.yaml");
    project.write(
        "sdk/Cargo.toml",
        &format!(
            "[package]\nname = \"sdk\"\nversion = \"1.4.0\"\nedition = \"2024\"\n\n\
             [dependencies]\n{macros}\n\n\
             [package.metadata.contract-guard.contracts.mini]\nspec = \"specs/mini.yaml\"\noutput = \"src/mini.rs\"\n"
        ),
    );
    project.write(
        "sdk/src/lib.rs",
        "#![forbid(unsafe_code)]\n\nmod mini;\n\npub fn client_name() -> &'static str {\n    mini::NAME\n}\n",
    );
    project.copy_fixture("mini.yaml", "sdk/specs/mini.yaml");
    let body = format!("\n{GUARD}\npub const NAME: &str = \"mini\";\n");
    let head = Header {
        tool_version: "0.1.0".into(),
        generator: "progenitor 0.15.1".into(),
        contract: "mini".into(),
        spec: "specs/mini.yaml".into(),
        spec_fingerprint: contract_core::spec::load(&fixture("mini.yaml"))
            .unwrap()
            .fingerprint,
        settings_fingerprint: Sha256Digest::of(b"options"),
        body_sha256: header::body_hash(&body),
        lossy: Some(Default::default()),
        operations: Vec::new(),
    };
    project.write("sdk/src/mini.rs", &format!("{}{body}", head.render()));
    std::fs::copy(repo_root().join("Cargo.lock"), project.path("Cargo.lock")).unwrap();
}

/// Builds `app` in release with `--config` overrides; returns the binary or the stderr.
fn build(project: &Project, overrides: &[&str]) -> Result<PathBuf, String> {
    let target = repo_root().join("target/contract-guard-it");
    let mut command = Command::new(env!("CARGO"));
    command.args(["build", "--quiet", "--offline", "--release", "-p", "app"]);
    for o in overrides {
        command.args(["--config", &format!("profile.release.{o}")]);
    }
    let output = command
        .current_dir(project.dir.path())
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .unwrap();
    if output.status.success() {
        Ok(target.join(format!("release/app{}", std::env::consts::EXE_SUFFIX)))
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// `run` as a snapshot text: the project, the shared target folder (`[TARGET]`, where `app` is
/// built) and the tool's folder (`[BIN]`) are redacted.
fn transcript(run: &Run, project: &Project) -> String {
    let text = run.transcript(project);
    let text = redact_folder(
        &text,
        &repo_root().join("target/contract-guard-it"),
        "[TARGET]",
    );
    redact_folder(&text, crate::support::bin().parent().unwrap(), "[BIN]")
}

fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The pinned fingerprint of `crate/name` in the project's lock.
fn pinned(project: &Project, package: &str, name: &str) -> String {
    let lock = contract_core::project::lock::LockFile::read(&project.path("contract-guard.lock"))
        .unwrap()
        .unwrap();
    lock.contracts
        .iter()
        .find(|e| e.name == name && e.package.as_deref() == Some(package))
        .unwrap()
        .fingerprint
        .to_string()
}

fn has_symbol_table(binary: &Path) -> bool {
    let data = std::fs::read(binary).unwrap();
    let file = object::File::parse(&*data).unwrap();
    file.sections().any(|s| s.name() == Ok(".symtab"))
}

/// A release profile setting that could drop the records: a name and its `--config` overrides.
type Profile = (&'static str, &'static [&'static str]);

/// Plain `--release` (what is shipped by default) and every setting at once (the most
/// aggressive: one LTO build). Run by default.
const PROFILES: [Profile; 2] = [
    ("release", &[]),
    (
        "all of them",
        &[
            "lto=true",
            "codegen-units=1",
            "strip=true",
            "panic=\"abort\"",
        ],
    ),
];

/// Each setting alone: the release matrix, run by `.ci/run` (`--ignored`).
const EACH_SETTING: [Profile; 4] = [
    ("codegen-units = 1", &["codegen-units=1"]),
    ("panic = abort", &["panic=\"abort\""]),
    ("strip = true", &["strip=true"]),
    ("lto = true", &["lto=true"]),
];

/// Held by each test that builds `app`: both tiers build the same crates into one target
/// directory, and `release/app` is the same file for every profile.
static RELEASE_BUILDS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Builds `app` in each profile and asserts that `inspect` and `verify-binary` find both
/// records with their pinned fingerprints; returns the last binary.
fn assert_records_survive(project: &Project, profiles: &[Profile]) -> PathBuf {
    let billing = pinned(project, "app", "billing");
    let mini = pinned(project, "sdk", "mini");
    let mut last = PathBuf::new();
    for &(name, overrides) in profiles {
        let binary = build(project, overrides).unwrap_or_else(|e| panic!("{name}: {e}"));
        if overrides.contains(&"strip=true") && cfg!(target_os = "linux") {
            assert!(!has_symbol_table(&binary), "{name}: the binary is stripped");
        }
        let bin = binary.to_str().unwrap();
        let run = project
            .run(&["inspect", bin, "--message-format", "json"])
            .expect(0);
        let lines = json_lines(&run.stdout);
        let records: Vec<(String, String, String, String)> = lines
            .iter()
            .filter(|l| l["type"] == "record")
            .map(|l| {
                let s = |k: &str| l[k].as_str().unwrap_or("-").to_string();
                (s("crate"), s("contract"), s("from"), s("spec_fingerprint"))
            })
            .collect();
        assert_eq!(
            records,
            [
                (
                    "app".into(),
                    "billing".into(),
                    "embed".into(),
                    billing.clone()
                ),
                (
                    "sdk".into(),
                    "mini".into(),
                    "generated".into(),
                    mini.clone()
                ),
            ],
            "{name}: {}",
            run.stdout
        );
        let summary = lines.last().unwrap();
        assert_eq!(summary["sections"][0], ".contract_guard", "{name}");
        assert_eq!(summary["scanned"], false, "{name}");
        project.run(&["verify-binary", bin]).expect(0);
        let out = Command::new(&binary).output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            format!("billing={billing} sdk=mini"),
            "{name}: fingerprint! is the pinned fingerprint"
        );
        last = binary;
    }
    last
}

/// The release matrix: each setting that could drop the records, alone. Slow (four release
/// builds, one with LTO), so out of the default run; `.ci/run` runs it.
#[test]
#[ignore = "release matrix: run by .ci/run"]
fn records_survive_each_release_setting() {
    let _builds = RELEASE_BUILDS.lock().unwrap_or_else(|e| e.into_inner());
    let project = Project::empty();
    write_workspace(&project);
    project.run(&["lock"]).expect(0);
    assert_records_survive(&project, &EACH_SETTING);
}

#[test]
fn records_survive_release_profiles_and_gate_releases() {
    let _builds = RELEASE_BUILDS.lock().unwrap_or_else(|e| e.into_inner());
    let project = Project::empty();
    write_workspace(&project);
    project.run(&["lock"]).expect(0);
    let billing = pinned(&project, "app", "billing");
    let mini = pinned(&project, "sdk", "mini");
    let last = assert_records_survive(&project, &PROFILES);

    // Human output names both records and where they were found.
    let run = project.run(&["inspect", last.to_str().unwrap()]).expect(0);
    // Where the records are found depends on the object format (ELF here): other systems
    // check the record rows only.
    if cfg!(target_os = "linux") {
        insta::assert_snapshot!("inspect_release_binary", transcript(&run, &project));
    }
    // The snapshot holds the fixture's pins: they must be the ones in this lock.
    assert!(run.stdout.contains(&billing[..19]) && run.stdout.contains(&mini[..19]));

    // Keep the binary built before the spec changes.
    let before = project.path("app-before");
    std::fs::copy(&last, &before).unwrap();
    let before = before.to_str().unwrap();

    // The spec moves: the crate stops compiling until the change is pinned.
    let spec = project.read("app/specs/billing.yaml");
    project.write(
        "app/specs/billing.yaml",
        &spec.replace("version: 1.0.0", "version: 1.1.0"),
    );
    let err = build(&project, &[]).unwrap_err();
    // rustc's rendering of a macro error (source snippet, notes) changes with the compiler:
    // the message and its fix are checked, not the whole text.
    assert!(
        err.contains("spec `specs/billing.yaml` of contract `billing` does not match its pin"),
        "{err}"
    );
    assert!(err.contains("cargo contract-guard update billing"), "{err}");

    // Pinned: the old binary no longer passes the gate...
    project.run(&["lock"]).expect(0);
    let relocked = pinned(&project, "app", "billing");
    assert_ne!(relocked, billing);
    let run = project.run(&["verify-binary", before]).expect(1);
    insta::assert_snapshot!("verify_binary_changed", transcript(&run, &project));
    // The snapshot holds the fixture's pins: they must be the relocked and the built one.
    assert!(
        run.stdout.contains(&relocked[..19]) && run.stdout.contains(&billing[..19]),
        "{}",
        run.stdout
    );
    let run = project
        .run(&["verify-binary", before, "--message-format", "json"])
        .expect(1);
    let lines = json_lines(&run.stdout);
    assert_eq!(lines[0]["state"], "changed");
    assert_eq!(lines[0]["expected"], relocked.as_str());
    assert_eq!(lines[0]["found"], billing.as_str());
    assert_eq!(lines.last().unwrap()["failures"], 1);
    // Named relative to the current directory: the same on any checkout path.
    assert_eq!(lines.last().unwrap()["lock"], "contract-guard.lock");

    // ...and the rebuilt one does (cargo rebuilt `app` because the spec and lock changed).
    let rebuilt = build(&project, &[]).unwrap();
    project
        .run(&["verify-binary", rebuilt.to_str().unwrap()])
        .expect(0);
    // Against the old lock, the new binary fails: `--lock` picks the lock to compare with.
    let old_lock = project.path("old.lock");
    let mut lock =
        contract_core::project::lock::LockFile::read(&project.path("contract-guard.lock"))
            .unwrap()
            .unwrap();
    for entry in &mut lock.contracts {
        if entry.name == "billing" {
            entry.fingerprint = billing.parse().unwrap();
        }
    }
    lock.write(&old_lock).unwrap();
    project
        .run(&[
            "verify-binary",
            rebuilt.to_str().unwrap(),
            "--lock",
            old_lock.to_str().unwrap(),
        ])
        .expect(1);
    project
        .run(&[
            "verify-binary",
            before,
            "--lock",
            old_lock.to_str().unwrap(),
        ])
        .expect(0);
}

#[test]
fn inspect_refuses_non_binaries_and_reports_empty_ones() {
    let project = Project::empty();
    project.write("notes.txt", "not a binary\n");
    let run = project.run(&["inspect", "notes.txt"]).expect(2);
    insta::assert_snapshot!("inspect_not_a_binary", transcript(&run, &project));
    project
        .run(&["verify-binary", "notes.txt", "--lock", "x.lock"])
        .expect(2);
    // The tool's own binary has no records (it merely contains the magic bytes as a constant).
    let tool = crate::support::bin().to_str().unwrap().to_string();
    let run = run_in(project.dir.path(), &["inspect", &tool]).expect(1);
    insta::assert_snapshot!("inspect_no_records", transcript(&run, &project));
    let run = project
        .run(&["inspect", &tool, "--message-format", "json"])
        .expect(1);
    let summary = json_lines(&run.stdout).pop().unwrap();
    assert_eq!(summary["records"], 0);
    assert_eq!(summary["scanned"], true);
    // A `--lock` that is not a lock: no advice to delete it.
    let run = project
        .run(&["verify-binary", &tool, "--lock", "notes.txt"])
        .expect(2);
    insta::assert_snapshot!("verify_binary_lock_not_a_lock", transcript(&run, &project));
    // Absence, stated on its own so that a snapshot update cannot approve it by accident.
    assert!(!run.stderr.contains("delete"), "{}", run.stderr);
    // A `-p` naming a crate the lock pins nothing for is a typo, not an empty requirement.
    project.write(
        "contract-guard.lock",
        "version = 1\n\n[[contract]]\nname = \"pets\"\ncrate = \"app\"\nspec = \"specs/pets.yaml\"\nopenapi = \"3.0.3\"\nraw-sha256 = \"sha256:2640a707e3ab1893ed1fb9ea34747346495b81bd85044164fae3fccd2902ed48\"\nfingerprint = \"sha256:0c95ac2419cf988f204cf19395d4424bd3e867ef8dd04ce042e30effeff7e75a\"\n",
    );
    let run = project
        .run(&[
            "verify-binary",
            &tool,
            "--lock",
            "contract-guard.lock",
            "-p",
            "ap",
        ])
        .expect(2);
    insta::assert_snapshot!("verify_binary_unknown_package", transcript(&run, &project));
    // verify-binary without a lock file is an error naming the fix.
    let run = project
        .run(&["verify-binary", &tool, "--lock", "missing.lock"])
        .expect(2);
    insta::assert_snapshot!("verify_binary_missing_lock", transcript(&run, &project));
}

/// `#[schema]` embeds its contract's record once per crate, however many types carry it.
#[test]
fn schema_attributes_embed_one_record_per_contract() {
    let project = crate::support::Project::single("schema-bin");
    let macros = repo_root().join("contract-macros");
    let manifest = project.read("Cargo.toml").replace(
        "[dependencies]\n",
        &format!(
            "[package.metadata.contract-guard.contracts.mini]\nspec = \"specs/mini.yaml\"\n\n\
             [dependencies]\ncontract-macros = {{ path = {:?}, default-features = false }}\n\
             serde = {{ version = \"1.0\", features = [\"derive\"] }}\n",
            macros.to_str().unwrap()
        ),
    );
    project.write("Cargo.toml", &manifest);
    std::fs::copy(repo_root().join("Cargo.lock"), project.path("Cargo.lock")).unwrap();
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    project.run(&["lock"]).expect(0);
    std::fs::remove_file(project.path("src/lib.rs")).unwrap();
    project.write(
        "src/main.rs",
        "#[contract_macros::schema(contract = \"mini\", direction = \"response\")]\n#[derive(serde::Deserialize)]\n\
         pub struct Item { pub id: i64, pub name: String, #[serde(default)] pub enabled: Option<bool>, #[serde(default)] pub mode: Option<String> }\n\n\
         #[contract_macros::schema(contract = \"mini\", name = \"Item\", direction = \"response\")]\n#[derive(serde::Deserialize)]\n\
         pub struct ItemSummary { pub id: i64, pub name: String, #[serde(default)] pub enabled: Option<bool>, #[serde(default)] pub mode: Option<String> }\n\n\
         fn main() { let _: Option<(Item, ItemSummary)> = None; }\n",
    );
    let (ok, stderr) = crate::support::cargo_in_shared_target(&project, "build");
    assert!(ok, "{stderr}");
    let binary = repo_root().join("target/contract-guard-it/debug/schema-bin");
    let run = project
        .run(&[
            "inspect",
            binary.to_str().unwrap(),
            "--message-format",
            "json",
        ])
        .expect(0);
    let records: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "record")
        .collect();
    assert_eq!(records.len(), 1, "{}", run.stdout);
    assert_eq!(records[0]["from"], "schema");
    assert_eq!(records[0]["contract"], "mini");
    project
        .run(&["verify-binary", binary.to_str().unwrap()])
        .expect(0);
}
