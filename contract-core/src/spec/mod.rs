//! Loading a spec file: read it (size-capped), decode, parse as JSON or YAML by content,
//! detect its OpenAPI version, and compute its fingerprints.

mod bundle;
pub mod cache;
pub mod canonical;
mod lines;
mod parse;
#[cfg(test)]
mod proptests;
mod refs;
mod sections;
mod version;

use std::path::{Path, PathBuf};

use serde_json::Value;

pub use bundle::{
    BUNDLE_KEY, bundle_value, command_line_sandbox, parse_file_inlined, parse_fingerprinted,
};
pub use lines::{Located, Place, locate, pointer_lines, pointer_places};
pub use parse::{MAX_DEPTH, MAX_FILE_BYTES, SpecFormat};
pub use refs::{
    MAX_EXTERNAL_FILES, MAX_INLINED_DEPTH, MAX_INLINED_VALUES, Origin, may_reference_files,
};
pub use version::SpecVersion;

use crate::error::{Error, Result};
use crate::util::hash::Sha256Digest;
use crate::util::paths;

/// The HTTP methods an OpenAPI path item may hold, in the order the specification lists them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// How much of a pinned spec's document a caller reads ([`load_pinned_in`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reading {
    /// All of it.
    Whole,
    /// Its component schemas and what they reference: for a JSON spec whose bytes are the
    /// pinned ones, the operations, webhooks and component examples are not parsed, and the
    /// document holds `{}` in their place (what `#[schema]` reads; see `spec/sections.rs`).
    Schemas,
}

impl Reading {
    /// What a reader of the schema at `pointer` (`/…` or `#/…`; `None`: a component schema by
    /// name) needs: [`Reading::Schemas`] when the pointer is inside a part that is kept.
    pub fn for_pointer(pointer: Option<&str>) -> Reading {
        match pointer {
            Some(p) if !sections::is_kept(p.trim_start_matches('#')) => Reading::Whole,
            _ => Reading::Schemas,
        }
    }
}

/// A spec file, parsed and fingerprinted.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The file it was read from.
    pub path: PathBuf,
    /// How it was written.
    pub format: SpecFormat,
    /// Its declared version.
    pub version: SpecVersion,
    /// The document as JSON (object key order as in the file).
    pub document: Value,
    /// SHA-256 of the RFC 8785 canonical JSON of the document: the same for any rendering
    /// (JSON or YAML, any key order or whitespace) of the same document. When the spec
    /// references other files, it is the fingerprint of the bundle (see [`bundle_value`]).
    pub fingerprint: Sha256Digest,
    /// SHA-256 of the spec file's bytes (the root file only).
    pub raw_sha256: Sha256Digest,
    /// Other files its `$ref`s reach, sorted by key.
    pub external_files: Vec<ExternalFile>,
}

/// A file a spec references.
#[derive(Debug, Clone)]
pub struct ExternalFile {
    /// Its path relative to the spec's directory, `/`-separated.
    pub key: String,
    /// Its path on disk.
    pub path: PathBuf,
    /// SHA-256 of its bytes.
    pub raw_sha256: Sha256Digest,
    /// Its parsed content.
    pub document: Value,
}

impl LoadedSpec {
    /// The document as one self-contained value for tools that read one document (the
    /// generator, the diff): references into other files are replaced by what they point at.
    pub fn single_document(&self) -> Result<std::borrow::Cow<'_, Value>> {
        self.inlined().map(|(document, _)| document)
    }

    /// [`single_document`](Self::single_document), and where its parts inlined from other
    /// files came from (for [`locate`]).
    pub fn inlined(&self) -> Result<(std::borrow::Cow<'_, Value>, Vec<Origin>)> {
        if self.external_files.is_empty() {
            return Ok((std::borrow::Cow::Borrowed(&self.document), Vec::new()));
        }
        let root = std::path::absolute(&self.path).map_err(|e| Error::io("read", &self.path, e))?;
        refs::inline_externals(
            &paths::normalize(&root),
            &self.document,
            &self.external_files,
        )
        .map(|(document, origins)| (std::borrow::Cow::Owned(document), origins))
    }

    /// What [`fingerprint`](Self::fingerprint) is the hash of (as RFC 8785 canonical JSON):
    /// the document, or for a spec that spans several files, their bundle ([`bundle_value`]).
    pub fn fingerprinted_value(&self) -> std::borrow::Cow<'_, Value> {
        if self.external_files.is_empty() {
            std::borrow::Cow::Borrowed(&self.document)
        } else {
            std::borrow::Cow::Owned(bundle_value(&self.document, &self.external_files))
        }
    }

    /// Every file read to load this spec: the spec itself, then the files it references.
    pub fn files(&self) -> Vec<PathBuf> {
        std::iter::once(self.path.clone())
            .chain(self.external_files.iter().map(|f| f.path.clone()))
            .collect()
    }
}

/// Reads, parses and fingerprints a spec file; referenced files must stay inside the spec's
/// own directory.
pub fn load(path: &Path) -> Result<LoadedSpec> {
    let sandbox = absolute_parent(path)?;
    load_in(path, &sandbox)
}

/// Reads, parses and fingerprints a spec file whose references may reach anywhere inside
/// `sandbox` (the workspace root).
pub fn load_in(path: &Path, sandbox: &Path) -> Result<LoadedSpec> {
    let bytes = read_capped(path)?;
    load_bytes_in(path, &bytes, sandbox)
}

fn absolute_parent(path: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(path).map_err(|e| Error::io("read", path, e))?;
    Ok(paths::normalize(&absolute)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default())
}

/// Parses and fingerprints spec bytes read from `path`.
pub fn load_bytes_in(path: &Path, bytes: &[u8], sandbox: &Path) -> Result<LoadedSpec> {
    let raw_sha256 = Sha256Digest::of(bytes);
    let ParsedSpec {
        format,
        version,
        document,
        ..
    } = parse_bytes(path, bytes)?;
    let absolute =
        paths::normalize(&std::path::absolute(path).map_err(|e| Error::io("read", path, e))?);
    let sandbox =
        paths::normalize(&std::path::absolute(sandbox).map_err(|e| Error::io("read", sandbox, e))?);
    let external_files = refs::collect(&absolute, &document, &sandbox)?;
    let mut spec = LoadedSpec {
        path: path.to_path_buf(),
        format,
        version,
        document,
        fingerprint: raw_sha256,
        raw_sha256,
        external_files,
    };
    spec.fingerprint =
        canonical::fingerprint(&spec.fingerprinted_value()).map_err(|message| Error::Syntax {
            path: path.to_path_buf(),
            format: format.name(),
            position: None,
            message,
        })?;
    Ok(spec)
}

/// Loads a spec whose pin recorded `pinned_raw` (the SHA-256 of the file's bytes) and
/// `pinned_fingerprint`. When the bytes still hash to `pinned_raw` and cannot reference another
/// file ([`refs::may_reference_files`]), they are the bytes that were fingerprinted, so the
/// document is parsed but not canonicalised again (the trust `check`'s hash-only fast path
/// already places in the lock); otherwise the spec is loaded and fingerprinted in full, as by
/// [`load_in`]. The lock's list of referenced files is never trusted to be complete.
/// `reading` says how much of the document the caller reads; `raw_known`, that the caller
/// already knows the bytes hash to `pinned_raw` (a stamp of an earlier build's hash, see
/// `macros::target_dir`), so they are not hashed again.
pub fn load_pinned_in(
    path: &Path,
    sandbox: &Path,
    pinned_raw: Sha256Digest,
    pinned_fingerprint: Sha256Digest,
    reading: Reading,
    raw_known: bool,
) -> Result<LoadedSpec> {
    let bytes = read_capped(path)?;
    // Hashing and parsing overlap: in a proc macro, both run unoptimised (cargo's default
    // for build dependencies), and hashing a large spec takes nearly as long as parsing it.
    let ((raw_sha256, single_file), parsed) = std::thread::scope(|scope| {
        let hash = scope.spawn(|| {
            let raw = if raw_known {
                pinned_raw
            } else {
                Sha256Digest::of(&bytes)
            };
            (raw, !may_reference_files(&bytes))
        });
        let parsed = match reading {
            Reading::Schemas => parse_schemas(path, &bytes),
            Reading::Whole => None,
        }
        .map_or_else(|| parse_bytes(path, &bytes), Ok);
        (
            hash.join()
                .unwrap_or_else(|_| (Sha256Digest::of(&bytes), false)),
            parsed,
        )
    });
    if raw_sha256 != pinned_raw || !single_file {
        return load_bytes_in(path, &bytes, sandbox);
    }
    let ParsedSpec {
        format,
        version,
        document,
        ..
    } = parsed?;
    Ok(LoadedSpec {
        path: path.to_path_buf(),
        format,
        version,
        document,
        fingerprint: pinned_fingerprint,
        raw_sha256,
        external_files: Vec::new(),
    })
}

/// A pinned spec from a digest a verified read of it left (`macros::target_dir`): the
/// document as JSON `text`, the spec written in `format`, its bytes hashing to `raw` and
/// reaching no other file, so the pin's `fingerprint` is its own.
pub fn from_digest(
    path: &Path,
    format: SpecFormat,
    text: &str,
    raw: Sha256Digest,
    fingerprint: Sha256Digest,
) -> Result<LoadedSpec> {
    let ParsedSpec {
        version, document, ..
    } = parse_bytes(path, text.as_bytes())?;
    Ok(LoadedSpec {
        path: path.to_path_buf(),
        format,
        version,
        document,
        fingerprint,
        raw_sha256: raw,
        external_files: Vec::new(),
    })
}

/// The document of a JSON spec without its operations, webhooks and component examples
/// ([`Reading::Schemas`]); `None` when that cannot be cut out safely (then the caller parses
/// the whole). Only ever kept for bytes that hash to the pin.
fn parse_schemas(path: &Path, bytes: &[u8]) -> Option<ParsedSpec> {
    let text = std::str::from_utf8(bytes).ok()?;
    if SpecFormat::sniff(text) != SpecFormat::Json {
        return None;
    }
    let reduced = sections::schemas_only(text)?;
    parse_bytes(path, reduced.as_bytes()).ok()
}

/// Whether `bytes` are the bytes a pin hashed (`pinned_raw`) and reach no other file
/// ([`may_reference_files`], read from the bytes, never from the lock): then the pin's
/// fingerprint is theirs, and they need not be parsed. Both checks run in parallel.
pub fn is_pinned_single_file(bytes: &[u8], pinned_raw: Sha256Digest) -> bool {
    std::thread::scope(|scope| {
        let single_file = scope.spawn(|| !may_reference_files(bytes));
        let same = Sha256Digest::of(bytes) == pinned_raw;
        single_file.join().unwrap_or(false) && same
    })
}

/// Parses and fingerprints spec bytes; references may reach the directory of `path` (which
/// need not exist: it can be a label such as `HEAD:specs/api.yaml`).
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<LoadedSpec> {
    let sandbox = absolute_parent(path)?;
    load_bytes_in(path, bytes, &sandbox)
}

/// A spec file parsed with the same checks as [`load`], but not fingerprinted: what a diff
/// needs (canonicalizing a 12 MB document costs as much as parsing it). References into other
/// files are followed only by [`parse_file_inlined`] and [`parse_fingerprinted`].
#[derive(Debug, Clone)]
pub struct ParsedSpec {
    /// The file it was read from.
    pub path: PathBuf,
    /// How it was written.
    pub format: SpecFormat,
    /// Its declared version.
    pub version: SpecVersion,
    /// The document as JSON (object key order as in the file).
    pub document: Value,
    /// Where the parts inlined from other files came from (empty when all of the document is
    /// from `path`): what [`locate`](Self::locate) follows.
    pub origins: Vec<Origin>,
}

/// Reads and parses a spec file without fingerprinting it.
pub fn parse_file(path: &Path) -> Result<ParsedSpec> {
    let bytes = read_capped(path)?;
    parse_bytes(path, &bytes)
}

/// Parses spec bytes without fingerprinting them; `path` is used in messages only.
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<ParsedSpec> {
    let text = parse::decode_utf8(path, bytes)?;
    if text.trim().is_empty() {
        return Err(Error::NotOpenApi {
            path: path.to_path_buf(),
            reason: "the file is empty".into(),
        });
    }
    let format = SpecFormat::sniff(text);
    let document = parse::parse(path, text, format)?;
    let version = SpecVersion::detect(path, &document)?;
    Ok(ParsedSpec {
        path: path.to_path_buf(),
        format,
        version,
        document,
        origins: Vec::new(),
    })
}

/// The part of a media type that identifies it, lowercased: `application/JSON; charset=utf-8`
/// → `application/json`.
pub fn media_type_essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The JSON type name of a value, as a schema's `type` spells it (`integer` for whole numbers).
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Reads a whole spec file: a regular file of at most [`MAX_FILE_BYTES`]
/// ([`crate::util::fsio::read_bounded`]).
pub fn read_capped(path: &Path) -> Result<Vec<u8>> {
    crate::util::fsio::read_bounded(path, MAX_FILE_BYTES)
}
