#[contract_macros::schema(contract = "pets")]
#[derive(serde::Deserialize)]
pub struct Kitten {
    pub id: i64,
}

#[contract_macros::schema(contract = "pets", name = "Cat")]
#[derive(serde::Deserialize)]
pub struct Cat {
    pub id: i64,
}

fn main() {}
