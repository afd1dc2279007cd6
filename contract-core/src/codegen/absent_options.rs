//! After generation: an optional property the type generator boxes (a recursive one, such as
//! `InnerError.innerError`) is written `Box<Option<T>>` with `#[serde(default)]` but without
//! `skip_serializing_if`, so a `None` would be sent as `null`, which a non-nullable property
//! does not allow. Every such field gets `skip_serializing_if`: an absent optional property is
//! left out, as the unboxed `Option` fields already are. The field's type (and so the builder
//! code around it) is unchanged.

/// Adds `skip_serializing_if = "::std::option::Option::is_none"` to every optional
/// (`#[serde(default)]`) `Box<Option<T>>` field of a struct that derives `Serialize`; returns
/// how many fields it changed.
pub(super) fn skip_absent_boxed_options(file: &mut syn::File) -> usize {
    items(&mut file.items)
}

/// [`skip_absent_boxed_options`] on a list of items and the modules among them.
fn items(list: &mut [syn::Item]) -> usize {
    let mut changed = 0;
    for item in list {
        match item {
            syn::Item::Mod(module) => {
                if let Some((_, inner)) = &mut module.content {
                    changed += items(inner);
                }
            }
            syn::Item::Struct(item) if derives_serialize(&item.attrs) => {
                changed += fields(&mut item.fields);
            }
            _ => {}
        }
    }
    changed
}

fn fields(fields: &mut syn::Fields) -> usize {
    let syn::Fields::Named(fields) = fields else {
        return 0;
    };
    let mut changed = 0;
    for field in &mut fields.named {
        if is_boxed_option(&field.ty)
            && serde_words(&field.attrs).any(|w| w == "default")
            && !serde_words(&field.attrs).any(|w| w == "skip_serializing_if")
        {
            field.attrs.push(syn::parse_quote!(
                #[serde(skip_serializing_if = "::std::option::Option::is_none")]
            ));
            changed += 1;
        }
    }
    changed
}

fn derives_serialize(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                found |= meta
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "Serialize");
                Ok(())
            });
            found
        })
}

/// The words of a field's `#[serde(…)]` attributes (`rename`, `default`, …).
fn serde_words(attrs: &[syn::Attribute]) -> impl Iterator<Item = String> + '_ {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .flat_map(|a| {
            let mut words = Vec::new();
            let _ = a.parse_nested_meta(|meta| {
                if let Some(ident) = meta.path.get_ident() {
                    words.push(ident.to_string());
                }
                // Skip the value (`rename = "…"`), if any.
                if meta.input.peek(syn::Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                }
                Ok(())
            });
            words
        })
}

/// `Box<Option<T>>`, however the paths are written.
fn is_boxed_option(ty: &syn::Type) -> bool {
    fn single_argument<'t>(ty: &'t syn::Type, name: &str) -> Option<&'t syn::Type> {
        let syn::Type::Path(path) = ty else {
            return None;
        };
        let last = path.path.segments.last()?;
        if last.ident != name {
            return None;
        }
        match &last.arguments {
            syn::PathArguments::AngleBracketed(args) if args.args.len() == 1 => {
                match args.args.first()? {
                    syn::GenericArgument::Type(inner) => Some(inner),
                    _ => None,
                }
            }
            _ => None,
        }
    }
    single_argument(ty, "Box").is_some_and(|inner| single_argument(inner, "Option").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn boxed_optional_fields_skip_none_and_nothing_else_changes() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default)]
                pub struct InnerError {
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    pub code: ::std::option::Option<::std::string::String>,
                    #[serde(rename = "innerError", default)]
                    pub inner_error: ::std::boxed::Box<::std::option::Option<InnerError>>,
                    // Required (no `default`): left as it is.
                    pub parent: ::std::boxed::Box<::std::option::Option<InnerError>>,
                }
                pub mod builder {
                    pub struct InnerError {
                        inner_error: ::std::result::Result<::std::boxed::Box<::std::option::Option<super::InnerError>>, ::std::string::String>,
                    }
                }
            }
        };
        assert_eq!(skip_absent_boxed_options(&mut file), 1);
        let text = file.to_token_stream().to_string();
        assert_eq!(text.matches("skip_serializing_if").count(), 2, "{text}");
        // Idempotent.
        assert_eq!(skip_absent_boxed_options(&mut file), 0);
    }

    /// The attribute as added, on the generator's field type: `None` is left out, `Some` sent.
    #[test]
    fn the_added_attribute_leaves_none_out() {
        #[derive(serde::Serialize, serde::Deserialize, Default)]
        struct InnerError {
            #[serde(skip_serializing_if = "::std::option::Option::is_none")]
            code: Option<String>,
            #[serde(rename = "innerError", default)]
            #[serde(skip_serializing_if = "::std::option::Option::is_none")]
            inner_error: Box<Option<InnerError>>,
        }
        let absent = InnerError::default();
        assert_eq!(serde_json::to_string(&absent).unwrap(), "{}");
        let nested = InnerError {
            code: None,
            inner_error: Box::new(Some(InnerError::default())),
        };
        assert_eq!(
            serde_json::to_string(&nested).unwrap(),
            r#"{"innerError":{}}"#
        );
    }
}
