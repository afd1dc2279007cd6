//! Reader tests on files synthesized with `object::write`: this machine cannot cross-compile
//! to macOS or Windows, so Mach-O and PE readers are tested on small objects and images that
//! carry the record section exactly as rustc lays it out (real ELF executables are covered by
//! the end-to-end tests, which build crates with cargo).

use object::write::{self, Object};
use object::{Architecture, BinaryFormat as ObjFormat, Endianness, SectionKind, pe};

use super::*;
use crate::Sha256Digest;
use crate::gates::record::format::{RecordKind, encode};

fn record(contract: &str, crate_name: &str) -> Record {
    Record {
        kind: RecordKind::Embed,
        contract: contract.into(),
        crate_name: crate_name.into(),
        crate_version: "1.2.3".into(),
        spec_fingerprint: Sha256Digest::of(contract.as_bytes()),
        generator: None,
        settings_fingerprint: None,
    }
}

/// Two records with alignment padding between them, as a linker lays out two statics.
fn section_bytes() -> Vec<u8> {
    let mut bytes = encode(&record("pets", "app")).unwrap();
    bytes.extend_from_slice(&[0; 5]);
    bytes.extend(encode(&record("orders", "sdk")).unwrap());
    bytes
}

fn object_with(format: ObjFormat, segment: &[u8], section: &[u8], data: &[u8]) -> Vec<u8> {
    let mut obj = Object::new(format, Architecture::X86_64, Endianness::Little);
    let text = obj.add_section(Vec::new(), b".text".to_vec(), SectionKind::Text);
    obj.append_section_data(text, &[0xc3], 1);
    let id = obj.add_section(
        segment.to_vec(),
        section.to_vec(),
        SectionKind::ReadOnlyData,
    );
    obj.append_section_data(id, data, 1);
    obj.write().unwrap()
}

/// A minimal 64-bit PE image (not an object file) with `.text` and `.cguard` sections.
fn pe_image(data: &[u8]) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut writer = write::pe::Writer::new(true, 0x1000, 0x200, &mut buf);
    writer.reserve_dos_header_and_stub();
    writer.reserve_nt_headers(16);
    writer.reserve_section_headers(2);
    let text = writer.reserve_text_section(1);
    let len = data.len() as u32;
    let guard = writer.reserve_section(
        *b".cguard\0",
        pe::IMAGE_SCN_CNT_INITIALIZED_DATA | pe::IMAGE_SCN_MEM_READ,
        len,
        len,
    );
    writer.write_dos_header_and_stub().unwrap();
    writer.write_nt_headers(write::pe::NtHeaders {
        machine: pe::IMAGE_FILE_MACHINE_AMD64,
        time_date_stamp: 0,
        characteristics: pe::IMAGE_FILE_EXECUTABLE_IMAGE | pe::IMAGE_FILE_LARGE_ADDRESS_AWARE,
        major_linker_version: 14,
        minor_linker_version: 0,
        address_of_entry_point: text.virtual_address,
        image_base: 0x1_4000_0000,
        major_operating_system_version: 6,
        minor_operating_system_version: 0,
        major_image_version: 0,
        minor_image_version: 0,
        major_subsystem_version: 6,
        minor_subsystem_version: 0,
        subsystem: pe::IMAGE_SUBSYSTEM_WINDOWS_CUI,
        dll_characteristics: pe::IMAGE_DLLCHARACTERISTICS_NX_COMPAT,
        size_of_stack_reserve: 0x10_0000,
        size_of_stack_commit: 0x1000,
        size_of_heap_reserve: 0x10_0000,
        size_of_heap_commit: 0x1000,
    });
    writer.write_section_headers();
    writer.write_section(text.file_offset, &[0xc3]);
    writer.write_section(guard.file_offset, data);
    buf
}

/// A universal Mach-O file holding `thin` files (big-endian `fat_header` and `fat_arch`es).
fn universal(thin: &[Vec<u8>]) -> Vec<u8> {
    let align = 0x1000usize;
    let mut out = Vec::new();
    out.extend_from_slice(&0xcafe_babe_u32.to_be_bytes());
    out.extend_from_slice(&(thin.len() as u32).to_be_bytes());
    let mut offset = align;
    let mut offsets = Vec::new();
    for (i, file) in thin.iter().enumerate() {
        let cputype: u32 = if i == 0 { 0x0100_0007 } else { 0x0100_000c };
        out.extend_from_slice(&cputype.to_be_bytes());
        out.extend_from_slice(&3u32.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(file.len() as u32).to_be_bytes());
        out.extend_from_slice(&12u32.to_be_bytes());
        offsets.push(offset);
        offset = (offset + file.len()).div_ceil(align) * align;
    }
    for (file, at) in thin.iter().zip(offsets) {
        out.resize(at, 0);
        out.extend_from_slice(file);
    }
    out
}

fn names(inspection: &Inspection) -> Vec<String> {
    inspection
        .records
        .iter()
        .map(|r| format!("{}/{}", r.crate_name, r.contract))
        .collect()
}

#[test]
fn elf_object_section() {
    let file = object_with(ObjFormat::Elf, b"", b".contract_guard", &section_bytes());
    let found = inspect_bytes(&file).unwrap();
    assert_eq!(found.format, BinaryFormat::Elf);
    assert_eq!(found.sections, [".contract_guard"]);
    assert!(!found.scanned);
    assert_eq!(names(&found), ["app/pets", "sdk/orders"]);
    assert_eq!(found.records[0], record("pets", "app"));
    assert!(found.invalid.is_empty());
}

#[test]
fn macho_object_section() {
    let file = object_with(
        ObjFormat::MachO,
        b"__DATA",
        b"__cntrguard",
        &section_bytes(),
    );
    let found = inspect_bytes(&file).unwrap();
    assert_eq!(found.format, BinaryFormat::MachO);
    assert_eq!(found.sections, ["__cntrguard"]);
    assert_eq!(names(&found), ["app/pets", "sdk/orders"]);
}

#[test]
fn coff_object_section() {
    let file = object_with(ObjFormat::Coff, b"", b".cguard", &section_bytes());
    let found = inspect_bytes(&file).unwrap();
    assert_eq!(found.format, BinaryFormat::Coff);
    assert_eq!(found.sections, [".cguard"]);
    assert_eq!(names(&found), ["app/pets", "sdk/orders"]);
}

#[test]
fn pe_image_section() {
    let file = pe_image(&section_bytes());
    let found = inspect_bytes(&file).unwrap();
    assert_eq!(found.format, BinaryFormat::Pe);
    assert_eq!(found.sections, [".cguard"]);
    assert!(!found.scanned);
    assert_eq!(names(&found), ["app/pets", "sdk/orders"]);
}

#[test]
fn universal_macho_reads_every_architecture_once() {
    let x86 = object_with(
        ObjFormat::MachO,
        b"__DATA",
        b"__cntrguard",
        &section_bytes(),
    );
    let mut arm_section = encode(&record("pets", "app")).unwrap();
    arm_section.extend(encode(&record("billing", "app")).unwrap());
    let arm = object_with(ObjFormat::MachO, b"__DATA", b"__cntrguard", &arm_section);
    let found = inspect_bytes(&universal(&[x86, arm])).unwrap();
    assert_eq!(found.format, BinaryFormat::MachOUniversal);
    // `app/pets` is in both architectures and listed once.
    assert_eq!(names(&found), ["app/billing", "app/pets", "sdk/orders"]);
}

#[test]
fn merged_section_falls_back_to_a_scan() {
    // The records ended up in `.rodata` among other bytes, one of which merely contains the
    // magic: the scan finds the records and ignores the noise.
    let mut data = b"some string\0CTGUARD\0\x01\x02garbage".to_vec();
    data.extend(section_bytes());
    let file = object_with(ObjFormat::Elf, b"", b".rodata", &data);
    let found = inspect_bytes(&file).unwrap();
    assert!(found.scanned);
    assert!(found.sections.is_empty());
    assert_eq!(names(&found), ["app/pets", "sdk/orders"]);
    assert!(
        found.invalid.is_empty(),
        "noise outside a record section is not reported"
    );
}

#[test]
fn corrupt_records_in_the_section_are_reported_with_their_offset() {
    let mut data = section_bytes();
    let mut bad = encode(&record("x", "y")).unwrap();
    bad[8] = 9; // format version 9
    data.extend_from_slice(&bad);
    let file = object_with(ObjFormat::Elf, b"", b".contract_guard", &data);
    let found = inspect_bytes(&file).unwrap();
    assert_eq!(found.records.len(), 2);
    assert_eq!(found.invalid.len(), 1);
    assert_eq!(found.invalid[0].error, DecodeError::UnsupportedVersion(9));
    let at = found.invalid[0].offset as usize;
    assert_eq!(&file[at..at + 8], b"CTGUARD\0");
}

#[test]
fn a_binary_without_records_has_none() {
    let file = object_with(ObjFormat::Elf, b"", b".rodata", b"nothing to see");
    let found = inspect_bytes(&file).unwrap();
    assert!(found.records.is_empty());
    assert!(found.scanned);
}

#[test]
fn non_binaries_are_errors() {
    for bytes in [
        &b""[..],
        b"fn main() {}\n",
        b"openapi: 3.0.3\ninfo:\n  title: x\n",
        b"\x7fELF\x02\x01\x01",
        b"!<arch>\nsome archive member",
    ] {
        let err = inspect_bytes(bytes).unwrap_err();
        assert!(
            err.contains("not an executable") || err.contains("malformed"),
            "{err}"
        );
    }
}

#[test]
fn record_count_is_capped() {
    let mut data = Vec::new();
    for i in 0..MAX_RECORDS + 10 {
        let mut r = record("c", "k");
        r.crate_version = i.to_string();
        data.extend(encode(&r).unwrap());
    }
    let file = object_with(ObjFormat::Elf, b"", b".contract_guard", &data);
    let found = inspect_bytes(&file).unwrap();
    assert_eq!(found.records.len(), MAX_RECORDS);
    assert!(found.truncated);
}

#[test]
fn mutated_binaries_never_panic() {
    let files = [
        object_with(ObjFormat::Elf, b"", b".contract_guard", &section_bytes()),
        object_with(
            ObjFormat::MachO,
            b"__DATA",
            b"__cntrguard",
            &section_bytes(),
        ),
        pe_image(&section_bytes()),
        universal(&[object_with(
            ObjFormat::MachO,
            b"__DATA",
            b"__cntrguard",
            &section_bytes(),
        )]),
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for file in &files {
        for _ in 0..2_000 {
            let mut bytes = file.clone();
            for _ in 0..1 + next() % 8 {
                let at = (next() % bytes.len() as u64) as usize;
                bytes[at] = next() as u8;
            }
            if next() % 4 == 0 {
                bytes.truncate((next() % bytes.len() as u64) as usize);
            }
            // Any outcome is fine; a panic fails the test.
            if let Ok(found) = inspect_bytes(&bytes) {
                assert!(found.records.len() <= MAX_RECORDS);
                assert!(found.invalid.len() <= MAX_INVALID);
            }
        }
    }
}

#[test]
fn a_directory_is_not_a_binary() {
    let dir = tempfile::tempdir().unwrap();
    let err = read_file(dir.path()).unwrap_err();
    assert!(
        matches!(&err, crate::Error::NotABinary { reason, .. } if reason.starts_with("it is a directory")),
        "{err}"
    );
    assert!(err.hint().is_some());
}

/// `file` (a 64-bit little-endian ELF) with `copies` more headers of its record section, all
/// pointing at the same bytes, in a section header table appended at the end.
fn with_overlapping_record_sections(file: &[u8], copies: usize) -> Vec<u8> {
    let parsed = object::File::parse(file).unwrap();
    let index = parsed.section_by_name(".contract_guard").unwrap().index().0;
    let u16_at = |at: usize| usize::from(u16::from_le_bytes([file[at], file[at + 1]]));
    let shoff = u64::from_le_bytes(file[0x28..0x30].try_into().unwrap()) as usize;
    let (entsize, count) = (u16_at(0x3a), u16_at(0x3c));
    let table = &file[shoff..shoff + entsize * count];
    let header = &table[index * entsize..(index + 1) * entsize];
    let mut out = file.to_vec();
    out.resize(out.len().next_multiple_of(8), 0);
    let new_shoff = out.len() as u64;
    out.extend_from_slice(table);
    for _ in 0..copies {
        out.extend_from_slice(header);
    }
    out[0x28..0x30].copy_from_slice(&new_shoff.to_le_bytes());
    out[0x3c..0x3e].copy_from_slice(&u16::try_from(count + copies).unwrap().to_le_bytes());
    out
}

#[test]
fn overlapping_record_sections_are_scanned_once() {
    // 1,000 more headers over the same 1 MB record section: scanned one by one, that was a
    // gigabyte of scanning (6.4 s on a release build).
    let mut data = section_bytes();
    data.resize(1 << 20, 0);
    let file = object_with(ObjFormat::Elf, b"", b".contract_guard", &data);
    let file = with_overlapping_record_sections(&file, 1000);
    let parsed = object::File::parse(&*file).unwrap();
    assert_eq!(
        parsed
            .sections()
            .filter(|s| s.name() == Ok(".contract_guard"))
            .count(),
        1001
    );
    let mut found = Found::default();
    read_object(&file, 0, &mut found).unwrap();
    assert!(
        found.scanned_bytes <= data.len(),
        "{} bytes scanned for a {}-byte section",
        found.scanned_bytes,
        data.len()
    );
    let inspection = found.finish(BinaryFormat::Elf);
    assert_eq!(names(&inspection), ["app/pets", "sdk/orders"]);
    assert!(inspection.invalid.is_empty());
}

#[test]
fn overlapping_ranges_merge_and_touching_ones_stay_apart() {
    assert_eq!(
        merge_overlapping(vec![(10, 20), (0, 5), (12, 30), (30, 40), (5, 6)]),
        [(0, 5), (5, 6), (10, 30), (30, 40)]
    );
}
