//! Request bodies progenitor cannot send as the spec says, finished in the generated code.
//!
//! - `multipart/form-data`: normalisation hands the body to the generator as a JSON body of the
//!   same struct and records its parts ([`MultipartBody`]); here the request's `.json(&body)` is
//!   replaced by `multipart_form::attach(…, &body, &[parts])?`, and the small `multipart_form`
//!   module the call needs is added to the client (its source: `multipart_form.rs.in`).
//! - XML and other text bodies: generated as `text/plain` strings; here the request's
//!   `HeaderValue::from_static("text/plain")` is given the body's own media type.
//!
//! Nothing from the spec runs: part names and media types become string literals. An operation
//! whose body cannot be found exactly once in its generated method is an error, never a client
//! that sends another body than the spec's.

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
        rewrite(file, &body.operation_id, Action::Multipart(&body.parts))?;
    }
    let helper: syn::File = syn::parse_str(HELPER).map_err(|e| format!("multipart helper: {e}"))?;
    file.items.extend(helper.items);
    Ok(())
}

/// Labels the text bodies of `marked` operations (operation id, media type) with their own
/// media type instead of `text/plain`.
pub(super) fn relabel_text_bodies(
    file: &mut syn::File,
    marked: &[(String, String)],
) -> Result<(), String> {
    for (operation_id, media_type) in marked {
        rewrite(file, operation_id, Action::Relabel(media_type))?;
    }
    Ok(())
}

/// Applies `action` to the body of one operation's generated method: exactly once.
fn rewrite(file: &mut syn::File, operation_id: &str, action: Action<'_>) -> Result<(), String> {
    let mut rewrite = Rewrite {
        method: names::snake(operation_id),
        builder: names::pascal(operation_id),
        action,
        depth: 0,
        in_target: false,
        replaced: 0,
    };
    rewrite.visit_file_mut(file);
    // One method (positional) or one builder `send` (builder interface).
    if rewrite.replaced != 1 {
        return Err(format!(
            "the request body of operation `{operation_id}` was found {} times in the generated code, not once",
            rewrite.replaced
        ));
    }
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

/// What to do to an operation's request body.
#[derive(Clone, Copy)]
enum Action<'a> {
    /// Send it as these multipart parts.
    Multipart(&'a [(String, Part)]),
    /// Label it with this media type.
    Relabel(&'a str),
}

struct Rewrite<'a> {
    /// The positional method (`upload_photo`, on `Client`).
    method: String,
    /// The builder struct (`UploadPhoto`, whose `send` builds the request).
    builder: String,
    action: Action<'a>,
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
        let replacement = match self.action {
            Action::Multipart(parts) => self.multipart(expr, parts),
            Action::Relabel(media_type) => relabel(expr, media_type),
        };
        if let Some(replacement) = replacement {
            *expr = replacement;
            self.replaced += 1;
        }
    }
}

impl Rewrite<'_> {
    /// `R.json(&body)` → `multipart_form::attach(R, &body, &[parts])?`.
    fn multipart(&self, expr: &syn::Expr, parts: &[(String, Part)]) -> Option<syn::Expr> {
        let syn::Expr::MethodCall(call) = expr else {
            return None;
        };
        if call.method != "json" || call.args.len() != 1 || !is_reference_to_body(&call.args[0]) {
            return None;
        }
        let receiver = &call.receiver;
        let helper = helper_path(self.depth);
        let parts = parts_expression(&helper, parts);
        Some(syn::parse_quote! {
            #helper::attach(#receiver, &body, #parts)?
        })
    }
}

/// `…::HeaderValue::from_static("text/plain")` → the same with `media_type`.
fn relabel(expr: &syn::Expr, media_type: &str) -> Option<syn::Expr> {
    let syn::Expr::Call(call) = expr else {
        return None;
    };
    let syn::Expr::Path(function) = &*call.func else {
        return None;
    };
    let is_from_static = function
        .path
        .segments
        .last()
        .is_some_and(|s| s.ident == "from_static");
    let is_text_plain = matches!(
        call.args.first(),
        Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })) if s.value() == "text/plain"
    );
    if !is_from_static || call.args.len() != 1 || !is_text_plain {
        return None;
    }
    let function = &call.func;
    Some(syn::parse_quote! { #function(#media_type) })
}

/// `&body`.
fn is_reference_to_body(expr: &syn::Expr) -> bool {
    let syn::Expr::Reference(reference) = expr else {
        return false;
    };
    matches!(&*reference.expr, syn::Expr::Path(p) if p.path.is_ident("body"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(operation_id: &str) -> MultipartBody {
        MultipartBody {
            operation_id: operation_id.into(),
            parts: vec![("file".into(), Part::File)],
        }
    }

    #[test]
    fn the_json_body_becomes_parts_in_the_method_and_the_builder() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                pub async fn upload(&self, body: &types::UploadBody) {
                    let request = self.client.post(url).json(&body).build()?;
                }
                pub async fn other(&self, body: &types::OtherBody) {
                    let request = self.client.post(url).json(&body).build()?;
                }
            }
            pub mod builder {
                impl<'a> Upload<'a> {
                    pub async fn send(self) {
                        let request = client.client.post(url).json(&body).build()?;
                    }
                }
            }
        };
        // Both interfaces in one file: the body is found twice, which is refused.
        let err = send_as_multipart(&mut file.clone(), &[body("upload")]).unwrap_err();
        assert!(err.contains("found 2 times"), "{err}");
        let syn::Item::Mod(builder) = file.items.pop().unwrap() else {
            panic!()
        };
        send_as_multipart(&mut file, &[body("upload")]).unwrap();
        let code = quote::ToTokens::to_token_stream(&file).to_string();
        assert!(
            code.contains("multipart_form :: attach (self . client . post (url) , & body , & [(\"file\" , multipart_form :: Part :: File)]) ?"),
            "{code}"
        );
        assert_eq!(
            code.matches(". json (& body)").count(),
            1,
            "`other` keeps JSON"
        );
        assert!(code.contains("pub mod multipart_form"));

        let mut builder_only: syn::File = syn::parse_quote! { #builder };
        send_as_multipart(&mut builder_only, &[body("upload")]).unwrap();
        let code = quote::ToTokens::to_token_stream(&builder_only).to_string();
        assert!(code.contains("super :: multipart_form :: attach"), "{code}");
    }

    #[test]
    fn a_body_not_found_is_an_error_and_text_is_relabelled() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                pub async fn put_pet(&self, body: String) {
                    let request = self.client.put(url)
                        .header(CONTENT_TYPE, HeaderValue::from_static("text/plain"))
                        .body(body);
                }
            }
        };
        let err = send_as_multipart(&mut file.clone(), &[body("put_pet")]).unwrap_err();
        assert!(err.contains("`put_pet` was found 0 times"), "{err}");
        let marked = [("putPet".to_string(), "application/xml".to_string())];
        relabel_text_bodies(&mut file, &marked).unwrap();
        let code = quote::ToTokens::to_token_stream(&file).to_string();
        assert!(
            code.contains("HeaderValue :: from_static (\"application/xml\")"),
            "{code}"
        );
        assert!(!code.contains("text/plain"));
    }
}
