//! The compile-time guard a generated client carries (`contract_macros::verify_generated!`):
//! the file must still hash to its header's body hash, and the spec must still have the
//! fingerprint the code was generated from. Messages name the file, both fingerprints and the
//! command that fixes it.

use std::path::{Path, PathBuf};

use crate::generate::header;
use crate::{paths, spec};

/// Which argument of the guard a failure concerns, so the macro can point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardArg {
    /// `contract = "…"`.
    Contract,
    /// `spec = "…"`.
    Spec,
    /// `file = "…"`.
    File,
}

/// A failed guard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuardError {
    /// The argument to point at.
    pub arg: GuardArg,
    /// The full message (several lines: what, the evidence, the fix).
    pub message: String,
}

/// What a passing guard tracks for recompilation.
#[derive(Debug, Clone)]
pub struct GuardOk {
    /// Absolute paths of the spec and every file it references (cargo must rebuild when one
    /// of them changes).
    pub files: Vec<PathBuf>,
    /// The verified header (what the client's embedded record says).
    pub header: header::Header,
}

/// Verifies a generated file. Paths are relative to `crate_dir` and must stay inside its
/// workspace, as written and as resolved ([`paths::resolve_inside`]).
pub fn verify_generated(
    crate_dir: &Path,
    contract: &str,
    spec_rel: &str,
    file_rel: &str,
) -> Result<GuardOk, GuardError> {
    let fail = |arg, message: String| GuardError { arg, message };
    let sandbox =
        crate::locate::find_crate(crate_dir).map_or_else(|| crate_dir.to_path_buf(), |k| k.root);
    let inside = |arg, written: &str| {
        paths::resolve_inside(&sandbox, crate_dir, written)
            .map_err(|p| fail(arg, format!("path `{written}` {}", p.describe())))
    };
    let file_path = inside(GuardArg::File, file_rel)?;
    let spec_path = inside(GuardArg::Spec, spec_rel)?;
    let text = crate::fsio::read_bounded(&file_path, crate::fsio::MAX_TEXT_BYTES)
        .and_then(|bytes| {
            String::from_utf8(bytes).map_err(|e| {
                crate::Error::io(
                    "read",
                    &file_path,
                    std::io::Error::new(std::io::ErrorKind::InvalidData, e),
                )
            })
        })
        .map_err(|e| {
            fail(
                GuardArg::File,
                format!("cannot read generated client `{file_rel}`: {e}"),
            )
        })?;
    let (found, body) = header::split(&text).map_err(|e| {
        fail(
            GuardArg::File,
            format!(
                "`{file_rel}` is not a generated client: {e}\n\
                 help: run `cargo contract-guard generate {contract} --force` to regenerate it"
            ),
        )
    })?;
    if header::body_hash(body) != found.body_sha256 {
        return Err(fail(
            GuardArg::File,
            format!(
                "generated client `{file_rel}` was edited by hand: its body no longer matches the \
                 body-sha256 in its header\n\
                 help: move the change into the spec or the generator options, then run \
                 `cargo contract-guard generate {contract}`; `--force` regenerates and keeps the \
                 edited file as `{file_rel}.orig`"
            ),
        ));
    }
    if found.contract != contract {
        return Err(fail(
            GuardArg::Contract,
            format!(
                "`{file_rel}` was generated for contract `{}`, not `{contract}`\n\
                 help: run `cargo contract-guard generate {contract}`",
                found.contract
            ),
        ));
    }
    if found.spec != spec_rel {
        return Err(fail(
            GuardArg::Spec,
            format!(
                "`{file_rel}` was generated from `{}`, not `{spec_rel}`\n\
                 help: run `cargo contract-guard generate {contract}`",
                found.spec
            ),
        ));
    }
    let loaded =
        spec::load_in(&spec_path, &sandbox).map_err(|e| fail(GuardArg::Spec, e.to_string()))?;
    if loaded.fingerprint != found.spec_fingerprint {
        return Err(fail(
            GuardArg::Spec,
            format!(
                "spec `{spec_rel}` of contract `{contract}` changed since `{file_rel}` was generated from it\n\
                 generated from: {}\n\
                 spec now:       {}\n\
                 help: review the change, then run `cargo contract-guard lock` and \
                 `cargo contract-guard generate {contract}`",
                found.spec_fingerprint, loaded.fingerprint
            ),
        ));
    }
    Ok(GuardOk {
        files: loaded.files(),
        header: found,
    })
}
