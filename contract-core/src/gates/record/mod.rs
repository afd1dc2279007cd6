//! Contract records embedded in binaries: which contracts, at which spec fingerprints, a
//! program was built from, readable from the binary alone (without the source tree).
//!
//! - [`format`](mod@format): the versioned byte format of one record, and its safe decoder;
//! - `read` (feature `inspect`): finding the records in an ELF, Mach-O or PE file;
//! - [`verify`]: comparing them with the pins of a lock file (`verify-binary`).
//!
//! The macros (`verify_generated!` in every generated client, `embed!`, `client!`, `#[schema]`)
//! place each record (through [`emit`]) in a
//! `#[used]` static in a dedicated link section, named per platform:
//!
//! | platform | section |
//! |---|---|
//! | ELF (Linux, BSDs, ...) | [`ELF_SECTION`] |
//! | Mach-O (Apple) | [`MACHO_LINK_SECTION`] (segment `__DATA`, section [`MACHO_SECTION`]) |
//! | PE/COFF (Windows) | [`PE_SECTION`] (8 characters at most, no `$`, so the linker keeps the name) |
//!
//! The layout follows cargo-auditable's `.dep-v0` (a named section read back with `object`),
//! but a record is a small fixed-layout struct rather than compressed JSON, so the reader never
//! decompresses or allocates more than a record's bounded size.

pub mod emit;
pub mod format;
#[cfg(feature = "inspect")]
pub mod read;
pub mod verify;

pub use format::{DecodeError, EncodeError, Record, RecordKind, decode, encode};
#[cfg(feature = "inspect")]
pub use read::{BinaryFormat, Inspection, read_file};

/// The section name on ELF targets.
pub const ELF_SECTION: &str = ".contract_guard";
/// The segment of the record section on Mach-O targets.
pub const MACHO_SEGMENT: &str = "__DATA";
/// The section name on Mach-O targets (16 bytes at most).
pub const MACHO_SECTION: &str = "__cntrguard";
/// The full Mach-O section specifier for `#[link_section]`: `no_dead_strip` keeps the linker's
/// dead-code stripping from removing it.
pub const MACHO_LINK_SECTION: &str = "__DATA,__cntrguard,regular,no_dead_strip";
/// The section name on PE/COFF targets (8 bytes at most).
pub const PE_SECTION: &str = ".cguard";

/// Whether `name` (as the `object` crate reports a section's name) is a record section.
pub fn is_record_section(name: &[u8]) -> bool {
    name == ELF_SECTION.as_bytes()
        || name == MACHO_SECTION.as_bytes()
        || name == PE_SECTION.as_bytes()
}
