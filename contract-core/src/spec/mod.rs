//! Loading a spec file: read it (size-capped), decode, parse as JSON or YAML by content,
//! detect its OpenAPI version, and compute its fingerprints.

mod parse;
mod version;

use std::path::{Path, PathBuf};

use serde_json::Value;

pub use parse::{MAX_DEPTH, MAX_FILE_BYTES, SpecFormat};
pub use version::SpecVersion;

use crate::canonical;
use crate::error::{Error, Result};
use crate::hash::Sha256Digest;

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
    /// (JSON or YAML, any key order or whitespace) of the same document.
    pub fingerprint: Sha256Digest,
    /// SHA-256 of the file's bytes.
    pub raw_sha256: Sha256Digest,
}

/// Reads, parses and fingerprints a spec file.
pub fn load(path: &Path) -> Result<LoadedSpec> {
    let bytes = read_capped(path)?;
    load_bytes(path, &bytes)
}

/// Parses and fingerprints spec bytes; `path` is used in messages only.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<LoadedSpec> {
    let raw_sha256 = Sha256Digest::of(bytes);
    let parsed = parse_bytes(path, bytes)?;
    let fingerprint =
        canonical::fingerprint(&parsed.document).map_err(|message| Error::Syntax {
            path: path.to_path_buf(),
            format: parsed.format.name(),
            position: None,
            message,
        })?;
    Ok(LoadedSpec {
        path: parsed.path,
        format: parsed.format,
        version: parsed.version,
        document: parsed.document,
        fingerprint,
        raw_sha256,
    })
}

/// A spec file parsed with the same checks as [`load`], but not fingerprinted: what a diff
/// needs (canonicalizing a 12 MB document costs as much as parsing it).
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
    })
}

/// Reads a whole file, refusing directories and files over [`MAX_FILE_BYTES`].
pub fn read_capped(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| Error::io("read", path, e))?;
    let meta = file.metadata().map_err(|e| Error::io("read", path, e))?;
    if meta.is_dir() {
        return Err(Error::io(
            "read",
            path,
            std::io::Error::other("it is a directory, not a file"),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", path, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(bytes)
}
