//! One module per subcommand; `dispatch` routes to them.

mod add;
mod check;
mod diff;
pub mod fatal;
mod fingerprint;
mod generate;
mod inspect;
mod lock;
mod status;
mod suggest;
mod update;
mod verify_binary;

use contract_core::project::workspace::{LOCK_FILE_NAME, Workspace};
use contract_core::project::workspace_lock::WorkspaceLock;

use crate::cli::{Command, WorkspaceArgs};
use crate::error::CliResult;

/// Runs a parsed command.
pub fn dispatch(command: Command) -> CliResult {
    match command {
        Command::Fingerprint(args) => fingerprint::run(&args),
        Command::Add(args) => add::run(&args),
        Command::Lock(args) => lock::run(&args),
        Command::Status(args) => status::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::VerifyBinary(args) => verify_binary::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Update(args) => update::run(&args),
        Command::Suggest(args) => suggest::run(&args),
    }
}

/// Loads the workspace named by `--manifest-path` (or around the current directory).
fn load_workspace(ws: &WorkspaceArgs) -> Result<Workspace, crate::error::CliError> {
    Ok(Workspace::load(ws.manifest.manifest_path.as_deref())?)
}

/// Takes the workspace's lock for a command that changes `contract-guard.lock`, saying so when
/// it has to wait for another run. Held until the returned guard is dropped.
fn lock_workspace(workspace: &Workspace) -> Result<WorkspaceLock, crate::error::CliError> {
    Ok(WorkspaceLock::acquire(workspace, || {
        crate::ui::status(
            crate::ui::HELP,
            "Blocking",
            format!("waiting for file lock on `{LOCK_FILE_NAME}`"),
        );
    })?)
}

/// When the selection (`-p`, or the member around the current directory) holds no contract
/// but the workspace declares some: a warning saying so, so that a gate run in the wrong
/// directory does not pass silently on nothing.
fn warn_if_narrowed_to_nothing(
    workspace: &Workspace,
    selection: &contract_core::project::workspace::Selection,
    selected: usize,
) -> bool {
    if selected > 0 || selection.packages.is_empty() || workspace.contracts.is_empty() {
        return false;
    }
    crate::ui::status(
        crate::ui::WARN,
        "Warning",
        format!(
            "no contract in the selected package(s) `{}`; the workspace declares {}: `--workspace` selects every member",
            selection.packages.join("`, `"),
            workspace.contracts.len()
        ),
    );
    true
}
