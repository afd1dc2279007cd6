//! # contract-core
//!
//! Everything cargo-contract-guard and contract-macros do, as a library that can be tested
//! without rustc or a terminal. The modules follow the pipeline:
//!
//! 1. [`spec`]: load a JSON or YAML OpenAPI document safely, detect its version, resolve and
//!    bundle its references, and fingerprint it ([`spec::canonical`]: RFC 8785 canonical JSON
//!    and the `sha256:` fingerprint); [`spec::cache`] keeps copies of pinned specs.
//! 2. [`project`]: the cargo workspace, the contracts it declares, `contract-guard.lock` and
//!    the pins in it, and edits to Cargo.toml.
//! 3. [`codegen`]: OpenAPI 3.1 → 3.0 lowering, the normalisation rewrites (each reported as a
//!    [`codegen::note::Note`]), and clients generated with progenitor.
//! 4. [`gates`]: the drift gate (`check`), `#[schema]`'s comparison, classified spec diffs,
//!    and the contract records embedded in binaries.
//! 5. [`report`]: SARIF, GitHub annotations, the wording of fixes, and text diffs.
//!
//! [`macros`] holds what the proc macros expand to; [`util`] the file I/O, path confinement
//! and hashing every stage uses. Library errors are [`Error`]; the CLI and the macros render
//! them.
//!
//! Dependency choices: YAML is read with `serde-saphyr` (maintained, no unsafe code, budgets
//! against alias bombs and deep nesting; `serde_yaml` is deprecated and `serde_yml` is flagged
//! by RUSTSEC-2025-0068); canonical JSON is `serde_json_canonicalizer` (RFC 8785).

#![deny(missing_docs)]

pub mod codegen;
pub mod gates;
pub mod project;
pub mod report;
pub mod spec;

pub mod error;
pub mod macros;
pub mod util;

pub use error::{Error, Result};
pub use util::hash::Sha256Digest;
