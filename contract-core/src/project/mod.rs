//! The project: the cargo workspace, the contracts its crates declare, and the state this tool
//! keeps for them.
//!
//! - [`workspace`] and [`contract`]: the crates and the `[package.metadata.contract-guard]`
//!   tables they declare ([`settings`] for generation, [`selection`] for its `operations`,
//!   [`manifest_keys`] for the allowed keys, [`pkgid`] for naming a crate, [`artifact`] for the
//!   files of other runtimes generated from a contract);
//! - [`lock`] and [`pin`]: `contract-guard.lock`, what `status` reports and `lock` changes;
//! - [`manifest`]: edits to Cargo.toml that keep the rest of the file intact;
//! - [`workspace_lock`]: one command at a time per target directory.

pub mod artifact;
pub mod contract;
pub mod lock;
pub mod manifest;
pub mod manifest_keys;
pub mod pin;
pub mod pkgid;
pub mod selection;
pub mod settings;
pub mod workspace;
pub mod workspace_lock;
