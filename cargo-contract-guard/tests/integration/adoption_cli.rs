//! Adopting the tool in a real team's repository (issue 16): typos in the metadata table,
//! reformatted specs under `check --locked`, Swagger 2.0 contracts, cross-crate drift of specs
//! without `servers`, and cargo's conventions (`-p` package id specs, the member around the
//! current directory, `CARGO_TERM_COLOR`, `diff --message-format`).

use crate::support::{Project, assert_has, run_in, run_with_env};

const SWAGGER2: &str = "swagger: \"2.0\"\ninfo: {title: Legacy, version: \"1.0.0\"}\npaths:\n  /items:\n    get:\n      operationId: listItems\n      responses: {\"200\": {description: ok}}\n";

/// A spec titled `Payments` without `servers`, at `version`, with one extra path when `more`.
fn payments(version: &str, more: bool) -> String {
    let extra = if more {
        "  /refunds:\n    get:\n      operationId: listRefunds\n      responses: {\"200\": {description: ok}}\n"
    } else {
        ""
    };
    format!(
        "openapi: 3.0.3\ninfo: {{title: Payments, version: \"{version}\"}}\npaths:\n  /payments:\n    get:\n      operationId: listPayments\n      responses: {{\"200\": {{description: ok}}}}\n{extra}"
    )
}

fn declare(project: &Project, manifest: &str, table: &str) {
    let text = project.read(manifest);
    project.write(manifest, &format!("{text}\n{table}"));
}

// Item 3: every key under `contract-guard` metadata is validated.

#[test]
fn a_misspelt_contracts_table_is_an_error_with_its_line_and_a_suggestion() {
    let project = Project::single("app");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    declare(
        &project,
        "Cargo.toml",
        "[package.metadata.contract-guard.contract.mini]\nspec = \"specs/mini.yaml\"\n",
    );
    let run = project.run(&["check"]).expect(2);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    insta::assert_snapshot!("metadata_typo_package", run.stderr);
}

#[test]
fn unknown_keys_are_errors_at_every_depth_and_at_the_workspace_level() {
    let project = Project::workspace(&["app"]);
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    declare(
        &project,
        "Cargo.toml",
        "[workspace.metadata.contract_guard.contracts.mini]\nspec = \"specs/mini.yaml\"\n",
    );
    let run = project.run(&["status"]).expect(2);
    insta::assert_snapshot!("metadata_typo_workspace", run.stderr);

    let cases = [
        ("contract", "ouput = \"src/x.rs\"\n"),
        (
            "diff",
            "[workspace.metadata.contract-guard.contracts.mini.diff]\nfail_on = \"info\"\n",
        ),
        (
            "ignore",
            "[[workspace.metadata.contract-guard.contracts.mini.diff.ignore]]\nrule = \"path-removed\"\nwhy = \"retired\"\n",
        ),
    ];
    for (table, extra) in cases {
        project.write(
            "Cargo.toml",
            &format!("[workspace]\nresolver = \"2\"\nmembers = [\"crates/app\"]\n\n[workspace.metadata.contract-guard.contracts.mini]\nspec = \"specs/mini.yaml\"\n{extra}"),
        );
        let run = project.run(&["check"]).expect(2);
        insta::assert_snapshot!(format!("unknown_key_{table}"), run.transcript(&project));
    }
}

// Item 5: a byte-hash change alone does not fail `check --locked`.

#[test]
fn reformatting_a_spec_passes_check_locked_and_a_real_change_says_what_moved() {
    let project = Project::single("app");
    project.copy_fixture("mini.yaml", "specs/mini.yaml");
    project
        .run(&[
            "add",
            "mini",
            "specs/mini.yaml",
            "--output",
            "src/mini.rs",
            "--no-deps",
        ])
        .expect(0);
    project.run(&["generate"]).expect(0);
    let lock = project.read("contract-guard.lock");
    // The same document, reformatted: comments, blank lines, a quoted version.
    let spec = project.read("specs/mini.yaml");
    let reformatted = spec.replace("openapi: 3.0.3", "openapi: \"3.0.3\"  # quoted");
    assert_ne!(reformatted, spec);
    project.write(
        "specs/mini.yaml",
        &format!("# reformatted\n\n{reformatted}\n\n"),
    );
    project.run(&["check", "--locked"]).expect(0);
    project.run(&["lock", "--locked"]).expect(0);
    project.run(&["generate", "--locked"]).expect(0);
    assert_eq!(
        project.read("contract-guard.lock"),
        lock,
        "the lock is never written"
    );

    project.write(
        "specs/mini.yaml",
        &spec.replace("title: Mini", "title: Mini2"),
    );
    let run = project.run(&["check", "--locked"]).expect(1);
    insta::assert_snapshot!("locked_check_would_move", run.transcript(&project));
    let run = project.run(&["lock", "--locked"]).expect(1);
    insta::assert_snapshot!("locked_lock_would_move", run.transcript(&project));
    assert_eq!(project.read("contract-guard.lock"), lock);
}

// Item 6: Swagger 2.0 contracts get one clear message and exit 3 from every command that
// cannot handle them.

#[test]
fn swagger_2_contracts_get_the_same_message_and_exit_3_everywhere() {
    let project = Project::single("app");
    project.write("specs/legacy.yaml", SWAGGER2);
    project
        .run(&["add", "legacy", "specs/legacy.yaml"])
        .expect(0);
    project.run(&["check", "--locked"]).expect(0);
    let run = project.run(&["generate"]).expect(0);
    insta::assert_snapshot!("swagger2_generate_all", run.transcript(&project));
    // The same message and fix from each command, and no internal file (`target/`) named.
    for args in [
        &["generate", "legacy"][..],
        &["diff", "legacy"],
        &["diff", "specs/legacy.yaml", "specs/legacy.yaml"],
        &["update", "legacy"],
    ] {
        let run = project.run(args).expect(3);
        let name = args.join("_").replace(['/', '.'], "-");
        insta::assert_snapshot!(format!("swagger2_{name}"), run.transcript(&project));
    }
    let run = project
        .run(&["diff", "legacy", "--message-format", "markdown"])
        .expect(3);
    insta::assert_snapshot!("swagger2_diff", run.stderr);

    // A moved 2.0 pin is drift like any other, with a fix that works for 2.0 (not `update`).
    project.write("specs/legacy.yaml", &SWAGGER2.replace("1.0.0", "1.0.1"));
    let run = project.run(&["check"]).expect(1);
    insta::assert_snapshot!("swagger2_moved_pin", run.transcript(&project));
    project.run(&["lock"]).expect(0);

    declare_output(&project);
    let run = project.run(&["generate"]).expect(3);
    insta::assert_snapshot!("swagger2_generate_output", run.transcript(&project));
    let run = project.run(&["check"]).expect(2);
    insta::assert_snapshot!("swagger2_check_output", run.transcript(&project));
    assert!(!project.path("src/legacy.rs").exists());
}

fn declare_output(project: &Project) {
    let text = project.read("Cargo.toml");
    project.write(
        "Cargo.toml",
        &text.replace(
            "spec = \"specs/legacy.yaml\"",
            "spec = \"specs/legacy.yaml\"\noutput = \"src/legacy.rs\"",
        ),
    );
}

// The Action skipping Swagger 2.0 diffs with a notice is run (not read) in
// `adoption::action_skips_swagger_2_diffs_with_a_notice`.

// Item 7: cross-crate drift of specs without `servers`.

fn two_crates_pinning_payments(a: &str, b: &str) -> Project {
    let project = Project::workspace(&["billing", "shop"]);
    project.write("crates/billing/specs/payments.yaml", &payments(a, false));
    project.write("crates/shop/specs/payments.yaml", &payments(b, true));
    for krate in ["billing", "shop"] {
        declare(
            &project,
            &format!("crates/{krate}/Cargo.toml"),
            "[package.metadata.contract-guard.contracts.payments]\nspec = \"specs/payments.yaml\"\n",
        );
    }
    project.run(&["lock"]).expect(0);
    project
}

#[test]
fn cross_crate_drift_without_servers_names_the_newer_pin_and_the_diff() {
    let project = two_crates_pinning_payments("1.2.0", "1.10.0");
    let run = project
        .run(&["check", "--message-format", "json"])
        .expect(1);
    insta::assert_snapshot!("cross_crate_no_servers", run.stdout);
    let run = project.run(&["check"]).expect(1);
    insta::assert_snapshot!("cross_crate_newer_pin", run.transcript(&project));
    // The command it names runs, and shows the added path.
    let run = project
        .run(&["diff", "billing/payments", "shop/payments", "--verbose"])
        .expect(0);
    insta::assert_snapshot!("cross_crate_diff", run.transcript(&project));
}

#[test]
fn cross_crate_drift_says_when_the_newer_pin_is_unknown() {
    let project = two_crates_pinning_payments("2024-01", "2024-06");
    let run = project.run(&["check"]).expect(1);
    insta::assert_snapshot!("cross_crate_newer_unknown", run.transcript(&project));
}

// Item 8: cargo's conventions.

fn two_members_with_contracts() -> Project {
    let project = Project::workspace(&["billing", "shop"]);
    for krate in ["billing", "shop"] {
        project.copy_fixture("mini.yaml", &format!("crates/{krate}/specs/mini.yaml"));
        declare(
            &project,
            &format!("crates/{krate}/Cargo.toml"),
            &format!(
                "[package.metadata.contract-guard.contracts.{krate}-api]\nspec = \"specs/mini.yaml\"\n"
            ),
        );
    }
    project.run(&["lock"]).expect(0);
    project
}

fn listed(run: &crate::support::Run) -> Vec<&str> {
    run.stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect()
}

#[test]
fn package_takes_package_id_specs() {
    let project = two_members_with_contracts();
    let dir = project.path("crates/shop");
    let url = format!("path+file://{}#shop@0.1.0", dir.display());
    for spec in ["shop", "shop@0.1.0", "shop@0", "shop@0.1", url.as_str()] {
        let run = project.run(&["status", "-p", spec]).expect(0);
        assert_eq!(listed(&run), ["shop/shop-api"], "{spec}");
    }
    let run = project.run(&["status", "-p", "shop@0.2"]).expect(2);
    insta::assert_snapshot!("package_not_a_member", run.transcript(&project));
    let run = project.run(&["status", "-p", "shop@x"]).expect(2);
    insta::assert_snapshot!("package_invalid_spec", run.transcript(&project));
    let run = project
        .run(&["status", "--exclude", "billing@0.1.0"])
        .expect(0);
    assert_eq!(listed(&run), ["shop/shop-api"]);
}

#[test]
fn a_member_directory_selects_that_member_unless_workspace() {
    let project = two_members_with_contracts();
    let root = project.run(&["status"]).expect(0);
    assert_eq!(listed(&root), ["billing/billing-api", "shop/shop-api"]);
    let member = project.path("crates/shop/src");
    let run = run_in(&member, &["status"]).expect(0);
    assert_eq!(listed(&run), ["shop/shop-api"]);
    let run = run_in(&member, &["status", "--workspace"]).expect(0);
    assert_eq!(listed(&run), ["billing/billing-api", "shop/shop-api"]);
    let run = run_in(&member, &["check"]).expect(0);
    insta::assert_snapshot!("member_check", run.transcript(&project));
    // A member without contracts says so rather than passing silently on nothing.
    project.write(
        "crates/docs/Cargo.toml",
        "[package]\nname = \"docs\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    project.write("crates/docs/src/lib.rs", "");
    let manifest = project.read("Cargo.toml");
    project.write(
        "Cargo.toml",
        &manifest.replace("\"crates/shop\"", "\"crates/shop\", \"crates/docs\""),
    );
    let run = run_in(&project.path("crates/docs"), &["check"]).expect(0);
    insta::assert_snapshot!("member_without_contracts", run.transcript(&project));
}

#[test]
fn cargo_term_color_is_honoured_and_color_overrides_it() {
    let project = two_members_with_contracts();
    // Targeted, not snapshots: the escape sequences are the styling library's choice.
    let env = [("CARGO_TERM_COLOR", "always")];
    let colored = run_with_env(project.dir.path(), &["check"], &env).expect(0);
    assert!(colored.stderr.contains("\u{1b}["), "{}", colored.stderr);
    let plain = run_with_env(project.dir.path(), &["check", "--color", "never"], &env).expect(0);
    assert!(!plain.stderr.contains('\u{1b}'), "{}", plain.stderr);
    let never = [("CARGO_TERM_COLOR", "never")];
    let forced =
        run_with_env(project.dir.path(), &["check", "--color", "always"], &never).expect(0);
    assert!(forced.stderr.contains("\u{1b}["), "{}", forced.stderr);
    let bad = run_with_env(
        project.dir.path(),
        &["check"],
        &[("CARGO_TERM_COLOR", "sometimes")],
    )
    .expect(2);
    insta::assert_snapshot!("color_env_invalid", bad.transcript(&project));
}

#[test]
fn diff_takes_message_format_like_every_command_and_keeps_format() {
    let project = Project::empty();
    project.copy_fixture("mini.yaml", "old.yaml");
    project.copy_fixture("mini.yaml", "new.yaml");
    let long = project
        .run(&["diff", "old.yaml", "new.yaml", "--message-format", "json"])
        .expect(0);
    let alias = project
        .run(&["diff", "old.yaml", "new.yaml", "--format", "json"])
        .expect(0);
    assert!(long.stdout.starts_with('{'), "{}", long.stdout);
    assert_eq!(long.stdout, alias.stdout);
}

/// Targeted claims: the whole of each `--help` is a snapshot in `help.rs`.
#[test]
fn help_says_what_is_true() {
    let project = Project::empty();
    for command in ["fingerprint", "inspect"] {
        let run = project.run(&[command, "--help"]).expect(0);
        assert!(
            !run.stdout.contains("--package"),
            "{command}: {}",
            run.stdout
        );
    }
    let run = project.run(&["check", "--help"]).expect(0);
    assert_has(&run.stdout, "`check` never writes the lock");
    assert!(
        !run.stdout.contains("instead of changing"),
        "{}",
        run.stdout
    );
}
