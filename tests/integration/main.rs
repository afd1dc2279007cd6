//! End-to-end tests of `cargo-contract-guard`, compiled into one test binary.

mod support;

mod bad_input;
mod check;
mod compile_guard;
mod fingerprint;
mod generate;
mod lock;
mod lowering;
