//! Comparing two `pattern`s by the strings they accept: any two strings (the input split at the
//! first NUL byte) must be judged or declined without panicking, a pattern is the same as
//! itself, and the judgement read backwards is its mirror.
#![no_main]

use contract_core::gates::diff::pattern::{Relation, relation};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (old, new) = text.split_once('\0').unwrap_or((text, text));
    let forward = relation(old, new);
    if let Some(same) = relation(old, old) {
        assert_eq!(same, Relation::Same, "{old:?} differs from itself");
    }
    let mirror = |r: Relation| match r {
        Relation::Narrower => Relation::Wider,
        Relation::Wider => Relation::Narrower,
        other => other,
    };
    assert_eq!(relation(new, old), forward.map(mirror), "{old:?} vs {new:?}");
});
