//! `contract_macros::client!(contract = "…")`: a progenitor client generated at compile time,
//! only from the contract's pinned spec, through the same pipeline as
//! `cargo contract-guard generate`.
//!
//! The expansion is cached under the target directory ([`crate::macros::client_cache`]) and
//! expands to `include!("<verified cache entry>")`: rustc then reads the code from the file
//! with its own parser, instead of receiving millions of tokens from the macro one by one.
//! Without a target directory (or when the entry cannot be written) the macro expands to the
//! code's tokens, lexed by rustc from the text in one call.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use proc_macro2::{Span, TokenStream};
use syn::LitStr;

use crate::macros::client_cache::{CacheKey, ClientCache, Lookup, SpecIdentity};
use crate::macros::locate::{self, Located, MacroEnv};
use crate::spec::LoadedSpec;

/// What `client!` expanded to, and what its cache did.
#[derive(Debug)]
pub struct ClientExpansion {
    /// The expansion (a compile error when the macro failed).
    pub tokens: TokenStream,
    /// What the cache did.
    pub cache: CacheOutcome,
    /// The contract's name, as written in the invocation (empty when it could not be read).
    pub contract: String,
}

impl ClientExpansion {
    /// A line for the build's output when the cache did something a user should know: a proc
    /// macro cannot emit warnings on stable Rust, but cargo shows what rustc prints on stderr.
    pub fn note(&self) -> Option<String> {
        let invocation = format!("client!(contract = \"{}\")", self.contract);
        match &self.cache {
            CacheOutcome::Replaced { path, reason } => Some(format!(
                "note: `{invocation}`: refused the cached expansion `{}`: {reason}; generated it again",
                path.display()
            )),
            CacheOutcome::Unwritable { path, error } => Some(format!(
                "note: `{invocation}`: cannot write the cached expansion `{}`: {error}; expanded without the cache",
                path.display()
            )),
            _ => None,
        }
    }
}

/// What the cache of `client!` did for one expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheOutcome {
    /// Not used: no target directory was found, or the expansion failed before the cache.
    Off,
    /// A verified entry was used; nothing was generated.
    Hit(PathBuf),
    /// The client was generated and stored.
    Stored(PathBuf),
    /// An entry failed its check: it was not used, and the client was generated again and
    /// stored in its place.
    Replaced {
        /// The entry.
        path: PathBuf,
        /// Why it was refused.
        reason: String,
    },
    /// The client was generated but could not be stored; it was expanded without the cache.
    Unwritable {
        /// The entry.
        path: PathBuf,
        /// Why, with its causes.
        error: String,
    },
}

/// Expands `client!(contract = "…")`.
pub fn expand(input: TokenStream, env: &MacroEnv) -> TokenStream {
    expand_reporting(input, env).tokens
}

/// [`expand`], with what the cache did.
pub fn expand_reporting(input: TokenStream, env: &MacroEnv) -> ClientExpansion {
    let mut name = String::new();
    run(input, env, &mut name).unwrap_or_else(|error| ClientExpansion {
        tokens: error.into_compile_error(),
        cache: CacheOutcome::Off,
        contract: name,
    })
}

fn parse_contract(input: TokenStream) -> syn::Result<LitStr> {
    let mut contract: Option<LitStr> = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("contract") {
            contract = Some(meta.value()?.parse()?);
            Ok(())
        } else {
            Err(meta.error("unknown argument; expected `contract = \"<name>\"` (options come from the contract's Cargo.toml table)"))
        }
    });
    syn::parse::Parser::parse2(parser, input)?;
    contract.ok_or_else(|| syn::Error::new(Span::call_site(), "missing `contract = \"<name>\"`"))
}

fn run(input: TokenStream, env: &MacroEnv, name: &mut String) -> syn::Result<ClientExpansion> {
    let contract = parse_contract(input)?;
    *name = contract.value();
    let krate = env.find_crate()?;
    let located =
        locate::locate(&krate, &contract.value()).map_err(|error| error.to_syn(&contract))?;
    let cache = env
        .target_dir(&krate)
        .map(|dir| ClientCache::in_target_dir(&dir));
    let Some((spec, identity)) = pinned_spec(&located, cache.is_some(), &contract)? else {
        // Reported by an earlier macro of this crate, which fails the build.
        return Ok(ClientExpansion {
            tokens: TokenStream::new(),
            cache: CacheOutcome::Off,
            contract: name.clone(),
        });
    };
    let mut tracked: Vec<PathBuf> = match &spec {
        Some(spec) => spec.files(),
        None => vec![located.contract.spec_path.clone()],
    };
    tracked.extend(located.pin_files());
    let key = CacheKey::new(&identity, &located.contract.settings);
    let (code, cache) = match cache {
        Some(cache) => cached_code(&cache, &key, &located, spec, &tracked, &contract)?,
        None => (
            Code::Text(generate(&located, spec, &contract)?),
            CacheOutcome::Off,
        ),
    };
    let code = code.into_tokens(&contract, env.source_file.as_deref())?;
    let tracking = env.tracking(&krate, &tracked);
    let record = crate::gates::record::emit::pinned_record(
        crate::gates::record::RecordKind::Client,
        &located.contract.name,
        identity.fingerprint,
        contract.span(),
    )?;
    Ok(ClientExpansion {
        tokens: quote::quote!(#code #tracking #record),
        cache,
        contract: name.clone(),
    })
}

/// The pinned spec's identity, and the spec itself when it was loaded: a cache lookup takes the
/// identity from the pin when the spec's bytes are the pinned ones, without parsing them.
/// `None` when the spec moved from its pin and an earlier macro of the crate reported it.
fn pinned_spec(
    located: &Located,
    cached: bool,
    contract: &LitStr,
) -> syn::Result<Option<(Option<Arc<LoadedSpec>>, SpecIdentity)>> {
    if cached && let Some(entry) = locate::pinned_single_file(located) {
        return Ok(Some((None, SpecIdentity::pinned_single_file(entry))));
    }
    match locate::load_pinned(located, crate::spec::Reading::Whole, None) {
        Ok(spec) => {
            let identity = SpecIdentity::of(&spec);
            Ok(Some((Some(spec), identity)))
        }
        Err(error) => error.to_syn(contract).map_or(Ok(None), Err),
    }
}

/// The client's code: a verified cache entry, or its text.
enum Code {
    /// A verified cache entry.
    Entry(PathBuf),
    /// The formatted code.
    Text(String),
}

impl Code {
    /// `include!("<entry>")`, or the text's tokens (lexed by rustc in one call).
    fn into_tokens(
        self,
        contract: &LitStr,
        source_file: Option<&Path>,
    ) -> syn::Result<TokenStream> {
        let text = match self {
            Code::Entry(path) => match include_path(&path, source_file) {
                Some(path) => {
                    let path = LitStr::new(&path, Span::call_site());
                    return Ok(quote::quote!(include!(#path);));
                }
                // `include!` takes a string; a path that is not one is read back instead.
                None => crate::util::fsio::read_bounded(&path, crate::util::fsio::MAX_TEXT_BYTES)
                    .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                    .map_err(|e| {
                        syn::Error::new_spanned(contract, crate::error::with_causes(&e))
                    })?,
            },
            Code::Text(text) => text,
        };
        text.parse().map_err(|e| {
            syn::Error::new_spanned(
                contract,
                format!("the generated client is not valid Rust: {e}"),
            )
        })
    }
}

/// How `include!`, written in `source_file`, names `entry`: relative to the file's directory
/// when that path leads to the entry (so the names rustc records for the code, in panic
/// locations, do not hold the absolute path of the target directory), else absolute; `None`
/// when the path is not a string.
fn include_path(entry: &Path, source_file: Option<&Path>) -> Option<String> {
    let relative = source_file
        .and_then(|file| std::path::absolute(file).ok())
        .and_then(|file| {
            let dir = file.parent()?;
            let relative = crate::util::paths::relative_slash(dir, entry);
            let same = std::fs::canonicalize(dir.join(&relative)).ok()?
                == std::fs::canonicalize(entry).ok()?;
            same.then_some(relative)
        });
    relative.or_else(|| entry.to_str().map(str::to_string))
}

/// The code for `key` from `cache`, generated and stored when the cache has no verified entry.
fn cached_code(
    cache: &ClientCache,
    key: &CacheKey,
    located: &Located,
    spec: Option<Arc<LoadedSpec>>,
    tracked: &[PathBuf],
    contract: &LitStr,
) -> syn::Result<(Code, CacheOutcome)> {
    let refused = match cache.lookup(key) {
        Lookup::Hit(path) => return Ok((Code::Entry(path.clone()), CacheOutcome::Hit(path))),
        Lookup::Missing => None,
        Lookup::Refused { reason, .. } => Some(reason),
    };
    let text = generate(located, spec, contract)?;
    Ok(
        match cache.store(key, &text, newest_modification(tracked)) {
            Ok(path) => {
                let outcome = match refused {
                    Some(reason) => CacheOutcome::Replaced {
                        path: path.clone(),
                        reason,
                    },
                    None => CacheOutcome::Stored(path.clone()),
                };
                (Code::Entry(path), outcome)
            }
            Err(error) => (
                Code::Text(text),
                CacheOutcome::Unwritable {
                    path: cache.entry_path(key),
                    error: crate::error::with_causes(&error),
                },
            ),
        },
    )
}

/// Generates the client's code (the spec loaded and checked against its pin if it was not yet),
/// formatted so that a compiler message pointing into a cache entry points at a readable line.
fn generate(
    located: &Located,
    spec: Option<Arc<LoadedSpec>>,
    contract: &LitStr,
) -> syn::Result<String> {
    let spec = match spec {
        Some(spec) => spec,
        None => {
            locate::load_pinned(located, crate::spec::Reading::Whole, None).map_err(|error| {
                error.to_syn(contract).unwrap_or_else(|| {
                    syn::Error::new_spanned(
                        contract,
                        "the spec moved from its pin (reported above)",
                    )
                })
            })?
        }
    };
    let code = crate::codegen::generate_client(&located.contract, &spec)
        .map_err(|e| syn::Error::new_spanned(contract, crate::error::with_causes(&e)))?;
    // The items alone, as the expansion always was: `include!` takes no inner attributes.
    let mut file = code.file;
    file.shebang = None;
    file.attrs.clear();
    Ok(prettyplease::unparse(&file))
}

/// The newest modification time among `files` (the inputs of an expansion).
fn newest_modification(files: &[PathBuf]) -> Option<SystemTime> {
    files
        .iter()
        .filter_map(|file: &PathBuf| std::fs::metadata(Path::new(file)).ok()?.modified().ok())
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::lock::{LockEntry, LockFile};

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /items/{id}:\n    get:\n      operationId: getItem\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}\ncomponents:\n  schemas:\n    Item: {type: object, properties: {id: {type: integer}, name: {type: string}}}\n";

    /// A crate with contract `api` pinned at `spec`, with `options` in its table, and a target
    /// directory cargo made (it holds the tag) where rustc's `--out-dir` says.
    fn project(options: &str, spec: &str) -> (tempfile::TempDir, MacroEnv) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::create_dir_all(root.join("target/debug/deps")).unwrap();
        std::fs::write(
            root.join("target/CACHEDIR.TAG"),
            "Signature: 8a477f597d28d172789f06886806bc55\n",
        )
        .unwrap();
        write_manifest(root, options);
        std::fs::write(root.join("api.yaml"), spec).unwrap();
        pin(root);
        let env = MacroEnv {
            source_file: Some(root.join("src/lib.rs")),
            out_dir: Some(root.join("target/debug/deps")),
            ..MacroEnv::default()
        };
        (dir, env)
    }

    fn write_manifest(root: &Path, options: &str) {
        std::fs::write(
            root.join("Cargo.toml"),
            format!("[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[package.metadata.contract-guard.contracts.api]\nspec = \"api.yaml\"\n{options}\n[workspace]\n"),
        )
        .unwrap();
    }

    fn pin(root: &Path) {
        let krate = locate::find_crate(&root.join("src/lib.rs")).unwrap();
        let located = locate::locate(&krate, "api").unwrap();
        let spec = located.contract.load_spec().unwrap();
        let mut lock = LockFile::default();
        lock.upsert(LockEntry::pin(&located.contract, &spec, None));
        lock.write(&located.lock_path).unwrap();
    }

    fn expand_api(env: &MacroEnv) -> ClientExpansion {
        expand_reporting(quote::quote!(contract = "api"), env)
    }

    #[test]
    fn the_second_expansion_comes_from_the_cache_without_generating() {
        let (_dir, env) = project("", SPEC);
        let first = expand_api(&env);
        let CacheOutcome::Stored(entry) = &first.cache else {
            panic!("not stored: {:?}\n{}", first.cache, first.tokens);
        };
        let tokens = first.tokens.to_string();
        // Relative to the invoking file, so binaries do not record where the target directory is.
        let relative = format!(
            "../target/contract-guard/clients/{}",
            entry.file_name().unwrap().to_str().unwrap()
        );
        assert!(
            tokens.starts_with(&format!("include ! ({relative:?})")),
            "{tokens}"
        );
        assert!(
            std::fs::read_to_string(entry)
                .unwrap()
                .contains("pub struct Client")
        );
        // The pin and the spec are still tracked, so cargo reruns the macro when they change.
        assert!(
            tokens.contains("api.yaml") && tokens.contains("contract-guard.lock"),
            "{tokens}"
        );
        let second = expand_api(&env);
        assert_eq!(second.cache, CacheOutcome::Hit(entry.clone()));
        assert_eq!(second.note(), None);
    }

    #[test]
    fn another_option_or_other_spec_bytes_miss_the_cache() {
        let (dir, env) = project("", SPEC);
        let CacheOutcome::Stored(first) = expand_api(&env).cache else {
            panic!("not stored");
        };
        // Another generator option: another key.
        write_manifest(dir.path(), "interface = \"builder\"\n");
        let builder = expand_api(&env);
        let CacheOutcome::Stored(second) = &builder.cache else {
            panic!("an option change hit the cache: {:?}", builder.cache);
        };
        assert_ne!(&first, second);
        // Same document (same fingerprint, pin still valid), keys in another order: the
        // generated code follows the order, so it is another key too.
        let reordered = SPEC.replace("{title: t, version: '1'}", "{version: '1', title: t}");
        std::fs::write(dir.path().join("api.yaml"), reordered).unwrap();
        let third = expand_api(&env);
        let CacheOutcome::Stored(third) = &third.cache else {
            panic!(
                "other bytes hit the cache: {:?}\n{}",
                third.cache, third.tokens
            );
        };
        assert!(third != &first && third != second);
    }

    #[test]
    fn a_tampered_entry_is_refused_and_generated_again() {
        let (_dir, env) = project("", SPEC);
        let CacheOutcome::Stored(entry) = expand_api(&env).cache else {
            panic!("not stored");
        };
        let whole = std::fs::read_to_string(&entry).unwrap();
        let tampered = whole.replace("pub struct Client", "pub struct Evil");
        for (what, text) in [
            ("edited", tampered.as_str()),
            ("truncated", &whole[..whole.len() / 2]),
        ] {
            std::fs::write(&entry, text).unwrap();
            let expansion = expand_api(&env);
            match &expansion.cache {
                CacheOutcome::Replaced { path, reason } => {
                    assert_eq!(path, &entry);
                    assert!(
                        reason.contains("does not match the digest"),
                        "{what}: {reason}"
                    );
                }
                other => panic!("the {what} entry was not refused: {other:?}"),
            }
            assert_eq!(std::fs::read_to_string(&entry).unwrap(), whole, "{what}");
            let note = expansion.note().unwrap();
            assert!(
                note.starts_with(
                    "note: `client!(contract = \"api\")`: refused the cached expansion"
                ),
                "{note}"
            );
        }
    }

    #[test]
    fn without_a_target_directory_the_client_is_expanded_as_tokens() {
        let (dir, mut env) = project("", SPEC);
        std::fs::remove_file(dir.path().join("target/CACHEDIR.TAG")).unwrap();
        env.out_dir = None;
        let expansion = expand_api(&env);
        assert_eq!(expansion.cache, CacheOutcome::Off);
        let tokens = expansion.tokens.to_string();
        assert!(tokens.contains("pub struct Client"), "{tokens}");
        assert!(!dir.path().join("target/contract-guard").exists());
    }

    #[test]
    fn an_unwritable_cache_still_expands_and_says_so() {
        let (dir, env) = project("", SPEC);
        // A file where the cache directory should be.
        std::fs::create_dir_all(dir.path().join("target/contract-guard")).unwrap();
        std::fs::write(dir.path().join("target/contract-guard/clients"), "").unwrap();
        let expansion = expand_api(&env);
        assert!(
            matches!(expansion.cache, CacheOutcome::Unwritable { .. }),
            "{:?}",
            expansion.cache
        );
        assert!(expansion.tokens.to_string().contains("pub struct Client"));
        let note = expansion.note().unwrap();
        assert!(note.contains("cannot write the cached expansion"), "{note}");
        assert!(note.ends_with("expanded without the cache"), "{note}");
    }

    /// `client!` runs the generator inside rustc, where a stack overflow crashed the compiler
    /// (SIGSEGV): a contract whose schemas merge into themselves is a compile error instead.
    #[test]
    fn a_contract_the_generator_would_recurse_on_is_an_error() {
        let env = crate::macros::ui_fixture_env();
        let output = expand(quote::quote!(contract = "cycle"), &env).to_string();
        assert!(output.contains("compile_error"), "{output}");
        assert!(
            output.contains("cannot generate contract `schema-fixtures/cycle`"),
            "{output}"
        );
        assert!(
            output.contains("schema `A` includes itself through `allOf` (`A` → `B` → `A`)"),
            "{output}"
        );
    }
}
