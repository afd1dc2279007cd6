//! Which changes of a diff touch a contract's selected operations (its `operations`): those
//! that affect a selected operation (through the operations each change `affects`), and those
//! no operation list can rule out (document-level changes such as servers or global security,
//! and changes whose `affects` was cut short). The others are still listed, but do not block
//! `update` and are counted apart by `check` and `diff --operations`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::review::{Finding, Report};
use super::{Change, Rule, Severity};
use crate::project::selection::{Selection, operations};

/// The operations a selection selects in either of two documents, as `METHOD /path`.
#[derive(Debug, Clone)]
pub struct SelectedOperations {
    labels: BTreeSet<String>,
}

impl SelectedOperations {
    /// The operations `selection` selects in `old` or in `new` (an entry that selects nothing
    /// in one of them is no error here: a removed operation is a change the diff reports).
    pub fn new(selection: &Selection, old: &Value, new: &Value) -> SelectedOperations {
        let labels = [old, new]
            .into_iter()
            .flat_map(operations)
            .filter(|operation| selection.selects(operation))
            .map(|operation| operation.key.label())
            .collect();
        SelectedOperations { labels }
    }

    /// How many operations that is.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether no operation is selected.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Whether `change` may concern a selected operation.
    pub fn touches(&self, change: &Change) -> bool {
        if change.affects_cut {
            return true;
        }
        if change.affects.is_empty() && change.operation.is_none() {
            // A component no operation reaches concerns none; anything else outside
            // operations (servers, global security, `info`) concerns them all.
            return !change.location().starts_with("/components/");
        }
        change
            .operation
            .iter()
            .chain(&change.affects)
            .any(|label| self.labels.contains(label))
    }
}

impl Report {
    /// Keeps the findings that touch `selected` and returns the others. The version-discipline
    /// finding stays only while a kept finding still calls for it.
    pub fn split_selected(&mut self, selected: &SelectedOperations) -> Vec<Finding> {
        let (mut kept, mut outside): (Vec<Finding>, Vec<Finding>) =
            std::mem::take(&mut self.findings)
                .into_iter()
                .partition(|f| {
                    f.change.rule == Rule::VersionNotBumped || selected.touches(&f.change)
                });
        let serious = kept.iter().any(|f| {
            f.change.rule != Rule::VersionNotBumped
                && f.ignored.is_none()
                && f.severity >= Severity::Breaking
        });
        if !serious {
            let (version, rest): (Vec<Finding>, Vec<Finding>) = kept
                .into_iter()
                .partition(|f| f.change.rule == Rule::VersionNotBumped);
            kept = rest;
            outside.extend(version);
        }
        self.findings = kept;
        outside
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gates::diff::{DiffConfig, diff};
    use serde_json::json;

    fn spec(pet_id: &str, store_id: &str, server: &str) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "servers": [{"url": server}],
            "paths": {
                "/pets": {"get": {"operationId": "pets/list", "responses": {"200": {"description": "",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}}},
                "/stores": {"get": {"operationId": "stores/list", "responses": {"200": {"description": "",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Store"}}}}}}}
            },
            "components": {"schemas": {
                "Pet": {"type": "object", "required": ["id"], "properties": {"id": {"type": pet_id}}},
                "Store": {"type": "object", "required": ["id"], "properties": {"id": {"type": store_id}}}
            }}
        })
    }

    fn split(old: &Value, new: &Value, entry: &str) -> (Report, Vec<Finding>) {
        let selection = crate::project::selection::parse(&[entry.to_string()]).unwrap();
        let selected = SelectedOperations::new(&selection, old, new);
        let mut report = diff(old, new, &DiffConfig::default());
        let outside = report.split_selected(&selected);
        (report, outside)
    }

    #[test]
    fn a_breaking_change_outside_the_selection_does_not_block_it() {
        let old = spec("integer", "integer", "https://a");
        let new = spec("integer", "string", "https://a");
        assert!(diff(&old, &new, &DiffConfig::default()).fails(Severity::Breaking));
        let (inside, outside) = split(&old, &new, "pets/list");
        assert!(!inside.fails(Severity::Breaking), "{:?}", inside.findings);
        assert!(inside.findings.is_empty(), "{:?}", inside.findings);
        assert!(
            outside
                .iter()
                .any(|f| f.change.rule == Rule::VersionNotBumped)
        );
        assert!(
            outside
                .iter()
                .any(|f| f.change.affects == ["GET /stores"] && f.severity == Severity::Breaking)
        );

        let (inside, _) = split(&old, &new, "GET /stores");
        assert!(inside.fails(Severity::Breaking));
        assert!(
            inside
                .findings
                .iter()
                .any(|f| f.change.rule == Rule::VersionNotBumped)
        );
    }

    #[test]
    fn document_level_changes_touch_every_selection() {
        let old = spec("integer", "integer", "https://a");
        let new = spec("integer", "integer", "https://b");
        let (inside, outside) = split(&old, &new, "pets/list");
        assert!(!inside.findings.is_empty(), "{outside:?}");
        assert!(outside.is_empty(), "{outside:?}");
    }
}
