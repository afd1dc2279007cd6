//! Whether a Rust type can hold a schema's values: `$ref`s to the schema's own type, JSON
//! types, integer widths (both ways: a response type must read every value, a request type
//! must not send values the format forbids), string formats and enums, arrays and maps.

use serde_json::Value;
use syn::Type;

use super::compare::Checker;
use super::rust_type::{self, Formatted, Shape};
use super::schema_view::{self, Additional, Facts, Node};

/// A type that cannot hold a schema's values.
pub(super) struct Mismatch<'d, 't> {
    pub(super) message: String,
    pub(super) at: Node<'d>,
    pub(super) ty: &'t Type,
}

type Checked<'d, 't> = Result<(), Mismatch<'d, 't>>;

fn mismatch<'d, 't>(message: String, at: &Node<'d>, ty: &'t Type) -> Checked<'d, 't> {
    Err(Mismatch {
        message,
        at: at.clone(),
        ty,
    })
}

impl<'d> Checker<'d> {
    /// Checks that `ty` can hold the values of `node`, reporting at the (inner) type at fault.
    pub(super) fn check_value_at(&mut self, ty: &Type, node: &Node<'d>) {
        if let Err(Mismatch { message, at, ty }) = self.check_value(ty, node) {
            let what = self.describe(&at);
            let note = self.note(&at, &what);
            self.push(ty, format!("{message}{note}"));
        }
    }

    pub(super) fn describe(&self, node: &Node<'d>) -> String {
        match schema_view::facts(self.root, node) {
            Ok((facts, _)) => describe_facts(&facts),
            Err(e) => e,
        }
    }

    /// Whether `ty` is the type written for the component `node` points at with `$ref`: a named
    /// type (or a bare name) matching the component's name or `title`. `None` when `node` is
    /// not a `$ref` to a component or `ty` is a library type.
    pub(super) fn is_ref_type(&self, ty: &Type, node: &Node<'d>) -> Option<bool> {
        let target = schema_view::ref_target(node.value)?;
        let name = match rust_type::shape(ty) {
            Shape::Named(name) => name,
            Shape::Option(inner) => return self.is_ref_type(inner, node),
            _ => rust_type::bare_name(ty)?,
        };
        let title = schema_view::lookup(
            self.root,
            &format!(
                "#/components/schemas/{}",
                crate::util::json_pointer::escape(target)
            ),
        )
        .and_then(|n| n.value.get("title").and_then(Value::as_str));
        // A type named exactly after another component is that component's type, whatever
        // its name key (`DataArray` beside `dataArray`).
        let schemas = self
            .root
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        if name != target && schemas.is_some_and(|m| m.contains_key(&name)) {
            return Some(false);
        }
        let key = rust_type::name_key(&name);
        Some(
            key == rust_type::name_key(target)
                || title.is_some_and(|t| rust_type::name_key(t) == key),
        )
    }

    /// `Ok` when `ty` can hold every value of `node`; else what is wrong, the schema node it is
    /// about and the (possibly inner) type at fault.
    pub(super) fn check_value<'t>(&self, ty: &'t Type, node: &Node<'d>) -> Checked<'d, 't> {
        let shape = rust_type::shape(ty);
        match shape {
            Shape::Json => return Ok(()),
            Shape::Option(inner) => return self.check_value(inner, node),
            _ => {}
        }
        // A bare name that is the referenced schema's (`Url` for `$ref: Url`) is the type
        // written for it, even when a library type has that name.
        if self.is_ref_type(ty, node) == Some(true) {
            return Ok(());
        }
        if let Shape::Named(_) = shape {
            return self.check_named(ty, node);
        }
        let (facts, resolved) = match schema_view::facts(self.root, node) {
            Ok(f) => f,
            Err(e) => return mismatch(e, node, ty),
        };
        if facts.alternatives > 1 {
            return match shape {
                Shape::Json => Ok(()),
                _ => mismatch(
                    format!(
                        "`{}` cannot hold one of several alternative schemas; use an enum or `serde_json::Value`",
                        rust_type::display(ty)
                    ),
                    &resolved,
                    ty,
                ),
            };
        }
        if facts.types.is_empty() {
            return Ok(());
        }
        self.check_typed(ty, shape, &facts, &resolved)
    }

    /// A named type (the user's, or a library type the checker does not know) for `node`:
    /// - for a `$ref` to a component, the type named after it is that component's type (its
    ///   own `#[schema]` checks it);
    /// - a type named after *another* component is wrong unless both schemas are structurally
    ///   equal;
    /// - otherwise (an inline schema, or a `$ref` whose type has another name, as when the
    ///   generator numbers clashing names: `DataArray3`) one of the user's types must carry
    ///   `#[schema]` for a structurally equal schema, asserted at compile time
    ///   ([`Checker::require_identity`]).
    fn check_named<'t>(&self, ty: &'t Type, node: &Node<'d>) -> Checked<'d, 't> {
        let fail = |message: String| mismatch(message, node, ty);
        let Some(target) = schema_view::ref_target(node.value) else {
            return self.require_identity(ty, node).or_else(fail);
        };
        if self.is_ref_type(ty, node) == Some(true) {
            return Ok(());
        }
        let Some(target_node) = component(self.root, target) else {
            return fail(format!("`$ref` to `{target}` points nowhere"));
        };
        let own = rust_type::own_type(ty).is_some_and(rust_type::is_own);
        match self.component_named(ty) {
            Some((other, other_node)) => {
                let identity = |n: &Node<'d>| schema_view::identity(self.root, n).ok();
                if identity(&other_node).is_some_and(|i| Some(i) == identity(&target_node)) {
                    return Ok(());
                }
                fail(format!(
                    "`{}` is the type for schema `{other}`, not `{target}`: use the type written for `{target}` (or give `{}` `#[schema(name = \"{target}\")]`)",
                    rust_type::display(ty),
                    rust_type::display(ty),
                ))
            }
            None if own => self.require_identity(ty, &target_node).or_else(fail),
            None => fail(format!(
                "`{}` is not the type for schema `{target}`: name the type after the schema (or give it `#[schema(name = \"{target}\")]`)",
                rust_type::display(ty)
            )),
        }
    }

    /// The component (name and node) a named type is named after, by name or `title`.
    fn component_named(&self, ty: &Type) -> Option<(String, Node<'d>)> {
        let name = match rust_type::shape(ty) {
            Shape::Named(name) => name,
            _ => return None,
        };
        let key = rust_type::name_key(&name);
        let schemas = self.root.pointer("/components/schemas")?.as_object()?;
        let exact = schemas.iter().find(|(k, _)| **k == name);
        let found = exact
            .or_else(|| schemas.iter().find(|(k, _)| rust_type::name_key(k) == key))
            .or_else(|| {
                schemas.iter().find(|(_, v)| {
                    v.get("title")
                        .and_then(Value::as_str)
                        .is_some_and(|t| rust_type::name_key(t) == key)
                })
            })?;
        Some((found.0.clone(), component(self.root, found.0)?))
    }

    /// [`Checker::check_value`] once the schema's JSON types are known.
    fn check_typed<'t>(
        &self,
        ty: &'t Type,
        shape: Shape<'t>,
        facts: &Facts,
        resolved: &Node<'d>,
    ) -> Checked<'d, 't> {
        let has = |t: &str| facts.types.iter().any(|x| x == t);
        let shown = rust_type::display(ty);
        match shape {
            Shape::Named(_) | Shape::Json => Ok(()),
            Shape::Int { min, max } if has("integer") => {
                self.check_int(ty, (min, max), facts, resolved)
            }
            Shape::Float { bits } if has("number") || has("integer") => {
                let exact = bits == 64
                    && (has("number") || facts.format.as_deref() == Some("int32"))
                    || bits == 32 && has("number") && facts.format.as_deref() == Some("float");
                if exact {
                    Ok(())
                } else {
                    let fix = if bits == 32 { "; use `f64`" } else { "" };
                    mismatch(
                        format!("`{shown}` cannot hold every value of this number{fix}"),
                        resolved,
                        ty,
                    )
                }
            }
            Shape::Bool if has("boolean") => Ok(()),
            Shape::Str if has("string") => self.check_string_enum(ty, facts, resolved),
            Shape::Bytes if has("string") && facts.format.as_deref() == Some("binary") => Ok(()),
            Shape::Bytes if has("array") => self.check_byte_items(ty, resolved),
            Shape::Bytes if has("string") => mismatch(
                format!(
                    "`{shown}` serializes as a JSON array of numbers, not a string; use `String`"
                ),
                resolved,
                ty,
            ),
            Shape::Formatted(kind) if has("string") => check_format(ty, kind, facts, resolved),
            Shape::Seq(item) if has("array") => match resolved.child("items") {
                Some(items) => self.check_value(item, &items),
                None => Ok(()),
            },
            Shape::Map(key, value) if has("object") => match rust_type::shape(key) {
                Shape::Int { .. }
                | Shape::Float { .. }
                | Shape::Bool
                | Shape::Seq(_)
                | Shape::Map(..) => mismatch(
                    format!(
                        "`{shown}` has keys that are not strings; JSON object keys are strings"
                    ),
                    resolved,
                    ty,
                ),
                _ => self.check_map(value, resolved),
            },
            _ => mismatch(
                format!("`{shown}` cannot hold the values of this schema"),
                resolved,
                ty,
            ),
        }
    }

    /// An integer type must read every value of the schema's range (response, both) and must
    /// not send values outside its `format`'s range (request, both).
    fn check_int<'t>(
        &self,
        ty: &'t Type,
        (min, max): (i128, i128),
        facts: &Facts,
        resolved: &Node<'d>,
    ) -> Checked<'d, 't> {
        let (lo, hi) = integer_range(facts);
        let format = format_range(facts);
        let reads_all = min <= lo && max >= hi;
        let writes_valid = format.is_none_or(|(flo, fhi)| min >= flo && max <= fhi);
        let shown = rust_type::display(ty);
        let fix = |need_writes: bool| {
            suggest_int((lo, hi), format, need_writes)
                .map_or(String::new(), |t| format!("; use `{t}`"))
        };
        let (reads, writes) = (self.direction.reads(), self.direction.writes());
        if reads && !reads_all {
            return mismatch(
                format!(
                    "`{shown}` cannot hold every value of this integer ({lo} to {hi}){}",
                    fix(writes)
                ),
                resolved,
                ty,
            );
        }
        if writes && !writes_valid {
            let (flo, fhi) = format.unwrap_or((lo, hi));
            let name = facts.format.as_deref().unwrap_or("integer");
            return mismatch(
                format!(
                    "`{shown}` can send values outside `{name}` ({flo} to {fhi}){}",
                    fix(true)
                ),
                resolved,
                ty,
            );
        }
        Ok(())
    }

    /// A plain string type for a string `enum` can send values the enum forbids.
    fn check_string_enum<'t>(
        &self,
        ty: &'t Type,
        facts: &Facts,
        resolved: &Node<'d>,
    ) -> Checked<'d, 't> {
        if self.direction.writes() && facts.enum_values.is_some() {
            return mismatch(
                format!(
                    "`{}` can send strings the schema's `enum` does not allow; use an enum with a variant per value (or `direction = \"response\"`)",
                    rust_type::display(ty)
                ),
                resolved,
                ty,
            );
        }
        Ok(())
    }

    fn check_byte_items<'t>(&self, ty: &'t Type, node: &Node<'d>) -> Checked<'d, 't> {
        let Some(items) = node.child("items") else {
            return Ok(());
        };
        match schema_view::facts(self.root, &items).map(|(f, _)| f) {
            Ok(facts) if facts.types.iter().any(|t| t == "integer") => Ok(()),
            Ok(_) => mismatch(
                "byte buffers hold arrays of integers only".into(),
                &items,
                ty,
            ),
            Err(message) => mismatch(message, &items, ty),
        }
    }

    fn check_map<'t>(&self, value: &'t Type, node: &Node<'d>) -> Checked<'d, 't> {
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
}

/// The component `name` under `components/schemas`.
fn component<'d>(root: &'d Value, name: &str) -> Option<Node<'d>> {
    schema_view::lookup(
        root,
        &format!(
            "#/components/schemas/{}",
            crate::util::json_pointer::escape(name)
        ),
    )
}

fn check_format<'d, 't>(
    ty: &'t Type,
    kind: Formatted,
    facts: &Facts,
    resolved: &Node<'d>,
) -> Checked<'d, 't> {
    let format = facts.format.as_deref().unwrap_or("");
    if formatted_accepts(kind, format) {
        return Ok(());
    }
    let wanted = match format {
        "" => "no format".to_string(),
        f => format!("format `{f}`"),
    };
    mismatch(
        format!(
            "`{}` reads strings of another format than this schema's ({wanted}); use `String`",
            rust_type::display(ty)
        ),
        resolved,
        ty,
    )
}

/// The range of an integer `format`, when it has one.
fn format_range(facts: &Facts) -> Option<(i128, i128)> {
    Some(match facts.format.as_deref()? {
        "int8" => (i8::MIN.into(), i8::MAX.into()),
        "uint8" => (0, u8::MAX.into()),
        "int16" => (i16::MIN.into(), i16::MAX.into()),
        "uint16" => (0, u16::MAX.into()),
        "int32" => (i32::MIN.into(), i32::MAX.into()),
        "uint32" => (0, u32::MAX.into()),
        "int64" => (i64::MIN.into(), i64::MAX.into()),
        "uint64" => (0, u64::MAX.into()),
        _ => return None,
    })
}

/// The range of an integer schema: its format's range (int64 when none) narrowed by
/// `minimum` and `maximum`.
fn integer_range(facts: &Facts) -> (i128, i128) {
    let (lo, hi) = format_range(facts).unwrap_or((i64::MIN.into(), i64::MAX.into()));
    // Bounds beyond the format's range do not widen it; fractional bounds round inwards.
    let min = facts.minimum.map_or(lo, |m| (m.ceil() as i128).max(lo));
    let max = facts.maximum.map_or(hi, |m| (m.floor() as i128).min(hi));
    (min, max)
}

/// The narrowest Rust integer that holds every value of `needed` and, when `writes`, holds
/// only values of `format`.
fn suggest_int(
    needed: (i128, i128),
    format: Option<(i128, i128)>,
    writes: bool,
) -> Option<&'static str> {
    const TYPES: [(&str, i128, i128); 8] = [
        ("u8", 0, u8::MAX as i128),
        ("i8", i8::MIN as i128, i8::MAX as i128),
        ("u16", 0, u16::MAX as i128),
        ("i16", i16::MIN as i128, i16::MAX as i128),
        ("u32", 0, u32::MAX as i128),
        ("i32", i32::MIN as i128, i32::MAX as i128),
        ("u64", 0, u64::MAX as i128),
        ("i64", i64::MIN as i128, i64::MAX as i128),
    ];
    TYPES.iter().find_map(|&(name, lo, hi)| {
        let reads_ok = lo <= needed.0 && hi >= needed.1;
        let writes_ok = !writes || format.is_none_or(|(flo, fhi)| lo >= flo && hi <= fhi);
        (reads_ok && writes_ok).then_some(name)
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_fixes_name_a_type_that_fits_both_ways() {
        let int32 = Some((i32::MIN as i128, i32::MAX as i128));
        assert_eq!(suggest_int((0, i32::MAX as i128), int32, true), Some("i32"));
        assert_eq!(
            suggest_int((0, i32::MAX as i128), int32, false),
            Some("u32")
        );
        let int64 = (i64::MIN as i128, i64::MAX as i128);
        assert_eq!(suggest_int(int64, None, true), Some("i64"));
    }
}
