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
/// express, a DFA too large, or this build without the `patterns` feature).
pub fn relation(old: &str, new: &str) -> Option<Relation> {
    #[cfg(feature = "patterns")]
    return dfa::relation(old, new);
    #[cfg(not(feature = "patterns"))]
    {
        let _ = (old, new);
        None
    }
}
