//! The last check behind `normalize/doc-text`: rustdoc compiles and runs the code blocks of doc
//! comments as doctests, so the generated code's doc comments are scanned for any code block
//! other than the fenced ```` ```ignore ```` examples the generator writes itself. One found
//! fails generation: nothing from a spec may reach `cargo test`.

use syn::visit::{self, Visit};

/// The first line of a doc comment in `file` that opens a code block rustdoc would run, or
/// `None` when there is none. The `#[doc = "…"]` attributes of one item (up to its name) are
/// read as one comment, as rustdoc reads them.
pub(super) fn runnable_code_block(file: &syn::File) -> Option<String> {
    let mut scan = Scan::default();
    scan.visit_file(file);
    scan.flush();
    scan.found
}

#[derive(Default)]
struct Scan {
    docs: Vec<String>,
    found: Option<String>,
}

impl Scan {
    fn flush(&mut self) {
        if !self.docs.is_empty() && self.found.is_none() {
            self.found = first_code_block(&self.docs.join("\n"));
        }
        self.docs.clear();
    }
}

impl<'ast> Visit<'ast> for Scan {
    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        if let syn::Meta::NameValue(pair) = &attr.meta
            && pair.path.is_ident("doc")
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &pair.value
        {
            self.docs.push(text.value());
        }
    }

    /// Attributes come before the name of what they document: a name ends a comment.
    fn visit_ident(&mut self, ident: &'ast proc_macro2::Ident) {
        self.flush();
        visit::visit_ident(self, ident);
    }
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
    fn the_doc_attributes_of_one_item_form_one_comment() {
        let file: syn::File = syn::parse_quote! {
            mod m {
                #[doc = "Intro"]
                #[doc = ""]
                #[doc = "    code()"]
                pub struct S;
            }
        };
        assert_eq!(runnable_code_block(&file).as_deref(), Some("    code()"));
        let fine: syn::File = syn::parse_quote! {
            #[doc = "Intro"]
            #[derive(Debug)]
            pub struct S {
                #[doc = "    a field: one line, not indented relative to itself"]
                pub a: u8,
            }
        };
        assert_eq!(runnable_code_block(&fine), None);
    }
}
