//! The gates: what stops drift from shipping.
//!
//! - [`check`]: generated clients are fresh, unedited and built from the pinned specs;
//! - [`schema_check`]: a hand-written type matches its schema (`#[schema]`);
//! - [`diff`]: a spec change, classified (breaking, security, info) for review;
//! - [`record`]: contract records embedded in binaries, and checking them against the lock.

pub mod check;
pub mod diff;
pub mod record;
pub mod schema_check;
