//! `cargo bench-guard [--runs N] [--rows 1,2,...]`: measures every performance promise of
//! cargo-contract-guard as a ratio of two things timed in the same run on the same inputs
//! (the machine is shared and noisy, so no absolute figure is ever asserted). Prints a table
//! and writes it as JSON to `target/bench/latest.json`. See `docs/src/benchmarks.md`.

mod client_macro;
mod floor;
mod measure;
mod rows;
mod schemas;
mod selection;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Where things are, shared by every row.
pub struct Ctx {
    /// The repository root.
    pub root: PathBuf,
    /// `../shared/corpus`, when present.
    pub corpus: Option<PathBuf>,
    /// The release `cargo-contract-guard` binary.
    pub tool: PathBuf,
    /// This binary (for the in-house references).
    pub me: PathBuf,
    /// Scratch workspaces, under `target/bench/work`.
    pub work: PathBuf,
    /// Runs per measurement.
    pub runs: usize,
}

impl Ctx {
    /// The tool, run in `dir` without colors.
    pub fn tool(&self, dir: &Path) -> Command {
        let mut command = Command::new(&self.tool);
        command
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env_remove("CARGO_TARGET_DIR");
        command
    }

    /// A corpus file, or the reason the row is skipped.
    pub fn corpus_file(&self, rel: &str) -> Result<PathBuf, Skip> {
        let Some(corpus) = &self.corpus else {
            return Err(Skip(format!(
                "corpus absent: `{}` does not exist",
                self.root.join("../shared/corpus").display()
            )));
        };
        let path = corpus.join(rel);
        if path.is_file() {
            Ok(path)
        } else {
            Err(Skip(format!("corpus file `{}` absent", path.display())))
        }
    }
}

/// Why a row was not measured.
pub struct Skip(pub String);

impl From<String> for Skip {
    fn from(message: String) -> Skip {
        Skip(format!("failed: {message}"))
    }
}

/// How a ratio is judged.
#[derive(Clone, Copy)]
pub enum Target {
    /// ours / reference must be at most this.
    AtMost(f64),
    /// reference / ours (a speed-up) must be at least this.
    SpeedupAtLeast(f64),
    /// Reported only.
    Info,
}

/// One measured row.
pub struct Row {
    /// What is compared.
    pub what: String,
    /// Our median.
    pub ours: f64,
    /// The reference's median.
    pub reference: f64,
    /// Unit of both values: `s`, `MB` or `MB/s`.
    pub unit: &'static str,
    /// How the ratio is judged.
    pub target: Target,
    /// What the row measured exactly, and anything to know about it.
    pub note: String,
}

impl Row {
    fn ratio(&self) -> f64 {
        match self.target {
            Target::SpeedupAtLeast(_) => self.reference / self.ours,
            _ => self.ours / self.reference,
        }
    }

    fn pass(&self) -> Option<bool> {
        match self.target {
            Target::AtMost(max) => Some(self.ratio() <= max),
            Target::SpeedupAtLeast(min) => Some(self.ratio() >= min),
            Target::Info => None,
        }
    }

    fn target_text(&self) -> String {
        match self.target {
            Target::AtMost(max) => format!("<= {max}x"),
            Target::SpeedupAtLeast(min) => format!(">= {min}x faster"),
            Target::Info => "-".into(),
        }
    }
}

/// How many rows there are.
const ROWS: usize = 9;

fn usage() -> ExitCode {
    eprintln!("usage: contract-guard-bench [--runs N] [--rows 1,2,...]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("floor") => return floor::floor(&args[1..]),
        Some("progenitor") => return floor::progenitor(&args[1..]),
        _ => {}
    }
    let mut runs = 5;
    // Rows 7 to 9 build or check the full GitHub client (9 to 13 GB): only when asked for
    // (`--rows 7`, `--rows 8,9`).
    let mut selected: Vec<usize> = (1..=6).collect();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match (arg.as_str(), it.next()) {
            ("--runs", Some(n)) => match n.parse() {
                Ok(n) if n >= 1 => runs = n,
                _ => return usage(),
            },
            ("--rows", Some(list)) => {
                match list
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<Vec<usize>, _>>()
                {
                    Ok(rows) if rows.iter().all(|r| (1..=ROWS).contains(r)) => selected = rows,
                    _ => return usage(),
                }
            }
            _ => return usage(),
        }
    }
    match run(runs, &selected) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(runs: usize, selected: &[usize]) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("no repository root")?
        .to_path_buf();
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let bin_dir = me.parent().ok_or("no binary directory")?.to_path_buf();
    let target = bin_dir.parent().ok_or("no target directory")?.to_path_buf();
    eprintln!("building cargo-contract-guard (release)…");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    measure::run(
        Command::new(cargo)
            .args([
                "build",
                "--release",
                "--quiet",
                "-p",
                "cargo-contract-guard",
            ])
            .current_dir(&root)
            .env("CARGO_TARGET_DIR", &target),
    )?;
    let corpus = root.join("../shared/corpus");
    let ctx = Ctx {
        corpus: corpus
            .is_dir()
            .then(|| corpus.canonicalize().unwrap_or(corpus)),
        tool: bin_dir.join("cargo-contract-guard"),
        me,
        work: target.join("bench/work"),
        root,
        runs,
    };
    std::fs::create_dir_all(&ctx.work).map_err(|e| e.to_string())?;
    let mut results: Vec<(usize, Result<Row, Skip>)> = Vec::new();
    for &id in selected {
        eprintln!("row {id}…");
        let row = match id {
            1 => rows::check_vs_floor(&ctx),
            2 => rows::check_vs_regenerate(&ctx),
            3 => rows::generate_vs_progenitor(&ctx),
            4 => schemas::build_with_vs_without(&ctx),
            5 => rows::diff_memory(&ctx),
            6 => rows::fingerprint_throughput(&ctx),
            7 => selection::selected_vs_full(&ctx),
            8 => client_macro::macro_vs_module(&ctx, true),
            _ => client_macro::macro_vs_module(&ctx, false),
        };
        if let Err(Skip(reason)) = &row {
            eprintln!("row {id} skipped: {reason}");
        }
        results.push((id, row));
    }
    print_table(&results);
    write_json(&target.join("bench/latest.json"), runs, &results)
}

fn fmt_value(value: f64, unit: &str) -> String {
    match unit {
        "s" => format!("{value:.3} s"),
        "MB" => format!("{:.1} MB", value / 1e6),
        "MB/s" => format!("{:.0} MB/s", value / 1e6),
        _ => format!("{value}"),
    }
}

fn print_table(results: &[(usize, Result<Row, Skip>)]) {
    let mut lines = vec![[
        "#".to_string(),
        "what".into(),
        "ours".into(),
        "reference".into(),
        "ratio".into(),
        "target".into(),
        "result".into(),
    ]];
    let mut notes = Vec::new();
    for (id, row) in results {
        match row {
            Ok(row) => {
                lines.push([
                    id.to_string(),
                    row.what.clone(),
                    fmt_value(row.ours, row.unit),
                    fmt_value(row.reference, row.unit),
                    format!("{:.2}x", row.ratio()),
                    row.target_text(),
                    match row.pass() {
                        Some(true) => "pass".into(),
                        Some(false) => "FAIL".into(),
                        None => "info".into(),
                    },
                ]);
                if !row.note.is_empty() {
                    notes.push(format!("{id}: {}", row.note));
                }
            }
            Err(Skip(reason)) => {
                lines.push([
                    id.to_string(),
                    "skipped".into(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    "skip".into(),
                ]);
                notes.push(format!("{id}: skipped: {reason}"));
            }
        }
    }
    let widths: Vec<usize> = (0..7)
        .map(|c| {
            lines
                .iter()
                .map(|l| l[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        println!("{}", cells.join("  ").trim_end());
    }
    for note in notes {
        println!("{note}");
    }
}

fn write_json(
    path: &Path,
    runs: usize,
    results: &[(usize, Result<Row, Skip>)],
) -> Result<(), String> {
    let rows: Vec<serde_json::Value> = results
        .iter()
        .map(|(id, row)| match row {
            Ok(row) => serde_json::json!({
                "row": id,
                "what": row.what,
                "unit": row.unit,
                "ours": row.ours,
                "reference": row.reference,
                "ratio": row.ratio(),
                "target": row.target_text(),
                "pass": row.pass(),
                "note": row.note,
            }),
            Err(Skip(reason)) => serde_json::json!({"row": id, "skipped": reason}),
        })
        .collect();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_default();
    let doc = serde_json::json!({
        "runs": runs,
        "statistic": "median",
        "machine": {
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            "cpu": cpu,
        },
        "rows": rows,
    });
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())? + "\n";
    std::fs::write(path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
