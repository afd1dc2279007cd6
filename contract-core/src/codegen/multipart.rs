//! Sending `multipart/form-data` bodies, which progenitor cannot: normalisation hands such a
//! body to the generator as a JSON body of the same struct and records its parts
//! ([`MultipartBody`]); here the generated request's `.json(&body)` is replaced by
//! `multipart_form::attach(…, &body, &[parts])?`, and the small `multipart_form` module the call
//! needs is added to the client (its source: `multipart_form.rs.in`). Nothing from the spec
//! runs: part names become string literals. A multipart operation whose JSON body cannot be
//! found exactly once in its generated method is an error, never a client that sends JSON.

use quote::quote;
use syn::visit_mut::{self, VisitMut};

use super::normalize::multipart::{MultipartBody, Part};
use super::normalize::names;

/// The helper module added to a client with multipart operations.
const HELPER: &str = include_str!("multipart_form.rs.in");

/// Rewrites the methods of `bodies` in `file` to send their bodies as `multipart/form-data`,
/// and adds the helper module. Errors name the operation whose body was not found.
pub(super) fn send_as_multipart(
    file: &mut syn::File,
    bodies: &[MultipartBody],
) -> Result<(), String> {
    if bodies.is_empty() {
        return Ok(());
    }
    for body in bodies {
        let mut rewrite = Rewrite {
            method: names::snake(&body.operation_id),
            builder: names::pascal(&body.operation_id),
            parts: &body.parts,
            depth: 0,
            in_target: false,
            replaced: 0,
        };
        rewrite.visit_file_mut(file);
        // One method (positional) or one builder `send` (builder interface).
        if rewrite.replaced != 1 {
            return Err(format!(
                "the multipart body of operation `{}` was found {} times in the generated code, not once",
                body.operation_id, rewrite.replaced
            ));
        }
    }
    let helper: syn::File = syn::parse_str(HELPER).map_err(|e| format!("multipart helper: {e}"))?;
    file.items.extend(helper.items);
    Ok(())
}

/// `&[("name", <helper>::Part::Text), …]`.
fn parts_expression(helper: &syn::Path, parts: &[(String, Part)]) -> syn::Expr {
    let entries = parts.iter().map(|(name, part)| {
        let part = syn::Ident::new(part.name(), proc_macro2::Span::call_site());
        quote! { (#name, #helper::Part::#part) }
    });
    syn::parse_quote! { &[#(#entries),*] }
}

/// `multipart_form`, seen from `depth` modules below the client's file (`super::multipart_form`
/// from its `builder` module).
fn helper_path(depth: usize) -> syn::Path {
    let supers = (0..depth).map(|_| quote! { super:: });
    syn::parse_quote! { #(#supers)* multipart_form }
}

struct Rewrite<'a> {
    /// The positional method (`upload_photo`, on `Client`).
    method: String,
    /// The builder struct (`UploadPhoto`, whose `send` builds the request).
    builder: String,
    parts: &'a [(String, Part)],
    /// How many modules deep the visit is.
    depth: usize,
    in_target: bool,
    replaced: usize,
}

impl VisitMut for Rewrite<'_> {
    fn visit_item_mod_mut(&mut self, item: &mut syn::ItemMod) {
        self.depth += 1;
        visit_mut::visit_item_mod_mut(self, item);
        self.depth -= 1;
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        let self_type = match &*item.self_ty {
            syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        for member in &mut item.items {
            let syn::ImplItem::Fn(function) = member else {
                continue;
            };
            let name = function.sig.ident.to_string();
            self.in_target = match self_type.as_deref() {
                Some("Client") => name == self.method,
                Some(other) => other == self.builder && name == "send",
                None => false,
            };
            if self.in_target {
                visit_mut::visit_block_mut(self, &mut function.block);
            }
            self.in_target = false;
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        visit_mut::visit_expr_mut(self, expr);
        if !self.in_target {
            return;
        }
        let syn::Expr::MethodCall(call) = expr else {
            return;
        };
        if call.method != "json" || call.args.len() != 1 || !is_reference_to_body(&call.args[0]) {
            return;
        }
        let receiver = &call.receiver;
        let helper = helper_path(self.depth);
        let parts = parts_expression(&helper, self.parts);
        *expr = syn::parse_quote! {
            #helper::attach(#receiver, &body, #parts)?
        };
        self.replaced += 1;
    }
}

/// `&body`.
fn is_reference_to_body(expr: &syn::Expr) -> bool {
    let syn::Expr::Reference(reference) = expr else {
        return false;
    };
    matches!(&*reference.expr, syn::Expr::Path(p) if p.path.is_ident("body"))
}
