#[contract_macros::schema(contract = "pets", name = "Pet", direction = "request")]
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pet {
    pub id: i64,
    pub name: String,
    pub photo_urls: Vec<String>,
    pub tag: Option<String>,
}

fn main() {}
