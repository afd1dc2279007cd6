//! Selective generation (`operations = [...]`): by id, path, tag and glob, the components the
//! selected operations reach, errors for entries that select nothing, the selection in the
//! options fingerprint, header and lock, drift outside the selection, `diff --operations` and
//! `suggest`.

use crate::support::{Project, assert_has, fixture};

const OUT: &str = "src/generated/api.rs";

/// A crate declaring the selection fixture with `operations` (none when `None`), pinned.
fn project(operations: Option<&str>) -> Project {
    let project = Project::single("app");
    project.copy_fixture("selection.yaml", "specs/api.yaml");
    project
        .run(&["add", "api", "specs/api.yaml", "--output", OUT, "--no-deps"])
        .expect(0);
    if let Some(operations) = operations {
        set_operations(&project, operations);
    }
    project
}

fn set_operations(project: &Project, operations: &str) {
    let manifest = project.read("Cargo.toml");
    let manifest = match manifest.find("\noperations = ") {
        Some(at) => {
            let end = at + 1 + manifest[at + 1..].find('\n').unwrap();
            format!("{}{}", &manifest[..at], &manifest[end..])
        }
        None => manifest,
    };
    let line = format!("output = \"{OUT}\"\noperations = {operations}\n");
    project.write(
        "Cargo.toml",
        &manifest.replacen(&format!("output = \"{OUT}\"\n"), &line, 1),
    );
}

/// The client generated with `operations`.
fn generated(operations: &str) -> String {
    let project = project(Some(operations));
    project.run(&["generate"]).expect(0);
    project.read(OUT)
}

#[track_caller]
fn assert_holds(code: &str, present: &[&str], absent: &[&str]) {
    for item in present {
        assert!(code.contains(item), "`{item}` missing from the client");
    }
    for item in absent {
        assert!(!code.contains(item), "`{item}` should not be in the client");
    }
}

#[test]
fn selection_by_id_keeps_the_operation_and_the_types_it_reaches_transitively() {
    let code = generated(r#"["repos/get"]"#);
    // Repository → Account → Plan: reached through two levels of `$ref`.
    assert_holds(
        &code,
        &[
            "fn repos_get",
            "pub struct Repository",
            "pub struct Account",
            "pub struct Plan",
        ],
        &[
            "fn repos_delete",
            "fn issues_list",
            "fn get_gists",
            "pub struct Issue",
            "pub struct Label",
            "pub struct Gist",
        ],
    );
    let full = project(None);
    full.run(&["generate"]).expect(0);
    let all = full.read(OUT);
    assert_holds(
        &all,
        &["fn repos_delete", "fn get_gists", "pub struct Gist"],
        &[],
    );
    assert!(code.lines().count() < all.lines().count());
}

#[test]
fn selection_by_path_tag_and_glob() {
    let by_path = generated(r#"["GET /gists"]"#);
    assert_holds(
        &by_path,
        &["fn get_gists", "pub struct Gist"],
        &["fn repos_get", "pub struct Account"],
    );

    let by_tag = generated(r#"["tag:issues"]"#);
    let issues = [
        "fn issues_list",
        "fn issues_create",
        "pub struct Issue",
        "pub struct NewIssue",
        "pub struct Label",
        "pub struct Account",
        "pub struct Plan",
    ];
    assert_holds(
        &by_tag,
        &issues,
        &["fn repos_get", "pub struct Repository", "pub struct Gist"],
    );

    let by_glob = generated(r#"["issues/*"]"#);
    assert_eq!(
        by_glob.lines().skip(7).collect::<Vec<_>>(),
        by_tag.lines().skip(7).collect::<Vec<_>>(),
        "`issues/*` and `tag:issues` select the same operations (headers aside)"
    );
    let by_method_glob = generated(r#"["* /repos/*"]"#);
    assert_holds(
        &by_method_glob,
        &[
            "fn repos_get",
            "fn repos_delete",
            "fn issues_list",
            "fn issues_create",
        ],
        &["fn get_gists"],
    );
}

#[test]
fn an_unknown_name_or_an_empty_glob_is_an_error_with_a_near_miss() {
    let project = project(Some(r#"["repos/gte", "gists/*"]"#));
    let run = project.run(&["generate"]).expect(2);
    assert_has(
        &run.stderr,
        "`repos/gte` in `operations` selects no operation of the spec (did you mean `repos/get`?)",
    );
    assert_has(
        &run.stderr,
        "`gists/*` in `operations` selects no operation of the spec",
    );
    assert!(!project.path(OUT).exists(), "nothing is written");

    set_operations(&project, r#"["tag:isues"]"#);
    let run = project.run(&["generate"]).expect(2);
    assert_has(&run.stderr, "did you mean `tag:issues`?");

    // Syntax errors are found when the contract is read, by every command.
    set_operations(&project, r#"["FETCH /gists"]"#);
    let run = project.run(&["status"]).expect(2);
    assert_has(
        &run.stderr,
        "`FETCH /gists` in `operations` starts with no HTTP method",
    );
    set_operations(&project, "[]");
    let run = project.run(&["check"]).expect(2);
    assert_has(&run.stderr, "`operations` is empty");

    let manifest = project
        .read("Cargo.toml")
        .replace("\noperations = ", "\noperation = ");
    project.write("Cargo.toml", &manifest);
    let run = project.run(&["check"]).expect(2);
    assert_has(&run.stderr, "did you mean `operations`?");
}

#[test]
fn the_selection_is_in_the_fingerprint_the_header_and_the_lock() {
    let project = project(Some(r#"["repos/get", "GET /gists"]"#));
    project.run(&["generate"]).expect(0);
    let code = project.read(OUT);
    assert_has(&code, "\n// operations: [\"GET /gists\",\"repos/get\"]\n");
    let lock = project.read("contract-guard.lock");
    assert_has(&lock, "operations = [\"GET /gists\", \"repos/get\"]");
    // `check --deep` regenerates with the selection: the client is fresh.
    project.run(&["check", "--deep"]).expect(0);

    // The same entries in another order are the same selection.
    set_operations(&project, r#"["GET /gists", "repos/get", "repos/get"]"#);
    project.run(&["check", "--deep"]).expect(0);

    // Another selection changes the options' fingerprint: the client is stale until generated.
    set_operations(&project, r#"["repos/get"]"#);
    let run = project.run(&["check"]).expect(1);
    assert_has(&run.stdout, "drift[stale-generated]");
    project.run(&["generate"]).expect(0);
    project.run(&["check", "--deep"]).expect(0);
    assert_has(&project.read(OUT), "\n// operations: [\"repos/get\"]\n");

    // A lock re-created from scratch takes the selection back from the intact header.
    let lock = project.read("contract-guard.lock");
    std::fs::remove_file(project.path("contract-guard.lock")).unwrap();
    project.run(&["lock"]).expect(0);
    assert_eq!(project.read("contract-guard.lock"), lock);

    // A header whose `operations` line was edited no longer says what the client holds.
    let forged = project.read(OUT).replace(
        "// operations: [\"repos/get\"]",
        "// operations: [\"tag:issues\"]",
    );
    project.write(OUT, &forged);
    let run = project.run(&["check"]).expect(1);
    assert_has(&run.stdout, "drift[stale-generated]");
    assert_has(
        &run.stdout,
        "its header's `operations` line is not the contract's `operations`",
    );
}

#[test]
fn check_and_update_tell_changes_outside_the_selection_from_changes_inside() {
    let project = project(Some(r#"["repos/get"]"#));
    project.run(&["generate"]).expect(0);
    // A breaking change to a type only `GET /gists` reaches.
    let spec = project.read("specs/api.yaml");
    let outside = spec.replace(
        "        id:\n          type: string\n",
        "        id:\n          type: integer\n",
    );
    assert_ne!(outside, spec);
    project.write("specs/api.yaml", &outside);

    let run = project.run(&["check"]).expect(1);
    assert_has(&run.stdout, "drift[spec-changed]");
    assert_has(&run.stdout, "0 breaking and 0 security change(s)");
    assert_has(
        &run.stdout,
        "touching the 1 selected operation(s), and 2 change(s) outside the selection",
    );

    let full_diff = project.run(&["diff", "api"]).expect(1);
    assert_has(&full_diff.stdout, "breaking[");
    let filtered = project
        .run(&["diff", "api", "--operations", "repos/get"])
        .expect(0);
    assert_has(
        &filtered.stderr,
        "2 change(s) outside `--operations` not listed",
    );

    // `update` lists the breaking change elsewhere but does not refuse over it.
    let run = project.run(&["update", "api"]).expect(0);
    assert_has(
        &run.stderr,
        "2 change(s) outside the selected operations (`operations`), not blocking",
    );
    assert_has(&run.stdout, "breaking[");
    project.run(&["check", "--deep"]).expect(0);

    // A breaking change to a type the selection reaches (`Plan`, through `Account`) blocks.
    let spec = project.read("specs/api.yaml");
    let inside = spec.replace(
        "        seats:\n          type: integer\n",
        "        seats:\n          type: string\n",
    );
    assert_ne!(inside, spec);
    project.write("specs/api.yaml", &inside);
    let run = project.run(&["check"]).expect(1);
    assert_has(&run.stdout, "1 breaking and 0 security change(s)");
    project.run(&["update", "api"]).expect(1);
}

#[test]
fn suggest_lists_the_operations_the_crate_calls() {
    let project = project(None);
    project.run(&["generate"]).expect(0);
    project.write(
        "src/lib.rs",
        "mod generated { pub mod api; }\nuse generated::api::Client;\n\npub async fn run(client: &Client) {\n    let _ = client.repos_get(\"me\").await;\n    let _ = Client::issues_create(client, \"me\", todo!()).await;\n}\n",
    );
    project.write(
        "tests/more.rs",
        "#[test]\nfn t() { let c = make(); let _ = c.get_gists(); }\n",
    );
    let run = project.run(&["suggest"]).expect(0);
    assert_eq!(
        run.stdout,
        "operations = [\"GET /gists\", \"issues/create\", \"repos/get\"]\n"
    );
    assert_has(
        &run.stderr,
        "repos/get (`repos_get`, 1 call(s), first at src/lib.rs:5)",
    );
    assert_has(&run.stderr, "3 of 5 operation(s) called in 2 Rust file(s)");

    // The suggested line generates a client that holds exactly those operations.
    set_operations(&project, r#"["GET /gists", "issues/create", "repos/get"]"#);
    project.run(&["generate"]).expect(0);
    assert_holds(
        &project.read(OUT),
        &["fn get_gists", "fn issues_create", "fn repos_get"],
        &["fn issues_list", "fn repos_delete"],
    );
}

#[test]
fn diff_operations_entries_are_checked() {
    let old = fixture("selection.yaml");
    let project = Project::empty();
    let run = project
        .run(&[
            "diff",
            old.to_str().unwrap(),
            old.to_str().unwrap(),
            "--operations",
            "GET gists",
        ])
        .expect(2);
    assert_has(
        &run.stderr,
        "`GET gists` in `operations` has no path template",
    );
}
