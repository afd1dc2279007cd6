//! `suggest`: which operations of a contract's generated client the crate calls, as the
//! `operations = [...]` line that selects exactly them.
//!
//! The client's method names are derived from the spec as generation derives them (the
//! normalised `operationId`, snake_cased), then the crate's Rust sources (`src/`, `tests/`,
//! `examples/`, `benches/`; the generated file aside) are parsed with `syn`, and every method
//! call (`client.repos_get(…)`) or path call (`Client::repos_get(&client, …)`) whose name is
//! one of them counts. A method of another type with the same name counts too: a selection
//! that is too wide still compiles, one too narrow would not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use syn::visit::Visit;

use crate::project::selection::{OperationKey, operations};
use crate::spec::SpecVersion;
use crate::util::fsio;

/// Folders of a crate whose sources are read, relative to the crate.
pub const SOURCE_DIRS: [&str; 4] = ["src", "tests", "examples", "benches"];
/// At most this many `.rs` files are read (a bound on untrusted trees).
pub const MAX_FILES: usize = 20_000;
/// Folders deeper than this below a source folder are not read.
const MAX_DEPTH: usize = 32;
/// A source file larger than this is not read (generated clients are skipped anyway).
const MAX_SOURCE_BYTES: u64 = 16 * 1024 * 1024;

/// One operation of the client, and where the crate calls it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Called {
    /// The entry that selects it: its `operationId` as the spec writes it, else `METHOD /path`.
    pub entry: String,
    /// The client's method name.
    pub method: String,
    /// The first call, as `file:line` relative to the crate.
    pub first_call: String,
    /// How many calls.
    pub calls: usize,
}

/// What `suggest` found.
#[derive(Debug, Clone, Default)]
pub struct Suggestion {
    /// The operations called, sorted by entry.
    pub called: Vec<Called>,
    /// Operations in the client.
    pub operations: usize,
    /// Rust files read.
    pub files: usize,
    /// Files that are not valid Rust (skipped), relative to the crate.
    pub unparsed: Vec<String>,
}

impl Suggestion {
    /// The contract option that selects exactly the called operations.
    pub fn option_line(&self) -> String {
        let entries: Vec<String> = self
            .called
            .iter()
            .map(|c| serde_json::to_string(&c.entry).unwrap_or_default())
            .collect();
        format!("operations = [{}]", entries.join(", "))
    }
}

/// The client's method names of `document` (the spec as pinned), each with the entry that
/// selects its operation.
pub fn method_names(document: &Value, version: &SpecVersion) -> BTreeMap<String, String> {
    let prepared = crate::codegen::normalize::for_generator(document, version);
    let original: BTreeMap<OperationKey, Option<String>> = operations(document)
        .into_iter()
        .map(|o| (o.key, o.id))
        .collect();
    let mut names = BTreeMap::new();
    for operation in operations(&prepared.document) {
        let Some(id) = &operation.id else { continue };
        let entry = match original.get(&operation.key) {
            Some(Some(original_id)) => original_id.clone(),
            _ => operation.key.label(),
        };
        names.insert(crate::codegen::normalize::names::snake(id), entry);
    }
    names
}

/// Finds the calls, in the crate at `crate_dir`, of the methods `names` maps to entries.
/// `skip` is the generated file (not read).
pub fn find_calls(
    crate_dir: &Path,
    skip: &Path,
    names: &BTreeMap<String, String>,
) -> crate::Result<Suggestion> {
    let mut files = Vec::new();
    for dir in SOURCE_DIRS {
        rust_files(&crate_dir.join(dir), 0, &mut files);
    }
    files.retain(|f| f != skip);
    files.sort();
    files.truncate(MAX_FILES);
    let mut found: BTreeMap<&str, (String, usize)> = BTreeMap::new();
    let mut suggestion = Suggestion {
        operations: names.len(),
        files: files.len(),
        ..Suggestion::default()
    };
    for file in &files {
        let rel = crate::util::paths::relative_slash(crate_dir, file);
        let bytes = fsio::read_bounded(file, MAX_SOURCE_BYTES)?;
        let text = String::from_utf8_lossy(&bytes);
        let Ok(parsed) = syn::parse_file(&text) else {
            suggestion.unparsed.push(rel);
            continue;
        };
        let mut visitor = Calls {
            names,
            calls: Vec::new(),
        };
        visitor.visit_file(&parsed);
        for name in visitor.calls {
            let slot = found
                .entry(name)
                .or_insert_with(|| (format!("{rel}:{}", first_line(&text, name)), 0));
            slot.1 += 1;
        }
    }
    let mut called: Vec<Called> = found
        .into_iter()
        .map(|(method, (first_call, calls))| Called {
            entry: names[method].clone(),
            method: method.to_string(),
            first_call,
            calls,
        })
        .collect();
    called.sort_by(|a, b| a.entry.cmp(&b.entry));
    suggestion.called = called;
    Ok(suggestion)
}

/// The `.rs` files under `dir` (symbolic links are not followed), bounded in depth and count.
fn rust_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > MAX_DEPTH || out.len() >= MAX_FILES {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() {
            rust_files(&path, depth + 1, out);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The 1-based line where `name` first appears as a whole word (spans carry no lines here).
fn first_line(text: &str, name: &str) -> usize {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.lines()
        .position(|line| {
            line.match_indices(name).any(|(at, _)| {
                !line[..at].ends_with(word) && !line[at + name.len()..].starts_with(word)
            })
        })
        .map_or(0, |i| i + 1)
}

/// Collects the calls of known method names, with their lines.
struct Calls<'n> {
    names: &'n BTreeMap<String, String>,
    calls: Vec<&'n str>,
}

impl Calls<'_> {
    fn record(&mut self, ident: &syn::Ident) {
        let name = ident.to_string();
        if let Some((known, _)) = self.names.get_key_value(&name) {
            self.calls.push(known.as_str());
        }
    }
}

impl<'ast> Visit<'ast> for Calls<'_> {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.record(&call.method);
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let syn::Expr::Path(path) = &*call.func
            && let Some(last) = path.path.segments.last()
            && path.path.segments.len() > 1
        {
            self.record(&last.ident);
        }
        syn::visit::visit_expr_call(self, call);
    }
}

/// The names of the operations in `names` that `called` does not use, for a count.
pub fn unused(names: &BTreeMap<String, String>, called: &[Called]) -> BTreeSet<String> {
    let used: BTreeSet<&str> = called.iter().map(|c| c.method.as_str()).collect();
    names
        .keys()
        .filter(|n| !used.contains(n.as_str()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names() -> BTreeMap<String, String> {
        let document = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/repos/{owner}": {"get": {"operationId": "repos/get", "parameters": [
                    {"name": "owner", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": ""}}}},
                "/issues": {
                    "get": {"responses": {"200": {"description": ""}}},
                    "post": {"operationId": "issues/create", "responses": {"200": {"description": ""}}}
                }
            }
        });
        method_names(&document, &SpecVersion::OpenApi30("3.0.3".into()))
    }

    #[test]
    fn method_names_map_to_the_entries_that_select_them() {
        let names = names();
        assert_eq!(names["repos_get"], "repos/get");
        assert_eq!(names["issues_create"], "issues/create");
        assert_eq!(names["get_issues"], "GET /issues");
    }

    #[test]
    fn finds_method_and_path_calls_but_not_the_generated_file() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir_all(src.join("api")).unwrap();
        std::fs::write(
            src.join("lib.rs"),
            "mod api;\nasync fn f(c: &Client) {\n    c.repos_get(\"o\").await;\n    let _ = Client::get_issues(c);\n    c.repos_get(\"p\");\n    c.not_an_operation();\n}\n",
        )
        .unwrap();
        std::fs::write(
            src.join("api/generated.rs"),
            "fn g(c: C) { c.issues_create(); }",
        )
        .unwrap();
        std::fs::write(src.join("broken.rs"), "fn (").unwrap();
        let found = find_calls(dir.path(), &src.join("api/generated.rs"), &names()).unwrap();
        let entries: Vec<(&str, &str, usize)> = found
            .called
            .iter()
            .map(|c| (c.entry.as_str(), c.first_call.as_str(), c.calls))
            .collect();
        assert_eq!(
            entries,
            [
                ("GET /issues", "src/lib.rs:4", 1),
                ("repos/get", "src/lib.rs:3", 2)
            ]
        );
        assert_eq!(found.unparsed, ["src/broken.rs"]);
        assert_eq!(
            found.option_line(),
            "operations = [\"GET /issues\", \"repos/get\"]"
        );
        assert_eq!(unused(&names(), &found.called).len(), 1);
    }
}
