//! End-to-end tests of `cargo-contract-guard`, compiled into one test binary.

mod support;

mod bad_input;
mod check;
mod compile_guard;
mod crash;
mod determinism;
mod diff;
mod embed;
mod expansion;
mod fingerprint;
mod gate;
mod generate;
mod golden;
mod help;
mod hostile;
mod lock;
mod lowering;
mod schema_github;
