//! Named types behind inline schemas and behind `$ref`s to schemas they are not named after:
//! each carries `#[schema]` for a structurally equal schema, or the field opts out visibly.

use serde::{Deserialize, Serialize};

/// The generator's name for `dataArray` when `DataArray` took the plain one.
#[contract_macros::schema(spec = "specs/drift.yaml", name = "dataArray")]
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
pub struct DataArray3(pub Vec<String>);

/// `data` is a `$ref` to `dataArray` (held by identity), `tags` an inline object.
#[contract_macros::schema(spec = "specs/drift.yaml")]
#[derive(Serialize, Deserialize)]
pub struct Collection {
    pub data: DataArray3,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<CollectionTags>,
}

#[contract_macros::schema(
    spec = "specs/drift.yaml",
    pointer = "/components/schemas/Collection/properties/tags"
)]
#[derive(Serialize, Deserialize)]
pub struct CollectionTags {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A field that opts out: its type is not looked into, and the opt-out is written at the field.
#[contract_macros::schema(spec = "specs/drift.yaml", name = "Collection")]
#[derive(Serialize, Deserialize)]
pub struct LooseCollection {
    pub data: DataArray3,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(unchecked)]
    pub tags: Option<Labels>,
}

#[derive(Serialize, Deserialize)]
pub struct Labels {
    pub label: Option<String>,
}

/// A generic item: its fields' types name no type parameter, and the item's lifetime is
/// written `'static` in the assertion.
#[contract_macros::schema(spec = "specs/drift.yaml", name = "dataArray")]
#[derive(Serialize)]
#[serde(transparent)]
pub struct Strings<'a>(pub Vec<&'a str>);

#[contract_macros::schema(spec = "specs/drift.yaml", name = "Collection")]
#[derive(Serialize)]
pub struct BorrowedCollection<'a, const N: usize> {
    pub data: Strings<'a>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<CollectionTags>,
}

fn main() {}
