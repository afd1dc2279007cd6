#[contract_macros::schema(contract = "pets")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    #[serde(default)]
    pub kind: String,
}

fn main() {}
