//! What a change of a string's `pattern` means: whether the new pattern accepts the same
//! strings as the old one, fewer, more, or different ones. Both are ECMA-262 patterns, which
//! match anywhere in the string (JSON Schema); each is translated to the Rust syntax, compiled
//! to a DFA of the strings that contain a match, and the two DFAs are walked together. Patterns
//! a DFA cannot express (back-references, look-around) or that grow past a size bound are not
//! judged.

#[cfg(feature = "patterns")]
mod dfa;

/// How the strings one pattern accepts relate to another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The same strings.
    Same,
    /// The new pattern accepts a subset of the old one's strings.
    Narrower,
    /// The new pattern accepts a superset.
    Wider,
    /// Each accepts strings the other refuses.
    Different,
}

/// How `new` relates to `old`; `None` when either cannot be judged (syntax a DFA cannot
/// express, a DFA too large, or this build without the `patterns` feature). Remembered per
/// thread: a spec that changes one shared pattern changes it in many schemas.
pub fn relation(old: &str, new: &str) -> Option<Relation> {
    #[cfg(feature = "patterns")]
    {
        use std::cell::RefCell;
        use std::collections::HashMap;

        /// Pairs remembered before the memo starts over (bounds its memory).
        const MEMO_PAIRS: usize = 1024;
        type Memo = HashMap<(String, String), Option<Relation>>;
        thread_local!(static MEMO: RefCell<Memo> = RefCell::new(HashMap::new()));

        let key = (old.to_string(), new.to_string());
        if let Some(known) = MEMO.with(|memo| memo.borrow().get(&key).copied()) {
            return known;
        }
        let judged = dfa::relation(old, new);
        MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            if memo.len() >= MEMO_PAIRS {
                memo.clear();
            }
            memo.insert(key, judged);
        });
        judged
    }
    #[cfg(not(feature = "patterns"))]
    {
        let _ = (old, new);
        None
    }
}
