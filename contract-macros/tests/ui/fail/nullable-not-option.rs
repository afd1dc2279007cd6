#[contract_macros::schema(contract = "pets")]
#[derive(serde::Deserialize)]
pub struct Owner {
    pub name: String,
    pub nickname: String,
}

fn main() {}
