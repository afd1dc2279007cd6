//! Specs that span several files, as one value and as one document: the bundle that is
//! fingerprinted (the root document and every referenced file by its path relative to the
//! spec), and the single document tools that compare documents read (references into the
//! other files replaced by what they point at), from files on disk or from a stored bundle.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{ExternalFile, ParsedSpec, SpecFormat, SpecVersion, parse, refs};
use crate::error::{Error, Result};
use crate::util::hash::Sha256Digest;
use crate::util::paths;

/// The one key of a bundle object.
pub const BUNDLE_KEY: &str = "$contract-guard-bundle";

/// What is fingerprinted when a spec spans several files: the root document and every
/// referenced file by its path relative to the spec, so a change in any of them changes the
/// fingerprint (and a single-file spec is fingerprinted as itself).
pub fn bundle_value(document: &Value, files: &[ExternalFile]) -> Value {
    let mut map = serde_json::Map::new();
    for file in files {
        map.insert(file.key.clone(), file.document.clone());
    }
    serde_json::json!({ BUNDLE_KEY: { "root": document, "files": map } })
}

/// Parses a spec file and replaces its references into other files (inside `sandbox`) by what
/// they point at: one document to compare. Not fingerprinted.
pub fn parse_file_inlined(path: &Path, sandbox: &Path) -> Result<ParsedSpec> {
    let mut spec = super::parse_file(path)?;
    let absolute = |p: &Path| {
        std::path::absolute(p)
            .map(|a| paths::normalize(&a))
            .map_err(|e| Error::io("read", p, e))
    };
    let root = absolute(path)?;
    let files = refs::collect(&root, &spec.document, &absolute(sandbox)?)?;
    if !files.is_empty() {
        (spec.document, spec.origins) = refs::inline_externals(&root, &spec.document, &files)?;
    }
    Ok(spec)
}

/// The directory the files referenced by a spec named on the command line (not declared by a
/// contract) must stay inside: the current directory `cwd` when the spec is inside it, else
/// the spec's own directory.
pub fn command_line_sandbox(cwd: &Path, path: &Path) -> PathBuf {
    let absolute = paths::normalize(&cwd.join(path));
    if absolute.starts_with(cwd) {
        cwd.to_path_buf()
    } else {
        absolute.parent().unwrap_or(cwd).to_path_buf()
    }
}

/// Parses the canonical JSON of a fingerprinted value (what the spec cache stores): a
/// document, or the bundle of a spec that spans several files, which comes back as one
/// document with the references into its other files inlined.
pub fn parse_fingerprinted(path: &Path, bytes: &[u8]) -> Result<ParsedSpec> {
    let text = parse::decode_utf8(path, bytes)?;
    let mut document = parse::parse(path, text, SpecFormat::Json)?;
    if let Some(bundle) = document.get(BUNDLE_KEY) {
        document = unbundle(path, bundle)?;
    }
    let version = SpecVersion::detect(path, &document)?;
    Ok(ParsedSpec {
        path: path.to_path_buf(),
        format: SpecFormat::Json,
        version,
        document,
        origins: Vec::new(),
    })
}

/// The root document of a bundle with the other files inlined. The files are laid out under a
/// virtual directory deep enough for keys that climb out of the spec's own (`../common.yaml`).
fn unbundle(path: &Path, bundle: &Value) -> Result<Value> {
    let malformed = || Error::NotOpenApi {
        path: path.to_path_buf(),
        reason: format!("`{BUNDLE_KEY}` needs a `root` document and a `files` object"),
    };
    let root = bundle.get("root").ok_or_else(malformed)?;
    let files = bundle
        .get("files")
        .and_then(Value::as_object)
        .ok_or_else(malformed)?;
    let climbs = files
        .keys()
        .map(|key| key.split('/').take_while(|s| *s == "..").count())
        .max()
        .unwrap_or(0);
    let mut dir = PathBuf::from("/bundle");
    dir.extend(std::iter::repeat_n("_", climbs));
    let externals: Vec<ExternalFile> = files
        .iter()
        .map(|(key, document)| ExternalFile {
            key: key.clone(),
            path: paths::normalize(&dir.join(key)),
            raw_sha256: Sha256Digest::of(b""),
            document: document.clone(),
        })
        .collect();
    refs::inline_externals(&dir.join("spec.json"), root, &externals).map(|(document, _)| document)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A spec whose schema lives in `schemas/pet.yaml`, which refers to `../common/id.yaml`.
    fn multi_file(dir: &Path) -> PathBuf {
        write(
            dir,
            "api/spec.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet:\n      $ref: 'schemas/pet.yaml'\n",
        );
        write(
            dir,
            "api/schemas/pet.yaml",
            "type: object\nproperties:\n  id:\n    $ref: '../../common/id.yaml'\n",
        );
        write(dir, "common/id.yaml", "type: integer\nformat: int64\n");
        dir.join("api/spec.yaml")
    }

    fn inlined_pet() -> Value {
        json!({"type": "object", "properties": {"id": {"type": "integer", "format": "int64"}}})
    }

    #[test]
    fn files_on_disk_are_inlined_into_one_document() {
        let dir = tempfile::tempdir().unwrap();
        let spec = parse_file_inlined(&multi_file(dir.path()), dir.path()).unwrap();
        assert_eq!(spec.document["components"]["schemas"]["Pet"], inlined_pet());
    }

    #[test]
    fn a_stored_bundle_comes_back_as_the_same_document() {
        let dir = tempfile::tempdir().unwrap();
        let path = multi_file(dir.path());
        let loaded = super::super::load_in(&path, dir.path()).unwrap();
        assert_eq!(loaded.external_files.len(), 2);
        let bytes = crate::spec::canonical::canonical_json(&loaded.fingerprinted_value()).unwrap();
        assert_eq!(Sha256Digest::of(&bytes), loaded.fingerprint);
        let back = parse_fingerprinted(Path::new("cache.json"), &bytes).unwrap();
        assert_eq!(
            back.document,
            parse_file_inlined(&path, dir.path()).unwrap().document
        );
        assert_eq!(back.version, loaded.version);
    }

    #[test]
    fn command_line_specs_reference_files_under_the_current_directory_or_their_own() {
        let cwd = Path::new("/work/app");
        assert_eq!(command_line_sandbox(cwd, Path::new("specs/api.yaml")), cwd);
        assert_eq!(
            command_line_sandbox(cwd, Path::new("../other/specs/api.yaml")),
            Path::new("/work/other/specs")
        );
        assert_eq!(
            command_line_sandbox(cwd, Path::new("/tmp/x/api.yaml")),
            Path::new("/tmp/x")
        );
    }

    #[test]
    fn a_plain_document_is_parsed_as_it_is() {
        let doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}});
        let bytes = serde_json::to_vec(&doc).unwrap();
        let back = parse_fingerprinted(Path::new("c.json"), &bytes).unwrap();
        assert_eq!(back.document, doc);
        let broken = serde_json::to_vec(&json!({ BUNDLE_KEY: {"root": {}} })).unwrap();
        assert!(parse_fingerprinted(Path::new("c.json"), &broken).is_err());
    }
}
