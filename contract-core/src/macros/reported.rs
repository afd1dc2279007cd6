//! One compile error per moved spec per crate. A crate with a generated client and three
//! `#[schema]` types for one contract runs four macros that each find the spec moved from its
//! pin; the first to find it reports it, and since one error fails the crate the others add
//! none (they report their own field errors again once the spec matches its pin).
//!
//! Leaving the later ones silent is only safe where one process compiles one crate: rustc, and
//! clippy-driver (which is rustc). Any other process (rust-analyzer's long-lived macro server,
//! rustdoc compiling doctests in one process) has every invocation report: a redundant error
//! there, never a missing one. Which invocation reports is rustc's expansion order, the same on
//! every build.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::util::hash::Sha256Digest;

type Key = (String, PathBuf, Sha256Digest);

/// Whether this invocation is the one to report that contract `contract`'s spec `spec` no
/// longer has the fingerprint the code was made from: it now has `now`. `false` means an
/// earlier macro of this crate's compilation reported it, so this one must not pass either, but
/// need not say it again.
pub fn first_report(contract: &str, spec: &Path, now: Sha256Digest) -> bool {
    static REPORTED: OnceLock<Mutex<HashSet<Key>>> = OnceLock::new();
    let key = (
        contract.to_string(),
        crate::util::paths::normalize(spec),
        now,
    );
    first_in(
        REPORTED.get_or_init(Default::default),
        one_crate_per_process(),
        key,
    )
}

fn first_in(reported: &Mutex<HashSet<Key>>, one_crate_per_process: bool, key: Key) -> bool {
    if !one_crate_per_process {
        return true;
    }
    // A poisoned set cannot say what was reported: report again.
    reported.lock().map_or(true, |mut seen| seen.insert(key))
}

/// Whether this process compiles a single crate (rustc or clippy-driver).
fn one_crate_per_process() -> bool {
    static ONE: OnceLock<bool> = OnceLock::new();
    *ONE.get_or_init(|| {
        std::env::current_exe().is_ok_and(|exe| {
            exe.file_stem()
                .is_some_and(|stem| stem == "rustc" || stem == "clippy-driver")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(contract: &str, now: &[u8]) -> Key {
        (
            contract.into(),
            PathBuf::from("/w/specs/a.yaml"),
            Sha256Digest::of(now),
        )
    }

    #[test]
    fn rustc_reports_each_moved_spec_once() {
        let set = Mutex::default();
        assert!(first_in(&set, true, key("a", b"v2")));
        assert!(!first_in(&set, true, key("a", b"v2")), "said already");
        assert!(first_in(&set, true, key("b", b"v2")), "another contract");
        assert!(
            first_in(&set, true, key("a", b"v3")),
            "the spec moved again"
        );
    }

    #[test]
    fn other_processes_report_every_time() {
        let set = Mutex::default();
        assert!(first_in(&set, false, key("a", b"v2")));
        assert!(first_in(&set, false, key("a", b"v2")));
        // This test binary is not rustc.
        assert!(!one_crate_per_process());
        assert!(first_report(
            "a",
            Path::new("/w/a.yaml"),
            Sha256Digest::of(b"x")
        ));
        assert!(first_report(
            "a",
            Path::new("/w/a.yaml"),
            Sha256Digest::of(b"x")
        ));
    }
}
