//! `#[contract_macros::schema(...)]`: checks a hand-written API type against its schema at
//! compile time. The proc-macro crate calls [`expand`]; everything else is here so it can be
//! tested without rustc.

mod compare;
mod rust_type;
mod schema_view;
mod serde_attrs;
mod value;

use std::path::PathBuf;
use std::sync::Arc;

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::LitStr;

pub use compare::{Direction, IdentityNeed};
pub use rust_type::name_key;

use crate::macros::locate::{self, MacroEnv};
use crate::spec::LoadedSpec;
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

/// Expands the attribute: the item unchanged (but for the field attributes only it reads,
/// `#[schema(unchecked)]`), plus either rebuild tracking or every error.
pub fn expand(args: TokenStream, item: TokenStream, env: &MacroEnv) -> TokenStream {
    let parsed = syn::parse2::<syn::DeriveInput>(item.clone());
    let item_out = match parsed.as_ref().map(serde_attrs::strip_field_attrs) {
        Ok(Some(stripped)) => quote!(#stripped),
        _ => item,
    };
    let result = parsed
        .map_err(|e| syn::Error::new(e.span(), "`#[schema]` goes on a struct or an enum"))
        .and_then(|item| run(args, &item, env));
    match result {
        Ok(tracking) => quote!(#item_out #tracking),
        Err(error) => {
            let errors = error.to_compile_error();
            quote!(#item_out #errors)
        }
    }
}

fn run(args: TokenStream, item: &syn::DeriveInput, env: &MacroEnv) -> syn::Result<TokenStream> {
    let args = Args::parse(args)?;
    let direction = parse_direction(&args)?;
    let krate = env.find_crate()?;
    let Some((spec, tracked)) = load_spec(&args, &krate, env)? else {
        // Reported by an earlier macro of this crate, which fails the build.
        return Ok(TokenStream::new());
    };
    let spec_label = paths::relative_slash(&krate.dir, &spec.path);
    let node = find_schema(&spec.document, &args, item, &spec_label)?;
    let mut checker = compare::Checker::new(&spec.document, spec_label, direction);
    checker.check_item(item, &node);
    combine_errors(checker.errors)?;
    let assertions: Vec<TokenStream> = checker
        .identities
        .into_inner()
        .into_iter()
        .map(|need| need.assertion)
        .collect();
    let identity = identity_tokens(item, &spec.document, &node, &assertions);
    let tracking = env.tracking(&krate, &tracked);
    let record = pinned_record(&args, env, &krate, &spec)?;
    Ok(quote!(#tracking #record #identity))
}

/// The `direction = "…"` argument; both when absent.
fn parse_direction(args: &Args) -> syn::Result<Direction> {
    match args.direction.as_ref().map(LitStr::value).as_deref() {
        None | Some("both") => Ok(Direction::Both),
        Some("request") => Ok(Direction::Request),
        Some("response") => Ok(Direction::Response),
        Some(other) => Err(syn::Error::new_spanned(
            args.direction.as_ref(),
            format!("unknown direction `{other}`; expected \"request\", \"response\" or \"both\""),
        )),
    }
}

/// The spec the attribute names (a pinned contract or a spec path) and the files the build must
/// track; `None` when a pinned contract's spec fails in a way an earlier macro already reported.
fn load_spec(
    args: &Args,
    krate: &locate::MacroCrate,
    env: &MacroEnv,
) -> syn::Result<Option<(Arc<LoadedSpec>, Vec<PathBuf>)>> {
    match (&args.contract, &args.spec) {
        (Some(contract), None) => {
            let located =
                locate::locate(krate, &contract.value()).map_err(|error| error.to_syn(contract))?;
            let pointer = args.pointer.as_ref().map(LitStr::value);
            let reading = crate::spec::Reading::for_pointer(pointer.as_deref());
            let target_dir = env.target_dir(krate);
            let spec = match locate::load_pinned(&located, reading, target_dir.as_deref()) {
                Ok(spec) => spec,
                Err(error) => return error.to_syn(contract).map_or(Ok(None), Err),
            };
            let mut tracked = spec.files();
            tracked.push(located.lock_path.clone());
            Ok(Some((spec, tracked)))
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
            Ok(Some((spec, tracked)))
        }
        (Some(c), Some(_)) => Err(syn::Error::new_spanned(
            c,
            "give either `contract = \"…\"` or `spec = \"…\"`, not both",
        )),
        (None, None) => Err(syn::Error::new(
            Span::call_site(),
            "missing `contract = \"<name>\"` (a contract declared in Cargo.toml) or `spec = \"<path>\"`",
        )),
    }
}

/// Every error the checker found, as one `syn::Error`; `Ok` when there is none.
fn combine_errors(errors: Vec<syn::Error>) -> syn::Result<()> {
    let mut errors = errors.into_iter();
    let Some(mut first) = errors.next() else {
        return Ok(());
    };
    for error in errors {
        first.combine(error);
    }
    Err(first)
}

/// A pinned contract's record, once per crate however many types carry the attribute.
fn pinned_record(
    args: &Args,
    env: &MacroEnv,
    krate: &locate::MacroCrate,
    spec: &LoadedSpec,
) -> syn::Result<TokenStream> {
    match &args.contract {
        Some(contract)
            if env.first_in_crate(krate, &format!("record:schema:{}", contract.value())) =>
        {
            crate::gates::record::emit::pinned_record(
                crate::gates::record::RecordKind::Schema,
                &contract.value(),
                spec.fingerprint,
                contract.span(),
            )
        }
        _ => Ok(TokenStream::new()),
    }
}

/// The item's schema identity (a hidden associated const) and the field assertions.
fn identity_tokens(
    item: &syn::DeriveInput,
    document: &serde_json::Value,
    node: &schema_view::Node<'_>,
    assertions: &[TokenStream],
) -> TokenStream {
    let Ok(identity) = schema_view::identity(document, node) else {
        return TokenStream::new();
    };
    let ident = &item.ident;
    let (impl_generics, type_generics, where_clause) = item.generics.split_for_impl();
    // The assertions name no generic parameter of the item (the checker refuses a field type
    // that does, and writes lifetimes `'static`), so they stand on their own.
    quote! {
        impl #impl_generics #ident #type_generics #where_clause {
            #[doc(hidden)]
            pub const __CONTRACT_GUARD_SCHEMA: u64 = #identity;
        }
        #(#assertions)*
    }
}

/// Checks `item` against the schema `name` under `components/schemas` of `document` (or, when
/// `name` starts with `/` or `#/`, the schema at that JSON pointer), as the attribute does
/// (without a crate, a lock or rebuild tracking): every error, or the named types the
/// attribute would hold to a schema identity at compile time (which only rustc can check).
/// `cargo xtask corpus --schema` runs it on the types the generator writes.
pub fn check_component(
    document: &serde_json::Value,
    spec_label: &str,
    item: &syn::DeriveInput,
    name: &str,
    direction: Direction,
) -> Result<Vec<IdentityNeed>, Vec<syn::Error>> {
    let checker = run_checker(document, spec_label, item, name, direction)?;
    if checker.errors.is_empty() {
        Ok(checker.identities.into_inner())
    } else {
        Err(checker.errors)
    }
}

/// The properties of the schema `name` (or pointer, as for [`check_component`]) that no
/// field of the struct `item` reads, in the schema's order. A struct may leave optional
/// properties out (serde skips what it does not read), so this is no error of the attribute's;
/// in the types the generator writes it is a property the client drops, which
/// `cargo xtask corpus --schema` counts.
pub fn unread_properties(
    document: &serde_json::Value,
    item: &syn::DeriveInput,
    name: &str,
) -> Vec<String> {
    run_checker(document, "", item, name, Direction::Both).map_or_else(|_| Vec::new(), |c| c.unread)
}

fn run_checker<'d>(
    document: &'d serde_json::Value,
    spec_label: &str,
    item: &syn::DeriveInput,
    name: &str,
    direction: Direction,
) -> Result<compare::Checker<'d>, Vec<syn::Error>> {
    let name = LitStr::new(name, Span::call_site());
    let args = if name.value().starts_with('/') || name.value().starts_with("#/") {
        Args {
            pointer: Some(name),
            ..Args::default()
        }
    } else {
        Args {
            name: Some(name),
            ..Args::default()
        }
    };
    let node = find_schema(document, &args, item, spec_label).map_err(|e| vec![e])?;
    let mut checker = compare::Checker::new(document, spec_label.to_string(), direction);
    checker.check_item(item, &node);
    Ok(checker)
}

/// The structural identity of the schema at `pointer` (`#/…`) of `document`, as `#[schema]`
/// gives it to the type it checks against that schema.
pub fn identity_at(document: &serde_json::Value, pointer: &str) -> Option<u64> {
    let node = schema_view::lookup(document, pointer)?;
    schema_view::identity(document, &node).ok()
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
            let known: Vec<&str> =
                schemas.map_or_else(Vec::new, |m| m.keys().map(String::as_str).collect());
            let near = crate::util::names::closest(&wanted, &known);
            Err(match (&args.name, near) {
                (Some(name), Some(near)) => syn::Error::new_spanned(
                    name,
                    format!("{message}\n  = help: did you mean `{near}`?"),
                ),
                (Some(name), None) => syn::Error::new_spanned(name, message),
                (None, Some(near)) => syn::Error::new_spanned(
                    &item.ident,
                    format!("{message}\n  = help: did you mean `#[schema(name = \"{near}\")]`?"),
                ),
                (None, None) => syn::Error::new_spanned(
                    &item.ident,
                    format!("{message}\n  = help: name it with `#[schema(name = \"…\")]`"),
                ),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `contract-macros/tests/ui/specs/drift.yaml`, the UI tests' spec for issue 17's classes.
    fn drift_spec() -> serde_json::Value {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../contract-macros/tests/ui/specs/drift.yaml");
        crate::spec::load(&path).expect("drift.yaml loads").document
    }

    fn errors(item: syn::DeriveInput, name: &str, direction: Direction) -> Vec<String> {
        match check_component(&drift_spec(), "drift.yaml", &item, name, direction) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn generated_forms_are_accepted() {
        let cases: Vec<(syn::DeriveInput, &str)> = vec![
            (
                syn::parse_quote!(
                    #[serde(transparent)]
                    struct DateTime(pub String);
                ),
                "DateTime",
            ),
            (
                syn::parse_quote!(
                    #[serde(transparent)]
                    struct NullableSimpleUser(pub Option<Inner>);
                ),
                "nullable-simple-user",
            ),
            (
                syn::parse_quote!(
                    struct Event {
                        pub at: DateTime,
                        #[serde(default)]
                        pub reviewer: NullableSimpleUser,
                    }
                ),
                "Event",
            ),
            (
                syn::parse_quote!(
                    struct Job {
                        pub id: i64,
                        pub head_branch: serde_json::Value,
                    }
                ),
                "Job",
            ),
            (
                syn::parse_quote!(
                    struct Ticket {
                        pub owner: Option<Person>,
                        pub assignee: Option<Person>,
                    }
                ),
                "Ticket",
            ),
        ];
        for (item, name) in cases {
            assert_eq!(
                errors(item, name, Direction::Both),
                Vec::<String>::new(),
                "{name}"
            );
        }
    }

    /// GitHub's webhook and budget schemas: a property declared again in another `allOf`
    /// member (as a type, a non-null type, an integer), and a `oneOf` of one-value string enums.
    fn merged_spec() -> serde_json::Value {
        serde_json::json!({"openapi": "3.0.3", "components": {"schemas": {
            "Budget": {"type": "object", "required": ["kind"], "properties": {"kind": {"oneOf": [
                {"type": "string", "enum": ["Sku"]}, {"type": "string", "enum": ["Product"]}]}}},
            "Fork": {"allOf": [
                {"type": "object", "required": ["created_at", "pushed_at", "email"], "properties": {
                    "created_at": {"oneOf": [{"type": "integer"}, {"type": "string", "format": "date-time"}]},
                    "pushed_at": {"nullable": true, "oneOf": [{"type": "integer"}, {"type": "string", "format": "date-time"}]},
                    "email": {"type": "string", "nullable": true}}},
                {"type": "object", "properties": {
                    "created_at": {"type": "string"}, "pushed_at": {"type": "string"}, "email": {"type": "string"}}}
            ]},
            "Job": {"allOf": [
                {"type": "object", "required": ["run_id"], "properties": {"run_id": {"type": "number"}}},
                {"type": "object", "properties": {"run_id": {"type": "integer"}}}
            ]}
        }}})
    }

    fn merged_errors(item: syn::DeriveInput, name: &str) -> Vec<String> {
        match check_component(&merged_spec(), "m.json", &item, name, Direction::Both) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn unread_properties_are_the_ones_no_field_reads() {
        let document = serde_json::json!({"components": {"schemas": {"Pet": {
            "type": "object", "required": ["id"],
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "tag": {"type": "string"}}
        }}}});
        let partial: syn::DeriveInput = syn::parse_quote!(
            struct Pet {
                id: i64,
                #[serde(rename = "tag", default, skip_serializing_if = "Option::is_none")]
                label: Option<String>,
            }
        );
        assert_eq!(unread_properties(&document, &partial, "Pet"), ["name"]);
        let flattened: syn::DeriveInput = syn::parse_quote!(
            struct Pet {
                id: i64,
                #[serde(flatten)]
                rest: serde_json::Map<String, serde_json::Value>,
            }
        );
        assert!(unread_properties(&document, &flattened, "Pet").is_empty());
    }

    #[test]
    fn all_of_declarations_and_string_enum_alternatives_are_read_as_both_hold() {
        let kind = "/components/schemas/Budget/properties/kind";
        let generated: syn::DeriveInput = syn::parse_quote!(
            enum BudgetKind {
                Sku,
                Product,
            }
        );
        assert_eq!(merged_errors(generated, kind), Vec::<String>::new());
        let missing: syn::DeriveInput = syn::parse_quote!(
            enum BudgetKind {
                Sku,
            }
        );
        assert_eq!(merged_errors(missing, kind).len(), 1);
        let fork: syn::DeriveInput = syn::parse_quote!(
            struct Fork {
                pub created_at: ::chrono::DateTime<::chrono::offset::Utc>,
                pub pushed_at: ::chrono::DateTime<::chrono::offset::Utc>,
                pub email: String,
            }
        );
        assert_eq!(merged_errors(fork, "Fork"), Vec::<String>::new());
        // `null` is not a value of both declarations: a `None` sent would break the contract.
        let optional: syn::DeriveInput = syn::parse_quote!(
            struct Fork {
                pub created_at: i64,
                pub pushed_at: ::chrono::DateTime<::chrono::offset::Utc>,
                pub email: Option<String>,
            }
        );
        let found = merged_errors(optional, "Fork");
        assert_eq!(found.len(), 2, "{found:?}");
        // A number declared again as an integer is an integer (`normalize/all-of-number`).
        let job: syn::DeriveInput = syn::parse_quote!(
            struct Job {
                pub run_id: i64,
            }
        );
        assert_eq!(merged_errors(job, "Job"), Vec::<String>::new());
        let text: syn::DeriveInput = syn::parse_quote!(
            struct Job {
                pub run_id: String,
            }
        );
        assert_eq!(merged_errors(text, "Job").len(), 1);
        assert!(
            found[0].contains("created_at") || found[0].contains("i64"),
            "{found:?}"
        );
        assert!(
            found[1].contains("`email` is mapped to an `Option`"),
            "{found:?}"
        );
    }

    #[test]
    fn drift_behind_names_and_directions_is_caught() {
        let enum_as_string: syn::DeriveInput = syn::parse_quote!(
            struct Order {
                pub status: String,
                pub quantity: i32,
            }
        );
        let found = errors(enum_as_string.clone(), "Order", Direction::Request);
        assert!(found[0].contains("`enum` does not allow"), "{found:?}");
        assert!(errors(enum_as_string, "Order", Direction::Response).is_empty());

        let wide: syn::DeriveInput = syn::parse_quote!(
            struct Order {
                pub status: Status,
                pub quantity: i64,
            }
        );
        let found = errors(wide.clone(), "Order", Direction::Request);
        assert!(
            found[0].contains("can send values outside `int32`"),
            "{found:?}"
        );
        assert!(found[0].contains("use `i32`"), "{found:?}");
        assert!(errors(wide, "Order", Direction::Response).is_empty());

        let not_option: syn::DeriveInput = syn::parse_quote!(
            struct Ticket {
                pub owner: Person,
                pub assignee: Person,
            }
        );
        let found = errors(not_option, "Ticket", Direction::Response);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().all(|e| e.contains("may be `null`")),
            "{found:?}"
        );

        let chrono: syn::DeriveInput = syn::parse_quote!(
            struct Event {
                pub at: chrono::DateTime<chrono::Utc>,
            }
        );
        let found = errors(chrono, "Event", Direction::Both);
        assert!(found[0].contains("another format"), "{found:?}");
    }

    #[test]
    fn a_required_name_without_property_gives_one_error_at_most() {
        let missing: syn::DeriveInput = syn::parse_quote!(
            struct Job {
                pub id: i64,
            }
        );
        let found = errors(missing, "Job", Direction::Both);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("no field for required property `head_branch`"));
    }

    #[test]
    fn a_flattened_map_does_not_stand_for_a_required_property_that_is_sent() {
        // openbankingproject.ch's `_linksDownload`: a required property beside
        // `additionalProperties` of the same schema.
        let document = serde_json::json!({"components": {"schemas": {
            "Links": {
                "type": "object",
                "required": ["download"],
                "properties": {"download": {"$ref": "#/components/schemas/Href"}},
                "additionalProperties": {"$ref": "#/components/schemas/Href"}
            },
            "Href": {"type": "object", "properties": {"href": {"type": "string"}}}
        }}});
        let check = |item: syn::DeriveInput, direction| {
            check_component(&document, "links.json", &item, "Links", direction)
                .err()
                .unwrap_or_default()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        };
        let generated: syn::DeriveInput = syn::parse_quote!(
            struct Links {
                pub download: Href,
                #[serde(flatten)]
                pub extra: ::std::collections::HashMap<::std::string::String, Href>,
            }
        );
        assert_eq!(check(generated, Direction::Both), Vec::<String>::new());
        let removed: syn::DeriveInput = syn::parse_quote!(
            struct Links {
                #[serde(flatten)]
                pub extra: serde_json::Map<String, serde_json::Value>,
            }
        );
        let found = check(removed.clone(), Direction::Both);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("no field for required property `download`"));
        assert_eq!(check(removed.clone(), Direction::Request).len(), 1);
        // Nor does any other library type: a bare `HashMap`, a `Value`, an `Option`.
        for rest in [
            quote::quote!(HashMap<String, Href>),
            quote::quote!(serde_json::Value),
            quote::quote!(Option<LinksBase>),
        ] {
            let item: syn::DeriveInput = syn::parse_quote!(
                struct Links {
                    #[serde(flatten)]
                    pub rest: #rest,
                }
            );
            assert_eq!(check(item, Direction::Both).len(), 1, "{rest}");
        }
        // Read, the map holds it.
        assert_eq!(check(removed, Direction::Response), Vec::<String>::new());
        // A flattened struct may declare it: not judged.
        let composed: syn::DeriveInput = syn::parse_quote!(
            struct Links {
                #[serde(flatten)]
                pub base: LinksBase,
            }
        );
        assert_eq!(check(composed, Direction::Both), Vec::<String>::new());
    }

    #[test]
    fn skip_serializing_none_counts_for_every_option() {
        let item: syn::DeriveInput = syn::parse_quote! {
            #[serde_with::skip_serializing_none]
            struct Event { pub at: DateTime, pub reviewer: Option<NullableSimpleUser> }
        };
        assert_eq!(errors(item, "Event", Direction::Both), Vec::<String>::new());
        // A required `Option`: the attribute turns "sends `null`" into "omits it".
        let with: syn::DeriveInput = syn::parse_quote!(
            #[serde_with::skip_serializing_none]
            struct Event {
                pub at: Option<DateTime>,
            }
        );
        let without: syn::DeriveInput = syn::parse_quote!(
            struct Event {
                pub at: Option<DateTime>,
            }
        );
        assert!(errors(with, "Event", Direction::Both)[0].contains("would omit it"));
        assert!(errors(without, "Event", Direction::Both)[0].contains("would send `null` for it"));
    }

    #[test]
    fn named_types_behind_inline_schemas_and_numbered_refs_need_an_identity() {
        let item: syn::DeriveInput = syn::parse_quote!(
            struct Collection {
                pub data: DataArray3,
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub tags: Option<Box<CollectionTags>>,
            }
        );
        let needs = check_component(
            &drift_spec(),
            "drift.yaml",
            &item,
            "Collection",
            Direction::Both,
        )
        .expect("accepted in-process");
        let found: Vec<(&str, &str, &str)> = needs
            .iter()
            .map(|n| (n.field.as_str(), n.type_name.as_str(), n.pointer.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("data", "DataArray3", "#/components/schemas/dataArray"),
                (
                    "tags",
                    "CollectionTags",
                    "#/components/schemas/Collection/properties/tags"
                ),
            ]
        );
        assert_eq!(
            needs[0].identity,
            identity_at(&drift_spec(), "#/components/schemas/dataArray").unwrap()
        );
        // Opting out at the field: no identity asked; library types never are.
        let opted_out: syn::DeriveInput = syn::parse_quote!(
            struct Collection {
                pub data: Vec<String>,
                #[serde(default, skip_serializing_if = "Option::is_none")]
                #[schema(unchecked)]
                pub tags: Option<Labels>,
            }
        );
        let needs = check_component(
            &drift_spec(),
            "drift.yaml",
            &opted_out,
            "Collection",
            Direction::Both,
        )
        .expect("accepted in-process");
        assert!(needs.is_empty(), "{needs:?}");
        // A type named exactly after another component with another schema: rejected here.
        let other: syn::DeriveInput = syn::parse_quote!(
            struct Collection {
                pub data: DataArray,
            }
        );
        let found = errors(other, "Collection", Direction::Both);
        assert!(
            found[0].contains("is the type for schema `DataArray`, not `dataArray`"),
            "{found:?}"
        );
    }

    #[test]
    fn a_generic_item_holds_its_fields_to_identities_or_refuses_them() {
        // A lifetime parameter: the assertion names the type with `'static`.
        let borrowed: syn::DeriveInput = syn::parse_quote!(
            struct Collection<'a> {
                pub data: DataArray3<'a>,
            }
        );
        let needs = check_component(
            &drift_spec(),
            "drift.yaml",
            &borrowed,
            "Collection",
            Direction::Both,
        )
        .expect("accepted in-process");
        let assertion = needs[0].assertion.to_string();
        assert!(assertion.contains("DataArray3 < 'static >"), "{assertion}");
        // A type parameter: the field's type has no identity where the item is defined.
        let generic: syn::DeriveInput = syn::parse_quote!(
            struct Collection<T> {
                pub data: Wrapper<T>,
            }
        );
        let found = errors(generic, "Collection", Direction::Both);
        assert!(
            found[0].contains("uses the generic parameter `T`"),
            "{found:?}"
        );
    }

    #[test]
    fn enum_values_the_schema_forbids_need_no_variant() {
        let document = serde_json::json!({"components": {"schemas": {
            "Kind": {"type": "string", "maxLength": 8, "enum": ["Payment", "Chargeback"]}
        }}});
        let item: syn::DeriveInput = syn::parse_quote!(
            enum Kind {
                Payment,
            }
        );
        let found = check_component(&document, "kinds.yaml", &item, "Kind", Direction::Both);
        assert!(found.is_ok(), "`Chargeback` is longer than `maxLength`");
        let item: syn::DeriveInput = syn::parse_quote!(
            enum Kind {
                Chargeback,
            }
        );
        let found = check_component(&document, "kinds.yaml", &item, "Kind", Direction::Both);
        assert!(found.is_err(), "`Payment` still needs a variant");
    }

    #[test]
    fn a_misspelt_field_gets_the_near_name_and_every_property() {
        let item: syn::DeriveInput = syn::parse_quote!(
            struct Order {
                pub staus: OrderStatus,
                pub quantity: i32,
            }
        );
        let found = errors(item, "Order", Direction::Both);
        let typo = found
            .iter()
            .find(|e| e.contains("`staus`"))
            .expect("typo reported");
        assert!(typo.contains("did you mean `status`?"), "{typo}");
        assert!(
            typo.contains("the properties are: status, quantity"),
            "{typo}"
        );
    }
}
