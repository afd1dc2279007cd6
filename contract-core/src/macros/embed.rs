//! `embed!("name")` and `fingerprint!("name")`: the record of a pinned contract in the binary,
//! and its pinned fingerprint as a `&'static str`. The record format and section names are in
//! [`crate::gates::record`], the pin lookup in [`crate::macros::locate`]; this module parses
//! the invocation and turns them into tokens.
//!
//! What is emitted stays light for the user's binary: a byte-array static, string literals and
//! `include_bytes!` in functions never called (rebuild tracking only), no runtime crate.

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{LitStr, Token};

use crate::gates::record::RecordKind;
use crate::gates::record::emit::pinned_record;
use crate::macros::locate::{self, Located, MacroEnv};

/// Expands `embed!("name")`: the contract's record, and the tracking that rebuilds the crate
/// when its spec, the lock or a manifest changes.
pub fn expand_embed(input: TokenStream, env: &MacroEnv) -> syn::Result<TokenStream> {
    let NameArg(name) = syn::parse2(input)?;
    let Some((located, track)) = pinned(env, &name)? else {
        return Ok(TokenStream::new());
    };
    let entry = located
        .entry
        .as_ref()
        .ok_or_else(|| syn::Error::new_spanned(&name, "not pinned"))?;
    let record = pinned_record(
        RecordKind::Embed,
        &entry.name,
        entry.fingerprint,
        name.span(),
    )?;
    Ok(quote! { #record #track })
}

/// Expands `fingerprint!("name")`: a `&'static str` block, usable in constants.
pub fn expand_fingerprint(input: TokenStream, env: &MacroEnv) -> syn::Result<TokenStream> {
    let NameArg(name) = syn::parse2(input)?;
    let Some((located, track)) = pinned(env, &name)? else {
        // The build fails on the earlier error; an empty string keeps constants well-typed.
        return Ok(quote!(""));
    };
    let entry = located
        .entry
        .as_ref()
        .ok_or_else(|| syn::Error::new_spanned(&name, "not pinned"))?;
    let fingerprint = entry.fingerprint.to_string();
    Ok(quote! {
        {
            #track
            #fingerprint
        }
    })
}

/// A contract name: one string literal, optionally followed by a comma.
struct NameArg(LitStr);

impl Parse for NameArg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let name = input.parse()?;
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
        }
        Ok(NameArg(name))
    }
}

/// Looks up the contract named by `name` and verifies the spec still matches its pin. Returns
/// the pin and the tracking constants that make cargo rebuild when the spec, the lock or a
/// manifest changes; `None` when the spec moved and an earlier macro of this crate reported it
/// (that error fails the build).
fn pinned(env: &MacroEnv, name: &LitStr) -> syn::Result<Option<(Located, TokenStream)>> {
    let krate = env.find_crate()?;
    let located = locate::locate(&krate, &name.value()).map_err(|error| error.to_syn(name))?;
    let mut files = match locate::verify_pinned(&located) {
        Ok(files) => files,
        Err(error) => return error.to_syn(name).map_or(Ok(None), Err),
    };
    files.extend(located.pin_files());
    Ok(Some((located, locate::track_files(&files))))
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;
    use crate::macros::ui_fixture_env;

    fn error(result: syn::Result<TokenStream>) -> String {
        result.expect_err("an error").to_string()
    }

    /// The fingerprint of the UI fixture's `pets` spec, computed from the spec itself.
    fn pets_fingerprint() -> String {
        let krate = ui_fixture_env().find_crate().unwrap();
        let spec = crate::spec::load_in(&krate.dir.join("specs/pets.yaml"), &krate.root).unwrap();
        spec.fingerprint.to_string()
    }

    #[test]
    fn embed_emits_the_record_and_tracks_spec_lock_and_manifest() {
        let out = expand_embed(quote!("pets"), &ui_fixture_env())
            .unwrap()
            .to_string();
        assert!(out.contains("static CONTRACT_GUARD_RECORD"), "{out}");
        assert_eq!(out.matches("include_bytes !").count(), 3, "{out}");
        for file in ["specs/pets.yaml", "Cargo.toml", "contract-guard.lock"] {
            assert!(out.contains(&format!("{file}\"")), "{file}: {out}");
        }
        // A trailing comma is accepted.
        assert_eq!(
            expand_embed(quote!("pets",), &ui_fixture_env())
                .unwrap()
                .to_string(),
            out
        );
    }

    #[test]
    fn fingerprint_is_the_pinned_one_as_a_str_block() {
        let out = expand_fingerprint(quote!("pets"), &ui_fixture_env())
            .unwrap()
            .to_string();
        assert!(out.starts_with('{'), "{out}");
        assert!(
            out.ends_with(&format!("\"{}\" }}", pets_fingerprint())),
            "{out}"
        );
        assert!(!out.contains("CONTRACT_GUARD_RECORD"), "{out}");
    }

    #[test]
    fn bad_invocations_are_errors() {
        let env = ui_fixture_env();
        for expand in [expand_embed, expand_fingerprint] {
            assert_eq!(error(expand(quote!(pets), &env)), "expected string literal");
            assert_eq!(error(expand(quote!("pets" "x"), &env)), "unexpected token");
            assert_eq!(
                error(expand(quote!(), &env)),
                "unexpected end of input, expected string literal"
            );
            let undeclared = error(expand(quote!("nope"), &env));
            assert!(
                undeclared
                    .starts_with("no contract `nope` is declared for crate `schema-fixtures`"),
                "{undeclared}"
            );
            let stale = error(expand(quote!("stale"), &env));
            assert!(
                stale.starts_with(
                    "spec `specs/stale.yaml` of contract `stale` does not match its pin"
                ),
                "{stale}"
            );
        }
    }

    #[test]
    fn without_a_crate_there_is_nothing_to_look_up() {
        let nowhere = MacroEnv::default();
        assert_eq!(
            error(expand_embed(quote!("pets"), &nowhere)),
            "cannot find the Cargo.toml of the crate containing this file"
        );
    }
}
