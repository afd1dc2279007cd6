//! Edits to a user's Cargo.toml (declaring a contract, adding the dependencies generated code
//! needs) with `toml_edit`, so everything else in the file — comments, order, formatting —
//! stays byte-for-byte as it was.

use std::path::Path;

use toml_edit::{Array, DocumentMut, Item, Table, Value, value};

use crate::error::{Error, Result};
use crate::util::fsio;

/// Where a contract table goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `[package.metadata.contract-guard.contracts.<name>]`.
    Package,
    /// `[workspace.metadata.contract-guard.contracts.<name>]`.
    Workspace,
}

/// What `add` writes into a contract table.
#[derive(Debug, Clone)]
pub struct NewContract<'a> {
    /// Table key.
    pub name: &'a str,
    /// Spec path, relative to the crate, `/`-separated.
    pub spec: &'a str,
    /// Output path, relative to the crate, `/`-separated.
    pub output: Option<&'a str>,
}

/// A dependency the generated code needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// Crate name.
    pub name: &'static str,
    /// Version requirement.
    pub version: &'static str,
    /// Features it must have.
    pub features: &'static [&'static str],
    /// Whether to write `default-features = false` for a new entry.
    pub no_default_features: bool,
    /// Where cargo gets it from, besides the version requirement.
    pub source: DependencySource,
}

/// Where a new dependency entry points, besides its version requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DependencySource {
    /// The registry (crates.io): `version` only.
    Registry,
    /// `path = "…"` (`/`-separated): used while building; publishing keeps only the version.
    Path(String),
    /// `git = "…"`, with an optional `rev = "…"`.
    Git {
        /// The repository URL.
        url: String,
        /// A commit, tag or branch name.
        rev: Option<String>,
    },
}

fn edit_error(path: &Path, message: impl Into<String>) -> Error {
    Error::ManifestEdit {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn read_document(path: &Path) -> Result<DocumentMut> {
    let bytes = crate::util::fsio::read_bounded(path, crate::util::fsio::MAX_TEXT_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::io(
            "read",
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        )
    })?;
    text.parse::<DocumentMut>()
        .map_err(|e| edit_error(path, e.message().to_string()))
}

/// Descends into (creating as needed) nested tables; intermediate tables are implicit so they
/// do not get headers of their own.
fn table_at<'d>(path: &Path, doc: &'d mut DocumentMut, keys: &[&str]) -> Result<&'d mut Table> {
    let mut table = doc.as_table_mut();
    for key in keys {
        let entry = table.entry(key).or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        });
        if let Item::Value(Value::InlineTable(inline)) = entry {
            *entry = Item::Table(inline.clone().into_table());
        }
        table = entry
            .as_table_mut()
            .ok_or_else(|| edit_error(path, format!("`{key}` is not a table")))?;
    }
    Ok(table)
}

/// Declares a contract. Adding the same declaration again changes nothing; a different one
/// under the same name is an error. Returns whether the file changed.
pub fn add_contract(manifest: &Path, scope: Scope, new: &NewContract<'_>) -> Result<bool> {
    let mut doc = read_document(manifest)?;
    let root = match scope {
        Scope::Package => "package",
        Scope::Workspace => "workspace",
    };
    if !doc.contains_key(root) {
        return Err(edit_error(manifest, format!("it has no `[{root}]` table")));
    }
    let contracts = table_at(
        manifest,
        &mut doc,
        &[root, "metadata", "contract-guard", "contracts"],
    )?;
    if let Some(existing) = contracts.get(new.name) {
        let spec = existing.get("spec").and_then(Item::as_str).unwrap_or("?");
        let output = existing.get("output").and_then(Item::as_str);
        if spec == new.spec && output == new.output {
            return Ok(false);
        }
        return Err(Error::ContractExists {
            name: new.name.to_string(),
            manifest: manifest.to_path_buf(),
            table: format!("[{root}.metadata.contract-guard.contracts.{}]", new.name),
            existing_spec: spec.to_string(),
        });
    }
    let mut table = Table::new();
    table.insert("spec", value(new.spec));
    if let Some(output) = new.output {
        table.insert("output", value(output));
    }
    contracts.insert(new.name, Item::Table(table));
    fsio::write_atomic(manifest, doc.to_string().as_bytes())
}

/// Makes sure `[dependencies]` has each crate with at least the listed features. Existing
/// entries keep their version and source; only missing features are appended. Returns the
/// names of the crates added or changed.
pub fn ensure_dependencies(manifest: &Path, deps: &[Dependency]) -> Result<Vec<String>> {
    let mut doc = read_document(manifest)?;
    let table = table_at(manifest, &mut doc, &["dependencies"])?;
    table.set_implicit(false);
    let mut changed = Vec::new();
    for dep in deps {
        match table.get_mut(dep.name) {
            None => {
                let mut inline = toml_edit::InlineTable::new();
                inline.insert("version", dep.version.into());
                insert_source(&mut inline, &dep.source);
                if dep.no_default_features {
                    inline.insert("default-features", false.into());
                }
                if !dep.features.is_empty() {
                    inline.insert("features", feature_array(dep.features).into());
                }
                let item = if inline.len() == 1 {
                    value(dep.version)
                } else {
                    Item::Value(Value::InlineTable(inline))
                };
                table.insert(dep.name, item);
                changed.push(dep.name.to_string());
            }
            Some(existing) => {
                if add_missing_features(existing, dep.features) {
                    changed.push(dep.name.to_string());
                }
            }
        }
    }
    if !changed.is_empty() {
        fsio::write_atomic(manifest, doc.to_string().as_bytes())?;
    }
    Ok(changed)
}

fn insert_source(inline: &mut toml_edit::InlineTable, source: &DependencySource) {
    match source {
        DependencySource::Registry => {}
        DependencySource::Path(path) => {
            inline.insert("path", path.as_str().into());
        }
        DependencySource::Git { url, rev } => {
            inline.insert("git", url.as_str().into());
            if let Some(rev) = rev {
                inline.insert("rev", rev.as_str().into());
            }
        }
    }
}

fn feature_array(features: &[&str]) -> Array {
    features.iter().copied().collect()
}

/// Appends features missing from an existing dependency entry. Returns whether it changed.
fn add_missing_features(entry: &mut Item, features: &[&str]) -> bool {
    if features.is_empty() {
        return false;
    }
    // `name = "1.0"` becomes `name = { version = "1.0", features = [...] }`, keeping comments.
    if let Some(Value::String(version)) = entry.as_value() {
        let decor = version.decor().clone();
        let mut inline = toml_edit::InlineTable::new();
        inline.insert("version", version.value().as_str().into());
        inline.insert("features", feature_array(features).into());
        let mut new_value = Value::InlineTable(inline);
        *new_value.decor_mut() = decor;
        *entry = Item::Value(new_value);
        return true;
    }
    let Some(table) = entry.as_table_like_mut() else {
        return false;
    };
    let mut array = table
        .get("features")
        .and_then(Item::as_array)
        .cloned()
        .unwrap_or_default();
    let before = array.len();
    for feature in features {
        if !array.iter().any(|f| f.as_str() == Some(feature)) {
            array.push(*feature);
        }
    }
    if array.len() == before {
        return false;
    }
    table.insert("features", Item::Value(Value::Array(array)));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "# my crate\n[package]\nname = \"app\" # the name\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\n";

    #[test]
    fn add_contract_preserves_everything_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cargo.toml");
        std::fs::write(&path, MANIFEST).unwrap();
        let new = NewContract {
            name: "pets",
            spec: "specs/pets.yaml",
            output: Some("src/gen/pets.rs"),
        };
        assert!(add_contract(&path, Scope::Package, &new).unwrap());
        let text = std::fs::read_to_string(&path).unwrap();
        let block = "[package.metadata.contract-guard.contracts.pets]\nspec = \"specs/pets.yaml\"\noutput = \"src/gen/pets.rs\"\n\n";
        assert!(text.contains(block), "{text}");
        assert_eq!(
            text.replacen(block, "", 1),
            MANIFEST,
            "the rest of the file changed"
        );
        assert!(!add_contract(&path, Scope::Package, &new).unwrap());
        let other = NewContract {
            spec: "other.yaml",
            ..new
        };
        let err = add_contract(&path, Scope::Package, &other).unwrap_err();
        assert!(matches!(err, Error::ContractExists { .. }), "{err}");
        let hint = err.hint().unwrap();
        assert!(
            hint.contains(&format!(
                "`[package.metadata.contract-guard.contracts.{}]`",
                new.name
            )),
            "{hint}"
        );
    }

    #[test]
    fn ensure_dependencies_respects_existing_entries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cargo.toml");
        std::fs::write(&path, MANIFEST).unwrap();
        let deps = [
            Dependency {
                name: "serde",
                version: "1.0",
                features: &["derive"],
                no_default_features: false,
                source: DependencySource::Registry,
            },
            Dependency {
                name: "reqwest",
                version: "0.13",
                features: &["json"],
                no_default_features: false,
                source: DependencySource::Registry,
            },
        ];
        let changed = ensure_dependencies(&path, &deps).unwrap();
        assert_eq!(changed, ["serde", "reqwest"]);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("serde = { version = \"1\", features = [\"derive\"] }"),
            "{text}"
        );
        assert!(
            text.contains("reqwest = { version = \"0.13\", features = [\"json\"] }"),
            "{text}"
        );
        assert!(ensure_dependencies(&path, &deps).unwrap().is_empty());
    }
}
