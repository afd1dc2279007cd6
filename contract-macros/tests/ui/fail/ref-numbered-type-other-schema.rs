/// A `$ref: dataArray` field typed `DataArray3` (a numbered name), but `DataArray3` carries
/// `#[schema]` for another schema (`DataArray`, an object): the identity assertion fails.
#[contract_macros::schema(spec = "specs/drift.yaml")]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Collection {
    pub data: DataArray3,
}

#[contract_macros::schema(spec = "specs/drift.yaml", name = "DataArray")]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct DataArray3 {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

fn main() {}
