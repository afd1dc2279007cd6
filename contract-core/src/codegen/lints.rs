//! Generated code that builds without a warning under `-D warnings`, in a library or in a
//! binary that calls one operation:
//!
//! - names are fixed where the generator writes them in a case rustc warns about: typify names
//!   the enum values `+1` and `-1` `plus1` and `minus1` (its special case ignores the case it
//!   was asked for), which `non_camel_case_types` rejects; [`camel_case_variants`] renames
//!   every variant that is not upper camel case (`Plus1`), and every path naming it;
//! - typify turns a `minLength: 0` (or `minItems: 0`) into a check that an unsigned count is
//!   below zero, which `unused_comparisons` rejects (329 warnings in 9 corpus clients);
//!   [`vacuous_bound_checks`] removes those `if`s, which can never be true;
//! - two lints that no name can fix are allowed on the generated items, each for one reason
//!   ([`allow_lints`]).

use std::collections::{BTreeMap, BTreeSet};

use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Item};

/// Renames the variants of every enum in `file` that rustc's `non_camel_case_types` would
/// warn about, and the paths that name them (`Self::plus1`, `super::Reaction::plus1`). A
/// renamed variant keeps its wire name (typify writes `#[serde(rename = "+1")]` beside it).
/// Returns how many variants were renamed.
pub(super) fn camel_case_variants(file: &mut syn::File) -> usize {
    let mut renames = Renames::default();
    renames.visit_file_mut(file);
    let renamed = renames.by_enum.values().map(BTreeMap::len).sum();
    if renamed > 0 {
        let mut paths = RenamePaths {
            by_enum: &renames.by_enum,
            impl_of: Vec::new(),
        };
        paths.visit_file_mut(file);
    }
    renamed
}

/// Removes from `file` every `if count < 0usize { … }` without an `else` (the left side of an
/// unsigned type, the right the literal zero with an unsigned suffix): its condition is never
/// true, so the client behaves the same, and rustc's `unused_comparisons` has nothing to warn
/// about. Returns how many were removed.
pub(super) fn vacuous_bound_checks(file: &mut syn::File) -> usize {
    let mut removed = VacuousChecks(0);
    removed.visit_file_mut(file);
    removed.0
}

struct VacuousChecks(usize);

impl VisitMut for VacuousChecks {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = block.stmts.len();
        block.stmts.retain(|stmt| !is_vacuous_check(stmt));
        self.0 += before - block.stmts.len();
        visit_mut::visit_block_mut(self, block);
    }
}

/// Whether `stmt` is `if <expr> < 0u… { … }` with no `else`.
fn is_vacuous_check(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::If(check), _) = stmt else {
        return false;
    };
    let syn::Expr::Binary(comparison) = check.cond.as_ref() else {
        return false;
    };
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Int(zero),
        ..
    }) = comparison.right.as_ref()
    else {
        return false;
    };
    check.else_branch.is_none()
        && matches!(comparison.op, syn::BinOp::Lt(_))
        && zero.base10_digits() == "0"
        && ["usize", "u8", "u16", "u32", "u64", "u128"].contains(&zero.suffix())
}

/// Whether rustc's `non_camel_case_types` accepts `name` (its own test: leading and trailing
/// underscores aside, no lowercase first character, no `__`, no `_` beside a cased letter).
fn is_camel_case(name: &str) -> bool {
    let name = name.trim_matches('_');
    let chars: Vec<char> = name.chars().collect();
    let Some(first) = chars.first() else {
        return true;
    };
    let has_case = |c: char| c.is_lowercase() || c.is_uppercase();
    !first.is_lowercase()
        && !name.contains("__")
        && !chars.windows(2).any(|pair| {
            (has_case(pair[0]) && pair[1] == '_') || (pair[0] == '_' && has_case(pair[1]))
        })
}

/// The upper camel case of `name`, unique among `taken` and not the keyword `Self`
/// (underscores appended as needed).
fn camel_case(name: &str, taken: &BTreeSet<String>) -> String {
    use heck::ToUpperCamelCase;
    let mut out = name.to_upper_camel_case();
    if out.is_empty() || !unicode_ident::is_xid_start(out.chars().next().unwrap_or('_')) {
        out = format!("X{out}");
    }
    while taken.contains(&out) || out == "Self" {
        out.push('_');
    }
    out
}

/// Finds and renames the variants; remembers them by enum name.
#[derive(Default)]
struct Renames {
    /// Enum name → old variant name → new one.
    by_enum: BTreeMap<String, BTreeMap<String, String>>,
}

impl VisitMut for Renames {
    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        let mut taken: BTreeSet<String> =
            item.variants.iter().map(|v| v.ident.to_string()).collect();
        for variant in &mut item.variants {
            let old = variant.ident.to_string();
            if is_camel_case(&old) {
                continue;
            }
            let new = camel_case(&old, &taken);
            taken.insert(new.clone());
            variant.ident = syn::Ident::new(&new, variant.ident.span());
            self.by_enum
                .entry(item.ident.to_string())
                .or_default()
                .insert(old, new);
        }
        visit_mut::visit_item_enum_mut(self, item);
    }
}

/// Renames the last segment of the paths that name a renamed variant: `<Enum>::<variant>`
/// anywhere, `Self::<variant>` inside an `impl` of the enum.
struct RenamePaths<'a> {
    by_enum: &'a BTreeMap<String, BTreeMap<String, String>>,
    /// The type of each `impl` the visitor is in, innermost last.
    impl_of: Vec<Option<String>>,
}

impl VisitMut for RenamePaths<'_> {
    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        let self_type = match &*item.self_ty {
            syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        self.impl_of.push(self_type);
        visit_mut::visit_item_impl_mut(self, item);
        self.impl_of.pop();
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let count = path.segments.len();
        if count >= 2 {
            let owner = path.segments[count - 2].ident.to_string();
            let owner = if owner == "Self" {
                self.impl_of.last().cloned().flatten()
            } else {
                Some(owner)
            };
            let last = &mut path.segments[count - 1];
            if let Some(new) = owner
                .and_then(|owner| self.by_enum.get(&owner))
                .and_then(|variants| variants.get(&last.ident.to_string()))
            {
                last.ident = syn::Ident::new(new, last.ident.span());
            }
        }
        visit_mut::visit_path_mut(self, path);
    }
}

/// Allows, on each top-level item of `file`, the two lints generated code trips whatever its
/// names:
///
/// - `dead_code`: the client is a library of every operation and type of the API, included in
///   the user's crate as a module. In a binary crate rustc reports every part the binary does
///   not use (in a library, `pub` items count as used), so a binary that calls one operation
///   would fail `-D warnings`;
/// - `unreachable_patterns` (on `impl`s and modules, where the response matches are):
///   progenitor's response matches can overlap after normalisation merges ranges (`5XX` beside
///   `503`).
pub(super) fn allow_lints(file: &mut syn::File) {
    let dead_code: Attribute = syn::parse_quote!(#[allow(dead_code)]);
    let with_matches: Attribute = syn::parse_quote!(#[allow(dead_code, unreachable_patterns)]);
    for item in &mut file.items {
        let attr = match item {
            Item::Impl(_) | Item::Mod(_) => &with_matches,
            Item::Const(_)
            | Item::Enum(_)
            | Item::Fn(_)
            | Item::Static(_)
            | Item::Struct(_)
            | Item::Trait(_)
            | Item::TraitAlias(_)
            | Item::Type(_)
            | Item::Union(_) => &dead_code,
            _ => continue,
        };
        if let Some(attrs) = item_attrs(item) {
            attrs.push(attr.clone());
        }
    }
}

/// The attributes of a top-level item, for the kinds generated code has.
pub(super) fn item_attrs(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_zero_checks_on_unsigned_counts_are_removed_and_nothing_else() {
        let mut file: syn::File = syn::parse_quote! {
            fn from_str(value: &str) -> Result<(), &'static str> {
                if value.chars().count() > 20usize {
                    return Err("longer than 20 characters");
                }
                if value.chars().count() < 0usize {
                    return Err("shorter than 0 characters");
                }
                if value.len() < 1usize {
                    return Err("shorter than 1 character");
                }
                let signed: i64 = 0;
                if signed < 0i64 {
                    return Err("negative");
                }
                Ok(())
            }
        };
        assert_eq!(vacuous_bound_checks(&mut file), 1);
        let text = quote::quote!(#file).to_string();
        assert!(!text.contains("shorter than 0"), "{text}");
        for kept in ["longer than 20", "shorter than 1", "negative"] {
            assert!(text.contains(kept), "{kept} in {text}");
        }
    }

    #[test]
    fn camel_case_is_rustc_s_test() {
        for good in ["Plus1", "A", "AB1", "Self_", "_Private", "X", "日本", ""] {
            assert!(is_camel_case(good), "{good}");
        }
        for bad in ["plus1", "minus1", "a", "Foo_bar", "Foo__Bar", "A_b"] {
            assert!(!is_camel_case(bad), "{bad}");
        }
    }

    #[test]
    fn renames_plus1_and_every_path_to_it() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub enum Reaction {
                    #[serde(rename = "+1")]
                    plus1,
                    #[serde(rename = "-1")]
                    minus1,
                    Plus1,
                    Laugh,
                }
                impl Reaction {
                    fn wire(&self) -> &str {
                        match self { Self::plus1 => "+1", Self::minus1 => "-1", Self::Plus1 => "Plus1", Self::Laugh => "laugh" }
                    }
                }
                impl Other {
                    fn f() { let _ = Self::plus1; let plus1 = 1; let _ = plus1; }
                }
                pub fn default_reaction() -> super::types::Reaction { super::types::Reaction::plus1 }
                pub struct Reactions { pub plus1: i64 }
            }
        };
        assert_eq!(camel_case_variants(&mut file), 2);
        let text = prettyplease::unparse(&file);
        assert!(text.contains("Plus1_,"), "{text}");
        assert!(text.contains("Minus1,"), "{text}");
        assert!(text.contains("Self::Plus1_ => \"+1\""), "{text}");
        assert!(text.contains("Self::Minus1 => \"-1\""), "{text}");
        assert!(text.contains("Self::Plus1 => \"Plus1\""), "{text}");
        assert!(text.contains("super::types::Reaction::Plus1_"), "{text}");
        // Another type's `Self::plus1`, locals and fields are not variants of the enum.
        assert!(text.contains("let _ = Self::plus1;"), "{text}");
        assert!(text.contains("let plus1 = 1;"), "{text}");
        assert!(text.contains("pub plus1: i64"), "{text}");
        assert!(text.contains("#[serde(rename = \"+1\")]"), "{text}");
    }

    #[test]
    fn new_names_are_identifiers_and_unique() {
        let taken: BTreeSet<String> = ["Plus1".to_string(), "Plus1_".to_string()].into();
        assert_eq!(camel_case("plus1", &taken), "Plus1__");
        assert_eq!(camel_case("minus1", &taken), "Minus1");
        assert_eq!(camel_case("self_", &taken), "Self_");
        assert_eq!(camel_case("a_b", &taken), "AB");
    }

    #[test]
    fn a_file_in_camel_case_is_left_alone() {
        let mut file: syn::File = syn::parse_quote!(
            enum A {
                B,
                C_,
            }
        );
        let before = file.clone();
        assert_eq!(camel_case_variants(&mut file), 0);
        assert_eq!(file, before);
    }

    #[test]
    fn dead_code_is_allowed_on_definitions_and_matches_on_impls_and_modules() {
        let mut file: syn::File = syn::parse_quote! {
            pub use progenitor_client::Error;
            pub mod types {}
            pub struct Client {}
            impl Client {}
            pub trait ClientExt {}
        };
        allow_lints(&mut file);
        let attrs: Vec<String> = file
            .items
            .iter()
            .map(|item| {
                let mut item = item.clone();
                item_attrs(&mut item)
                    .map(|attrs| quote::quote!(#(#attrs)*).to_string())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            attrs,
            [
                "",
                "# [allow (dead_code , unreachable_patterns)]",
                "# [allow (dead_code)]",
                "# [allow (dead_code , unreachable_patterns)]",
                "# [allow (dead_code)]",
            ]
        );
    }
}
