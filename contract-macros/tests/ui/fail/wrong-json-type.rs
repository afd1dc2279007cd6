#[contract_macros::schema(contract = "pets", name = "Pet")]
#[derive(serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pet {
    pub id: String,
    pub name: bool,
    pub photo_urls: String,
}

fn main() {}
