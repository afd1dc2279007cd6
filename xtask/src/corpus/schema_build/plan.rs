//! Annotating the generated types (each with the schema the in-process checks found for it)
//! and writing the compile-time drifts beside them.

use std::collections::{BTreeMap, VecDeque};

use contract_core::gates::schema_check::{self, Direction};
use contract_core::util::json_pointer;
use quote::ToTokens;
use serde_json::Value;
use syn::DeriveInput;
use syn::parse::Parser as _;

use super::{BuildPlan, CONTRACT};
use crate::corpus::schema::{
    component_keys, component_of, dropped_reason, dropped_under, generated_types, unsupported,
};

/// The schema a generated type is checked against: a component name or a JSON pointer.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    Name(String),
    Pointer(String),
}

impl Target {
    fn argument(&self) -> String {
        match self {
            Target::Name(name) => format!("name = {name:?}"),
            Target::Pointer(pointer) => format!("pointer = {pointer:?}"),
        }
    }
    fn key(&self) -> &str {
        match self {
            Target::Name(name) | Target::Pointer(name) => name,
        }
    }
    /// The JSON pointer of the schema (`/components/schemas/…` for a name).
    fn pointer(&self) -> String {
        match self {
            Target::Name(name) => format!("/components/schemas/{}", json_pointer::escape(name)),
            Target::Pointer(pointer) => pointer.trim_start_matches('#').to_string(),
        }
    }
    fn identity(&self, document: &Value) -> Option<u64> {
        schema_check::identity_at(document, &format!("#{}", self.pointer()))
    }
}

/// What the in-process checks decided for every generated type.
struct Mapping {
    /// Type → the schema it carries.
    targets: BTreeMap<String, Target>,
    /// Type → (field, type it needs an identity from).
    needs: BTreeMap<String, Vec<(String, String)>>,
    /// Type → fields to mark unchecked, with the reason.
    unchecked: BTreeMap<String, Vec<(String, String)>>,
    not_annotated: Vec<(String, String)>,
    /// Types the in-process check rejects, with the first error.
    rejected: Vec<(String, String)>,
    /// Accepted structs with no field for some properties of their schema.
    unread: Vec<(String, Vec<String>)>,
}

/// Annotates the generated `code` for `document` and writes the drift files; returns the
/// annotated `src/lib.rs` text, the drift crate's `src/` files (its `lib.rs` declaring the
/// drifts last; none when nothing was injected) and the plan. A type the check rejects whose
/// schema holds one of `enums_dropped` (the generator's rewrites that drop an `enum`) is not
/// annotated, and the fields that need it are marked unchecked.
pub fn plan(
    document: &Value,
    code: &str,
    enums_dropped: &[(String, String)],
) -> Result<(String, Vec<DriftFile>, BuildPlan), String> {
    let mut file =
        syn::parse_file(code).map_err(|e| format!("generated code does not parse: {e}"))?;
    let items: BTreeMap<String, DeriveInput> = generated_types(&file)
        .into_iter()
        .map(|item| (item.ident.to_string(), item))
        .collect();
    // The types are what is checked; the client's operations would only add to rustc's time
    // and memory (GitHub's 1,223 take gigabytes).
    file.items
        .retain(|item| matches!(item, syn::Item::Mod(module) if module.ident == "types"));
    widen_defaults(&mut file);
    let mapping = map_types(document, &items, enums_dropped);
    let mut plan = BuildPlan {
        not_annotated: mapping.not_annotated.clone(),
        rejected_in_process: mapping.rejected.clone(),
        unread: mapping.unread.clone(),
        ..BuildPlan::default()
    };
    let order = annotate(&mut file, &mapping, &mut plan);
    let text = format!(
        "#![allow(warnings, clippy::all)]\n{}",
        prettyplease::unparse(&file)
    );
    plan.lines = text
        .lines()
        .enumerate()
        .filter(|(_, line)| {
            line.trim_start()
                .starts_with("#[::contract_macros::schema(")
        })
        .map(|(i, _)| i + 1)
        .collect();
    if plan.lines.len() != order.len() {
        return Err(format!(
            "{} annotations written, {} found in the formatted code",
            order.len(),
            plan.lines.len()
        ));
    }
    plan.annotated = order;
    let mut drifts = inject(document, &items, &mapping, &mut plan);
    if !drifts.is_empty() {
        let mut lib = String::from("#![allow(warnings, clippy::all)]\n");
        for (name, _) in &drifts {
            lib.push_str(&format!("pub mod {};\n", name.trim_end_matches(".rs")));
        }
        drifts.push(("lib.rs".into(), lib));
    }
    Ok((text, drifts, plan))
}

/// Makes the generator's `types::defaults` functions (`pub(super)`) public: the drift copies
/// live in a crate of their own and keep their `serde(default = …)`.
fn widen_defaults(file: &mut syn::File) {
    for inner in module_items(&mut file.items, "types") {
        let syn::Item::Mod(defaults) = inner else {
            continue;
        };
        if defaults.ident != "defaults" {
            continue;
        }
        for function in defaults.content.iter_mut().flat_map(|(_, items)| items) {
            if let syn::Item::Fn(function) = function {
                function.vis = syn::parse_quote!(pub);
            }
        }
    }
}

/// The items of the inline modules named `name` among `items`.
fn module_items<'a>(
    items: &'a mut [syn::Item],
    name: &'a str,
) -> impl Iterator<Item = &'a mut syn::Item> + 'a {
    items
        .iter_mut()
        .filter_map(move |item| match item {
            syn::Item::Mod(module) if module.ident == name => module.content.as_mut(),
            _ => None,
        })
        .flat_map(|(_, items)| items.iter_mut())
}

/// Decides the schema of every generated type: component types by name, then, breadth first,
/// the inline types their fields need an identity from.
fn map_types(
    document: &Value,
    items: &BTreeMap<String, DeriveInput>,
    enums_dropped: &[(String, String)],
) -> Mapping {
    let components = component_keys(document);
    let mut mapping = Mapping {
        targets: BTreeMap::new(),
        needs: BTreeMap::new(),
        unchecked: BTreeMap::new(),
        not_annotated: Vec::new(),
        rejected: Vec::new(),
        unread: Vec::new(),
    };
    let mut queue: VecDeque<String> = VecDeque::new();
    for (name, item) in items {
        if let Some(reason) = unsupported(item) {
            mapping.not_annotated.push((name.clone(), reason.into()));
            continue;
        }
        match component_of(item, &components) {
            Ok(Some(component)) => {
                mapping
                    .targets
                    .insert(name.clone(), Target::Name(component));
                queue.push_back(name.clone());
            }
            Ok(None) => {}
            Err(reason) => mapping.not_annotated.push((name.clone(), reason)),
        }
    }
    // Types rejected for an `enum` the generator dropped: not annotated, with the reason.
    let mut dropped: BTreeMap<String, String> = BTreeMap::new();
    while let Some(name) = queue.pop_front() {
        let (item, target) = (&items[&name], mapping.targets[&name].clone());
        let needs = match schema_check::check_component(
            document,
            "spec",
            item,
            target.key(),
            Direction::Both,
        ) {
            Ok(needs) => needs,
            Err(errors) => {
                let first = errors.first().map(ToString::to_string).unwrap_or_default();
                let first = first.lines().next().unwrap_or_default().to_string();
                match dropped_under(enums_dropped, &target.pointer()) {
                    Some(rewrite) => {
                        mapping.targets.remove(&name);
                        dropped.insert(name.clone(), dropped_reason(rewrite, &first));
                    }
                    None => mapping.rejected.push((name.clone(), first)),
                }
                continue;
            }
        };
        let unread = schema_check::unread_properties(document, item, target.key());
        if !unread.is_empty() {
            mapping.unread.push((name.clone(), unread));
        }
        for need in needs {
            let wanted = Target::Pointer(need.pointer.clone());
            let needed = &need.type_name;
            mapping
                .needs
                .entry(name.clone())
                .or_default()
                .push((need.field.clone(), needed.clone()));
            match items.get(needed) {
                Some(inner) if unsupported(inner).is_some() => {
                    mapping.unchecked.entry(name.clone()).or_default().push((
                        need.field.clone(),
                        format!(
                            "`{needed}` cannot carry `#[schema]` ({})",
                            unsupported(inner).unwrap_or_default()
                        ),
                    ));
                }
                Some(_)
                    if !mapping.targets.contains_key(needed) && !dropped.contains_key(needed) =>
                {
                    mapping.targets.insert(needed.clone(), wanted);
                    queue.push_back(needed.clone());
                }
                _ => {}
            }
        }
    }
    // The fields that need a type left out for a dropped `enum` are not held to its identity.
    for (owner, needs) in &mapping.needs {
        for (field, needed) in needs {
            if let Some(reason) = dropped.get(needed) {
                let why = format!("`{needed}` is not annotated: {reason}");
                mapping
                    .unchecked
                    .entry(owner.clone())
                    .or_default()
                    .push((field.clone(), why));
            }
        }
    }
    mapping.not_annotated.extend(dropped);
    for name in items.keys() {
        if !mapping.targets.contains_key(name)
            && !mapping.not_annotated.iter().any(|(n, _)| n == name)
        {
            mapping.not_annotated.push((
                name.clone(),
                "an inline type no checked field leads to (a parameter or body type)".into(),
            ));
        }
    }
    mapping
}

/// The attribute of a type checked against `target`.
fn attribute(target: &Target) -> syn::Attribute {
    let text = format!(
        "#[::contract_macros::schema(contract = {CONTRACT:?}, {})]",
        target.argument()
    );
    let mut attrs = syn::Attribute::parse_outer
        .parse_str(&text)
        .expect("a valid attribute");
    attrs.remove(0)
}

/// Puts the attribute on every mapped type of the `types` module (and `#[schema(unchecked)]`
/// on the fields that need it); returns the annotated types in file order.
fn annotate(
    file: &mut syn::File,
    mapping: &Mapping,
    plan: &mut BuildPlan,
) -> Vec<(String, String)> {
    let mut order = Vec::new();
    for inner in module_items(&mut file.items, "types") {
        let (ident, attrs, fields) = match inner {
            syn::Item::Struct(s) => (s.ident.to_string(), &mut s.attrs, Some(&mut s.fields)),
            syn::Item::Enum(e) => (e.ident.to_string(), &mut e.attrs, None),
            _ => continue,
        };
        let Some(target) = mapping.targets.get(&ident) else {
            continue;
        };
        attrs.insert(0, attribute(target));
        order.push((ident.clone(), target.argument()));
        let Some(fields) = fields else { continue };
        for (field_name, reason) in mapping.unchecked.get(&ident).into_iter().flatten() {
            for field in fields.iter_mut() {
                // A newtype's field has no name (`field_name` is empty).
                let name = field
                    .ident
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                if name == *field_name {
                    field.attrs.push(syn::parse_quote!(#[schema(unchecked)]));
                    plan.unchecked
                        .push((ident.clone(), field_name.clone(), reason.clone()));
                }
            }
        }
    }
    order
}

/// One injected drift: the file it is in and its contents.
type DriftFile = (String, String);

/// Injects the compile-time drifts of class 6 into the accepted structs (the first field held
/// to an identity of an annotated type), each in a file of its own.
fn inject(
    document: &Value,
    items: &BTreeMap<String, DeriveInput>,
    mapping: &Mapping,
    plan: &mut BuildPlan,
) -> Vec<DriftFile> {
    let identities: BTreeMap<&String, u64> = mapping
        .targets
        .iter()
        .filter_map(|(name, target)| Some((name, target.identity(document)?)))
        .collect();
    let mut files = Vec::new();
    for (owner, needs) in &mapping.needs {
        let Some((field, needed)) = needs
            .iter()
            .find(|(field, needed)| !field.is_empty() && identities.contains_key(needed))
        else {
            continue;
        };
        let Some(&identity) = identities.get(needed) else {
            continue;
        };
        let other = identities
            .iter()
            .find(|(name, id)| **id != identity && **name != needed && **name != owner);
        if let Some((other, _)) = other {
            let copy = drifted_copy(items, mapping, owner, field, needed, other);
            let what = format!("`{owner}.{field}`: `{needed}` → `{other}` (another schema)");
            files.push(drift_file(
                plan,
                files.len(),
                "6-type-swapped",
                owner,
                what,
                copy,
            ));
        }
        let stripped = format!("{needed}Stripped");
        let mut copy = drifted_copy(items, mapping, owner, field, needed, &stripped);
        copy.push_str(&serde_only(&items[needed], &stripped, None));
        let what = format!("`{owner}.{field}`: `{needed}` → a copy without `#[schema]`");
        files.push(drift_file(
            plan,
            files.len(),
            "6-annotation-stripped",
            owner,
            what,
            copy,
        ));
    }
    files
}

fn drift_file(
    plan: &mut BuildPlan,
    index: usize,
    class: &str,
    owner: &str,
    what: String,
    body: String,
) -> DriftFile {
    let name = format!("drift_{index}.rs");
    plan.drifts
        .push((name.clone(), class.into(), owner.into(), what));
    let text = format!("#![allow(warnings, clippy::all)]\nuse annotated::types::*;\n\n{body}");
    (name, text)
}

/// A copy of the struct `owner` (with its attribute) named `<owner>Drift`, where `field`'s
/// type names `replacement` instead of `needed`.
fn drifted_copy(
    items: &BTreeMap<String, DeriveInput>,
    mapping: &Mapping,
    owner: &str,
    field: &str,
    needed: &str,
    replacement: &str,
) -> String {
    let mut item = items[owner].clone();
    if let syn::Data::Struct(data) = &mut item.data {
        let unchecked = mapping.unchecked.get(owner);
        for f in data.fields.iter_mut() {
            let name = f
                .ident
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            if unchecked.is_some_and(|u| u.iter().any(|(n, _)| *n == name)) {
                f.attrs.push(syn::parse_quote!(#[schema(unchecked)]));
            }
            if name == field {
                f.ty = replace_ident(&f.ty, needed, replacement);
            }
        }
    }
    serde_only(&item, &format!("{owner}Drift"), mapping.targets.get(owner))
}

/// `item` renamed, with only its serde derives and attributes (and `#[schema]` for `target`).
fn serde_only(item: &DeriveInput, name: &str, target: Option<&Target>) -> String {
    let mut item = item.clone();
    item.ident = syn::Ident::new(name, item.ident.span());
    item.attrs.retain(|a| a.path().is_ident("serde"));
    item.attrs.insert(
        0,
        syn::parse_quote!(#[derive(::serde::Deserialize, ::serde::Serialize)]),
    );
    if let Some(target) = target {
        item.attrs.insert(0, attribute(target));
    }
    format!("{}\n", item.to_token_stream())
}

/// `ty` with every identifier `from` replaced by `to`.
fn replace_ident(ty: &syn::Type, from: &str, to: &str) -> syn::Type {
    // `to_string` separates every token by a space.
    let text: Vec<String> = ty
        .to_token_stream()
        .to_string()
        .split(' ')
        .map(|token| {
            if token == from {
                to.to_string()
            } else {
                token.to_string()
            }
        })
        .collect();
    syn::parse_str(&text.join(" ")).unwrap_or_else(|_| ty.clone())
}
