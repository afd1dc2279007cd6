//! `cargo xtask corpus --schema --build`: `#[schema]` judged by rustc on the types our generator
//! writes, identity assertions included.
//!
//! For every spec the generated client's `types` module (the operations left out: they are
//! not checked, and GitHub's take gigabytes to compile) becomes a crate under
//! `target/corpus/crates/ours/` whose types carry `#[contract_macros::schema(contract = "spec", …)]`: a component type its schema's
//! name, an inline type the JSON pointer of the schema a checked field needs it for (found by
//! checking the component types in-process first, then the inline types they lead to). The
//! crate declares the contract in its `Cargo.toml`, the workspace pins it in
//! `contract-guard.lock`, and one `cargo check --message-format json` builds them all; every
//! error is mapped to the type (or injected drift) whose lines it is on.
//!
//! Compile-time drift injection, issue 17's class 6 (each drift a copy of an accepted struct in
//! a file of its own, so an error there is that drift caught; the copies make a second crate,
//! `<crate>-drifts`, that depends on the annotated one, so that no rustc holds both: GitHub's
//! in one crate passed 19.5 GB):
//! - `6-type-swapped`: a field's named type (held to an identity) replaced by another
//!   annotated type whose schema differs;
//! - `6-annotation-stripped`: the same field's type replaced by a copy without `#[schema]`.
//!
//! [`plan`] writes the annotated crate and the drifts (in the worker), [`build`] builds them all
//! and maps rustc's errors back, [`report`] sums them up.

mod build;
mod plan;
mod report;

use serde::{Deserialize, Serialize};

pub use build::build;
pub use plan::plan;
pub use report::report;

/// The contract every scratch crate declares.
const CONTRACT: &str = "spec";

/// The suffix that names a drift crate's folder and package after its annotated crate's.
const DRIFTS: &str = "-drifts";

/// The folder of the drift crate beside the annotated crate in `dir`.
pub fn drifts_dir(dir: &std::path::Path) -> std::path::PathBuf {
    let mut name = dir.file_name().unwrap_or_default().to_os_string();
    name.push(DRIFTS);
    dir.with_file_name(name)
}

/// What the worker wrote for one spec and what the build found.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BuildPlan {
    /// Annotated types in the order they appear: type, the attribute's schema argument.
    pub annotated: Vec<(String, String)>,
    /// Types not annotated: type, reason.
    pub not_annotated: Vec<(String, String)>,
    /// Fields marked `#[schema(unchecked)]`: type, field, reason.
    pub unchecked: Vec<(String, String, String)>,
    /// Injected drifts: file (under `src/`), class, type, what was changed.
    pub drifts: Vec<(String, String, String, String)>,
    /// The first line (1-based) of each annotated type in `src/lib.rs`, in order.
    pub lines: Vec<usize>,
    /// Annotated types the in-process check (the attribute's, without rustc's identity
    /// assertions) rejects: type, first error. Known before any build.
    #[serde(default)]
    pub rejected_in_process: Vec<(String, String)>,
    /// Annotated structs the in-process check accepts with no field for some properties of
    /// their schema (what the client drops when it reads one): type, the properties.
    #[serde(default)]
    pub unread: Vec<(String, Vec<String>)>,
    /// After the build: types rejected (type, first error).
    #[serde(default)]
    pub rejected: Vec<(String, String)>,
    /// After the build: drift files with an error of `#[schema]`'s.
    #[serde(default)]
    pub caught: Vec<String>,
    /// After the build: why the crate was not built or its errors could not be attributed.
    #[serde(default)]
    pub failure: Option<String>,
}
