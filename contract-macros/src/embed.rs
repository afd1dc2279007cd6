//! Contract records in binaries and pinned fingerprints: the expansions of `embed!` and
//! `fingerprint!`, and the record static every generated client's guard places. The format,
//! section names and pin lookup are in `contract_core::record` and `contract_core::locate`;
//! this module only turns them into tokens.
//!
//! What is emitted stays light for the user's binary: a byte-array static, string literals and
//! `include_bytes!` constants (for rebuild tracking, unused at run time), no runtime crate.

use contract_core::generate::header::Header;
use contract_core::locate::{self, Located, MacroEnv};
use contract_core::record::{self, Record, RecordKind};
use proc_macro2::{Literal, Span, TokenStream};
use quote::quote;
use syn::LitStr;

/// `CARGO_PKG_NAME` and `CARGO_PKG_VERSION` of the crate being compiled.
fn current_crate() -> syn::Result<(String, String)> {
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

/// A `#[used]` static holding `record` in the platform's record link section, inside an
/// anonymous constant so several can sit in one module. `#[unsafe(link_section)]` is accepted
/// on every edition since Rust 1.82, and the `unsafe_code` lint does not fire on code expanded
/// from an external macro, so `#![forbid(unsafe_code)]` crates can use it.
pub(crate) fn record_static(record: &Record, span: Span) -> syn::Result<TokenStream> {
    let bytes = record::encode(record)
        .map_err(|e| syn::Error::new(span, format!("cannot embed contract record: {e}")))?;
    let len = bytes.len();
    let bytes = Literal::byte_string(&bytes);
    let elf = record::ELF_SECTION;
    let macho = record::MACHO_LINK_SECTION;
    let pe = record::PE_SECTION;
    Ok(quote! {
        const _: () = {
            #[used]
            #[cfg_attr(target_vendor = "apple", unsafe(link_section = #macho))]
            #[cfg_attr(any(windows, target_os = "uefi"), unsafe(link_section = #pe))]
            #[cfg_attr(
                not(any(target_vendor = "apple", windows, target_os = "uefi")),
                unsafe(link_section = #elf)
            )]
            static CONTRACT_GUARD_RECORD: [u8; #len] = *#bytes;
        };
    })
}

/// The record of a generated client, from its verified header.
pub(crate) fn generated_client_record(header: &Header, span: Span) -> syn::Result<TokenStream> {
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

/// Looks up the contract named by `name` and verifies the spec still matches its pin. Returns
/// the pin and the tracking constants that make cargo rebuild when the spec, the lock or a
/// manifest changes.
fn pinned(env: &MacroEnv, name: &LitStr) -> syn::Result<(Located, TokenStream)> {
    let krate = env.find_crate()?;
    let located =
        locate::locate(&krate, &name.value()).map_err(|m| syn::Error::new_spanned(name, m))?;
    let mut files =
        locate::verify_pinned(&located).map_err(|m| syn::Error::new_spanned(name, m))?;
    files.extend(located.pin_files());
    let files = files.iter().map(|p| p.to_string_lossy().into_owned());
    let track = quote! { #( const _: &[u8] = include_bytes!(#files); )* };
    Ok((located, track))
}

/// `embed!("name")`.
pub(crate) fn expand_embed(env: &MacroEnv, name: &LitStr) -> syn::Result<TokenStream> {
    let (located, track) = pinned(env, name)?;
    let entry = located
        .entry
        .as_ref()
        .ok_or_else(|| syn::Error::new_spanned(name, "not pinned"))?;
    let (crate_name, crate_version) = current_crate()?;
    let record = record_static(
        &Record {
            kind: RecordKind::Embed,
            contract: entry.name.clone(),
            crate_name,
            crate_version,
            spec_fingerprint: entry.fingerprint,
            generator: None,
            settings_fingerprint: None,
        },
        name.span(),
    )?;
    Ok(quote! { #record #track })
}

/// `fingerprint!("name")`: a `&'static str` block, usable in constants.
pub(crate) fn expand_fingerprint(env: &MacroEnv, name: &LitStr) -> syn::Result<TokenStream> {
    let (located, track) = pinned(env, name)?;
    let entry = located
        .entry
        .as_ref()
        .ok_or_else(|| syn::Error::new_spanned(name, "not pinned"))?;
    let fingerprint = entry.fingerprint.to_string();
    Ok(quote! {
        {
            #track
            #fingerprint
        }
    })
}
