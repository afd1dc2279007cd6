/// Typos in a contract name and a schema name: "did you mean", not `add`.
#[contract_macros::schema(contract = "pet", name = "Pet")]
#[derive(serde::Deserialize)]
pub struct Pet {
    pub id: i64,
}

#[contract_macros::schema(contract = "pets", name = "PetStatu")]
#[derive(serde::Deserialize)]
pub enum Status {
    Available,
}

fn main() {}
