//! The trust model: security schemes (`components.securitySchemes`: type, API key location
//! and name, HTTP scheme, OAuth2 flows, URLs and scopes, OpenID Connect URL) and security
//! requirements (the document's, and each operation's effective one: its own, else the
//! document's), where a requirement dropped or made optional is the silent fail-open kind of
//! drift.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::resolve::{Node, child};
use super::rules::Rule;
use super::walk::Cx;

fn s<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

/// Compares `components.securitySchemes`.
pub(super) fn schemes(cx: &mut Cx<'_>) {
    let get = |root: &'_ Value| {
        root.get("components")
            .and_then(|c| c.get("securitySchemes"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let (old, new) = (get(cx.old.root), get(cx.new.root));
    let base = "/components/securitySchemes";
    for (name, old_value) in &old {
        let ptr = child(base, name);
        let Some(new_value) = new.get(name) else {
            cx.emit(
                Rule::SecuritySchemeRemoved,
                Some(&ptr),
                None,
                format!("security scheme `{name}` was removed"),
            );
            continue;
        };
        let (Some(old_scheme), Some(new_scheme)) = (
            cx.old.resolve_opt(old_value, ptr.clone()),
            cx.new.resolve_opt(new_value, ptr),
        ) else {
            continue;
        };
        scheme(cx, name, &old_scheme, &new_scheme);
    }
    for name in new.keys() {
        if !old.contains_key(name) {
            cx.emit(
                Rule::SecuritySchemeAdded,
                None,
                Some(&child(base, name)),
                format!("security scheme `{name}` was added"),
            );
        }
    }
}

fn scheme(cx: &mut Cx<'_>, name: &str, old_scheme: &Node<'_>, new_scheme: &Node<'_>) {
    let (old_ptr, new_ptr) = (
        Some(old_scheme.pointer.as_str()),
        Some(new_scheme.pointer.as_str()),
    );
    let (old_type, new_type) = (s(old_scheme.value, "type"), s(new_scheme.value, "type"));
    if old_type != new_type {
        cx.emit(
            Rule::SecuritySchemeTypeChanged,
            old_ptr,
            new_ptr,
            format!(
                "security scheme `{name}` changed type from `{}` to `{}`",
                old_type.unwrap_or("?"),
                new_type.unwrap_or("?")
            ),
        );
        return;
    }
    match old_type {
        Some("apiKey") => {
            for key in ["in", "name"] {
                if s(old_scheme.value, key) != s(new_scheme.value, key) {
                    cx.emit(
                        Rule::SecuritySchemeApiKeyChanged,
                        old_ptr,
                        new_ptr,
                        format!(
                            "API key `{name}`: `{key}` changed from `{}` to `{}`",
                            s(old_scheme.value, key).unwrap_or("?"),
                            s(new_scheme.value, key).unwrap_or("?")
                        ),
                    );
                }
            }
        }
        Some("http") => {
            let lower = |v: &Value| s(v, "scheme").map(str::to_ascii_lowercase);
            if lower(old_scheme.value) != lower(new_scheme.value) {
                cx.emit(
                    Rule::SecuritySchemeHttpSchemeChanged,
                    old_ptr,
                    new_ptr,
                    format!(
                        "HTTP auth `{name}` changed from `{}` to `{}`",
                        lower(old_scheme.value).unwrap_or_default(),
                        lower(new_scheme.value).unwrap_or_default()
                    ),
                );
            }
            if s(old_scheme.value, "bearerFormat") != s(new_scheme.value, "bearerFormat") {
                cx.emit(
                    Rule::SecuritySchemeBearerFormatChanged,
                    old_ptr,
                    new_ptr,
                    format!("bearer format of `{name}` changed"),
                );
            }
        }
        Some("openIdConnect")
            if s(old_scheme.value, "openIdConnectUrl")
                != s(new_scheme.value, "openIdConnectUrl") =>
        {
            cx.emit(
                Rule::SecuritySchemeOpenidUrlChanged,
                old_ptr,
                new_ptr,
                format!(
                    "OpenID Connect URL of `{name}` changed from `{}` to `{}`",
                    s(old_scheme.value, "openIdConnectUrl").unwrap_or("?"),
                    s(new_scheme.value, "openIdConnectUrl").unwrap_or("?")
                ),
            );
        }
        Some("oauth2") => flows(cx, name, old_scheme, new_scheme),
        _ => {}
    }
}

fn flows(cx: &mut Cx<'_>, name: &str, old_scheme: &Node<'_>, new_scheme: &Node<'_>) {
    let empty = serde_json::Map::new();
    let old_flows = old_scheme
        .value
        .get("flows")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let new_flows = new_scheme
        .value
        .get("flows")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let (old_flows_ptr, new_flows_ptr) = (
        child(&old_scheme.pointer, "flows"),
        child(&new_scheme.pointer, "flows"),
    );
    for (flow, old_flow) in old_flows {
        let old_flow_ptr = child(&old_flows_ptr, flow);
        let Some(new_flow) = new_flows.get(flow) else {
            cx.emit(
                Rule::SecuritySchemeOauthFlowRemoved,
                Some(&old_flow_ptr),
                None,
                format!("OAuth2 flow `{flow}` of `{name}` was removed"),
            );
            continue;
        };
        let new_flow_ptr = child(&new_flows_ptr, flow);
        for url in ["authorizationUrl", "tokenUrl", "refreshUrl"] {
            if s(old_flow, url) != s(new_flow, url) {
                cx.emit(
                    Rule::SecuritySchemeOauthUrlChanged,
                    Some(&old_flow_ptr),
                    Some(&new_flow_ptr),
                    format!(
                        "`{url}` of OAuth2 flow `{flow}` of `{name}` changed from `{}` to `{}`",
                        s(old_flow, url).unwrap_or("(none)"),
                        s(new_flow, url).unwrap_or("(none)")
                    ),
                );
            }
        }
        let scopes = |v: &Value| -> Vec<String> {
            v.get("scopes")
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        };
        let (old_scopes, new_scopes) = (scopes(old_flow), scopes(new_flow));
        for scope in old_scopes.iter().filter(|x| !new_scopes.contains(x)) {
            cx.emit(
                Rule::SecuritySchemeScopeRemoved,
                Some(&old_flow_ptr),
                Some(&new_flow_ptr),
                format!("scope `{scope}` was removed from OAuth2 flow `{flow}` of `{name}`"),
            );
        }
        for scope in new_scopes.iter().filter(|x| !old_scopes.contains(x)) {
            cx.emit(
                Rule::SecuritySchemeScopeAdded,
                Some(&old_flow_ptr),
                Some(&new_flow_ptr),
                format!("scope `{scope}` was added to OAuth2 flow `{flow}` of `{name}`"),
            );
        }
    }
    for flow in new_flows.keys() {
        if !old_flows.contains_key(flow) {
            cx.emit(
                Rule::SecuritySchemeOauthFlowAdded,
                Some(&old_scheme.pointer),
                Some(&child(&new_flows_ptr, flow)),
                format!("OAuth2 flow `{flow}` was added to `{name}`"),
            );
        }
    }
}

/// One way to authenticate: scheme name → required scopes.
type Alternative = BTreeMap<String, BTreeSet<String>>;

/// A requirement list; `None` when absent. An empty list means "no authentication".
fn alternatives(v: Option<&Value>) -> Option<Vec<Alternative>> {
    let list = v?.as_array()?;
    Some(
        list.iter()
            .map(|alt| {
                alt.as_object()
                    .map(|m| {
                        m.iter()
                            .map(|(scheme, scopes)| {
                                let scopes = scopes
                                    .as_array()
                                    .map(|a| {
                                        a.iter()
                                            .filter_map(Value::as_str)
                                            .map(str::to_string)
                                            .collect()
                                    })
                                    .unwrap_or_default();
                                (scheme.clone(), scopes)
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect(),
    )
}

/// Compares the document-level `security`.
pub(super) fn root_requirements(cx: &mut Cx<'_>) {
    let (old_security, new_security) = (cx.old.root.get("security"), cx.new.root.get("security"));
    requirements(
        cx,
        alternatives(old_security),
        "/security",
        alternatives(new_security),
        "/security",
        "the API",
    );
}

/// Compares an operation's effective security (its own, else the document's). When both
/// inherit the document's, the document-level comparison already covered it.
pub(super) fn operation(cx: &mut Cx<'_>, old: &Node<'_>, new: &Node<'_>) {
    let (old_own, new_own) = (old.value.get("security"), new.value.get("security"));
    if old_own.is_none() && new_own.is_none() {
        return;
    }
    let (old_security, old_ptr) = match old_own {
        Some(v) => (Some(v), child(&old.pointer, "security")),
        None => (cx.old.root.get("security"), "/security".to_string()),
    };
    let (new_security, new_ptr) = match new_own {
        Some(v) => (Some(v), child(&new.pointer, "security")),
        None => (cx.new.root.get("security"), "/security".to_string()),
    };
    requirements(
        cx,
        alternatives(old_security),
        &old_ptr,
        alternatives(new_security),
        &new_ptr,
        "the operation",
    );
}

/// Where a requirement comparison is, for its findings.
struct At<'s> {
    old_ptr: &'s str,
    new_ptr: &'s str,
    /// `the API` or `the operation`.
    what: &'s str,
}

impl At<'_> {
    fn emit(&self, cx: &mut Cx<'_>, rule: Rule, message: String) {
        cx.emit(rule, Some(self.old_ptr), Some(self.new_ptr), message);
    }
}

fn requirements(
    cx: &mut Cx<'_>,
    old: Option<Vec<Alternative>>,
    old_ptr: &str,
    new: Option<Vec<Alternative>>,
    new_ptr: &str,
    what: &str,
) {
    let old = old.unwrap_or_default();
    let new = new.unwrap_or_default();
    let at = At {
        old_ptr,
        new_ptr,
        what,
    };
    if !presence(cx, &at, &old, &new) {
        return;
    }
    let old_alts: Vec<&Alternative> = old.iter().filter(|a| !a.is_empty()).collect();
    let new_alts: Vec<&Alternative> = new.iter().filter(|a| !a.is_empty()).collect();
    let (pairs, removed, added) = pair_alternatives(&old_alts, &new_alts);
    for (old_alt, new_alt) in pairs {
        scope_changes(cx, &at, old_alt, new_alt);
    }
    for old_alt in removed {
        let message = format!("{what} no longer accepts {}", show_alternative(old_alt));
        at.emit(cx, Rule::SecurityAlternativeRemoved, message);
    }
    if !old_alts.is_empty() {
        for new_alt in added {
            let message = format!("{what} now also accepts {}", show_alternative(new_alt));
            at.emit(cx, Rule::SecurityAlternativeAdded, message);
        }
    }
}

/// Whether authentication appeared, disappeared or became optional. Returns whether both
/// sides have alternatives left to compare one by one.
fn presence(cx: &mut Cx<'_>, at: &At<'_>, old: &[Alternative], new: &[Alternative]) -> bool {
    let anonymous = |alts: &[Alternative]| alts.is_empty() || alts.iter().any(BTreeMap::is_empty);
    let what = at.what;
    match (old.is_empty(), new.is_empty()) {
        (true, true) => return false,
        (false, true) => {
            let message = format!("{what} no longer requires authentication");
            at.emit(cx, Rule::SecurityRequirementRemoved, message);
            return false;
        }
        (true, false) => {
            if !anonymous(new) {
                let message = format!("{what} now requires authentication");
                at.emit(cx, Rule::SecurityRequirementAdded, message);
            }
            return false;
        }
        (false, false) => {}
    }
    if !anonymous(old) && anonymous(new) {
        let message = format!("authentication of {what} became optional");
        at.emit(cx, Rule::SecurityRequirementMadeOptional, message);
    }
    if anonymous(old) && !anonymous(new) {
        let message = format!("{what} no longer accepts anonymous requests");
        at.emit(cx, Rule::SecurityRequirementAdded, message);
    }
    true
}

type Paired<'s> = (
    Vec<(&'s Alternative, &'s Alternative)>,
    Vec<&'s Alternative>,
    Vec<&'s Alternative>,
);

/// Pairs old and new alternatives: identical ones first (so several with the same schemes
/// pair up correctly), then those with the same schemes. Returns the pairs with different
/// scopes, the old alternatives left and the new ones left.
fn pair_alternatives<'s>(old: &[&'s Alternative], new: &[&'s Alternative]) -> Paired<'s> {
    let key = |alt: &Alternative| alt.keys().cloned().collect::<BTreeSet<_>>();
    let mut used = vec![false; new.len()];
    let mut left: Vec<&Alternative> = Vec::new();
    for old_alt in old {
        match (0..new.len()).find(|&j| !used[j] && new[j] == *old_alt) {
            Some(j) => used[j] = true,
            None => left.push(old_alt),
        }
    }
    let (mut pairs, mut removed) = (Vec::new(), Vec::new());
    for old_alt in left {
        match (0..new.len()).find(|&j| !used[j] && key(new[j]) == key(old_alt)) {
            Some(j) => {
                used[j] = true;
                pairs.push((old_alt, new[j]));
            }
            None => removed.push(old_alt),
        }
    }
    let added = (0..new.len())
        .filter(|&j| !used[j])
        .map(|j| new[j])
        .collect();
    (pairs, removed, added)
}

/// The scopes added to and removed from one alternative's schemes.
fn scope_changes(cx: &mut Cx<'_>, at: &At<'_>, old: &Alternative, new: &Alternative) {
    let what = at.what;
    for (scheme, scopes) in old {
        let new_scopes = &new[scheme];
        let added: Vec<&String> = new_scopes.difference(scopes).collect();
        let removed: Vec<&String> = scopes.difference(new_scopes).collect();
        if !added.is_empty() {
            let message = format!("{what} requires more `{scheme}` scopes: {added:?}");
            at.emit(cx, Rule::SecurityScopesAdded, message);
        }
        if !removed.is_empty() {
            let message = format!("{what} requires fewer `{scheme}` scopes: {removed:?} dropped");
            at.emit(cx, Rule::SecurityScopesRemoved, message);
        }
    }
}

/// `` `oauth` (scopes `read`, `write`) + `key` ``: the schemes of an alternative with the
/// scopes each requires.
fn show_alternative(alt: &Alternative) -> String {
    alt.iter()
        .map(|(scheme, scopes)| {
            if scopes.is_empty() {
                format!("`{scheme}`")
            } else {
                let list: Vec<String> = scopes.iter().map(|s| format!("`{s}`")).collect();
                format!("`{scheme}` (scopes {})", list.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}
