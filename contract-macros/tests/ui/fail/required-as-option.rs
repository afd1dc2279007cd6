#[contract_macros::schema(contract = "pets", name = "Pet", direction = "request")]
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewPet {
    pub id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub photo_urls: Vec<String>,
}

fn main() {}
