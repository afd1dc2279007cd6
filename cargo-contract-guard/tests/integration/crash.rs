//! Crash safety: `generate` and `lock` killed with SIGKILL at random points, many times, never
//! leave a partial file: the lock is always a complete, valid lock (old, new, or the pin moved
//! before the client was regenerated) and the generated file is always the old or the new one.

#![cfg(unix)]

use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{Project, bin};

/// A spec large enough that generating it takes a while (many schemas and operations).
fn big_spec(title: &str) -> String {
    let mut schemas = serde_json::Map::new();
    let mut paths = serde_json::Map::new();
    for i in 0..150 {
        let mut properties = serde_json::Map::new();
        for p in 0..12 {
            properties.insert(
                format!("field{p}"),
                serde_json::json!({"type": "string", "description": format!("field {p} of {i}")}),
            );
        }
        schemas.insert(
            format!("Thing{i}"),
            serde_json::json!({"type": "object", "properties": properties}),
        );
        paths.insert(
            format!("/things{i}/{{id}}"),
            serde_json::json!({"get": {"operationId": format!("getThing{i}"),
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/Thing{i}")}}}}}}}),
        );
    }
    serde_json::to_string_pretty(&serde_json::json!({
        "openapi": "3.0.3", "info": {"title": title, "version": "1"},
        "paths": paths, "components": {"schemas": schemas}
    }))
    .unwrap()
}

/// A tiny deterministic pseudo-random sequence (no dependency needed).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound.max(1)
    }
}

fn run_and_kill(project: &Project, args: &[&str], after: Duration) {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(project.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let _ = child.kill(); // SIGKILL on unix
    let _ = child.wait();
}

#[test]
fn killed_generate_and_lock_never_leave_partial_files() {
    let project = Project::single("app");
    project.write("specs/big.json", &big_spec("old"));
    project
        .run(&[
            "add",
            "big",
            "specs/big.json",
            "--output",
            "src/big.rs",
            "--no-deps",
        ])
        .expect(0);
    project.run(&["generate"]).expect(0);
    let old_out = project.read("src/big.rs");
    let old_lock = project.read("contract-guard.lock");

    // The new state, computed once without interruption.
    project.write("specs/big.json", &big_spec("new"));
    project.run(&["lock"]).expect(0);
    let moved_lock = project.read("contract-guard.lock");
    project.run(&["generate"]).expect(0);
    let new_out = project.read("src/big.rs");
    let new_lock = project.read("contract-guard.lock");
    assert_ne!(old_out, new_out);

    // How long an uninterrupted `generate --relock` takes, to spread the kills over it.
    let reset = |project: &Project| {
        project.write("src/big.rs", &old_out);
        project.write("contract-guard.lock", &old_lock);
    };
    reset(&project);
    let started = Instant::now();
    project.run(&["generate", "--relock"]).expect(0);
    let span = started.elapsed().as_micros() as u64;

    let mut rng = Lcg(0x5eed);
    let mut outcomes = [0usize; 3];
    for _ in 0..40 {
        reset(&project);
        run_and_kill(
            &project,
            &["generate", "--relock"],
            Duration::from_micros(rng.next(span * 11 / 10)),
        );
        let out = project.read("src/big.rs");
        let lock = project.read("contract-guard.lock");
        assert!(
            out == old_out || out == new_out,
            "partial generated file ({} bytes)",
            out.len()
        );
        assert!(
            lock == old_lock || lock == moved_lock || lock == new_lock,
            "partial lock:\n{lock}"
        );
        outcomes[if out == new_out {
            2
        } else if lock == old_lock {
            0
        } else {
            1
        }] += 1;
    }
    eprintln!(
        "generate kills: {} before any write, {} mid-way, {} after",
        outcomes[0], outcomes[1], outcomes[2]
    );

    for _ in 0..40 {
        project.write("contract-guard.lock", &old_lock);
        run_and_kill(
            &project,
            &["lock"],
            Duration::from_micros(rng.next(span / 2)),
        );
        let lock = project.read("contract-guard.lock");
        assert!(
            lock == old_lock || lock == moved_lock,
            "partial lock after a killed `lock`:\n{lock}"
        );
    }
}
