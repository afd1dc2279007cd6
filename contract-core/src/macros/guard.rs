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
        Err(error) => match error.arg() {
            Some(arg) => Err(syn::Error::new_spanned(
                args.literal(arg),
                crate::error::with_causes(&error),
            )),
            // An earlier macro of this crate reported the moved spec, which fails the build.
            None => Ok(TokenStream::new()),
        },
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

/// A failed guard. Each error but [`GuardError::Reported`] concerns one argument
/// ([`GuardError::arg`]); its message is several lines: what, the evidence, the fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GuardError {
    /// A path argument leaves the workspace or cannot be resolved.
    #[error("path `{written}` {problem}")]
    Path {
        /// `spec` or `file`.
        arg: GuardArg,
        /// The path as written.
        written: String,
        /// Why it is refused.
        problem: &'static str,
    },
    /// The generated file cannot be read as text.
    #[error("cannot read generated client `{file}`")]
    Unreadable {
        /// The file, as written.
        file: String,
        /// Why.
        #[source]
        source: Box<crate::Error>,
    },
    /// The file has no valid provenance header.
    #[error(
        "`{file}` is not a generated client: {reason}\n\
         help: run `cargo contract-guard generate {contract} --force` to regenerate it"
    )]
    NotGenerated {
        /// The file, as written.
        file: String,
        /// What is wrong with its header.
        reason: String,
        /// The contract, for the fix.
        contract: String,
    },
    /// The body no longer hashes to the header's `body-sha256`.
    #[error(
        "generated client `{file}` was edited by hand{}\nhelp: {}",
        edited_at(first_edit.as_ref()),
        advice::hand_edited(contract, file)
    )]
    HandEdited {
        /// The file, as written.
        file: String,
        /// The contract.
        contract: String,
        /// The first edited line and its text, when git holds the file as generated.
        first_edit: Option<(usize, String)>,
    },
    /// The file was generated for another contract.
    #[error(
        "`{file}` was generated for contract `{generated_for}`, not `{contract}`\n\
         help: run `cargo contract-guard generate {contract}`"
    )]
    OtherContract {
        /// The file, as written.
        file: String,
        /// The contract its header names.
        generated_for: String,
        /// The contract the guard names.
        contract: String,
    },
    /// The file was generated from another spec.
    #[error(
        "`{file}` was generated from `{generated_from}`, not `{spec}`\n\
         help: run `cargo contract-guard generate {contract}`"
    )]
    OtherSpec {
        /// The file, as written.
        file: String,
        /// The spec its header names.
        generated_from: String,
        /// The spec the guard names.
        spec: String,
        /// The contract, for the fix.
        contract: String,
    },
    /// The spec cannot be loaded.
    #[error(transparent)]
    Spec(Box<crate::Error>),
    /// The spec's fingerprint is no longer the one the file was generated from.
    #[error(
        "spec `{}` of contract `{}` changed since `{file}` was generated from it\n\
         generated from: {}\n\
         spec now:       {now}\n\
         help: {fix}",
        generated.spec,
        generated.contract,
        generated.spec_fingerprint
    )]
    SpecMoved {
        /// The file, as written.
        file: String,
        /// Its header: the contract, the spec and the fingerprint it was generated from.
        generated: Box<header::Header>,
        /// The spec's fingerprint now.
        now: Sha256Digest,
        /// What to run: `generate` when the lock already pins `now`, else `update`.
        fix: String,
    },
    /// The spec moved and an earlier macro of this crate's compilation reported it: the crate
    /// fails with that error, the guard adds none.
    #[error("the spec moved from its pin (reported above)")]
    Reported,
}

impl GuardError {
    /// The argument the error concerns (`None` for [`GuardError::Reported`]).
    pub fn arg(&self) -> Option<GuardArg> {
        Some(match self {
            GuardError::Path { arg, .. } => *arg,
            GuardError::Unreadable { .. }
            | GuardError::NotGenerated { .. }
            | GuardError::HandEdited { .. } => GuardArg::File,
            GuardError::OtherContract { .. } => GuardArg::Contract,
            GuardError::OtherSpec { .. } | GuardError::Spec(_) | GuardError::SpecMoved { .. } => {
                GuardArg::Spec
            }
            GuardError::Reported => return None,
        })
    }
}

/// Where a hand edit is, for [`GuardError::HandEdited`].
fn edited_at(first_edit: Option<&(usize, String)>) -> String {
    match first_edit {
        Some((line, text)) => format!(" at line {line}:\n{line:>5} | {text}"),
        None => ": its body no longer matches the body-sha256 in its header \
                 (`cargo contract-guard check` shows the edit as a diff)"
            .to_string(),
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
    let sandbox = crate::macros::locate::find_crate(crate_dir)
        .map_or_else(|| crate_dir.to_path_buf(), |k| k.root);
    let inside = |arg, written: &str| {
        paths::resolve_inside(&sandbox, crate_dir, written).map_err(|p| GuardError::Path {
            arg,
            written: written.to_string(),
            problem: p.describe(),
        })
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
        .map_err(|source| GuardError::Unreadable {
            file: file_rel.to_string(),
            source: Box::new(source),
        })?;
    let (found, body) = header::split(&text).map_err(|e| GuardError::NotGenerated {
        file: file_rel.to_string(),
        reason: e.to_string(),
        contract: contract.to_string(),
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
        return Err(GuardError::OtherContract {
            file: file_rel.to_string(),
            generated_for: found.contract,
            contract: contract.to_string(),
        });
    }
    if found.spec != spec_rel {
        return Err(GuardError::OtherSpec {
            file: file_rel.to_string(),
            generated_from: found.spec,
            spec: spec_rel.to_string(),
            contract: contract.to_string(),
        });
    }
    let loaded = spec::load_in(&spec_path, &sandbox).map_err(|e| GuardError::Spec(Box::new(e)))?;
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
    GuardError::HandEdited {
        file: file_rel.to_string(),
        contract: contract.to_string(),
        first_edit: committed::first_edit(file_path, text, body_sha256)
            .map(|edit| (edit.line, edit.text)),
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
    let contract = &found.contract;
    if !crate::macros::reported::first_report(contract, &paths::normalize(spec_path), now) {
        return GuardError::Reported;
    }
    // Re-pinned already (`lock`) but not regenerated: only `generate` is left to do.
    let fix = if pinned_fingerprint(crate_dir, contract) == Some(now) {
        advice::regenerate(contract)
    } else {
        advice::spec_moved(contract)
    };
    GuardError::SpecMoved {
        file: file_rel.to_string(),
        generated: Box::new(found.clone()),
        now,
        fix,
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

    /// The argument a failure concerns, and its message as the macro shows it.
    fn at(error: GuardError) -> (GuardArg, String) {
        let arg = error.arg().expect("not reported");
        (arg, crate::error::with_causes(&error))
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
        let (arg, message) = at(check(
            "other",
            "specs/petstore.yaml",
            "src/generated/petstore.rs",
        ));
        assert_eq!(arg, GuardArg::Contract);
        assert!(
            message.starts_with(
                "`src/generated/petstore.rs` was generated for contract `petstore`, not `other`"
            ),
            "{message}"
        );
        let (arg, message) = at(check(
            "petstore",
            "specs/other.yaml",
            "src/generated/petstore.rs",
        ));
        assert_eq!(arg, GuardArg::Spec);
        assert!(
            message.contains("was generated from `specs/petstore.yaml`, not `specs/other.yaml`"),
            "{message}"
        );
        let (arg, message) = at(check("petstore", "specs/petstore.yaml", "src/missing.rs"));
        assert_eq!(arg, GuardArg::File);
        assert!(
            message.starts_with("cannot read generated client `src/missing.rs`: could not read `"),
            "{message}"
        );
        // The cause chain is shown once, the I/O error last.
        assert_eq!(message.matches("could not read").count(), 1, "{message}");
        assert_eq!(message.matches("(os error 2)").count(), 1, "{message}");
        assert!(message.ends_with("(os error 2)"), "{message}");
        let (arg, message) = at(check(
            "petstore",
            "specs/petstore.yaml",
            "../../../outside.rs",
        ));
        assert_eq!(arg, GuardArg::File);
        assert!(
            message.starts_with("path `../../../outside.rs` "),
            "{message}"
        );
    }
}
