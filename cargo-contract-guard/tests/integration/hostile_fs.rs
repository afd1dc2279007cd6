//! The hostile suite, file-system side: special files where the tool reads (a lock, a spec or
//! a generated client that is `/dev/zero` or a FIFO), symbolic links out of the workspace, a
//! lock whose `files = [...]` was deleted, concurrent runs, failed commands, and the modes of
//! the files the tool creates. Links and FIFOs are made at run time in the test's directory.

use crate::generate::{OUT, generated_project};
use crate::support::{Project, Run, assert_has, bin, fixture};

const LOCK: &str = "contract-guard.lock";

/// The snapshot of `command` run in a case named `case`: `<case>__<command words>`, with only
/// letters, digits and `_` (so `--force` is `force` and a path one word).
fn snapshot_name(case: &str, command: &[&str]) -> String {
    let words: String = command
        .join("_")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    format!("{case}__{words}")
}

/// Every command that reads what the case `case` is about: each refuses it (exit 2) with the
/// error in its snapshot, and writes nothing.
#[cfg(unix)]
#[track_caller]
fn refused_by(project: &Project, commands: &[&[&str]], case: &str) {
    let lock_before = std::fs::read(project.path(LOCK)).ok();
    for command in commands {
        let run = project.run(command).expect(2);
        insta::assert_snapshot!(snapshot_name(case, command), run.transcript(project));
        // Absence, stated on its own so that a snapshot update cannot approve it by accident.
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert_eq!(
            std::fs::read(project.path(LOCK)).ok(),
            lock_before,
            "{command:?} changed the lock"
        );
    }
}

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Puts a special file where a file was.
#[cfg(unix)]
type Replace = fn(&std::path::Path);

#[cfg(unix)]
fn replace_with_link_to_dev_zero(path: &std::path::Path) {
    let _ = std::fs::remove_file(path);
    std::os::unix::fs::symlink("/dev/zero", path).unwrap();
}

#[cfg(unix)]
fn replace_with_fifo(path: &std::path::Path) {
    let _ = std::fs::remove_file(path);
    mkfifo(path);
}

/// A crate `app` whose `specs/mini.yaml` is a symbolic link to `target`.
#[cfg(unix)]
fn project_with_spec_linked_to(target: &std::path::Path) -> Project {
    let project = Project::single("app");
    std::fs::create_dir_all(project.path("specs")).unwrap();
    std::os::unix::fs::symlink(target, project.path("specs/mini.yaml")).unwrap();
    project
}

/// Ways to make a file unreadable, with a name for their snapshots: a link to `/dev/zero` is a
/// link out of the workspace; a FIFO inside it is not a file.
#[cfg(unix)]
fn unreadable_replacements() -> [(Replace, &'static str); 2] {
    [
        (replace_with_link_to_dev_zero, "dev_zero"),
        (replace_with_fifo, "fifo"),
    ]
}

#[cfg(unix)]
#[test]
fn a_lock_that_is_dev_zero_or_a_fifo_is_refused_by_every_command() {
    for (replace, kind) in unreadable_replacements() {
        let project = generated_project();
        replace(&project.path(LOCK));
        let commands: [&[&str]; 5] = [
            &["status"],
            &["check"],
            &["generate"],
            &["lock"],
            &["update", "mini"],
        ];
        for command in commands {
            let run = project.run(command).expect(2);
            let name = snapshot_name(&format!("lock_{kind}"), command);
            insta::assert_snapshot!(name, run.transcript(&project));
        }
        let left = std::fs::symlink_metadata(project.path(LOCK)).unwrap();
        assert!(!left.is_file(), "the special file is left where it was");
    }
}

#[cfg(unix)]
#[test]
fn a_lock_linked_out_of_the_workspace_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    let project = generated_project();
    std::fs::rename(project.path(LOCK), outside.path().join(LOCK)).unwrap();
    std::os::unix::fs::symlink(outside.path().join(LOCK), project.path(LOCK)).unwrap();
    refused_by(
        &project,
        &[&["status"], &["check"], &["generate"], &["lock"]],
        "lock_linked_out",
    );
}

#[cfg(unix)]
#[test]
fn a_spec_or_a_generated_file_that_is_dev_zero_or_a_fifo_is_refused() {
    for (replace, kind) in unreadable_replacements() {
        let project = generated_project();
        replace(&project.path("specs/mini.yaml"));
        refused_by(
            &project,
            &[
                &["status"],
                &["check"],
                &["generate"],
                &["lock"],
                &["fingerprint", "specs/mini.yaml"],
            ],
            &format!("spec_{kind}"),
        );

        let project = generated_project();
        replace(&project.path(OUT));
        refused_by(
            &project,
            &[&["check"], &["generate"], &["generate", "--force"]],
            &format!("output_{kind}"),
        );
    }
}

/// What the macros read: the spec (`#[schema]`, `client!`) and the generated client
/// (`verify_generated!`) go through the same bounded read. (Library errors, not CLI output:
/// the parts that matter are checked, as the macro edge adds its own framing.)
#[cfg(unix)]
#[test]
fn the_macros_refuse_a_fifo_spec_and_a_fifo_generated_file() {
    let project = generated_project();
    let crate_dir = project.dir.path();
    mkfifo(&project.path("specs/fifo.yaml"));
    mkfifo(&project.path("src/generated/fifo.rs"));
    // `#[schema]` and `client!` render the error with its causes (the OS error is a source).
    let err = contract_core::error::with_causes(
        &contract_core::macros::locate::load_cached(&project.path("specs/fifo.yaml"), crate_dir)
            .unwrap_err(),
    );
    assert_has(&err, "fifo.yaml");
    assert_has(&err, "not a regular file");
    let err = contract_core::macros::guard::verify_generated(
        crate_dir,
        "mini",
        "specs/mini.yaml",
        "src/generated/fifo.rs",
    )
    .unwrap_err();
    // The macro edge renders the error with its causes (the read error is a source).
    let err = contract_core::error::with_causes(&err);
    assert_has(&err, "`src/generated/fifo.rs`");
    assert_has(&err, "not a regular file");
}

/// The guard of a generated client names its spec and its file: both stay in the workspace.
#[test]
fn the_guard_reads_nothing_outside_the_workspace() {
    let project = generated_project();
    let crate_dir = project.dir.path();
    contract_core::macros::guard::verify_generated(crate_dir, "mini", "specs/mini.yaml", OUT)
        .unwrap();
    let err = contract_core::macros::guard::verify_generated(
        crate_dir,
        "mini",
        "specs/mini.yaml",
        "../x.rs",
    )
    .unwrap_err()
    .to_string();
    assert_has(&err, "path `../x.rs` points outside the workspace");
    let err =
        contract_core::macros::guard::verify_generated(crate_dir, "mini", "../../mini.yaml", OUT)
            .unwrap_err()
            .to_string();
    assert_has(&err, "path `../../mini.yaml` points outside the workspace");
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        std::fs::copy(project.path(OUT), outside.path().join("mini.rs")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("mini.rs"), project.path("src/out.rs"))
            .unwrap();
        let err = contract_core::macros::guard::verify_generated(
            crate_dir,
            "mini",
            "specs/mini.yaml",
            "src/out.rs",
        )
        .unwrap_err()
        .to_string();
        assert_has(&err, "leads outside the workspace through a symbolic link");
    }
}

#[cfg(unix)]
#[test]
fn a_spec_linked_out_of_the_workspace_is_never_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("mini.yaml"), outside.path().join("mini.yaml")).unwrap();
    let secret = std::fs::read_to_string(outside.path().join("mini.yaml"))
        .unwrap()
        .replace("title: Mini", "title: Secret outside");
    std::fs::write(outside.path().join("mini.yaml"), secret).unwrap();
    let project = project_with_spec_linked_to(&outside.path().join("mini.yaml"));
    let manifest = project.read("Cargo.toml");
    project.write(
        "Cargo.toml",
        &format!("{manifest}\n[package.metadata.contract-guard.contracts.mini]\nspec = \"specs/mini.yaml\"\n"),
    );
    refused_by(
        &project,
        &[&["lock"], &["status"], &["check"], &["generate"]],
        "spec_linked_out",
    );
    assert!(!project.path(LOCK).exists(), "no lock was written");
    // `add` refuses it too, before touching Cargo.toml.
    let project = project_with_spec_linked_to(&outside.path().join("mini.yaml"));
    let manifest = project.read("Cargo.toml");
    project
        .run(&["add", "mini", "specs/mini.yaml", "--no-deps"])
        .expect(2);
    assert_eq!(project.read("Cargo.toml"), manifest);
    assert!(!project.path(LOCK).exists());
}

#[cfg(unix)]
#[test]
fn an_output_under_a_directory_linked_out_of_the_workspace_is_never_written() {
    let outside = tempfile::tempdir().unwrap();
    let project = Project::single("app");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    std::os::unix::fs::symlink(outside.path(), project.path("src/generated")).unwrap();
    let manifest = project.read("Cargo.toml");
    project.write(
        "Cargo.toml",
        &format!("{manifest}\n[package.metadata.contract-guard.contracts.mini]\nspec = \"specs/mini.yaml\"\noutput = \"{OUT}\"\n"),
    );
    refused_by(
        &project,
        &[&["generate", "--relock"], &["lock"], &["check"]],
        "output_dir_linked_out",
    );
    let written: Vec<_> = std::fs::read_dir(outside.path()).unwrap().collect();
    assert!(written.is_empty(), "written outside: {written:?}");
}

/// A crate whose contract `pets` spans two files (`tests/fixtures/hostile-fs/`), generated.
fn multi_file_project() -> Project {
    let project = Project::single("app");
    project.copy_fixture("hostile-fs/api.yaml", "specs/api.yaml");
    project.copy_fixture("hostile-fs/common/pet.yaml", "specs/common/pet.yaml");
    project
        .run(&[
            "add",
            "pets",
            "specs/api.yaml",
            "--output",
            "src/pets.rs",
            "--no-deps",
        ])
        .expect(0);
    assert_has(&project.read(LOCK), "files = [\"specs/common/pet.yaml\"]");
    project.run(&["generate"]).expect(0);
    project
}

fn drop_files_from_lock(project: &Project) {
    let lock = project.read(LOCK);
    let edited: String = lock
        .lines()
        .filter(|line| !line.starts_with("files = "))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_ne!(lock, edited);
    project.write(LOCK, &edited);
}

#[test]
fn deleting_files_from_a_pin_does_not_switch_off_tracking() {
    let project = multi_file_project();
    let client = project.read("src/pets.rs");
    drop_files_from_lock(&project);
    // `generate` still resolves the reference from the spec: the client is the same, the
    // referenced type is still a struct, not "any value".
    project.run(&["generate"]).expect(0);
    assert_eq!(project.read("src/pets.rs"), client);
    assert_has(&client, "pub struct GetPetResponse");
    assert_has(&client, "pub name: ::std::string::String,");
    project.run(&["check"]).expect(0);

    drop_files_from_lock(&project);
    project.write(
        "specs/common/pet.yaml",
        "Pet:\n  type: object\n  required: [name]\n  properties:\n    name:\n      type: string\n      maxLength: 3\n",
    );
    let run = project
        .run(&["check", "--message-format", "json"])
        .expect(1);
    assert_has(&run.stdout, "\"kind\":\"spec-changed\"");
    project.run(&["generate"]).expect(1);
    assert_eq!(project.read("src/pets.rs"), client);
}

/// Two contracts, `a` and `b`, generated, whose specs then both change.
fn two_contracts() -> Project {
    let project = Project::single("app");
    let mini = std::fs::read_to_string(fixture("mini.yaml")).unwrap();
    for name in ["a", "b"] {
        project.write(&format!("specs/{name}.yaml"), &mini);
        let output = format!("src/{name}.rs");
        project
            .run(&[
                "add",
                name,
                &format!("specs/{name}.yaml"),
                "--output",
                &output,
                "--no-deps",
            ])
            .expect(0);
    }
    project.run(&["generate"]).expect(0);
    project
}

#[test]
fn concurrent_relocks_keep_both_pins() {
    let project = two_contracts();
    let mini = std::fs::read_to_string(fixture("mini.yaml")).unwrap();
    for round in 0..5 {
        for name in ["a", "b"] {
            project.write(
                &format!("specs/{name}.yaml"),
                &mini.replace("version: 1.0.0", &format!("version: 2.0.{round}")),
            );
        }
        let children: Vec<_> = ["a", "b"]
            .iter()
            .map(|name| {
                std::process::Command::new(bin())
                    .args(["generate", "--relock", name])
                    .current_dir(project.dir.path())
                    .env_remove("CARGO_TARGET_DIR")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut child in children {
            assert!(child.wait().unwrap().success());
        }
        let run = project.run(&["check"]);
        assert_eq!(
            run.code,
            0,
            "round {round}: a pin was lost\n{}\n{}",
            run.stderr,
            project.read(LOCK)
        );
    }
}

#[test]
fn a_run_waiting_for_another_says_so() {
    use std::io::BufRead as _;
    let project = two_contracts();
    let sidecar = project.path("target/contract-guard/.lock");
    let held = std::fs::File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&sidecar)
        .unwrap();
    held.lock().unwrap();
    let mut child = std::process::Command::new(bin())
        .args(["lock"])
        .current_dir(project.dir.path())
        .env("NO_COLOR", "1")
        .env_remove("CARGO_TARGET_DIR")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert_eq!(
        first,
        "    Blocking waiting for file lock on `contract-guard.lock`\n"
    );
    drop(held);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(child.wait().unwrap().success(), "{rest}");
}

/// `generated_project` with its spec changed since the pin.
fn spec_moved() -> Project {
    let project = generated_project();
    let spec = project.read("specs/mini.yaml");
    project.write(
        "specs/mini.yaml",
        &spec.replace("version: 1.0.0", "version: 1.1.0"),
    );
    project
}

#[track_caller]
fn nothing_changed(project: &Project, lock: &str, run: &Run) {
    assert_eq!(project.read(LOCK), lock, "the lock moved: {}", run.stderr);
}

#[test]
fn a_command_that_fails_leaves_the_lock_as_it_was() {
    // The output cannot be written: it is a directory.
    let project = spec_moved();
    let lock = project.read(LOCK);
    std::fs::remove_file(project.path(OUT)).unwrap();
    std::fs::create_dir(project.path(OUT)).unwrap();
    for command in [
        &["generate", "--relock"][..],
        &["generate", "--relock", "--force"],
        &["update", "mini", "--allow-breaking"],
    ] {
        let run = project.run(command).expect(2);
        let name = snapshot_name("output_is_a_directory", command);
        insta::assert_snapshot!(name, run.transcript(&project));
        nothing_changed(&project, &lock, &run);
    }

    // A hand edit cannot be saved as `.orig`: neither the output nor the lock change.
    let project = spec_moved();
    let lock = project.read(LOCK);
    let edited = format!("{}// mine\n", project.read(OUT));
    project.write(OUT, &edited);
    std::fs::create_dir(project.path(&format!("{OUT}.orig"))).unwrap();
    let run = project.run(&["generate", "--relock", "--force"]).expect(2);
    insta::assert_snapshot!("orig_is_a_directory", run.transcript(&project));
    nothing_changed(&project, &lock, &run);
    assert_eq!(project.read(OUT), edited);

    // A refusal does not move the pin either.
    std::fs::remove_dir(project.path(&format!("{OUT}.orig"))).unwrap();
    let run = project.run(&["generate", "--relock"]).expect(1);
    nothing_changed(&project, &lock, &run);
}

#[test]
fn an_add_that_cannot_pin_leaves_cargo_toml_as_it_was() {
    let project = Project::single("app");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    let corrupt = "version = 1\n[[contract]\n";
    project.write(LOCK, corrupt);
    let manifest = project.read("Cargo.toml");
    let run = project
        .run(&["add", "mini", "specs/mini.yaml", "--output", OUT])
        .expect(2);
    insta::assert_snapshot!("add_with_a_corrupt_lock", run.transcript(&project));
    assert_eq!(project.read("Cargo.toml"), manifest, "{}", run.stderr);
    assert_eq!(project.read(LOCK), corrupt);
}

#[test]
fn temporary_files_left_by_a_killed_run_are_removed_by_the_next() {
    let project = generated_project();
    let stale = [
        "src/generated/.contract-guard-Ab12Cd.tmp",
        ".contract-guard-Ef34Gh.tmp",
    ];
    for file in stale {
        project.write(file, "partial");
    }
    project.write("src/generated/notes.tmp", "mine");
    project.run(&["generate"]).expect(0);
    project.run(&["lock"]).expect(0);
    for file in stale {
        assert!(!project.path(file).exists(), "{file} is still there");
    }
    assert_eq!(project.read("src/generated/notes.tmp"), "mine");
}

#[cfg(unix)]
#[test]
fn new_files_get_the_umask_mode_and_replaced_files_keep_theirs() {
    use std::os::unix::fs::PermissionsExt as _;
    let project = Project::single("app");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    let under_umask = |args: &[&str]| {
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg("umask 027 && exec \"$0\" \"$@\"")
            .arg(bin())
            .args(args)
            .current_dir(project.dir.path())
            .env_remove("CARGO_TARGET_DIR")
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "{args:?}");
    };
    let mode = |rel: &str| {
        std::fs::metadata(project.path(rel))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    under_umask(&[
        "add",
        "mini",
        "specs/mini.yaml",
        "--output",
        OUT,
        "--no-deps",
    ]);
    under_umask(&["generate"]);
    project.write(OUT, &format!("{}// mine\n", project.read(OUT)));
    under_umask(&["generate", "--force"]);
    let cached = std::fs::read_dir(project.path("target/contract-guard/specs"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let cached = cached
        .strip_prefix(project.dir.path())
        .unwrap()
        .to_str()
        .unwrap();
    for file in [LOCK, OUT, &format!("{OUT}.orig"), cached] {
        assert_eq!(mode(file), 0o640, "{file}");
    }

    std::fs::set_permissions(project.path(LOCK), std::fs::Permissions::from_mode(0o600)).unwrap();
    let spec = project.read("specs/mini.yaml");
    project.write(
        "specs/mini.yaml",
        &spec.replace("version: 1.0.0", "version: 1.1.0"),
    );
    under_umask(&["lock"]);
    assert_has(&project.read(LOCK), "openapi");
    assert_eq!(mode(LOCK), 0o600);
}
