//! Accepted changes: the `diff` table of a contract in Cargo.toml.
//!
//! ```toml
//! [package.metadata.contract-guard.contracts.pets.diff]
//! fail-on = "breaking"                                   # default for `diff` and `update`
//! severity = { "response-enum-value-added" = "warning" } # per-rule overrides
//! ignore = [
//!   { rule = "operation-removed", operation = "DELETE /pets/{id}", reason = "retired in v2" },
//!   { rule = "*", pointer = "/components/schemas/Legacy", reason = "unused by this crate" },
//! ]
//! ```
//!
//! Unknown rule ids, empty reasons and malformed pointers are errors, so a typo never silently
//! hides a change. Ignored changes stay in the report, marked with their reason.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Change;
use super::rules::{Rule, Severity};

/// The `diff` table of a contract.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DiffConfig {
    /// The lowest severity that fails `diff` (unless `--fail-on` is given) and that `update`
    /// refuses without `--allow-breaking`.
    #[serde(default)]
    pub fail_on: Option<Severity>,
    /// Severity overrides by rule id.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Accepted changes.
    #[serde(default)]
    pub ignore: Vec<Ignore>,
}

/// One accepted change (or family of changes).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ignore {
    /// A rule id, or `*` for any rule (then `pointer` or `operation` is required).
    pub rule: String,
    /// A JSON pointer (`/paths/~1pets/get` or `#/paths/...`): the change's old or new pointer
    /// is it or lies below it.
    #[serde(default)]
    pub pointer: Option<String>,
    /// `METHOD /path` or an operationId.
    #[serde(default)]
    pub operation: Option<String>,
    /// Why the change is accepted (required).
    pub reason: String,
}

impl DiffConfig {
    /// Checks rule ids, reasons and pointers.
    pub fn validate(&self) -> Result<(), String> {
        for id in self.severity.keys() {
            if Rule::from_id(id).is_none() {
                return Err(unknown(id, "diff.severity"));
            }
        }
        for (i, ignore) in self.ignore.iter().enumerate() {
            let at = format!("diff.ignore[{i}]");
            if ignore.rule == "*" {
                if ignore.pointer.is_none() && ignore.operation.is_none() {
                    return Err(format!(
                        "{at}: `rule = \"*\"` needs a `pointer` or an `operation`, or it would hide every change"
                    ));
                }
            } else if Rule::from_id(&ignore.rule).is_none() {
                return Err(unknown(&ignore.rule, &at));
            }
            if ignore.reason.trim().is_empty() {
                return Err(format!(
                    "{at}: `reason` must say why the change is accepted"
                ));
            }
            if let Some(pointer) = &ignore.pointer
                && !normalize_pointer(pointer).starts_with('/')
            {
                return Err(format!(
                    "{at}: `pointer` must be a JSON pointer such as \"/paths/~1pets/get\", got \"{pointer}\""
                ));
            }
        }
        Ok(())
    }

    /// The severity a rule has for this contract.
    pub fn severity_of(&self, rule: Rule) -> Severity {
        self.severity
            .get(rule.id())
            .copied()
            .unwrap_or_else(|| rule.default_severity())
    }

    /// The reason a change is accepted, if it is.
    pub fn ignored(&self, change: &Change) -> Option<&str> {
        self.ignore
            .iter()
            .find(|i| i.matches(change))
            .map(|i| i.reason.as_str())
    }
}

fn unknown(id: &str, at: &str) -> String {
    let close = Rule::ALL
        .iter()
        .map(|r| r.id())
        .filter(|r| r.contains(id) || id.contains(r))
        .take(3)
        .collect::<Vec<_>>();
    let hint = if close.is_empty() {
        " (see the rule catalogue in the manual, docs/src/diff-rules.md)".to_string()
    } else {
        format!(" (did you mean {}?)", close.join(", "))
    };
    format!("{at}: unknown rule `{id}`{hint}")
}

fn normalize_pointer(pointer: &str) -> &str {
    pointer.strip_prefix('#').unwrap_or(pointer)
}

fn under(pointer: Option<&str>, prefix: &str) -> bool {
    pointer.is_some_and(|p| {
        p == prefix || (p.starts_with(prefix) && p.as_bytes().get(prefix.len()) == Some(&b'/'))
    })
}

impl Ignore {
    /// Whether this entry accepts `change`.
    pub fn matches(&self, change: &Change) -> bool {
        if self.rule != "*" && self.rule != change.rule.id() {
            return false;
        }
        if let Some(pointer) = &self.pointer {
            let prefix = normalize_pointer(pointer).trim_end_matches('/');
            if !under(change.old_pointer.as_deref(), prefix)
                && !under(change.new_pointer.as_deref(), prefix)
            {
                return false;
            }
        }
        if let Some(wanted) = &self.operation {
            let by_label = change.operation.as_deref().is_some_and(|label| {
                match (label.split_once(' '), wanted.trim().split_once(' ')) {
                    (Some((m1, p1)), Some((m2, p2))) => {
                        m1.eq_ignore_ascii_case(m2) && p1 == p2.trim()
                    }
                    _ => false,
                }
            });
            let by_id = change.operation_id.as_deref() == Some(wanted.trim());
            if !by_label && !by_id {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(rule: Rule, pointer: &str) -> Change {
        Change {
            rule,
            old_pointer: Some(pointer.into()),
            new_pointer: None,
            operation: Some("DELETE /pets/{id}".into()),
            operation_id: Some("deletePet".into()),
            message: String::new(),
        }
    }

    fn ignore(rule: &str, pointer: Option<&str>, operation: Option<&str>) -> Ignore {
        Ignore {
            rule: rule.into(),
            pointer: pointer.map(Into::into),
            operation: operation.map(Into::into),
            reason: "accepted".into(),
        }
    }

    #[test]
    fn ignores_match_rule_pointer_prefix_and_operation() {
        let c = change(Rule::OperationRemoved, "/paths/~1pets~1{id}/delete");
        assert!(ignore("operation-removed", None, None).matches(&c));
        assert!(!ignore("path-removed", None, None).matches(&c));
        assert!(ignore("*", Some("#/paths/~1pets~1{id}"), None).matches(&c));
        assert!(!ignore("*", Some("/paths/~1pets"), None).matches(&c));
        assert!(ignore("operation-removed", None, Some("delete /pets/{id}")).matches(&c));
        assert!(ignore("operation-removed", None, Some("deletePet")).matches(&c));
        assert!(!ignore("operation-removed", None, Some("GET /pets/{id}")).matches(&c));
    }

    #[test]
    fn validation_refuses_typos_and_missing_reasons() {
        let ok = DiffConfig {
            fail_on: Some(Severity::Security),
            severity: [("response-enum-value-added".to_string(), Severity::Warning)].into(),
            ignore: vec![ignore("*", Some("/paths"), None)],
        };
        assert!(ok.validate().is_ok());
        assert_eq!(
            ok.severity_of(Rule::ResponseEnumValueAdded),
            Severity::Warning
        );
        assert_eq!(ok.severity_of(Rule::PathRemoved), Severity::Breaking);

        let typo = DiffConfig {
            severity: [("response-enum-value-add".to_string(), Severity::Info)].into(),
            ..DiffConfig::default()
        };
        let err = typo.validate().unwrap_err();
        assert!(
            err.contains("did you mean response-enum-value-added"),
            "{err}"
        );

        let mut no_reason = ignore("path-removed", None, None);
        no_reason.reason = " ".into();
        let cases = [
            vec![no_reason],
            vec![ignore("*", None, None)],
            vec![ignore("path-removed", Some("paths/x"), None)],
        ];
        for ignores in cases {
            let config = DiffConfig {
                ignore: ignores,
                ..DiffConfig::default()
            };
            assert!(config.validate().is_err(), "{config:?}");
        }
    }
}
