//! The references measured in this binary's own process (called as hidden subcommands, so they
//! are timed as subprocesses exactly like the tool): the parse-and-hash floor of row 1 and plain
//! progenitor for row 3.

use std::process::ExitCode;

use sha2::{Digest, Sha256};

/// `floor <SPEC>`: parse the file with serde_json and hash its bytes, nothing else.
pub fn floor(args: &[String]) -> ExitCode {
    let Some(path) = args.first() else {
        eprintln!("usage: floor <SPEC>");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("cannot read `{path}`: {e}");
            return ExitCode::from(2);
        }
    };
    let digest = Sha256::digest(&bytes);
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(value) => {
            // Use both results so neither can be optimised away.
            println!("{} {}", digest.len(), value.is_object());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("invalid JSON in `{path}`: {e}");
            ExitCode::from(2)
        }
    }
}

/// `progenitor <SPEC> <OUT>`: what plain progenitor does with a spec, the steps our codegen
/// takes (serde_json → openapiv3 → `generate_tokens` → syn → prettyplease), written to `OUT`.
pub fn progenitor(args: &[String]) -> ExitCode {
    let [spec, out] = args else {
        eprintln!("usage: progenitor <SPEC> <OUT>");
        return ExitCode::from(2);
    };
    match generate(spec, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn generate(spec: &str, out: &str) -> Result<(), String> {
    let bytes = std::fs::read(spec).map_err(|e| format!("cannot read `{spec}`: {e}"))?;
    let openapi: openapiv3::OpenAPI =
        serde_json::from_slice(&bytes).map_err(|e| format!("not OpenAPI 3.0: {e}"))?;
    let mut generator = progenitor::Generator::new(&progenitor::GenerationSettings::default());
    let tokens = generator
        .generate_tokens(&openapi)
        .map_err(|e| format!("progenitor: {e}"))?;
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("invalid Rust: {e}"))?;
    std::fs::write(out, prettyplease::unparse(&file)).map_err(|e| format!("cannot write: {e}"))
}
