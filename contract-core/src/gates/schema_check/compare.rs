//! Comparing a Rust struct or enum with its schema. Every problem becomes a `syn::Error`
//! spanned at the offending field, type or variant, with a note saying what the spec says and
//! where; all of them are collected so the user sees everything at once.

use std::cell::RefCell;

use proc_macro2::Span;
use quote::ToTokens;
use serde_json::Value;
use syn::{DeriveInput, Fields};

use super::rust_type::{self, Shape};
use super::schema_view::{self, Additional, Node, ObjectShape};
use super::serde_attrs::{self, ContainerAttrs};
use super::value::describe_facts;

/// Which way the type's values travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent to the service (serialized): what is written must be valid.
    Request,
    /// Received from the service (deserialized): everything valid must be readable.
    Response,
    /// Both (the default, strictest).
    Both,
}

impl Direction {
    pub(super) fn reads(self) -> bool {
        matches!(self, Direction::Response | Direction::Both)
    }
    pub(super) fn writes(self) -> bool {
        matches!(self, Direction::Request | Direction::Both)
    }
}

/// What a struct's `#[serde(flatten)]` fields are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flattened {
    /// There are none.
    None,
    /// Library types only (maps, `serde_json::Value`, `Option`s): they may collect leftover
    /// properties, but nothing makes them hold any.
    Maps,
    /// At least one of the user's own structs, which may declare properties of its own.
    Types,
}

/// The state of one check.
pub struct Checker<'d> {
    /// The document.
    pub root: &'d Value,
    /// How the spec file is named in notes (relative to the crate).
    pub spec_label: String,
    /// Direction rules.
    pub direction: Direction,
    /// Everything found so far.
    pub errors: Vec<syn::Error>,
    /// The user's named types that must carry `#[schema]` for a given schema, each a
    /// compile-time assertion (see [`Checker::require_identity`]).
    pub identities: RefCell<Vec<IdentityNeed>>,
    /// Properties of a checked struct's schema that no field reads (none are listed when a
    /// `flatten` field may hold them).
    pub unread: Vec<String>,
    /// The field being checked is marked `#[schema(unchecked)]`: its named types are not held
    /// to an identity.
    unchecked: bool,
    /// The Rust name of the field being checked (empty for a newtype's).
    field: String,
    /// The item's type and const parameters: a field type naming one has no schema identity
    /// where the item is defined.
    generic_params: Vec<syn::Ident>,
}

/// A named type of the user's that must carry `#[schema]` for the schema at `pointer`.
#[derive(Debug, Clone)]
pub struct IdentityNeed {
    /// The type as written (`Color`, `types::Pet`).
    pub type_name: String,
    /// The field whose type it is (its Rust name; empty for a newtype's field).
    pub field: String,
    /// Where the schema is, as a URI fragment (`#/components/schemas/Order/properties/status`).
    pub pointer: String,
    /// The schema's structural identity ([`schema_view::identity`]).
    pub identity: u64,
    /// The compile-time assertion.
    pub assertion: proc_macro2::TokenStream,
}

impl<'d> Checker<'d> {
    /// A checker with nothing found yet.
    pub fn new(root: &'d Value, spec_label: String, direction: Direction) -> Checker<'d> {
        Checker {
            root,
            spec_label,
            direction,
            errors: Vec::new(),
            identities: RefCell::new(Vec::new()),
            unread: Vec::new(),
            unchecked: false,
            field: String::new(),
            generic_params: Vec::new(),
        }
    }

    pub(super) fn note(&self, node: &Node<'_>, what: &str) -> String {
        format!(
            "\n  = note: the spec says {what} at `{}{}`",
            self.spec_label, node.pointer
        )
    }

    pub(super) fn push(&mut self, tokens: &dyn ToTokens, message: String) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    fn push_at(&mut self, span: Span, message: String) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Checks an item against the schema at `node`.
    pub fn check_item(&mut self, item: &DeriveInput, node: &Node<'d>) {
        self.generic_params = rust_type::type_params(&item.generics);
        let container = match serde_attrs::container(&item.attrs) {
            Ok(c) => c,
            Err(e) => return self.errors.push(e),
        };
        match &item.data {
            syn::Data::Struct(data) => match &data.fields {
                Fields::Named(_) if !container.transparent => self.check_struct(item, &data.fields, &container, node),
                Fields::Named(named) if named.named.len() == 1 => self.check_newtype(&named.named[0], node),
                Fields::Unnamed(unnamed) if unnamed.unnamed.len() == 1 => self.check_newtype(&unnamed.unnamed[0], node),
                _ => self.push(&item.ident, "only structs with named fields, newtypes and enums can be checked against a schema".into()),
            },
            syn::Data::Enum(data) => self.check_enum(item, data, &container, node),
            syn::Data::Union(_) => self.push(&item.ident, "unions cannot be checked against a schema".into()),
        }
    }

    /// A newtype (or a transparent struct): its one field holds the schema's values.
    fn check_newtype(&mut self, field: &syn::Field, node: &Node<'d>) {
        match serde_attrs::unchecked(&field.attrs) {
            Ok(unchecked) => self.unchecked = unchecked,
            Err(e) => return self.errors.push(e),
        }
        self.check_value_at(&field.ty, node);
        self.unchecked = false;
    }

    fn check_struct(
        &mut self,
        item: &DeriveInput,
        fields: &Fields,
        container: &ContainerAttrs,
        node: &Node<'d>,
    ) {
        let facts = match schema_view::facts(self.root, node) {
            Ok((facts, _)) => facts,
            Err(e) => return self.push(&item.ident, e),
        };
        if !facts.types.is_empty() && !facts.types.iter().any(|t| t == "object") {
            let what = format!("`{}`, not an object", facts.types.join(" | "));
            let note = self.note(node, &what);
            return self.push(
                &item.ident,
                format!(
                    "`{}` is a struct, but its schema is not an object{note}",
                    item.ident
                ),
            );
        }
        let shape = match schema_view::object_shape(self.root, node) {
            Ok(shape) => shape,
            Err(e) => return self.push(&item.ident, e),
        };
        let (matched, flattened) = self.check_fields(fields, container, &shape, node);
        // A flattened map may hold a required property when it reads one, but nothing makes
        // it send one; a flattened struct of the user's may declare it (the checker cannot
        // look into it).
        let required_held = match flattened {
            Flattened::None => false,
            Flattened::Maps => !self.direction.writes(),
            Flattened::Types => true,
        };
        if !required_held {
            self.check_required_present(item, &shape, &matched, node);
        }
        if flattened == Flattened::None {
            self.unread = (shape.properties.iter())
                .map(|(name, _)| name)
                .filter(|name| !matched.contains(name))
                .cloned()
                .collect();
        }
        if container.deny_unknown_fields && self.direction.reads() {
            let has_flatten = flattened != Flattened::None;
            self.check_deny_unknown(item, &shape, &matched, has_flatten, node);
        }
    }

    /// Checks every field against its property; returns the JSON names matched and what the
    /// `flatten` fields, if any, are.
    fn check_fields(
        &mut self,
        fields: &Fields,
        container: &ContainerAttrs,
        shape: &ObjectShape<'d>,
        node: &Node<'d>,
    ) -> (Vec<String>, Flattened) {
        let mut matched = Vec::new();
        let mut flattened = Flattened::None;
        for field in fields {
            let attrs = match serde_attrs::field(&field.attrs) {
                Ok(a) => a,
                Err(e) => {
                    self.errors.push(e);
                    continue;
                }
            };
            if attrs.skip {
                continue;
            }
            if attrs.flatten {
                let own = matches!(rust_type::shape(&field.ty), Shape::Named(_))
                    && rust_type::is_own(&field.ty);
                flattened = match (flattened, own) {
                    (Flattened::None | Flattened::Maps, false) => Flattened::Maps,
                    _ => Flattened::Types,
                };
                continue;
            }
            let Some(ident) = &field.ident else { continue };
            let rust_name = ident.to_string().trim_start_matches("r#").to_string();
            let json_name = match (&attrs.rename, container.rename_all) {
                (Some(name), _) => name.clone(),
                (None, Some(rule)) => rule.apply_to_field(&rust_name),
                (None, None) => rust_name.clone(),
            };
            let required = shape.required.contains(&json_name);
            let Some(property) = property_of(shape, &json_name, node) else {
                self.no_property(ident, &rust_name, &json_name, shape, node);
                continue;
            };
            matched.push(json_name.clone());
            self.unchecked = attrs.unchecked;
            self.field.clone_from(&rust_name);
            let non_null = shape.non_null.contains(&json_name);
            let property = Declared {
                node: &property,
                required,
                non_null,
            };
            self.check_field(field, &attrs, container, &json_name, &property);
            self.unchecked = false;
            self.field.clear();
        }
        (matched, flattened)
    }

    fn no_property(
        &mut self,
        ident: &syn::Ident,
        rust_name: &str,
        json_name: &str,
        shape: &ObjectShape<'d>,
        node: &Node<'d>,
    ) {
        let known: Vec<&str> = shape.properties.iter().map(|(n, _)| n.as_str()).collect();
        let list = if known.is_empty() {
            "the schema lists no properties".to_string()
        } else {
            format!("the properties are: {}", known.join(", "))
        };
        let note = self.note(node, &list);
        let hint = match crate::util::names::closest(json_name, &known) {
            Some(near) => {
                format!("\n  = help: did you mean `{near}`? (`#[serde(rename = \"{near}\")]`)")
            }
            None => String::new(),
        };
        self.push(
            ident,
            format!("field `{rust_name}` (JSON name `{json_name}`) has no property in the schema{note}{hint}"),
        );
    }

    fn check_required_present(
        &mut self,
        item: &DeriveInput,
        shape: &ObjectShape<'d>,
        matched: &[String],
        node: &Node<'d>,
    ) {
        for name in &shape.required {
            if matched.contains(name) {
                continue;
            }
            let pointer = shape
                .properties
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, p)| p.clone())
                .unwrap_or_else(|| node.clone());
            let note = self.note(&pointer, &format!("`{name}` is required"));
            self.push(
                &item.ident,
                format!("no field for required property `{name}`{note}"),
            );
        }
    }

    fn check_deny_unknown(
        &mut self,
        item: &DeriveInput,
        shape: &ObjectShape<'d>,
        matched: &[String],
        has_flatten: bool,
        node: &Node<'d>,
    ) {
        if let Additional::Any | Additional::Schema(_) = &shape.additional {
            let note = self.note(node, "`additionalProperties` allows more properties");
            self.push(
                &item.ident,
                format!("`deny_unknown_fields` rejects properties the schema allows{note}"),
            );
        }
        if has_flatten {
            return;
        }
        for (name, property) in &shape.properties {
            if !matched.contains(name) {
                let note = self.note(property, &format!("`{name}` may be present"));
                self.push(&item.ident, format!("no field for property `{name}`, and `deny_unknown_fields` rejects a response that has it{note}"));
            }
        }
    }

    fn check_field(
        &mut self,
        field: &syn::Field,
        attrs: &serde_attrs::FieldAttrs,
        container: &ContainerAttrs,
        json_name: &str,
        declared: &Declared<'_, 'd>,
    ) {
        let (property, required) = (declared.node, declared.required);
        let mut facts = match schema_view::facts(self.root, property) {
            Ok((facts, _)) => facts,
            Err(e) => return self.push(&field.ty, e),
        };
        facts.nullable &= !declared.non_null;
        // A field of the referenced component's own type: that type's `#[schema]` checks it
        // holds `null` when the component is nullable; only a `null` allowed here (`nullable`
        // beside the `$ref`, an `allOf` or `oneOf` member) is this field's business.
        let nullable = if self.is_ref_type(&field.ty, property) == Some(true) {
            schema_view::nullable_here(self.root, property) && !declared.non_null
        } else {
            facts.nullable
        };
        let requirement = if required { "required" } else { "optional" };
        let nullability = if nullable { "nullable" } else { "not nullable" };
        let summary = format!("`{json_name}` is {requirement} and {nullability}");
        match rust_type::shape(&field.ty) {
            Shape::Option(inner) => {
                let writes = self.direction.writes() && !attrs.skip_serializing;
                let skips_none = attrs.skip_serializing_if || container.skip_serializing_none;
                // A nullable required property may be `null`, never absent.
                // An `Option` may hold the referenced component's own `null` too.
                if writes && required && (!facts.nullable || skips_none) {
                    let effect = if skips_none {
                        "omit"
                    } else {
                        "send `null` for"
                    };
                    let note = self.note(property, &summary);
                    self.push(&field.ty, format!("required property `{json_name}` is mapped to an `Option`: a `None` would {effect} it{note}"));
                } else if writes && !required && !facts.nullable && !skips_none {
                    let note = self.note(property, &summary);
                    self.push(&field.ty, format!("a `None` in `{json_name}` would be sent as `null`, which the schema does not allow; add `#[serde(skip_serializing_if = \"Option::is_none\")]`{note}"));
                }
                self.check_value_at(inner, property);
            }
            _ => {
                let reads = self.direction.reads() && !attrs.skip_deserializing;
                if reads && !required && !attrs.default && !container.default {
                    let note = self.note(property, &summary);
                    let ident = field
                        .ident
                        .as_ref()
                        .map_or(&field.ty as &dyn ToTokens, |i| i as &dyn ToTokens);
                    self.push(ident, format!("optional property `{json_name}` is mapped to a field that is neither an `Option` nor `#[serde(default)]`: a response without it fails to deserialize{note}"));
                } else if reads && nullable && !matches!(rust_type::shape(&field.ty), Shape::Json) {
                    let note = self.note(property, &summary);
                    self.push(&field.ty, format!("property `{json_name}` may be `null`, which `{}` cannot hold; use `Option<…>`{note}", rust_type::display(&field.ty)));
                }
                self.check_value_at(&field.ty, property);
            }
        }
    }

    /// `ty`, one of the user's named types, holds the values of the schema at `node` (written
    /// inline, or a `$ref` to a component the type is not named after): the macro cannot look
    /// into that type, so it asserts at compile time that the type's own `#[schema]` checked
    /// it against a schema structurally equal to this one. A type without `#[schema]` fails
    /// too (fail closed), unless the field is marked `#[schema(unchecked)]`.
    pub(super) fn require_identity(&self, ty: &syn::Type, node: &Node<'d>) -> Result<(), String> {
        if self.unchecked {
            return Ok(());
        }
        let Some(own) = rust_type::own_type(ty).filter(|own| rust_type::is_own(own)) else {
            return Ok(());
        };
        let shown = rust_type::display(own);
        let at = format!("{}{}", self.spec_label, node.pointer);
        if let Some(param) = rust_type::mentions(own, &self.generic_params) {
            return Err(format!(
                "`{shown}` uses the generic parameter `{param}`, so `#[schema]` cannot check it against the schema at `{at}` where the item is defined; use a concrete type, or mark the field `#[schema(unchecked)]`"
            ));
        }
        // The assertion is an item of its own: the item's lifetimes are not in scope there.
        let own = &rust_type::with_static_lifetimes(own);
        let identity = schema_view::identity(self.root, node)?;
        let pointer = node.pointer.trim_start_matches('#');
        let mismatch = format!(
            "`{shown}` was checked by `#[schema]` against another schema than the one at `{at}`"
        );
        let missing = format!(
            "`{shown}` has no `#[schema]`, so nothing checks it against the schema at `{at}`; annotate it with `#[contract_macros::schema(…, pointer = \"{pointer}\")]`, or mark the field `#[schema(unchecked)]`"
        );
        let assertion = quote::quote_spanned! {syn::spanned::Spanned::span(own)=>
            const _: () = {
                trait __ContractGuardUnchecked {
                    const __CONTRACT_GUARD_SCHEMA: u64 = 0;
                }
                impl<T: ?Sized> __ContractGuardUnchecked for T {}
                match <#own>::__CONTRACT_GUARD_SCHEMA {
                    #identity => {}
                    0 => panic!(#missing),
                    _ => panic!(#mismatch),
                }
            };
        };
        self.identities.borrow_mut().push(IdentityNeed {
            type_name: shown,
            field: self.field.clone(),
            pointer: node.pointer.clone(),
            identity,
            assertion,
        });
        Ok(())
    }

    fn check_enum(
        &mut self,
        item: &DeriveInput,
        data: &syn::DataEnum,
        container: &ContainerAttrs,
        node: &Node<'d>,
    ) {
        if container.non_plain_enum {
            return self.push(&item.ident, "only plain string enums are checked; `untagged`, `tag` and `content` representations are not supported".into());
        }
        let (facts, resolved) = match schema_view::facts(self.root, node) {
            Ok(f) => f,
            Err(e) => return self.push(&item.ident, e),
        };
        let Some(values) = facts
            .enum_values
            .as_ref()
            .filter(|v| v.iter().all(Value::is_string))
        else {
            let note = self.note(&resolved, &describe_facts(&facts));
            return self.push(
                &item.ident,
                format!(
                    "`{}` is an enum, but its schema is not a string enum{note}",
                    item.ident
                ),
            );
        };
        // A value its own schema forbids (longer than `maxLength`) is never valid: no variant
        // is needed for it (the generator leaves it out).
        let length = |key: &str| resolved.value.get(key).and_then(Value::as_u64);
        let (min_length, max_length) = (length("minLength"), length("maxLength"));
        let spec_values: Vec<&str> = values
            .iter()
            .filter_map(Value::as_str)
            .filter(|v| {
                let count = v.chars().count() as u64;
                min_length.is_none_or(|min| count >= min)
                    && max_length.is_none_or(|max| count <= max)
            })
            .collect();
        let mut names = Vec::new();
        let mut has_other = false;
        for variant in &data.variants {
            let attrs = match serde_attrs::variant(&variant.attrs) {
                Ok(a) => a,
                Err(e) => {
                    self.errors.push(e);
                    continue;
                }
            };
            if attrs.skip {
                continue;
            }
            if attrs.other {
                has_other = true;
                continue;
            }
            if !matches!(variant.fields, Fields::Unit) {
                self.push(
                    &variant.ident,
                    "only unit variants can stand for string enum values".into(),
                );
                continue;
            }
            let rust = variant.ident.to_string();
            let json = match (&attrs.rename, container.rename_all) {
                (Some(name), _) => name.clone(),
                (None, Some(rule)) => rule.apply_to_variant(&rust),
                (None, None) => rust,
            };
            if self.direction.writes() && !spec_values.contains(&json.as_str()) {
                let note = self.note(
                    &resolved,
                    &format!("the values are: {}", quoted(&spec_values)),
                );
                self.push(&variant.ident, format!("variant `{}` is `\"{json}\"` in JSON, which is not one of the schema's values{note}", variant.ident));
            }
            names.push(json);
        }
        if self.direction.reads() && !has_other {
            let missing: Vec<&str> = spec_values
                .iter()
                .copied()
                .filter(|v| !names.iter().any(|n| n == v))
                .collect();
            if !missing.is_empty() {
                let note = self.note(
                    &resolved,
                    &format!("the values are: {}", quoted(&spec_values)),
                );
                self.push_at(
                    item.ident.span(),
                    format!("`{}` has no variant for {}: a response with it fails to deserialize (add the variants, or a `#[serde(other)]` catch-all){note}", item.ident, quoted(&missing)),
                );
            }
        }
    }
}

fn quoted(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("`\"{v}\"`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A property as an object declares it.
struct Declared<'a, 'd> {
    /// Its schema (the declaration checked against).
    node: &'a Node<'d>,
    /// Whether it is required.
    required: bool,
    /// Whether another declaration of it (in an `allOf` member) rules out `null`.
    non_null: bool,
}

/// The schema of the property `json_name`: its entry under `properties`, else, for a name that
/// is only `required`, what `additionalProperties` allows (any value when unspecified).
fn property_of<'d>(shape: &ObjectShape<'d>, json_name: &str, node: &Node<'d>) -> Option<Node<'d>> {
    /// The schema `true`: any value.
    static ANY: Value = Value::Bool(true);
    if let Some((_, property)) = shape.properties.iter().find(|(name, _)| name == json_name) {
        return Some(property.clone());
    }
    if !shape.required.contains(json_name) {
        return None;
    }
    // With `additionalProperties: false` no object is valid; the generator writes a field of
    // any value for the name, and so does this check.
    match &shape.additional {
        Additional::Schema(schema) => Some(schema.clone()),
        Additional::Any | Additional::Unspecified | Additional::Forbidden => Some(Node {
            value: &ANY,
            pointer: format!("{}/required", node.pointer),
        }),
    }
}
