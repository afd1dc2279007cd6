//! `--help` of the tool and of every command, as snapshots: a change to an option, a default
//! or a description shows up in review next to the command reference (`docs/src/commands.md`)
//! it must agree with. Rendered at a fixed width (`COLUMNS=100`), colour off.

use crate::support::{Project, run_with_env};

const COMMANDS: &[&str] = &[
    "fingerprint",
    "add",
    "lock",
    "status",
    "generate",
    "check",
    "inspect",
    "verify-binary",
    "diff",
    "update",
];

fn help(args: &[&str]) -> String {
    let project = Project::empty();
    let run = run_with_env(&project.path("."), args, &[("COLUMNS", "100")]).expect(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    run.stdout
}

#[test]
fn help_of_the_tool_and_every_command() {
    let top = help(&["--help"]);
    for command in COMMANDS {
        assert!(
            top.contains(&format!("  {command} ")),
            "`{command}` is listed:\n{top}"
        );
    }
    insta::assert_snapshot!("help", top);
    for command in COMMANDS {
        insta::assert_snapshot!(format!("help_{command}"), help(&[command, "--help"]));
    }
}
