//! The serde attributes that change a type's JSON shape, read from syn attributes:
//! `rename`, `rename_all`, `skip*`, `default`, `flatten`, `skip_serializing_if`,
//! `deny_unknown_fields`, `other`, `transparent`, and the enum representations.

use syn::{Attribute, LitStr};

/// serde's `rename_all` rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameRule {
    /// `lowercase`.
    Lower,
    /// `UPPERCASE`.
    Upper,
    /// `PascalCase`.
    Pascal,
    /// `camelCase`.
    Camel,
    /// `snake_case`.
    Snake,
    /// `SCREAMING_SNAKE_CASE`.
    ScreamingSnake,
    /// `kebab-case`.
    Kebab,
    /// `SCREAMING-KEBAB-CASE`.
    ScreamingKebab,
}

impl RenameRule {
    fn parse(name: &str) -> Option<RenameRule> {
        Some(match name {
            "lowercase" => RenameRule::Lower,
            "UPPERCASE" => RenameRule::Upper,
            "PascalCase" => RenameRule::Pascal,
            "camelCase" => RenameRule::Camel,
            "snake_case" => RenameRule::Snake,
            "SCREAMING_SNAKE_CASE" => RenameRule::ScreamingSnake,
            "kebab-case" => RenameRule::Kebab,
            "SCREAMING-KEBAB-CASE" => RenameRule::ScreamingKebab,
            _ => return None,
        })
    }

    /// Applies the rule to a field name written in snake_case (as serde does).
    pub fn apply_to_field(self, field: &str) -> String {
        match self {
            RenameRule::Lower | RenameRule::Snake => field.to_string(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Pascal => {
                let mut out = String::new();
                let mut capitalize = true;
                for c in field.chars() {
                    if c == '_' {
                        capitalize = true;
                    } else if capitalize {
                        out.push(c.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        out.push(c);
                    }
                }
                out
            }
            RenameRule::Camel => {
                let pascal = RenameRule::Pascal.apply_to_field(field);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => pascal,
                }
            }
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }

    /// Applies the rule to a variant name written in PascalCase (as serde does).
    pub fn apply_to_variant(self, variant: &str) -> String {
        match self {
            RenameRule::Pascal => variant.to_string(),
            RenameRule::Lower => variant.to_ascii_lowercase(),
            RenameRule::Upper => variant.to_ascii_uppercase(),
            RenameRule::Camel => {
                let mut chars = variant.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => String::new(),
                }
            }
            RenameRule::Snake => {
                let mut out = String::new();
                for (i, c) in variant.char_indices() {
                    if i > 0 && c.is_uppercase() {
                        out.push('_');
                    }
                    out.push(c.to_ascii_lowercase());
                }
                out
            }
            RenameRule::ScreamingSnake => RenameRule::Snake
                .apply_to_variant(variant)
                .to_ascii_uppercase(),
            RenameRule::Kebab => RenameRule::Snake
                .apply_to_variant(variant)
                .replace('_', "-"),
            RenameRule::ScreamingKebab => RenameRule::ScreamingSnake
                .apply_to_variant(variant)
                .replace('_', "-"),
        }
    }
}

/// Serde attributes of a struct or enum.
#[derive(Debug, Clone, Default)]
pub struct ContainerAttrs {
    /// `rename_all` (serialize and deserialize alike; the split form uses the deserialize rule).
    pub rename_all: Option<RenameRule>,
    /// `deny_unknown_fields`.
    pub deny_unknown_fields: bool,
    /// Container-level `default`.
    pub default: bool,
    /// `transparent`.
    pub transparent: bool,
    /// `untagged`, `tag = …` or `content = …`: not a plain string enum.
    pub non_plain_enum: bool,
    /// `#[serde_with::skip_serializing_none]`: `skip_serializing_if` on every `Option` field.
    pub skip_serializing_none: bool,
}

/// Serde attributes of a field.
#[derive(Debug, Clone, Default)]
pub struct FieldAttrs {
    /// `rename = "…"` (the deserialize name for the split form).
    pub rename: Option<String>,
    /// `skip`, or both `skip_serializing` and `skip_deserializing`.
    pub skip: bool,
    /// `skip_serializing` only.
    pub skip_serializing: bool,
    /// `skip_deserializing` only.
    pub skip_deserializing: bool,
    /// `default` or `default = "…"`.
    pub default: bool,
    /// `flatten`.
    pub flatten: bool,
    /// `skip_serializing_if = "…"`.
    pub skip_serializing_if: bool,
    /// `#[schema(unchecked)]` (not serde's): the field's named type is not held to the
    /// schema's identity.
    pub unchecked: bool,
}

/// Serde attributes of an enum variant.
#[derive(Debug, Clone, Default)]
pub struct VariantAttrs {
    /// `rename = "…"`.
    pub rename: Option<String>,
    /// `other` (the catch-all variant).
    pub other: bool,
    /// `skip` or `skip_deserializing`.
    pub skip: bool,
}

/// Calls `f` for each `name` or `name = value` item inside `#[serde(...)]` attributes.
fn each_serde_meta(
    attrs: &[Attribute],
    mut f: impl FnMut(&str, &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()>,
) -> syn::Result<()> {
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            f(&name, &meta)?;
            // Consume any value we did not read so parsing can continue.
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            } else if meta.input.peek(syn::token::Paren) {
                let _content;
                syn::parenthesized!(_content in meta.input);
                let _: proc_macro2::TokenStream = _content.parse()?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// `rename = "x"` or `rename(deserialize = "x")`: the name used when reading.
fn read_rename(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Option<String>> {
    if meta.input.peek(syn::Token![=]) {
        let lit: LitStr = meta.value()?.parse()?;
        return Ok(Some(lit.value()));
    }
    let mut out = None;
    meta.parse_nested_meta(|inner| {
        let lit: LitStr = inner.value()?.parse()?;
        if inner.path.is_ident("deserialize") || out.is_none() {
            out = Some(lit.value());
        }
        Ok(())
    })?;
    Ok(out)
}

/// Reads container attributes.
pub fn container(attrs: &[Attribute]) -> syn::Result<ContainerAttrs> {
    let mut out = ContainerAttrs {
        skip_serializing_none: attrs.iter().any(|a| {
            a.path()
                .segments
                .last()
                .is_some_and(|s| s.ident == "skip_serializing_none")
        }),
        ..ContainerAttrs::default()
    };
    each_serde_meta(attrs, |name, meta| {
        match name {
            "rename_all" => {
                if let Some(rule) = read_rename(meta)? {
                    out.rename_all = Some(RenameRule::parse(&rule).ok_or_else(|| {
                        meta.error(format!("unknown `rename_all` rule `{rule}`"))
                    })?);
                }
            }
            "deny_unknown_fields" => out.deny_unknown_fields = true,
            "default" => out.default = true,
            "transparent" => out.transparent = true,
            "untagged" | "tag" | "content" => out.non_plain_enum = true,
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// Reads field attributes.
pub fn field(attrs: &[Attribute]) -> syn::Result<FieldAttrs> {
    let mut out = FieldAttrs::default();
    each_serde_meta(attrs, |name, meta| {
        match name {
            "rename" => out.rename = read_rename(meta)?,
            "skip" => out.skip = true,
            "skip_serializing" => out.skip_serializing = true,
            "skip_deserializing" => out.skip_deserializing = true,
            "default" => out.default = true,
            "flatten" => out.flatten = true,
            "skip_serializing_if" => out.skip_serializing_if = true,
            _ => {}
        }
        Ok(())
    })?;
    if out.skip_serializing && out.skip_deserializing {
        out.skip = true;
    }
    out.unchecked = unchecked(attrs)?;
    Ok(out)
}

/// Whether a field is marked `#[schema(unchecked)]` (or `#[contract_macros::schema(…)]`): its
/// named type need not carry `#[schema]`. Any other argument is an error, so a typo does not
/// turn a check off silently.
pub fn unchecked(attrs: &[Attribute]) -> syn::Result<bool> {
    let mut found = false;
    for attr in attrs.iter().filter(|a| is_schema_attr(a)) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("unchecked") {
                found = true;
                Ok(())
            } else {
                Err(meta.error("unknown field argument; expected `#[schema(unchecked)]`"))
            }
        })?;
    }
    Ok(found)
}

/// `#[schema(…)]` or `#[contract_macros::schema(…)]` on a field: read by the attribute on the
/// item, removed from the item it emits.
pub fn is_schema_attr(attr: &Attribute) -> bool {
    let path = attr.path();
    path.is_ident("schema")
        || path.segments.len() == 2
            && path.segments[0].ident == "contract_macros"
            && path.segments[1].ident == "schema"
}

/// The item without the field attributes only `#[schema]` reads (rustc knows no field
/// attribute `schema`); `None` when it has none (the item's own tokens are then emitted as
/// they came, which spares the macro sending each of them back to rustc one by one).
pub fn strip_field_attrs(item: &syn::DeriveInput) -> Option<syn::DeriveInput> {
    let fields: Vec<&syn::Field> = match &item.data {
        syn::Data::Struct(data) => data.fields.iter().collect(),
        syn::Data::Enum(data) => data.variants.iter().flat_map(|v| &v.fields).collect(),
        syn::Data::Union(_) => Vec::new(),
    };
    if !fields.iter().any(|f| f.attrs.iter().any(is_schema_attr)) {
        return None;
    }
    let mut item = item.clone();
    let strip = |fields: &mut syn::Fields| {
        for field in fields.iter_mut() {
            field.attrs.retain(|a| !is_schema_attr(a));
        }
    };
    match &mut item.data {
        syn::Data::Struct(data) => strip(&mut data.fields),
        syn::Data::Enum(data) => {
            for variant in &mut data.variants {
                strip(&mut variant.fields);
            }
        }
        syn::Data::Union(_) => {}
    }
    Some(item)
}

/// Reads variant attributes.
pub fn variant(attrs: &[Attribute]) -> syn::Result<VariantAttrs> {
    let mut out = VariantAttrs::default();
    each_serde_meta(attrs, |name, meta| {
        match name {
            "rename" => out.rename = read_rename(meta)?,
            "other" => out.other = true,
            "skip" | "skip_deserializing" => out.skip = true,
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rename_rules_match_serde() {
        let cases = [
            (
                RenameRule::Camel,
                "photo_urls",
                "photoUrls",
                "FooBar",
                "fooBar",
            ),
            (
                RenameRule::Pascal,
                "photo_urls",
                "PhotoUrls",
                "FooBar",
                "FooBar",
            ),
            (
                RenameRule::ScreamingSnake,
                "photo_urls",
                "PHOTO_URLS",
                "FooBar",
                "FOO_BAR",
            ),
            (
                RenameRule::Kebab,
                "photo_urls",
                "photo-urls",
                "FooBar",
                "foo-bar",
            ),
            (
                RenameRule::Snake,
                "photo_urls",
                "photo_urls",
                "FooBar",
                "foo_bar",
            ),
            (
                RenameRule::Lower,
                "photo_urls",
                "photo_urls",
                "FooBar",
                "foobar",
            ),
            (
                RenameRule::ScreamingKebab,
                "photo_urls",
                "PHOTO-URLS",
                "FooBar",
                "FOO-BAR",
            ),
        ];
        for (rule, field, field_out, variant, variant_out) in cases {
            assert_eq!(rule.apply_to_field(field), field_out, "{rule:?}");
            assert_eq!(rule.apply_to_variant(variant), variant_out, "{rule:?}");
        }
    }

    #[test]
    fn reads_field_and_container_attributes() {
        let item: syn::DeriveInput = syn::parse_quote! {
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase", deny_unknown_fields)]
            struct S {
                #[serde(rename(serialize = "a", deserialize = "b"), default)]
                x: i32,
                #[serde(skip_serializing_if = "Option::is_none", flatten)]
                y: Option<i32>,
            }
        };
        let c = container(&item.attrs).unwrap();
        assert_eq!(c.rename_all, Some(RenameRule::Camel));
        assert!(c.deny_unknown_fields);
        let syn::Data::Struct(data) = &item.data else {
            unreachable!()
        };
        let fields: Vec<_> = data
            .fields
            .iter()
            .map(|f| field(&f.attrs).unwrap())
            .collect();
        assert_eq!(fields[0].rename.as_deref(), Some("b"));
        assert!(fields[0].default);
        assert!(fields[1].skip_serializing_if && fields[1].flatten);
    }
}
