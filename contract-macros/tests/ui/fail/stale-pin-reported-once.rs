// One moved spec, five macros using its contract: one error for the contract, at the first
// macro expanded. Other contracts' errors are still reported.

#[contract_macros::schema(contract = "stale", name = "Owner")]
#[derive(serde::Deserialize)]
pub struct Owner {
    pub name: String,
    pub nickname: Option<String>,
}

#[contract_macros::schema(contract = "stale", name = "PetStatus")]
#[derive(serde::Deserialize)]
pub enum PetStatus {
    #[serde(rename = "available")]
    Available,
}

#[contract_macros::schema(contract = "stale", name = "simple-user")]
#[derive(serde::Deserialize)]
pub struct SimpleUser {
    pub login: u8,
}

contract_macros::embed!("stale");

const STALE: &str = contract_macros::fingerprint!("stale");

#[contract_macros::schema(contract = "pets", name = "Owner")]
#[derive(serde::Deserialize)]
pub struct PetsOwner {
    pub name: i32,
    pub nickname: Option<String>,
}

fn main() {
    let _ = STALE;
}
