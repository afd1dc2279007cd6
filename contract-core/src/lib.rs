//! # contract-core
//!
//! Everything cargo-contract-guard and contract-macros do, as a library that can be tested
//! without rustc or a terminal:
//!
//! - [`spec`]: load a JSON or YAML OpenAPI document safely and detect its version;
//! - [`canonical`]: RFC 8785 canonical JSON and the `sha256:` fingerprint built on it;
//! - [`contract`] and [`workspace`]: the contracts a cargo workspace declares;
//! - [`lock`] and [`pin`]: `contract-guard.lock`, `status` and `lock`;
//! - [`manifest`]: edits to Cargo.toml that keep the rest of the file intact;
//! - [`generate`] and [`check`]: clients generated with progenitor, and the drift gate;
//! - [`record`]: contract records embedded in binaries, and reading them back;
//! - [`diff`] and [`spec_cache`]: classified spec changes, and the copies of pinned specs they
//!   are computed from;
//! - [`lower`] and [`normalize`]: OpenAPI 3.1 → 3.0 and the rewrites real-world specs need
//!   before the generator takes them, each reported as a [`note::Note`].
//!
//! Library errors are [`Error`]; the CLI and the macros render them.
//!
//! Dependency choices: YAML is read with `serde-saphyr` (maintained, no unsafe code, budgets
//! against alias bombs and deep nesting; `serde_yaml` is deprecated and `serde_yml` is flagged
//! by RUSTSEC-2025-0068); canonical JSON is `serde_json_canonicalizer` (RFC 8785).

#![deny(missing_docs)]

pub mod canonical;
pub mod check;
#[cfg(feature = "generate")]
pub mod client_macro;
pub mod contract;
pub mod diff;
pub mod error;
pub mod fsio;
pub mod generate;
pub mod guard;
pub mod hash;
pub mod locate;
pub mod lock;
pub mod lower;
pub mod manifest;
pub mod manifest_keys;
#[cfg(feature = "generate")]
pub mod normalize;
pub mod note;
pub mod paths;
pub mod pin;
pub mod pkgid;
pub mod record;
pub mod report;
pub mod schema_check;
pub mod settings;
pub mod spec;
pub mod spec_cache;
pub mod workspace;
pub mod workspace_lock;

pub use error::{Error, Result};
pub use hash::Sha256Digest;
