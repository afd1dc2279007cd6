/// A field whose type uses the item's type parameter has no schema identity where the item
/// is defined: refused (the assertion would check nothing), with the way out.
#[contract_macros::schema(spec = "specs/drift.yaml")]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Collection<T> {
    pub data: Wrapper<T>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Wrapper<T>(pub Vec<T>);

/// A lifetime parameter is fine, and the field's type is still held to its identity: here a
/// type without `#[schema]`, which fails.
#[contract_macros::schema(spec = "specs/drift.yaml", name = "Collection")]
#[derive(serde::Serialize)]
pub struct Borrowed<'a> {
    pub data: Strings<'a>,
}

#[derive(serde::Serialize)]
#[serde(transparent)]
pub struct Strings<'a>(pub Vec<&'a str>);

fn main() {}
