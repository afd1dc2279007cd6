//! The macros' compile errors in a real crate: a moved spec is one error per contract however
//! many macros use it, with the fix `check` gives; a hand edit is named by its line. Builds with
//! cargo in the target directory the guard tests share.
//!
//! Targeted assertions rather than snapshots: the output is rustc's and cargo's, whose layout
//! changes between toolchains; the lines asserted are the macros' own.

use std::process::Command;

use crate::compile_guard::{OUT, guarded_project};
use crate::support::{Project, assert_has, cargo_in_shared_target};

/// Three hand-written types checked against the contract, beside its generated client.
const LIB: &str = r#"pub mod generated { pub mod mini; }

#[contract_macros::schema(contract = "mini", name = "Item", direction = "response")]
pub struct Item { pub id: i64, pub name: String, pub enabled: Option<bool>, pub mode: Option<String> }

#[contract_macros::schema(contract = "mini", name = "Item", direction = "response")]
pub struct ItemView { pub id: i64, pub name: String, pub enabled: Option<bool>, pub mode: Option<String> }

#[contract_macros::schema(contract = "mini", name = "Item", direction = "response")]
pub struct ItemRow { pub id: u64, pub name: String, pub enabled: Option<bool>, pub mode: Option<String> }
"#;

/// A crate `name` (unique per test: see [`cargo_in_shared_target`]) with [`LIB`].
fn project(name: &str) -> Project {
    let project = guarded_project(name);
    project.write("src/lib.rs", LIB);
    project
}

#[test]
fn a_moved_spec_is_one_error_per_crate_with_the_fix_check_gives() {
    let project = project("errs_moved");
    // `ItemRow.id` is a `u64` for an `int64`: the one error of the fresh crate.
    let (ok, stderr) = cargo_in_shared_target(&project, "build");
    assert!(!ok);
    assert_has(&stderr, "due to 1 previous error");
    assert_has(&stderr, "pub id: u64");
    project.write("src/lib.rs", &LIB.replace("id: u64", "id: i64"));
    let (ok, stderr) = cargo_in_shared_target(&project, "build");
    assert!(ok, "the fresh crate compiles:\n{stderr}");

    // A description changes: the guard and three `#[schema]` types all see it, rustc shows one.
    let spec = project.read("specs/mini.yaml");
    project.write(
        "specs/mini.yaml",
        &spec.replace("description: The item", "description: An item"),
    );
    let (ok, stderr) = cargo_in_shared_target(&project, "build");
    assert!(!ok, "a moved spec fails the build");
    assert_eq!(
        stderr.matches("error: spec `specs/mini.yaml`").count(),
        1,
        "{stderr}"
    );
    assert_has(&stderr, "of contract `mini`");
    assert_has(&stderr, "due to 1 previous error");
    let check = project.run(&["check"]).expect(1);
    let fix = "`cargo contract-guard update mini`";
    assert_has(&check.stdout, fix);
    assert_has(&stderr, fix);

    // Re-pinned by hand but not regenerated: only the guard fails, and says to generate.
    project.run(&["lock"]).expect(0);
    let (ok, stderr) = cargo_in_shared_target(&project, "build");
    assert!(!ok, "a client from another spec fails the build");
    assert_has(&stderr, "due to 1 previous error");
    assert_has(&stderr, "help: run `cargo contract-guard generate mini`");
}

fn git(project: &Project, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(project.path(""))
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn a_hand_edit_is_named_by_its_line() {
    let project = project("errs_edited");
    project.write("src/lib.rs", &LIB.replace("id: u64", "id: i64"));
    git(&project, &["init", "-q"]);
    git(&project, &["add", "."]);
    git(&project, &["commit", "-q", "-m", "generated"]);
    let text = project.read(OUT);
    let line = text
        .lines()
        .position(|l| l.trim() == "pub id: i64,")
        .expect("the generated `Item.id`")
        + 1;
    project.write(OUT, &text.replacen("pub id: i64,", "pub id: i32,", 1));
    let (ok, stderr) = cargo_in_shared_target(&project, "build");
    assert!(!ok, "a hand edit fails the build");
    assert_has(
        &stderr,
        &format!("generated client `{OUT}` was edited by hand at line {line}:"),
    );
    assert_has(&stderr, &format!("{line} |         pub id: i32,"));
    assert_has(&stderr, "`cargo contract-guard generate mini --force`");
    // The line `check` finds by regenerating.
    let check = project
        .run(&["check", "--message-format", "json"])
        .expect(1);
    assert_has(&check.stdout, &format!("\"line\":{line}"));

    // Committed, git no longer holds the file as generated: the error says where to look.
    git(&project, &["commit", "-q", "-am", "edit"]);
    let (ok, stderr) = cargo_in_shared_target(&project, "build");
    assert!(!ok, "a committed hand edit fails the build too");
    assert_has(
        &stderr,
        "`cargo contract-guard check` shows the edit as a diff",
    );
}
