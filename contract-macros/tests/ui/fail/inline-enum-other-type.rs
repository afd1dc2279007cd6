/// An inline enum field switched to an unrelated enum type that carries its own `#[schema]`:
/// the compile-time identity assertion fails at the field's type.
#[contract_macros::schema(spec = "specs/drift.yaml", name = "Order")]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Order {
    pub status: Color,
    pub quantity: i32,
}

#[contract_macros::schema(spec = "specs/drift.yaml")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    Red,
    Green,
}

fn main() {}
