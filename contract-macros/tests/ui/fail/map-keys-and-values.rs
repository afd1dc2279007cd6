#[contract_macros::schema(contract = "pets")]
#[derive(serde::Deserialize)]
pub struct Counts(pub std::collections::HashMap<String, i32>);

#[contract_macros::schema(contract = "pets", name = "Counts")]
#[derive(serde::Deserialize)]
pub struct CountsByNumber(pub std::collections::HashMap<u32, i64>);

fn main() {}
