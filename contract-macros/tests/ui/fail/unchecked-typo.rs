/// A misspelt field opt-out is an error, not a silent pass.
#[contract_macros::schema(spec = "specs/drift.yaml")]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Collection {
    pub data: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(uncheked)]
    pub tags: Option<Tags>,
}

#[derive(serde::Serialize, serde::Deserialize)]
pub struct Tags {
    pub label: Option<String>,
}

fn main() {}
