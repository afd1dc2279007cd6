//! A reviewed diff as report annotations (SARIF, GitHub workflow commands), placed on the lines
//! of the new spec's files: where a change is, or for something removed, where it was last
//! present (its nearest ancestor that still exists); in the file a part was inlined from when
//! the spec spans several.

use std::path::Path;

use super::review::{Finding, Report};
use super::rules::{Rule, Severity};
use crate::report::{Annotation, Level};
use crate::spec::ParsedSpec;

/// The annotations of `report` on the files of `new` (the spec the report's new side was
/// read from), named relative to `base`. Findings at or above `fail_on` are errors, other
/// breaking, security and warning findings are warnings, info findings are notes (left out
/// unless `with_info`); accepted findings are kept as suppressed.
pub fn annotations(
    report: &Report,
    new: &ParsedSpec,
    base: &Path,
    fail_on: Severity,
    with_info: bool,
) -> Vec<Annotation> {
    let findings: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| with_info || f.severity > Severity::Info || f.ignored.is_some())
        .collect();
    let pointers: Vec<&str> = findings.iter().map(|f| f.change.location()).collect();
    let places = new.locate(&pointers, base);
    findings
        .into_iter()
        .zip(places)
        .map(|(f, place)| Annotation {
            rule: f.change.rule.id().into(),
            level: level(f.severity, fail_on),
            file: place.file,
            line: place.line,
            column: place.column,
            message: message(f),
            suppressed: f.ignored.clone(),
        })
        .collect()
}

fn level(severity: Severity, fail_on: Severity) -> Level {
    if severity >= fail_on {
        Level::Error
    } else if severity == Severity::Info {
        Level::Note
    } else {
        Level::Warning
    }
}

fn message(f: &Finding) -> String {
    let c = &f.change;
    let mut text = format!("{}: {}", f.severity, c.message);
    if let Some(operation) = &c.operation {
        text.push_str(&format!(" (in {operation})"));
    }
    if c.new_pointer.is_none()
        && let Some(old) = &c.old_pointer
    {
        text.push_str(&format!("; was at {old} in the old spec"));
    }
    text
}

/// Every diff rule, as SARIF rule descriptors.
pub fn rules() -> Vec<crate::report::Rule> {
    Rule::ALL
        .iter()
        .map(|rule| crate::report::Rule {
            id: rule.id().into(),
            short: rule.summary().into(),
            help: format!(
                "Default severity: {}. Judged for a client generated from the old spec. To \
                 accept this change, add an `ignore` entry with a reason (or a severity \
                 override) under `[package.metadata.contract-guard.contracts.<name>.diff]`.",
                rule.default_severity()
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::gates::diff::{DiffConfig, Ignore, diff};

    const NEW: &str = "\
openapi: 3.0.3
info:
  title: Pets
  version: 1.0.0
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  type: string
";

    fn old() -> serde_json::Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "Pets", "version": "1.0.0"},
            "paths": {
                "/pets": {"get": {"operationId": "listPets", "responses": {"200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"type": "array", "items": {"type": "integer"}}}}
                }}}},
                "/owners": {"get": {"operationId": "listOwners", "responses": {"200": {"description": "ok"}}}}
            }
        })
    }

    /// `NEW` written to `api/new.yaml` under `dir`, parsed.
    fn new_spec(dir: &Path) -> ParsedSpec {
        let path = dir.join("api/new.yaml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, NEW).unwrap();
        crate::spec::parse_file(&path).unwrap()
    }

    #[test]
    fn findings_land_on_the_new_spec_lines() {
        let dir = tempfile::tempdir().unwrap();
        let new = new_spec(dir.path());
        let report = diff(&old(), &new.document, &DiffConfig::default());
        let out = annotations(&report, &new, dir.path(), Severity::Breaking, true);
        let find = |rule: &str| {
            out.iter()
                .find(|a| a.rule == rule)
                .unwrap_or_else(|| panic!("no {rule} in {out:#?}"))
        };
        // The changed schema is `items` (line 16); the removed path was under `paths` (line 5).
        let changed = find("response-type-changed");
        assert_eq!(
            (changed.line, changed.level, changed.file.as_str()),
            (Some(16), Level::Error, "api/new.yaml")
        );
        assert_eq!(changed.column, Some(17), "where `items:` starts");
        assert!(
            changed.message.starts_with("breaking: "),
            "{}",
            changed.message
        );
        assert!(
            changed.message.contains("(in GET /pets)"),
            "{}",
            changed.message
        );
        let removed = find("path-removed");
        assert_eq!((removed.line, removed.column), (Some(5), Some(1)));
        assert!(
            removed.message.contains("was at /paths/~1owners"),
            "{}",
            removed.message
        );
        // Breaking without a version bump.
        let bumped = find("version-not-bumped");
        assert_eq!((bumped.line, bumped.column), (Some(4), Some(3)));
    }

    #[test]
    fn findings_in_a_referenced_file_land_in_that_file() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "api/spec.yaml",
            "openapi: 3.0.3\ninfo: {title: Pets, version: 1.0.0}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: 'schemas/pets.yaml#/Pets'\n",
        );
        write(
            "api/schemas/pets.yaml",
            "Pets:\n  type: array\n  items:\n    $ref: '#/Pet'\nPet:\n  type: object\n  properties:\n    id:\n      type: string\n",
        );
        let new =
            crate::spec::parse_file_inlined(&dir.path().join("api/spec.yaml"), dir.path()).unwrap();
        let mut old = new.document.clone();
        old["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            ["items"]["properties"]["id"]["type"] = json!("integer");
        let report = diff(&old, &new.document, &DiffConfig::default());
        let out = annotations(&report, &new, dir.path(), Severity::Breaking, true);
        let changed = out
            .iter()
            .find(|a| a.rule == "response-type-changed")
            .unwrap_or_else(|| panic!("no response-type-changed in {out:#?}"));
        // `id` is on line 8 of the schema file, two references away from the spec.
        assert_eq!(
            (changed.file.as_str(), changed.line),
            ("api/schemas/pets.yaml", Some(8))
        );
        let bumped = out.iter().find(|a| a.rule == "version-not-bumped").unwrap();
        assert_eq!(
            (bumped.file.as_str(), bumped.line),
            ("api/spec.yaml", Some(2))
        );
    }

    #[test]
    fn levels_follow_fail_on_and_ignores_are_suppressed() {
        let config = DiffConfig {
            ignore: vec![Ignore {
                rule: "path-removed".into(),
                pointer: None,
                operation: None,
                reason: "retired with the consumers' agreement".into(),
            }],
            ..Default::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let new = new_spec(dir.path());
        let report = diff(&old(), &new.document, &config);
        let out = annotations(&report, &new, dir.path(), Severity::Security, false);
        let removed = out.iter().find(|a| a.rule == "path-removed").unwrap();
        assert_eq!(
            removed.suppressed.as_deref(),
            Some("retired with the consumers' agreement")
        );
        let changed = out
            .iter()
            .find(|a| a.rule == "response-type-changed")
            .unwrap();
        assert_eq!(
            changed.level,
            Level::Warning,
            "breaking is below --fail-on security"
        );
        assert!(out.iter().all(|a| a.level != Level::Note), "info left out");
    }

    #[test]
    fn every_rule_has_a_descriptor() {
        let rules = rules();
        assert_eq!(rules.len(), Rule::ALL.len());
        assert!(rules.iter().all(|r| !r.short.is_empty()));
    }
}
