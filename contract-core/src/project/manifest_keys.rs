//! Every key under `contract-guard` metadata is one this tool reads: a misspelt table or key
//! (`contract` for `contracts`, `contract_guard` for `contract-guard`) would otherwise leave a
//! contract undeclared and the gate passing with nothing checked. Finds the first unknown key,
//! a near miss to suggest, and its line in the Cargo.toml.

use serde_json::Value;

/// The keys of a `contract-guard` table.
const GUARD: &[&str] = &["contracts"];
/// The keys of one contract's table.
const CONTRACT: &[&str] = &[
    "spec",
    "output",
    "interface",
    "tags",
    "derives",
    "accept",
    "operations",
    "id",
    "diff",
    "artifacts",
];
/// The keys of one `artifacts` entry.
const ARTIFACT: &[&str] = &["path", "runtime", "command", "ignore", "timeout"];
/// The keys of a contract's `diff` table (`severity` maps rule ids, checked elsewhere).
const DIFF: &[&str] = &["fail-on", "severity", "ignore"];
/// The keys of one `diff.ignore` entry.
const IGNORE: &[&str] = &["rule", "pointer", "operation", "reason"];

/// The tool's own metadata key.
pub const GUARD_KEY: &str = "contract-guard";

/// One step into a TOML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A key of a table.
    Key(String),
    /// An element of an array (of tables).
    Index(usize),
}

/// A key that is not one this tool reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// The table holding it, from `package`/`workspace` down.
    pub table: Vec<Step>,
    /// The key as written.
    pub key: String,
    /// The known key it most likely means.
    pub suggestion: Option<&'static str>,
    /// The keys that table may hold.
    pub known: &'static [&'static str],
}

impl UnknownKey {
    /// The table as a TOML header: `package.metadata.contract-guard.contracts.x.diff.ignore[0]`.
    pub fn table_name(&self) -> String {
        let mut name = String::new();
        for step in &self.table {
            match step {
                Step::Key(k) if name.is_empty() => name.push_str(k),
                Step::Key(k) => {
                    name.push('.');
                    name.push_str(k);
                }
                Step::Index(i) => name.push_str(&format!("[{i}]")),
            }
        }
        name
    }

    /// The line of the key in `manifest_text`, when the document parses and holds it.
    pub fn line(&self, manifest_text: &str) -> Option<usize> {
        let doc = toml_edit::Document::parse(manifest_text).ok()?;
        let mut table: &dyn toml_edit::TableLike = doc.as_table();
        let mut steps = self.table.iter().peekable();
        while let Some(step) = steps.next() {
            let Step::Key(key) = step else { return None };
            let item = table.get(key)?;
            table = match steps.peek() {
                Some(Step::Index(i)) => {
                    let i = *i;
                    steps.next();
                    element(item, i)?
                }
                _ => item.as_table_like()?,
            };
        }
        let (key, _) = table.get_key_value(&self.key)?;
        let start = key.span()?.start;
        Some(manifest_text.get(..start)?.matches('\n').count() + 1)
    }
}

fn element(item: &toml_edit::Item, i: usize) -> Option<&dyn toml_edit::TableLike> {
    if let Some(tables) = item.as_array_of_tables() {
        return tables.get(i).map(|t| t as &dyn toml_edit::TableLike);
    }
    item.as_array()?
        .get(i)?
        .as_inline_table()
        .map(|t| t as &dyn toml_edit::TableLike)
}

/// The first unknown key under `metadata` (`package.metadata` when `package`, else
/// `workspace.metadata`): a near miss of `contract-guard` itself, or any key of its tables
/// that this tool does not read. Values of the wrong type are left to deserialisation.
pub fn find_unknown(metadata: &Value, package: bool) -> Option<UnknownKey> {
    let root = if package { "package" } else { "workspace" };
    let mut at = vec![Step::Key(root.into()), Step::Key("metadata".into())];
    let object = metadata.as_object()?;
    if let Some(key) = object
        .keys()
        .find(|k| *k != GUARD_KEY && close(k, GUARD_KEY))
    {
        return Some(unknown(at, key, &[GUARD_KEY]));
    }
    let guard = object.get(GUARD_KEY)?;
    at.push(Step::Key(GUARD_KEY.into()));
    walk_guard(guard, at).err()
}

fn walk_guard(guard: &Value, mut at: Vec<Step>) -> Result<(), UnknownKey> {
    known_keys(guard, GUARD, &at)?;
    let Some(contracts) = guard.get("contracts").and_then(Value::as_object) else {
        return Ok(());
    };
    at.push(Step::Key("contracts".into()));
    for (name, contract) in contracts {
        let mut at = at.clone();
        at.push(Step::Key(name.clone()));
        known_keys(contract, CONTRACT, &at)?;
        walk_array(contract, "artifacts", ARTIFACT, &at)?;
        let Some(diff) = contract.get("diff") else {
            continue;
        };
        at.push(Step::Key("diff".into()));
        known_keys(diff, DIFF, &at)?;
        let ignores = diff.get("ignore").and_then(Value::as_array);
        at.push(Step::Key("ignore".into()));
        for (i, ignore) in ignores.into_iter().flatten().enumerate() {
            let mut at = at.clone();
            at.push(Step::Index(i));
            known_keys(ignore, IGNORE, &at)?;
        }
    }
    Ok(())
}

/// Checks every table of the array `key` of `table` against `known`.
fn walk_array(
    table: &Value,
    key: &str,
    known: &'static [&'static str],
    at: &[Step],
) -> Result<(), UnknownKey> {
    let elements = table.get(key).and_then(Value::as_array);
    for (i, element) in elements.into_iter().flatten().enumerate() {
        let mut at = at.to_vec();
        at.extend([Step::Key(key.into()), Step::Index(i)]);
        known_keys(element, known, &at)?;
    }
    Ok(())
}

fn known_keys(
    table: &Value,
    known: &'static [&'static str],
    at: &[Step],
) -> Result<(), UnknownKey> {
    let Some(object) = table.as_object() else {
        return Ok(());
    };
    match object.keys().find(|k| !known.contains(&k.as_str())) {
        Some(key) => Err(unknown(at.to_vec(), key, known)),
        None => Ok(()),
    }
}

fn unknown(table: Vec<Step>, key: &str, known: &'static [&'static str]) -> UnknownKey {
    UnknownKey {
        table,
        key: key.to_string(),
        suggestion: known.iter().copied().find(|k| close(key, k)),
        known,
    }
}

/// Whether `written` is a near miss of `known`: a case, `_`-for-`-` or plural slip, or at
/// most two edits apart (one for short keys).
pub(crate) fn close(written: &str, known: &str) -> bool {
    let folded = written.to_ascii_lowercase().replace('_', "-");
    if folded == known || folded.trim_end_matches('s') == known.trim_end_matches('s') {
        return true;
    }
    let limit = if known.len() <= 4 { 1 } else { 2 };
    crate::util::names::edit_distance(&folded, known) <= limit
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn misspelt_tables_and_keys_are_found_with_a_suggestion_and_line() {
        let manifest = "[package]\nname = \"app\"\n\n[package.metadata.contract-guard.contract.pets]\nspec = \"x.yaml\"\n";
        let metadata = json!({"contract-guard": {"contract": {"pets": {"spec": "x.yaml"}}}});
        let found = find_unknown(&metadata, true).unwrap();
        assert_eq!(found.key, "contract");
        assert_eq!(found.suggestion, Some("contracts"));
        assert_eq!(found.table_name(), "package.metadata.contract-guard");
        assert_eq!(found.line(manifest), Some(4));
    }

    #[test]
    fn every_level_is_checked() {
        let cases = [
            (
                json!({"contract_guard": {}}),
                "contract_guard",
                Some("contract-guard"),
            ),
            (
                json!({"contract-guard": {"contracts": {"p": {"spec": "x", "ouput": "y"}}}}),
                "ouput",
                Some("output"),
            ),
            (
                json!({"contract-guard": {"contracts": {"p": {"spec": "x", "diff": {"fail_on": "info"}}}}}),
                "fail_on",
                Some("fail-on"),
            ),
            (
                json!({"contract-guard": {"contracts": {"p": {"spec": "x", "diff": {"ignore": [{"rule": "r", "reasons": "z"}]}}}}}),
                "reasons",
                Some("reason"),
            ),
            (
                json!({"contract-guard": {"contracts": {"p": {"spec": "x", "artifacts": [{"path": "a.ts", "comand": []}]}}}}),
                "comand",
                Some("command"),
            ),
            (
                json!({"contract-guard": {"contracts": {}, "strict": true}}),
                "strict",
                None,
            ),
        ];
        for (metadata, key, suggestion) in cases {
            let found = find_unknown(&metadata, false).unwrap_or_else(|| panic!("{metadata}"));
            assert_eq!(
                (found.key.as_str(), found.suggestion),
                (key, suggestion),
                "{metadata}"
            );
        }
        let fine = json!({"contract-guard": {"contracts": {"p": {"spec": "x", "diff": {"ignore": [{"rule": "r", "reason": "z"}]}}}}, "docs": {}});
        assert_eq!(find_unknown(&fine, true), None);
    }

    #[test]
    fn lines_are_found_in_inline_and_array_tables() {
        let manifest = "[workspace]\n[workspace.metadata.contract-guard.contracts]\np = { spec = \"x\", diff = { ignore = [\n  { rule = \"r\", reasons = \"z\" },\n] } }\n";
        let metadata = json!({"contract-guard": {"contracts": {"p": {"spec": "x", "diff": {"ignore": [{"rule": "r", "reasons": "z"}]}}}}});
        let found = find_unknown(&metadata, false).unwrap();
        assert_eq!(found.line(manifest), Some(4));
        let manifest = "[package]\n[[package.metadata.contract-guard.contracts.p.diff.ignore]]\nrule = \"r\"\n\nreasons = \"z\"\n";
        let found = find_unknown(&metadata, true).unwrap();
        assert_eq!(found.line(manifest), Some(5));
    }
}
