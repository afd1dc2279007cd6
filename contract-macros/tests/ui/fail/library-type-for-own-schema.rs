/// A library date-time (`chrono::DateTime<Utc>`, which reads RFC 3339 only) for the `DateTime`
/// schema, a string without a format: still rejected, while a type of the user's own named
/// `DateTime` is accepted (`pass/generated-forms.rs`).
mod chrono {
    pub struct DateTime<Tz>(pub Tz);
    pub struct Utc;
}

#[contract_macros::schema(spec = "specs/drift.yaml")]
pub struct Event {
    pub at: chrono::DateTime<chrono::Utc>,
}

fn main() {}
