//! Exit codes, in one place (documented in `--help` and the README).

/// Everything checked is in order.
pub const OK: u8 = 0;
/// Drift was found: a spec moved from its pin, generated code is stale or hand-edited, ...
pub const DRIFT: u8 = 1;
/// The command could not complete: bad input, bad usage, I/O failure.
pub const ERROR: u8 = 2;
/// The command does not support a spec it was given: Swagger 2.0 to `diff`, `update` or
/// `generate` (pinned and checked only), so scripts can tell it from a failure.
pub const UNSUPPORTED: u8 = 3;
