//! The compile-time guard a generated client carries (`contract_macros::verify_generated!`):
//! the file must still hash to its header's body hash, and the spec must still have the
//! fingerprint the code was generated from. Messages name the file, both fingerprints and the
//! command that fixes it. A moved spec is reported once per crate (see [`crate::macros::reported`]); a
//! hand edit is named by its line when git holds the file as generated.

mod args;
mod committed;

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};

use crate::codegen::header;
use crate::gates::record::emit::generated_client_record;
use crate::macros::locate::{MacroEnv, track_files};
use crate::report::advice;
use crate::spec;
use crate::util::hash::Sha256Digest;
use crate::util::paths;

/// Expands `verify_generated! { contract = "…", spec = "…", file = "…" }`: nothing but rebuild
/// tracking and the client's record when the file and its spec are as generated; else a
/// compile error at the argument concerned.
pub fn expand(input: TokenStream, env: &MacroEnv) -> syn::Result<TokenStream> {
    let args: args::GuardArgs = syn::parse2(input)?;
    let crate_dir = env.manifest_dir.as_deref().ok_or_else(|| {
        syn::Error::new(
            Span::call_site(),
            "CARGO_MANIFEST_DIR is not set; build with cargo",
        )
    })?;
    match verify_generated(
        crate_dir,
        &args.contract.value(),
        &args.spec.value(),
        &args.file.value(),
    ) {
        Ok(ok) => {
            // Rebuild when the spec (or a file it references) changes.
            let track = track_files(&ok.files);
            let record = generated_client_record(&ok.header, args.contract.span())?;
            Ok(quote::quote! {
                #track
                #record
            })
        }
        // An earlier macro of this crate reported the moved spec, which fails the build.
        Err(GuardError::Reported) => Ok(TokenStream::new()),
        Err(GuardError::At { arg, message }) => {
            Err(syn::Error::new_spanned(args.literal(arg), message))
        }
    }
}

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
pub enum GuardError {
    /// An error to report.
    At {
        /// The argument to point at.
        arg: GuardArg,
        /// The full message (several lines: what, the evidence, the fix).
        message: String,
    },
    /// The spec moved and an earlier macro of this crate's compilation reported it: the crate
    /// fails with that error, the guard adds none.
    Reported,
}

impl std::fmt::Display for GuardError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GuardError::At { message, .. } => f.write_str(message),
            GuardError::Reported => f.write_str("the spec moved from its pin (reported above)"),
        }
    }
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
    let fail = |arg, message: String| GuardError::At { arg, message };
    let sandbox = crate::macros::locate::find_crate(crate_dir)
        .map_or_else(|| crate_dir.to_path_buf(), |k| k.root);
    let inside = |arg, written: &str| {
        paths::resolve_inside(&sandbox, crate_dir, written)
            .map_err(|p| fail(arg, format!("path `{written}` {}", p.describe())))
    };
    let file_path = inside(GuardArg::File, file_rel)?;
    let spec_path = inside(GuardArg::Spec, spec_rel)?;
    let text = crate::util::fsio::read_bounded(&file_path, crate::util::fsio::MAX_TEXT_BYTES)
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
        return Err(hand_edited(
            &file_path,
            &text,
            found.body_sha256,
            contract,
            file_rel,
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
        return Err(spec_moved(
            crate_dir,
            &found,
            loaded.fingerprint,
            &spec_path,
            file_rel,
        ));
    }
    Ok(GuardOk {
        files: loaded.files(),
        header: found,
    })
}

/// A body that no longer hashes to its header's `body-sha256`: the error names the first
/// edited line when git holds the file as generated.
fn hand_edited(
    file_path: &Path,
    text: &str,
    body_sha256: Sha256Digest,
    contract: &str,
    file_rel: &str,
) -> GuardError {
    let what = match committed::first_edit(file_path, text, body_sha256) {
        Some(edit) => format!(" at line {}:\n{:>5} | {}", edit.line, edit.line, edit.text),
        None => ": its body no longer matches the body-sha256 in its header \
                 (`cargo contract-guard check` shows the edit as a diff)"
            .to_string(),
    };
    GuardError::At {
        arg: GuardArg::File,
        message: format!(
            "generated client `{file_rel}` was edited by hand{what}\nhelp: {}",
            advice::hand_edited(contract, file_rel)
        ),
    }
}

/// A spec whose fingerprint is no longer the one the file was generated from (`found`'s):
/// reported once per crate.
fn spec_moved(
    crate_dir: &Path,
    found: &header::Header,
    now: Sha256Digest,
    spec_path: &Path,
    file_rel: &str,
) -> GuardError {
    let (contract, spec_rel) = (&found.contract, &found.spec);
    if !crate::macros::reported::first_report(contract, &paths::normalize(spec_path), now) {
        return GuardError::Reported;
    }
    // Re-pinned already (`lock`) but not regenerated: only `generate` is left to do.
    let fix = if pinned_fingerprint(crate_dir, contract) == Some(now) {
        advice::regenerate(contract)
    } else {
        advice::spec_moved(contract)
    };
    GuardError::At {
        arg: GuardArg::Spec,
        message: format!(
            "spec `{spec_rel}` of contract `{contract}` changed since `{file_rel}` was generated from it\n\
             generated from: {}\n\
             spec now:       {now}\n\
             help: {fix}",
            found.spec_fingerprint
        ),
    }
}

/// The fingerprint the lock pins for `contract`, as the crate at `crate_dir` declares it.
fn pinned_fingerprint(crate_dir: &Path, contract: &str) -> Option<Sha256Digest> {
    let krate = crate::macros::locate::find_crate(crate_dir)?;
    let located = crate::macros::locate::locate(&krate, contract).ok()?;
    located.entry.map(|entry| entry.fingerprint)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    /// Where the guard of `examples/petstore`'s generated client runs.
    fn petstore_env() -> MacroEnv {
        MacroEnv {
            manifest_dir: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/petstore")),
            ..MacroEnv::default()
        }
    }

    fn error(input: TokenStream, env: &MacroEnv) -> String {
        expand(input, env).expect_err("an error").to_string()
    }

    #[test]
    fn a_client_as_generated_embeds_its_record_and_tracks_its_spec() {
        let out = expand(
            quote!(
                contract = "petstore",
                spec = "specs/petstore.yaml",
                file = "src/generated/petstore.rs",
            ),
            &petstore_env(),
        )
        .unwrap()
        .to_string();
        assert!(out.contains("static CONTRACT_GUARD_RECORD"), "{out}");
        assert_eq!(out.matches("include_bytes !").count(), 1, "{out}");
        assert!(out.contains("specs/petstore.yaml\""), "{out}");
    }

    #[test]
    fn arguments_are_checked_before_anything_is_read() {
        let env = petstore_env();
        assert_eq!(
            error(quote!(contract = "a", kind = "b"), &env),
            "unknown argument `kind`; expected `contract`, `spec` or `file`"
        );
        assert_eq!(
            error(quote!(contract = "a", contract = "b"), &env),
            "duplicate argument"
        );
        assert_eq!(
            error(quote!(contract = "a", spec = "s.yaml"), &env),
            "missing argument `file = \"…\"`"
        );
        assert_eq!(error(quote!(contract = a), &env), "expected string literal");
        assert_eq!(
            error(
                quote!(contract = "a", spec = "s.yaml", file = "f.rs"),
                &MacroEnv::default()
            ),
            "CARGO_MANIFEST_DIR is not set; build with cargo"
        );
    }

    #[test]
    fn failures_name_the_argument_they_concern() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/petstore");
        let check = |contract: &str, spec: &str, file: &str| {
            verify_generated(&dir, contract, spec, file).expect_err("a failure")
        };
        let GuardError::At { arg, message } =
            check("other", "specs/petstore.yaml", "src/generated/petstore.rs")
        else {
            panic!("reported")
        };
        assert_eq!(arg, GuardArg::Contract);
        assert!(
            message.starts_with(
                "`src/generated/petstore.rs` was generated for contract `petstore`, not `other`"
            ),
            "{message}"
        );
        let GuardError::At { arg, message } =
            check("petstore", "specs/other.yaml", "src/generated/petstore.rs")
        else {
            panic!("reported")
        };
        assert_eq!(arg, GuardArg::Spec);
        assert!(
            message.contains("was generated from `specs/petstore.yaml`, not `specs/other.yaml`"),
            "{message}"
        );
        let GuardError::At { arg, message } =
            check("petstore", "specs/petstore.yaml", "src/missing.rs")
        else {
            panic!("reported")
        };
        assert_eq!(arg, GuardArg::File);
        assert!(
            message.starts_with("cannot read generated client `src/missing.rs`"),
            "{message}"
        );
        let GuardError::At { arg, message } =
            check("petstore", "specs/petstore.yaml", "../../../outside.rs")
        else {
            panic!("reported")
        };
        assert_eq!(arg, GuardArg::File);
        assert!(
            message.starts_with("path `../../../outside.rs` "),
            "{message}"
        );
    }
}
