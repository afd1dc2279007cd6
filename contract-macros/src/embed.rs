//! Contract records in binaries and pinned fingerprints: the expansions of `embed!` and
//! `fingerprint!`, and the record static every generated client's guard places. The format,
//! section names and pin lookup are in `contract_core::gates::record` and `contract_core::macros::locate`;
//! this module only turns them into tokens.
//!
//! What is emitted stays light for the user's binary: a byte-array static, string literals and
//! `include_bytes!` in functions never called (rebuild tracking only), no runtime crate.

use contract_core::codegen::header::Header;
use contract_core::gates::record::emit::{current_crate, pinned_record, record_static};
use contract_core::gates::record::{Record, RecordKind};
use contract_core::macros::locate::{self, Located, MacroEnv};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::LitStr;

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
/// manifest changes; `None` when the spec moved and an earlier macro of this crate reported it
/// (that error fails the build).
fn pinned(env: &MacroEnv, name: &LitStr) -> syn::Result<Option<(Located, TokenStream)>> {
    let krate = env.find_crate()?;
    let located =
        locate::locate(&krate, &name.value()).map_err(|m| syn::Error::new_spanned(name, m))?;
    let mut files = match locate::verify_pinned(&located) {
        Ok(files) => files,
        Err(error) => return error.to_syn(name).map_or(Ok(None), Err),
    };
    files.extend(located.pin_files());
    Ok(Some((located, locate::track_files(&files))))
}

/// `embed!("name")`.
pub(crate) fn expand_embed(env: &MacroEnv, name: &LitStr) -> syn::Result<TokenStream> {
    let Some((located, track)) = pinned(env, name)? else {
        return Ok(TokenStream::new());
    };
    let entry = located
        .entry
        .as_ref()
        .ok_or_else(|| syn::Error::new_spanned(name, "not pinned"))?;
    let record = pinned_record(
        RecordKind::Embed,
        &entry.name,
        entry.fingerprint,
        name.span(),
    )?;
    Ok(quote! { #record #track })
}

/// `fingerprint!("name")`: a `&'static str` block, usable in constants.
pub(crate) fn expand_fingerprint(env: &MacroEnv, name: &LitStr) -> syn::Result<TokenStream> {
    let Some((located, track)) = pinned(env, name)? else {
        // The build fails on the earlier error; an empty string keeps constants well-typed.
        return Ok(quote!(""));
    };
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
