//! End-to-end tests of `cargo-contract-guard`: the binary cargo built for this package
//! (`CARGO_BIN_EXE_cargo-contract-guard`) run on temporary projects, compiled into one test binary.
//! Fixtures are in `tests/fixtures/` at the repository root.

mod support;

mod adoption;
mod adoption_cli;
mod artifacts;
mod bad_input;
mod bodies;
mod book;
mod check;
mod client_cache;
mod compile_errors;
mod compile_guard;
mod crash;
mod determinism;
mod diff;
mod diff_output;
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
mod schema_generated;
mod schema_github;
mod selection;
mod warnings;
