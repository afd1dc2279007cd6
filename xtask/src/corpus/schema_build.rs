//! `cargo xtask corpus --schema --build`: `#[schema]` judged by rustc on the types our generator
//! writes, identity assertions included.
//!
//! For every spec the generated client becomes a crate under `target/corpus/crates/ours/` whose
//! types carry `#[contract_macros::schema(contract = "spec", …)]`: a component type its schema's
//! name, an inline type the JSON pointer of the schema a checked field needs it for (found by
//! checking the component types in-process first, then the inline types they lead to). The
//! crate declares the contract in its `Cargo.toml`, the workspace pins it in
//! `contract-guard.lock`, and one `cargo check --message-format json` builds them all; every
//! error is mapped to the type (or injected drift) whose lines it is on.
//!
//! Compile-time drift injection, issue 17's class 6 (each drift a copy of an accepted struct in
//! a file of its own, so an error there is that drift caught):
//! - `6-type-swapped`: a field's named type (held to an identity) replaced by another
//!   annotated type whose schema differs;
//! - `6-annotation-stripped`: the same field's type replaced by a copy without `#[schema]`.

use std::collections::{BTreeMap, VecDeque};
use std::path::Path;

use contract_core::gates::schema_check::{self, Direction};
use quote::ToTokens;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use syn::DeriveInput;
use syn::parse::Parser as _;

use super::schema::{component_keys, component_of, generated_types, unsupported};
use super::{Pipeline, Row, crate_dir, slug};

/// The contract every scratch crate declares.
const CONTRACT: &str = "spec";

/// What the worker wrote for one spec and what the build found.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BuildPlan {
    /// Annotated types in the order they appear: type, the attribute's schema argument.
    pub annotated: Vec<(String, String)>,
    /// Types not annotated: type, reason.
    pub not_annotated: Vec<(String, String)>,
    /// Fields marked `#[schema(unchecked)]`: type, field, reason.
    pub unchecked: Vec<(String, String, String)>,
    /// Injected drifts: file (under `src/`), class, type, what was changed.
    pub drifts: Vec<(String, String, String, String)>,
    /// The first line (1-based) of each annotated type in `src/lib.rs`, in order.
    pub lines: Vec<usize>,
    /// After the build: types rejected (type, first error).
    #[serde(default)]
    pub rejected: Vec<(String, String)>,
    /// After the build: drift files with an error of `#[schema]`'s.
    #[serde(default)]
    pub caught: Vec<String>,
    /// After the build: why the crate was not built or its errors could not be attributed.
    #[serde(default)]
    pub failure: Option<String>,
}

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
    fn identity(&self, document: &Value) -> Option<u64> {
        let pointer = match self {
            Target::Name(name) => format!(
                "#/components/schemas/{}",
                name.replace('~', "~0").replace('/', "~1")
            ),
            Target::Pointer(pointer) => pointer.clone(),
        };
        schema_check::identity_at(document, &pointer)
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
}

/// Annotates the generated `code` for `document` and writes the drift files; returns the
/// annotated `src/lib.rs` text, the drift files and the plan.
pub fn plan(document: &Value, code: &str) -> Result<(String, Vec<DriftFile>, BuildPlan), String> {
    let mut file =
        syn::parse_file(code).map_err(|e| format!("generated code does not parse: {e}"))?;
    let items: BTreeMap<String, DeriveInput> = generated_types(&file)
        .into_iter()
        .map(|item| (item.ident.to_string(), item))
        .collect();
    let mapping = map_types(document, &items);
    let mut plan = BuildPlan {
        not_annotated: mapping.not_annotated.clone(),
        ..BuildPlan::default()
    };
    let order = annotate(&mut file, &mapping, &mut plan);
    let mut text = format!(
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
    let drifts = inject(document, &items, &mapping, &mut plan);
    for (name, _) in &drifts {
        text.push_str(&format!("pub mod {};\n", name.trim_end_matches(".rs")));
    }
    Ok((text, drifts, plan))
}

/// Decides the schema of every generated type: component types by name, then, breadth first,
/// the inline types their fields need an identity from.
fn map_types(document: &Value, items: &BTreeMap<String, DeriveInput>) -> Mapping {
    let components = component_keys(document);
    let mut mapping = Mapping {
        targets: BTreeMap::new(),
        needs: BTreeMap::new(),
        unchecked: BTreeMap::new(),
        not_annotated: Vec::new(),
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
    while let Some(name) = queue.pop_front() {
        let (item, target) = (&items[&name], mapping.targets[&name].clone());
        let Ok(needs) =
            schema_check::check_component(document, "spec", item, target.key(), Direction::Both)
        else {
            continue;
        };
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
                Some(_) if !mapping.targets.contains_key(needed) => {
                    mapping.targets.insert(needed.clone(), wanted);
                    queue.push_back(needed.clone());
                }
                _ => {}
            }
        }
    }
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
    for item in &mut file.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.ident != "types" {
            continue;
        }
        for inner in module.content.iter_mut().flat_map(|(_, items)| items) {
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
    let text = format!("#![allow(warnings, clippy::all)]\nuse crate::types::*;\n\n{body}");
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

/// One error cargo reported in a scratch crate: file (relative to the crate), line, whether it
/// is one of `#[schema]`'s (a proc-macro error or a failed identity assertion), first line.
struct Reported {
    file: String,
    line: usize,
    ours: bool,
    message: String,
}

/// Builds every crate planned by `--schema --build` and records what rustc said in `rows`.
pub fn build(
    crates: &Path,
    root: &Path,
    rows: &mut [Row],
    files: &[std::path::PathBuf],
    jobs: usize,
) -> Result<(), String> {
    let mut packages = super::check::Packages::new();
    for (i, row) in rows.iter().enumerate() {
        if row.ours.stage == "ok" && row.ours.schema.as_ref().is_some_and(|s| s.build.is_some()) {
            packages.insert(format!("ours-{}", slug(&row.file)), (i, Pipeline::Ours));
        }
    }
    super::check::write_workspace(crates, root, rows, false)?;
    for &(i, _) in packages.values() {
        declare_contract(
            &crate_dir(crates, Pipeline::Ours, &rows[i]),
            &files[i],
            root,
        )?;
    }
    pin(crates)?;
    let large: Vec<&String> = packages
        .iter()
        .filter(|(_, (i, _))| {
            let lib = crate_dir(crates, Pipeline::Ours, &rows[*i]).join("src/lib.rs");
            std::fs::metadata(lib).is_ok_and(|m| m.len() > super::check::LARGE)
        })
        .map(|(name, _)| name)
        .collect();
    let mut selection = vec!["--workspace".to_string()];
    for name in &large {
        selection.extend(["--exclude".to_string(), (*name).clone()]);
    }
    let target = crates.parent().unwrap_or(crates).join("target");
    let reported = cargo_check(crates, &target, jobs, &selection, &packages)?;
    for (name, &(i, _)) in &packages {
        let Some(plan) = rows[i].ours.schema.as_mut().and_then(|s| s.build.as_mut()) else {
            continue;
        };
        if large.contains(&name) {
            plan.failure =
                Some("not built: a very large client (run it alone with `--filter`)".into());
            continue;
        }
        attribute_errors(plan, reported.get(name).map_or(&[][..], Vec::as_slice));
    }
    Ok(())
}

/// Adds `contract-macros` and the contract table to a scratch crate's manifest and copies the
/// spec beside it.
fn declare_contract(dir: &Path, source: &Path, root: &Path) -> Result<(), String> {
    let io = |what: &Path, e: std::io::Error| format!("`{}`: {e}", what.display());
    let extension = source
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("json");
    let spec = format!("spec.{extension}");
    std::fs::copy(source, dir.join(&spec)).map_err(|e| io(source, e))?;
    let manifest_path = dir.join("Cargo.toml");
    let mut manifest =
        std::fs::read_to_string(&manifest_path).map_err(|e| io(&manifest_path, e))?;
    manifest.push_str(&format!(
        "contract-macros = {{ path = {:?}, default-features = false }}\n\n[package.metadata.contract-guard.contracts.{CONTRACT}]\nspec = {spec:?}\n",
        root.join("contract-macros").to_string_lossy()
    ));
    std::fs::write(&manifest_path, manifest).map_err(|e| io(&manifest_path, e))
}

/// Pins every scratch crate's contract in the scratch workspace's `contract-guard.lock`.
fn pin(crates: &Path) -> Result<(), String> {
    use contract_core::error::with_causes;
    use contract_core::project::{pin, workspace::Workspace};
    let workspace =
        Workspace::load(Some(&crates.join("Cargo.toml"))).map_err(|e| with_causes(&e))?;
    let all: Vec<_> = workspace.contracts.iter().collect();
    pin::relock(&workspace, &all).map_err(|e| with_causes(&e))?;
    Ok(())
}

/// Maps each error to the annotated type whose lines it is on, or to the drift file it is in.
fn attribute_errors(plan: &mut BuildPlan, reported: &[Reported]) {
    let mut rejected: BTreeMap<String, String> = BTreeMap::new();
    for error in reported {
        if let Some(drift) = error
            .file
            .strip_prefix("src/")
            .filter(|f| f.starts_with("drift_"))
        {
            if error.ours && !plan.caught.iter().any(|c| c == drift) {
                plan.caught.push(drift.to_string());
            }
            continue;
        }
        let index = plan.lines.iter().rposition(|&start| start <= error.line);
        let owner = match (error.file.as_str(), index) {
            ("src/lib.rs", Some(i)) => plan.annotated[i].0.clone(),
            _ => format!(
                "(outside the annotated types: {}:{})",
                error.file, error.line
            ),
        };
        rejected
            .entry(owner)
            .or_insert_with(|| error.message.clone());
    }
    plan.rejected = rejected.into_iter().collect();
}

/// One `cargo check --keep-going` over `selection`: every error, by package.
fn cargo_check(
    crates: &Path,
    target: &Path,
    jobs: usize,
    selection: &[String],
    packages: &super::check::Packages,
) -> Result<BTreeMap<String, Vec<Reported>>, String> {
    let mut out: BTreeMap<String, Vec<Reported>> = BTreeMap::new();
    let mut each = |message: &Value| {
        if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
            return;
        }
        let Some(package) = message["package_id"]
            .as_str()
            .and_then(|id| super::check::package_name(id, &|name| packages.contains_key(name)))
        else {
            return;
        };
        let diagnostic = &message["message"];
        let Some((file, line)) = crate_location(diagnostic) else {
            return;
        };
        let code = diagnostic["code"]["code"].as_str();
        out.entry(package).or_default().push(Reported {
            file,
            line,
            ours: code.is_none() || code == Some("E0080"),
            message: super::worker::one_line(diagnostic["message"].as_str().unwrap_or("error")),
        });
    };
    super::check::cargo_messages("check", crates, target, jobs, selection, &mut each)?;
    Ok(out)
}

/// Where in the crate a diagnostic is: its primary span, or for an error raised inside a macro
/// of another crate (a `panic!` in a constant) the place in the crate it was expanded from; the
/// file relative to the crate (`src/lib.rs`) and the line.
fn crate_location(diagnostic: &Value) -> Option<(String, usize)> {
    let spans = diagnostic["spans"].as_array()?;
    let mut candidates: Vec<&Value> = spans.iter().filter(|s| s["is_primary"] == true).collect();
    candidates.extend(spans.iter().filter(|s| s["is_primary"] != true));
    while let Some(span) = candidates.first().copied() {
        candidates.remove(0);
        let file = span["file_name"].as_str().unwrap_or_default();
        if let Some(index) = file.find("/src/").filter(|_| !file.starts_with('/')) {
            let line = span["line_start"].as_u64().unwrap_or_default() as usize;
            return Some((file[index + 1..].to_string(), line));
        }
        if span["expansion"]["span"].is_object() {
            candidates.push(&span["expansion"]["span"]);
        }
    }
    None
}

/// Totals of the rustc build over the specs.
#[derive(Default)]
struct Totals {
    specs: usize,
    annotated: usize,
    rejected: usize,
    not_annotated: usize,
    unchecked: usize,
    not_built: usize,
    drift: BTreeMap<String, (usize, usize)>,
}

/// The `--build` part of the report (markdown section, terminal summary); `None` when the run
/// did not build.
pub fn report(rows: &[Row]) -> Option<(String, String)> {
    let mut totals = Totals::default();
    let mut table = String::from(
        "\n## Built with rustc (`--build`)\n\n| spec | annotated | rejected | not annotated | fields `unchecked` | drifts caught |\n|---|---|---|---|---|---|\n",
    );
    let mut details = String::new();
    for row in rows.iter().filter(|r| r.duplicate_of.is_none()) {
        let Some(plan) = row.ours.schema.as_ref().and_then(|s| s.build.as_ref()) else {
            continue;
        };
        if let Some(failure) = &plan.failure {
            totals.not_built += 1;
            details.push_str(&format!("- `{}`: {failure}\n", row.file));
            continue;
        }
        spec_row(row, plan, &mut totals, &mut table, &mut details);
    }
    if totals.specs == 0 && totals.not_built == 0 {
        return None;
    }
    let summary = build_summary(&totals);
    let md = format!("{table}\n```text\n{summary}```\n\n### Details\n\n{details}");
    Some((md, summary))
}

fn spec_row(
    row: &Row,
    plan: &BuildPlan,
    totals: &mut Totals,
    table: &mut String,
    details: &mut String,
) {
    totals.specs += 1;
    totals.annotated += plan.annotated.len();
    totals.rejected += plan.rejected.len();
    totals.not_annotated += plan.not_annotated.len();
    totals.unchecked += plan.unchecked.len();
    let mut caught = 0;
    for (file, class, ty, what) in &plan.drifts {
        let tally = totals.drift.entry(class.clone()).or_default();
        tally.1 += 1;
        if plan.caught.contains(file) {
            tally.0 += 1;
            caught += 1;
        } else {
            details.push_str(&format!(
                "- missed drift {class} in `{ty}` (`{}`): {what}\n",
                row.file
            ));
        }
    }
    table.push_str(&format!(
        "| {} | {} | {} | {} | {} | {caught} / {} |\n",
        row.file,
        plan.annotated.len(),
        plan.rejected.len(),
        plan.not_annotated.len(),
        plan.unchecked.len(),
        plan.drifts.len()
    ));
    for (ty, error) in &plan.rejected {
        details.push_str(&format!(
            "- rejected by rustc `{ty}` in `{}`: {error}\n",
            row.file
        ));
    }
    for (ty, field, reason) in &plan.unchecked {
        details.push_str(&format!(
            "- `{ty}.{field}` marked `#[schema(unchecked)]` in `{}`: {reason}\n",
            row.file
        ));
    }
}

fn build_summary(totals: &Totals) -> String {
    let percent = |a: usize, b: usize| {
        if b == 0 {
            100.0
        } else {
            a as f64 * 100.0 / b as f64
        }
    };
    let accepted = totals.annotated - totals.rejected.min(totals.annotated);
    let mut out = format!(
        "built with rustc: {} specs, {accepted} of {} annotated types accepted ({:.2}%), {} rejected; {} types not annotated, {} fields `unchecked`; {} specs not built\n",
        totals.specs,
        totals.annotated,
        percent(accepted, totals.annotated),
        totals.rejected,
        totals.not_annotated,
        totals.unchecked,
        totals.not_built,
    );
    out.push_str("compile-time drift injection (caught / injected):\n");
    let (mut caught, mut injected) = (0, 0);
    for (class, (c, i)) in &totals.drift {
        caught += c;
        injected += i;
        out.push_str(&format!(
            "  {class:<28} {c:>6} / {i:<6} {:.1}%\n",
            percent(*c, *i)
        ));
    }
    out.push_str(&format!(
        "  {:<28} {caught:>6} / {injected:<6} {:.2}%\n",
        "total",
        percent(caught, injected)
    ));
    out
}
