#[contract_macros::schema(spec = "specs/drift.yaml", direction = "request")]
#[derive(serde::Serialize)]
pub struct Order {
    pub status: Status,
    pub quantity: i64,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Placed,
    Shipped,
}

fn main() {}
