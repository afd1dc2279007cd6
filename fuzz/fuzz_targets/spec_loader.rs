//! Spec loader + canonicaliser: arbitrary bytes (as JSON or YAML) must load or fail with an
//! error, never panic, overflow or hang; a document that loads must fingerprint the same when
//! re-rendered as compact JSON.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn sandbox() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temporary directory")).path()
}

fuzz_target!(|data: &[u8]| {
    let path = sandbox().join("spec.yaml");
    let Ok(spec) = contract_core::spec::load_bytes_in(&path, data, sandbox()) else {
        return;
    };
    if !spec.external_files.is_empty() {
        return;
    }
    let compact = serde_json::to_vec(&spec.document).expect("a loaded document serializes");
    let again = contract_core::spec::load_bytes_in(&path, &compact, sandbox())
        .expect("a loaded document, rendered as JSON, loads again");
    assert_eq!(spec.fingerprint, again.fingerprint, "re-rendering changed the fingerprint");
});
