//! The arguments of `verify_generated! { contract = "…", spec = "…", file = "…" }`.

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Token};

use super::GuardArg;

/// The three string arguments, each kept as written so an error can point at it.
pub(super) struct GuardArgs {
    pub contract: LitStr,
    pub spec: LitStr,
    pub file: LitStr,
}

impl GuardArgs {
    /// The literal of `arg`, for an error about it.
    pub fn literal(&self, arg: GuardArg) -> &LitStr {
        match arg {
            GuardArg::Contract => &self.contract,
            GuardArg::Spec => &self.spec,
            GuardArg::File => &self.file,
        }
    }
}

/// `key = "value"`.
struct KeyValue {
    key: Ident,
    value: LitStr,
}

impl Parse for KeyValue {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let key = input.parse()?;
        input.parse::<Token![=]>()?;
        let value = input.parse()?;
        Ok(KeyValue { key, value })
    }
}

impl Parse for GuardArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let pairs = Punctuated::<KeyValue, Token![,]>::parse_terminated(input)?;
        let (mut contract, mut spec, mut file) = (None, None, None);
        for pair in pairs {
            let slot = match pair.key.to_string().as_str() {
                "contract" => &mut contract,
                "spec" => &mut spec,
                "file" => &mut file,
                other => {
                    return Err(syn::Error::new_spanned(
                        &pair.key,
                        format!(
                            "unknown argument `{other}`; expected `contract`, `spec` or `file`"
                        ),
                    ));
                }
            };
            if slot.is_some() {
                return Err(syn::Error::new_spanned(&pair.key, "duplicate argument"));
            }
            *slot = Some(pair.value);
        }
        let missing = |name: &str| {
            syn::Error::new(
                Span::call_site(),
                format!("missing argument `{name} = \"…\"`"),
            )
        };
        Ok(GuardArgs {
            contract: contract.ok_or_else(|| missing("contract"))?,
            spec: spec.ok_or_else(|| missing("spec"))?,
            file: file.ok_or_else(|| missing("file"))?,
        })
    }
}
