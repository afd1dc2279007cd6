//! The structural diff: two arbitrary documents (the input split at the first NUL byte, each
//! parsed as JSON or YAML) must diff without panicking, and a document diffed with itself must
//! show no change.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (old, new) = (&data[..split], data.get(split + 1..).unwrap_or(&[]));
    let path = Path::new("fuzz.yaml");
    let Ok(old) = contract_core::spec::parse_bytes(path, old) else { return };
    let new = contract_core::spec::parse_bytes(path, new).map(|s| s.document).unwrap_or_else(|_| old.document.clone());
    let report = contract_core::gates::diff::diff(&old.document, &new, &Default::default());
    let _ = report.findings.len();
    let same = contract_core::gates::diff::compare(&old.document, &old.document);
    assert!(same.is_empty(), "a document differs from itself: {:?}", same.first());
});
