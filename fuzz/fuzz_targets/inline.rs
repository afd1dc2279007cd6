//! Inlining other files: the input split at NUL bytes into a spec and two files it may refer
//! to (`a.yaml`, `sub/b.yaml`), written to a temporary directory. Loading the spec and inlining
//! what it references must not panic and must stay within its budgets; the document inlined
//! from the files must be the one read back from the fingerprinted bundle (what the spec cache
//! stores), up to canonical JSON (which writes `3.0` as `3`).
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const FILES: [&str; 3] = ["spec.yaml", "a.yaml", "sub/b.yaml"];

fn workdir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        dir
    })
    .path()
}

fuzz_target!(|data: &[u8]| {
    let dir = workdir();
    let mut parts = data.splitn(FILES.len(), |&b| b == 0);
    for file in FILES {
        let path = dir.join(file);
        match parts.next() {
            Some(bytes) => std::fs::write(&path, bytes).unwrap(),
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    let spec_path = dir.join(FILES[0]);
    let Ok(loaded) = contract_core::spec::load_in(&spec_path, dir) else { return };
    let inlined = loaded.single_document();
    let from_files = contract_core::spec::parse_file_inlined(&spec_path, dir);
    let bytes = contract_core::spec::canonical::canonical_json(&loaded.fingerprinted_value()).unwrap();
    let from_bundle = contract_core::spec::parse_fingerprinted(Path::new("cache.json"), &bytes);
    match (&inlined, &from_files) {
        (Ok(a), Ok(b)) => assert_eq!(a.as_ref(), &b.document),
        (Err(_), Err(_)) => {}
        _ => panic!("inlining a loaded spec and the same files disagree"),
    }
    if let (Ok(a), Ok(b)) = (&inlined, &from_bundle) {
        let canonical = |v: &serde_json::Value| contract_core::spec::canonical::canonical_json(v).unwrap();
        assert_eq!(canonical(a), canonical(&b.document), "the bundle inlines to another document");
    }
});
