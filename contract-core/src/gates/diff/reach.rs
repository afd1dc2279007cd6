//! Which operations reach each named schema, and in which direction, from the references
//! alone: for the schemas the comparison walk did not reach (it follows only what it
//! compares). Components reference each other; an operation's parameters and request body
//! are what the client sends, its responses (and a webhook's body) what it receives.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;

use super::resolve::{child, tokens};
use super::walk::{Dir, METHODS};

/// The component (`/components/<kind>/<name>`) holding a local reference's target.
fn component_of(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix("#/components/")?;
    let mut parts = fragment.splitn(3, '/');
    let (kind, name) = (parts.next()?, parts.next()?);
    Some(format!("/components/{kind}/{name}"))
}

/// Every component referenced anywhere inside `value` (references not followed).
fn refs_in(value: &Value, out: &mut BTreeSet<String>) {
    let mut todo = vec![value];
    while let Some(v) = todo.pop() {
        match v {
            Value::Object(map) => {
                if let Some(target) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(component_of)
                {
                    out.insert(target);
                }
                todo.extend(map.values());
            }
            Value::Array(items) => todo.extend(items),
            _ => {}
        }
    }
}

/// The uses of components by operations, in one document.
pub(super) struct Reach {
    /// For each component, the components that reference it.
    reverse: HashMap<String, Vec<String>>,
    /// The components some operation reaches, through any chain of references.
    reached: HashSet<String>,
    /// For each operation (`METHOD /path`, `WEBHOOK name`): the components it references
    /// directly, per direction.
    roots: Vec<(String, Dir, BTreeSet<String>)>,
}

impl Reach {
    /// Indexes a document.
    pub fn new(root: &Value) -> Reach {
        let mut reverse: HashMap<String, Vec<String>> = HashMap::new();
        let mut forward: HashMap<String, BTreeSet<String>> = HashMap::new();
        if let Some(kinds) = root.get("components").and_then(Value::as_object) {
            for (kind, entries) in kinds {
                for (name, value) in entries.as_object().into_iter().flatten() {
                    let mut out = BTreeSet::new();
                    refs_in(value, &mut out);
                    let key = child(&child("/components", kind), name);
                    for to in &out {
                        reverse.entry(to.clone()).or_default().push(key.clone());
                    }
                    forward.insert(key, out);
                }
            }
        }
        let mut roots = Vec::new();
        for (path, item) in root
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for method in METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                let label = format!("{} {path}", method.to_ascii_uppercase());
                let mut sent = BTreeSet::new();
                for part in [
                    item.get("parameters"),
                    operation.get("parameters"),
                    operation.get("requestBody"),
                ] {
                    part.into_iter().for_each(|v| refs_in(v, &mut sent));
                }
                let mut received = BTreeSet::new();
                operation
                    .get("responses")
                    .into_iter()
                    .for_each(|v| refs_in(v, &mut received));
                roots.push((label.clone(), Dir::Request, sent));
                roots.push((label, Dir::Response, received));
            }
        }
        for key in ["webhooks", "x-webhooks"] {
            for (name, item) in root
                .get(key)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let mut received = BTreeSet::new();
                for method in METHODS {
                    if let Some(body) = item
                        .get(method)
                        .and_then(|operation| operation.get("requestBody"))
                    {
                        refs_in(body, &mut received);
                    }
                }
                roots.push((format!("WEBHOOK {name}"), Dir::Response, received));
            }
        }
        // One walk from every operation at once: most schemas are reached by none, or by one.
        let mut reached: HashSet<String> = HashSet::new();
        let mut todo: Vec<&String> = roots.iter().flat_map(|(_, _, refs)| refs).collect();
        while let Some(node) = todo.pop() {
            if reached.insert(node.clone()) {
                todo.extend(forward.get(node).into_iter().flatten());
            }
        }
        Reach {
            reverse,
            reached,
            roots,
        }
    }

    /// The operations reaching the named schema at `pointer` (`/components/schemas/X`), per
    /// direction, in document order.
    pub fn operations(&self, pointer: &str) -> Vec<(Dir, Vec<String>)> {
        if !self.reached.contains(pointer) {
            return Vec::new();
        }
        // Everything that reaches `pointer`: walk the references backwards.
        let mut reaching: BTreeSet<&str> = BTreeSet::from([pointer]);
        let mut todo = vec![pointer];
        while let Some(node) = todo.pop() {
            for from in self.reverse.get(node).into_iter().flatten() {
                if reaching.insert(from) {
                    todo.push(from);
                }
            }
        }
        let mut out: Vec<(Dir, Vec<String>)> = Vec::new();
        for dir in [Dir::Request, Dir::Response] {
            let labels: Vec<String> = self
                .roots
                .iter()
                .filter(|(_, d, refs)| {
                    *d == dir && refs.iter().any(|r| reaching.contains(r.as_str()))
                })
                .map(|(label, _, _)| label.clone())
                .collect();
            if !labels.is_empty() {
                out.push((dir, labels));
            }
        }
        out
    }
}

/// `/components/schemas/X` → `X`.
pub(super) fn schema_name(pointer: &str) -> String {
    tokens(pointer)
        .nth(2)
        .map(std::borrow::Cow::into_owned)
        .unwrap_or_default()
}
