#[contract_macros::schema(contract = "pets")]
#[derive(serde::Deserialize)]
pub struct Pet {
    pub id: i32,
    pub name: Vec<String>,
    pub nickname: String,
}

fn main() {}
