#[contract_macros::schema(contract = "stale", name = "Owner")]
#[derive(serde::Deserialize)]
pub struct Owner {
    pub name: String,
    pub nickname: Option<String>,
}

fn main() {}
