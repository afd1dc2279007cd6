//! `cross-crate-drift`: one API pinned at different fingerprints by different crates of the
//! workspace (only one SDK was regenerated), with which pin is the newer one and the `diff`
//! that compares them.

use std::collections::{BTreeMap, BTreeSet};

use cargo_metadata::semver::Version;

use super::{CheckReport, Finding, FindingKind};
use crate::project::contract::Contract;
use crate::project::lock::{LockEntry, LockFile};
use crate::project::workspace::Workspace;

/// The names under which a pinned contract is the same API as another: its explicit `id`;
/// else its spec file, and its `info.title` with the first server URL, or, for a spec without
/// `servers`, with the contract's name.
fn identities(contract: &Contract, entry: &LockEntry) -> Vec<String> {
    if let Some(id) = &contract.id {
        return vec![format!("`{id}`")];
    }
    let mut keys = vec![format!("spec `{}`", contract.spec_rel)];
    match (&entry.title, &entry.server) {
        (Some(title), Some(server)) => keys.push(format!("`{title}` at `{server}`")),
        (Some(title), None) => keys.push(format!(
            "`{title}` (no `servers`) as contract `{}`",
            contract.name
        )),
        (None, _) => {}
    }
    keys
}

/// Reports every API pinned at different fingerprints by different crates.
pub(super) fn cross_crate_drift(
    workspace: &Workspace,
    selected: &[&Contract],
    lock: &LockFile,
    report: &mut CheckReport,
) {
    let mut groups: BTreeMap<String, Vec<(&Contract, &LockEntry)>> = BTreeMap::new();
    for contract in selected {
        let Some(entry) = lock.entry(contract) else {
            continue;
        };
        for key in identities(contract, entry) {
            groups.entry(key).or_default().push((contract, entry));
        }
    }
    let mut reported: BTreeSet<Vec<String>> = BTreeSet::new();
    for (api, members) in groups {
        let packages: BTreeSet<_> = members.iter().map(|(c, _)| &c.package).collect();
        let fingerprints: BTreeSet<_> = members.iter().map(|(_, e)| e.fingerprint).collect();
        let names: Vec<String> = members.iter().map(|(c, _)| c.display_name()).collect();
        if packages.len() < 2 || fingerprints.len() < 2 || !reported.insert(names.clone()) {
            continue;
        }
        report
            .findings
            .push(finding(workspace, &api, &members, names));
    }
}

fn finding(
    workspace: &Workspace,
    api: &str,
    members: &[(&Contract, &LockEntry)],
    names: Vec<String>,
) -> Finding {
    let versions: Vec<Option<String>> = members
        .iter()
        .map(|(c, e)| pinned_version(workspace, c, e))
        .collect();
    let pins: Vec<String> = members
        .iter()
        .zip(&versions)
        .map(|((c, e), v)| {
            let version = v
                .as_deref()
                .map_or("version unknown".into(), |v| format!("`info.version` {v}"));
            format!("{} {} ({version})", c.display_name(), e.fingerprint.short())
        })
        .collect();
    let (newer, order) = match newest(&versions) {
        Some((newest, oldest)) => (
            format!("the newer pin is {}", names[newest]),
            (oldest, newest),
        ),
        None => (
            "which pin is newer is unknown (`info.version` missing or not semver)".into(),
            (0, 1),
        ),
    };
    Finding {
        kind: FindingKind::CrossCrateDrift,
        contract: names.join(", "),
        name: members[0].0.name.clone(),
        file: crate::project::workspace::LOCK_FILE_NAME.into(),
        line: None,
        message: format!(
            "{api} is pinned at different fingerprints: {}; {newer}",
            pins.join(", ")
        ),
        fix: format!(
            "compare them with `cargo contract-guard diff {} {}`, bring every crate to the same spec version, then `cargo contract-guard lock` and `cargo contract-guard generate`",
            names[order.0], names[order.1]
        ),
        diff: None,
    }
}

/// `(newest, oldest)` indices when every version parses as semver and they are not all equal.
fn newest(versions: &[Option<String>]) -> Option<(usize, usize)> {
    let parsed: Vec<Version> = versions
        .iter()
        .map(|v| {
            v.as_deref()
                .and_then(|v| Version::parse(v.trim_start_matches('v')).ok())
        })
        .collect::<Option<_>>()?;
    let newest = (0..parsed.len()).max_by(|&a, &b| parsed[a].cmp(&parsed[b]))?;
    let oldest = (0..parsed.len()).min_by(|&a, &b| parsed[a].cmp(&parsed[b]))?;
    (parsed[newest] != parsed[oldest]).then_some((newest, oldest))
}

/// `info.version` of the spec a pin was made from: the kept copy of the pinned spec, else the
/// spec on disk when it still has the pinned fingerprint.
fn pinned_version(workspace: &Workspace, contract: &Contract, entry: &LockEntry) -> Option<String> {
    let document = match crate::spec::cache::fetch(&workspace.target_dir, &entry.fingerprint) {
        Some(pinned) => pinned.document,
        None => {
            let loaded = contract.load_spec().ok()?;
            if loaded.fingerprint != entry.fingerprint {
                return None;
            }
            loaded.document
        }
    };
    let version = document.pointer("/info/version")?;
    Some(match version.as_str() {
        Some(text) => text.to_string(),
        None => version.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_version_is_found_only_when_every_one_is_semver() {
        let v = |s: &[Option<&str>]| s.iter().map(|v| v.map(str::to_string)).collect::<Vec<_>>();
        assert_eq!(newest(&v(&[Some("1.2.0"), Some("1.10.0")])), Some((1, 0)));
        assert_eq!(
            newest(&v(&[Some("2.0.0"), Some("2.0.0-rc.1")])),
            Some((0, 1))
        );
        assert_eq!(newest(&v(&[Some("v3.0.0"), Some("2.9.9")])), Some((0, 1)));
        assert_eq!(newest(&v(&[Some("1.0"), Some("1.1.0")])), None);
        assert_eq!(newest(&v(&[None, Some("1.1.0")])), None);
        assert_eq!(newest(&v(&[Some("1.0.0"), Some("1.0.0")])), None);
    }
}
