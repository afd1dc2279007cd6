//! End-to-end tests of `cargo-contract-guard`, compiled into one test binary.

mod support;

mod adoption;
mod adoption_cli;
mod bad_input;
mod check;
mod compile_errors;
mod compile_guard;
mod crash;
mod determinism;
mod diff;
mod embed;
mod expansion;
mod fidelity;
mod fingerprint;
mod gate;
mod generate;
mod golden;
mod help;
mod hostile;
mod hostile_fs;
mod hostile_text;
mod lock;
mod lowering;
mod machine_errors;
mod schema_github;
