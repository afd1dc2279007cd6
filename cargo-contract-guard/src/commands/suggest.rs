//! `suggest [NAME...]`: the operations of each generated client the crate calls, and the
//! `operations = [...]` line that selects exactly them.

use contract_core::codegen::suggest;
use contract_core::project::contract::Contract;

use crate::cli::SuggestArgs;
use crate::error::{CliError, CliResult};
use crate::{exit, ui};

pub fn run(args: &SuggestArgs) -> CliResult {
    let workspace = super::load_workspace(&args.ws)?;
    let selected = workspace.selected_contracts(&args.ws.selection(&workspace)?, &args.names)?;
    let Some(with_output) = super::generate::with_output(&workspace, selected, &args.names, true)?
    else {
        return Ok(exit::OK);
    };
    for contract in with_output {
        suggest_one(contract)?;
    }
    Ok(exit::OK)
}

fn suggest_one(contract: &Contract) -> Result<(), CliError> {
    let output = contract.output.as_ref().expect("contracts with an output");
    let display = contract.display_name();
    let spec = contract.load_spec()?;
    if !spec.version.generates() {
        return Err(contract_core::Error::Swagger2 {
            spec: contract.spec_rel.clone(),
            action: "suggest operations of",
        }
        .into());
    }
    let document = spec.single_document()?;
    let names = suggest::method_names(&document, &spec.version);
    let found = suggest::find_calls(&output.owner_dir, &output.path, &names)?;
    for file in &found.unparsed {
        ui::status(
            ui::WARN,
            "Skipped",
            format!(
                "`{}`: not valid Rust, its calls are not counted",
                ui::printable(file)
            ),
        );
    }
    for called in &found.called {
        ui::status(
            ui::GOOD,
            "Calls",
            format!(
                "{} (`{}`, {} call(s), first at {})",
                ui::printable(&called.entry),
                called.method,
                called.calls,
                ui::printable(&called.first_call)
            ),
        );
    }
    if found.called.is_empty() {
        ui::status(
            ui::WARN,
            "Unused",
            format!(
                "{display}: no call to any of the client's {} operation(s) in {} Rust file(s); nothing to select",
                found.operations, found.files
            ),
        );
        return Ok(());
    }
    ui::status(
        ui::GOOD,
        "Suggested",
        format!(
            "{display}: {} of {} operation(s) called in {} Rust file(s); add this line to its table in `{}`:",
            found.called.len(),
            found.operations,
            found.files,
            contract_core::util::paths::relative_slash(&contract.root, &contract.manifest_path)
        ),
    );
    println!("{}", ui::printable(&found.option_line()));
    Ok(())
}
