//! The byte format of one embedded record (format version 1), its encoder, and a decoder that is
//! safe on untrusted bytes: it never panics, reads at most [`MAX_RECORD_LEN`] bytes, and
//! allocates at most the record's own strings.
//!
//! ```text
//! offset  size  field
//! 0       8     magic: "CTGUARD\0"
//! 8       1     format version: 1
//! 9       1     kind: 1 generated client, 2 embed!, 3 client!, 4 #[schema]
//! 10      2     payload length N, little-endian (at most MAX_PAYLOAD_LEN)
//! 12      N     payload:
//!                 contract name     u8 length (1..=255) + UTF-8
//!                 crate name        u8 length (1..=255) + UTF-8
//!                 crate version     u8 length (0..=255) + UTF-8
//!                 spec fingerprint  32 bytes (raw SHA-256)
//!                 generator         u8 length (0..=255, 0 = none) + UTF-8, e.g. "progenitor 0.15.1"
//!                 settings flag     u8: 0 = none, 1 = a 32-byte settings fingerprint follows
//! ```
//!
//! Strings are UTF-8 without control characters (a hostile binary cannot put terminal escapes
//! into `inspect`'s output). The payload must be consumed exactly. A reader meeting another
//! format version reports it as unsupported rather than guessing.

use crate::util::hash::Sha256Digest;

/// The 8 bytes every record starts with.
pub const MAGIC: [u8; 8] = *b"CTGUARD\0";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u8 = 1;
/// Bytes before the payload: magic, version, kind, payload length.
pub const HEADER_LEN: usize = MAGIC.len() + 1 + 1 + 2;
/// The longest string field, in bytes.
pub const MAX_FIELD_LEN: usize = u8::MAX as usize;
/// The longest payload: four strings, the spec fingerprint, the settings flag and fingerprint.
pub const MAX_PAYLOAD_LEN: usize = 4 * (1 + MAX_FIELD_LEN) + 32 + 1 + 32;
/// The longest record.
pub const MAX_RECORD_LEN: usize = HEADER_LEN + MAX_PAYLOAD_LEN;

/// Which macro placed a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordKind {
    /// A generated client's guard (`verify_generated!`).
    GeneratedClient,
    /// An explicit `contract_macros::embed!`.
    Embed,
    /// A `contract_macros::client!` use.
    Client,
    /// A `#[contract_macros::schema]` use.
    Schema,
    /// A kind this build does not know (a newer writer); shown as `kind-<n>`.
    Other(u8),
}

impl RecordKind {
    /// The byte written for this kind.
    pub fn to_byte(self) -> u8 {
        match self {
            RecordKind::GeneratedClient => 1,
            RecordKind::Embed => 2,
            RecordKind::Client => 3,
            RecordKind::Schema => 4,
            RecordKind::Other(n) => n,
        }
    }

    /// The kind a byte stands for (0 is invalid).
    pub fn from_byte(byte: u8) -> Option<Self> {
        Some(match byte {
            0 => return None,
            1 => RecordKind::GeneratedClient,
            2 => RecordKind::Embed,
            3 => RecordKind::Client,
            4 => RecordKind::Schema,
            n => RecordKind::Other(n),
        })
    }

    /// How `inspect` names it: `generated`, `embed`, `client`, `schema`, `kind-<n>`.
    pub fn name(self) -> String {
        match self {
            RecordKind::GeneratedClient => "generated".into(),
            RecordKind::Embed => "embed".into(),
            RecordKind::Client => "client".into(),
            RecordKind::Schema => "schema".into(),
            RecordKind::Other(n) => format!("kind-{n}"),
        }
    }
}

/// One embedded record: a contract a crate was built against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Record {
    /// Which macro placed it.
    pub kind: RecordKind,
    /// The contract's name.
    pub contract: String,
    /// The crate that compiled it (`CARGO_PKG_NAME`).
    pub crate_name: String,
    /// That crate's version (`CARGO_PKG_VERSION`).
    pub crate_version: String,
    /// The spec fingerprint the crate was built from.
    pub spec_fingerprint: Sha256Digest,
    /// `name version` of the generator of the client, when there is one.
    pub generator: Option<String>,
    /// Fingerprint of the generator options, when there is a generated client.
    pub settings_fingerprint: Option<Sha256Digest>,
}

/// Why a record cannot be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// A string field is too long, empty where it must not be, or has control characters.
    #[error("record field `{field}` {problem}")]
    Field {
        /// The field.
        field: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
    /// Kind 0 is reserved.
    #[error("record kind 0 is reserved")]
    ReservedKind,
}

/// Why bytes are not a valid record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The bytes do not start with [`MAGIC`].
    #[error("no record magic")]
    BadMagic,
    /// The bytes end before the record does.
    #[error("the record is truncated")]
    Truncated,
    /// A format version this build cannot read.
    #[error(
        "record format version {0} is not supported (this build reads version {FORMAT_VERSION})"
    )]
    UnsupportedVersion(u8),
    /// Kind byte 0.
    #[error("record kind 0 is reserved")]
    ReservedKind,
    /// The declared payload is longer than any valid one.
    #[error("the record declares a {0}-byte payload, more than the {MAX_PAYLOAD_LEN}-byte maximum")]
    PayloadTooLong(usize),
    /// A field is malformed.
    #[error("record field `{field}` {problem}")]
    Field {
        /// The field.
        field: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
    /// The payload has bytes after the last field.
    #[error("the record has {0} unexpected byte(s) after its last field")]
    TrailingBytes(usize),
}

/// Encodes a record.
pub fn encode(record: &Record) -> Result<Vec<u8>, EncodeError> {
    let kind = record.kind.to_byte();
    if kind == 0 {
        return Err(EncodeError::ReservedKind);
    }
    let mut payload = Vec::with_capacity(MAX_PAYLOAD_LEN);
    put_str(&mut payload, "contract", &record.contract, false)?;
    put_str(&mut payload, "crate", &record.crate_name, false)?;
    put_str(&mut payload, "crate-version", &record.crate_version, true)?;
    payload.extend_from_slice(record.spec_fingerprint.as_bytes());
    let generator = record.generator.as_deref().unwrap_or("");
    if record.generator.is_some() && generator.is_empty() {
        return Err(EncodeError::Field {
            field: "generator",
            problem: "is empty (leave it out instead)",
        });
    }
    put_str(&mut payload, "generator", generator, true)?;
    match &record.settings_fingerprint {
        None => payload.push(0),
        Some(digest) => {
            payload.push(1);
            payload.extend_from_slice(digest.as_bytes());
        }
    }
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(&MAGIC);
    out.push(FORMAT_VERSION);
    out.push(kind);
    // At most MAX_PAYLOAD_LEN (1089), so it fits in a u16.
    out.extend_from_slice(&(payload.len() as u16).to_le_bytes());
    out.extend_from_slice(&payload);
    Ok(out)
}

fn put_str(
    out: &mut Vec<u8>,
    field: &'static str,
    value: &str,
    may_be_empty: bool,
) -> Result<(), EncodeError> {
    let problem = check_text(value, may_be_empty);
    if let Some(problem) = problem {
        return Err(EncodeError::Field { field, problem });
    }
    out.push(value.len() as u8);
    out.extend_from_slice(value.as_bytes());
    Ok(())
}

/// What is wrong with a string field's value, if anything.
fn check_text(value: &str, may_be_empty: bool) -> Option<&'static str> {
    if value.len() > MAX_FIELD_LEN {
        Some("is longer than 255 bytes")
    } else if value.is_empty() && !may_be_empty {
        Some("is empty")
    } else if value.chars().any(char::is_control) {
        Some("contains control characters")
    } else {
        None
    }
}

/// Decodes the record at the start of `bytes` (which may continue past it). Returns the record
/// and how many bytes it occupies.
pub fn decode(bytes: &[u8]) -> Result<(Record, usize), DecodeError> {
    if bytes.len() < MAGIC.len() {
        return Err(if MAGIC.starts_with(bytes) {
            DecodeError::Truncated
        } else {
            DecodeError::BadMagic
        });
    }
    if bytes[..MAGIC.len()] != MAGIC {
        return Err(DecodeError::BadMagic);
    }
    let mut header = Cursor {
        bytes: &bytes[MAGIC.len()..],
    };
    let version = header.byte("format version")?;
    if version != FORMAT_VERSION {
        return Err(DecodeError::UnsupportedVersion(version));
    }
    let kind = RecordKind::from_byte(header.byte("kind")?).ok_or(DecodeError::ReservedKind)?;
    let len = header.take(2, "payload length")?;
    let len = usize::from(u16::from_le_bytes([len[0], len[1]]));
    if len > MAX_PAYLOAD_LEN {
        return Err(DecodeError::PayloadTooLong(len));
    }
    let payload = header
        .take(len, "payload")
        .map_err(|_| DecodeError::Truncated)?;
    let mut cursor = Cursor { bytes: payload };
    let contract = cursor.text("contract", false)?;
    let crate_name = cursor.text("crate", false)?;
    let crate_version = cursor.text("crate-version", true)?;
    let spec_fingerprint = cursor.digest("spec-fingerprint")?;
    let generator = cursor.text("generator", true)?;
    let settings_fingerprint = match cursor.byte("settings-fingerprint")? {
        0 => None,
        1 => Some(cursor.digest("settings-fingerprint")?),
        _ => {
            return Err(DecodeError::Field {
                field: "settings-fingerprint",
                problem: "has a presence flag other than 0 or 1",
            });
        }
    };
    if !cursor.bytes.is_empty() {
        return Err(DecodeError::TrailingBytes(cursor.bytes.len()));
    }
    let record = Record {
        kind,
        contract,
        crate_name,
        crate_version,
        spec_fingerprint,
        generator: (!generator.is_empty()).then_some(generator),
        settings_fingerprint,
    };
    Ok((record, HEADER_LEN + len))
}

/// Reads fields from a slice without ever indexing past its end.
struct Cursor<'a> {
    bytes: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], DecodeError> {
        if self.bytes.len() < n {
            return Err(DecodeError::Field {
                field,
                problem: "runs past the end of the record",
            });
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn byte(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        Ok(self.take(1, field)?[0])
    }

    fn digest(&mut self, field: &'static str) -> Result<Sha256Digest, DecodeError> {
        let raw = self.take(32, field)?;
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(raw);
        Ok(Sha256Digest::from_bytes(bytes))
    }

    fn text(&mut self, field: &'static str, may_be_empty: bool) -> Result<String, DecodeError> {
        let len = usize::from(self.byte(field)?);
        let raw = self.take(len, field)?;
        let text = std::str::from_utf8(raw).map_err(|_| DecodeError::Field {
            field,
            problem: "is not UTF-8",
        })?;
        match check_text(text, may_be_empty) {
            Some(problem) => Err(DecodeError::Field { field, problem }),
            None => Ok(text.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            kind: RecordKind::GeneratedClient,
            contract: "petstore".into(),
            crate_name: "petstore-example".into(),
            crate_version: "0.1.0".into(),
            spec_fingerprint: Sha256Digest::of(b"spec"),
            generator: Some("progenitor 0.15.1".into()),
            settings_fingerprint: Some(Sha256Digest::of(b"settings")),
        }
    }

    #[test]
    fn round_trips() {
        let minimal = Record {
            kind: RecordKind::Embed,
            crate_version: String::new(),
            generator: None,
            settings_fingerprint: None,
            ..record()
        };
        let longest = Record {
            kind: RecordKind::Other(200),
            contract: "c".repeat(255),
            crate_name: "n".repeat(255),
            crate_version: "v".repeat(255),
            generator: Some("é".repeat(127)),
            ..record()
        };
        for original in [record(), minimal, longest] {
            let bytes = encode(&original).unwrap();
            assert!(bytes.len() <= MAX_RECORD_LEN);
            let mut padded = bytes.clone();
            padded.extend_from_slice(&[0, 0, 7]);
            let (decoded, len) = decode(&padded).unwrap();
            assert_eq!(decoded, original);
            assert_eq!(len, bytes.len());
        }
    }

    #[test]
    fn layout_is_as_documented() {
        let bytes = encode(&record()).unwrap();
        assert_eq!(&bytes[..8], b"CTGUARD\0");
        assert_eq!(bytes[8], 1, "format version");
        assert_eq!(bytes[9], 1, "kind: generated client");
        let len = u16::from_le_bytes([bytes[10], bytes[11]]) as usize;
        assert_eq!(len, bytes.len() - HEADER_LEN);
        assert_eq!(bytes[12] as usize, "petstore".len());
        assert_eq!(&bytes[13..21], b"petstore");
        // 3 strings + fingerprint + generator + flag + settings
        assert_eq!(len, (1 + 8) + (1 + 16) + (1 + 5) + 32 + (1 + 17) + 1 + 32);
        assert_eq!(bytes[bytes.len() - 33], 1, "settings flag");
    }

    #[test]
    fn encoder_refuses_what_the_decoder_would() {
        let bad = |f: fn(&mut Record)| {
            let mut r = record();
            f(&mut r);
            encode(&r).unwrap_err()
        };
        assert!(matches!(
            bad(|r| r.contract.clear()),
            EncodeError::Field {
                field: "contract",
                ..
            }
        ));
        assert!(matches!(
            bad(|r| r.crate_name = "x".repeat(256)),
            EncodeError::Field { field: "crate", .. }
        ));
        assert!(matches!(
            bad(|r| r.contract = "a\u{1b}[31m".into()),
            EncodeError::Field { .. }
        ));
        assert!(matches!(
            bad(|r| r.generator = Some(String::new())),
            EncodeError::Field {
                field: "generator",
                ..
            }
        ));
        assert_eq!(
            bad(|r| r.kind = RecordKind::Other(0)),
            EncodeError::ReservedKind
        );
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let bytes = encode(&record()).unwrap();
        for end in 0..bytes.len() {
            assert!(
                decode(&bytes[..end]).is_err(),
                "prefix of {end} bytes decoded"
            );
        }
    }

    #[test]
    fn hostile_bytes_are_errors() {
        let good = encode(&record()).unwrap();
        let with = |at: usize, value: u8| {
            let mut b = good.clone();
            b[at] = value;
            decode(&b)
        };
        assert_eq!(decode(b"CTGUARX\0\x01"), Err(DecodeError::BadMagic));
        assert_eq!(with(8, 2).unwrap_err(), DecodeError::UnsupportedVersion(2));
        assert_eq!(with(9, 0).unwrap_err(), DecodeError::ReservedKind);
        // payload length 0xFFFF
        let mut long = good.clone();
        long[10] = 0xff;
        long[11] = 0xff;
        assert_eq!(decode(&long), Err(DecodeError::PayloadTooLong(0xffff)));
        // a string length running past the payload
        assert!(matches!(
            with(12, 250).unwrap_err(),
            DecodeError::Field { .. }
        ));
        // invalid UTF-8 and control characters in the contract name
        assert!(matches!(
            with(13, 0xff).unwrap_err(),
            DecodeError::Field {
                problem: "is not UTF-8",
                ..
            }
        ));
        assert!(matches!(
            with(13, 0x1b).unwrap_err(),
            DecodeError::Field {
                problem: "contains control characters",
                ..
            }
        ));
        // settings flag 2
        let flag = good.len() - 33;
        assert!(matches!(
            with(flag, 2).unwrap_err(),
            DecodeError::Field {
                field: "settings-fingerprint",
                ..
            }
        ));
        // a payload longer than its fields
        let mut trailing = good.clone();
        trailing.push(0);
        let len = (good.len() - HEADER_LEN + 1) as u16;
        trailing[10..12].copy_from_slice(&len.to_le_bytes());
        assert_eq!(decode(&trailing), Err(DecodeError::TrailingBytes(1)));
    }

    #[test]
    fn random_bytes_never_panic_and_never_read_far() {
        // A small deterministic generator (xorshift) keeps the test reproducible without a
        // dependency; 20k inputs of hostile headers followed by noise.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let good = encode(&record()).unwrap();
        for i in 0..20_000 {
            let len = (next() % 1400) as usize;
            let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            if i % 2 == 0 {
                // Keep a valid prefix of varying length so the decoder gets past the magic.
                let keep = (next() as usize % good.len()).min(bytes.len());
                bytes[..keep].copy_from_slice(&good[..keep]);
            }
            if let Ok((_, used)) = decode(&bytes) {
                assert!(used <= MAX_RECORD_LEN && used <= bytes.len());
            }
        }
    }
}
