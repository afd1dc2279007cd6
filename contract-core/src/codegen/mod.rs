//! Code generation: a pinned spec becomes a Rust client.
//!
//! The spec is first [`lower`]ed (OpenAPI 3.1 → 3.0) and `normalize`d (the rewrites real
//! specs need before the generator takes them), each rewrite reported as a [`note::Note`]
//! and classed lossless or lossy by [`fidelity`] (lossy ones the contract did not accept stop
//! generation); then `merges` refuses `allOf` shapes that would overflow the generator, `progenitor`
//! writes the code, `accept` puts the spec's JSON media types back into its `Accept` headers,
//! `lints` makes it warning-free, `doc_check` refuses runnable doc text, and `run` writes the file with
//! its provenance [`header`] and the dependencies it needs (`deps`).
//! [`artifact`] runs the commands that generate a contract's files in other languages.
//! Everything but the header (which the macros' guard reads) and [`artifact`] needs the
//! `generate` feature.

pub mod artifact;
pub mod fidelity;
pub mod header;
pub mod lower;
pub mod note;

#[cfg(feature = "generate")]
mod absent_options;
#[cfg(feature = "generate")]
pub mod accept;
#[cfg(feature = "generate")]
mod bodies;
#[cfg(feature = "generate")]
pub mod deps;
#[cfg(feature = "generate")]
mod doc_check;
#[cfg(feature = "generate")]
mod lints;
#[cfg(feature = "generate")]
mod merges;
#[cfg(feature = "generate")]
pub mod normalize;
#[cfg(feature = "generate")]
mod panics;
#[cfg(feature = "generate")]
mod progenitor;
#[cfg(feature = "generate")]
mod run;
#[cfg(feature = "generate")]
pub mod suggest;

#[cfg(feature = "generate")]
pub use merges::MAX_MERGE_CHAIN;
#[cfg(feature = "generate")]
pub use progenitor::{
    ClientCode, GeneratedFile, Needs, PIPELINE_REVISION, PROGENITOR_VERSION, generate,
    generate_client, generator_id,
};
#[cfg(feature = "generate")]
pub use run::{
    ArtifactGeneration, GenerateOptions, Generation, Outcome, Refusal, generate_contract,
};
