//! `contract_macros::client!(contract = "…")`: a progenitor client generated at compile time,
//! only from the contract's pinned spec, through the same pipeline as
//! `cargo contract-guard generate`.

use proc_macro2::{Span, TokenStream};
use syn::LitStr;

use crate::macros::locate::{self, MacroEnv};

/// Expands `client!(contract = "…")`.
pub fn expand(input: TokenStream, env: &MacroEnv) -> TokenStream {
    run(input, env).unwrap_or_else(syn::Error::into_compile_error)
}

fn run(input: TokenStream, env: &MacroEnv) -> syn::Result<TokenStream> {
    let mut contract: Option<LitStr> = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("contract") {
            contract = Some(meta.value()?.parse()?);
            Ok(())
        } else {
            Err(meta.error("unknown argument; expected `contract = \"<name>\"` (options come from the contract's Cargo.toml table)"))
        }
    });
    syn::parse::Parser::parse2(parser, input)?;
    let contract = contract
        .ok_or_else(|| syn::Error::new(Span::call_site(), "missing `contract = \"<name>\"`"))?;
    let krate = env.find_crate()?;
    let located =
        locate::locate(&krate, &contract.value()).map_err(|error| error.to_syn(&contract))?;
    let spec = match locate::load_pinned(&located) {
        Ok(spec) => spec,
        // Reported by an earlier macro of this crate, which fails the build.
        Err(error) => return error.to_syn(&contract).map_or(Ok(TokenStream::new()), Err),
    };
    let code = crate::codegen::generate_client(&located.contract, &spec)
        .map_err(|e| syn::Error::new_spanned(&contract, crate::error::with_causes(&e)))?;
    let items = code.file.items;
    let mut tracked = spec.files();
    tracked.push(located.lock_path.clone());
    let tracking = env.tracking(&krate, &tracked);
    let record = crate::gates::record::emit::pinned_record(
        crate::gates::record::RecordKind::Client,
        &located.contract.name,
        spec.fingerprint,
        contract.span(),
    )?;
    Ok(quote::quote!(#(#items)* #tracking #record))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `client!` runs the generator inside rustc, where a stack overflow crashed the compiler
    /// (SIGSEGV): a contract whose schemas merge into themselves is a compile error instead.
    #[test]
    fn a_contract_the_generator_would_recurse_on_is_an_error() {
        let env = crate::macros::ui_fixture_env();
        let output = expand(quote::quote!(contract = "cycle"), &env).to_string();
        assert!(output.contains("compile_error"), "{output}");
        assert!(
            output.contains("cannot generate contract `schema-fixtures/cycle`"),
            "{output}"
        );
        assert!(
            output.contains("schema `A` includes itself through `allOf` (`A` → `B` → `A`)"),
            "{output}"
        );
    }
}
