//! Turning a loaded spec into the text of a generated client with progenitor: the provenance
//! header, the compile-time guard, and the formatted client code.

use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

use progenitor::{GenerationSettings, Generator};

use super::header::{self, Header};
use crate::codegen::note::Note;
use crate::error::{Error, Result};
use crate::project::contract::{Contract, Output};
use crate::project::settings::{GeneratorSettings, Interface, TagStyle};
use crate::spec::LoadedSpec;

/// Version of the progenitor library this build generates with (checked against Cargo.lock by
/// a test).
pub const PROGENITOR_VERSION: &str = "0.15.1";

/// Revision of what this tool does around progenitor: the 3.1 lowering and the normalisation
/// of the spec before generation, the settings it passes and the processing of the code after.
/// Bumped whenever those change what is generated (the golden test in
/// `tests/integration/golden.rs` fails until it is), so that `check` reports clients generated
/// by an older pipeline as stale instead of letting the next `generate` change them unreviewed.
/// Revision 3 added the header's `lossy` line and refuses unaccepted request-changing rewrites.
pub const PIPELINE_REVISION: u32 = 3;

/// The generator as headers and the lock record it: `progenitor 0.15.1 (pipeline 2)`.
pub fn generator_id() -> String {
    format!("progenitor {PROGENITOR_VERSION} (pipeline {PIPELINE_REVISION})")
}

/// Which optional crates the generated code refers to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    /// `chrono` (date and date-time formats).
    pub chrono: bool,
    /// `uuid`.
    pub uuid: bool,
    /// `regress` (patterns).
    pub regress: bool,
    /// `serde_json` (free-form values).
    pub serde_json: bool,
    /// `futures` (streaming responses).
    pub futures: bool,
    /// `base64` and `rand` (websocket upgrades).
    pub websockets: bool,
}

/// A generated file, ready to write.
#[derive(Debug, Clone)]
pub struct GeneratedFile {
    /// The whole file: header then body.
    pub text: String,
    /// Its header.
    pub header: Header,
    /// Operations in the client.
    pub operations: usize,
    /// Types generated.
    pub types: usize,
    /// Optional crates the code uses.
    pub needs: Needs,
    /// Time spent generating.
    pub elapsed: Duration,
    /// What lowering and normalisation changed in (a copy of) the spec first.
    pub notes: Vec<Note>,
    body_start: usize,
}

impl GeneratedFile {
    /// The body (everything after the header).
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

pub(super) fn progenitor_settings(settings: &GeneratorSettings) -> GenerationSettings {
    let mut out = GenerationSettings::new();
    out.with_interface(match settings.interface {
        Interface::Positional => progenitor::InterfaceStyle::Positional,
        Interface::Builder => progenitor::InterfaceStyle::Builder,
    });
    out.with_tag(match settings.tags {
        TagStyle::Merged => progenitor::TagStyle::Merged,
        TagStyle::Separate => progenitor::TagStyle::Separate,
    });
    for derive in &settings.derives {
        out.with_derive(derive);
    }
    out
}

/// A client as progenitor generated it, before it is written anywhere.
#[derive(Debug, Clone)]
pub struct ClientCode {
    /// The items of the client.
    pub file: syn::File,
    /// Operations in the client.
    pub operations: usize,
    /// Types generated.
    pub types: usize,
    /// Optional crates the code uses.
    pub needs: Needs,
    /// Time spent generating.
    pub elapsed: Duration,
    /// What lowering and normalisation changed in (a copy of) the spec first.
    pub notes: Vec<Note>,
}

/// Generates the client of `contract` from `spec`: the one pipeline behind `generate` and the
/// `client!` macro.
pub fn generate_client(contract: &Contract, spec: &LoadedSpec) -> Result<ClientCode> {
    let fail = |message: String| Error::Generation {
        contract: contract.display_name(),
        path: spec.path.clone(),
        message,
    };
    if !spec.version.generates() {
        return Err(Error::Swagger2 {
            spec: contract.spec_rel.clone(),
            action: "generate a client from",
        });
    }
    contract.settings.validate().map_err(fail)?;
    let started = Instant::now();
    // References into other files are inlined, then lowering (3.1) and normalisation work on a
    // copy: the fingerprint stays the original's.
    let document = spec.single_document().map_err(|e| fail(e.to_string()))?;
    // Preparing never panics on any input that parses (fuzzed); should it, that is an error
    // naming the contract, not a crash.
    let prepared =
        catch_panic(|| crate::codegen::normalize::for_generator(&document, &spec.version))
            .map_err(|panic| {
                fail(format!(
                    "preparing the spec for the generator failed: {panic}"
                ))
            })?;
    // Rewrites that change what a request sends, or stand in for a broken spec, are refused
    // unless the contract accepts them by name.
    let refused = super::fidelity::refused(&prepared.notes, &contract.settings.accept);
    if !refused.is_empty() {
        return Err(unfaithful(contract, spec, &refused));
    }
    // The generator recurses without end on schemas merged into themselves: refused first.
    super::merges::check(&prepared.document).map_err(fail)?;
    let openapi: openapiv3::OpenAPI = serde_json::from_value(prepared.document).map_err(|e| {
        fail(format!(
            "the document does not follow the OpenAPI 3.0 schema: {e}"
        ))
    })?;
    let operations = openapi.operations().count();
    let mut generator = Generator::new(&progenitor_settings(&contract.settings));
    let tokens = catch_panic(|| generator.generate_tokens(&openapi))
        .map_err(|panic| {
            fail(super::panics::describe(
                &openapi,
                &panic,
                &contract.settings,
            ))
        })?
        .map_err(|e| fail(e.to_string()))?;
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| fail(format!("the generator produced invalid Rust: {e}")))?;
    if let Some(line) = super::doc_check::runnable_code_block(&file) {
        return Err(fail(format!(
            "the generated documentation would hold a code block that `cargo test` runs as a doctest: {line:?}"
        )));
    }
    let type_space = generator.get_type_space();
    let needs = Needs {
        chrono: type_space.uses_chrono(),
        uuid: type_space.uses_uuid(),
        regress: type_space.uses_regress(),
        serde_json: type_space.uses_serde_json(),
        futures: generator.uses_futures(),
        websockets: generator.uses_websockets(),
    };
    let types = type_space.iter_types().count();
    Ok(ClientCode {
        file,
        operations,
        types,
        needs,
        elapsed: started.elapsed(),
        notes: prepared.notes,
    })
}

fn unfaithful(contract: &Contract, spec: &LoadedSpec, refused: &[&Note]) -> Error {
    let mut rules: Vec<&'static str> = refused.iter().map(|n| n.rule).collect();
    rules.sort_unstable();
    rules.dedup();
    Error::Unfaithful {
        contract: contract.display_name(),
        path: spec.path.clone(),
        rewrites: refused.iter().map(|n| n.to_string()).collect(),
        rules,
    }
}

/// Generates the client of `contract` from `spec` as the text of its output file: provenance
/// header, compile-time guard, formatted code.
pub fn generate(contract: &Contract, output: &Output, spec: &LoadedSpec) -> Result<GeneratedFile> {
    let started = Instant::now();
    let ClientCode {
        mut file,
        operations,
        types,
        needs,
        notes,
        ..
    } = generate_client(contract, spec)?;
    skip_rustfmt(&mut file);
    let code = prettyplease::unparse(&file);
    let guard = format!(
        "\n::contract_macros::verify_generated! {{\n    contract = {:?},\n    spec = {:?},\n    file = {:?},\n}}\n\n",
        contract.name, output.spec_in_owner, output.file_in_owner,
    );
    let body = format!("{guard}{code}");
    let header = Header {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        generator: generator_id(),
        contract: contract.name.clone(),
        spec: output.spec_in_owner.clone(),
        spec_fingerprint: spec.fingerprint,
        settings_fingerprint: contract.settings.fingerprint(),
        body_sha256: header::body_hash(&body),
        lossy: Some(super::fidelity::losses(&notes)),
    };
    let header_text = header.render();
    Ok(GeneratedFile {
        body_start: header_text.len(),
        text: format!("{header_text}{body}"),
        header,
        operations,
        types,
        needs,
        elapsed: started.elapsed(),
        notes,
    })
}

/// Marks every top-level item `#[rustfmt::skip]`. rustfmt formats `@generated` files by default
/// (`format_generated_files = true`), which would rewrite the body and break its hash; inner
/// tool attributes (`#![rustfmt::skip]`) are not stable in module files.
fn skip_rustfmt(file: &mut syn::File) {
    use syn::Item;
    let skip: syn::Attribute = syn::parse_quote!(#[rustfmt::skip]);
    // Progenitor's response matches can overlap after normalisation merges ranges (`5XX`
    // beside `503`); generated code must not fail crates built with `-Dwarnings`.
    let allow: syn::Attribute = syn::parse_quote!(#[allow(unreachable_patterns)]);
    for item in &mut file.items {
        let overlapping_matches = matches!(item, Item::Impl(_) | Item::Mod(_));
        let attrs = match item {
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
            _ => continue,
        };
        attrs.push(skip.clone());
        if overlapping_matches {
            attrs.push(allow.clone());
        }
    }
}

/// Runs `f`, turning a panic into its message instead of unwinding into the caller and without
/// printing the default panic report.
pub(super) fn catch_panic<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(previous);
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn progenitor_version_matches_cargo_lock() {
        let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock"))
            .expect("the workspace Cargo.lock");
        let needle = "name = \"progenitor\"\nversion = \"";
        let start = lock.find(needle).expect("progenitor in Cargo.lock") + needle.len();
        let version = &lock[start..start + lock[start..].find('"').unwrap()];
        assert_eq!(version, super::PROGENITOR_VERSION);
    }
}
