//! `$ref`s that point into other files. They are resolved relative to the file that holds
//! them and must stay inside a sandbox directory (the workspace): `..` escapes, absolute paths,
//! symlinks leading out, and remote (`http(s)://`, `file:`) references are refused, so loading a
//! spec never reads outside the workspace nor reaches the network. Cycles terminate: each file
//! is read once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{ExternalFile, SpecFormat, parse};
use crate::error::{Error, Result};
use crate::util::paths;

/// The most files one spec may pull in.
pub const MAX_EXTERNAL_FILES: usize = 256;

/// Whether the text of a document may hold a `$ref` to another file, decided without parsing
/// it. `false` only when the bytes are UTF-8, have no escape sequence that could spell
/// `$ref` (`\u`, `\U`, `\x`, or a YAML escaped line break), and every `$ref` in them is a key
/// whose value is a quoted string starting with `#`. Hash-only fast paths skip parsing only
/// then: whether a spec reaches other files is read from the spec, never from the lock.
pub fn may_reference_files(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return true;
    };
    let escapes = text.match_indices('\\').any(|(at, _)| {
        matches!(
            text.as_bytes().get(at + 1),
            None | Some(b'u' | b'U' | b'x' | b'\n' | b'\r')
        )
    });
    escapes
        || text
            .match_indices("$ref")
            .any(|(at, _)| !quoted_local_value_follows(&text[at + "$ref".len()..]))
}

/// Whether `rest`, the text after a `$ref`, is `": "#…` (any quotes, spaces or tabs).
fn quoted_local_value_follows(rest: &str) -> bool {
    let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
    let Some(value) = rest.trim_start_matches([' ', '\t']).strip_prefix(':') else {
        return false;
    };
    value
        .trim_start_matches([' ', '\t'])
        .strip_prefix(['"', '\''])
        .is_some_and(|v| v.starts_with('#'))
}

/// How many JSON values (objects, arrays, scalars) copies of other files' content may add to
/// the inlined document in all, at least. References inside referenced files are inlined too,
/// so ten references to a schema that holds ten references, six levels deep, would copy a
/// million schemas: beyond the budget the spec is refused, naming the reference.
pub const MAX_INLINED_VALUES: usize = 1_000_000;

/// The budget grows with the input: copies may hold this many times the values of all the
/// referenced files, when that is more than [`MAX_INLINED_VALUES`].
pub const INLINED_VALUES_PER_FILE_VALUE: usize = 4;

/// How deeply nested the inlined document may get. A chain of references, each into a schema
/// nested deeply in its own file, nests deeper than any one file may; every later stage walks
/// the document recursively.
pub const MAX_INLINED_DEPTH: usize = 256;

/// How many references to other files may be open at once (a chain of references).
const MAX_REFERENCE_CHAIN: usize = 64;

/// What a `$ref` points at.
#[derive(Debug, PartialEq, Eq)]
enum Target<'r> {
    /// `#/…` in the same file.
    Local,
    /// `other.yaml#/…` (the fragment may be empty: the whole file).
    File { file: &'r str, fragment: &'r str },
}

fn classify(reference: &str) -> std::result::Result<Target<'_>, &'static str> {
    if reference.starts_with('#') {
        return Ok(Target::Local);
    }
    let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let lower = file.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("file:") || lower.starts_with("//") {
        return Err(
            "is a remote reference; builds must not reach the network, so only files inside the workspace can be referenced",
        );
    }
    let bytes = file.as_bytes();
    let windows_drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if file.starts_with('/') || file.starts_with('\\') || windows_drive {
        return Err("is an absolute path; reference files relative to the spec");
    }
    if file.is_empty() {
        return Ok(Target::Local);
    }
    Ok(Target::File { file, fragment })
}

/// Every `$ref` string in a document, with the JSON pointer of the object holding it.
fn refs(value: &Value) -> Vec<(String, &str)> {
    fn walk<'v>(value: &'v Value, pointer: &mut String, out: &mut Vec<(String, &'v str)>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push((format!("#{pointer}"), r.as_str()));
                }
                for (key, child) in map {
                    let len = pointer.len();
                    crate::util::json_pointer::push_token(pointer, key);
                    walk(child, pointer, out);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{i}"));
                    walk(child, pointer, out);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut String::new(), &mut out);
    out
}

/// Reads every file the document references, transitively. `root_path` must be absolute.
pub fn collect(root_path: &Path, root: &Value, sandbox: &Path) -> Result<Vec<ExternalFile>> {
    let sandbox_lexical = paths::normalize(sandbox);
    let sandbox_real = std::fs::canonicalize(sandbox).unwrap_or_else(|_| sandbox_lexical.clone());
    let root_dir = root_path.parent().unwrap_or(Path::new("/")).to_path_buf();
    let mut files: BTreeMap<PathBuf, ExternalFile> = BTreeMap::new();
    let mut queue: Vec<(PathBuf, Value)> = Vec::new();
    let mut pending: Vec<(PathBuf, String, String)> = Vec::new();
    for (pointer, reference) in refs(root) {
        pending.push((root_path.to_path_buf(), pointer, reference.to_string()));
    }
    loop {
        for (holder, pointer, reference) in pending.drain(..) {
            let bad = |reason: String| Error::Reference {
                path: holder.clone(),
                pointer: pointer.clone(),
                reference: reference.clone(),
                reason,
            };
            let (file, fragment) = match classify(&reference).map_err(|r| bad(r.into()))? {
                Target::Local => continue,
                Target::File { file, fragment } => (file, fragment),
            };
            let holder_dir = holder.parent().unwrap_or(Path::new("/"));
            let target = paths::normalize(&holder_dir.join(file));
            if !target.starts_with(&sandbox_lexical) {
                return Err(bad(format!(
                    "points outside `{}`",
                    sandbox_lexical.display()
                )));
            }
            let real =
                std::fs::canonicalize(&target).map_err(|e| bad(format!("cannot be read: {e}")))?;
            if !real.starts_with(&sandbox_real) {
                return Err(bad(format!(
                    "leads outside `{}` through a symbolic link",
                    sandbox_lexical.display()
                )));
            }
            if real == std::fs::canonicalize(root_path).unwrap_or_default()
                || files.contains_key(&real)
            {
                check_fragment(&real, fragment, &files, root).map_err(&bad)?;
                continue;
            }
            if files.len() >= MAX_EXTERNAL_FILES {
                return Err(bad(format!(
                    "makes the spec span more than {MAX_EXTERNAL_FILES} files"
                )));
            }
            let bytes = super::read_capped(&target)?;
            let text = parse::decode_utf8(&target, &bytes)?;
            let document = parse::parse(&target, text, SpecFormat::sniff(text))?;
            let key = paths::relative_slash(&root_dir, &target);
            queue.push((target.clone(), document.clone()));
            files.insert(
                real.clone(),
                ExternalFile {
                    key,
                    path: target,
                    raw_sha256: crate::util::hash::Sha256Digest::of(&bytes),
                    document,
                },
            );
            check_fragment(&real, fragment, &files, root).map_err(&bad)?;
        }
        let Some((path, document)) = queue.pop() else {
            break;
        };
        for (pointer, reference) in refs(&document) {
            pending.push((path.clone(), pointer, reference.to_string()));
        }
    }
    let mut out: Vec<ExternalFile> = files.into_values().collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(out)
}

fn check_fragment(
    real: &Path,
    fragment: &str,
    files: &BTreeMap<PathBuf, ExternalFile>,
    root: &Value,
) -> std::result::Result<(), String> {
    let document = files.get(real).map_or(root, |f| &f.document);
    if fragment.is_empty() || document.pointer(fragment).is_some() {
        Ok(())
    } else {
        Err(format!(
            "points to `#{fragment}`, which does not exist in that file"
        ))
    }
}

/// Where an inlined part of a document came from: the value at `at` in the inlined document is
/// the value at `pointer` in `file` (both RFC 6901 pointers, escaped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Pointer in the inlined document.
    pub at: String,
    /// The file the value was read from (absolute, normalised).
    pub file: PathBuf,
    /// Pointer in that file.
    pub pointer: String,
}

/// The document with every reference into another file replaced by the schema it points at,
/// for tools that read a single document (the generator, the diff), and where each inlined part
/// came from. Local references of the root stay.
pub fn inline_externals(
    root_path: &Path,
    root: &Value,
    files: &[ExternalFile],
) -> Result<(Value, Vec<Origin>)> {
    let by_path: BTreeMap<PathBuf, &ExternalFile> = files
        .iter()
        .map(|f| (paths::normalize(&f.path), f))
        .collect();
    let mut inliner = Inliner {
        root_path,
        files: &by_path,
        stack: Vec::new(),
        at: String::new(),
        depth: 0,
        here: String::new(),
        copied: 0,
        budget: inline_budget(files),
        outermost: None,
        origins: Vec::new(),
    };
    let document = inliner.inline(root_path, root)?;
    Ok((document, inliner.origins))
}

/// How many values copies of `files` may hold: [`MAX_INLINED_VALUES`], or
/// [`INLINED_VALUES_PER_FILE_VALUE`] times their values when that is more.
fn inline_budget(files: &[ExternalFile]) -> usize {
    let mut values = 0usize;
    let mut stack: Vec<&Value> = files.iter().map(|f| &f.document).collect();
    while let Some(value) = stack.pop() {
        values += 1;
        match value {
            Value::Object(map) => stack.extend(map.values()),
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    MAX_INLINED_VALUES.max(values.saturating_mul(INLINED_VALUES_PER_FILE_VALUE))
}

struct Inliner<'a> {
    root_path: &'a Path,
    files: &'a BTreeMap<PathBuf, &'a ExternalFile>,
    /// The (file, fragment) references being inlined, outermost first: a repeat is a cycle.
    stack: Vec<(PathBuf, String)>,
    /// Pointer of the value being inlined, in the output, and its nesting depth.
    at: String,
    depth: usize,
    /// Pointer of the value being inlined, in the file it is read from.
    here: String,
    /// Values copied from other files so far (the budget is [`MAX_INLINED_VALUES`]).
    copied: usize,
    budget: usize,
    /// The reference of the root being inlined (file, pointer, reference), which an error
    /// about the budget names.
    outermost: Option<(PathBuf, String, String)>,
    origins: Vec<Origin>,
}

impl Inliner<'_> {
    fn inline(&mut self, holder: &Path, value: &Value) -> Result<Value> {
        if !self.stack.is_empty() {
            self.copied += 1;
            if self.copied > self.budget || self.depth > MAX_INLINED_DEPTH {
                return Err(self.over_budget(holder));
            }
        }
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref")
                    && let Some((file, fragment)) = self.external_target(holder, reference)
                {
                    return self.inline_reference(holder, reference, file, fragment);
                }
                let mut out = serde_json::Map::with_capacity(map.len());
                for (key, child) in map {
                    out.insert(key.clone(), self.inline_child(holder, key, child)?);
                }
                Ok(Value::Object(out))
            }
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(index, child)| self.inline_child(holder, &index.to_string(), child))
                .collect::<Result<Vec<_>>>()
                .map(Value::Array),
            other => Ok(other.clone()),
        }
    }

    fn inline_child(&mut self, holder: &Path, token: &str, child: &Value) -> Result<Value> {
        let (len, here_len) = (self.at.len(), self.here.len());
        crate::util::json_pointer::push_token(&mut self.at, token);
        crate::util::json_pointer::push_token(&mut self.here, token);
        self.depth += 1;
        let inlined = self.inline(holder, child);
        self.depth -= 1;
        self.at.truncate(len);
        self.here.truncate(here_len);
        inlined
    }

    /// The error for a copy that goes over [`MAX_INLINED_VALUES`] or [`MAX_INLINED_DEPTH`]:
    /// it names the root's reference being inlined, and where inside the files the copying was.
    fn over_budget(&self, holder: &Path) -> Error {
        let (path, pointer, reference) = self.outermost.clone().unwrap_or_default();
        let what = if self.depth > MAX_INLINED_DEPTH {
            format!("nests deeper than {MAX_INLINED_DEPTH} levels")
        } else {
            format!("copies more than {} values", self.budget)
        };
        Error::Reference {
            path,
            pointer,
            reference,
            reason: format!(
                "{what} when the files it reaches are inlined (at `{}#{}`): references that copy each other grow exponentially; refer to the shared schemas from fewer places",
                holder.display(),
                self.here
            ),
        }
    }

    /// The file and fragment `reference` (held by `holder`) points at, unless it is a local
    /// reference of the root, which stays as it is.
    fn external_target(&self, holder: &Path, reference: &str) -> Option<(PathBuf, String)> {
        match classify(reference) {
            Ok(Target::Local) if holder == self.root_path => None,
            Ok(Target::Local) => Some((
                holder.to_path_buf(),
                reference.trim_start_matches('#').to_string(),
            )),
            Ok(Target::File { file, fragment }) => {
                let dir = holder.parent().unwrap_or(Path::new("/"));
                Some((paths::normalize(&dir.join(file)), fragment.to_string()))
            }
            Err(_) => None,
        }
    }

    fn inline_reference(
        &mut self,
        holder: &Path,
        reference: &str,
        file: PathBuf,
        fragment: String,
    ) -> Result<Value> {
        if file == paths::normalize(self.root_path) {
            return Ok(serde_json::json!({ "$ref": format!("#{fragment}") }));
        }
        let error = |reason: &str| Error::Reference {
            path: holder.to_path_buf(),
            pointer: format!("#{}", self.here),
            reference: reference.to_string(),
            reason: reason.into(),
        };
        let key = (file, fragment);
        if self.stack.contains(&key) {
            return Err(error(
                "is part of a cycle through other files, which cannot be inlined for the generator; move the recursive schema into the spec",
            ));
        }
        if self.stack.len() >= MAX_REFERENCE_CHAIN {
            return Err(error(&format!(
                "continues a chain of references through other files longer than {MAX_REFERENCE_CHAIN}, which is not inlined"
            )));
        }
        let files = self.files;
        let external = files.get(&key.0).ok_or_else(|| error("was not loaded"))?;
        let target = external.document.pointer(&key.1).unwrap_or(&Value::Null);
        self.origins.push(Origin {
            at: self.at.clone(),
            file: key.0.clone(),
            pointer: key.1.clone(),
        });
        if self.stack.is_empty() {
            self.outermost = Some((
                holder.to_path_buf(),
                format!("#{}", self.here),
                reference.to_string(),
            ));
        }
        let holder = key.0.clone();
        let here = std::mem::replace(&mut self.here, key.1.clone());
        self.stack.push(key);
        let inlined = self.inline(&holder, target);
        self.stack.pop();
        self.here = here;
        inlined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_references_are_found_without_parsing() {
        for local in [
            "{\"$ref\": \"#/components/schemas/A\"}",
            "a:\n  $ref: '#/x'\n  b: \"line\\nbreak\"\n",
            "{\"$ref\":\"#\"}",
            "openapi: 3.0.0\n",
        ] {
            assert!(!may_reference_files(local.as_bytes()), "{local}");
        }
        for maybe in [
            "{\"$ref\": \"common.json#/A\"}",
            "$ref: common.yaml\n",
            "$ref: # a comment, the value is on the next line\n  common.yaml\n",
            "$ref: *alias\n",
            "? $ref\n: common.yaml\n",
            "{\"\\u0024ref\": \"common.json\"}",
            "\"$r\\\nef\": common.yaml\n",
            "\"\\x24ref\": common.yaml\n",
        ] {
            assert!(may_reference_files(maybe.as_bytes()), "{maybe}");
        }
        assert!(may_reference_files(b"\xff$ref"));
    }

    #[test]
    fn classifies_references() {
        assert_eq!(classify("#/components/schemas/A"), Ok(Target::Local));
        assert_eq!(
            classify("common.yaml#/components/schemas/A"),
            Ok(Target::File {
                file: "common.yaml",
                fragment: "/components/schemas/A"
            })
        );
        assert_eq!(
            classify("x.yaml"),
            Ok(Target::File {
                file: "x.yaml",
                fragment: ""
            })
        );
        for bad in [
            "https://example.com/a.yaml#/x",
            "http://10.0.0.1/a",
            "file:///etc/passwd",
            "/etc/passwd",
            "C:\\x.yaml",
            "//host/share",
        ] {
            assert!(classify(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn finds_refs_with_pointers() {
        let doc = serde_json::json!({"a": {"$ref": "x.yaml"}, "b": [{"c": {"$ref": "#/a"}}], "d/e": {"$ref": "y.yaml#/z"}});
        let found = refs(&doc);
        assert_eq!(
            found,
            vec![
                ("#/a".to_string(), "x.yaml"),
                ("#/b/0/c".to_string(), "#/a"),
                ("#/d~1e".to_string(), "y.yaml#/z")
            ]
        );
    }

    fn external(key: &str, document: Value) -> ExternalFile {
        ExternalFile {
            key: key.into(),
            path: PathBuf::from("/w").join(key),
            raw_sha256: crate::util::hash::Sha256Digest::of(b""),
            document,
        }
    }

    /// `levels` levels of `fanout` references each, the last to a string.
    fn exponential(levels: usize, fanout: usize) -> Value {
        let mut lib = serde_json::Map::new();
        for level in 0..levels {
            let properties: serde_json::Map<String, Value> = (0..fanout)
                .map(|i| {
                    (
                        format!("p{i}"),
                        serde_json::json!({"$ref": format!("#/L{}", level + 1)}),
                    )
                })
                .collect();
            lib.insert(
                format!("L{level}"),
                serde_json::json!({"properties": properties}),
            );
        }
        lib.insert(format!("L{levels}"), serde_json::json!({"type": "string"}));
        Value::Object(lib)
    }

    fn root_referring_to(reference: &str) -> Value {
        serde_json::json!({"components": {"schemas": {"Root": {"$ref": reference}}}})
    }

    #[test]
    fn references_that_copy_each_other_are_refused_naming_the_reference() {
        let files = [external("lib.json", exponential(6, 10))];
        let root = root_referring_to("lib.json#/L0");
        let err = inline_externals(Path::new("/w/spec.yaml"), &root, &files).unwrap_err();
        let Error::Reference {
            path,
            pointer,
            reference,
            reason,
        } = &err
        else {
            panic!("{err}");
        };
        assert_eq!(path, Path::new("/w/spec.yaml"));
        assert_eq!(pointer, "#/components/schemas/Root");
        assert_eq!(reference, "lib.json#/L0");
        assert!(
            reason.starts_with("copies more than 1000000 values"),
            "{reason}"
        );
        assert!(reason.contains("`/w/lib.json#/L"), "{reason}");
    }

    #[test]
    fn the_budget_counts_copies_not_references() {
        // 10^4 leaves: well inside the budget, inlined in full.
        let files = [external("lib.json", exponential(4, 10))];
        let root = root_referring_to("lib.json#/L0");
        let (document, _) = inline_externals(Path::new("/w/spec.yaml"), &root, &files).unwrap();
        let leaf = &document["components"]["schemas"]["Root"]["properties"]["p9"]["properties"]["p9"]
            ["properties"]["p9"]["properties"]["p9"];
        assert_eq!(leaf, &serde_json::json!({"type": "string"}));
        // The budget grows with the files: a large file is copied once whatever its size.
        let big: serde_json::Map<String, Value> = (0..MAX_INLINED_VALUES)
            .map(|i| (format!("k{i}"), Value::Bool(true)))
            .collect();
        let files = [external("big.json", Value::Object(big))];
        let root = root_referring_to("big.json");
        assert!(inline_externals(Path::new("/w/spec.yaml"), &root, &files).is_ok());
    }

    #[test]
    fn a_chain_of_deep_references_cannot_nest_without_bound() {
        // Each file nests 100 levels, then refers to the next: 10 files would nest 1,000 deep.
        let files: Vec<ExternalFile> = (0..10)
            .map(|i| {
                let mut value = serde_json::json!({"$ref": format!("f{}.json", i + 1)});
                if i == 9 {
                    value = serde_json::json!({"type": "string"});
                }
                for _ in 0..100 {
                    value = serde_json::json!({"items": value});
                }
                external(&format!("f{i}.json"), value)
            })
            .collect();
        let root = root_referring_to("f0.json");
        let err = inline_externals(Path::new("/w/spec.yaml"), &root, &files).unwrap_err();
        assert!(
            err.to_string()
                .contains(&format!("nests deeper than {MAX_INLINED_DEPTH} levels")),
            "{err}"
        );
    }

    #[test]
    fn a_long_chain_of_references_through_files_is_refused() {
        let chain = |n: usize| -> Vec<ExternalFile> {
            (0..n)
                .map(|i| {
                    let value = if i + 1 < n {
                        serde_json::json!({"$ref": format!("f{}.json", i + 1)})
                    } else {
                        serde_json::json!({"type": "string"})
                    };
                    external(&format!("f{i}.json"), value)
                })
                .collect()
        };
        let root = root_referring_to("f0.json");
        let spec = Path::new("/w/spec.yaml");
        assert!(inline_externals(spec, &root, &chain(MAX_REFERENCE_CHAIN)).is_ok());
        let err = inline_externals(spec, &root, &chain(MAX_REFERENCE_CHAIN + 1)).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("continues a chain of references through other files longer than 64, which is not inlined"),
            "{err}"
        );
    }
}
