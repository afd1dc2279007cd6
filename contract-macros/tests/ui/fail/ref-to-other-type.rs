#[derive(serde::Deserialize)]
pub enum Status {
    Available,
}

#[contract_macros::schema(contract = "pets", name = "Pet", direction = "response")]
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pet {
    pub id: i64,
    pub name: String,
    pub photo_urls: Vec<String>,
    pub status: Option<Status>,
}

fn main() {}
