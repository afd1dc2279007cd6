//! Which description format a document is: OpenAPI 3.0, OpenAPI 3.1, or Swagger 2.0.

use std::fmt;
use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};

/// The family of a description, with the version string exactly as the document declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecVersion {
    /// `openapi: 3.0.x`: what the generator takes as is.
    OpenApi30(String),
    /// `openapi: 3.1.x`: fingerprinted and pinned; generation needs lowering to 3.0 first.
    OpenApi31(String),
    /// `swagger: "2.0"`: recognised and fingerprinted, never generated.
    Swagger2(String),
}

impl SpecVersion {
    /// Reads the version from a parsed document.
    pub fn detect(path: &Path, document: &Value) -> Result<SpecVersion> {
        let not_openapi = |reason: String| Error::NotOpenApi {
            path: path.to_path_buf(),
            reason,
        };
        let object = match document {
            Value::Object(object) => object,
            Value::Null => return Err(not_openapi("the document is empty".into())),
            other => {
                return Err(not_openapi(format!(
                    "the top level is {}, not an object",
                    describe(other)
                )));
            }
        };
        let (field, raw) = match (object.get("openapi"), object.get("swagger")) {
            (Some(v), _) => ("openapi", v),
            (None, Some(v)) => ("swagger", v),
            (None, None) => {
                return Err(not_openapi(
                    "it has no top-level `openapi` (or `swagger`) field".into(),
                ));
            }
        };
        let Value::String(version) = raw else {
            return Err(not_openapi(format!(
                "`{field}` must be a string such as \"3.0.3\", found {} (quote it in YAML)",
                describe(raw)
            )));
        };
        let version = version.clone();
        let unsupported = || Error::UnsupportedVersion {
            path: path.to_path_buf(),
            version: version.clone(),
        };
        match field {
            "swagger" if version == "2.0" => Ok(SpecVersion::Swagger2(version)),
            "swagger" => Err(unsupported()),
            _ if version.starts_with("3.0.") => Ok(SpecVersion::OpenApi30(version)),
            _ if version.starts_with("3.1.") => Ok(SpecVersion::OpenApi31(version)),
            _ => Err(unsupported()),
        }
    }

    /// Whether clients can be generated from it (Swagger 2.0 can be pinned and checked only).
    pub fn generates(&self) -> bool {
        !matches!(self, SpecVersion::Swagger2(_))
    }

    /// The version string as declared.
    pub fn as_str(&self) -> &str {
        match self {
            SpecVersion::OpenApi30(v) | SpecVersion::OpenApi31(v) | SpecVersion::Swagger2(v) => v,
        }
    }
}

impl fmt::Display for SpecVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecVersion::Swagger2(v) => write!(f, "Swagger {v}"),
            SpecVersion::OpenApi30(v) | SpecVersion::OpenApi31(v) => write!(f, "OpenAPI {v}"),
        }
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn detect(value: Value) -> Result<SpecVersion> {
        SpecVersion::detect(Path::new("spec.yaml"), &value)
    }

    #[test]
    fn recognises_each_family() {
        assert_eq!(
            detect(json!({"openapi": "3.0.3"})).unwrap(),
            SpecVersion::OpenApi30("3.0.3".into())
        );
        assert_eq!(
            detect(json!({"openapi": "3.1.0"})).unwrap(),
            SpecVersion::OpenApi31("3.1.0".into())
        );
        assert_eq!(
            detect(json!({"swagger": "2.0"})).unwrap(),
            SpecVersion::Swagger2("2.0".into())
        );
    }

    #[test]
    fn refuses_unknown_and_malformed_versions() {
        assert!(matches!(
            detect(json!({"openapi": "4.0.0"})),
            Err(Error::UnsupportedVersion { .. })
        ));
        assert!(matches!(
            detect(json!({"swagger": "1.2"})),
            Err(Error::UnsupportedVersion { .. })
        ));
        let err = detect(json!({"openapi": 3.0})).unwrap_err().to_string();
        assert!(err.contains("must be a string"), "{err}");
        assert!(matches!(detect(json!([1])), Err(Error::NotOpenApi { .. })));
        assert!(matches!(
            detect(json!({"info": {}})),
            Err(Error::NotOpenApi { .. })
        ));
        assert!(matches!(detect(Value::Null), Err(Error::NotOpenApi { .. })));
    }
}
