#[contract_macros::schema(contract = "pets", name = "Measures", direction = "response")]
#[derive(serde::Deserialize)]
pub struct Measures {
    pub weight: f64,
    pub count: i32,
    pub ratio: f32,
    pub flags: u64,
    pub born: Option<std::net::IpAddr>,
}

fn main() {}
