//! # contract-macros
//!
//! Compile-time guards for cargo-contract-guard. A thin shell: each macro hands its tokens to
//! `contract_core::macros` (or `contract_core::gates::schema_check`), which parses and expands
//! them and returns spanned errors; this crate only adds what needs the compiler's
//! `proc_macro` API (the invoking source file).
//!
//! - [`verify_generated!`]: placed by `cargo contract-guard generate` in every generated client;
//!   fails compilation when the client was edited by hand or its spec changed since, and embeds
//!   the client's contract record in the binary;
//! - [`macro@schema`]: on a hand-written API type; fails compilation when the type diverges from
//!   its schema, with an error at the offending field or variant;
//! - [`client!`]: a progenitor client generated at compile time from a contract's pinned spec
//!   (feature `client`);
//! - [`embed!`]: embeds the record of a pinned contract in the binary;
//! - [`fingerprint!`]: a pinned contract's fingerprint as a `&'static str`.
//!
//! `cargo contract-guard inspect <BINARY>` lists the embedded records, and
//! `cargo contract-guard verify-binary <BINARY>` compares them with the lock.

#![deny(missing_docs)]

use proc_macro::TokenStream;
use proc_macro2::Span;

/// Checks a hand-written struct or enum against its schema at compile time.
///
/// ```ignore
/// #[contract_macros::schema(contract = "petstore", name = "Pet")]
/// #[derive(serde::Serialize, serde::Deserialize)]
/// pub struct Pet {
///     pub id: i64,
///     pub name: String,
///     #[serde(rename = "photoUrls")]
///     pub photo_urls: Vec<String>,
///     #[serde(skip_serializing_if = "Option::is_none")]
///     pub tag: Option<String>,
/// }
/// ```
///
/// Arguments:
/// - `contract = "<name>"`: a contract declared in the crate's (or workspace's) Cargo.toml; the
///   spec must still match its pin in `contract-guard.lock`. Or `spec = "<path>"`, relative to
///   the crate.
/// - `name = "<schema>"`: the schema under `components/schemas` (default: the type's name, also
///   matched ignoring case and punctuation), or `pointer = "/paths/…/schema"`.
/// - `direction = "request" | "response" | "both"` (default `both`, the strictest).
///
/// The item is emitted unchanged; every problem is reported at once, each at the offending
/// field, type or variant. Cargo rebuilds the crate when the spec or the lock changes.
#[proc_macro_attribute]
pub fn schema(args: TokenStream, item: TokenStream) -> TokenStream {
    contract_core::gates::schema_check::expand(args.into(), item.into(), &macro_env()).into()
}

/// Generates a progenitor client at compile time from a contract's **pinned** spec: when the
/// spec no longer matches its fingerprint in `contract-guard.lock`, this is a compile error
/// naming both fingerprints and the fix, never a silent regeneration.
///
/// ```ignore
/// contract_macros::client!(contract = "petstore");
/// ```
///
/// Generator options (`interface`, `tags`, `derives`) come from the contract's Cargo.toml
/// table. Needs the `client` feature of contract-macros (it builds the generator into the
/// macro); the generated code needs the same dependencies as a generated file.
///
/// The expansion is cached under the target directory
/// (`<target-dir>/contract-guard/clients/<key>.rs`, keyed by the spec's exact text, the
/// options and the generator version, checked before every use) and expands to an
/// `include!` of that file.
#[proc_macro]
pub fn client(input: TokenStream) -> TokenStream {
    #[cfg(feature = "client")]
    {
        let expansion = contract_core::macros::client::expand_reporting(input.into(), &macro_env());
        if let Some(note) = expansion.note() {
            // Stable proc macros cannot warn; cargo shows rustc's stderr.
            eprintln!("{note}");
        }
        expansion.tokens.into()
    }
    #[cfg(not(feature = "client"))]
    {
        let _ = input;
        syn::Error::new(
            Span::call_site(),
            "`client!` needs the `client` feature: `contract-macros = { version = \"…\", features = [\"client\"] }`",
        )
        .into_compile_error()
        .into()
    }
}

fn macro_env() -> contract_core::macros::locate::MacroEnv {
    contract_core::macros::locate::MacroEnv {
        source_file: Span::call_site().unwrap().local_file(),
        manifest_dir: std::env::var_os("CARGO_MANIFEST_DIR").map(Into::into),
        crate_name: std::env::var("CARGO_CRATE_NAME").ok(),
        // A proc macro runs inside rustc: these are rustc's arguments.
        out_dir: contract_core::macros::locate::out_dir_argument(std::env::args_os()),
        target_dir_env: std::env::var_os("CARGO_TARGET_DIR").map(Into::into),
    }
}

/// Fails compilation when a generated client no longer matches what was generated: its body
/// was edited by hand, or its spec changed since. Cargo rebuilds the crate when the spec
/// changes. A passing guard embeds the client's contract record (contract, crate, spec and
/// generator-options fingerprints, generator) in the binary.
///
/// Written by `cargo contract-guard generate`; paths are relative to the crate's directory:
///
/// ```ignore
/// ::contract_macros::verify_generated! {
///     contract = "petstore",
///     spec = "specs/petstore.yaml",
///     file = "src/generated/petstore.rs",
/// }
/// ```
#[proc_macro]
pub fn verify_generated(input: TokenStream) -> TokenStream {
    contract_core::macros::guard::expand(input.into(), &macro_env())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Embeds the record of a pinned contract in the binary: `cargo contract-guard inspect` lists
/// it and `verify-binary` checks it against the lock. Use it for contracts the crate uses
/// without a generated client (generated clients embed theirs already).
///
/// The contract must be declared in the crate's `Cargo.toml` (or the workspace root's) and
/// pinned in `contract-guard.lock`; compilation fails when it is not, or when its spec no
/// longer has the pinned fingerprint. Cargo rebuilds the crate when the spec or the lock
/// changes. Write it where items go:
///
/// ```ignore
/// contract_macros::embed!("billing");
/// ```
#[proc_macro]
pub fn embed(input: TokenStream) -> TokenStream {
    contract_core::macros::embed::expand_embed(input.into(), &macro_env())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// The pinned fingerprint of a contract, `"sha256:<64 hex digits>"`, as a `&'static str`
/// usable in constants: for a health or version endpoint reporting which contract versions a
/// service was built with.
///
/// Fails compilation when the contract is not declared or not pinned, or when its spec no
/// longer has the pinned fingerprint; cargo rebuilds the crate when the spec or the lock
/// changes.
///
/// ```ignore
/// const PETSTORE: &str = contract_macros::fingerprint!("petstore");
/// ```
#[proc_macro]
pub fn fingerprint(input: TokenStream) -> TokenStream {
    contract_core::macros::embed::expand_fingerprint(input.into(), &macro_env())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
