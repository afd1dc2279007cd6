//! Generated clients: the provenance [`header`] every generated file carries and, with the
//! `generate` feature, producing clients with progenitor and writing them safely.

pub mod diff;
pub mod header;

#[cfg(feature = "generate")]
mod codegen;
#[cfg(feature = "generate")]
pub mod deps;
#[cfg(feature = "generate")]
mod doc_check;
#[cfg(feature = "generate")]
mod merges;
#[cfg(feature = "generate")]
mod panics;
#[cfg(feature = "generate")]
mod run;

#[cfg(feature = "generate")]
pub use codegen::{
    ClientCode, GeneratedFile, Needs, PIPELINE_REVISION, PROGENITOR_VERSION, generate,
    generate_client, generator_id,
};
#[cfg(feature = "generate")]
pub use merges::MAX_MERGE_CHAIN;
#[cfg(feature = "generate")]
pub use run::{GenerateOptions, Generation, Refusal, generate_contract};
