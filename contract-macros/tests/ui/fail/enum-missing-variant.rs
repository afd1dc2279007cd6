#[contract_macros::schema(contract = "pets", name = "PetStatus", direction = "response")]
#[derive(serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PetStatus {
    Available,
    Pending,
}

fn main() {}
