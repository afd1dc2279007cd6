//! One spec's test program, in a child process (a crash in the generator is one failed spec):
//! generates the client into `<dir>/src/client.rs`, writes `<dir>/src/main.rs` and prints a
//! [`Prepared`] as JSON.

use std::path::Path;
use std::process::ExitCode;

use contract_core::codegen::accept::path_shape;
use contract_core::error::with_causes;
use contract_core::spec::METHODS;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::program::{self, Method, Planned};
use crate::corpus::worker::{one_line, scratch_contract, strip_guard};

/// Stack for the generator thread: deeply nested specs recurse deeply.
const STACK: usize = 512 << 20;

/// What the worker made of one spec.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Prepared {
    /// `ok`, `load` or `generate`.
    pub stage: String,
    pub error: Option<String>,
    /// Every operation of the spec, in document order (the program's indexes).
    pub operations: Vec<Planned>,
}

/// Runs the worker and prints its outcome.
pub fn run(spec: &Path, dir: &Path) -> Result<ExitCode, String> {
    let (spec, dir) = (spec.to_path_buf(), dir.to_path_buf());
    let prepared = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            prepare(&spec, &dir).unwrap_or_else(|(stage, error)| Prepared {
                stage: stage.into(),
                error: Some(one_line(&error)),
                operations: Vec::new(),
            })
        })
        .map_err(|e| e.to_string())?
        .join()
        .map_err(|_| "the worker thread panicked".to_string())?;
    println!(
        "{}",
        serde_json::to_string(&prepared).map_err(|e| e.to_string())?
    );
    Ok(ExitCode::SUCCESS)
}

fn prepare(path: &Path, dir: &Path) -> Result<Prepared, (&'static str, String)> {
    let spec = contract_core::spec::load(path).map_err(|e| ("load", with_causes(&e)))?;
    let (contract, output) = scratch_contract("conformance", &spec.path, "src/client.rs");
    let file = contract_core::codegen::generate(&contract, &output, &spec)
        .map_err(|e| ("generate", with_causes(&e)))?;
    let code = strip_guard(file.body());
    let methods = program::client_methods(&code).map_err(|e| ("generate", e))?;
    let normalized =
        contract_core::codegen::normalize::for_generator(&spec.document, &spec.version).document;
    let mut calls = Vec::new();
    let mut operations = Vec::new();
    for (index, (http_method, path)) in spec_operations(&spec.document).into_iter().enumerate() {
        let label = format!("{} {path}", http_method.to_ascii_uppercase());
        let found = methods
            .iter()
            .find(|m| same_operation(m, &http_method, &path));
        let Some(method) = found else {
            operations.push(Planned {
                label,
                method: None,
                not_called: Some("not in the client (the generator left it out)".into()),
            });
            continue;
        };
        let not_called = match program::call(&normalized, method) {
            Ok(body) => {
                calls.push((index, body));
                None
            }
            Err(e) => Some(format!("no value could be built: {e}")),
        };
        operations.push(Planned {
            label,
            method: Some(method.name.clone()),
            not_called,
        });
    }
    let main = program::main_rs(&calls, &program::security_headers(&spec.document));
    let write = |name: &str, text: &str| {
        let file = dir.join("src").join(name);
        std::fs::create_dir_all(dir.join("src"))
            .and_then(|()| std::fs::write(&file, text))
            .map_err(|e| ("generate", format!("writing `{}`: {e}", file.display())))
    };
    write("client.rs", &code)?;
    write("main.rs", &main)?;
    Ok(Prepared {
        stage: "ok".into(),
        error: None,
        operations,
    })
}

/// The method sends `http_method` (lowercase) to `path`; path parameters may be renamed.
fn same_operation(method: &Method, http_method: &str, path: &str) -> bool {
    method.http_method.eq_ignore_ascii_case(http_method)
        && path_shape(&method.path) == path_shape(path)
}

/// `(method, path)` of every operation under `paths`, in document order (a path item given
/// as a local `$ref` is followed once).
pub fn spec_operations(document: &Value) -> Vec<(String, String)> {
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut operations = Vec::new();
    for (path, item) in paths {
        let item = match item.get("$ref").and_then(Value::as_str) {
            Some(r) => r
                .strip_prefix('#')
                .and_then(|p| document.pointer(p))
                .unwrap_or(item),
            None => item,
        };
        for method in METHODS.iter() {
            if item.get(*method).is_some() {
                operations.push((method.to_string(), path.clone()));
            }
        }
    }
    operations
}
