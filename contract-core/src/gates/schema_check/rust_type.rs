//! What a Rust type can hold, read from its syntax: `Option<T>`, sequences, maps, integers
//! with their ranges, floats, strings, and well-known types from chrono, time, uuid and url.
//! A macro cannot resolve names, so a path is read by what it says: a path under `crate`,
//! `self`, `super` or a module that is not a known library (`types::DateTime`) is the user's own
//! type, whatever its last segment; a library type is recognised by its last segment when
//! written bare or under its crate (`DateTime<Utc>`, `chrono::DateTime<Utc>`, `uuid::Uuid`).
//! A bare name that is the name of the schema a `$ref` points at is decided by the caller.

use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{GenericArgument, PathArguments, Type};

/// The shape of a Rust type for schema checking.
#[derive(Debug, Clone)]
pub enum Shape<'t> {
    /// `Option<T>`.
    Option(&'t Type),
    /// `Vec<T>`, `VecDeque<T>`, sets, `[T; N]`, `Box<[T]>`.
    Seq(&'t Type),
    /// `HashMap<K, V>`, `BTreeMap<K, V>`, `IndexMap<K, V>`.
    Map(&'t Type, &'t Type),
    /// An integer type with its inclusive range.
    Int {
        /// Smallest value.
        min: i128,
        /// Largest value (`u128` is capped at `i128::MAX`).
        max: i128,
    },
    /// `f32` (`bits = 32`) or `f64`.
    Float {
        /// 32 or 64.
        bits: u8,
    },
    /// `bool`.
    Bool,
    /// `String`, `&str`, `Box<str>`, `Cow<str>`, `Arc<str>`, `Rc<str>`.
    Str,
    /// `serde_json::Value` (anything).
    Json,
    /// Byte buffers: `Vec<u8>`, `bytes::Bytes`, `ByteBuf`.
    Bytes,
    /// A well-known type that serializes as a string of some format.
    Formatted(Formatted),
    /// Any other named type (a user struct or enum, or an unknown library type).
    Named(String),
    /// Something a schema cannot describe (tuples, references to non-str, ...).
    Other,
}

/// Well-known string-formatted types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formatted {
    /// chrono `DateTime<Tz>` or time `OffsetDateTime`: an RFC 3339 date-time with offset.
    DateTime,
    /// chrono `NaiveDateTime` / time `PrimitiveDateTime`: no offset.
    NaiveDateTime,
    /// chrono `NaiveDate` / time `Date`.
    Date,
    /// chrono `NaiveTime` / time `Time`.
    Time,
    /// `uuid::Uuid`.
    Uuid,
    /// `url::Url`.
    Url,
    /// `IpAddr`.
    Ip,
    /// `Ipv4Addr`.
    Ipv4,
    /// `Ipv6Addr`.
    Ipv6,
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        Type::Group(g) => last_segment(&g.elem),
        Type::Paren(p) => last_segment(&p.elem),
        _ => None,
    }
}

fn type_args(segment: &syn::PathSegment) -> Vec<&Type> {
    match &segment.arguments {
        PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|a| match a {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn is_str(ty: &Type) -> bool {
    matches!(last_segment(ty), Some(s) if s.ident == "str")
}

fn int(bits: u32, signed: bool) -> Shape<'static> {
    let (min, max) = match (signed, bits) {
        (true, 128) => (i128::MIN, i128::MAX),
        (false, 128) => (0, i128::MAX),
        (true, b) => (-(1i128 << (b - 1)), (1i128 << (b - 1)) - 1),
        (false, b) => (0, (1i128 << b) - 1),
    };
    Shape::Int { min, max }
}

/// The crates (and standard library roots) whose types are recognised by their last segment.
const KNOWN_ROOTS: &[&str] = &[
    "std",
    "core",
    "alloc",
    "chrono",
    "time",
    "jiff",
    "uuid",
    "url",
    "serde_json",
    "serde_bytes",
    "bytes",
    "indexmap",
    "smallvec",
];

/// Whether a path names the user's own item: under `crate`, `self` or `super`, or under a
/// module that is not a known library.
fn is_own_path(path: &syn::Path) -> bool {
    let Some(first) = path.segments.first() else {
        return false;
    };
    let root = first.ident.to_string();
    matches!(root.as_str(), "crate" | "self" | "super")
        || path.segments.len() > 1 && !KNOWN_ROOTS.contains(&root.as_str())
}

/// The name of a type written as one bare identifier without arguments (`DateTime`, `Pet`).
pub fn bare_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Group(g) => bare_name(&g.elem),
        Type::Paren(p) => bare_name(&p.elem),
        Type::Path(p)
            if p.qself.is_none()
                && p.path.leading_colon.is_none()
                && p.path.segments.len() == 1
                && p.path.segments[0].arguments.is_none() =>
        {
            Some(p.path.segments[0].ident.to_string())
        }
        _ => None,
    }
}

/// Whether a named type is the user's own: a path under `crate`, `self`, `super` or a module
/// that is not a known library, or a bare name (`Color`, `Pet<T>`). A library type the checker
/// does not know (`serde_json::Map`, `::std::num::NonZeroU64`) is not.
pub fn is_own(ty: &Type) -> bool {
    match ty {
        Type::Group(g) => is_own(&g.elem),
        Type::Paren(p) => is_own(&p.elem),
        Type::Path(p) if p.qself.is_none() => {
            is_own_path(&p.path) || p.path.leading_colon.is_none() && p.path.segments.len() == 1
        }
        _ => false,
    }
}

/// The user's own named type inside `ty` (through `Option`, `Box`, `Arc` and `Rc`), when
/// `ty` is one: the type the schema identity assertion names.
pub fn own_type(ty: &Type) -> Option<&Type> {
    match shape(ty) {
        Shape::Option(inner) => own_type(inner),
        Shape::Named(_) => {
            let segment = last_segment(ty)?;
            let wrapper = matches!(segment.ident.to_string().as_str(), "Box" | "Arc" | "Rc");
            match type_args(segment).first() {
                Some(inner) if wrapper => own_type(inner),
                _ => Some(ty),
            }
        }
        _ => None,
    }
}

/// Classifies a type. `Box`, `Arc` and `Rc` of a non-`str` type are looked through.
pub fn shape(ty: &Type) -> Shape<'_> {
    match ty {
        Type::Reference(r) if is_str(&r.elem) => return Shape::Str,
        Type::Reference(r) => return shape(&r.elem),
        Type::Array(a) => return Shape::Seq(&a.elem),
        Type::Slice(s) => return Shape::Seq(&s.elem),
        Type::Group(g) => return shape(&g.elem),
        Type::Paren(p) => return shape(&p.elem),
        _ => {}
    }
    let Some(segment) = last_segment(ty) else {
        return Shape::Other;
    };
    let name = segment.ident.to_string();
    if let Type::Path(p) = ty
        && is_own_path(&p.path)
    {
        return Shape::Named(name);
    }
    let args = type_args(segment);
    let first = args.first().copied();
    match (name.as_str(), first) {
        ("Option", Some(t)) => Shape::Option(t),
        ("Box" | "Arc" | "Rc" | "Cow", Some(t)) if is_str(t) => Shape::Str,
        ("Box", Some(Type::Slice(s))) => Shape::Seq(&s.elem),
        ("Box" | "Arc" | "Rc", Some(t)) => shape(t),
        ("Vec", Some(t)) if matches!(last_segment(t), Some(s) if s.ident == "u8") => Shape::Bytes,
        (
            "Vec" | "VecDeque" | "HashSet" | "BTreeSet" | "IndexSet" | "LinkedList" | "SmallVec",
            Some(t),
        ) => Shape::Seq(t),
        ("HashMap" | "BTreeMap" | "IndexMap", Some(k)) => match args.get(1) {
            Some(v) => Shape::Map(k, v),
            None => Shape::Other,
        },
        ("String" | "str", _) => Shape::Str,
        ("bool", _) => Shape::Bool,
        ("f32", _) => Shape::Float { bits: 32 },
        ("f64", _) => Shape::Float { bits: 64 },
        ("i8", _) => int(8, true),
        ("i16", _) => int(16, true),
        ("i32", _) => int(32, true),
        ("i64" | "isize", _) => int(64, true),
        ("i128", _) => int(128, true),
        ("u8", _) => int(8, false),
        ("u16", _) => int(16, false),
        ("u32", _) => int(32, false),
        ("u64" | "usize", _) => int(64, false),
        ("u128", _) => int(128, false),
        ("Value", _) => Shape::Json,
        ("Bytes" | "ByteBuf", _) => Shape::Bytes,
        // chrono's `DateTime` always has a time zone argument: a bare `DateTime` is not it.
        ("DateTime", None) => Shape::Named(name),
        ("DateTime" | "OffsetDateTime" | "Timestamp" | "Zoned", _) => {
            Shape::Formatted(Formatted::DateTime)
        }
        ("NaiveDateTime" | "PrimitiveDateTime", _) => Shape::Formatted(Formatted::NaiveDateTime),
        ("NaiveDate" | "Date", _) => Shape::Formatted(Formatted::Date),
        ("NaiveTime" | "Time", _) => Shape::Formatted(Formatted::Time),
        ("Uuid", _) => Shape::Formatted(Formatted::Uuid),
        ("Url", _) => Shape::Formatted(Formatted::Url),
        ("IpAddr", _) => Shape::Formatted(Formatted::Ip),
        ("Ipv4Addr", _) => Shape::Formatted(Formatted::Ipv4),
        ("Ipv6Addr", _) => Shape::Formatted(Formatted::Ipv6),
        _ => Shape::Named(name),
    }
}

/// The type as written, without the spaces `quote` puts between tokens.
pub fn display(ty: &Type) -> String {
    let text = quote::quote!(#ty).to_string();
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let tight = |ch: Option<char>| {
                matches!(ch, Some('<' | '>' | ':' | '&' | '(' | ')' | '[' | ']'))
            };
            if tight(prev) || tight(next) || next == Some(',') {
                continue;
            }
        }
        out.push(c);
    }
    out
}

pub use crate::util::names::name_key;

/// The names of the type and const parameters of an item.
pub fn type_params(generics: &syn::Generics) -> Vec<syn::Ident> {
    generics
        .params
        .iter()
        .filter_map(|param| match param {
            syn::GenericParam::Type(t) => Some(t.ident.clone()),
            syn::GenericParam::Const(c) => Some(c.ident.clone()),
            _ => None,
        })
        .collect()
}

/// The first of `params` that `ty` names (as a one-segment path anywhere inside it).
pub fn mentions<'p>(ty: &Type, params: &'p [syn::Ident]) -> Option<&'p syn::Ident> {
    struct Finder<'p> {
        params: &'p [syn::Ident],
        found: Option<&'p syn::Ident>,
    }
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_path(&mut self, path: &'ast syn::Path) {
            if let Some(ident) = path.get_ident()
                && let Some(param) = self.params.iter().find(|p| *p == ident)
            {
                self.found.get_or_insert(param);
            }
            syn::visit::visit_path(self, path);
        }
    }
    let mut finder = Finder {
        params,
        found: None,
    };
    finder.visit_type(ty);
    finder.found
}

/// `ty` with every lifetime written `'static`.
pub fn with_static_lifetimes(ty: &Type) -> Type {
    struct Static;
    impl VisitMut for Static {
        fn visit_lifetime_mut(&mut self, lifetime: &mut syn::Lifetime) {
            lifetime.ident = syn::Ident::new("static", lifetime.ident.span());
        }
    }
    let mut ty = ty.clone();
    Static.visit_type_mut(&mut ty);
    ty
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape_of(ty: &str) -> String {
        let ty: Type = syn::parse_str(ty).unwrap();
        format!("{:?}", shape(&ty))
    }

    #[test]
    fn classifies_common_types() {
        assert!(shape_of("Option<String>").starts_with("Option("));
        assert_eq!(shape_of("std::string::String"), "Str");
        assert_eq!(shape_of("&'a str"), "Str");
        assert_eq!(shape_of("Box<str>"), "Str");
        assert_eq!(shape_of("Box<i64>"), shape_of("i64"));
        assert_eq!(shape_of("Vec<u8>"), "Bytes");
        assert!(shape_of("Vec<String>").starts_with("Seq("));
        assert!(shape_of("BTreeMap<String, i32>").starts_with("Map("));
        assert_eq!(
            shape_of("chrono::DateTime<chrono::Utc>"),
            "Formatted(DateTime)"
        );
        assert_eq!(shape_of("serde_json::Value"), "Json");
        assert_eq!(shape_of("crate::types::Pet"), "Named(\"Pet\")");
        assert_eq!(shape_of("u32"), "Int { min: 0, max: 4294967295 }");
    }

    #[test]
    fn own_paths_are_not_library_types() {
        assert_eq!(shape_of("DateTime"), "Named(\"DateTime\")");
        assert_eq!(shape_of("types::DateTime"), "Named(\"DateTime\")");
        assert_eq!(shape_of("crate::Uuid"), "Named(\"Uuid\")");
        assert_eq!(shape_of("super::Value"), "Named(\"Value\")");
        assert_eq!(shape_of("DateTime<Utc>"), "Formatted(DateTime)");
        assert_eq!(shape_of("::std::string::String"), "Str");
        assert_eq!(shape_of("uuid::Uuid"), "Formatted(Uuid)");
        assert_eq!(
            bare_name(&syn::parse_str("Uuid").unwrap()).as_deref(),
            Some("Uuid")
        );
        assert_eq!(bare_name(&syn::parse_str("uuid::Uuid").unwrap()), None);
    }

    #[test]
    fn displays_and_normalises_names() {
        let ty: Type = syn::parse_str("Option < Vec < std :: string :: String > >").unwrap();
        assert_eq!(display(&ty), "Option<Vec<std::string::String>>");
        assert_eq!(name_key("simple-user"), name_key("SimpleUser"));
    }
}
