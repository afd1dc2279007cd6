//! One spec through one pipeline, in a child process: prints an [`Outcome`] as JSON and writes
//! the generated code.
//!
//! - `ours`: [`contract_core::codegen::generate`] (lowering, normalisation, progenitor, the
//!   formatted file), minus the compile-time guard, which needs the spec beside the crate;
//! - `plain`: progenitor on the document as written — deserialise into `openapiv3::OpenAPI`,
//!   `Generator::generate_tokens`, format with prettyplease — as its own README shows.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use contract_core::codegen::fidelity::{self, Effect};
use contract_core::error::with_causes;
use contract_core::project::contract::{Contract, Output};
use contract_core::project::settings::GeneratorSettings;
use contract_core::spec::METHODS;

use super::{Outcome, Pipeline};

/// Stack for the generator thread: deeply nested specs recurse deeply.
const STACK: usize = 512 << 20;

/// What the run the worker serves does with the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// `cargo check`: warnings are turned off in the written code.
    Check,
    /// `--schema`: the generated component types are also checked with `#[schema]`'s code.
    Schema,
    /// `--schema --build`: as `Schema`, and the types are written annotated with
    /// `#[contract_macros::schema]` (with compile-time drifts beside them) for rustc.
    SchemaBuild,
    /// `--warnings`: the code is written as generated, with rustc's warnings on.
    Warnings,
}

impl Mode {
    /// The name on the worker's command line.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Check => "check",
            Mode::Schema => "schema",
            Mode::SchemaBuild => "schema-build",
            Mode::Warnings => "warnings",
        }
    }
}

/// Runs the worker and prints its outcome.
pub fn run(pipeline: Pipeline, spec: &Path, out: &Path, mode: Mode) -> Result<ExitCode, String> {
    let (spec, out) = (spec.to_path_buf(), out.to_path_buf());
    let outcome = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || one(pipeline, &spec, &out, mode))
        .map_err(|e| e.to_string())?
        .join()
        .map_err(|_| "the worker thread panicked".to_string())?;
    println!(
        "{}",
        serde_json::to_string(&outcome).map_err(|e| e.to_string())?
    );
    Ok(ExitCode::SUCCESS)
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

fn one(pipeline: Pipeline, path: &Path, out: &Path, mode: Mode) -> Outcome {
    let mut outcome = Outcome::default();
    let started = Instant::now();
    let spec = match contract_core::spec::load(path) {
        Ok(spec) => spec,
        Err(e) => {
            outcome.stage = "load".into();
            outcome.error = Some(one_line(&with_causes(&e)));
            return outcome;
        }
    };
    outcome.load_ms = ms(started);
    let code = match pipeline {
        Pipeline::Ours => ours(&spec, &mut outcome),
        Pipeline::Plain => plain(&spec, &mut outcome),
    };
    if matches!(mode, Mode::Schema | Mode::SchemaBuild)
        && let Ok(code) = &code
    {
        let label = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let dropped = &outcome.enums_dropped;
        match super::schema::self_check(&spec.document, &label, code, dropped) {
            Ok(found) => outcome.schema = Some(found),
            Err(e) => {
                outcome.stage = "schema".into();
                outcome.error = Some(one_line(&e));
                return outcome;
            }
        }
    }
    let mut drifts = Vec::new();
    let code = match code {
        Ok(code) if mode == Mode::SchemaBuild => {
            match super::schema_build::plan(&spec.document, &code, &outcome.enums_dropped) {
                Ok((annotated, files, plan)) => {
                    if let Some(found) = outcome.schema.as_mut() {
                        found.build = Some(plan);
                    }
                    drifts = files;
                    Ok(annotated)
                }
                Err(e) => Err(format!("annotating the types: {e}")),
            }
        }
        Ok(code) if mode == Mode::Warnings => Ok(code),
        Ok(code) => Ok(format!("#![allow(warnings, clippy::all)]\n{code}")),
        Err(e) => Err(e),
    };
    if let Err(e) = write_drifts(out, &drifts) {
        outcome.stage = "generate".into();
        outcome.error = Some(e);
        return outcome;
    }
    match code {
        Ok(text) => {
            outcome.code_bytes = text.len();
            let written = out
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(out, text));
            match written {
                Ok(()) => outcome.stage = "ok".into(),
                Err(e) => {
                    outcome.stage = "generate".into();
                    outcome.error = Some(format!("writing `{}`: {e}", out.display()));
                }
            }
        }
        Err(e) => {
            outcome.stage = "generate".into();
            outcome.error = Some(one_line(&e));
        }
    }
    outcome
}

/// Writes the drift files into the `src/` of the drift crate beside `out`'s crate
/// (`<crate>/src/lib.rs`).
fn write_drifts(out: &Path, drifts: &[(String, String)]) -> Result<(), String> {
    let Some(annotated) = out.parent().and_then(Path::parent) else {
        return Ok(());
    };
    let dir = super::schema_build::drifts_dir(annotated).join("src");
    let dir = dir.as_path();
    for (name, text) in drifts {
        std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(dir.join(name), text))
            .map_err(|e| format!("writing `{}`: {e}", dir.join(name).display()))?;
    }
    Ok(())
}

/// A contract named `name` with default options for the spec at `spec_path`, generating to
/// `output` (relative): enough to call the generator outside a workspace.
pub(crate) fn scratch_contract(name: &str, spec_path: &Path, output: &str) -> (Contract, Output) {
    let contract = Contract {
        name: name.into(),
        package: None,
        manifest_path: PathBuf::from("Cargo.toml"),
        spec_path: spec_path.to_path_buf(),
        spec_rel: "spec".into(),
        output: None,
        // Every rule that stops generation by default is accepted: the corpus measures what
        // the client loses rather than refusing (`Outcome::refused_by_default` says which).
        settings: GeneratorSettings {
            accept: fidelity::acceptable().map(|r| r.id.to_string()).collect(),
            ..GeneratorSettings::default()
        },
        root: spec_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default(),
        id: None,
        diff: Default::default(),
        artifacts: Vec::new(),
    };
    let output = Output {
        path: PathBuf::from(output),
        rel: output.into(),
        owner_dir: PathBuf::from("."),
        file_in_owner: output.into(),
        spec_in_owner: "spec".into(),
    };
    (contract, output)
}

fn ours(spec: &contract_core::spec::LoadedSpec, outcome: &mut Outcome) -> Result<String, String> {
    let started = Instant::now();
    let prepared = contract_core::codegen::normalize::for_generator(&spec.document, &spec.version);
    outcome.prepare_ms = ms(started);
    record_fidelity(&spec.document, &prepared.notes, outcome);
    outcome.enums_dropped = (prepared.notes.iter())
        .filter(|n| super::schema::ENUM_DROPPING.contains(&n.rule))
        .map(|n| (n.rule.to_string(), n.pointer.clone()))
        .collect();
    drop(prepared);
    let (contract, output) = scratch_contract("corpus", &spec.path, "src/lib.rs");
    let started = Instant::now();
    let file =
        contract_core::codegen::generate(&contract, &output, spec).map_err(|e| with_causes(&e))?;
    outcome.generate_ms = ms(started);
    outcome.operations = file.operations;
    outcome.types = file.types;
    Ok(strip_guard(file.body()))
}

/// The notes by rule, what they lose, and the operations the spec defines.
fn record_fidelity(
    document: &serde_json::Value,
    notes: &[contract_core::codegen::note::Note],
    outcome: &mut Outcome,
) {
    for note in notes {
        *outcome.notes.entry(note.rule.to_string()).or_default() += 1;
        let class = fidelity::class(note.rule);
        if class.is_some_and(|c| c.effect == Effect::AnyValue) {
            outcome.any_value += 1;
        }
    }
    for (rule, n) in fidelity::losses(notes) {
        outcome.losses.insert(rule, n as usize);
    }
    let mut refused: Vec<String> = fidelity::refused(notes, &[])
        .iter()
        .map(|n| n.rule.to_string())
        .collect();
    refused.sort();
    refused.dedup();
    outcome.refused_by_default = refused;
    outcome.spec_operations = spec_operations(document);
}

/// Operations under `paths` (a path item given as a local `$ref` is followed once).
pub fn spec_operations(document: &serde_json::Value) -> usize {
    let Some(paths) = document.get("paths").and_then(serde_json::Value::as_object) else {
        return 0;
    };
    paths
        .values()
        .map(|item| {
            let item = match item.get("$ref").and_then(serde_json::Value::as_str) {
                Some(r) => r
                    .strip_prefix('#')
                    .and_then(|p| document.pointer(p))
                    .unwrap_or(item),
                None => item,
            };
            METHODS.iter().filter(|m| item.get(**m).is_some()).count()
        })
        .sum()
}

/// The body without the `verify_generated!` invocation.
pub fn strip_guard(body: &str) -> String {
    let Some(start) = body.find("::contract_macros::verify_generated!") else {
        return body.to_string();
    };
    let mut depth = 0usize;
    let mut end = body.len();
    for (i, c) in body[start..].char_indices() {
        match c {
            '{' | '(' | '[' => depth += 1,
            '}' | ')' | ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    end = start + i + 1;
                    break;
                }
            }
            _ => {}
        }
    }
    let end = if body[end..].starts_with(';') {
        end + 1
    } else {
        end
    };
    format!("{}{}", &body[..start], &body[end..])
}

fn plain(spec: &contract_core::spec::LoadedSpec, outcome: &mut Outcome) -> Result<String, String> {
    let started = Instant::now();
    let code = plain_progenitor(&spec.document)?;
    outcome.generate_ms = ms(started);
    Ok(code)
}

/// progenitor as its README shows it, on a JSON document; panics become errors.
pub fn plain_progenitor(document: &serde_json::Value) -> Result<String, String> {
    let openapi: openapiv3::OpenAPI = serde_json::from_value(document.clone())
        .map_err(|e| format!("not an OpenAPI 3.0 document: {e}"))?;
    let mut generator = progenitor::Generator::default();
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let tokens = panic::catch_unwind(AssertUnwindSafe(|| generator.generate_tokens(&openapi)));
    panic::set_hook(previous);
    let tokens = tokens
        .map_err(|p| {
            let message = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            format!("the generator crashed: {message}")
        })?
        .map_err(|e| e.to_string())?;
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("invalid Rust: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

/// The first line of an error, at most 300 characters.
pub fn one_line(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    if line.chars().count() > 300 {
        format!("{}…", line.chars().take(299).collect::<String>())
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn strips_the_guard() {
        let body = "\n::contract_macros::verify_generated! {\n    contract = \"a\",\n}\n\npub struct A {}\n";
        assert_eq!(super::strip_guard(body), "\n\n\npub struct A {}\n");
    }
}
