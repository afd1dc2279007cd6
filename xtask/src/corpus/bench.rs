//! Generation time on the largest GitHub spec: ours (lowering, normalisation, progenitor,
//! formatting, header) against plain progenitor on the same lowered and normalised document.
//! Runs alternate and the median of each side is reported, as a ratio; nothing asserts on it.

use std::path::Path;
use std::time::Instant;

use contract_core::error::with_causes;
use serde::Serialize;

/// The measurement.
#[derive(Debug, Serialize)]
pub struct Bench {
    pub spec: String,
    pub megabytes: f64,
    pub runs: usize,
    pub ours_secs: f64,
    pub plain_secs: f64,
    pub prepare_secs: f64,
    pub ratio: f64,
}

/// Measures on the largest file under `corpus/github`, if there is one.
pub fn github(corpus: &Path, runs: usize) -> Result<Option<Bench>, String> {
    let dir = corpus.join("github");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("corpus: no `{}`; GitHub timing skipped", dir.display());
        return Ok(None);
    };
    let largest = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.len(), p)))
        .max();
    let Some((bytes, path)) = largest else {
        return Ok(None);
    };
    eprintln!(
        "corpus: timing generation on `{}` ({runs} runs each)",
        path.display()
    );
    let spec = contract_core::spec::load(&path).map_err(|e| with_causes(&e))?;
    let prepared = contract_core::codegen::normalize::for_generator(&spec.document, &spec.version);
    let (contract, output) = super::worker::scratch_contract("github", &path, "src/github.rs");
    let (mut ours, mut plain, mut prepare) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let started = Instant::now();
        let _ = contract_core::codegen::normalize::for_generator(&spec.document, &spec.version);
        prepare.push(started.elapsed().as_secs_f64());

        let started = Instant::now();
        let file = contract_core::codegen::generate(&contract, &output, &spec)
            .map_err(|e| with_causes(&e))?;
        ours.push(started.elapsed().as_secs_f64());
        drop(file);

        let started = Instant::now();
        let code = super::worker::plain_progenitor(&prepared.document)?;
        plain.push(started.elapsed().as_secs_f64());
        drop(code);
    }
    let (ours_secs, plain_secs) = (median(&mut ours), median(&mut plain));
    Ok(Some(Bench {
        spec: path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned(),
        megabytes: bytes as f64 / 1e6,
        runs,
        ours_secs,
        plain_secs,
        prepare_secs: median(&mut prepare),
        ratio: ours_secs / plain_secs,
    }))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
