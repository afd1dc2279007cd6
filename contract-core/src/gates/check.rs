//! The drift gate behind `cargo contract-guard check`: for every selected contract, find
//! every way its spec, pin and generated client disagree. The default check reads and hashes
//! files only; `deep` also regenerates each client in memory and compares bytes.

use crate::codegen::header::{self, Header};
use crate::error::Error;
use crate::project::contract::{Contract, Output};
use crate::project::lock::{LockEntry, LockFile};
use crate::project::workspace::{Selection, Workspace};
use crate::report::text_diff;
use crate::spec::{self, LoadedSpec};
use crate::util::fsio;
use crate::util::hash::Sha256Digest;

mod artifacts;
mod cross_crate;
mod degraded;

/// The kinds of drift, with stable kebab-case ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    /// The spec's fingerprint differs from the lock.
    SpecChanged,
    /// The generated file was made from another spec, other options, or another generator.
    StaleGenerated,
    /// The generated file's body no longer matches its header hash, or its header is broken.
    HandEdited,
    /// The contract declares an output that does not exist.
    MissingOutput,
    /// The spec file does not exist.
    MissingSpec,
    /// The contract has no lock entry.
    NotLocked,
    /// A lock entry that no contract declares.
    LockOrphan,
    /// One API pinned at different fingerprints by different crates.
    CrossCrateDrift,
    /// An artifact of another runtime was generated from another fingerprint than the pin
    /// (or by another command).
    StaleArtifact,
    /// The generated client loses some of what the spec says (lossy rewrites); info only.
    Degraded,
}

impl FindingKind {
    /// Every kind, in documentation order.
    pub const ALL: [FindingKind; 10] = [
        FindingKind::SpecChanged,
        FindingKind::StaleGenerated,
        FindingKind::HandEdited,
        FindingKind::MissingOutput,
        FindingKind::MissingSpec,
        FindingKind::NotLocked,
        FindingKind::LockOrphan,
        FindingKind::CrossCrateDrift,
        FindingKind::StaleArtifact,
        FindingKind::Degraded,
    ];

    /// The rule as reports describe it.
    pub fn rule(self) -> crate::report::Rule {
        crate::report::Rule {
            id: self.id().into(),
            short: match self {
                FindingKind::Degraded => "degraded client".into(),
                _ => format!("contract drift: {}", self.id().replace('-', " ")),
            },
            help: self.why().into(),
        }
    }

    /// The stable id used in every output format.
    pub fn id(self) -> &'static str {
        match self {
            FindingKind::SpecChanged => "spec-changed",
            FindingKind::StaleGenerated => "stale-generated",
            FindingKind::HandEdited => "hand-edited",
            FindingKind::MissingOutput => "missing-output",
            FindingKind::MissingSpec => "missing-spec",
            FindingKind::NotLocked => "not-locked",
            FindingKind::LockOrphan => "lock-orphan",
            FindingKind::CrossCrateDrift => "cross-crate-drift",
            FindingKind::StaleArtifact => "stale-artifact",
            FindingKind::Degraded => "degraded",
        }
    }

    /// How reports rank it: every kind is drift and fails the gate, except `degraded`, which
    /// is information.
    pub fn level(self) -> crate::report::Level {
        match self {
            FindingKind::Degraded => crate::report::Level::Note,
            _ => crate::report::Level::Error,
        }
    }

    /// Whether a finding of this kind fails the gate (exit 1).
    pub fn fails(self) -> bool {
        self.level() == crate::report::Level::Error
    }

    /// Why this kind of finding matters, in one line.
    pub fn why(self) -> &'static str {
        match self {
            FindingKind::SpecChanged => {
                "the contract moved without review: clients and types may no longer match what the service speaks"
            }
            FindingKind::StaleGenerated => {
                "the client in the build was not generated from the pinned spec with the current options"
            }
            FindingKind::HandEdited => {
                "a hand edit hides drift from the spec and is lost at the next generation"
            }
            FindingKind::MissingOutput => {
                "the declared client is not in the tree, so nothing guards it"
            }
            FindingKind::MissingSpec => {
                "without the spec nothing can be pinned, generated or checked"
            }
            FindingKind::NotLocked => "an unpinned contract can change without anyone noticing",
            FindingKind::LockOrphan => "the lock pins a contract that no crate declares any more",
            FindingKind::CrossCrateDrift => {
                "crates of one workspace speak different versions of the same API: only one SDK was regenerated"
            }
            FindingKind::StaleArtifact => {
                "code of another runtime speaks another version of the contract than the pin: only some clients were regenerated"
            }
            FindingKind::Degraded => {
                "the client does not say everything the spec says: callers cannot use what the lossy rewrites dropped or merged"
            }
        }
    }
}

/// One finding.
#[derive(Debug, Clone)]
pub struct Finding {
    /// What kind.
    pub kind: FindingKind,
    /// The contract, as `crate/name`.
    pub contract: String,
    /// The contract's name alone (for fix commands).
    pub name: String,
    /// The file concerned, relative to the workspace root, `/`-separated.
    pub file: String,
    /// The line concerned, when there is one.
    pub line: Option<usize>,
    /// What was found.
    pub message: String,
    /// The command that fixes it.
    pub fix: String,
    /// A diff of a hand edit, when one can be shown.
    pub diff: Option<String>,
}

impl Finding {
    /// The finding as a report annotation (at its kind's level).
    pub fn annotation(&self) -> crate::report::Annotation {
        crate::report::Annotation {
            rule: self.kind.id().into(),
            level: self.kind.level(),
            file: self.file.clone(),
            line: self.line,
            column: None,
            message: format!(
                "{} ({}: {})",
                self.message,
                if self.kind.fails() { "fix" } else { "note" },
                self.fix
            ),
            suppressed: None,
        }
    }
}

/// Options of a check.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckOptions {
    /// Also regenerate every client in memory and compare bytes.
    pub deep: bool,
}

/// The result of a check.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Contracts checked.
    pub contracts: usize,
    /// Everything found, in contract order.
    pub findings: Vec<Finding>,
    /// Contracts that could not be checked (e.g. a malformed spec), with the error.
    pub errors: Vec<(String, Error)>,
}

impl CheckReport {
    /// The findings that fail the gate (all but information such as `degraded`).
    pub fn failing(&self) -> usize {
        self.findings.iter().filter(|f| f.kind.fails()).count()
    }
}

/// Checks the selected contracts against the lock, and reports lock entries of the selected
/// packages that no contract declares.
pub fn check(
    workspace: &Workspace,
    selection: &Selection,
    selected: &[&Contract],
    lock: Option<&LockFile>,
    options: CheckOptions,
) -> CheckReport {
    let mut report = CheckReport {
        contracts: selected.len(),
        ..CheckReport::default()
    };
    for contract in selected {
        let entry = lock.and_then(|l| l.entry(contract));
        check_contract(workspace, contract, entry, options, &mut report);
    }
    if let Some(lock) = lock {
        cross_crate::cross_crate_drift(workspace, selected, lock, &mut report);
        for entry in &lock.contracts {
            let declared = workspace.contracts.iter().any(|c| entry.is_for(c));
            let in_scope = match &entry.package {
                None => true,
                Some(p) => {
                    (selection.packages.is_empty() || selection.packages.contains(p))
                        && !selection.exclude.contains(p)
                }
            };
            if !declared && in_scope {
                report.findings.push(Finding {
                    kind: FindingKind::LockOrphan,
                    contract: entry.display_name(),
                    name: entry.name.clone(),
                    file: crate::project::workspace::LOCK_FILE_NAME.into(),
                    line: None,
                    message: format!(
                        "`{}` is pinned in the lock but no crate declares it",
                        entry.display_name()
                    ),
                    fix: "cargo contract-guard lock".into(),
                    diff: None,
                });
            }
        }
    }
    report
}

fn finding(
    contract: &Contract,
    kind: FindingKind,
    file: &str,
    message: String,
    fix: String,
) -> Finding {
    Finding {
        kind,
        contract: contract.display_name(),
        name: contract.name.clone(),
        file: file.to_string(),
        line: None,
        message,
        fix,
        diff: None,
    }
}

/// The spec's fingerprint, reading only the bytes when they are the ones pinned and cannot
/// reference other files. Whether they do is read from the spec, not from the lock's `files`
/// (a record, which anyone may edit).
fn current_fingerprint(
    contract: &Contract,
    entry: Option<&LockEntry>,
) -> Result<(Sha256Digest, Option<LoadedSpec>), Error> {
    let bytes = spec::read_capped(&contract.spec_path)?;
    // Same bytes, same document: no need to parse. A spec that may span several files is
    // always loaded, since any of them may have changed.
    if let Some(entry) = entry
        && spec::is_pinned_single_file(&bytes, entry.raw_sha256)
    {
        return Ok((entry.fingerprint, None));
    }
    let loaded = spec::load_bytes_in(&contract.spec_path, &bytes, &contract.root)?;
    Ok((loaded.fingerprint, Some(loaded)))
}

fn check_contract(
    workspace: &Workspace,
    contract: &Contract,
    entry: Option<&LockEntry>,
    options: CheckOptions,
    report: &mut CheckReport,
) {
    let name = &contract.name;
    let mut spec_now = None;
    if !contract.spec_path.exists() {
        let missing = contract.missing_spec();
        report.findings.push(finding(
            contract,
            FindingKind::MissingSpec,
            &contract.spec_rel,
            missing.to_string(),
            missing.hint().unwrap_or_default(),
        ));
    } else {
        match current_fingerprint(contract, entry) {
            Err(err) => report.errors.push((contract.display_name(), err)),
            Ok((fingerprint, loaded)) => {
                match entry {
                    None => report.findings.push(finding(
                        contract,
                        FindingKind::NotLocked,
                        &contract.spec_rel,
                        format!(
                            "`{}` is declared but not pinned in the lock",
                            contract.display_name()
                        ),
                        "cargo contract-guard lock".into(),
                    )),
                    Some(entry) if entry.fingerprint != fingerprint => {
                        report.findings.push(finding(
                            contract,
                            FindingKind::SpecChanged,
                            &contract.spec_rel,
                            format!(
                                "spec `{}` changed since it was pinned: pinned {}, now {}{}",
                                contract.spec_rel,
                                entry.fingerprint,
                                fingerprint,
                                diff_summary(workspace, contract, entry, loaded.as_ref())
                                    .unwrap_or_default()
                            ),
                            if entry.openapi == "2.0" {
                                crate::report::advice::swagger2_moved()
                            } else {
                                crate::report::advice::spec_moved(name)
                            },
                        ))
                    }
                    Some(_) => {}
                }
                spec_now = Some((fingerprint, loaded));
            }
        }
    }
    if let Some(entry) = entry {
        let fingerprint = spec_now.as_ref().map(|(f, _)| *f);
        artifacts::check_artifacts(workspace, contract, entry, fingerprint, options, report);
    }
    if let Some(output) = &contract.output {
        if entry.is_some_and(|e| e.openapi == "2.0") {
            let err = Error::Swagger2 {
                spec: contract.spec_rel.clone(),
                action: "generate a client from",
            };
            report.errors.push((contract.display_name(), err));
            return;
        }
        check_output(contract, output, entry, spec_now, options, report);
    }
}

/// `; the diff: N breaking, M security change(s) …` when the pinned spec is in the spec cache
/// (a cache lookup only: `check` never runs git).
fn diff_summary(
    workspace: &Workspace,
    contract: &Contract,
    entry: &LockEntry,
    now: Option<&LoadedSpec>,
) -> Option<String> {
    let now = now?;
    if entry.openapi == "2.0" || !now.version.generates() {
        return Some(
            "; Swagger 2.0 specs cannot be diffed, so the changes cannot be listed".into(),
        );
    }
    let pinned = crate::spec::cache::fetch(&workspace.target_dir, &entry.fingerprint)?;
    let now = now.single_document().ok()?;
    let mut report = crate::gates::diff::diff(&pinned.document, &now, &contract.diff);
    // A contract that selects operations hears which changes touch them; the others are
    // counted apart (they do not block `update`).
    let outside = match contract.settings.selection() {
        Ok(Some(selection)) => {
            let selected = crate::gates::diff::selection::SelectedOperations::new(
                &selection,
                &pinned.document,
                &now,
            );
            let outside = report.split_selected(&selected);
            Some((selected.len(), outside.len()))
        }
        _ => None,
    };
    let counts = report.summary();
    let scope = match outside {
        Some((selected, outside)) => format!(
            " touching the {selected} selected operation(s), and {outside} change(s) outside the selection"
        ),
        None => String::new(),
    };
    Some(format!(
        "; {} breaking and {} security change(s), {} warning(s), {} info{}{scope} (`cargo contract-guard diff {}` lists them)",
        counts.breaking,
        counts.security,
        counts.warning,
        counts.info,
        if counts.ignored > 0 {
            format!(", {} ignored", counts.ignored)
        } else {
            String::new()
        },
        contract.name
    ))
}

/// The generated client against its header and the pin: missing, without a valid header,
/// edited by hand, or stale.
fn check_output(
    contract: &Contract,
    output: &Output,
    entry: Option<&LockEntry>,
    spec_now: Option<(Sha256Digest, Option<LoadedSpec>)>,
    options: CheckOptions,
    report: &mut CheckReport,
) {
    let name = &contract.name;
    let Some(text) = read_output(contract, output, report) else {
        return;
    };
    let (found, body) = match header::split(&text) {
        Ok(split) => split,
        Err(reason) => {
            report.findings.push(Finding {
                line: Some(1),
                ..finding(
                    contract,
                    FindingKind::HandEdited,
                    &output.rel,
                    format!(
                        "`{}` has no valid generated-file header: {reason}",
                        output.rel
                    ),
                    format!("cargo contract-guard generate {name} --force"),
                )
            });
            return;
        }
    };
    // A fresh body, when the spec on disk is the one the header names.
    let regenerate = || match &spec_now {
        Some((fingerprint, _)) if *fingerprint == found.spec_fingerprint => {
            regenerate_body(contract, output, spec_now.as_ref())
        }
        _ => None,
    };
    if header::body_hash(body) != found.body_sha256 {
        let finding = hand_edited(contract, output, &text, body, regenerate().as_deref());
        report.findings.push(finding);
        return;
    }
    let mut reasons = stale_reasons(contract, &found, entry, entry.map(|e| e.fingerprint));
    if reasons.is_empty() && options.deep && regenerate().is_some_and(|fresh| fresh != body) {
        reasons.push(
            "its body differs from a fresh generation (the generator's output changed)".into(),
        );
    }
    if !reasons.is_empty() {
        report.findings.push(Finding {
            line: Some(1),
            ..finding(
                contract,
                FindingKind::StaleGenerated,
                &output.rel,
                format!(
                    "generated client `{}` is stale: {}",
                    output.rel,
                    reasons.join("; ")
                ),
                format!("cargo contract-guard generate {name}"),
            )
        });
    }
    if let Some(lossy) = found.lossy.as_ref().filter(|l| !l.is_empty()) {
        let spec = spec_now.as_ref().map(|(_, loaded)| loaded.as_ref());
        report.findings.push(Finding {
            line: Some(6),
            ..degraded::finding(contract, output, lossy, spec.flatten())
        });
    }
}

/// The generated client's text; `None` once the report says why there is none.
fn read_output(contract: &Contract, output: &Output, report: &mut CheckReport) -> Option<String> {
    match fsio::read_bounded_if_exists(&output.path, fsio::MAX_TEXT_BYTES) {
        Ok(Some(bytes)) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Ok(None) => {
            report.findings.push(finding(
                contract,
                FindingKind::MissingOutput,
                &output.rel,
                format!("generated client `{}` does not exist", output.rel),
                format!("cargo contract-guard generate {}", contract.name),
            ));
            None
        }
        Err(err) => {
            report.errors.push((contract.display_name(), err));
            None
        }
    }
}

/// The finding for a generated client whose body no longer matches its header: with the diff
/// against a fresh generation (`fresh`) when there is one.
fn hand_edited(
    contract: &Contract,
    output: &Output,
    text: &str,
    body: &str,
    fresh: Option<&str>,
) -> Finding {
    let (diff, line) = match fresh {
        Some(fresh) => {
            let expected = text_diff::as_generated(text, body, fresh);
            (
                Some(text_diff::unified(&expected, text, &output.rel, 60)),
                text_diff::first_changed_line(&expected, text),
            )
        }
        None => (None, None),
    };
    Finding {
        line,
        diff,
        ..finding(
            contract,
            FindingKind::HandEdited,
            &output.rel,
            format!("generated client `{}` was edited by hand", output.rel),
            crate::report::advice::hand_edited(&contract.name, &output.rel),
        )
    }
}

fn stale_reasons(
    contract: &Contract,
    found: &Header,
    entry: Option<&LockEntry>,
    pinned: Option<Sha256Digest>,
) -> Vec<String> {
    let mut reasons = Vec::new();
    if let Some(pinned) = pinned
        && pinned != found.spec_fingerprint
    {
        reasons.push(format!(
            "it was generated from spec {}, but the pin is {}",
            found.spec_fingerprint.short(),
            pinned.short()
        ));
    }
    let settings = contract.settings.fingerprint();
    if settings != found.settings_fingerprint {
        reasons.push("the generator options in Cargo.toml changed since it was generated".into());
    } else if found.operations != contract.settings.operations {
        reasons.push("its header's `operations` line is not the contract's `operations`".into());
    }
    #[cfg(feature = "generate")]
    if found.generator != crate::codegen::generator_id() {
        reasons.push(format!(
            "it was generated by {}, this build generates with {}",
            found.generator,
            crate::codegen::generator_id()
        ));
    }
    if let Some(recorded) = entry.and_then(|e| e.body_sha256)
        && recorded != found.body_sha256
    {
        reasons.push("it is not the file the lock recorded at the last generation".into());
    }
    if let (Some(entry), Some(lossy)) = (entry, &found.lossy)
        && entry.body_sha256.is_some()
        && entry.lossy != *lossy
    {
        reasons.push(format!(
            "its lossy rewrites ({}) are not the ones the lock records ({})",
            crate::codegen::fidelity::describe(lossy),
            crate::codegen::fidelity::describe(&entry.lossy)
        ));
    }
    if found.contract != contract.name {
        reasons.push(format!(
            "it was generated for contract `{}`",
            found.contract
        ));
    }
    reasons
}

/// The body a generation from the current spec would produce (`generate` feature only).
#[allow(unused_variables)]
fn regenerate_body(
    contract: &Contract,
    output: &Output,
    spec_now: Option<&(Sha256Digest, Option<LoadedSpec>)>,
) -> Option<String> {
    #[cfg(feature = "generate")]
    {
        let loaded = match spec_now {
            Some((_, Some(loaded))) => loaded.clone(),
            _ => contract.load_spec().ok()?,
        };
        crate::codegen::generate(contract, output, &loaded)
            .ok()
            .map(|g| g.body().to_string())
    }
    #[cfg(not(feature = "generate"))]
    {
        None
    }
}
