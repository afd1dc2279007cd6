//! Schemas the generator would merge without end. progenitor expands `allOf` by merging its
//! members, following `$ref`s into them (and into the `oneOf`/`anyOf` members it distributes
//! the merge over): a schema that reaches itself that way (`A = allOf[B, {…}]`, `B = allOf[A]`,
//! also written as 3.1 `$ref` siblings) recurses until the stack overflows, which aborts the
//! tool and crashes rustc inside `client!`; a long chain of such merges recurses as deep (and
//! takes time that grows faster than the chain). Both are refused before the generator runs,
//! naming the schemas. Cycles through properties, items or `oneOf` alone stay: the generator
//! boxes them.

use std::collections::{HashMap, VecDeque};

use serde_json::Value;

use crate::util::json_pointer::escape;

/// The longest chain of `allOf` references one merge may follow (the generator recursed out
/// of an 8 MiB stack at 1,000 in a debug build, and took a minute at 300; the longest in the
/// corpus is 7).
pub const MAX_MERGE_CHAIN: usize = 64;

/// How deep inside one schema references are looked for (the document nests at most 256).
const MAX_NESTING: usize = 256;

/// Component schemas and the references between them that a merge follows: `(target, merged)`,
/// where `merged` says the reference sits inside an `allOf`.
struct Graph<'d> {
    names: Vec<&'d str>,
    edges: Vec<Vec<(usize, bool)>>,
}

impl<'d> Graph<'d> {
    fn of(document: &'d Value) -> Self {
        let schemas = document
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        let names: Vec<&str> = schemas
            .into_iter()
            .flat_map(|m| m.keys().map(String::as_str))
            .collect();
        let index: HashMap<String, usize> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (escape(n).into_owned(), i))
            .collect();
        let edges = schemas
            .into_iter()
            .flat_map(|m| m.values())
            .map(|schema| {
                let mut out = Vec::new();
                references(schema, false, 0, &index, &mut out);
                out
            })
            .collect();
        Graph { names, edges }
    }

    /// `from` → … → `to` inside the component `scc`, shortest first.
    fn path(&self, from: usize, to: usize, scc: &[usize]) -> Vec<usize> {
        let mut previous: HashMap<usize, usize> = HashMap::new();
        let mut queue = VecDeque::from([from]);
        while let Some(node) = queue.pop_front() {
            if node == to {
                break;
            }
            for &(next, _) in &self.edges[node] {
                if scc[next] == scc[from] && next != from && !previous.contains_key(&next) {
                    previous.insert(next, node);
                    queue.push_back(next);
                }
            }
        }
        let mut path = vec![to];
        while let Some(&node) = previous.get(path.last().unwrap_or(&from)) {
            path.push(node);
        }
        if path.last() != Some(&from) {
            path.push(from);
        }
        path.reverse();
        path
    }

    fn show(&self, path: &[usize]) -> String {
        let names: Vec<String> = path
            .iter()
            .map(|&i| format!("`{}`", self.names[i]))
            .collect();
        names.join(" → ")
    }
}

/// The component references a merge of `schema` follows, without passing through properties,
/// items or other places the generator gives their own type.
fn references(
    schema: &Value,
    merged: bool,
    depth: usize,
    index: &HashMap<String, usize>,
    out: &mut Vec<(usize, bool)>,
) {
    if depth > MAX_NESTING {
        return;
    }
    if let Some(target) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .and_then(|name| index.get(name))
    {
        out.push((*target, merged));
    }
    for (key, merges) in [("allOf", true), ("oneOf", merged), ("anyOf", merged)] {
        for member in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            references(member, merges, depth + 1, index, out);
        }
    }
    if let Some(not) = schema.get("not") {
        references(not, merged, depth + 1, index, out);
    }
}

/// Strongly connected components (iterative Tarjan): the component of each node, numbered
/// so that every edge leads to a component numbered lower or the same.
fn components(edges: &[Vec<(usize, bool)>]) -> Vec<usize> {
    const NONE: usize = usize::MAX;
    let n = edges.len();
    let (mut order, mut low, mut scc) = (vec![NONE; n], vec![0; n], vec![NONE; n]);
    let (mut counter, mut found) = (0, 0);
    let mut stack: Vec<usize> = Vec::new();
    for start in 0..n {
        if order[start] != NONE {
            continue;
        }
        let mut calls: Vec<(usize, usize)> = vec![(start, 0)];
        order[start] = counter;
        low[start] = counter;
        counter += 1;
        stack.push(start);
        while let Some(&mut (node, ref mut next)) = calls.last_mut() {
            if let Some(&(target, _)) = edges[node].get(*next) {
                *next += 1;
                if order[target] == NONE {
                    order[target] = counter;
                    low[target] = counter;
                    counter += 1;
                    stack.push(target);
                    calls.push((target, 0));
                } else if scc[target] == NONE {
                    low[node] = low[node].min(order[target]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    scc[member] = found;
                    if member == node {
                        break;
                    }
                }
                found += 1;
            }
        }
    }
    scc
}

/// Refuses a document whose schemas the generator would merge without end or too deeply.
pub(super) fn check(document: &Value) -> Result<(), String> {
    let graph = Graph::of(document);
    let scc = components(&graph.edges);
    for (from, edges) in graph.edges.iter().enumerate() {
        if let Some(&(to, _)) = edges
            .iter()
            .find(|(to, merged)| *merged && scc[*to] == scc[from])
        {
            let mut cycle = if to == from {
                vec![from]
            } else {
                graph.path(to, from, &scc)
            };
            cycle.insert(0, from);
            return Err(format!(
                "schema `{}` includes itself through `allOf` ({}), which the generator would expand without end; break the cycle, for example by referring to the schema from a property",
                graph.names[from],
                graph.show(&cycle)
            ));
        }
    }
    longest_chain(&graph, &scc)
}

/// Refuses a chain of more than [`MAX_MERGE_CHAIN`] merges: the longest path counting the
/// references inside `allOf`s, over the strongly connected components, targets first.
fn longest_chain(graph: &Graph<'_>, scc: &[usize]) -> Result<(), String> {
    let mut by_component: Vec<usize> = (0..scc.len()).collect();
    by_component.sort_by_key(|&node| scc[node]);
    let mut chain: Vec<(usize, Option<usize>)> = vec![(0, None); scc.len()];
    for &node in &by_component {
        for &(target, merged) in &graph.edges[node] {
            if scc[target] != scc[node] {
                let length = chain[target].0 + usize::from(merged);
                if length > chain[node].0 {
                    chain[node] = (length, Some(target));
                }
            }
        }
    }
    // The longest chain, the first in document order among equals.
    let Some(start) = (0..chain.len()).rev().max_by_key(|&node| chain[node].0) else {
        return Ok(());
    };
    if chain[start].0 <= MAX_MERGE_CHAIN {
        return Ok(());
    }
    let mut path = vec![start];
    while let (Some(next), true) = (chain[*path.last().unwrap_or(&start)].1, path.len() < 4) {
        path.push(next);
    }
    Err(format!(
        "schema `{}` merges through a chain of {} `allOf` references ({} → …), more than the {MAX_MERGE_CHAIN} the generator can expand; flatten the chain",
        graph.names[start],
        chain[start].0,
        graph.show(&path)
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn with_schemas(schemas: Value) -> Value {
        json!({"components": {"schemas": schemas}})
    }

    fn to(name: &str) -> Value {
        json!({"$ref": format!("#/components/schemas/{name}")})
    }

    #[test]
    fn a_schema_merged_into_itself_is_refused_naming_the_cycle() {
        let document = with_schemas(json!({
            "Z": {"type": "string"},
            "A": {"allOf": [to("B"), {"type": "object"}]},
            "B": {"allOf": [to("A")]},
        }));
        assert_eq!(
            check(&document).unwrap_err(),
            "schema `A` includes itself through `allOf` (`A` → `B` → `A`), which the generator would expand without end; break the cycle, for example by referring to the schema from a property"
        );
        let itself = with_schemas(json!({"A": {"allOf": [to("A"), {"type": "object"}]}}));
        assert!(check(&itself).unwrap_err().contains("(`A` → `A`)"));
        // Through a `oneOf` inside the `allOf`, and a plain reference back.
        let nested = with_schemas(json!({
            "A": {"allOf": [{"type": "object"}, {"oneOf": [to("B"), {"type": "object"}]}]},
            "B": to("C"),
            "C": {"anyOf": [to("A")]},
        }));
        assert!(
            check(&nested)
                .unwrap_err()
                .contains("(`A` → `B` → `C` → `A`)"),
            "{:?}",
            check(&nested)
        );
    }

    #[test]
    fn recursion_the_generator_boxes_is_kept() {
        let document = with_schemas(json!({
            "Node": {"allOf": [to("Base"), {"properties": {"children": {"type": "array", "items": to("Node")}}}]},
            "Base": {"properties": {"parent": to("Node")}},
            "Either": {"oneOf": [to("Or"), {"type": "string"}]},
            "Or": {"oneOf": [to("Either"), {"type": "integer"}]},
            "Alias": to("Alias2"),
            "Alias2": to("Alias"),
        }));
        assert_eq!(check(&document), Ok(()));
    }

    #[test]
    fn long_chains_of_merges_are_refused() {
        let chain = |n: usize| {
            let schemas: serde_json::Map<String, Value> = (0..n)
                .map(|i| {
                    let members = if i + 1 < n {
                        json!([to(&format!("S{}", i + 1)), {"type": "object"}])
                    } else {
                        json!([{"type": "object"}])
                    };
                    (format!("S{i}"), json!({"allOf": members}))
                })
                .collect();
            with_schemas(Value::Object(schemas))
        };
        assert_eq!(check(&chain(MAX_MERGE_CHAIN + 1)), Ok(()));
        let err = check(&chain(MAX_MERGE_CHAIN + 2)).unwrap_err();
        assert!(
            err.starts_with("schema `S0` merges through a chain of 65 `allOf` references (`S0` → `S1` → `S2` → `S3` → …), more than the 64"),
            "{err}"
        );
        // 100,000 schemas in a chain: the walk itself does not recurse.
        let err = check(&chain(100_000)).unwrap_err();
        assert!(
            err.starts_with("schema `S0` merges through a chain of 99999 `allOf` references"),
            "{err}"
        );
    }
}
