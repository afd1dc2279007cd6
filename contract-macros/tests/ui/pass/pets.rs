//! Every supported mapping, checked against `specs/pets.yaml`.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

#[contract_macros::schema(contract = "pets")]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pet {
    pub id: i64,
    pub name: String,
    pub photo_urls: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<PetStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Box<Owner>>,
    #[serde(skip)]
    pub cached: bool,
}

#[contract_macros::schema(contract = "pets")]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PetStatus {
    Available,
    Pending,
    Sold,
}

/// Response-only: a catch-all variant keeps new values readable.
#[contract_macros::schema(contract = "pets", name = "PetStatus", direction = "response")]
#[derive(Deserialize)]
pub enum PetStatusLenient {
    #[serde(rename = "available")]
    Available,
    #[serde(other)]
    Unknown,
}

#[contract_macros::schema(spec = "specs/pets.yaml")]
#[derive(Serialize, Deserialize)]
pub struct Owner {
    pub name: String,
    pub nickname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u8>,
}

#[contract_macros::schema(contract = "pets")]
#[derive(Serialize, Deserialize)]
pub struct Measures {
    pub weight: f64,
    pub count: i32,
    pub ratio: f32,
    pub flags: i64,
    #[serde(default)]
    pub born: String,
}

#[contract_macros::schema(contract = "pets")]
#[derive(Serialize, Deserialize)]
pub struct Counts(pub BTreeMap<String, i64>);

#[contract_macros::schema(contract = "pets")]
#[derive(Serialize, Deserialize)]
pub struct Metadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(flatten)]
    pub rest: HashMap<String, serde_json::Value>,
}

#[contract_macros::schema(contract = "pets")]
#[derive(Serialize, Deserialize)]
pub struct Labeled {
    pub name: String,
    pub nickname: Option<String>,
    #[serde(default)]
    pub age: u8,
    pub label: String,
}

/// Found by name ignoring case and punctuation (`simple-user`).
#[contract_macros::schema(contract = "pets")]
#[derive(Serialize, Deserialize)]
pub struct SimpleUser {
    pub login: String,
}

/// A schema reached by JSON pointer, read only.
#[contract_macros::schema(
    contract = "pets",
    pointer = "/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema",
    direction = "response"
)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PetSummary {
    pub id: i64,
    pub name: String,
    pub photo_urls: Vec<String>,
}

fn main() {}
