/// A field whose schema is inline, typed with one of your structs that has no `#[schema]`:
/// nothing would check it, so it fails (annotate the type, or opt out at the field).
#[contract_macros::schema(spec = "specs/drift.yaml")]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Collection {
    pub data: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Tags>,
}

#[derive(serde::Serialize, serde::Deserialize)]
pub struct Tags {
    pub label: Option<String>,
}

fn main() {}
