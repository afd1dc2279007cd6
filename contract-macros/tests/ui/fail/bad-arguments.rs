#[contract_macros::schema(contract = "pets", colour = "red")]
pub struct A {}

#[contract_macros::schema(contract = "pets", spec = "specs/pets.yaml")]
pub struct B {}

#[contract_macros::schema(contract = "nope")]
pub struct C {}

#[contract_macros::schema(spec = "../../../../../etc/passwd")]
pub struct D {}

#[contract_macros::schema(contract = "pets", direction = "sideways")]
pub struct E {}

#[contract_macros::schema(name = "Pet")]
pub struct F {}

fn main() {}
