//! The `operations` option of a contract: which operations of a spec its client holds.
//!
//! Each entry selects operations one of three ways, and `*` in it matches any run of
//! characters (`/` included):
//!
//! - `"repos/get"`, `"pulls/*"`: by `operationId`, as the spec writes it;
//! - `"GET /repos/{owner}/{repo}"`, `"* /gists/*"`: by method (or `*`) and path template;
//! - `"tag:issues"`: by tag.
//!
//! Entries are checked twice, so that a typo never silently leaves an operation out: their
//! syntax when the contract is read ([`parse`]), and against the spec before generation
//! ([`Selection::resolve`]), where an entry that selects nothing is an error naming the
//! closest name the spec has.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::spec::METHODS;
use crate::util::json_pointer;
use crate::util::names;

/// One parsed entry of `operations`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Selector {
    /// An `operationId` pattern.
    Id(String),
    /// A method (`None` for `*`) and a path template pattern.
    Route {
        method: Option<&'static str>,
        path: String,
    },
    /// A tag pattern.
    Tag(String),
}

/// The operations a contract selects: every entry as written, and what it means.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    entries: Vec<(String, Selector)>,
}

/// One operation of a spec, as selections see it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OperationKey {
    /// The path template, e.g. `/repos/{owner}/{repo}`.
    pub path: String,
    /// Lowercase method.
    pub method: &'static str,
}

impl OperationKey {
    /// `GET /repos/{owner}/{repo}`.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_ascii_uppercase(), self.path)
    }

    /// The JSON pointer of the operation (`/paths/~1pets/get`).
    pub fn pointer(&self) -> String {
        json_pointer::child(&json_pointer::child("/paths", &self.path), self.method)
    }
}

/// One operation of a spec with what selectors match it.
#[derive(Debug, Clone)]
pub struct OperationInfo {
    /// Where it is.
    pub key: OperationKey,
    /// Its `operationId`, when it has one.
    pub id: Option<String>,
    /// Its tags.
    pub tags: Vec<String>,
}

/// Checks the syntax of every entry; sorts and de-duplicates them (their order does not
/// change the selection, so it does not change the options' fingerprint either).
pub fn normalize(entries: &[String]) -> Result<Vec<String>, String> {
    parse(entries)?;
    let mut sorted = entries.to_vec();
    sorted.sort();
    sorted.dedup();
    Ok(sorted)
}

/// Parses the entries of `operations`. An empty list is an error: it would select nothing.
pub fn parse(entries: &[String]) -> Result<Selection, String> {
    if entries.is_empty() {
        return Err(
            "`operations` is empty: list the operations to generate, or remove the key to generate all of them"
                .into(),
        );
    }
    let entries = entries
        .iter()
        .map(|entry| Ok((entry.clone(), parse_entry(entry)?)))
        .collect::<Result<_, String>>()?;
    Ok(Selection { entries })
}

fn parse_entry(entry: &str) -> Result<Selector, String> {
    let bad = |why: &str| format!("`{entry}` in `operations` {why}");
    if entry.trim().is_empty() || entry.trim() != entry {
        return Err(bad(
            "is empty or has leading or trailing spaces (write `repos/get`, `GET /repos/{owner}/{repo}` or `tag:issues`)",
        ));
    }
    if let Some(tag) = entry.strip_prefix("tag:") {
        return if tag.is_empty() {
            Err(bad("names no tag"))
        } else {
            Ok(Selector::Tag(tag.to_string()))
        };
    }
    if let Some((method, path)) = entry.split_once(' ') {
        let method = if method == "*" {
            None
        } else {
            let lower = method.to_ascii_lowercase();
            Some(
                *METHODS
                    .iter()
                    .find(|m| **m == lower)
                    .ok_or_else(|| bad("starts with no HTTP method (`GET`, `POST`, … or `*`)"))?,
            )
        };
        if !path.starts_with('/') || path.contains(' ') {
            return Err(bad(
                "has no path template after its method (`GET /repos/{owner}/{repo}`)",
            ));
        }
        return Ok(Selector::Route {
            method,
            path: path.to_string(),
        });
    }
    Ok(Selector::Id(entry.to_string()))
}

/// Whether `text` matches `pattern`, where `*` matches any run of characters.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

impl Selector {
    fn matches(&self, operation: &OperationInfo) -> bool {
        match self {
            Selector::Id(pattern) => operation
                .id
                .as_deref()
                .is_some_and(|id| glob_matches(pattern, id)),
            Selector::Route { method, path } => {
                method.is_none_or(|m| m == operation.key.method)
                    && glob_matches(path, &operation.key.path)
            }
            Selector::Tag(pattern) => operation.tags.iter().any(|t| glob_matches(pattern, t)),
        }
    }

    /// The names of the spec an entry of this kind could have meant.
    fn candidates(&self, operations: &[OperationInfo]) -> Vec<String> {
        let mut names: Vec<String> = match self {
            Selector::Id(_) => operations.iter().filter_map(|o| o.id.clone()).collect(),
            Selector::Route { .. } => operations.iter().map(|o| o.key.label()).collect(),
            Selector::Tag(_) => operations
                .iter()
                .flat_map(|o| o.tags.iter().map(|t| format!("tag:{t}")))
                .collect(),
        };
        names.sort();
        names.dedup();
        names
    }
}

impl Selection {
    /// The entries as written (sorted).
    pub fn entries(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(written, _)| written.as_str())
    }

    /// Whether `operation` is selected.
    pub fn selects(&self, operation: &OperationInfo) -> bool {
        self.entries.iter().any(|(_, s)| s.matches(operation))
    }

    /// The operations of `document` this selection selects. Every entry must select at least
    /// one: one that selects nothing is an error, with the closest name the spec has.
    pub fn resolve(&self, document: &Value) -> Result<BTreeSet<OperationKey>, String> {
        let operations = operations(document);
        let mut selected = BTreeSet::new();
        let mut unmatched = Vec::new();
        for (written, selector) in &self.entries {
            let mut any = false;
            for operation in operations.iter().filter(|o| selector.matches(o)) {
                any = true;
                selected.insert(operation.key.clone());
            }
            if !any {
                unmatched.push(unmatched_message(written, selector, &operations));
            }
        }
        if unmatched.is_empty() {
            Ok(selected)
        } else {
            Err(unmatched.join("; "))
        }
    }
}

fn unmatched_message(written: &str, selector: &Selector, operations: &[OperationInfo]) -> String {
    let mut message = format!("`{written}` in `operations` selects no operation of the spec");
    if written.contains('*') {
        return message;
    }
    let candidates = selector.candidates(operations);
    let known: Vec<&str> = candidates.iter().map(String::as_str).collect();
    if let Some(near) = names::closest(written, &known) {
        message.push_str(&format!(" (did you mean `{near}`?)"));
    }
    message
}

/// Every operation of `document`, paths in document order and methods in the specification's
/// order. A path item that is a local `$ref` is read through it (once).
pub fn operations(document: &Value) -> Vec<OperationInfo> {
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (path, item) in paths {
        let item = path_item(document, item);
        for method in METHODS {
            let Some(operation) = item.get(method).filter(|o| o.is_object()) else {
                continue;
            };
            out.push(OperationInfo {
                key: OperationKey {
                    path: path.clone(),
                    method,
                },
                id: operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                tags: operation
                    .get("tags")
                    .and_then(Value::as_array)
                    .map(|tags| {
                        tags.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
    }
    out
}

/// A path item, or what its local `$ref` names.
pub(crate) fn path_item<'a>(document: &'a Value, item: &'a Value) -> &'a Value {
    item.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(json_pointer::percent_decode)
        .and_then(|pointer| document.pointer(&pointer))
        .unwrap_or(item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({"paths": {
            "/repos/{owner}/{repo}": {
                "get": {"operationId": "repos/get", "tags": ["repos"]},
                "delete": {"operationId": "repos/delete", "tags": ["repos"]}
            },
            "/repos/{owner}/{repo}/pulls": {
                "get": {"operationId": "pulls/list", "tags": ["pulls"]},
                "post": {"operationId": "pulls/create", "tags": ["pulls"]}
            },
            "/issues": {"get": {"tags": ["issues"]}}
        }})
    }

    fn select(entries: &[&str]) -> Result<Vec<String>, String> {
        let entries: Vec<String> = entries.iter().map(|e| e.to_string()).collect();
        let selected = parse(&entries)?.resolve(&spec())?;
        Ok(selected.iter().map(OperationKey::label).collect())
    }

    #[test]
    fn selects_by_id_route_tag_and_glob() {
        assert_eq!(
            select(&["repos/get"]).unwrap(),
            ["GET /repos/{owner}/{repo}"]
        );
        assert_eq!(
            select(&["DELETE /repos/{owner}/{repo}"]).unwrap(),
            ["DELETE /repos/{owner}/{repo}"]
        );
        assert_eq!(select(&["tag:issues"]).unwrap(), ["GET /issues"]);
        assert_eq!(
            select(&["pulls/*"]).unwrap(),
            [
                "GET /repos/{owner}/{repo}/pulls",
                "POST /repos/{owner}/{repo}/pulls"
            ]
        );
        assert_eq!(
            select(&["* /repos/*/pulls"]).unwrap(),
            [
                "GET /repos/{owner}/{repo}/pulls",
                "POST /repos/{owner}/{repo}/pulls"
            ]
        );
        assert_eq!(
            select(&["get /issues", "tag:iss*"]).unwrap(),
            ["GET /issues"]
        );
    }

    #[test]
    fn an_entry_that_selects_nothing_is_an_error_with_a_near_miss() {
        let err = select(&["repos/gte"]).unwrap_err();
        assert!(err.contains("did you mean `repos/get`?"), "{err}");
        let err = select(&["tag:isues"]).unwrap_err();
        assert!(err.contains("did you mean `tag:issues`?"), "{err}");
        let err = select(&["GET /isues"]).unwrap_err();
        assert!(err.contains("did you mean `GET /issues`?"), "{err}");
        let err = select(&["gists/*", "repos/get"]).unwrap_err();
        assert_eq!(
            err,
            "`gists/*` in `operations` selects no operation of the spec"
        );
    }

    #[test]
    fn bad_syntax_is_refused_when_read() {
        for bad in [
            vec![],
            vec![""],
            vec![" repos/get"],
            vec!["tag:"],
            vec!["FETCH /repos"],
            vec!["GET repos"],
        ] {
            let bad: Vec<String> = bad.iter().map(|e| e.to_string()).collect();
            assert!(parse(&bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            normalize(&["b".into(), "a".into(), "b".into()]).unwrap(),
            ["a", "b"]
        );
    }

    #[test]
    fn globs_match_runs_of_any_characters() {
        assert!(glob_matches("pulls/*", "pulls/list"));
        assert!(glob_matches("*", ""));
        assert!(glob_matches("a*b*c", "axxbyyc"));
        assert!(!glob_matches("a*b*c", "axxbyy"));
        assert!(!glob_matches("ab*ba", "aba"));
        assert!(glob_matches("repos/get", "repos/get"));
        assert!(!glob_matches("repos/get", "repos/getx"));
    }
}
