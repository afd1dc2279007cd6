//! Timing: subprocesses timed from spawn to exit, medians, peak memory of a child.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `command` with its output discarded and returns its wall time; an exit code outside
/// `ok_codes` is an error naming the command and its stderr.
pub fn timed(command: &mut Command, ok_codes: &[i32]) -> Result<Duration, String> {
    let started = Instant::now();
    let output = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let elapsed = started.elapsed();
    let code = output.status.code().unwrap_or(-1);
    if !ok_codes.contains(&code) {
        return Err(format!(
            "{command:?} exited with {code}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(elapsed)
}

/// Runs `command` once, discarding stdout, failing on a non-zero exit.
pub fn run(command: &mut Command) -> Result<(), String> {
    timed(command, &[0]).map(|_| ())
}

/// Median of a sample (mean of the middle two for even sizes).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Times `ours` and `reference` `runs` times each, interleaved so that load on the shared
/// machine hits both alike; returns the two medians in seconds.
pub fn pair(
    runs: usize,
    mut ours: impl FnMut() -> Result<Duration, String>,
    mut reference: impl FnMut() -> Result<Duration, String>,
) -> Result<(f64, f64), String> {
    // One untimed round warms the page cache and any lazily built state.
    ours()?;
    reference()?;
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        a.push(ours()?.as_secs_f64());
        b.push(reference()?.as_secs_f64());
    }
    Ok((median(a), median(b)))
}

/// What `/usr/bin/time` reports of a child: wall time, peak resident set, CPU time.
pub struct Usage {
    /// Wall time, spawn to exit.
    pub wall: Duration,
    /// Peak resident set size in bytes (of the largest process in the tree).
    pub peak_rss: u64,
    /// User + system CPU seconds of the child and the children it waited for.
    pub cpu: f64,
}

/// Runs `command` under `/usr/bin/time` (same program, arguments, directory and environment)
/// and reports its usage; `scratch` holds the report.
pub fn usage(command: &Command, scratch: &Path, ok_codes: &[i32]) -> Result<Usage, String> {
    let report = scratch.join("time.out");
    let mut wrapped = Command::new("/usr/bin/time");
    wrapped
        .arg("-f")
        .arg("%M %U %S")
        .arg("-o")
        .arg(&report)
        .arg(command.get_program())
        .args(command.get_args());
    if let Some(dir) = command.get_current_dir() {
        wrapped.current_dir(dir);
    }
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => wrapped.env(key, value),
            None => wrapped.env_remove(key),
        };
    }
    let wall = timed(&mut wrapped, ok_codes)?;
    let text =
        std::fs::read_to_string(&report).map_err(|e| format!("no /usr/bin/time report: {e}"))?;
    let fields: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let [kib, user, sys] = fields[..] else {
        return Err(format!("unreadable /usr/bin/time report: {text:?}"));
    };
    Ok(Usage {
        wall,
        peak_rss: kib as u64 * 1024,
        cpu: user + sys,
    })
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_of_odd_and_even_samples() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), 2.5);
    }
}
