//! Row 7: a crate holding a GitHub client of 20 selected operations (`operations = [...]`) vs
//! the same crate holding the full client (1,223 operations): `cargo check` wall time over the
//! runs, and one `cargo build` and the peak memory of each, the crate alone rebuilt (deps
//! prebuilt, `src/lib.rs` touched). The full client's build takes up to 13 GB: run this row
//! alone, under the shared lock of the machine when there is one.

use std::path::Path;

use crate::measure::{self, pair};
use crate::rows::{cargo, fresh_crate, touch};
use crate::{Ctx, Row, Skip, Target};

/// The 20 operations a typical GitHub automation calls.
pub const OPERATIONS: [&str; 20] = [
    "repos/get",
    "repos/list-for-org",
    "repos/get-content",
    "repos/list-commits",
    "repos/get-commit",
    "issues/list-for-repo",
    "issues/get",
    "issues/create",
    "issues/update",
    "issues/create-comment",
    "issues/list-comments",
    "pulls/list",
    "pulls/get",
    "pulls/create",
    "pulls/merge",
    "pulls/list-files",
    "git/get-ref",
    "users/get-authenticated",
    "users/get-by-username",
    "search/repos",
];

/// A crate with the GitHub client generated at `src/github.rs`, selecting `operations`.
fn client_crate(
    ctx: &Ctx,
    dir: &Path,
    spec: &Path,
    operations: Option<&str>,
) -> Result<(), String> {
    let macros = ctx.root.join("contract-macros");
    let selection = operations.map_or(String::new(), |list| format!("operations = [{list}]\n"));
    let manifest = format!(
        "[package.metadata.contract-guard.contracts.github]\nspec = \"specs/github.json\"\n\
         output = \"src/github.rs\"\n{selection}\n\
         [dependencies]\ncontract-macros = {{ path = {:?}, default-features = false }}\n\
         progenitor-client = \"0.15\"\nreqwest = {{ version = \"0.13\", features = [\"json\", \"query\", \"stream\"] }}\n\
         serde = {{ version = \"1.0\", features = [\"derive\"] }}\nserde_json = \"1.0\"\n\
         chrono = {{ version = \"0.4\", features = [\"serde\"] }}\nregress = \"0.12\"\n",
        macros.to_string_lossy()
    );
    fresh_crate(dir, "bench-selection", &manifest, &[(spec, "github.json")])?;
    std::fs::write(dir.join("src/lib.rs"), "pub mod github;\n").map_err(|e| e.to_string())?;
    measure::run(ctx.tool(dir).arg("lock"))?;
    measure::run(ctx.tool(dir).arg("generate"))
}

/// Row 7.
pub fn selected_vs_full(ctx: &Ctx) -> Result<Row, Skip> {
    let spec = ctx.corpus_file("github/api.github.com-v23.0.2.json")?;
    let list: Vec<String> = OPERATIONS.iter().map(|o| format!("{o:?}")).collect();
    let selected = ctx.work.join("selection-20");
    let full = ctx.work.join("selection-full");
    // One target directory: both crates build the same dependencies once.
    let target = ctx.work.join("selection-target");
    client_crate(ctx, &selected, &spec, Some(&list.join(", ")))?;
    client_crate(ctx, &full, &spec, None)?;
    let lines = |dir: &Path| {
        std::fs::read_to_string(dir.join("src/github.rs")).map_or(0, |t| t.lines().count())
    };
    measure::run(&mut cargo(&selected, &target, &["build", "--quiet"]))?;
    let check = |dir: &Path| {
        touch(&dir.join("src/lib.rs"))?;
        measure::timed(&mut cargo(dir, &target, &["check", "--quiet"]), &[0])
    };
    let (ours, reference) = pair(ctx.runs, || check(&selected), || check(&full))?;
    let build = |dir: &Path| -> Result<measure::Usage, String> {
        touch(&dir.join("src/lib.rs"))?;
        measure::usage(&cargo(dir, &target, &["build", "--quiet"]), &ctx.work, &[0])
    };
    let (small, big) = (build(&selected)?, build(&full)?);
    let gb = |u: &measure::Usage| u.peak_rss as f64 / 1e9;
    Ok(Row {
        what: "cargo check: GitHub client of 20 selected operations vs all 1,223".into(),
        ours,
        reference,
        unit: "s",
        target: Target::SpeedupAtLeast(20.0),
        note: format!(
            "{} vs {} generated lines; cargo build once each: {:.1} s vs {:.1} s, peak memory {:.2} GB vs {:.2} GB ({:.0}x less); dev profile, deps prebuilt, the crate alone rebuilt",
            lines(&selected),
            lines(&full),
            small.wall.as_secs_f64(),
            big.wall.as_secs_f64(),
            gb(&small),
            gb(&big),
            gb(&big) / gb(&small).max(1e-9)
        ),
    })
}
