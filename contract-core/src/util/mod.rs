//! Utilities every stage uses: bounded, atomic file I/O ([`fsio`]), paths confined to a root
//! ([`paths`]), SHA-256 digests ([`hash`]), and JSON pointers ([`json_pointer`]).

pub mod fsio;
pub mod hash;
pub mod json_pointer;
pub mod paths;
