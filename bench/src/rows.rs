//! Rows 1, 2, 3, 5 and 6: the CLI against its references, on scratch workspaces under
//! `target/bench/work`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::measure::{self, pair, timed};
use crate::{Ctx, Row, Skip, Target};

const GITHUB_V23: &str = "github/api.github.com-v23.0.2.json";
const GITHUB_V22: &str = "github/api.github.com-v22.0.0.json";
/// The largest corpus spec plain progenitor generates as is (the GitHub spec does not).
const RETAIL: &str = "apis-guru/googleapis.com__retail.json";

fn io(e: std::io::Error, what: &Path) -> String {
    format!("`{}`: {e}", what.display())
}

/// A fresh one-crate workspace at `dir` with `metadata` appended to its `Cargo.toml` and
/// `spec` copied to `specs/<file>`.
pub fn fresh_crate(
    dir: &Path,
    name: &str,
    extra: &str,
    specs: &[(&Path, &str)],
) -> Result<(), String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| io(e, dir))?;
    }
    std::fs::create_dir_all(dir.join("src")).map_err(|e| io(e, dir))?;
    std::fs::create_dir_all(dir.join("specs")).map_err(|e| io(e, dir))?;
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n{extra}\n[workspace]\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| io(e, dir))?;
    std::fs::write(dir.join("src/lib.rs"), "").map_err(|e| io(e, dir))?;
    for (from, to) in specs {
        std::fs::copy(from, dir.join("specs").join(to)).map_err(|e| io(e, from))?;
    }
    Ok(())
}

/// `cargo <args>` in `dir`, building into `target`, with the user's `RUSTFLAGS` left out (the
/// rows measure cargo's defaults).
pub fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("RUSTFLAGS");
    command
}

/// Sets `path`'s modification time to now, so cargo rebuilds its crate.
pub fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(std::time::SystemTime::now()))
        .map_err(|e| format!("`{}`: {e}", path.display()))
}

/// Row 1: `check` (hash-only fast path) vs parsing + hashing the same file in one process.
pub fn check_vs_floor(ctx: &Ctx) -> Result<Row, Skip> {
    let spec = ctx.corpus_file(GITHUB_V23)?;
    let dir = ctx.work.join("check-github");
    fresh_crate(
        &dir,
        "bench-github",
        "[package.metadata.contract-guard.contracts.github]\nspec = \"specs/github.json\"\n",
        &[(&spec, "github.json")],
    )?;
    measure::run(ctx.tool(&dir).arg("lock"))?;
    let (ours, reference) = pair(
        ctx.runs,
        || timed(ctx.tool(&dir).arg("check"), &[0]),
        || {
            timed(
                Command::new(&ctx.me)
                    .args(["floor", "specs/github.json"])
                    .current_dir(&dir),
                &[0],
            )
        },
    )?;
    Ok(Row {
        what: "check (GitHub 13 MB, pinned) vs serde_json parse + SHA-256".into(),
        ours,
        reference,
        unit: "s",
        target: Target::AtMost(1.5),
        note: "both timed as subprocesses; the spec's bytes match the pin, so check hashes and does not parse".into(),
    })
}

/// The workspace of rows 2 and 3: the retail client generated and committed to git.
fn retail_workspace(ctx: &Ctx) -> Result<PathBuf, Skip> {
    let spec = ctx.corpus_file(RETAIL)?;
    let dir = ctx.work.join("retail");
    fresh_crate(
        &dir,
        "bench-retail",
        "[package.metadata.contract-guard.contracts.retail]\nspec = \"specs/retail.json\"\noutput = \"src/generated/retail.rs\"\n",
        &[(&spec, "retail.json")],
    )?;
    measure::run(ctx.tool(&dir).arg("lock"))?;
    measure::run(ctx.tool(&dir).arg("generate"))?;
    let git = |args: &[&str]| {
        measure::run(
            Command::new("git")
                .args([
                    "-c",
                    "user.name=bench",
                    "-c",
                    "user.email=bench@invalid",
                    "-c",
                    "commit.gpgsign=false",
                ])
                .args(args)
                .current_dir(&dir),
        )
    };
    git(&["init", "--quiet"])?;
    git(&["add", "-A"])?;
    git(&["commit", "--quiet", "-m", "generated"])?;
    Ok(dir)
}

/// Row 2: `check` vs regenerate + `git diff --exit-code` (Kubernetes' verify-codegen).
pub fn check_vs_regenerate(ctx: &Ctx) -> Result<Row, Skip> {
    let dir = retail_workspace(ctx)?;
    let (ours, reference) = pair(
        ctx.runs,
        || timed(ctx.tool(&dir).arg("check"), &[0]),
        || {
            let generate = timed(ctx.tool(&dir).arg("generate"), &[0])?;
            let diff = timed(
                Command::new("git")
                    .args(["diff", "--exit-code"])
                    .current_dir(&dir),
                &[0],
            )?;
            Ok(generate + diff)
        },
    )?;
    // Where check's time goes: most of it is the workspace discovery every cargo subcommand
    // does, timed here on its own.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut metadata = Vec::new();
    for _ in 0..ctx.runs {
        let elapsed = timed(
            Command::new(&cargo)
                .args([
                    "metadata",
                    "--format-version",
                    "1",
                    "--no-deps",
                    "--offline",
                ])
                .current_dir(&dir),
            &[0],
        )?;
        metadata.push(elapsed.as_secs_f64());
    }
    let metadata = measure::median(metadata);
    Ok(Row {
        what: "check vs regenerate + git diff --exit-code (retail client)".into(),
        ours,
        reference,
        unit: "s",
        target: Target::SpeedupAtLeast(10.0),
        note: format!(
            "`{RETAIL}` (337 KB, the largest corpus spec plain progenitor generates as is, shared with row 3); \
             `cargo metadata --no-deps` alone takes {metadata:.3} s of check's {ours:.3} s"
        ),
    })
}

/// Row 3: `generate` vs plain progenitor (+ prettyplease) on the same document.
pub fn generate_vs_progenitor(ctx: &Ctx) -> Result<Row, Skip> {
    let dir = retail_workspace(ctx)?;
    let out = dir.join("plain-progenitor.rs");
    let (ours, reference) = pair(
        ctx.runs,
        || timed(ctx.tool(&dir).arg("generate"), &[0]),
        || {
            timed(
                Command::new(&ctx.me)
                    .arg("progenitor")
                    .arg("specs/retail.json")
                    .arg(&out)
                    .current_dir(&dir),
                &[0],
            )
        },
    )?;
    Ok(Row {
        what: "generate vs plain progenitor + prettyplease (retail)".into(),
        ours,
        reference,
        unit: "s",
        target: Target::AtMost(1.2),
        note: "both subprocesses; ours also runs cargo metadata, reads the lock, hashes the spec and the existing output, and writes atomically".into(),
    })
}

/// Row 5: peak memory of `diff` GitHub v22 → v23 against the bytes it reads.
pub fn diff_memory(ctx: &Ctx) -> Result<Row, Skip> {
    let old = ctx.corpus_file(GITHUB_V22)?;
    let new = ctx.corpus_file(GITHUB_V23)?;
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).map_err(|e| io(e, p));
    let (old_size, new_size) = (size(&old)?, size(&new)?);
    let (old_s, new_s) = (old.to_string_lossy(), new.to_string_lossy());
    let mut diff = ctx.tool(&ctx.work);
    diff.args(["diff", &old_s, &new_s, "--format", "json"]);
    measure::usage(&diff, &ctx.work, &[0, 1])?;
    let (mut times, mut peaks) = (Vec::new(), Vec::new());
    for _ in 0..ctx.runs {
        let usage = measure::usage(&diff, &ctx.work, &[0, 1])?;
        times.push(usage.wall.as_secs_f64());
        peaks.push(usage.peak_rss as f64);
    }
    let (wall, peak) = (measure::median(times), measure::median(peaks));
    let input = (old_size + new_size) as f64;
    // The floor: each document alone as a `serde_json::Value`, what any tree-walking diff holds.
    let mut floor = 0;
    for spec in [&old, &new] {
        let spec = spec.to_string_lossy();
        let mut parse = Command::new(&ctx.me);
        parse.args(["floor", &spec]);
        floor += measure::usage(&parse, &ctx.work, &[0])?.peak_rss;
    }
    Ok(Row {
        what: "diff GitHub v22 -> v23: peak RSS vs bytes of both specs".into(),
        ours: peak,
        reference: input,
        unit: "MB",
        target: Target::AtMost(5.0),
        note: format!(
            "wall time {wall:.3} s; peak RSS is {:.1}x the newer spec alone ({:.1} MB); \
             parsing each spec to serde_json::Value in its own process peaks at {:.1} MB together",
            peak / new_size as f64,
            new_size as f64 / 1e6,
            floor as f64 / 1e6
        ),
    })
}

/// Row 6: `fingerprint` throughput vs `sha256sum` of the same bytes.
pub fn fingerprint_throughput(ctx: &Ctx) -> Result<Row, Skip> {
    let spec = ctx.corpus_file(GITHUB_V23)?;
    let bytes = std::fs::metadata(&spec).map_err(|e| io(e, &spec))?.len() as f64;
    let (ours, reference) = pair(
        ctx.runs,
        || timed(ctx.tool(&ctx.work).arg("fingerprint").arg(&spec), &[0]),
        || timed(Command::new("sha256sum").arg(&spec), &[0]),
    )?;
    Ok(Row {
        what: "fingerprint (parse + RFC 8785 + SHA-256) vs sha256sum, GitHub 13 MB".into(),
        ours: bytes / ours,
        reference: bytes / reference,
        unit: "MB/s",
        target: Target::Info,
        note: "throughput; the fingerprint must parse and canonicalise, sha256sum only hashes"
            .into(),
    })
}
