//! `#[contract_macros::schema(...)]`: checks a hand-written API type against its schema at
//! compile time. The proc-macro crate calls [`expand`]; everything else is here so it can be
//! tested without rustc.

mod compare;
mod rust_type;
mod schema_view;
mod serde_attrs;

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::LitStr;

pub use compare::Direction;

use crate::macros::locate::{self, MacroEnv};
use crate::util::paths;

/// The attribute's arguments.
#[derive(Default)]
struct Args {
    contract: Option<LitStr>,
    spec: Option<LitStr>,
    name: Option<LitStr>,
    pointer: Option<LitStr>,
    direction: Option<LitStr>,
}

impl Args {
    fn parse(tokens: TokenStream) -> syn::Result<Args> {
        let mut args = Args::default();
        let parser = syn::meta::parser(|meta| {
            let slot = match meta.path.get_ident().map(|i| i.to_string()).as_deref() {
                Some("contract") => &mut args.contract,
                Some("spec") => &mut args.spec,
                Some("name") => &mut args.name,
                Some("pointer") => &mut args.pointer,
                Some("direction") => &mut args.direction,
                _ => {
                    return Err(meta.error(
                        "unknown argument; expected `contract`, `spec`, `name`, `pointer` or `direction`",
                    ));
                }
            };
            if slot.is_some() {
                return Err(meta.error("duplicate argument"));
            }
            *slot = Some(meta.value()?.parse()?);
            Ok(())
        });
        syn::parse::Parser::parse2(parser, tokens)?;
        Ok(args)
    }
}

/// Expands the attribute: the item unchanged, plus either rebuild tracking or every error.
pub fn expand(args: TokenStream, item: TokenStream, env: &MacroEnv) -> TokenStream {
    match run(args, item.clone(), env) {
        Ok(tracking) => quote!(#item #tracking),
        Err(error) => {
            let errors = error.to_compile_error();
            quote!(#item #errors)
        }
    }
}

fn run(args: TokenStream, item: TokenStream, env: &MacroEnv) -> syn::Result<TokenStream> {
    let args = Args::parse(args)?;
    let item: syn::DeriveInput = syn::parse2(item)
        .map_err(|e| syn::Error::new(e.span(), "`#[schema]` goes on a struct or an enum"))?;
    let direction = match args.direction.as_ref().map(LitStr::value).as_deref() {
        None | Some("both") => Direction::Both,
        Some("request") => Direction::Request,
        Some("response") => Direction::Response,
        Some(other) => {
            return Err(syn::Error::new_spanned(
                args.direction.as_ref(),
                format!(
                    "unknown direction `{other}`; expected \"request\", \"response\" or \"both\""
                ),
            ));
        }
    };
    let krate = env.find_crate()?;
    let (spec, tracked) = match (&args.contract, &args.spec) {
        (Some(contract), None) => {
            let located = locate::locate(&krate, &contract.value())
                .map_err(|error| error.to_syn(contract))?;
            let spec = match locate::load_pinned(&located) {
                Ok(spec) => spec,
                // Reported by an earlier macro of this crate, which fails the build.
                Err(error) => return error.to_syn(contract).map_or(Ok(TokenStream::new()), Err),
            };
            let mut tracked = spec.files();
            tracked.push(located.lock_path.clone());
            (spec, tracked)
        }
        (None, Some(spec_lit)) => {
            let path =
                paths::resolve_inside(&krate.root, &krate.dir, &spec_lit.value()).map_err(|p| {
                    syn::Error::new_spanned(
                        spec_lit,
                        format!("spec path `{}` {}", spec_lit.value(), p.describe()),
                    )
                })?;
            let spec = locate::load_cached(&path, &krate.root)
                .map_err(|e| syn::Error::new_spanned(spec_lit, crate::error::with_causes(&e)))?;
            let tracked = spec.files();
            (spec, tracked)
        }
        (Some(c), Some(_)) => {
            return Err(syn::Error::new_spanned(
                c,
                "give either `contract = \"…\"` or `spec = \"…\"`, not both",
            ));
        }
        (None, None) => {
            return Err(syn::Error::new(
                Span::call_site(),
                "missing `contract = \"<name>\"` (a contract declared in Cargo.toml) or `spec = \"<path>\"`",
            ));
        }
    };
    let spec_label = paths::relative_slash(&krate.dir, &spec.path);
    let node = find_schema(&spec.document, &args, &item, &spec_label)?;
    let mut checker = compare::Checker {
        root: &spec.document,
        spec_label,
        direction,
        errors: Vec::new(),
    };
    checker.check_item(&item, &node);
    let mut errors = checker.errors.into_iter();
    if let Some(mut first) = errors.next() {
        for error in errors {
            first.combine(error);
        }
        return Err(first);
    }
    let tracking = env.tracking(&krate, &tracked);
    // A pinned contract's record, once per crate however many types carry the attribute.
    let record = match &args.contract {
        Some(contract)
            if env.first_in_crate(&krate, &format!("record:schema:{}", contract.value())) =>
        {
            crate::gates::record::emit::pinned_record(
                crate::gates::record::RecordKind::Schema,
                &contract.value(),
                spec.fingerprint,
                contract.span(),
            )?
        }
        _ => TokenStream::new(),
    };
    Ok(quote!(#tracking #record))
}

/// The schema the item is checked against: `pointer`, else `components/schemas/<name>` where
/// the name defaults to the type's name (matched exactly, then ignoring case and punctuation).
fn find_schema<'d>(
    document: &'d serde_json::Value,
    args: &Args,
    item: &syn::DeriveInput,
    spec_label: &str,
) -> syn::Result<schema_view::Node<'d>> {
    if let Some(pointer) = &args.pointer {
        let text = pointer.value();
        let fragment = if text.starts_with('#') {
            text.clone()
        } else {
            format!("#{text}")
        };
        return schema_view::lookup(document, &fragment).ok_or_else(|| {
            syn::Error::new_spanned(
                pointer,
                format!("nothing at `{fragment}` in `{spec_label}`"),
            )
        });
    }
    let schemas = document
        .pointer("/components/schemas")
        .and_then(serde_json::Value::as_object);
    let wanted = args
        .name
        .as_ref()
        .map_or_else(|| item.ident.to_string(), LitStr::value);
    let found = schemas.and_then(|map| {
        map.keys().find(|k| **k == wanted).or_else(|| {
            let key = rust_type::name_key(&wanted);
            map.keys().find(|k| rust_type::name_key(k) == key)
        })
    });
    match found {
        Some(name) => schema_view::lookup(
            document,
            &format!(
                "#/components/schemas/{}",
                crate::util::json_pointer::escape(name)
            ),
        )
        .ok_or_else(|| syn::Error::new(Span::call_site(), "schema lookup failed")),
        None => {
            let message =
                format!("no schema `{wanted}` under `components/schemas` in `{spec_label}`");
            Err(match &args.name {
                Some(name) => syn::Error::new_spanned(name, message),
                None => syn::Error::new_spanned(
                    &item.ident,
                    format!("{message}\nhelp: name it with `#[schema(name = \"…\")]`"),
                ),
            })
        }
    }
}
