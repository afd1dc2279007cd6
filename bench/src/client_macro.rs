//! Rows 8 and 9: `cargo check` of a crate whose GitHub client comes from
//! `contract_macros::client!`, with its expansion cached (row 8) and not (row 9), against the
//! same crate holding the client `generate` wrote, compiled as a module. One crate, its
//! `src/lib.rs` switched between the two forms before every check, so the dependencies (built
//! once, kept across bench runs) and everything else are the same.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::measure::{self, pair};
use crate::rows::{cargo, fresh_crate};
use crate::{Ctx, Row, Skip, Target};

const GITHUB: &str = "github/api.github.com-v23.0.2.json";

/// `src/lib.rs` with the client written by `generate`.
const MODULE: &str = "#![allow(warnings)]\n#[path = \"gen/github.rs\"]\nmod github;\n";
/// `src/lib.rs` with the client from the macro.
const MACRO: &str =
    "#![allow(warnings)]\nmod github {\n    contract_macros::client!(contract = \"github\");\n}\n";

/// The crate, with the client generated at `src/gen/github.rs` and its dependencies built.
fn workspace(ctx: &Ctx) -> Result<PathBuf, Skip> {
    let spec = ctx.corpus_file(GITHUB)?;
    let dir = ctx.work.join("client-github");
    // Keep the target directory (prebuilt dependencies) across bench runs.
    let target = dir.join("target");
    let keep = ctx.work.join("keep-client-target");
    if target.exists() {
        std::fs::rename(&target, &keep).map_err(|e| e.to_string())?;
    }
    fresh_crate(&dir, "bench-client", "", &[(&spec, "github.json")])?;
    if keep.exists() {
        std::fs::rename(&keep, &target).map_err(|e| e.to_string())?;
    }
    let macros = ctx.root.join("contract-macros");
    measure::run(ctx.tool(&dir).args([
        "add",
        "github",
        "specs/github.json",
        "--output",
        "src/gen/github.rs",
        "--macros-path",
        &macros.to_string_lossy(),
    ]))?;
    // `add` writes the guard-only dependency; the macro needs the generator.
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(
        &manifest,
        text.replace("default-features = false", "features = [\"client\"]"),
    )
    .map_err(|e| e.to_string())?;
    measure::run(ctx.tool(&dir).arg("generate"))?;
    // The untimed warm-up round of `pair` builds the dependencies.
    Ok(dir)
}

fn write_lib(dir: &Path, text: &str) -> Result<(), String> {
    std::fs::write(dir.join("src/lib.rs"), text).map_err(|e| e.to_string())
}

/// `cargo check` of the crate with `lib`; wall time, and peak RSS pushed to `peaks`.
fn check(dir: &Path, lib: &str, scratch: &Path, peaks: &mut Vec<f64>) -> Result<Duration, String> {
    write_lib(dir, lib)?;
    let usage = measure::usage(
        cargo(dir, &dir.join("target"), &["check", "--offline", "--quiet"])
            .env("CARGO_INCREMENTAL", "0"),
        scratch,
        &[0],
    )?;
    peaks.push(usage.peak_rss as f64);
    Ok(usage.wall)
}

/// Row 8 (`cached`) or row 9: `client!` vs the generated module.
pub fn macro_vs_module(ctx: &Ctx, cached: bool) -> Result<Row, Skip> {
    let dir = workspace(ctx)?;
    let entries = dir.join("target/contract-guard/clients");
    let (mut macro_peaks, mut module_peaks) = (Vec::new(), Vec::new());
    let (ours, reference) = pair(
        ctx.runs,
        || {
            if !cached && entries.exists() {
                std::fs::remove_dir_all(&entries).map_err(|e| e.to_string())?;
            }
            check(&dir, MACRO, &ctx.work, &mut macro_peaks)
        },
        || check(&dir, MODULE, &ctx.work, &mut module_peaks),
    )?;
    let (macro_peak, module_peak) = (measure::median(macro_peaks), measure::median(module_peaks));
    let (what, target) = if cached {
        (
            "cargo check: client! (expansion cached) vs the generated module, GitHub",
            Target::AtMost(1.1),
        )
    } else {
        (
            "cargo check: client! (not cached) vs the generated module, GitHub",
            Target::AtMost(2.0),
        )
    };
    Ok(Row {
        what: what.into(),
        ours,
        reference,
        unit: "s",
        target,
        note: format!(
            "`{GITHUB}` (13 MB, 400k lines of client); dev profile, deps prebuilt, only the crate checked; \
             peak RSS {:.1} GB vs {:.1} GB{}",
            macro_peak / 1e9,
            module_peak / 1e9,
            if cached {
                ""
            } else {
                "; the cache directory removed before each check"
            }
        ),
    })
}
