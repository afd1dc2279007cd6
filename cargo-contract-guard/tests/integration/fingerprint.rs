//! `fingerprint`: one line, equal across renderings, different after any value change.

use crate::support::{Project, corpus, fixture, run_in};

fn fingerprint_of(path: &std::path::Path) -> String {
    let run = run_in(
        path.parent().unwrap(),
        &["fingerprint", path.to_str().unwrap()],
    )
    .expect(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    run.stdout
}

#[test]
fn prints_exactly_one_fingerprint_line() {
    // The shape of the line is the point here (any spec's fingerprint has it), so it is checked
    // part by part rather than as one snapshot of one value.
    let out = fingerprint_of(&fixture("mini.yaml"));
    let line = out.strip_suffix('\n').expect("a trailing newline");
    assert!(!line.contains('\n'));
    let hex = line.strip_prefix("sha256:").expect("sha256: prefix");
    assert_eq!(hex.len(), 64);
    assert!(
        hex.chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    );
}

#[test]
fn json_and_yaml_renderings_agree_and_values_matter() {
    let project = Project::empty();
    project.write(
        "a.yaml",
        "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\nx-flags: [yes, on, 0755, 1_000]\npaths: {}\n",
    );
    project.write(
        "b.json",
        r#"{"paths": {}, "x-flags": ["yes", "on", "0755", "1_000"], "info": {"version": "1", "title": "T"}, "openapi": "3.0.3"}"#,
    );
    // Extension lies: JSON content in a .yaml file is still read as JSON.
    project.write(
        "c.yaml",
        r#"{"openapi":"3.0.3","info":{"title":"T","version":"1"},"x-flags":["yes","on","0755","1_000"],"paths":{}}"#,
    );
    project.write(
        "d.json",
        "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\nx-flags: [yes, on, 0755, 1_000]\npaths: {}\n",
    );
    let a = fingerprint_of(&project.path("a.yaml"));
    assert_eq!(a, fingerprint_of(&project.path("b.json")));
    assert_eq!(a, fingerprint_of(&project.path("c.yaml")));
    assert_eq!(a, fingerprint_of(&project.path("d.json")));
    project.write(
        "e.json",
        r#"{"paths": {}, "x-flags": ["yes", "on", "0755", "1_000"], "info": {"version": "2", "title": "T"}, "openapi": "3.0.3"}"#,
    );
    assert_ne!(a, fingerprint_of(&project.path("e.json")));
}

#[test]
#[cfg_attr(no_corpus, ignore = "needs the corpus at ../shared/corpus (absent)")]
fn corpus_yaml_and_json_pairs_have_equal_fingerprints() {
    let Some(corpus) = corpus() else { return };
    let mut pairs = 0;
    for entry in std::fs::read_dir(corpus.join("yaml")).unwrap() {
        let yaml = entry.unwrap().path();
        let stem = yaml.file_stem().unwrap().to_str().unwrap().to_string();
        let json = corpus.join("apis-guru").join(format!("{stem}.json"));
        assert_eq!(fingerprint_of(&yaml), fingerprint_of(&json), "{stem}");
        pairs += 1;
    }
    assert!(pairs > 0, "no YAML/JSON pairs in the corpus");
}

/// Every single-value change of a real spec changes its fingerprint: a leaf string, number
/// and boolean, an array element and a key, each changed on its own.
#[test]
#[cfg_attr(no_corpus, ignore = "needs the corpus at ../shared/corpus (absent)")]
fn corpus_single_value_changes_change_the_fingerprint() {
    let Some(corpus) = corpus() else { return };
    let original = corpus.join("apis-guru/1forge.com.json");
    let base = fingerprint_of(&original);
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&original).unwrap()).unwrap();
    let mut leaves = Vec::new();
    collect_leaves(&doc, String::new(), &mut leaves);
    assert!(leaves.len() > 20);
    let project = Project::empty();
    let step = (leaves.len() / 25).max(1);
    for pointer in leaves.iter().step_by(step) {
        let mut changed = doc.clone();
        let slot = changed.pointer_mut(pointer).unwrap();
        *slot = match slot {
            serde_json::Value::String(s) => serde_json::Value::String(format!("{s}x")),
            serde_json::Value::Number(n) => serde_json::json!(n.as_f64().unwrap() + 1.0),
            serde_json::Value::Bool(b) => serde_json::Value::Bool(!*b),
            _ => serde_json::Value::String("changed".into()),
        };
        project.write(
            "changed.json",
            &serde_json::to_string_pretty(&changed).unwrap(),
        );
        assert_ne!(
            fingerprint_of(&project.path("changed.json")),
            base,
            "changing {pointer}"
        );
    }
}

fn collect_leaves(value: &serde_json::Value, pointer: String, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                collect_leaves(child, format!("{pointer}/{escaped}"), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_leaves(child, format!("{pointer}/{i}"), out);
            }
        }
        _ => out.push(pointer),
    }
}

#[test]
fn a_manifest_given_for_a_spec_gets_a_hint() {
    let project = Project::empty();
    project.write("Cargo.toml", "[package]\nname = \"x\"\n");
    let run = project.run(&["fingerprint", "Cargo.toml"]).expect(2);
    insta::assert_snapshot!("manifest_given_for_a_spec", run.transcript(&project));
}
