//! Prism: installed from npm into `target/conformance/prism`, started on a free port of
//! 127.0.0.1 for one spec, stopped when dropped.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Prism release the figures were measured with.
pub const PRISM: &str = "@stoplight/prism-cli@5.16.0";

/// How long Prism may take to listen.
const STARTUP: Duration = Duration::from_secs(240);

/// The `prism` executable under `dir`, installed with npm unless that version is there.
pub fn install(dir: &Path) -> Result<PathBuf, String> {
    let executable = dir.join("node_modules/.bin/prism");
    let (package, version) = PRISM.rsplit_once('@').expect("name@version");
    let installed = dir.join("node_modules").join(package).join("package.json");
    let current = std::fs::read_to_string(&installed)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|manifest| manifest["version"] == version);
    if current && executable.exists() {
        return Ok(executable);
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("`{}`: {e}", dir.display()))?;
    eprintln!("conformance: installing {PRISM} into `{}`", dir.display());
    let status = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix"])
        .arg(dir)
        .arg(PRISM)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| {
            format!("could not run `npm` ({e}); install Node.js 20 and npm, then run `cargo xtask conformance` again")
        })?;
    if !status.success() || !executable.exists() {
        return Err(format!(
            "`npm install {PRISM}` failed ({status}); run it by hand with `--prefix {}` to see why",
            dir.display()
        ));
    }
    Ok(executable)
}

/// A child process killed (and reaped) when dropped.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A running `prism mock`.
pub struct Prism {
    pub base_url: String,
    process: Killed,
    log: PathBuf,
}

impl Prism {
    /// How Prism ended, when it stopped by itself (it crashes on some media types).
    pub fn crashed(&mut self) -> Option<String> {
        let status = self.process.0.try_wait().ok()??;
        Some(format!(
            "prism stopped during the run ({status}): {}",
            log_tail(&self.log)
        ))
    }
}

/// Starts `prism mock <spec> --errors` (static responses from the spec's examples) on a free
/// port, its output in `log`, and waits until it listens.
pub fn start(prism: &Path, spec: &Path, log: &Path) -> Result<Prism, String> {
    let port = free_port()?;
    let log_file = std::fs::File::create(log).map_err(|e| format!("`{}`: {e}", log.display()))?;
    let log_err = log_file.try_clone().map_err(|e| e.to_string())?;
    let child = Command::new(prism)
        .arg("mock")
        .arg(spec)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--errors",
        ])
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(log_err)
        .spawn()
        .map_err(|e| format!("starting `{}`: {e}", prism.display()))?;
    let mut process = Killed(child);
    let started = Instant::now();
    while started.elapsed() < STARTUP {
        if let Ok(Some(status)) = process.0.try_wait() {
            return Err(format!(
                "prism stopped before listening ({status}): {}",
                log_tail(log)
            ));
        }
        if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return Ok(Prism {
                base_url: format!("http://127.0.0.1:{port}"),
                process,
                log: log.to_path_buf(),
            });
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!(
        "prism did not listen within {}s",
        STARTUP.as_secs()
    ))
}

fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// The last error-looking line of Prism's log.
fn log_tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let line = text
        .lines()
        .rev()
        .find(|l| l.contains("rror") || l.contains('✖'))
        .or_else(|| text.lines().rev().find(|l| !l.trim().is_empty()))
        .unwrap_or("");
    crate::corpus::worker::one_line(line)
}
