//! Utilities every stage uses: bounded, atomic file I/O ([`fsio`]), paths confined to a root
//! ([`paths`]), SHA-256 digests ([`hash`]), JSON pointers ([`json_pointer`]), and near-miss
//! names for "did you mean" ([`names`]), and hashes of generated files and folders ([`tree`]).

pub mod fsio;
pub mod hash;
pub mod json_pointer;
pub mod names;
pub mod paths;
pub mod tree;
