//! `diff <OLD> [NEW]`: classify the changes between two specs (files, a contract's pin, a
//! contract's spec on disk) and print them for people, machines (JSON, SARIF), pull requests
//! (Markdown) or GitHub annotations.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use contract_core::gates::diff::markdown::{self, Comment};
use contract_core::gates::diff::selection::SelectedOperations;
use contract_core::gates::diff::{self, DiffConfig, Finding, Report, Severity, annotate};
use contract_core::project::contract::Contract;
use contract_core::project::lock::LockFile;
use contract_core::project::selection::{self, Selection};
use contract_core::project::workspace::Workspace;
use contract_core::report;
use contract_core::spec::cache as spec_cache;
use contract_core::spec::{self, Located, ParsedSpec};

use crate::cli::{DiffArgs, DiffFormat, WorkspaceArgs};
use crate::error::{CliError, CliResult};
use crate::{exit, ui};

/// One side of a diff, as given on the command line.
enum Input {
    File(PathBuf),
    Contract(String),
}

/// A file when one exists at `arg`, else a contract when `arg` is a contract name or
/// `crate/name`, else a file (that the loader reports missing).
fn classify(arg: &str) -> Input {
    let contract_name = |name: &str| contract_core::project::contract::validate_name(name).is_ok();
    let names_contract = contract_name(arg)
        || arg.split_once('/').is_some_and(|(krate, name)| {
            !krate.is_empty() && !krate.contains(['/', '\\']) && contract_name(name)
        });
    if Path::new(arg).exists() || !names_contract {
        Input::File(PathBuf::from(arg))
    } else {
        Input::Contract(arg.to_string())
    }
}

/// A spec ready to compare, with how to name it.
pub(super) struct Side {
    pub spec: ParsedSpec,
    pub label: String,
    /// What the files annotations land on are named relative to: the workspace root for a
    /// contract's spec, the current directory for a file given on the command line.
    pub base: PathBuf,
}

pub fn run(args: &DiffArgs) -> CliResult {
    let (old_input, new_input) = inputs(args)?;
    let needs_workspace =
        matches!(old_input, Input::Contract(_)) || matches!(new_input, Input::Contract(_));
    let workspace = if needs_workspace {
        Some(super::load_workspace(&args.ws)?)
    } else {
        None
    };
    let find = |name: &str| find_contract(workspace.as_ref(), &args.ws, name);
    // The first contract named configures the diff.
    let config = match [&old_input, &new_input]
        .into_iter()
        .find_map(|input| match input {
            Input::Contract(name) => Some(name),
            Input::File(_) => None,
        }) {
        Some(name) => find(name)?.diff.clone(),
        None => DiffConfig::default(),
    };
    let workspace_ref = workspace.as_ref();
    let (old, new) = std::thread::scope(|scope| {
        let old = scope.spawn(|| match &old_input {
            Input::File(path) => load_file(path),
            Input::Contract(name) => pinned_side(workspace_ref.expect("loaded"), find(name)?),
        });
        let new = match &new_input {
            Input::File(path) => load_file(path),
            Input::Contract(name) => find(name).and_then(on_disk_side),
        };
        let old = old
            .join()
            .unwrap_or_else(|_| Err(CliError::new("loading the old spec failed unexpectedly")));
        (old, new)
    });
    let (old, new) = (old?, new?);
    let mut report = diff::diff(&old.spec.document, &new.spec.document, &config);
    let filtered = if args.operations.is_empty() {
        0
    } else {
        let selection = selection::parse(&args.operations)
            .map_err(|m| CliError::new(format!("{m} (`--operations`)")))?;
        split_by(
            &selection,
            &old.spec.document,
            &new.spec.document,
            &mut report,
        )
        .len()
    };
    let fail_on = args
        .fail_on
        .map(|f| f.severity())
        .or(config.fail_on)
        .unwrap_or(Severity::Breaking);
    print_report(args, &report, &old, &new, fail_on);
    if filtered > 0 && args.format == DiffFormat::Human {
        ui::tip(format!(
            "{filtered} change(s) outside `--operations` not listed"
        ));
    }
    let code = if report.fails(fail_on) {
        exit::DRIFT
    } else {
        exit::OK
    };
    // Freeing two large documents node by node takes longer than the diff; the process is
    // about to exit and the OS reclaims the memory at once.
    std::mem::forget((old, new, report));
    Ok(code)
}

/// The two sides named on the command line; `diff <CONTRACT>` compares its pin with its spec.
fn inputs(args: &DiffArgs) -> Result<(Input, Input), CliError> {
    let old_input = classify(&args.old);
    let new_input = match &args.new {
        Some(arg) => classify(arg),
        None => match &old_input {
            Input::Contract(name) => Input::Contract(name.clone()),
            Input::File(path) => {
                return Err(CliError::new(format!(
                    "`diff` needs two specs: `{}` is a file, and no NEW spec was given",
                    path.display()
                ))
                .with_hint("run `cargo contract-guard diff OLD NEW`, or `cargo contract-guard diff <CONTRACT>` to compare a contract's pin with its spec"));
            }
        },
    };
    Ok((old_input, new_input))
}

/// Prints `report` in the requested format to standard output (the human form to standard
/// error).
fn print_report(args: &DiffArgs, report: &Report, old: &Side, new: &Side, fail_on: Severity) {
    let format = args.format;
    match format {
        DiffFormat::Json => {
            let places = report.locate(&new.spec, &new.base);
            ui::json_line(&report.to_json_located(&old.label, &new.label, fail_on, &places));
        }
        DiffFormat::Markdown => {
            let places = report.locate(&new.spec, &new.base);
            let comment = report.to_comment(&Comment {
                old_source: &old.label,
                new_source: &new.label,
                fail_on,
                places: &places,
                full_command: &json_command(args),
                budget: markdown::DEFAULT_BUDGET,
            });
            let _ = std::io::stdout().lock().write_all(comment.as_bytes());
        }
        DiffFormat::Sarif | DiffFormat::Github => {
            let sarif = format == DiffFormat::Sarif;
            let annotations = annotate::annotations(
                report,
                &new.spec,
                &new.base,
                fail_on,
                sarif || ui::verbose(),
            );
            let rendered = if sarif {
                report::sarif::render(env!("CARGO_PKG_VERSION"), &annotate::rules(), &annotations)
            } else {
                report::github::render(&annotations)
            };
            let _ = std::io::stdout().lock().write_all(rendered.as_bytes());
        }
        DiffFormat::Human => {
            print_human(report, ui::verbose(), &|pointers| {
                new.spec.locate(pointers, &new.base)
            });
            summarize(report, &old.label, &new.label, fail_on, ui::verbose());
        }
    }
}

/// The command that lists every change of this diff as JSON: this one's specs and workspace
/// options with `--message-format json`, each argument quoted for a POSIX shell when needed.
fn json_command(args: &DiffArgs) -> String {
    let mut words = vec!["cargo".to_string(), "contract-guard".into(), "diff".into()];
    if let Some(path) = &args.ws.manifest.manifest_path {
        words.extend(["--manifest-path".into(), path.display().to_string()]);
    }
    for package in &args.ws.workspace.package {
        words.extend(["-p".into(), package.clone()]);
    }
    words.push(args.old.clone());
    words.extend(args.new.clone());
    words.extend(["--message-format".into(), "json".into()]);
    let quoted: Vec<String> = words.iter().map(|w| shell_word(w)).collect();
    quoted.join(" ")
}

/// `word` as one POSIX shell word: as it is when it holds only characters no shell treats
/// specially, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=@+,%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The single contract named `name` in the selected packages.
pub(super) fn find_contract<'w>(
    workspace: Option<&'w Workspace>,
    ws: &WorkspaceArgs,
    name: &str,
) -> Result<&'w Contract, CliError> {
    let workspace = workspace.expect("the workspace is loaded when a contract is named");
    if let Some((package, contract)) = name.split_once('/') {
        return workspace
            .contracts
            .iter()
            .find(|c| c.package.as_deref() == Some(package) && c.name == contract)
            .ok_or_else(|| {
                CliError::new(format!(
                    "no contract `{contract}` is declared by package `{package}`"
                ))
                .with_hint(
                    "run `cargo contract-guard status --workspace` to list the declared contracts",
                )
            });
    }
    let found = workspace
        .selected_contracts(&ws.selection(workspace)?, &[name.to_string()])
        .map_err(|e| {
            let mut err = CliError::from(e);
            err.message = format!("`{name}` is neither a spec file nor a declared contract");
            err
        })?;
    match found.as_slice() {
        [one] => Ok(one),
        many => Err(CliError::new(format!(
            "contract `{name}` is declared by several packages: {}",
            many.iter()
                .map(|c| c.display_name())
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .with_hint("choose one with `-p <PACKAGE>`")),
    }
}

fn checked(spec: ParsedSpec, label: String, base: &Path) -> Result<Side, CliError> {
    diff::ensure_supported(&spec.path, &spec.version)?;
    Ok(Side {
        spec,
        label,
        base: base.to_path_buf(),
    })
}

/// A spec file given on the command line. The files it references must stay inside the
/// current directory when it is there, else inside its own directory.
fn load_file(path: &Path) -> Result<Side, CliError> {
    let cwd = std::env::current_dir().map_err(|e| contract_core::Error::io("read", path, e))?;
    let sandbox = spec::command_line_sandbox(&cwd, path);
    checked(
        spec::parse_file_inlined(path, &sandbox)?,
        path.display().to_string(),
        &cwd,
    )
}

/// A contract's spec on disk (the files it references inlined).
fn on_disk_side(contract: &Contract) -> Result<Side, CliError> {
    checked(
        spec::parse_file_inlined(&contract.spec_path, &contract.root)?,
        contract.spec_rel.clone(),
        &contract.root,
    )
}

/// The spec a contract is pinned at, from the cache or git history.
pub(super) fn pinned_side(workspace: &Workspace, contract: &Contract) -> Result<Side, CliError> {
    let lock = LockFile::read(&workspace.lock_path())?;
    let Some(entry) = lock.as_ref().and_then(|l| l.entry(contract)) else {
        return Err(CliError::new(format!(
            "`{}` is not pinned, so it has no pinned spec to compare with",
            contract.display_name()
        ))
        .with_hint("run `cargo contract-guard lock`"));
    };
    if entry.openapi == "2.0" {
        return Err(contract_core::Error::Swagger2 {
            spec: format!("{}@{}", contract.spec_rel, entry.fingerprint.short()),
            action: "diff",
        }
        .into());
    }
    match spec_cache::pinned(workspace, entry) {
        Some((spec, _source)) => checked(
            spec,
            format!("{}@{}", contract.spec_rel, entry.fingerprint.short()),
            &contract.root,
        ),
        None => Err(contract_core::Error::PinnedSpecUnavailable {
            contract: contract.display_name(),
            fingerprint: entry.fingerprint,
            cache: spec_cache::dir(&workspace.target_dir),
        }
        .into()),
    }
}

fn style_of(severity: Severity) -> anstyle::Style {
    match severity {
        Severity::Security | Severity::Breaking => ui::BAD,
        Severity::Warning => ui::WARN,
        Severity::Info => ui::HELP,
    }
}

/// Prints every finding at warning and above (and info with `verbose`), then the ignored ones,
/// each with its file, line and column in the new spec (`locate` places the findings' pointers).
pub(super) fn print_human(
    report: &Report,
    verbose: bool,
    locate: &dyn Fn(&[&str]) -> Vec<Located>,
) {
    let shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.ignored.is_some() || f.severity > Severity::Info || verbose)
        .collect();
    let pointers: Vec<&str> = shown.iter().map(|f| f.change.location()).collect();
    let places = locate(&pointers);
    let mut out = anstream::stdout().lock();
    for (f, place) in shown.into_iter().zip(places) {
        print_finding(&mut out, f, &ui::printable(&place.to_string()));
    }
}

fn print_finding(out: &mut impl std::io::Write, f: &Finding, file: &str) {
    let c = &f.change;
    let (label, style) = match &f.ignored {
        Some(_) => ("ignored".to_string(), anstyle::Style::new().dimmed()),
        None => (f.severity.to_string(), style_of(f.severity)),
    };
    let _ = writeln!(
        out,
        "{}{label}[{}]{}: {}",
        style.render(),
        c.rule.id(),
        style.render_reset(),
        ui::printable(&c.message)
    );
    let pointer = match (&c.old_pointer, &c.new_pointer) {
        (Some(o), Some(n)) if o == n => o.clone(),
        (Some(o), Some(n)) => format!("{o} -> {n}"),
        (Some(o), None) => format!("{o} (old)"),
        (None, Some(n)) => n.clone(),
        (None, None) => String::new(),
    };
    let at = match &c.operation {
        Some(operation) => format!("{operation}  {pointer}"),
        None => pointer,
    };
    let _ = writeln!(
        out,
        "  {}-->{} {file}  {}",
        ui::HELP.render(),
        ui::HELP.render_reset(),
        ui::printable(&at)
    );
    if let Some(reason) = &f.ignored {
        let _ = writeln!(out, "   = reason: {}", ui::printable(reason));
    }
}

/// Keeps in `report` the changes that touch the operations `selection` selects (in either
/// document); returns the others.
pub(super) fn split_by(
    selection: &Selection,
    old: &serde_json::Value,
    new: &serde_json::Value,
    report: &mut Report,
) -> Vec<Finding> {
    let selected = SelectedOperations::new(selection, old, new);
    report.split_selected(&selected)
}

/// For a contract that selects operations (`operations`): keeps in `report` the changes that
/// touch them and returns the others; `None` for a contract of every operation.
pub(super) fn split_selection(
    contract: &Contract,
    old: &serde_json::Value,
    new: &serde_json::Value,
    report: &mut Report,
) -> Result<Option<Vec<Finding>>, CliError> {
    match contract.settings.selection() {
        Ok(None) => Ok(None),
        Ok(Some(selection)) => Ok(Some(split_by(&selection, old, new, report))),
        Err(message) => Err(CliError::new(message)),
    }
}

/// Lists the changes outside a contract's selected operations: shown, not blocking.
pub(super) fn print_outside(outside: &[Finding]) {
    if outside.is_empty() {
        return;
    }
    ui::status(
        ui::WARN,
        "Elsewhere",
        format!(
            "{} change(s) outside the selected operations (`operations`), not blocking:",
            outside.len()
        ),
    );
    let mut out = anstream::stdout().lock();
    for f in outside {
        let _ = writeln!(
            out,
            "  {}[{}]: {}{}",
            f.severity,
            f.change.rule.id(),
            ui::printable(&f.change.message),
            f.change
                .operation
                .as_deref()
                .map_or(String::new(), |op| format!(" ({})", ui::printable(op)))
        );
    }
}

/// The closing status lines on stderr.
pub(super) fn summarize(report: &Report, old: &str, new: &str, fail_on: Severity, verbose: bool) {
    let summary = report.summary();
    let version = |v: &Option<String>| v.as_deref().map_or(String::new(), |v| format!(" ({v})"));
    ui::status(
        if report.fails(fail_on) {
            ui::BAD
        } else {
            ui::GOOD
        },
        "Compared",
        format!(
            "`{old}`{} -> `{new}`{}: {summary}",
            version(&report.old_version),
            version(&report.new_version)
        ),
    );
    if summary.info > 0 && !verbose {
        ui::tip(format!(
            "{} info change(s) not listed; `--verbose` lists them",
            summary.info
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::shell_word;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("specs/api.v2.json"), "specs/api.v2.json");
        assert_eq!(shell_word("my spec.yaml"), "'my spec.yaml'");
        assert_eq!(shell_word("it's$(x)"), "'it'\\''s$(x)'");
        assert_eq!(shell_word(""), "''");
    }
}
