//! Structural diff of two OpenAPI 3.0/3.1 documents, classified for a Rust client pinned to
//! the old one: every change gets a stable rule id ([`Rule`]), a severity ([`Severity`]:
//! `security`, `breaking`, `warning`, `info`), the JSON pointer of where it is in each
//! document, and a one-line message.
//!
//! - [`resolve`]: cycle-safe `$ref` following and JSON pointers;
//! - `walk` matches paths (by template), operations, webhooks and named schemas;
//!   `operation`, `callbacks`, `schema`, `object`, `variants`, `keywords` and `security`
//!   compare the pairs; `docs` reports changed descriptions, summaries and titles;
//! - [`rules`]: the catalogue; [`suppress`]: per-contract overrides and ignores; [`selection`]:
//!   which changes touch a contract's selected operations;
//! - [`review`]: the reviewed result, its counts and JSON; [`markdown`]: the pull-request
//!   comment, bounded to fit GitHub's limit; [`annotate`]: SARIF and GitHub annotations on the
//!   new spec file.
//!
//! Both documents are borrowed, never cloned or inlined; a pair of nodes reached through
//! references is compared once per direction, which keeps a diff of the 12 MB GitHub
//! description linear in its size.

pub mod annotate;
mod callbacks;
mod docs;
mod keywords;
pub mod markdown;
mod object;
mod operation;
pub mod pattern;
mod reach;
pub mod resolve;
pub mod review;
pub mod rules;
mod schema;
mod security;
pub mod selection;
mod shape;
pub mod suppress;
mod values;
mod variants;
mod walk;

#[cfg(test)]
mod tests;

use serde_json::Value;

pub use review::{Finding, Report, Summary};
pub use rules::{Rule, Severity};
pub use suppress::{DiffConfig, Ignore};

/// One difference between two documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What kind of change.
    pub rule: Rule,
    /// Where it is in the old document (RFC 6901 JSON pointer), when it is there.
    pub old_pointer: Option<String>,
    /// Where it is in the new document, when it is there.
    pub new_pointer: Option<String>,
    /// The operation it was found through, as `METHOD /path` (`WEBHOOK name` for webhooks).
    /// A change inside a shared component is reported once, through the first operation
    /// that reaches it (all of them are in `affects`); `None` outside operations.
    pub operation: Option<String>,
    /// That operation's operationId.
    pub operation_id: Option<String>,
    /// One line for people.
    pub message: String,
    /// Every operation it affects (`METHOD /path`, `WEBHOOK name`), in document order: all
    /// those that reach the shared component it is in, not only the first. Empty when no
    /// operation reaches it (a document-level change, or a schema nothing uses).
    pub affects: Vec<String>,
    /// Whether `affects` was cut short: a component shared so widely that collecting every
    /// operation reaching it was stopped (the message says "at least").
    pub affects_cut: bool,
}

impl Change {
    /// Where to show it in the new document: its new pointer, else its old one (whose nearest
    /// ancestor present in the new document is the place of something removed).
    pub fn location(&self) -> &str {
        self.new_pointer
            .as_deref()
            .or(self.old_pointer.as_deref())
            .unwrap_or("")
    }
}

/// Every change from `old` to `new`, in document order, with default severities.
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    walk::run(old, new)
}

/// Refuses documents the diff does not understand (Swagger 2.0).
pub fn ensure_supported(
    path: &std::path::Path,
    version: &crate::spec::SpecVersion,
) -> crate::Result<()> {
    match version {
        crate::spec::SpecVersion::Swagger2(_) => Err(crate::Error::Swagger2 {
            spec: path.display().to_string(),
            action: "diff",
        }),
        _ => Ok(()),
    }
}

/// Compares two documents and reviews the changes with a contract's configuration.
pub fn diff(old: &Value, new: &Value, config: &DiffConfig) -> Report {
    Report::build(old, new, compare(old, new), config)
}
