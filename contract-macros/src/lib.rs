//! # contract-macros
//!
//! Compile-time guards for cargo-contract-guard. A thin shell: parsing the invocation and
//! turning errors into spanned `compile_error!`s; the work is done by `contract-core`.

#![deny(missing_docs)]
