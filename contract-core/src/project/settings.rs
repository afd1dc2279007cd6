//! Generator options a contract may set in its Cargo.toml table, and their fingerprint
//! (recorded in generated headers and the lock so a change of options makes code stale).

use serde::{Deserialize, Serialize};

use crate::spec::canonical;
use crate::util::hash::Sha256Digest;

/// How generated operations take their arguments (progenitor's `InterfaceStyle`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Interface {
    /// `client.get_pet(id)`.
    #[default]
    Positional,
    /// `client.get_pet().id(id).send()`.
    Builder,
}

/// How OpenAPI tags shape the client (progenitor's `TagStyle`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TagStyle {
    /// One `Client` with every operation.
    #[default]
    Merged,
    /// One trait per tag (builder interface only).
    Separate,
}

/// The options that change generated code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct GeneratorSettings {
    /// Positional or builder methods.
    pub interface: Interface,
    /// Merged or separate tags.
    pub tags: TagStyle,
    /// Extra derives on every generated type, e.g. `"PartialEq"` or `"schemars::JsonSchema"`.
    pub derives: Vec<String>,
    /// Lossy rewrites the contract accepts although they stop generation by default, as full
    /// rule ids, sorted ([`crate::codegen::fidelity::normalize_accept`]). Left out of the
    /// fingerprint when empty, so contracts that accept nothing keep theirs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accept: Vec<String>,
    /// The operations the client holds (`operations`, [`crate::project::selection`]), sorted;
    /// empty for every operation, and then left out of the fingerprint so that contracts
    /// without a selection keep theirs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
}

impl GeneratorSettings {
    /// Rejects combinations the generator cannot produce.
    pub fn validate(&self) -> Result<(), String> {
        if self.interface == Interface::Positional && self.tags == TagStyle::Separate {
            return Err("`tags = \"separate\"` needs `interface = \"builder\"`".into());
        }
        if !self.operations.is_empty() {
            crate::project::selection::parse(&self.operations)?;
        }
        for derive in &self.derives {
            let ok = !derive.is_empty()
                && derive.split("::").all(|seg| {
                    let mut chars = seg.chars();
                    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
                        && chars.all(|c| c.is_alphanumeric() || c == '_')
                });
            if !ok {
                return Err(format!("`{derive}` in `derives` is not a Rust path"));
            }
        }
        Ok(())
    }

    /// The parsed `operations`, or `None` when the client holds every operation.
    pub fn selection(&self) -> Result<Option<crate::project::selection::Selection>, String> {
        if self.operations.is_empty() {
            return Ok(None);
        }
        crate::project::selection::parse(&self.operations).map(Some)
    }

    /// SHA-256 of the canonical JSON of these settings.
    pub fn fingerprint(&self) -> Sha256Digest {
        let value = serde_json::to_value(self).unwrap_or_default();
        canonical::fingerprint(&value).unwrap_or_else(|_| Sha256Digest::of(b""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_follows_every_option() {
        let base = GeneratorSettings::default();
        let builder = GeneratorSettings {
            interface: Interface::Builder,
            ..GeneratorSettings::default()
        };
        let derives = GeneratorSettings {
            derives: vec!["PartialEq".into()],
            ..GeneratorSettings::default()
        };
        let accept = GeneratorSettings {
            accept: vec!["normalize/unsupported-body".into()],
            ..GeneratorSettings::default()
        };
        assert_eq!(
            base.fingerprint(),
            GeneratorSettings::default().fingerprint()
        );
        assert_ne!(base.fingerprint(), builder.fingerprint());
        assert_ne!(base.fingerprint(), derives.fingerprint());
        assert_ne!(base.fingerprint(), accept.fingerprint());
        let selected = GeneratorSettings {
            operations: vec!["repos/get".into()],
            ..GeneratorSettings::default()
        };
        let other = GeneratorSettings {
            operations: vec!["repos/get".into(), "tag:issues".into()],
            ..GeneratorSettings::default()
        };
        assert_ne!(base.fingerprint(), selected.fingerprint());
        assert_ne!(selected.fingerprint(), other.fingerprint());
        // Accepting nothing is the fingerprint contracts had before `accept` existed.
        assert_eq!(
            base.fingerprint().to_string(),
            "sha256:fb64c115e021347ae5484e4131e64caa2bdaafd531a235ee7070bed1754e269a"
        );
    }

    #[test]
    fn validation_rejects_unsupported_combinations() {
        let separate = GeneratorSettings {
            tags: TagStyle::Separate,
            ..GeneratorSettings::default()
        };
        assert!(separate.validate().is_err());
        let ok = GeneratorSettings {
            interface: Interface::Builder,
            tags: TagStyle::Separate,
            derives: vec!["schemars::JsonSchema".into()],
            accept: Vec::new(),
            operations: vec!["tag:pets".into()],
        };
        assert!(ok.validate().is_ok());
        let bad = GeneratorSettings {
            derives: vec!["Partial Eq".into()],
            ..GeneratorSettings::default()
        };
        assert!(bad.validate().is_err());
    }
}
