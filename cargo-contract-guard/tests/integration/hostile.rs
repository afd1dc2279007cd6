//! The bad-input suite: every file in `tests/fixtures/hostile/` (and a few made at run time)
//! through every command. Each gives the expected exit code, an error naming the file, no
//! panic, and writes nothing when it fails.

use std::path::Path;

use crate::support::{Project, Run, assert_has, fixture, run_in};

/// Expected exit codes: `fingerprint`, `lock`, `generate` (after a successful lock), `check`.
struct Case {
    file: &'static str,
    fingerprint: i32,
    generate: i32,
    /// A fragment the error must contain.
    says: &'static str,
}

const fn bad(file: &'static str, says: &'static str) -> Case {
    Case {
        file,
        fingerprint: 2,
        generate: 2,
        says,
    }
}

const CASES: &[Case] = &[
    bad("malformed.json", "trailing comma"),
    bad("malformed.yaml", "unclosed bracket"),
    bad("truncated.json", "EOF while parsing"),
    bad("truncated.yaml", "invalid YAML"),
    bad("alias-bomb.yaml", "alias bombs are refused"),
    bad("duplicate-keys.json", "duplicate key `info`"),
    bad("duplicate-keys.yaml", "duplicate key `Pet`"),
    bad("nan.yaml", "not finite"),
    bad("infinity.json", "number out of range"),
    bad("not-utf8.yaml", "not UTF-8"),
    bad("utf16.json", "not UTF-8"),
    bad("empty.yaml", "the file is empty"),
    bad("whitespace-only.json", "the file is empty"),
    bad("not-openapi.json", "not an OpenAPI document"),
    bad("top-level-array.json", "not an object"),
    bad("unknown-version.yaml", "`4.0.0`, which is not supported"),
    bad("ref-escape.yaml", "points outside"),
    bad("ref-absolute.yaml", "is an absolute path"),
    bad("ref-remote.yaml", "is a remote reference"),
    bad("ref-missing.yaml", "cannot be read"),
    bad("ref-dangling.yaml", "does not exist in that file"),
    // Accepted as input, but some cannot be generated.
    Case {
        file: "bom.yaml",
        fingerprint: 0,
        generate: 0,
        says: "",
    },
    Case {
        file: "ref-cycle.yaml",
        fingerprint: 0,
        generate: 0,
        says: "",
    },
    Case {
        file: "ref-external-cycle.yaml",
        fingerprint: 0,
        generate: 2,
        says: "cycle through other files",
    },
    Case {
        file: "swagger2.json",
        fingerprint: 0,
        generate: 3,
        says: "Swagger 2.0",
    },
    // Found by the `lower` fuzz target: a response that is not an object panicked in
    // normalisation.
    Case {
        file: "fuzz-lower-malformed-response.yaml",
        fingerprint: 0,
        generate: 2,
        says: "does not follow the OpenAPI 3.0 schema",
    },
    // Six levels of ten references in a 2.5 KB referenced file: a million copies when inlined.
    Case {
        file: "ref-exponential.yaml",
        fingerprint: 0,
        generate: 2,
        says: "copies more than 1000000 values",
    },
    // `allOf` cycles: the generator overflowed its stack (exit 134). Refused before it runs.
    Case {
        file: "allof-cycle.yaml",
        fingerprint: 0,
        generate: 2,
        says: "schema `A` includes itself through `allOf` (`A` → `B` → `A`)",
    },
    Case {
        file: "allof-cycle-discriminator.yaml",
        fingerprint: 0,
        generate: 2,
        says: "includes itself through `allOf`",
    },
    Case {
        file: "allof-cycle-31-siblings.yaml",
        fingerprint: 0,
        generate: 2,
        says: "includes itself through `allOf`",
    },
    // The `lower` fuzz target's stack overflow: copies of a reference target that holds the
    // reference nested deeper every round. Now bounded: generated, the last copy dropped.
    Case {
        file: "ref-self-copy.yaml",
        fingerprint: 0,
        generate: 0,
        says: "",
    },
];

#[track_caller]
fn assert_clean(run: &Run, what: &str, names: &str, says: &str) {
    assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
    if run.code == 2 {
        assert!(run.stderr.contains("error: "), "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains(names),
            "{what}: the error does not name `{names}`: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains(says),
            "{what}: expected {says:?} in: {}",
            run.stderr
        );
    }
}

/// A crate whose contract `c` has `spec` (copied with the whole hostile folder) and an output.
fn project_with(spec: &str) -> Project {
    let project = Project::single("app");
    let dir = fixture("hostile");
    for entry in walk(&dir) {
        let rel = entry
            .strip_prefix(&dir)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        project.write_bytes(&format!("specs/{rel}"), &std::fs::read(&entry).unwrap());
    }
    let manifest = project.read("Cargo.toml");
    project.write(
        "Cargo.toml",
        &format!("{manifest}\n[package.metadata.contract-guard.contracts.c]\nspec = \"specs/{spec}\"\noutput = \"src/c.rs\"\n"),
    );
    project
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn every_hostile_spec_through_every_command() {
    for case in CASES {
        let path = fixture(&format!("hostile/{}", case.file));
        let run = run_in(
            path.parent().unwrap(),
            &["fingerprint", path.to_str().unwrap()],
        );
        assert_eq!(
            run.code, case.fingerprint,
            "fingerprint {}: {}",
            case.file, run.stderr
        );
        assert_clean(&run, "fingerprint", case.file, case.says);

        let project = project_with(case.file);
        let lock = project.run(&["lock"]);
        assert_eq!(
            lock.code, case.fingerprint,
            "lock {}: {}",
            case.file, lock.stderr
        );
        assert_clean(&lock, "lock", case.file, case.says);
        assert_eq!(
            project.path("contract-guard.lock").exists(),
            lock.code == 0,
            "lock file of {}",
            case.file
        );

        let status = project.run(&["status"]);
        assert_clean(&status, "status", case.file, case.says);
        let generate = project.run(&["generate"]);
        let expected = if case.fingerprint == 0 {
            case.generate
        } else {
            2
        };
        assert_eq!(
            generate.code, expected,
            "generate {}: {}",
            case.file, generate.stderr
        );
        assert_clean(&generate, "generate", case.file, case.says);
        assert_eq!(
            project.path("src/c.rs").exists(),
            generate.code == 0,
            "output of {}",
            case.file
        );

        let check = project.run(&["check"]);
        let expected = match (case.fingerprint, generate.code) {
            (2, _) => 2,
            (_, 0) => 0,
            (_, 3) => 2, // Swagger 2.0 with an `output`: an error, not drift
            _ => 1,      // missing-output
        };
        assert_eq!(
            check.code, expected,
            "check {}: {}\n{}",
            case.file, check.stdout, check.stderr
        );
        assert_clean(&check, "check", case.file, case.says);
    }
}

#[test]
fn bom_is_ignored_by_the_fingerprint() {
    let project = Project::empty();
    let with_bom = std::fs::read(fixture("hostile/bom.yaml")).unwrap();
    project.write_bytes("plain.yaml", &with_bom[3..]);
    let a = project
        .run(&["fingerprint", fixture("hostile/bom.yaml").to_str().unwrap()])
        .expect(0);
    let b = project.run(&["fingerprint", "plain.yaml"]).expect(0);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn made_at_run_time() {
    let project = Project::single("app");
    // 100,000-deep nesting.
    project.write(
        "deep.json",
        &format!(
            "{{\"openapi\":\"3.0.3\",\"x\":{}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    let run = project.run(&["fingerprint", "deep.json"]).expect(2);
    assert_clean(&run, "deep", "deep.json", "invalid JSON");
    // A huge string is fine...
    project.write(
        "huge.json",
        &format!("{{\"openapi\":\"3.0.3\",\"info\":{{\"title\":\"t\",\"version\":\"1\",\"description\":\"{}\"}},\"paths\":{{}}}}", "x".repeat(20 << 20)),
    );
    project.run(&["fingerprint", "huge.json"]).expect(0);
    // ...a file over the size limit is not (sparse: no disk used).
    let big = std::fs::File::create(project.path("big.json")).unwrap();
    big.set_len(contract_core::spec::MAX_FILE_BYTES + 1)
        .unwrap();
    let run = project.run(&["fingerprint", "big.json"]).expect(2);
    assert_clean(&run, "too large", "big.json", "limit");
    // A directory where a file should be.
    std::fs::create_dir(project.path("dir.yaml")).unwrap();
    let run = project.run(&["fingerprint", "dir.yaml"]).expect(2);
    assert_clean(&run, "directory", "dir.yaml", "directory");
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_workspace_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "Pet: {type: string}\n").unwrap();
    let project = Project::single("app");
    std::fs::create_dir_all(project.path("specs")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        project.path("specs/link.yaml"),
    )
    .unwrap();
    project.write(
        "specs/api.yaml",
        "openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet:\n      $ref: 'link.yaml#/Pet'\n",
    );
    let run = project.run(&["fingerprint", "specs/api.yaml"]).expect(2);
    assert_clean(&run, "symlink", "api.yaml", "through a symbolic link");
}

#[test]
fn external_files_are_part_of_the_fingerprint_and_tracked_by_check() {
    let project = Project::single("app");
    project.write(
        "specs/api.yaml",
        "openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet:\n      $ref: 'common/pet.yaml#/Pet'\n",
    );
    project.write("specs/common/pet.yaml", "Pet: {type: string}\n");
    project
        .run(&[
            "add",
            "api",
            "specs/api.yaml",
            "--output",
            "src/api.rs",
            "--no-deps",
        ])
        .expect(0);
    assert!(
        project
            .read("contract-guard.lock")
            .contains("files = [\"specs/common/pet.yaml\"]")
    );
    project.run(&["generate"]).expect(0);
    project.run(&["check"]).expect(0);
    let before = project
        .run(&["fingerprint", "specs/api.yaml"])
        .expect(0)
        .stdout;
    project.write(
        "specs/common/pet.yaml",
        "Pet: {type: string, maxLength: 3}\n",
    );
    let after = project
        .run(&["fingerprint", "specs/api.yaml"])
        .expect(0)
        .stdout;
    assert_ne!(
        before, after,
        "a change in a referenced file changes the fingerprint"
    );
    let run = project
        .run(&["check", "--message-format", "json"])
        .expect(1);
    assert_has(&run.stdout, "\"kind\":\"spec-changed\"");
}

#[test]
fn corrupt_lock_files_are_errors_and_are_left_alone() {
    for lock in ["lock-bad-hash.lock", "lock-truncated.lock"] {
        let project = Project::single("app");
        project.copy_fixture("mini.yaml", "specs/api.yaml");
        project
            .run(&[
                "add",
                "api",
                "specs/api.yaml",
                "--output",
                "src/api.rs",
                "--no-deps",
            ])
            .expect(0);
        let text = std::fs::read_to_string(fixture(&format!("hostile/{lock}"))).unwrap();
        project.write("contract-guard.lock", &text);
        for command in [&["status"][..], &["check"], &["lock"], &["generate"]] {
            let run = project.run(command).expect(2);
            assert_clean(
                &run,
                lock,
                "contract-guard.lock",
                "not a valid contract-guard lock file",
            );
            assert_has(&run.stderr, "help: ");
            assert_eq!(
                project.read("contract-guard.lock"),
                text,
                "{lock} untouched by {command:?}"
            );
        }
    }
}

#[test]
fn a_generated_file_with_a_forged_header() {
    let project = crate::generate::generated_project();
    let forged = std::fs::read_to_string(fixture("hostile/generated-forged-header.rs")).unwrap();
    project.write("src/generated/mini.rs", &forged);
    let run = project
        .run(&["check", "--message-format", "json"])
        .expect(1);
    assert_has(&run.stdout, "\"kind\":\"hand-edited\"");
    assert_has(&run.stdout, "header line 4 is malformed");
    project.run(&["generate"]).expect(1);
    assert_eq!(
        project.read("src/generated/mini.rs"),
        forged,
        "not overwritten"
    );
}
