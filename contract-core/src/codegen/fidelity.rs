//! Fidelity: what each rewrite of [`lower`](crate::codegen::lower) and
//! [`normalize`](crate::codegen::normalize) costs a caller of the generated client. Every rule id
//! a [`Note`] can carry is classed here, once: lossless (names, documentation, an equivalent
//! OpenAPI 3.0 spelling) or lossy, with what it loses. Lossy rewrites are counted in the
//! generated file's header and the lock ([`Losses`]); the ones that change what a request
//! sends, or stand in for a broken spec, stop generation unless the contract accepts them by
//! name (`accept = ["unsupported-body"]`).

use std::collections::BTreeMap;

use crate::codegen::note::Note;

/// What a rewrite costs a caller of the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Nothing a caller sees: a name, documentation, or the same meaning spelt for 3.0.
    None,
    /// The client checks less than the spec says: a constraint is not enforced, a value the
    /// spec allows is refused, or a default is not filled in.
    Validation,
    /// Responses are read differently: merged into one untagged type, or reported as
    /// unexpected.
    Response,
    /// What a request sends differs from the spec (a parameter left out, another media type
    /// or serialisation), or an operation cannot be sent at all. Refused unless accepted.
    Request,
    /// The spec is broken here (a `$ref` that does not resolve) and the client would read
    /// "any value" in its place. Refused unless accepted.
    AnyValue,
}

/// The class of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleClass {
    /// The rule id, as notes carry it (`normalize/unsupported-body`).
    pub id: &'static str,
    /// What it costs.
    pub effect: Effect,
    /// What it loses, in one phrase (empty when lossless).
    pub loses: &'static str,
}

impl RuleClass {
    /// Whether the rewrite loses anything a caller could see.
    pub fn is_lossy(&self) -> bool {
        self.effect != Effect::None
    }

    /// Whether generation stops on it unless the contract accepts it.
    pub fn refused_by_default(&self) -> bool {
        matches!(self.effect, Effect::Request | Effect::AnyValue)
    }

    /// The id without its stage (`unsupported-body`), as `accept` may also write it.
    pub fn short_id(&self) -> &'static str {
        self.id.split_once('/').map_or(self.id, |(_, name)| name)
    }
}

const fn rule(id: &'static str, effect: Effect, loses: &'static str) -> RuleClass {
    RuleClass { id, effect, loses }
}

const fn lossless(id: &'static str) -> RuleClass {
    rule(id, Effect::None, "")
}

use Effect::{AnyValue, Request, Response, Validation};

/// Every rule id, sorted, with its class. A rule some of whose cases lose meaning is lossy.
pub const RULES: &[RuleClass] = &[
    lossless("lower/boolean-schema"),
    rule(
        "lower/conditional",
        Validation,
        "`if`/`then`/`else` constraints are not checked",
    ),
    lossless("lower/const"),
    rule(
        "lower/content-encoding",
        Validation,
        "a `contentMediaType` or `contentEncoding` beside a `format` is dropped",
    ),
    rule(
        "lower/dependent",
        Validation,
        "`dependentRequired`/`dependentSchemas` constraints are not checked",
    ),
    lossless("lower/examples"),
    lossless("lower/exclusive-bound"),
    lossless("lower/json-schema-dialect"),
    lossless("lower/json-schema-keyword"),
    lossless("lower/nullable-union"),
    lossless("lower/path-items"),
    lossless("lower/paths"),
    rule(
        "lower/pattern-properties",
        Validation,
        "property names are not checked against their patterns",
    ),
    rule(
        "lower/prefix-items",
        Validation,
        "tuple positions share one item type",
    ),
    rule(
        "lower/ref-siblings",
        Validation,
        "`default`, `readOnly`/`writeOnly` and other annotations beside a `$ref` are dropped",
    ),
    lossless("lower/type-array"),
    lossless("lower/type-null"),
    rule(
        "lower/unevaluated",
        Validation,
        "`unevaluatedProperties`/`unevaluatedItems` beside composition are not checked",
    ),
    rule(
        "lower/unsupported-keyword",
        Validation,
        "`contains`, `propertyNames` and `additionalItems` constraints are not checked",
    ),
    lossless("lower/version"),
    lossless("lower/webhooks"),
    lossless("normalize/all-of-number"),
    rule(
        "normalize/body-bytes",
        Request,
        "the request body is sent as `application/octet-stream` bytes instead of its media type",
    ),
    rule(
        "normalize/body-json",
        Request,
        "a JSON request body is labelled `application/json` instead of its own media type",
    ),
    rule(
        "normalize/body-media-types",
        Validation,
        "a request body is sent in one of the media types the spec offers; the others cannot be chosen",
    ),
    lossless("normalize/body-multipart"),
    lossless("normalize/body-schema"),
    rule(
        "normalize/body-text",
        Validation,
        "an XML or other text request body is the caller's string: its schema is not checked",
    ),
    lossless("normalize/control-characters"),
    rule(
        "normalize/default",
        Validation,
        "a `default` that does not fit its schema is not filled in",
    ),
    rule(
        "normalize/default-response",
        Response,
        "a `default` response is read as a success or error range it may not cover",
    ),
    lossless("normalize/doc-text"),
    rule(
        "normalize/enum-values",
        Validation,
        "`enum` values of another type are refused, or a mixed `enum` is not checked",
    ),
    rule(
        "normalize/enum-variant-names",
        Validation,
        "an `enum` whose values collide in Rust accepts any string",
    ),
    lossless("normalize/exclusive-bound"),
    lossless("normalize/format"),
    lossless("normalize/nullable-component"),
    lossless("normalize/operation-id"),
    rule(
        "normalize/parameter-location",
        Request,
        "a cookie parameter (or one in no OpenAPI location) is not sent",
    ),
    rule(
        "normalize/parameter-name",
        Request,
        "a parameter whose Rust name collides with another is not sent",
    ),
    rule(
        "normalize/parameter-schema",
        Request,
        "a parameter described by `content`, or without a schema, is sent as a plain value",
    ),
    rule(
        "normalize/parameter-style",
        Request,
        "a parameter is serialised in another `style` than the spec's",
    ),
    lossless("normalize/path-parameter"),
    rule(
        "normalize/pattern",
        Validation,
        "a `pattern` the generated validator cannot compile is not checked",
    ),
    lossless("normalize/property-name"),
    lossless("normalize/ref-hoist"),
    lossless("normalize/ref-inline"),
    rule(
        "normalize/ref-unresolved",
        AnyValue,
        "a `$ref` that does not resolve becomes any value (a response without content, or nothing)",
    ),
    lossless("normalize/response-json"),
    rule(
        "normalize/response-types",
        Response,
        "responses with different schemas are merged into one untagged type, or non-JSON ones are reported as unexpected",
    ),
    rule(
        "normalize/schema-keyword",
        Validation,
        "`items` given as a list becomes one schema; invalid keyword values are dropped",
    ),
    lossless("normalize/schema-name"),
    lossless("normalize/schema-type"),
    lossless("normalize/selection"),
    lossless("normalize/title"),
    lossless("normalize/type-name"),
    rule(
        "normalize/unsupported-body",
        Request,
        "an operation whose request body the generator cannot send is not in the client",
    ),
];

/// The class of `rule`, if it is a known rule id.
pub fn class(rule: &str) -> Option<&'static RuleClass> {
    RULES.iter().find(|r| r.id == rule)
}

/// Whether a note's rule is lossy. An unknown rule counts as lossy: nothing is lossless
/// without being classed so.
pub fn is_lossy(note: &Note) -> bool {
    class(note.rule).is_none_or(RuleClass::is_lossy)
}

/// Lossy rewrites counted by rule id: what the header and the lock record.
pub type Losses = BTreeMap<String, u32>;

/// The lossy notes of a generation, counted by rule.
pub fn losses(notes: &[Note]) -> Losses {
    let mut out = Losses::new();
    for note in notes.iter().filter(|n| is_lossy(n)) {
        *out.entry(note.rule.to_string()).or_default() += 1;
    }
    out
}

/// The notes generation stops on: rules refused by default that `accepted` does not name.
pub fn refused<'n>(notes: &'n [Note], accepted: &[String]) -> Vec<&'n Note> {
    notes
        .iter()
        .filter(|n| class(n.rule).is_some_and(RuleClass::refused_by_default))
        .filter(|n| !accepted.iter().any(|a| a == n.rule))
        .collect()
}

/// The rules a contract may name in `accept`: those refused by default.
pub fn acceptable() -> impl Iterator<Item = &'static RuleClass> {
    RULES.iter().filter(|r| r.refused_by_default())
}

/// Resolves one `accept` entry (a full id or the part after `lower/`/`normalize/`) to a rule
/// id, or says why it cannot be accepted.
pub fn accepted_rule(written: &str) -> Result<&'static str, String> {
    let found = RULES
        .iter()
        .find(|r| r.id == written || r.short_id() == written);
    match found {
        Some(r) if r.refused_by_default() => Ok(r.id),
        Some(r) if r.is_lossy() => Err(format!(
            "`{written}` in `accept`: `{}` is lossy but never stops generation, so there is nothing to accept (it is reported by `check` as `degraded`); the rules that can be accepted are {}",
            r.id,
            acceptable_list()
        )),
        Some(r) => Err(format!(
            "`{written}` in `accept`: `{}` is lossless, so there is nothing to accept; the rules that can be accepted are {}",
            r.id,
            acceptable_list()
        )),
        None => {
            let close = RULES
                .iter()
                .filter(|r| r.refused_by_default())
                .map(|r| r.short_id())
                .find(|known| crate::project::manifest_keys::close(written, known));
            Err(match close {
                Some(known) => format!(
                    "`{written}` in `accept` is not a rewrite rule: did you mean `{known}`?"
                ),
                None => format!(
                    "`{written}` in `accept` is not a rewrite rule; the rules that can be accepted are {}",
                    acceptable_list()
                ),
            })
        }
    }
}

fn acceptable_list() -> String {
    acceptable()
        .map(|r| format!("`{}`", r.short_id()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `accept` list as settings record it: each entry resolved to its full id, sorted and
/// without repeats, so that spelling does not move the options fingerprint.
pub fn normalize_accept(written: &[String]) -> Result<Vec<String>, String> {
    let mut out = written
        .iter()
        .map(|w| accepted_rule(w).map(str::to_string))
        .collect::<Result<Vec<_>, _>>()?;
    out.sort();
    out.dedup();
    Ok(out)
}

/// Where lossy notes apply: the operations (`GET /pets`) and component types (`Pet`) they
/// touch, each sorted and listed once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Affected {
    /// Operations, as `METHOD /path`.
    pub operations: Vec<String>,
    /// Component schemas, by name.
    pub types: Vec<String>,
}

/// The operations and types the lossy `notes` touch.
pub fn affected(notes: &[Note]) -> Affected {
    let mut out = Affected::default();
    for note in notes.iter().filter(|n| is_lossy(n)) {
        if let Some(operation) = note.operation() {
            out.operations.push(operation);
        } else if let Some(name) = component_schema(&note.pointer) {
            out.types.push(name);
        }
    }
    for list in [&mut out.operations, &mut out.types] {
        list.sort();
        list.dedup();
    }
    out
}

/// `Pet` for a pointer into `/components/schemas/Pet/…`.
fn component_schema(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/components/schemas/")?;
    let name = rest.split('/').next()?;
    Some(crate::util::json_pointer::unescape(name).into_owned())
}

/// `normalize/enum-values ×2, normalize/pattern ×1`, or `none`.
pub fn describe(losses: &Losses) -> String {
    if losses.is_empty() {
        return "none".into();
    }
    losses
        .iter()
        .map(|(rule, n)| format!("{rule} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_unique_and_explains_every_loss() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].id < pair[1].id,
                "{} before {}",
                pair[0].id,
                pair[1].id
            );
        }
        for r in RULES {
            assert!(
                r.id.starts_with("lower/") || r.id.starts_with("normalize/"),
                "{}",
                r.id
            );
            assert_eq!(r.is_lossy(), !r.loses.is_empty(), "{}", r.id);
        }
        let short: Vec<&str> = acceptable().map(RuleClass::short_id).collect();
        let mut unique = short.clone();
        unique.dedup();
        assert_eq!(short, unique);
    }

    /// Every rule id written in the sources of `lower` and `normalize` is classed, and every
    /// classed id is still written somewhere: a new rule cannot ship unclassed.
    #[test]
    fn every_rule_the_code_emits_is_classed() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src/codegen");
        let mut emitted = std::collections::BTreeSet::new();
        for stage in ["lower", "normalize"] {
            for entry in std::fs::read_dir(format!("{root}/{stage}")).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                for (start, _) in code.match_indices(&format!("\"{stage}/")) {
                    let id = &code[start + 1..];
                    let id = &id[..id.find('"').unwrap()];
                    emitted.insert(id.to_string());
                }
            }
        }
        assert!(emitted.len() > 40, "{emitted:?}");
        for id in &emitted {
            assert!(
                class(id).is_some(),
                "rule `{id}` is emitted but not classed"
            );
        }
        for r in RULES {
            assert!(
                emitted.contains(r.id),
                "`{}` is classed but never emitted",
                r.id
            );
        }
    }

    /// The book's fidelity table lists every lossy rule with its effect, and its lossless line
    /// every other rule.
    #[test]
    fn the_book_lists_every_rule_with_its_class() {
        let page = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../docs/src/lowering.md"
        ))
        .expect("docs/src/lowering.md");
        let section = &page[page.find("## Fidelity").expect("a Fidelity section")..];
        let lossless_line = section
            .lines()
            .find(|l| l.starts_with("Lossless: "))
            .expect("a `Lossless:` line");
        for r in RULES {
            let effect = match r.effect {
                Effect::None => {
                    assert!(lossless_line.contains(&format!("`{}`", r.id)), "{}", r.id);
                    continue;
                }
                Effect::Validation => "validation",
                Effect::Response => "responses",
                Effect::Request => "request",
                Effect::AnyValue => "any value",
            };
            let row = format!("| `{}` | {effect} | ", r.id);
            assert!(section.contains(&row), "the book lacks {row}");
        }
    }

    #[test]
    fn request_changes_and_dangling_references_are_refused_unless_accepted() {
        let notes = [
            Note::new("normalize/operation-id", "/paths/~1a/get", "m"),
            Note::new("normalize/pattern", "/components/schemas/Pet", "m"),
            Note::new("normalize/unsupported-body", "/paths/~1a/post", "m"),
            Note::new(
                "normalize/ref-unresolved",
                "/components/schemas/Pet/properties/x",
                "m",
            ),
        ];
        let rules = |accepted: &[String]| -> Vec<&str> {
            refused(&notes, accepted).iter().map(|n| n.rule).collect()
        };
        assert_eq!(
            rules(&[]),
            ["normalize/unsupported-body", "normalize/ref-unresolved"]
        );
        let accepted = normalize_accept(&["unsupported-body".into()]).unwrap();
        assert_eq!(accepted, ["normalize/unsupported-body"]);
        assert_eq!(rules(&accepted), ["normalize/ref-unresolved"]);

        let losses = losses(&notes);
        assert_eq!(
            describe(&losses),
            "normalize/pattern ×1, normalize/ref-unresolved ×1, normalize/unsupported-body ×1"
        );
        let affected = affected(&notes);
        assert_eq!(affected.operations, ["POST /a"]);
        assert_eq!(affected.types, ["Pet"]);
    }

    #[test]
    fn accept_refuses_unknown_and_lossless_rules_with_a_suggestion() {
        let err = accepted_rule("unsuported-body").unwrap_err();
        assert!(err.contains("did you mean `unsupported-body`?"), "{err}");
        let err = accepted_rule("normalize/operation-id").unwrap_err();
        assert!(err.contains("is lossless"), "{err}");
        let err = accepted_rule("pattern").unwrap_err();
        assert!(err.contains("never stops generation"), "{err}");
        assert_eq!(
            normalize_accept(&[
                "body-json".into(),
                "normalize/ref-unresolved".into(),
                "normalize/body-json".into()
            ])
            .unwrap(),
            ["normalize/body-json", "normalize/ref-unresolved"]
        );
    }
}
