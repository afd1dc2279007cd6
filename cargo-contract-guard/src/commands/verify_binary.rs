//! `verify-binary`: the records embedded in a binary against the lock's pins; exit 1 when any
//! differs, is not pinned, or a pinned contract of the binary's crates is missing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use contract_core::gates::record::{self, verify};
use contract_core::project::lock::LockFile;
use contract_core::project::workspace::Workspace;

use crate::cli::{MessageFormat, VerifyBinaryArgs};
use crate::error::{CliError, CliResult};
use crate::{exit, ui};

pub fn run(args: &VerifyBinaryArgs) -> CliResult {
    let found = record::read_file(&args.binary)?;
    let (lock, lock_path) = read_lock(args)?;
    let unpinned = verify::unpinned_packages(&lock, &args.packages);
    if !unpinned.is_empty() {
        return Err(unpinned_error(&lock, &lock_path, &unpinned));
    }
    let rows = verify::verify(&found.records, &lock, &args.packages);
    let binary = args.binary.display().to_string();
    let lock_name = ui::shown_path(&lock_path);
    match args.message_format {
        MessageFormat::Json => {
            for row in &rows {
                ui::json_line(&row.to_json());
            }
            ui::json_line(&verify::summary_json(
                &rows,
                &binary,
                &lock_name,
                found.records.len(),
            ));
        }
        MessageFormat::Human => {
            print_table(&rows);
            super::inspect::report_problems(&binary, &found);
            summarize(&rows, &binary, &lock_name, found.records.is_empty());
        }
    }
    let failures = rows.iter().filter(|r| r.verdict.is_failure()).count();
    Ok(if failures > 0 || found.records.is_empty() {
        exit::DRIFT
    } else {
        exit::OK
    })
}

/// The lock to compare with: `--lock`, else the workspace's.
fn read_lock(args: &VerifyBinaryArgs) -> Result<(LockFile, PathBuf), CliError> {
    let lock_path = match &args.lock {
        Some(path) => path.clone(),
        None => Workspace::load(args.manifest.manifest_path.as_deref())
            .map_err(|e| {
                CliError::from(e).with_hint("name the lock file to compare with: `--lock <PATH>`")
            })?
            .lock_path(),
    };
    let lock = LockFile::read(&lock_path)
        .map_err(|e| match &args.lock {
            // Not "delete it and recreate it": a lock named on the command line is usually the
            // one a release was built with, or a wrong path.
            Some(_) => CliError::from(e).with_hint(
                "`--lock` names the `contract-guard.lock` the binary should match, as `cargo contract-guard lock` wrote it",
            ),
            None => CliError::from(e),
        })?
        .ok_or_else(|| {
        CliError::new(format!("there is no lock file at `{}`", ui::shown_path(&lock_path)))
            .with_hint("pass the lock the binary should match with `--lock <PATH>`, or run `cargo contract-guard lock`")
    })?;
    Ok((lock, lock_path))
}

/// `-p` named crates the lock pins nothing for: a typo there would require nothing.
fn unpinned_error(lock: &LockFile, lock_path: &Path, unpinned: &[&str]) -> CliError {
    let crates: BTreeSet<_> = lock
        .contracts
        .iter()
        .filter_map(|e| e.package.as_deref())
        .map(|p| format!("`{p}`"))
        .collect();
    CliError::new(format!(
        "`-p {}`: `{}` pins no contract for that crate",
        unpinned.join(" -p "),
        ui::shown_path(lock_path)
    ))
    .with_hint(format!(
        "crates with pinned contracts: {}",
        if crates.is_empty() {
            "none".to_string()
        } else {
            crates.into_iter().collect::<Vec<_>>().join(", ")
        }
    ))
}

/// One line per contract: what the lock expects, what the binary holds, and the verdict.
fn print_table(rows: &[verify::Row]) {
    if rows.is_empty() {
        return;
    }
    let mut table = ui::Table::new(&[
        "CONTRACT",
        "FROM",
        "EXPECTED (LOCK)",
        "FOUND (BINARY)",
        "STATE",
    ]);
    let short = |d: Option<contract_core::Sha256Digest>| d.map_or("-".into(), |d| d.short());
    for row in rows {
        let style = if row.verdict.is_failure() {
            ui::BAD
        } else {
            ui::GOOD
        };
        table.row_with_state(
            vec![
                row.display_name(),
                row.record.as_ref().map_or("-".into(), |r| r.kind.name()),
                short(row.expected()),
                short(row.found()),
            ],
            row.verdict.name().to_string(),
            style,
        );
    }
    table.print();
}

fn summarize(rows: &[verify::Row], binary: &str, lock: &str, no_records: bool) {
    if no_records {
        ui::finding(
            ui::BAD,
            "Missing",
            format!("no contract records in `{binary}`"),
        );
        ui::help(
            "generated clients and `contract_macros::embed!(\"<NAME>\")` embed them; build the binary with them",
        );
        return;
    }
    let failed: Vec<_> = rows.iter().filter(|r| r.verdict.is_failure()).collect();
    if failed.is_empty() {
        ui::status(
            ui::GOOD,
            "Verified",
            format!(
                "{} contract(s) in `{binary}` match their pins in `{lock}`",
                rows.len()
            ),
        );
        return;
    }
    ui::status(
        ui::BAD,
        "Mismatch",
        format!(
            "{} of {} contract(s) in `{binary}` do not match `{lock}`",
            failed.len(),
            rows.len()
        ),
    );
    let kinds: BTreeSet<_> = failed.iter().map(|r| r.verdict).collect();
    for kind in kinds {
        ui::help(match kind {
            verify::Verdict::Changed => {
                "`changed`: the binary was built from other specs than the lock pins; rebuild it from this commit, or verify it against the lock it was built with (`--lock`)"
            }
            verify::Verdict::StaleClient => {
                "`stale-client`: the binary's client was generated with other options or another generator; run `cargo contract-guard generate` and rebuild"
            }
            verify::Verdict::Missing => {
                "`missing`: the lock pins a contract of this crate that the binary does not embed; use its generated client or `contract_macros::embed!(\"<NAME>\")`, and rebuild"
            }
            verify::Verdict::NotLocked => {
                "`not-locked`: the binary embeds a contract the lock does not pin; pin it with `cargo contract-guard lock`, or compare with the lock of the workspace it was built in (`--lock`)"
            }
            verify::Verdict::Ok => continue,
        });
    }
}
