//! The tokens that place a record in a binary: a `#[used]` static in the platform's record
//! section. Used by every macro that embeds a record (generated clients' guards, `embed!`,
//! `client!`, `#[schema]`).

use proc_macro2::{Literal, Span, TokenStream};
use quote::quote;

use super::{ELF_SECTION, MACHO_LINK_SECTION, PE_SECTION, Record, RecordKind, encode};
use crate::codegen::header::Header;
use crate::util::hash::Sha256Digest;

/// A `#[used]` static holding `record` in the platform's record link section, inside an
/// anonymous constant so several can sit in one module. `#[unsafe(link_section)]` is accepted
/// on every edition since Rust 1.82, and the `unsafe_code` lint does not fire on code expanded
/// from an external macro, so `#![forbid(unsafe_code)]` crates can use it.
pub fn record_static(record: &Record, span: Span) -> syn::Result<TokenStream> {
    let bytes = encode(record)
        .map_err(|e| syn::Error::new(span, format!("cannot embed contract record: {e}")))?;
    let len = bytes.len();
    let bytes = Literal::byte_string(&bytes);
    Ok(quote! {
        const _: () = {
            #[used]
            #[cfg_attr(target_vendor = "apple", unsafe(link_section = #MACHO_LINK_SECTION))]
            #[cfg_attr(any(windows, target_os = "uefi"), unsafe(link_section = #PE_SECTION))]
            #[cfg_attr(
                not(any(target_vendor = "apple", windows, target_os = "uefi")),
                unsafe(link_section = #ELF_SECTION)
            )]
            static CONTRACT_GUARD_RECORD: [u8; #len] = *#bytes;
        };
    })
}

/// `CARGO_PKG_NAME` and `CARGO_PKG_VERSION` of the crate being compiled.
pub fn current_crate() -> syn::Result<(String, String)> {
    let var = |name: &str| {
        std::env::var(name).map_err(|_| {
            syn::Error::new(
                Span::call_site(),
                format!("{name} is not set; build with cargo"),
            )
        })
    };
    Ok((var("CARGO_PKG_NAME")?, var("CARGO_PKG_VERSION")?))
}

/// The record of a pinned contract used by a macro of `kind` (`embed!`, `client!`, `#[schema]`).
pub fn pinned_record(
    kind: RecordKind,
    contract: &str,
    fingerprint: Sha256Digest,
    span: Span,
) -> syn::Result<TokenStream> {
    let (crate_name, crate_version) = current_crate()?;
    record_static(
        &Record {
            kind,
            contract: contract.to_string(),
            crate_name,
            crate_version,
            spec_fingerprint: fingerprint,
            generator: None,
            settings_fingerprint: None,
        },
        span,
    )
}

/// The record of a generated client, from its verified header (what its guard embeds).
pub fn generated_client_record(header: &Header, span: Span) -> syn::Result<TokenStream> {
    let (crate_name, crate_version) = current_crate()?;
    record_static(
        &Record {
            kind: RecordKind::GeneratedClient,
            contract: header.contract.clone(),
            crate_name,
            crate_version,
            spec_fingerprint: header.spec_fingerprint,
            generator: Some(header.generator.clone()),
            settings_fingerprint: Some(header.settings_fingerprint),
        },
        span,
    )
}
