//! What the proc macros of `contract-macros` expand to, testable without rustc: the macro
//! crate parses nothing and decides nothing itself.
//!
//! - [`locate`]: finding the contract a macro names, from the crate's manifest and the lock;
//! - [`guard`]: `verify_generated!`, the check every generated client carries;
//! - [`embed`]: `embed!` and `fingerprint!`, a pinned contract's record and fingerprint;
//! - `client` (feature `generate`): `client!`, a client generated at compile time, and
//!   `client_cache`, the verified cache of its expansion under the target directory;
//! - [`reported`]: one stale-pin error per crate, however many macros see it;
//! - [`target_dir`]: the target directory, and the stamps of spec files already hashed.
//!
//! `#[schema]` expands through [`crate::gates::schema_check`].

#[cfg(feature = "generate")]
pub mod client;
#[cfg(feature = "generate")]
pub mod client_cache;
pub mod embed;
pub mod guard;
pub mod locate;
pub mod reported;
pub mod target_dir;

/// Where a macro of the UI-test fixture crate (`contract-macros/tests/ui`) runs: its contracts
/// `pets` and `store` are pinned, `stale`'s spec has moved from its pin.
#[cfg(test)]
pub(crate) fn ui_fixture_env() -> locate::MacroEnv {
    let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../contract-macros/tests/ui");
    locate::MacroEnv {
        source_file: Some(ui.join("pass/client.rs")),
        manifest_dir: None,
        crate_name: None,
        out_dir: None,
        target_dir_env: None,
    }
}
