//! `cargo xtask conformance`: the generated clients against an independent server. For each
//! selected corpus spec it generates our client (as the corpus does: every refusable rule
//! accepted), writes a test program calling each operation once with arguments from the spec's
//! examples or schemas ([`program`], [`arguments`]), builds all programs in one scratch
//! workspace (`target/conformance/`, one target directory), then runs each against
//! `prism mock --errors` serving the *original* spec ([`server`]) and classifies every call
//! ([`classify`]). Writes `target/conformance/report.md` and `report.json`.

pub mod arguments;
pub mod classify;
pub mod program;
mod report;
mod run;
pub mod server;
pub mod worker;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::{Deserialize, Serialize};

use crate::corpus::{slug, target_dir, workspace_root};
use classify::Verdict;

/// `cargo xtask conformance` options.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The corpus directory (default: `../shared/corpus` next to the repository).
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Specs to run, as globs on their path in the corpus (`*` any text, `?` one character);
    /// default `apis-guru/*` (the GitHub specs only when named).
    #[arg(long, value_name = "GLOB", num_args = 1..)]
    specs: Vec<String>,
    /// At most this many specs (the first ones by path).
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Specs generated, and run against Prism, in parallel.
    #[arg(long, default_value_t = 2)]
    jobs: usize,
}

/// One operation's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OperationResult {
    /// `METHOD /path`.
    pub operation: String,
    pub verdict: Verdict,
    /// Why it did not pass (Prism's message, the decoding error, what was missing).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// One spec's results.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SpecResult {
    /// Path relative to the corpus directory.
    pub file: String,
    /// `ok`, or the stage that stopped it: `load`, `generate`, `build`, `prism`, `run`.
    pub stage: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub counts: BTreeMap<String, usize>,
    pub operations: Vec<OperationResult>,
}

impl SpecResult {
    /// Fills `counts` from `operations`.
    pub fn count(&mut self) {
        self.counts = Verdict::ALL
            .iter()
            .map(|v| (v.name().to_string(), 0))
            .collect();
        for operation in &self.operations {
            *self
                .counts
                .entry(operation.verdict.name().into())
                .or_default() += 1;
        }
    }
}

/// Runs the conformance task.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let root = workspace_root();
    let corpus = crate::corpus::corpus_dir(args.corpus.as_deref(), &root)?;
    let out = target_dir(&root).join("conformance");
    let prism = server::install(&out.join("prism"))?;
    let globs = if args.specs.is_empty() {
        vec!["apis-guru/*".to_string()]
    } else {
        args.specs.clone()
    };
    let mut files = select(&corpus, &globs)?;
    files.truncate(args.limit.unwrap_or(usize::MAX));
    if files.is_empty() {
        return Err(format!(
            "no corpus spec matches {}; list them with `ls {}`",
            globs.join(" "),
            corpus.display()
        ));
    }
    eprintln!("conformance: {} specs", files.len());
    let started = std::time::Instant::now();
    let results = run::all(&root, &out, &corpus, &files, &prism, args.jobs.max(1))?;
    let summary = report::write(&out, &results, started.elapsed().as_secs_f64())?;
    println!("{summary}");
    eprintln!(
        "conformance: wrote `{}` and `{}`",
        out.join("report.md").display(),
        out.join("report.json").display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The corpus files whose path (relative, `/`-separated) matches one of `globs`, sorted.
fn select(corpus: &Path, globs: &[String]) -> Result<Vec<PathBuf>, String> {
    crate::pool::files_below(corpus, |path| {
        let rel = path
            .strip_prefix(corpus)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("json" | "yaml" | "yml")
        ) && globs.iter().any(|glob| glob_match(glob, &rel))
    })
}

/// `*` matches any text (`/` included), `?` one character, everything else itself.
pub fn glob_match(glob: &str, text: &str) -> bool {
    let (glob, text): (Vec<char>, Vec<char>) = (glob.chars().collect(), text.chars().collect());
    let (mut g, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if g < glob.len() && (glob[g] == '?' || glob[g] == text[t]) {
            g += 1;
            t += 1;
        } else if g < glob.len() && glob[g] == '*' {
            star = Some((g, t));
            g += 1;
        } else if let Some((star_g, star_t)) = star {
            g = star_g + 1;
            t = star_t + 1;
            star = Some((star_g, star_t + 1));
        } else {
            return false;
        }
    }
    glob[g..].iter().all(|c| *c == '*')
}

/// The program crate's directory of a corpus file.
fn program_dir(out: &Path, file: &str) -> PathBuf {
    out.join(slug(file))
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs_match_whole_paths() {
        assert!(glob_match(
            "apis-guru/*",
            "apis-guru/adyen.com__AccountService.json"
        ));
        assert!(glob_match(
            "*adyen*",
            "apis-guru/adyen.com__AccountService.json"
        ));
        assert!(glob_match(
            "github/api.github.com-v?.json",
            "github/api.github.com-v3.json"
        ));
        assert!(!glob_match("apis-guru/*", "github/api.github.com.json"));
        assert!(!glob_match("*.yaml", "apis-guru/a.json"));
        assert!(glob_match("a*b*c", "aXbYbc"));
    }
}
