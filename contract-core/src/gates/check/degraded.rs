//! The `degraded` finding: a generated client whose header records lossy rewrites, with the
//! operations and types they touch (found by preparing the spec again, without generating).

use super::{Finding, FindingKind};
use crate::codegen::fidelity::{self, Losses};
use crate::project::contract::{Contract, Output};
use crate::spec::LoadedSpec;

/// Names listed in a message before `and N more`.
const LISTED: usize = 10;

/// The finding for `contract`'s client, whose header records `lossy` (not empty). `spec` is
/// the spec when it was loaded already.
pub(super) fn finding(
    contract: &Contract,
    output: &Output,
    lossy: &Losses,
    spec: Option<&LoadedSpec>,
) -> Finding {
    let total: u32 = lossy.values().sum();
    let mut message = format!(
        "generated client `{}` is degraded: {total} lossy rewrite(s) of the spec ({})",
        output.rel,
        fidelity::describe(lossy)
    );
    if let Some(affected) = affected(contract, spec) {
        for (what, names) in [
            ("operations", &affected.operations),
            ("types", &affected.types),
        ] {
            if !names.is_empty() {
                message.push_str(&format!("; {what} affected: {}", list(names)));
            }
        }
    }
    Finding {
        kind: FindingKind::Degraded,
        contract: contract.display_name(),
        name: contract.name.clone(),
        file: output.rel.clone(),
        line: None,
        message,
        fix: format!(
            "nothing is required; `cargo contract-guard generate {} --verbose` lists each rewrite, and the book's page on lowering and normalisation says what each rule loses",
            contract.name
        ),
        diff: None,
    }
}

/// `` `a`, `b` and 3 more ``.
fn list(names: &[String]) -> String {
    let mut text = names
        .iter()
        .take(LISTED)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > LISTED {
        text.push_str(&format!(" and {} more", names.len() - LISTED));
    }
    text
}

/// The operations and types the lossy rewrites touch, when the spec can be prepared again.
#[allow(unused_variables)]
fn affected(contract: &Contract, spec: Option<&LoadedSpec>) -> Option<fidelity::Affected> {
    #[cfg(feature = "generate")]
    {
        let loaded;
        let spec = match spec {
            Some(spec) => spec,
            None => {
                loaded = contract.load_spec().ok()?;
                &loaded
            }
        };
        let document = spec.single_document().ok()?;
        let selection = contract.settings.selection().ok()?;
        let prepared = crate::codegen::normalize::for_generator_selected(
            &document,
            &spec.version,
            selection.as_ref(),
        )
        .ok()?;
        Some(fidelity::affected(&prepared.notes))
    }
    #[cfg(not(feature = "generate"))]
    {
        None
    }
}
