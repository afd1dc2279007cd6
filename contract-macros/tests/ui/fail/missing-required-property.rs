#[contract_macros::schema(contract = "pets")]
#[derive(serde::Deserialize)]
pub struct Pet {
    pub id: i64,
    pub name: String,
}

fn main() {}
