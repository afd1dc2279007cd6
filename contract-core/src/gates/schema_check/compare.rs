//! Comparing a Rust struct or enum with its schema. Every problem becomes a `syn::Error`
//! spanned at the offending field, type or variant, with a note saying what the spec says and
//! where; all of them are collected so the user sees everything at once.

use proc_macro2::Span;
use quote::ToTokens;
use serde_json::Value;
use syn::{DeriveInput, Fields, Type};

use super::rust_type::{self, Formatted, Shape};
use super::schema_view::{self, Additional, Facts, Node};
use super::serde_attrs::{self, ContainerAttrs};

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
    fn reads(self) -> bool {
        matches!(self, Direction::Response | Direction::Both)
    }
    fn writes(self) -> bool {
        matches!(self, Direction::Request | Direction::Both)
    }
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
}

impl<'d> Checker<'d> {
    fn note(&self, node: &Node<'_>, what: &str) -> String {
        format!(
            "\n  = note: the spec says {what} at `{}{}`",
            self.spec_label, node.pointer
        )
    }

    fn push(&mut self, tokens: &dyn ToTokens, message: String) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    fn push_at(&mut self, span: Span, message: String) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Checks an item against the schema at `node`.
    pub fn check_item(&mut self, item: &DeriveInput, node: &Node<'d>) {
        let container = match serde_attrs::container(&item.attrs) {
            Ok(c) => c,
            Err(e) => return self.errors.push(e),
        };
        match &item.data {
            syn::Data::Struct(data) => match &data.fields {
                Fields::Named(_) if !container.transparent => self.check_struct(item, &data.fields, &container, node),
                Fields::Named(named) if named.named.len() == 1 => {
                    let field = &named.named[0];
                    self.check_value_at(&field.ty, node);
                }
                Fields::Unnamed(unnamed) if unnamed.unnamed.len() == 1 => {
                    self.check_value_at(&unnamed.unnamed[0].ty, node);
                }
                _ => self.push(&item.ident, "only structs with named fields, newtypes and enums can be checked against a schema".into()),
            },
            syn::Data::Enum(data) => self.check_enum(item, data, &container, node),
            syn::Data::Union(_) => self.push(&item.ident, "unions cannot be checked against a schema".into()),
        }
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
        let mut matched = Vec::new();
        let mut has_flatten = false;
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
                has_flatten = true;
                continue;
            }
            let Some(ident) = &field.ident else { continue };
            let rust_name = ident.to_string().trim_start_matches("r#").to_string();
            let json_name = match (&attrs.rename, container.rename_all) {
                (Some(name), _) => name.clone(),
                (None, Some(rule)) => rule.apply_to_field(&rust_name),
                (None, None) => rust_name.clone(),
            };
            let Some((_, property)) = shape.properties.iter().find(|(name, _)| *name == json_name)
            else {
                let known: Vec<&str> = shape
                    .properties
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .take(12)
                    .collect();
                let note = self.note(node, &format!("the properties are: {}", known.join(", ")));
                self.push(ident, format!("field `{rust_name}` (JSON name `{json_name}`) has no property in the schema{note}"));
                continue;
            };
            matched.push(json_name.clone());
            let required = shape.required.contains(&json_name);
            self.check_field(field, &attrs, container, &json_name, property, required);
        }
        if !has_flatten {
            for name in &shape.required {
                if !matched.contains(name) {
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
        }
        if container.deny_unknown_fields && self.direction.reads() {
            match &shape.additional {
                Additional::Any | Additional::Schema(_) => {
                    let note = self.note(node, "`additionalProperties` allows more properties");
                    self.push(
                        &item.ident,
                        format!("`deny_unknown_fields` rejects properties the schema allows{note}"),
                    );
                }
                _ => {}
            }
            if !has_flatten {
                for (name, property) in &shape.properties {
                    if !matched.contains(name) {
                        let note = self.note(property, &format!("`{name}` may be present"));
                        self.push(&item.ident, format!("no field for property `{name}`, and `deny_unknown_fields` rejects a response that has it{note}"));
                    }
                }
            }
        }
    }

    fn check_field(
        &mut self,
        field: &syn::Field,
        attrs: &serde_attrs::FieldAttrs,
        container: &ContainerAttrs,
        json_name: &str,
        property: &Node<'d>,
        required: bool,
    ) {
        let facts = match schema_view::facts(self.root, property) {
            Ok((facts, _)) => facts,
            Err(e) => return self.push(&field.ty, e),
        };
        let requirement = if required { "required" } else { "optional" };
        let nullability = if facts.nullable {
            "nullable"
        } else {
            "not nullable"
        };
        let summary = format!("`{json_name}` is {requirement} and {nullability}");
        match rust_type::shape(&field.ty) {
            Shape::Option(inner) => {
                let writes = self.direction.writes() && !attrs.skip_serializing;
                if writes && required && !facts.nullable {
                    let effect = if attrs.skip_serializing_if {
                        "omit"
                    } else {
                        "send `null` for"
                    };
                    let note = self.note(property, &summary);
                    self.push(&field.ty, format!("required property `{json_name}` is mapped to an `Option`: a `None` would {effect} it{note}"));
                } else if writes && !required && !facts.nullable && !attrs.skip_serializing_if {
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
                } else if reads && facts.nullable {
                    let note = self.note(property, &summary);
                    self.push(&field.ty, format!("property `{json_name}` may be `null`, which `{}` cannot hold; use `Option<…>`{note}", rust_type::display(&field.ty)));
                }
                self.check_value_at(&field.ty, property);
            }
        }
    }

    /// Checks that `ty` can hold the values of `node`, reporting at the (inner) type at fault.
    fn check_value_at(&mut self, ty: &Type, node: &Node<'d>) {
        if let Err(Mismatch { message, at, ty }) = self.check_value(ty, node) {
            let what = self.describe(&at);
            let note = self.note(&at, &what);
            self.push(ty, format!("{message}{note}"));
        }
    }

    fn describe(&self, node: &Node<'d>) -> String {
        match schema_view::facts(self.root, node) {
            Ok((facts, _)) => describe_facts(&facts),
            Err(e) => e,
        }
    }

    /// `Ok` when `ty` can hold every value of `node`; else what is wrong, the schema node it is
    /// about and the (possibly inner) type at fault.
    fn check_value<'t>(&self, ty: &'t Type, node: &Node<'d>) -> Result<(), Mismatch<'d, 't>> {
        let shape = rust_type::shape(ty);
        let shown = rust_type::display(ty);
        let fail = |message: String, at: &Node<'d>| {
            Err(Mismatch {
                message,
                at: at.clone(),
                ty,
            })
        };
        if matches!(shape, Shape::Json) {
            return Ok(());
        }
        if let Shape::Option(inner) = shape {
            return self.check_value(inner, node);
        }
        if let (Some(target), Shape::Named(name)) = (schema_view::ref_name(node.value), &shape) {
            let title = schema_view::lookup(
                self.root,
                &format!(
                    "#/components/schemas/{}",
                    crate::util::json_pointer::escape(target)
                ),
            )
            .and_then(|n| {
                n.value
                    .get("title")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            });
            let key = rust_type::name_key(name);
            if key == rust_type::name_key(target)
                || title.is_some_and(|t| rust_type::name_key(&t) == key)
            {
                return Ok(());
            }
            return fail(
                format!(
                    "`{shown}` is not the type for schema `{target}`: name the type after the schema (or give it `#[schema(name = \"{target}\")]`)"
                ),
                node,
            );
        }
        let (facts, resolved) = match schema_view::facts(self.root, node) {
            Ok(f) => f,
            Err(e) => return fail(e, node),
        };
        if facts.alternatives > 1 {
            return match shape {
                Shape::Named(_) => Ok(()),
                _ => fail(
                    format!(
                        "`{shown}` cannot hold one of several alternative schemas; use an enum or `serde_json::Value`"
                    ),
                    &resolved,
                ),
            };
        }
        if facts.types.is_empty() {
            return Ok(());
        }
        let has = |t: &str| facts.types.iter().any(|x| x == t);
        let cannot = |at: &Node<'d>| {
            fail(
                format!("`{shown}` cannot hold the values of this schema"),
                at,
            )
        };
        match shape {
            Shape::Named(_) | Shape::Json => Ok(()),
            Shape::Int { min, max } if has("integer") => {
                let (lo, hi) = integer_range(&facts);
                if min <= lo && max >= hi {
                    Ok(())
                } else {
                    fail(
                        format!("`{shown}` cannot hold every value of this integer ({lo} to {hi})"),
                        &resolved,
                    )
                }
            }
            Shape::Float { bits } if has("number") || has("integer") => {
                let exact = bits == 64
                    && (has("number") || facts.format.as_deref() == Some("int32"))
                    || bits == 32 && has("number") && facts.format.as_deref() == Some("float");
                if exact {
                    Ok(())
                } else {
                    fail(
                        format!("`{shown}` cannot hold every value of this number"),
                        &resolved,
                    )
                }
            }
            Shape::Bool if has("boolean") => Ok(()),
            Shape::Str if has("string") => Ok(()),
            Shape::Bytes if has("string") && facts.format.as_deref() == Some("binary") => Ok(()),
            Shape::Bytes if has("array") => self.check_byte_items(ty, &resolved),
            Shape::Bytes if has("string") => fail(
                format!(
                    "`{shown}` serializes as a JSON array of numbers, not a string; use `String`"
                ),
                &resolved,
            ),
            Shape::Formatted(kind) if has("string") => {
                let format = facts.format.as_deref().unwrap_or("");
                if formatted_accepts(kind, format) {
                    Ok(())
                } else {
                    let wanted = match format {
                        "" => "no format".to_string(),
                        f => format!("format `{f}`"),
                    };
                    fail(
                        format!(
                            "`{shown}` reads strings of another format than this schema's ({wanted})"
                        ),
                        &resolved,
                    )
                }
            }
            Shape::Seq(item) if has("array") => match resolved.child("items") {
                Some(items) => self.check_value(item, &items),
                None => Ok(()),
            },
            Shape::Map(key, value) if has("object") => match rust_type::shape(key) {
                Shape::Int { .. }
                | Shape::Float { .. }
                | Shape::Bool
                | Shape::Seq(_)
                | Shape::Map(..) => fail(
                    format!(
                        "`{shown}` has keys that are not strings; JSON object keys are strings"
                    ),
                    &resolved,
                ),
                _ => self.check_map(value, &resolved),
            },
            _ => cannot(&resolved),
        }
    }

    fn check_byte_items<'t>(&self, ty: &'t Type, node: &Node<'d>) -> Result<(), Mismatch<'d, 't>> {
        let Some(items) = node.child("items") else {
            return Ok(());
        };
        let facts = schema_view::facts(self.root, &items).map(|(f, _)| f);
        match facts {
            Ok(facts) if facts.types.iter().any(|t| t == "integer") => Ok(()),
            Ok(_) => Err(Mismatch {
                message: "byte buffers hold arrays of integers only".into(),
                at: items,
                ty,
            }),
            Err(message) => Err(Mismatch {
                message,
                at: items,
                ty,
            }),
        }
    }

    fn check_map<'t>(&self, value: &'t Type, node: &Node<'d>) -> Result<(), Mismatch<'d, 't>> {
        let shape = schema_view::object_shape(self.root, node).map_err(|message| Mismatch {
            message,
            at: node.clone(),
            ty: value,
        })?;
        if let Additional::Schema(schema) = &shape.additional {
            self.check_value(value, schema)?;
        }
        for (_, property) in &shape.properties {
            self.check_value(value, property)?;
        }
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
        let spec_values: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
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

/// A type that cannot hold a schema's values.
struct Mismatch<'d, 't> {
    message: String,
    at: Node<'d>,
    ty: &'t Type,
}

/// The range of an integer schema: its format's range (int64 when none) narrowed by
/// `minimum` and `maximum`.
fn integer_range(facts: &Facts) -> (i128, i128) {
    let (lo, hi): (i128, i128) = match facts.format.as_deref() {
        Some("int8") => (i8::MIN.into(), i8::MAX.into()),
        Some("uint8") => (0, u8::MAX.into()),
        Some("int16") => (i16::MIN.into(), i16::MAX.into()),
        Some("uint16") => (0, u16::MAX.into()),
        Some("int32") => (i32::MIN.into(), i32::MAX.into()),
        Some("uint32") => (0, u32::MAX.into()),
        Some("uint64") => (0, u64::MAX.into()),
        _ => (i64::MIN.into(), i64::MAX.into()),
    };
    // Bounds beyond the format's range do not widen it; fractional bounds round inwards.
    let min = facts.minimum.map_or(lo, |m| (m.ceil() as i128).max(lo));
    let max = facts.maximum.map_or(hi, |m| (m.floor() as i128).min(hi));
    (min, max)
}

fn formatted_accepts(kind: Formatted, format: &str) -> bool {
    match kind {
        Formatted::DateTime => format == "date-time",
        Formatted::NaiveDateTime => false,
        Formatted::Date => format == "date",
        Formatted::Time => matches!(format, "time" | "partial-time"),
        Formatted::Uuid => format == "uuid",
        Formatted::Url => matches!(format, "uri" | "url" | "iri"),
        Formatted::Ip => matches!(format, "ip" | "ipv4" | "ipv6"),
        Formatted::Ipv4 => format == "ipv4",
        Formatted::Ipv6 => format == "ipv6",
    }
}

/// A short description of a schema for notes: `integer (format int64, minimum 0)`.
pub fn describe_facts(facts: &Facts) -> String {
    let mut out = if facts.types.is_empty() {
        "any value".to_string()
    } else {
        format!("`{}`", facts.types.join(" | "))
    };
    let mut extras = Vec::new();
    if let Some(format) = &facts.format {
        extras.push(format!("format `{format}`"));
    }
    if let Some(min) = facts.minimum {
        extras.push(format!("minimum {min}"));
    }
    if let Some(max) = facts.maximum {
        extras.push(format!("maximum {max}"));
    }
    if facts.nullable {
        extras.push("nullable".into());
    }
    if let Some(values) = &facts.enum_values {
        extras.push(format!("{} enum values", values.len()));
    }
    if !extras.is_empty() {
        out.push_str(&format!(" ({})", extras.join(", ")));
    }
    out
}
