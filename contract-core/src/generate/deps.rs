//! The crates a generated client needs in the user's `[dependencies]`.

use super::codegen::Needs;
use crate::manifest::Dependency;

const fn dep(
    name: &'static str,
    version: &'static str,
    features: &'static [&'static str],
) -> Dependency {
    Dependency {
        name,
        version,
        features,
        no_default_features: false,
    }
}

/// The dependencies for code that uses `needs`.
pub fn required(needs: &Needs) -> Vec<Dependency> {
    let mut deps = vec![
        // The guard only: the generator stays out of the user's build.
        Dependency {
            no_default_features: true,
            ..dep("contract-macros", env!("CARGO_PKG_VERSION"), &[])
        },
        dep("progenitor-client", "0.15", &[]),
        dep("reqwest", "0.13", &["json", "query", "stream"]),
        dep("serde", "1.0", &["derive"]),
    ];
    if needs.serde_json {
        deps.push(dep("serde_json", "1.0", &[]));
    }
    if needs.chrono {
        deps.push(dep("chrono", "0.4", &["serde"]));
    }
    if needs.uuid {
        deps.push(dep("uuid", "1.0", &["serde", "v4"]));
    }
    if needs.regress {
        deps.push(dep("regress", "0.12", &[]));
    }
    if needs.futures {
        deps.push(dep("futures", "0.3", &[]));
    }
    if needs.websockets {
        deps.push(dep("base64", "0.22", &[]));
        deps.push(dep("rand", "0.9", &[]));
    }
    deps
}
