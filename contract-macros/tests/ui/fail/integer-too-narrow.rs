#[contract_macros::schema(contract = "pets")]
#[derive(serde::Deserialize, serde::Serialize)]
pub struct Measures {
    pub weight: f32,
    pub count: i16,
    pub ratio: f32,
    pub flags: u32,
}

fn main() {}
