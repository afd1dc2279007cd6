//! Compile-time diagnostics of `#[schema]`: each `tests/ui/fail/<case>.rs` must fail with
//! exactly the errors in its `.stderr` (they document every diagnostic), and every
//! `tests/ui/pass/*.rs` must compile. Set `TRYBUILD=overwrite` to bless new output.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
