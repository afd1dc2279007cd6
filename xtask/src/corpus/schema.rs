//! `cargo xtask corpus --schema`: `#[schema]` judged on the types our own generator writes.
//!
//! - **Self-consistency**: every struct and enum the generator writes for a component schema
//!   (matched by name as the attribute matches it) is checked against that schema in the
//!   original spec, `direction = "both"` (generated types serialize and deserialize), with the
//!   attribute's own code ([`contract_core::gates::schema_check::check_component`]). Every type
//!   should be accepted; the types the attribute documents as unsupported are left out, each
//!   with its reason.
//! - **Drift injection**: each accepted type is mutated once per drift class that applies to it
//!   (one field or variant), and the mutation must be rejected. Each class is a change that is
//!   wrong for the schema by construction (see [`Class`]).

use std::collections::BTreeMap;

use contract_core::gates::schema_check::{self, Direction};
use quote::ToTokens;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use syn::{DeriveInput, Fields, Type};

/// What `--schema` found for one spec.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SchemaOutcome {
    /// Component types checked and accepted.
    pub accepted: usize,
    /// Component types rejected (false positives): type, schema, first error.
    pub rejected: Vec<(String, String, String)>,
    /// Component types not checked: type, reason.
    pub left_out: Vec<(String, String)>,
    /// Generated types that are not component schemas (inline types), not checked on their own.
    pub inline: usize,
    /// Drift injection by class: (caught, injected).
    pub drift: BTreeMap<String, (usize, usize)>,
    /// Injected drifts that were accepted: class, type, what was changed.
    pub missed: Vec<(String, String, String)>,
    /// `--build`: the annotated crate and what rustc said about it.
    #[serde(default)]
    pub build: Option<super::schema_build::BuildPlan>,
    /// Accepted component structs with no field for some properties of their schema (what the
    /// client drops when it reads one): type, the properties.
    #[serde(default)]
    pub unread: Vec<(String, Vec<String>)>,
}

/// A drift injected into an accepted type.
#[derive(Debug, Clone, Copy)]
enum Class {
    /// A required field (not `Option`, no `default`) removed.
    RequiredRemoved,
    /// A field's JSON name changed (`rename`).
    FieldRenamed,
    /// A `String` field made `bool`, a number or `bool` field made `String`.
    WrongJsonType,
    /// A required, non-`Option` field made `Option` (a `None` omits it).
    RequiredToOption,
    /// `i64` made `i32` (reads fail over the int32 range).
    IntNarrowed,
    /// Issue class 4: a field of a generated string-enum type made `String`.
    EnumAsString,
    /// Issue class 5: `i32` made `i64` (sends values over the int32 range).
    IntWidened,
    /// Issue class 7: `Option<T>` of a required property made nullable at the use site
    /// (`nullable` beside `$ref`, `allOf` member) made `T`.
    SiteNullableNotOption,
    /// An enum variant removed (a response with that value fails).
    VariantRemoved,
    /// An enum variant added (a request can send a value the schema forbids).
    VariantAdded,
}

const CLASSES: [Class; 10] = [
    Class::RequiredRemoved,
    Class::FieldRenamed,
    Class::WrongJsonType,
    Class::RequiredToOption,
    Class::IntNarrowed,
    Class::EnumAsString,
    Class::IntWidened,
    Class::SiteNullableNotOption,
    Class::VariantRemoved,
    Class::VariantAdded,
];

impl Class {
    fn name(self) -> &'static str {
        match self {
            Class::RequiredRemoved => "required-removed",
            Class::FieldRenamed => "field-renamed",
            Class::WrongJsonType => "wrong-json-type",
            Class::RequiredToOption => "required-to-option",
            Class::IntNarrowed => "int-narrowed",
            Class::EnumAsString => "4-enum-as-string",
            Class::IntWidened => "5-int32-as-i64",
            Class::SiteNullableNotOption => "7-site-nullable-not-option",
            Class::VariantRemoved => "variant-removed",
            Class::VariantAdded => "variant-added",
        }
    }
}

/// The generator's lossy rewrites that drop an `enum` (any string accepted), which it records
/// in the client's header: a component type holding one is rejected, rightly, by a check
/// against the spec as written, and is left out with the rewrite as the reason.
pub const ENUM_DROPPING: [&str; 1] = ["normalize/enum-variant-names"];

/// Checks the component types in `code` (a generated client) against `document`;
/// `enums_dropped` are the [`ENUM_DROPPING`] rewrites the generation made (rule, pointer).
pub fn self_check(
    document: &Value,
    label: &str,
    code: &str,
    enums_dropped: &[(String, String)],
) -> Result<SchemaOutcome, String> {
    let file = syn::parse_file(code).map_err(|e| format!("generated code does not parse: {e}"))?;
    let items = generated_types(&file);
    let plain_enums: Vec<String> = items
        .iter()
        .filter(|i| is_plain_enum(i))
        .map(|i| i.ident.to_string())
        .collect();
    let components = component_keys(document);
    let mut outcome = SchemaOutcome::default();
    for item in &items {
        let name = match component_of(item, &components) {
            Ok(Some(name)) => name,
            Ok(None) => {
                outcome.inline += 1;
                continue;
            }
            Err(reason) => {
                outcome.left_out.push((item.ident.to_string(), reason));
                continue;
            }
        };
        if let Some(reason) = unsupported(item) {
            outcome
                .left_out
                .push((item.ident.to_string(), reason.into()));
            continue;
        }
        let check = |item: &DeriveInput| {
            schema_check::check_component(document, label, item, &name, Direction::Both)
        };
        match check(item) {
            Ok(_) => {
                outcome.accepted += 1;
                let unread = schema_check::unread_properties(document, item, &name);
                if !unread.is_empty() {
                    outcome.unread.push((item.ident.to_string(), unread));
                }
            }
            Err(errors) => {
                let first = errors.first().map(ToString::to_string).unwrap_or_default();
                let first = first.lines().next().unwrap_or_default().to_string();
                match dropped_within(enums_dropped, &name) {
                    Some(rewrite) => outcome
                        .left_out
                        .push((item.ident.to_string(), dropped_reason(rewrite, &first))),
                    None => outcome.rejected.push((item.ident.to_string(), name, first)),
                }
                continue;
            }
        }
        let property = |json: &str| -> Option<&Value> { property_json(document, &name, json) };
        for class in CLASSES {
            let Some((mutated, what)) = inject(class, item, &plain_enums, &property) else {
                continue;
            };
            let tally = outcome.drift.entry(class.name().into()).or_default();
            tally.1 += 1;
            if check(&mutated).is_err() {
                tally.0 += 1;
            } else {
                outcome
                    .missed
                    .push((class.name().into(), item.ident.to_string(), what));
            }
        }
    }
    Ok(outcome)
}

/// The first rewrite of `dropped` inside the component schema `name`.
fn dropped_within<'a>(dropped: &'a [(String, String)], name: &str) -> Option<&'a (String, String)> {
    let at = format!(
        "/components/schemas/{}",
        contract_core::util::json_pointer::escape(name)
    );
    dropped_under(dropped, &at)
}

/// The first rewrite of `dropped` at `pointer` or below it.
pub(super) fn dropped_under<'a>(
    dropped: &'a [(String, String)],
    pointer: &str,
) -> Option<&'a (String, String)> {
    dropped
        .iter()
        .find(|(_, p)| p == pointer || p.starts_with(&format!("{pointer}/")))
}

/// Why a type holding the rewrite `(rule, at)` is not held to its schema: `error` is the
/// check's first error, when there is one.
pub(super) fn dropped_reason((rule, at): &(String, String), error: &str) -> String {
    let error = if error.is_empty() {
        String::new()
    } else {
        format!(" ({error})")
    };
    format!(
        "the generator's recorded lossy rewrite `{rule}` at `{at}` dropped an `enum`, which the check holds the type to{error}"
    )
}

/// The component schema a generated type is written for, matched by name as the attribute
/// matches it (exactly, then by name key); `None` for an inline type, an error when the name
/// matches several schemas.
pub(super) fn component_of(
    item: &DeriveInput,
    components: &BTreeMap<String, Vec<String>>,
) -> Result<Option<String>, String> {
    let key = schema_check::name_key(&item.ident.to_string());
    let exact = components
        .get(&key)
        .and_then(|names| names.iter().find(|n| item.ident == n.as_str()));
    let candidates = match exact {
        Some(name) => std::slice::from_ref(name),
        None => components.get(&key).map_or(&[][..], Vec::as_slice),
    };
    match candidates {
        [] => Ok(None),
        [name] => Ok(Some(name.clone())),
        names => Err(format!(
            "its name matches several schemas: {}",
            names.join(", ")
        )),
    }
}

/// The structs and enums of the generated `types` module.
pub(super) fn generated_types(file: &syn::File) -> Vec<DeriveInput> {
    let mut out = Vec::new();
    for item in &file.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.ident != "types" {
            continue;
        }
        for inner in module.content.iter().flat_map(|(_, items)| items) {
            if matches!(inner, syn::Item::Struct(_) | syn::Item::Enum(_))
                && let Ok(item) = syn::parse2::<DeriveInput>(inner.to_token_stream())
            {
                out.push(item);
            }
        }
    }
    out
}

/// Component names by their name key (the attribute's fallback match).
pub(super) fn component_keys(document: &Value) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Some(map) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for name in map.keys() {
            out.entry(schema_check::name_key(name))
                .or_default()
                .push(name.clone());
        }
    }
    out
}

fn serde_says(attrs: &[syn::Attribute], word: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .any(|a| a.to_token_stream().to_string().contains(word))
}

fn is_plain_enum(item: &DeriveInput) -> bool {
    match &item.data {
        syn::Data::Enum(data) => {
            !data.variants.is_empty()
                && !serde_says(&item.attrs, "untagged")
                && !serde_says(&item.attrs, "tag")
                && data
                    .variants
                    .iter()
                    .all(|v| matches!(v.fields, Fields::Unit))
        }
        _ => false,
    }
}

/// Why the attribute does not check a generated type, by its README.
pub(super) fn unsupported(item: &DeriveInput) -> Option<&'static str> {
    match &item.data {
        syn::Data::Enum(data) if data.variants.is_empty() => {
            Some("an enum without variants: the generator found no value the schema allows")
        }
        syn::Data::Enum(_) if !is_plain_enum(item) => Some(
            "an enum with data (a `oneOf`/`anyOf`, untagged or tagged): `#[schema]` checks plain string enums only",
        ),
        syn::Data::Struct(data) if matches!(data.fields, Fields::Unnamed(ref f) if f.unnamed.len() != 1) => {
            Some("a tuple struct (`prefixItems`): not supported")
        }
        _ => None,
    }
}

/// The JSON of property `json` as written in component `name` (not through `allOf`).
fn property_json<'d>(document: &'d Value, name: &str, json: &str) -> Option<&'d Value> {
    document
        .pointer("/components/schemas")?
        .get(name)?
        .get("properties")?
        .get(json)
}

/// A field's JSON name as the generator writes it (`rename`, else the Rust name).
fn json_name(field: &syn::Field) -> String {
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let text = attr.to_token_stream().to_string();
        if let Some(rest) = text.split("rename = \"").nth(1)
            && let Some(end) = rest.find('"')
        {
            return rest[..end].to_string();
        }
    }
    field
        .ident
        .as_ref()
        .map(|i| i.to_string().trim_start_matches("r#").to_string())
        .unwrap_or_default()
}

fn type_text(ty: &Type) -> String {
    ty.to_token_stream().to_string().replace(' ', "")
}

fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => match args.args.first()? {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

fn has_default(field: &syn::Field) -> bool {
    serde_att_word(field, "default")
}

fn serde_att_word(field: &syn::Field, word: &str) -> bool {
    field
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .any(|a| {
            a.to_token_stream()
                .to_string()
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == word)
        })
}

/// A property that is written here and sets no `minimum` or `maximum`.
fn unbounded(property: Option<&Value>) -> bool {
    property.is_some_and(|p| {
        ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]
            .iter()
            .all(|k| p.get(k).is_none())
    })
}

fn nullable_at_site(property: &Value) -> bool {
    let has_ref = property.get("$ref").is_some()
        || property
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|m| m.iter().any(|s| s.get("$ref").is_some()));
    let nullable = property.get("nullable") == Some(&Value::Bool(true))
        || property
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|m| {
                m.iter()
                    .any(|s| s.get("nullable") == Some(&Value::Bool(true)))
            });
    has_ref && nullable
}

/// The item with one drift of `class`, and what was changed; `None` when it does not apply.
fn inject<'d>(
    class: Class,
    item: &DeriveInput,
    plain_enums: &[String],
    property: &dyn Fn(&str) -> Option<&'d Value>,
) -> Option<(DeriveInput, String)> {
    let mut out = item.clone();
    match (&mut out.data, class) {
        (syn::Data::Enum(data), Class::VariantRemoved) if data.variants.len() > 1 => {
            let removed = data.variants.pop()?;
            Some((out, format!("removed variant `{}`", removed.ident)))
        }
        (syn::Data::Enum(data), Class::VariantAdded) => {
            data.variants.push(syn::parse_quote!(
                #[serde(rename = "drift-injected")]
                DriftInjected
            ));
            Some((out, "added variant `DriftInjected`".into()))
        }
        (syn::Data::Struct(data), _) => {
            let Fields::Named(fields) = &mut data.fields else {
                return None;
            };
            if serde_says(&item.attrs, "transparent") {
                return None;
            }
            let list: Vec<syn::Field> = fields.named.iter().cloned().collect();
            let (index, replacement, what) = list.iter().enumerate().find_map(|(i, f)| {
                mutate_field(class, f, plain_enums, property).map(|(r, w)| (i, r, w))
            })?;
            let mut kept = syn::punctuated::Punctuated::new();
            for (i, field) in list.into_iter().enumerate() {
                if i != index {
                    kept.push(field);
                } else if let Some(new) = replacement.clone() {
                    kept.push(new);
                }
            }
            fields.named = kept;
            Some((out, what))
        }
        _ => None,
    }
}

/// One field's drift: the replacement (`None` removes it) and a description.
fn mutate_field<'d>(
    class: Class,
    field: &syn::Field,
    plain_enums: &[String],
    property: &dyn Fn(&str) -> Option<&'d Value>,
) -> Option<(Option<syn::Field>, String)> {
    let ty = type_text(&field.ty);
    let name = field.ident.as_ref()?.to_string();
    if serde_att_word(field, "flatten") {
        return None;
    }
    let required_plain = option_inner(&field.ty).is_none() && !has_default(field);
    let with_type = |ty: Type| {
        let mut f = field.clone();
        f.ty = ty;
        Some(f)
    };
    let int = |t: &str| ty == t || ty == format!("::std::primitive::{t}");
    match class {
        Class::RequiredRemoved if required_plain => Some((None, format!("removed `{name}`"))),
        Class::FieldRenamed => {
            let mut f = field.clone();
            f.attrs.retain(|a| {
                !a.path().is_ident("serde") || !a.to_token_stream().to_string().contains("rename")
            });
            f.attrs
                .push(syn::parse_quote!(#[serde(rename = "drift_injected_name")]));
            Some((Some(f), format!("renamed `{name}`")))
        }
        Class::WrongJsonType if ty.ends_with("String") => Some((
            with_type(syn::parse_quote!(bool)),
            format!("`{name}`: String → bool"),
        )),
        Class::WrongJsonType if ty == "bool" || int("i64") || ty == "f64" => Some((
            with_type(syn::parse_quote!(::std::string::String)),
            format!("`{name}`: {ty} → String"),
        )),
        Class::RequiredToOption if required_plain => {
            let inner = &field.ty;
            let mut f = field.clone();
            f.ty = syn::parse_quote!(::std::option::Option<#inner>);
            f.attrs.push(syn::parse_quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")]));
            Some((Some(f), format!("`{name}`: {ty} → Option")))
        }
        Class::IntNarrowed if int("i64") && unbounded(property(&json_name(field))) => Some((
            with_type(syn::parse_quote!(i32)),
            format!("`{name}`: i64 → i32"),
        )),
        Class::IntWidened
            if int("i32")
                && property(&json_name(field))
                    .is_some_and(|p| p.get("format").and_then(Value::as_str) == Some("int32")) =>
        {
            Some((
                with_type(syn::parse_quote!(i64)),
                format!("`{name}`: i32 → i64"),
            ))
        }
        Class::EnumAsString => {
            let target = option_inner(&field.ty).unwrap_or(&field.ty);
            let last = type_text(target);
            let last = last.rsplit("::").next().unwrap_or(&last);
            if !plain_enums.iter().any(|e| e == last) {
                return None;
            }
            let replaced: Type = match option_inner(&field.ty) {
                Some(_) => syn::parse_quote!(::std::option::Option<::std::string::String>),
                None => syn::parse_quote!(::std::string::String),
            };
            Some((with_type(replaced), format!("`{name}`: {ty} → String")))
        }
        Class::SiteNullableNotOption => {
            let inner = option_inner(&field.ty)?;
            if has_default(field) || !property(&json_name(field)).is_some_and(nullable_at_site) {
                return None;
            }
            Some((
                with_type(inner.clone()),
                format!("`{name}`: {ty} → {}", type_text(inner)),
            ))
        }
        _ => None,
    }
}

/// Writes `schema-report.md` and `schema-report.json` under `out`; returns the summary.
pub fn write_report(out: &std::path::Path, rows: &[super::Row]) -> Result<String, String> {
    let mut md = String::from(
        "# `#[schema]` on the generated component types\n\n| spec | accepted | rejected | left out | inline types |\n|---|---|---|---|---|\n",
    );
    let (mut accepted, mut rejected, mut left_out, mut specs) = (0, 0, 0, 0);
    let mut unread = (0, 0);
    let mut drift: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut details = String::new();
    let mut failed = Vec::new();
    for row in rows.iter().filter(|r| r.duplicate_of.is_none()) {
        let Some(found) = &row.ours.schema else {
            failed.push(format!(
                "- `{}`: {} ({})",
                row.file,
                row.ours.stage,
                row.ours.error.as_deref().unwrap_or("")
            ));
            continue;
        };
        specs += 1;
        accepted += found.accepted;
        rejected += found.rejected.len();
        left_out += found.left_out.len();
        for (class, (caught, injected)) in &found.drift {
            let tally = drift.entry(class.clone()).or_default();
            tally.0 += caught;
            tally.1 += injected;
        }
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            row.file,
            found.accepted,
            found.rejected.len(),
            found.left_out.len(),
            found.inline
        ));
        for (ty, schema, error) in &found.rejected {
            details.push_str(&format!(
                "- rejected `{ty}` (`{schema}`) in `{}`: {error}\n",
                row.file
            ));
        }
        for (ty, reason) in &found.left_out {
            details.push_str(&format!("- left out `{ty}` in `{}`: {reason}\n", row.file));
        }
        for (class, ty, what) in &found.missed {
            details.push_str(&format!(
                "- missed drift {class} in `{ty}` (`{}`): {what}\n",
                row.file
            ));
        }
        for (ty, properties) in &found.unread {
            unread.0 += 1;
            unread.1 += properties.len();
            details.push_str(&format!(
                "- `{ty}` in `{}` has no field for: {}\n",
                row.file,
                properties.join(", ")
            ));
        }
    }
    let mut summary = summary(
        (specs, accepted, rejected, left_out),
        unread,
        &drift,
        failed.len(),
    );
    md.push_str(&format!(
        "\n```text\n{summary}```\n\n## Details\n\n{details}"
    ));
    if let Some((built_md, built_summary)) = super::schema_build::report(rows) {
        md.push_str(&built_md);
        summary.push_str(&built_summary);
    }
    if !failed.is_empty() {
        md.push_str(&format!("\n## Not checked\n\n{}\n", failed.join("\n")));
    }
    let io = |e: std::io::Error| e.to_string();
    std::fs::write(out.join("schema-report.md"), md).map_err(io)?;
    let json = serde_json::to_string_pretty(rows).map_err(|e| e.to_string())?;
    std::fs::write(out.join("schema-report.json"), json + "\n").map_err(io)?;
    Ok(summary)
}

/// The terminal summary: types accepted, rejected and left out, the accepted structs with no
/// field for some properties, then drifts caught per class.
fn summary(
    (specs, accepted, rejected, left_out): (usize, usize, usize, usize),
    (unread_types, unread_properties): (usize, usize),
    drift: &BTreeMap<String, (usize, usize)>,
    failed: usize,
) -> String {
    let total = accepted + rejected;
    let mut summary = format!(
        "schema self-consistency: {specs} specs, {accepted} of {total} component types accepted ({:.2}%), {rejected} rejected, {left_out} left out\n",
        percent(accepted, total)
    );
    summary.push_str(&format!(
        "accepted structs with no field for some properties of their schema: {unread_types} ({unread_properties} properties the client drops)\n"
    ));
    summary.push_str(&drift_table("drift injection", drift));
    if failed > 0 {
        summary.push_str(&format!("not checked (generation failed): {failed}\n"));
    }
    summary
}

/// `a` of `b` in percent (100 when there is nothing to count).
pub(super) fn percent(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        a as f64 * 100.0 / b as f64
    }
}

/// The lines of a drift count: `title`, then caught / injected per class and in total.
pub(super) fn drift_table(title: &str, drift: &BTreeMap<String, (usize, usize)>) -> String {
    let mut out = format!("{title} (caught / injected):\n");
    let (mut caught_all, mut injected_all) = (0, 0);
    for (class, (caught, injected)) in drift {
        caught_all += caught;
        injected_all += injected;
        out.push_str(&format!(
            "  {class:<28} {caught:>6} / {injected:<6} {:.1}%\n",
            percent(*caught, *injected)
        ));
    }
    out.push_str(&format!(
        "  {:<28} {caught_all:>6} / {injected_all:<6} {:.2}%\n",
        "total",
        percent(caught_all, injected_all)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// jira's `FieldValueClause.operator`: `=`, `!=`, … would all be the variant `X`, so the
    /// generator drops the `enum` and writes `String`, which the check rejects.
    #[test]
    fn a_type_whose_enum_the_generator_dropped_is_left_out_with_the_rewrite() {
        let document = serde_json::json!({"components": {"schemas": {
            "Clause": {"type": "object", "required": ["operator"], "properties": {
                "operator": {"type": "string", "enum": ["=", "!="]}
            }},
            "Other": {"type": "object", "required": ["operator"], "properties": {
                "operator": {"type": "string", "enum": ["a", "b"]}
            }}
        }}});
        let code = "pub mod types {
            pub struct Clause { pub operator: ::std::string::String }
            pub struct Other { pub operator: ::std::string::String }
        }";
        let dropped = [(
            "normalize/enum-variant-names".to_string(),
            "/components/schemas/Clause/properties/operator".to_string(),
        )];
        let found = self_check(&document, "spec.json", code, &dropped).unwrap();
        assert_eq!(found.accepted, 0);
        assert_eq!(found.left_out.len(), 1, "{:?}", found.left_out);
        assert_eq!(found.left_out[0].0, "Clause");
        assert!(
            found.left_out[0]
                .1
                .contains("`normalize/enum-variant-names`")
        );
        // A type the rewrite is not in stays a rejection.
        assert_eq!(found.rejected.len(), 1, "{:?}", found.rejected);
        assert_eq!(found.rejected[0].0, "Other");
        let none = self_check(&document, "spec.json", code, &[]).unwrap();
        assert_eq!((none.rejected.len(), none.left_out.len()), (2, 0));
    }
}
