//! When progenitor panics, its message rarely says where (`assertion failed:
//! response_types.len() <= 1`). This finds the operation: it regenerates with halves of the
//! operations (every component kept) until one operation alone still panics — a few
//! generations, only after a crash.

use openapiv3::{OpenAPI, PathItem, ReferenceOr};
use progenitor::Generator;

use super::progenitor::{catch_panic, progenitor_settings};
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
}
