#[contract_macros::schema(contract = "pets", name = "PetStatus")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PetStatus {
    Available,
    Pending,
    Sold,
    Adopted,
}

fn main() {}
