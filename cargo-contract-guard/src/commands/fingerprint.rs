//! `fingerprint <SPEC>`: one line, `sha256:<hex>`.

use crate::cli::FingerprintArgs;
use crate::error::CliResult;
use crate::exit;

pub fn run(args: &FingerprintArgs) -> CliResult {
    let spec = contract_core::spec::load(&args.spec)?;
    println!("{}", spec.fingerprint);
    Ok(exit::OK)
}
