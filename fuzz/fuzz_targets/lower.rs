//! OpenAPI 3.1 lowering and normalisation for the generator: any document that parses must be
//! prepared without panicking, and preparing is deterministic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(spec) = contract_core::spec::parse_bytes(Path::new("fuzz.yaml"), data) else {
        return;
    };
    let first = contract_core::codegen::normalize::for_generator(&spec.document, &spec.version);
    let second = contract_core::codegen::normalize::for_generator(&spec.document, &spec.version);
    assert_eq!(first.document, second.document, "preparation is deterministic");
});
