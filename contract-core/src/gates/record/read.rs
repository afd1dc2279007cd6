//! Finding the records in a binary: parse it as ELF, Mach-O (thin or universal), PE or COFF with
//! the `object` crate, read the record section, and decode every record in it. Where the file
//! has no record section (a linker script that merged it into another one, a binary whose
//! section headers were stripped), the whole file is scanned for the record magic instead.
//!
//! Everything is bounded: the file is read up to [`MAX_BINARY_LEN`] bytes, at most
//! [`MAX_RECORDS`] records and [`MAX_INVALID`] invalid ones are kept, and each record is
//! decoded by [`super::format::decode`], which reads at most a record's maximum size. `object`
//! itself checks every offset against the file, so a hostile binary is an error, never a panic.

use std::collections::BTreeSet;
use std::path::Path;

use object::read::macho::{FatArch, MachOFatFile32, MachOFatFile64};
use object::{FileKind, Object as _, ObjectSection as _};

use super::format::{self, DecodeError, MAGIC, Record};
use crate::error::{Error, Result};

/// The largest file `inspect` reads (1 GiB).
pub const MAX_BINARY_LEN: u64 = 1 << 30;
/// The most records kept from one binary.
pub const MAX_RECORDS: usize = 4096;
/// The most invalid records reported from one binary.
pub const MAX_INVALID: usize = 64;
/// The most architectures read from a universal Mach-O file.
const MAX_ARCHES: usize = 16;

/// The container format of an inspected file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryFormat {
    /// ELF (Linux, the BSDs, ...).
    Elf,
    /// A Mach-O file (Apple).
    MachO,
    /// A universal ("fat") Mach-O file holding several architectures.
    MachOUniversal,
    /// A PE image (Windows executables and DLLs).
    Pe,
    /// A COFF object file.
    Coff,
}

impl BinaryFormat {
    /// Lowercase name for messages and JSON: `elf`, `mach-o`, `mach-o-universal`, `pe`, `coff`.
    pub fn name(self) -> &'static str {
        match self {
            BinaryFormat::Elf => "elf",
            BinaryFormat::MachO => "mach-o",
            BinaryFormat::MachOUniversal => "mach-o-universal",
            BinaryFormat::Pe => "pe",
            BinaryFormat::Coff => "coff",
        }
    }
}

/// Bytes that start with the record magic but are not a valid record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRecord {
    /// Offset of the magic in the file.
    pub offset: u64,
    /// Why it is not a record.
    pub error: DecodeError,
}

/// What a binary holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// The container format.
    pub format: BinaryFormat,
    /// The names of the record sections that were read (empty when none was found).
    pub sections: Vec<String>,
    /// Whether the whole file was scanned because it has no record section.
    pub scanned: bool,
    /// The records, without duplicates, sorted by crate, contract and kind.
    pub records: Vec<Record>,
    /// Invalid records found in a record section (a scan ignores bytes that merely contain
    /// the magic).
    pub invalid: Vec<InvalidRecord>,
    /// Whether records were dropped past [`MAX_RECORDS`].
    pub truncated: bool,
}

/// Reads the records of the binary at `path`.
pub fn read_file(path: &Path) -> Result<Inspection> {
    let not_a_binary = |reason: String| Error::NotABinary {
        path: path.to_path_buf(),
        reason,
    };
    let data = crate::util::fsio::read_bounded(path, MAX_BINARY_LEN).map_err(|err| match err {
        Error::TooLarge { size, .. } => not_a_binary(format!(
            "it is {size} bytes, more than the {MAX_BINARY_LEN}-byte limit"
        )),
        Error::Io { source, .. } if source.kind() == std::io::ErrorKind::InvalidInput => {
            not_a_binary(source.to_string())
        }
        other => other,
    })?;
    inspect_bytes(&data).map_err(|reason| Error::NotABinary {
        path: path.to_path_buf(),
        reason,
    })
}

/// Reads the records of a binary held in memory. The error says why the bytes are not a
/// binary this reader understands.
pub fn inspect_bytes(data: &[u8]) -> std::result::Result<Inspection, String> {
    if data.len() as u64 > MAX_BINARY_LEN {
        return Err(format!("it is larger than the {MAX_BINARY_LEN}-byte limit"));
    }
    let mut found = Found::default();
    let kind = FileKind::parse(data).map_err(|_| not_binary())?;
    let format = match kind {
        FileKind::MachOFat32 => {
            let fat = MachOFatFile32::parse(data).map_err(|e| e.to_string())?;
            read_universal(data, fat.arches(), &mut found)?;
            BinaryFormat::MachOUniversal
        }
        FileKind::MachOFat64 => {
            let fat = MachOFatFile64::parse(data).map_err(|e| e.to_string())?;
            read_universal(data, fat.arches(), &mut found)?;
            BinaryFormat::MachOUniversal
        }
        _ => read_object(data, 0, &mut found)?,
    };
    Ok(found.finish(format))
}

fn not_binary() -> String {
    "it is not an executable, shared library or object file (ELF, Mach-O, PE or COFF)".into()
}

fn read_universal<A: FatArch>(
    data: &[u8],
    arches: &[A],
    found: &mut Found,
) -> std::result::Result<(), String> {
    if arches.len() > MAX_ARCHES {
        return Err(format!(
            "it is a universal Mach-O file with {} architectures, more than the {MAX_ARCHES} read",
            arches.len()
        ));
    }
    for arch in arches {
        let (offset, _) = arch.file_range();
        let slice = arch
            .data(data)
            .map_err(|e| format!("a universal Mach-O architecture is malformed: {e}"))?;
        read_object(slice, offset, found)?;
    }
    Ok(())
}

/// Reads one object; `base` is its offset in the file (non-zero inside a universal file).
fn read_object(
    data: &[u8],
    base: u64,
    found: &mut Found,
) -> std::result::Result<BinaryFormat, String> {
    let file = object::File::parse(data).map_err(|e| {
        if FileKind::parse(data).is_ok() {
            format!("it looks like an object file but is malformed: {e}")
        } else {
            not_binary()
        }
    })?;
    let format = match file.format() {
        object::BinaryFormat::Elf => BinaryFormat::Elf,
        object::BinaryFormat::MachO => BinaryFormat::MachO,
        object::BinaryFormat::Pe => BinaryFormat::Pe,
        object::BinaryFormat::Coff => BinaryFormat::Coff,
        _ => return Err(not_binary()),
    };
    // Sections may overlap (a hostile file can point a thousand headers at the same bytes):
    // the bytes of overlapping record sections are scanned once, as one range.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut any_section = false;
    for section in file.sections() {
        let Ok(name) = section.name_bytes() else {
            continue;
        };
        if !super::is_record_section(name) {
            continue;
        }
        any_section = true;
        found
            .sections
            .insert(String::from_utf8_lossy(name).into_owned());
        let bytes = section
            .data()
            .map_err(|e| format!("its record section is malformed: {e}"))?;
        match offset_in(data, bytes) {
            Some(start) => ranges.push((start, start + bytes.len())),
            None => found.scan(bytes, base, true),
        }
    }
    for (start, end) in merge_overlapping(ranges) {
        found.scan(
            data.get(start..end).unwrap_or(&[]),
            base + start as u64,
            true,
        );
    }
    if !any_section {
        found.scanned = true;
        found.scan(data, base, false);
    }
    Ok(format)
}

#[derive(Default)]
struct Found {
    sections: BTreeSet<String>,
    scanned: bool,
    records: BTreeSet<SortKey>,
    invalid: Vec<InvalidRecord>,
    truncated: bool,
    /// Bytes scanned for records: the work done, bounded by the file's size (tests check it).
    scanned_bytes: usize,
}

/// Records sorted by crate, contract, kind, then the rest.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    crate_name: String,
    contract: String,
    kind: format::RecordKind,
    crate_version: String,
    spec_fingerprint: crate::Sha256Digest,
    generator: Option<String>,
    settings_fingerprint: Option<crate::Sha256Digest>,
}

impl Found {
    /// Decodes every record in `bytes`. `strict`: report bytes that start with the magic but do
    /// not decode (inside a record section they are corruption; elsewhere, chance).
    fn scan(&mut self, bytes: &[u8], base: u64, strict: bool) {
        self.scanned_bytes += bytes.len();
        let mut pos = 0;
        while let Some(at) = find(&bytes[pos..], &MAGIC).map(|i| pos + i) {
            match format::decode(&bytes[at..]) {
                Ok((record, len)) => {
                    if self.records.len() >= MAX_RECORDS {
                        self.truncated = true;
                        return;
                    }
                    self.records.insert(SortKey {
                        crate_name: record.crate_name,
                        contract: record.contract,
                        kind: record.kind,
                        crate_version: record.crate_version,
                        spec_fingerprint: record.spec_fingerprint,
                        generator: record.generator,
                        settings_fingerprint: record.settings_fingerprint,
                    });
                    pos = at + len;
                }
                Err(error) => {
                    if strict && self.invalid.len() < MAX_INVALID {
                        self.invalid.push(InvalidRecord {
                            offset: base + at as u64,
                            error,
                        });
                    }
                    pos = at + 1;
                }
            }
        }
    }

    fn finish(self, format: BinaryFormat) -> Inspection {
        Inspection {
            format,
            sections: self.sections.into_iter().collect(),
            scanned: self.scanned,
            records: self
                .records
                .into_iter()
                .map(|k| Record {
                    kind: k.kind,
                    contract: k.contract,
                    crate_name: k.crate_name,
                    crate_version: k.crate_version,
                    spec_fingerprint: k.spec_fingerprint,
                    generator: k.generator,
                    settings_fingerprint: k.settings_fingerprint,
                })
                .collect(),
            invalid: self.invalid,
            truncated: self.truncated,
        }
    }
}

/// Where `part` (a slice `object` borrowed from `data`) starts in `data`.
fn offset_in(data: &[u8], part: &[u8]) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(data.as_ptr() as usize)?;
    (start.checked_add(part.len())? <= data.len()).then_some(start)
}

/// The union of byte ranges `[start, end)`, sorted; ranges that overlap become one (ranges
/// that only touch stay apart, so a record cannot run from one section into the next).
fn merge_overlapping(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start < last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// The first position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests;
