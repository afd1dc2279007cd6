//! Panics of the generator. [`catch_panic`] turns one into an error message, silently and
//! safely when other threads run (the panic hook is process-global). When progenitor panics,
//! its message rarely says where (`assertion failed: response_types.len() <= 1`), so
//! [`describe`] finds the operation: it regenerates with halves of the operations (every
//! component kept) until one operation alone still panics — a few generations, only after a
//! crash.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use openapiv3::{OpenAPI, PathItem, ReferenceOr};
use progenitor::Generator;

use super::progenitor::progenitor_settings;
use crate::project::settings::GeneratorSettings;

/// How many extra generations the search may run.
const MAX_TRIES: usize = 40;

/// The error message for a panic of the generator on `openapi`.
pub(super) fn describe(openapi: &OpenAPI, panic: &str, settings: &GeneratorSettings) -> String {
    match culprit(openapi, settings) {
        Some((method, path, id)) => format!(
            "the generator crashed on operation `{id}` ({} {path}): {panic}",
            method.to_ascii_uppercase()
        ),
        None => format!("the generator crashed: {panic}"),
    }
}

type Op = (String, String, String);

/// `(method, path, operationId)` of the first operation that makes the generator panic alone.
fn culprit(openapi: &OpenAPI, settings: &GeneratorSettings) -> Option<Op> {
    let all: Vec<Op> = openapi
        .operations()
        .map(|(path, method, operation)| {
            (
                method.to_string(),
                path.to_string(),
                operation.operation_id.clone().unwrap_or_default(),
            )
        })
        .collect();
    let mut candidates = all;
    let mut tries = 0;
    while candidates.len() > 1 && tries < MAX_TRIES {
        let (left, right) = candidates.split_at(candidates.len() / 2);
        tries += 1;
        if panics(openapi, left, settings) {
            candidates = left.to_vec();
            continue;
        }
        tries += 1;
        if panics(openapi, right, settings) {
            candidates = right.to_vec();
            continue;
        }
        return None;
    }
    (candidates.len() == 1 && panics(openapi, &candidates, settings)).then(|| candidates.remove(0))
}

/// Whether generating only `keep` (and every component) panics.
fn panics(openapi: &OpenAPI, keep: &[Op], settings: &GeneratorSettings) -> bool {
    let mut subset = openapi.clone();
    for (path, item) in subset.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        retain_methods(item, |method| {
            keep.iter().any(|(m, p, _)| m == method && p == path)
        });
    }
    let mut generator = Generator::new(&progenitor_settings(settings));
    catch_panic(|| generator.generate_tokens(&subset)).is_err()
}

fn retain_methods(item: &mut PathItem, keep: impl Fn(&str) -> bool) {
    for (method, slot) in [
        ("get", &mut item.get),
        ("put", &mut item.put),
        ("post", &mut item.post),
        ("delete", &mut item.delete),
        ("options", &mut item.options),
        ("head", &mut item.head),
        ("patch", &mut item.patch),
        ("trace", &mut item.trace),
    ] {
        if !keep(method) {
            *slot = None;
        }
    }
}

/// Runs `f`, turning a panic into its message instead of unwinding into the caller and without
/// printing the default panic report.
///
/// The panic hook is process-global and other threads (parallel tests, a second `client!`
/// expansion in the same rustc) run meanwhile, so it is never swapped around the call: a
/// wrapper installed once stays silent while the panicking thread is inside `catch_panic`,
/// and hands every other panic to the hook that was installed before it.
pub(super) fn catch_panic<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    install_silencer();
    let result = {
        let _silenced = Silenced::enter();
        panic::catch_unwind(AssertUnwindSafe(f))
    };
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into())
    })
}

thread_local! {
    /// How many `catch_panic` calls this thread is inside.
    static SILENCED_DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Installs, once per process, the hook that stays silent for panics [`catch_panic`] catches.
fn install_silencer() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            // During thread teardown the depth is gone: that panic is nobody's to silence.
            let silenced = SILENCED_DEPTH
                .try_with(|depth| depth.get() > 0)
                .unwrap_or(false);
            if !silenced {
                previous(info);
            }
        }));
    });
}

/// This thread's panics are silent while one lives.
struct Silenced;

impl Silenced {
    fn enter() -> Silenced {
        let _ = SILENCED_DEPTH.try_with(|depth| depth.set(depth.get() + 1));
        Silenced
    }
}

impl Drop for Silenced {
    fn drop(&mut self) {
        let _ = SILENCED_DEPTH.try_with(|depth| depth.set(depth.get().saturating_sub(1)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_the_operation_that_panics() {
        // Two media types in one request body: progenitor 0.15 panics (`todo!`). Built without
        // normalisation on purpose.
        let openapi: OpenAPI = serde_json::from_value(json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/ok": {"get": {"operationId": "fine", "responses": {"200": {"description": ""}}}},
                "/bad": {"post": {
                    "operationId": "broken",
                    "requestBody": {"content": {
                        "application/json": {"schema": {"type": "string"}},
                        "text/plain": {"schema": {"type": "string"}}
                    }},
                    "responses": {"200": {"description": ""}}
                }},
                "/also": {"put": {"operationId": "fine2", "responses": {"200": {"description": ""}}}}
            }
        }))
        .unwrap();
        let settings = GeneratorSettings::default();
        let message = describe(&openapi, "boom", &settings);
        assert_eq!(
            message,
            "the generator crashed on operation `broken` (POST /bad): boom"
        );
    }

    /// Set in the child process that runs [`concurrent_catches_leave_other_panics_to_the_hook`]
    /// with a hook of its own.
    const CHILD: &str = "CONTRACT_CORE_PANIC_HOOK_CHILD";

    /// Many threads catching panics at once must neither report those panics nor leave the
    /// silent hook behind: a panic elsewhere afterwards still reaches the hook installed before.
    /// Runs in a child process, since the hook is process-global and other tests catch panics.
    #[test]
    fn concurrent_catches_leave_other_panics_to_the_hook() {
        if std::env::var_os(CHILD).is_some() {
            return concurrent_catches_in_this_process();
        }
        let name = "codegen::panics::tests::concurrent_catches_leave_other_panics_to_the_hook";
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", name, "--test-threads=1", "--nocapture"])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            stdout.contains("1 passed"),
            "the child ran the test: {stdout}"
        );
    }

    fn concurrent_catches_in_this_process() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static REPORTED: AtomicUsize = AtomicUsize::new(0);
        std::panic::set_hook(Box::new(|_| {
            REPORTED.fetch_add(1, Ordering::SeqCst);
        }));
        const THREADS: usize = 16;
        let start = std::sync::Arc::new(std::sync::Barrier::new(THREADS));
        let threads: Vec<_> = (0..THREADS)
            .map(|t| {
                let start = start.clone();
                std::thread::spawn(move || {
                    start.wait();
                    for i in 0..1000 {
                        let caught = catch_panic(|| -> () { panic!("thread {t}, panic {i}") });
                        assert_eq!(caught, Err(format!("thread {t}, panic {i}")));
                    }
                    assert_eq!(catch_panic(|| t), Ok(t));
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(
            REPORTED.load(Ordering::SeqCst),
            0,
            "caught panics are silent"
        );
        assert!(std::thread::spawn(|| panic!("not caught")).join().is_err());
        assert_eq!(
            REPORTED.load(Ordering::SeqCst),
            1,
            "a panic outside `catch_panic` reaches the hook installed before"
        );
    }
}
