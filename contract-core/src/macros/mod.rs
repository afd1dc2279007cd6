//! What the proc macros of `contract-macros` expand to, testable without rustc: the macro
//! crate parses nothing and decides nothing itself.
//!
//! - [`locate`]: finding the contract a macro names, from the crate's manifest and the lock;
//! - [`guard`]: `verify_generated!`, the check every generated client carries;
//! - `client` (feature `generate`): `client!`, a client generated at compile time;
//! - [`reported`]: one stale-pin error per crate, however many macros see it.
//!
//! `#[schema]` expands through [`crate::gates::schema_check`].

#[cfg(feature = "generate")]
pub mod client;
pub mod guard;
pub mod locate;
pub mod reported;
