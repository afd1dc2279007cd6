//! Row 4: build time of a crate with 200 `#[contract_macros::schema]` types against the GitHub
//! spec vs the same crate without the attribute.
use crate::{Ctx, Row, Skip};
pub fn build_with_vs_without(_ctx: &Ctx) -> Result<Row, Skip> {
    Err(Skip("not yet".into()))
}
