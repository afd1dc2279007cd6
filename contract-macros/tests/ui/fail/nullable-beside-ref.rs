#[contract_macros::schema(spec = "specs/drift.yaml")]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Ticket {
    pub owner: Person,
    pub assignee: Person,
}

#[contract_macros::schema(spec = "specs/drift.yaml")]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Person {
    pub name: String,
}

fn main() {}
