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
mod update;
mod verify_binary;

use contract_core::workspace::Workspace;

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
    }
}

/// Loads the workspace named by `--manifest-path` (or around the current directory).
fn load_workspace(ws: &WorkspaceArgs) -> Result<Workspace, crate::error::CliError> {
    Ok(Workspace::load(ws.manifest.manifest_path.as_deref())?)
}
