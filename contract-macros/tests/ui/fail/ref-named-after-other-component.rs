/// A `$ref: dataArray` field typed with the type of another component (`Person`) whose schema
/// differs: rejected by the macro itself.
#[contract_macros::schema(spec = "specs/drift.yaml")]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Collection {
    pub data: Person,
}

#[contract_macros::schema(spec = "specs/drift.yaml")]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Person {
    pub name: String,
}

fn main() {}
