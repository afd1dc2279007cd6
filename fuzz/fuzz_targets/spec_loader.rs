//! Spec loader + canonicaliser: arbitrary bytes (as JSON or YAML) must load or fail with an
//! error, never panic, overflow or hang; a document that loads must fingerprint the same when
//! re-rendered as compact JSON, and its keys must be located on lines of the file.
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

    // Every key of the top two levels is on a line of the file.
    let text = String::from_utf8_lossy(data);
    let mut pointers = Vec::new();
    if let Some(top) = spec.document.as_object() {
        for (key, value) in top {
            let pointer = contract_core::util::json_pointer::child("", key);
            if let Some(inner) = value.as_object() {
                pointers.extend(inner.keys().map(|k| contract_core::util::json_pointer::child(&pointer, k)));
            }
            pointers.push(pointer);
        }
    }
    let refs: Vec<&str> = pointers.iter().map(String::as_str).collect();
    // YAML breaks lines at CR and LF alike: an upper bound.
    let lines = text.matches(['\n', '\r']).count() + 1;
    for line in contract_core::spec::pointer_lines(&text, &refs).into_iter().flatten() {
        assert!((1..=lines).contains(&line), "line {line} of {lines}");
    }
});
