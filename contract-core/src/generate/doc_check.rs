//! The last check behind `normalize/doc-text`: rustdoc compiles and runs the code blocks of doc
//! comments as doctests, so the generated code's doc comments are scanned for any code block
//! other than the fenced ```` ```ignore ```` examples the generator writes itself. One found
//! fails generation: nothing from a spec may reach `cargo test`.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// The first line of a doc comment in `tokens` that opens a code block rustdoc would run, or
/// `None` when there is none. Consecutive `#[doc = "…"]` attributes are read as one comment.
pub(super) fn runnable_code_block(tokens: &TokenStream) -> Option<String> {
    let mut docs: Vec<String> = Vec::new();
    let mut found = None;
    scan(tokens.clone(), &mut docs, &mut found);
    found.or_else(|| first_code_block(&docs.join("\n")))
}

fn scan(tokens: TokenStream, docs: &mut Vec<String>, found: &mut Option<String>) {
    let mut after_pound = false;
    for tree in tokens {
        if found.is_some() {
            return;
        }
        match &tree {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                after_pound = true;
                continue;
            }
            TokenTree::Group(g) if after_pound && g.delimiter() == Delimiter::Bracket => {
                if let Some(text) = doc_text(g.stream()) {
                    docs.push(text);
                }
            }
            TokenTree::Punct(p) if after_pound && p.as_char() == '!' => continue,
            TokenTree::Group(g) => {
                flush(docs, found);
                scan(g.stream(), docs, found);
            }
            _ => flush(docs, found),
        }
        after_pound = false;
    }
    flush(docs, found);
}

fn flush(docs: &mut Vec<String>, found: &mut Option<String>) {
    if !docs.is_empty() && found.is_none() {
        *found = first_code_block(&docs.join("\n"));
    }
    docs.clear();
}

/// The text of `doc = "…"`.
fn doc_text(attr: TokenStream) -> Option<String> {
    let mut trees = attr.into_iter();
    match trees.next()? {
        TokenTree::Ident(i) if i == "doc" => {}
        _ => return None,
    }
    match trees.next()? {
        TokenTree::Punct(p) if p.as_char() == '=' => {}
        _ => return None,
    }
    let literal = trees.next()?;
    syn::parse2::<syn::LitStr>(literal.into())
        .ok()
        .map(|l| l.value())
}

/// The first line of `doc` that opens a code block other than ```` ```ignore ````: a fence
/// without `ignore` (at any depth of lists and block quotes), or a line indented four columns
/// or more (beyond the comment's common indentation, which rustdoc removes) outside a fence.
pub(super) fn first_code_block(doc: &str) -> Option<String> {
    let lines: Vec<&str> = doc.lines().collect();
    let common = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| indentation(l))
        .min()
        .unwrap_or(0);
    let mut fence: Option<String> = None;
    for line in &lines {
        let rest = strip_containers(line);
        if let Some(open) = &fence {
            if rest.starts_with(open.as_str()) {
                fence = None;
            }
            continue;
        }
        let marker: String = rest
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        if marker.len() >= 3 && marker.chars().all(|c| c == marker.as_bytes()[0] as char) {
            let info = rest[marker.len()..].trim();
            if !info.split([',', ' ']).any(|t| t == "ignore") {
                return Some(line.to_string());
            }
            fence = Some(marker);
        } else if indentation(line) >= common + 4 && !line.trim().is_empty() {
            return Some(line.to_string());
        }
    }
    None
}

/// Columns of leading whitespace (a tab counts four).
fn indentation(line: &str) -> usize {
    line.chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// `line` without leading whitespace, block-quote markers and list markers.
fn strip_containers(line: &str) -> &str {
    let mut rest = line.trim_start();
    loop {
        let before = rest;
        if let Some(r) = rest.strip_prefix('>') {
            rest = r.trim_start();
        }
        for bullet in ["- ", "* ", "+ "] {
            if let Some(r) = rest.strip_prefix(bullet) {
                rest = r.trim_start();
            }
        }
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0
            && let Some(r) = rest[digits..]
                .strip_prefix(". ")
                .or_else(|| rest[digits..].strip_prefix(") "))
        {
            rest = r.trim_start();
        }
        if rest == before {
            return rest;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn runnable_blocks_are_found_and_ignore_examples_are_not() {
        assert_eq!(
            first_code_block("Intro\n\n```rust\npanic!()\n```").as_deref(),
            Some("```rust")
        );
        assert!(first_code_block("a\n- > ~~~\n").is_some());
        assert!(first_code_block("1. ```\nx\n```").is_some());
        assert_eq!(
            first_code_block("text\n\n    code()").as_deref(),
            Some("    code()")
        );
        assert!(
            first_code_block("x\n```ignore\n    let a = b\n        .c();\n```\nafter").is_none()
        );
        assert!(first_code_block(" same\n indentation").is_none());
        assert!(first_code_block("escaped \\`\\`\\`rust").is_none());
    }

    #[test]
    fn consecutive_doc_attributes_form_one_comment() {
        let tokens = quote! {
            mod m {
                #[doc = "Intro"]
                #[doc = ""]
                #[doc = "    code()"]
                pub struct S;
            }
        };
        assert_eq!(runnable_code_block(&tokens).as_deref(), Some("    code()"));
        let fine = quote! {
            #[doc = "Intro"]
            #[derive(Debug)]
            pub struct S;
            #[doc = "    after another item: one line, not indented relative to itself"]
            pub struct T;
        };
        assert_eq!(runnable_code_block(&fine), None);
    }
}
