//! `cargo contract-guard`: see the library crate for the commands.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(cargo_contract_guard::run(std::env::args_os()))
}
