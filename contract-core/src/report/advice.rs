//! The fix each problem gets, worded once: `check`'s findings, `generate`'s refusals and the
//! macros' compile errors give the same advice (and `docs/src/check.md` documents it).
//!
//! - a spec that moved from its pin: `update`, which shows the diff, refuses breaking changes
//!   unless told, then re-pins and regenerates in one step (`lock` + `generate` re-pin without
//!   the review);
//! - a client generated from another spec than the one pinned now: `generate`;
//! - a generated file edited by hand: `generate --force`, after moving the change into the spec.

/// A spec that no longer matches its pin.
pub fn spec_moved(name: &str) -> String {
    format!(
        "review the change and move the pin with `cargo contract-guard update {name}` (it shows \
         the diff, then re-pins and regenerates)"
    )
}

/// A Swagger 2.0 spec that no longer matches its pin: `update` cannot diff it.
pub fn swagger2_moved() -> String {
    "review the change by hand (Swagger 2.0 specs cannot be diffed), then move the pin with \
     `cargo contract-guard lock`"
        .into()
}

/// A generated client made from another spec than the one pinned now.
pub fn regenerate(name: &str) -> String {
    format!("run `cargo contract-guard generate {name}`")
}

/// A generated file edited by hand.
pub fn hand_edited(name: &str, file: &str) -> String {
    format!(
        "make lasting changes in the spec or the generator options, then run \
         `cargo contract-guard generate {name} --force` (it keeps the edited file as `{file}.orig`)"
    )
}
