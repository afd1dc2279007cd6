//! The forms our generator writes, checked against `specs/drift.yaml`: each was rejected
//! before (issue 17's false positives) and must compile.

use serde::{Deserialize, Serialize};

/// A component named `DateTime` (a string without format): the user's own type.
#[contract_macros::schema(spec = "specs/drift.yaml")]
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
pub struct DateTime(pub String);

/// A nullable component: a transparent newtype over `Option`.
#[contract_macros::schema(spec = "specs/drift.yaml")]
#[derive(Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct NullableSimpleUser(pub Option<NullableSimpleUserInner>);

#[contract_macros::schema(spec = "specs/drift.yaml", name = "nullable-simple-user")]
#[derive(Serialize, Deserialize)]
pub struct NullableSimpleUserInner {
    pub login: String,
}

/// Fields of those two types: no "cannot hold null", no chrono format check.
#[contract_macros::schema(spec = "specs/drift.yaml")]
#[derive(Serialize, Deserialize)]
pub struct Event {
    pub at: DateTime,
    #[serde(default)]
    pub reviewer: NullableSimpleUser,
}

/// A required name without a property schema: any value, one field.
#[contract_macros::schema(spec = "specs/drift.yaml")]
#[derive(Serialize, Deserialize)]
pub struct Job {
    pub id: i64,
    pub head_branch: serde_json::Value,
}

/// An inline enum as an enum and an int32 as `i32`, in a request type.
#[contract_macros::schema(spec = "specs/drift.yaml", direction = "request")]
#[derive(Serialize)]
pub struct Order {
    pub status: OrderStatus,
    pub quantity: i32,
}

/// An inline schema's type names it by JSON pointer.
#[contract_macros::schema(spec = "specs/drift.yaml", pointer = "/components/schemas/Order/properties/status")]
#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderStatus {
    Placed,
    Shipped,
}

/// A response type may read an inline enum into a `String` and an int32 into an `i64`.
#[contract_macros::schema(spec = "specs/drift.yaml", name = "Order", direction = "response")]
#[derive(Deserialize)]
pub struct OrderView {
    pub status: String,
    pub quantity: i64,
}

/// `nullable` beside a `$ref` and in an `allOf` member: `Option` at the use site.
#[contract_macros::schema(spec = "specs/drift.yaml")]
#[derive(Serialize, Deserialize)]
pub struct Ticket {
    pub owner: Option<Person>,
    pub assignee: Option<Person>,
}

#[contract_macros::schema(spec = "specs/drift.yaml")]
#[derive(Serialize, Deserialize)]
pub struct Person {
    pub name: String,
}

/// An inline enum field whose type carries `#[schema]` of an equal schema under another name:
/// the compile-time identity assertion passes.
#[contract_macros::schema(spec = "specs/drift.yaml", name = "Order")]
#[derive(Serialize, Deserialize)]
pub struct ShippedOrder {
    pub status: ShippingState,
    pub quantity: i32,
}

#[contract_macros::schema(spec = "specs/drift.yaml", name = "Shipping")]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShippingState {
    Placed,
    Shipped,
}

fn main() {}
