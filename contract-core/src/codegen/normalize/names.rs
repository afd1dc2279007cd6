//! The Rust identifiers the generator derives from names in a spec (the same algorithm as
//! progenitor's and typify's `sanitize`), so collisions can be found before generating.

use heck::{ToPascalCase, ToSnakeCase};
use unicode_ident::{is_xid_continue, is_xid_start};

/// The `snake_case` identifier of `input` (operation and parameter names).
pub fn snake(input: &str) -> String {
    sanitize(input, |s| s.to_snake_case())
}

/// The `PascalCase` identifier of `input` (type names).
pub fn pascal(input: &str) -> String {
    sanitize(input, |s| s.to_pascal_case())
}

/// `base`, or the first of `base2`, `base3`, … that `taken` does not claim.
pub fn unused(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|n| !taken(n))
        .expect("an unused name")
}

fn sanitize(input: &str, to_case: fn(&str) -> String) -> String {
    let out = match input {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => to_case(
            &input
                .replace('\'', "")
                .replace(|c: char| !is_xid_continue(c), "-"),
        ),
    };
    let out = match out.chars().next() {
        None => to_case("x"),
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("_{out}"),
    };
    if is_keyword(&out) {
        format!("{out}_")
    } else {
        out
    }
}

fn is_keyword(ident: &str) -> bool {
    matches!(
        ident,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

/// An operation id derived from its method and path: `get /pets/{petId}/toys` →
/// `get_pets_pet_id_toys` (`get_root` for `/`).
pub fn operation_id(method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_snake_case())
        .collect();
    if words.is_empty() {
        format!("{method}_root")
    } else {
        format!("{method}_{}", words.join("_"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_match_the_generator() {
        assert_eq!(snake("listPets"), "list_pets");
        assert_eq!(snake("pets.list"), "pets_list");
        assert_eq!(snake("MaxResults"), snake("maxResults"));
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("1st"), "_1st");
        assert_eq!(snake(""), "x");
        assert_eq!(pascal("simple-commit"), "SimpleCommit");
        assert_eq!(pascal("Simple Commit"), "SimpleCommit");
        assert_eq!(pascal("Self"), "Self_");
    }

    #[test]
    fn operation_ids_from_method_and_path() {
        assert_eq!(
            operation_id("get", "/pets/{petId}/toys"),
            "get_pets_pet_id_toys"
        );
        assert_eq!(operation_id("delete", "/"), "delete_root");
        assert_eq!(operation_id("post", "/v1/a.b-c"), "post_v1_a_b_c");
    }
}
