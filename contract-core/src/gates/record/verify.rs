//! `verify-binary`: the records of a binary against the pins of a lock file. Every record must
//! match its pin, and every contract the lock pins for a crate the binary contains must have a
//! record in it.
//!
//! A record matches the lock entry with the same crate and contract name; failing that, the
//! only entry with that contract name (a workspace-level contract, or a client generated into
//! another crate than the one declaring it). Fingerprints are compared first; for generated
//! clients, the generator and its options' fingerprint too, when both sides record them.

use serde_json::{Value, json};

use crate::project::lock::{LockEntry, LockFile};
use crate::util::hash::Sha256Digest;

use super::format::Record;

/// The outcome for one contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// The record matches its pin.
    Ok,
    /// The binary was built from another spec than the one pinned.
    Changed,
    /// Same spec, but the client was generated with other options or another generator than
    /// the lock records.
    StaleClient,
    /// The lock pins this contract for a crate of the binary, and the binary has no record.
    Missing,
    /// The binary has a record of a contract the lock does not pin.
    NotLocked,
}

impl Verdict {
    /// The id used in tables and JSON: `ok`, `changed`, `stale-client`, `missing`, `not-locked`.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Changed => "changed",
            Verdict::StaleClient => "stale-client",
            Verdict::Missing => "missing",
            Verdict::NotLocked => "not-locked",
        }
    }

    /// Whether this fails the gate.
    pub fn is_failure(self) -> bool {
        self != Verdict::Ok
    }
}

/// One row of the comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The contract name.
    pub contract: String,
    /// The crate: the record's, or the lock entry's for a missing record.
    pub crate_name: Option<String>,
    /// The record found in the binary.
    pub record: Option<Record>,
    /// The pin it was compared with.
    pub pin: Option<LockEntry>,
    /// The outcome.
    pub verdict: Verdict,
}

impl Row {
    /// `crate/contract`, as tables write it.
    pub fn display_name(&self) -> String {
        match &self.crate_name {
            Some(name) => format!("{name}/{}", self.contract),
            None => self.contract.clone(),
        }
    }

    /// The pinned fingerprint.
    pub fn expected(&self) -> Option<Sha256Digest> {
        self.pin.as_ref().map(|p| p.fingerprint)
    }

    /// The fingerprint found in the binary.
    pub fn found(&self) -> Option<Sha256Digest> {
        self.record.as_ref().map(|r| r.spec_fingerprint)
    }

    /// This row as a line of `verify-binary --message-format json` (`"type": "contract"`).
    pub fn to_json(&self) -> Value {
        json!({
            "type": "contract",
            "contract": self.contract,
            "crate": self.crate_name,
            "crate_version": self.record.as_ref().map(|r| &r.crate_version),
            "from": self.record.as_ref().map(|r| r.kind.name()),
            "expected": self.expected().map(|d| d.to_string()),
            "found": self.found().map(|d| d.to_string()),
            "state": self.verdict.name(),
        })
    }
}

/// The last line of `verify-binary --message-format json` (`"type": "summary"`): the binary
/// and the lock as the user named them, how many records the binary holds, and the rows.
pub fn summary_json(rows: &[Row], binary: &str, lock: &str, records: usize) -> Value {
    json!({
        "type": "summary",
        "binary": binary,
        "lock": lock,
        "records": records,
        "contracts": rows.len(),
        "failures": rows.iter().filter(|r| r.verdict.is_failure()).count(),
    })
}

/// Compares `records` with `lock`. `also_required`: crates whose pinned contracts must all be
/// in the binary even if it has no record from them (the crates of the records always are).
pub fn verify(records: &[Record], lock: &LockFile, also_required: &[String]) -> Vec<Row> {
    let mut matched = vec![false; lock.contracts.len()];
    let mut rows = Vec::new();
    for record in records {
        let index = pin_of(record, lock);
        let pin = index.map(|i| {
            matched[i] = true;
            lock.contracts[i].clone()
        });
        let verdict = match &pin {
            None => Verdict::NotLocked,
            Some(pin) if pin.fingerprint != record.spec_fingerprint => Verdict::Changed,
            Some(pin)
                if differs(&pin.settings_fingerprint, &record.settings_fingerprint)
                    || differs(&pin.generator, &record.generator) =>
            {
                Verdict::StaleClient
            }
            Some(_) => Verdict::Ok,
        };
        rows.push(Row {
            contract: record.contract.clone(),
            crate_name: Some(record.crate_name.clone()),
            record: Some(record.clone()),
            pin,
            verdict,
        });
    }
    let required = |entry: &LockEntry| {
        entry.package.as_ref().is_some_and(|p| {
            records.iter().any(|r| &r.crate_name == p) || also_required.contains(p)
        })
    };
    for (entry, seen) in lock.contracts.iter().zip(&matched) {
        if !seen && required(entry) {
            rows.push(Row {
                contract: entry.name.clone(),
                crate_name: entry.package.clone(),
                record: None,
                pin: Some(entry.clone()),
                verdict: Verdict::Missing,
            });
        }
    }
    rows
}

/// The names in `also_required` (`verify-binary -p`) for which `lock` pins no contract: a typo
/// there would otherwise require nothing and let the gate pass.
pub fn unpinned_packages<'a>(lock: &LockFile, also_required: &'a [String]) -> Vec<&'a str> {
    also_required
        .iter()
        .filter(|p| {
            !lock
                .contracts
                .iter()
                .any(|e| e.package.as_deref() == Some(p.as_str()))
        })
        .map(String::as_str)
        .collect()
}

/// Both sides know the value and they disagree.
fn differs<T: PartialEq>(pinned: &Option<T>, found: &Option<T>) -> bool {
    matches!((pinned, found), (Some(a), Some(b)) if a != b)
}

fn pin_of(record: &Record, lock: &LockFile) -> Option<usize> {
    let exact = lock.contracts.iter().position(|e| {
        e.name == record.contract && e.package.as_deref() == Some(record.crate_name.as_str())
    });
    exact.or_else(|| {
        let mut same_name = lock
            .contracts
            .iter()
            .enumerate()
            .filter(|(_, e)| e.name == record.contract);
        match (same_name.next(), same_name.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gates::record::RecordKind;

    fn pin(package: Option<&str>, name: &str, spec: &str) -> LockEntry {
        LockEntry::for_tests(package, name, Sha256Digest::of(spec.as_bytes()))
    }

    fn record(crate_name: &str, name: &str, spec: &str) -> Record {
        Record {
            kind: RecordKind::Embed,
            contract: name.into(),
            crate_name: crate_name.into(),
            crate_version: "0.1.0".into(),
            spec_fingerprint: Sha256Digest::of(spec.as_bytes()),
            generator: None,
            settings_fingerprint: None,
        }
    }

    fn lock(entries: Vec<LockEntry>) -> LockFile {
        LockFile {
            contracts: entries,
            ..LockFile::default()
        }
    }

    fn verdicts(rows: &[Row]) -> Vec<(String, &'static str)> {
        rows.iter()
            .map(|r| (r.display_name(), r.verdict.name()))
            .collect()
    }

    #[test]
    fn required_packages_without_pins_are_named() {
        let lock = lock(vec![
            pin(Some("app"), "pets", "v1"),
            pin(None, "shared", "s1"),
        ]);
        let asked = ["app".to_string(), "ap".to_string(), "shared".to_string()];
        assert_eq!(unpinned_packages(&lock, &asked), ["ap", "shared"]);
        assert!(unpinned_packages(&lock, &asked[..1]).is_empty());
    }

    #[test]
    fn matching_records_pass() {
        let lock = lock(vec![
            pin(Some("app"), "pets", "v1"),
            pin(None, "shared", "s1"),
        ]);
        let rows = verify(
            &[record("app", "pets", "v1"), record("sdk", "shared", "s1")],
            &lock,
            &[],
        );
        assert_eq!(
            verdicts(&rows),
            [("app/pets".into(), "ok"), ("sdk/shared".into(), "ok")]
        );
        assert_eq!(
            rows[1].pin.as_ref().unwrap().package,
            None,
            "workspace-level pin"
        );
    }

    #[test]
    fn changed_missing_and_unlocked_fail() {
        let lock = lock(vec![
            pin(Some("app"), "pets", "v2"),
            pin(Some("app"), "orders", "o1"),
            pin(Some("other"), "billing", "b1"),
        ]);
        let rows = verify(
            &[record("app", "pets", "v1"), record("app", "stray", "x")],
            &lock,
            &[],
        );
        assert_eq!(
            verdicts(&rows),
            [
                ("app/pets".into(), "changed"),
                ("app/stray".into(), "not-locked"),
                ("app/orders".into(), "missing"),
            ],
            "`other/billing` is not a crate of this binary"
        );
        assert_ne!(rows[0].expected(), rows[0].found());
        let rows = verify(&[], &lock, &["other".into()]);
        assert_eq!(verdicts(&rows), [("other/billing".into(), "missing")]);
    }

    #[test]
    fn generator_options_are_compared_when_both_sides_know_them() {
        let mut entry = pin(Some("app"), "pets", "v1");
        entry.settings_fingerprint = Some(Sha256Digest::of(b"options-a"));
        entry.generator = Some("progenitor 0.15.1".into());
        let lock = lock(vec![entry]);
        let mut found = record("app", "pets", "v1");
        found.settings_fingerprint = Some(Sha256Digest::of(b"options-b"));
        assert_eq!(
            verify(&[found.clone()], &lock, &[])[0].verdict,
            Verdict::StaleClient
        );
        found.settings_fingerprint = Some(Sha256Digest::of(b"options-a"));
        found.generator = Some("progenitor 0.16.0".into());
        assert_eq!(
            verify(&[found.clone()], &lock, &[])[0].verdict,
            Verdict::StaleClient
        );
        found.generator = None;
        assert_eq!(verify(&[found], &lock, &[])[0].verdict, Verdict::Ok);
    }

    #[test]
    fn ambiguous_names_need_the_crate() {
        let lock = lock(vec![
            pin(Some("a"), "pets", "v1"),
            pin(Some("b"), "pets", "v1"),
        ]);
        let rows = verify(&[record("c", "pets", "v1")], &lock, &[]);
        assert_eq!(verdicts(&rows), [("c/pets".into(), "not-locked")]);
    }

    #[test]
    fn rows_and_summary_as_json_lines() {
        let lock = lock(vec![
            pin(Some("app"), "pets", "v2"),
            pin(Some("app"), "users", "u1"),
        ]);
        let rows = verify(&[record("app", "pets", "v1")], &lock, &[]);
        let digest = |spec: &str| Sha256Digest::of(spec.as_bytes()).to_string();
        assert_eq!(
            rows[0].to_json(),
            json!({"type": "contract", "contract": "pets", "crate": "app",
                   "crate_version": "0.1.0", "from": "embed", "expected": digest("v2"),
                   "found": digest("v1"), "state": "changed"})
        );
        assert_eq!(
            rows[1].to_json(),
            json!({"type": "contract", "contract": "users", "crate": "app",
                   "crate_version": null, "from": null, "expected": digest("u1"),
                   "found": null, "state": "missing"})
        );
        assert_eq!(
            summary_json(&rows, "bin/app", "contract-guard.lock", 1),
            json!({"type": "summary", "binary": "bin/app", "lock": "contract-guard.lock",
                   "records": 1, "contracts": 2, "failures": 2})
        );
    }
}
