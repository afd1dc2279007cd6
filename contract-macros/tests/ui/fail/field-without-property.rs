#[contract_macros::schema(contract = "pets", name = "Pet")]
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pet {
    pub id: i64,
    pub name: String,
    pub photo_urls: Vec<String>,
    pub colour: Option<String>,
}

fn main() {}
