//! SARIF 2.1.0 (the format GitHub code scanning and most CI dashboards read), written with
//! plain serde structs. Validated against the official schema in the tests.

use serde::Serialize;

use super::{Annotation, Level, Rule};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    /// How `startColumn` counts: in code points, as [`Annotation::column`] does.
    column_kind: &'static str,
    invocations: [Invocation<'a>; 1],
    results: Vec<SarifResult<'a>>,
}

/// Whether the run completed; the errors that kept it from completing are notifications.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
struct Notification<'a> {
    level: &'static str,
    message: Text<'a>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'a str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor<'a> {
    id: &'a str,
    short_description: Text<'a>,
    help: Text<'a>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text<'a>,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[Suppression<'a>; 1]>,
}

/// An accepted finding: `external` means accepted in configuration, not in the source.
#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    justification: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation<'a> {
    uri: &'a str,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Note => "note",
        Level::Warning => "warning",
        Level::Error => "error",
    }
}

/// A SARIF log with one run of `cargo-contract-guard` (`version`), its rules and results.
/// Files are relative to the workspace root (`%SRCROOT%`).
pub fn render(version: &str, rules: &[Rule], annotations: &[Annotation]) -> String {
    render_with_errors(version, rules, annotations, &[])
}

/// A SARIF log of a run that could not complete: no results, the invocation not successful,
/// and `message` as its error notification.
pub fn render_failure(version: &str, message: &str) -> String {
    render_with_errors(version, &[], &[], &[message.to_string()])
}

/// Like [`render`], for a run that found `annotations` but could not complete everything:
/// each of `errors` is an error notification of an invocation that was not successful.
pub fn render_with_errors(
    version: &str,
    rules: &[Rule],
    annotations: &[Annotation],
    errors: &[String],
) -> String {
    let index = |id: &str| rules.iter().position(|r| r.id == id).unwrap_or(0);
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            tool: Tool {
                driver: Driver {
                    name: "cargo-contract-guard",
                    version,
                    information_uri: "https://crates.io/crates/cargo-contract-guard",
                    rules: rules
                        .iter()
                        .map(|r| ReportingDescriptor {
                            id: &r.id,
                            short_description: Text { text: &r.short },
                            help: Text { text: &r.help },
                        })
                        .collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: errors.is_empty(),
                tool_execution_notifications: errors
                    .iter()
                    .map(|text| Notification {
                        level: "error",
                        message: Text { text },
                    })
                    .collect(),
            }],
            results: annotations
                .iter()
                .map(|a| SarifResult {
                    rule_id: &a.rule,
                    rule_index: index(&a.rule),
                    level: level(a.level),
                    message: Text { text: &a.message },
                    locations: [Location {
                        physical_location: PhysicalLocation {
                            artifact_location: ArtifactLocation {
                                uri: &a.file,
                                uri_base_id: "%SRCROOT%",
                            },
                            region: a.line.map(|start_line| Region {
                                start_line,
                                start_column: a.column,
                            }),
                        },
                    }],
                    suppressions: a.suppressed.as_deref().map(|justification| {
                        [Suppression {
                            kind: "external",
                            justification,
                        }]
                    }),
                })
                .collect(),
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}
