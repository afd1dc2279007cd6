#[contract_macros::schema(spec = "specs/drift.yaml", direction = "request")]
#[derive(serde::Serialize)]
pub struct Order {
    pub status: String,
    pub quantity: i32,
}

fn main() {}
