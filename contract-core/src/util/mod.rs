//! Utilities every stage uses: bounded, atomic file I/O ([`fsio`]), paths confined to a root
//! ([`paths`]), and SHA-256 digests ([`hash`]).

pub mod fsio;
pub mod hash;
pub mod paths;
