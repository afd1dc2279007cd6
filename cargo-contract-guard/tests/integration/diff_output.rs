//! `diff`'s output for reviewers: the Markdown comment fits GitHub's limit on the GitHub pair of
//! the corpus (skipped without it), findings on a single-line JSON spec have their columns in
//! every format, SARIF and GitHub annotations are well formed and escaped, and snapshots of
//! the Markdown, SARIF and GitHub renderings of a small fixture pair
//! (`tests/fixtures/diff-pair/`).

use std::collections::BTreeSet;

use crate::support::{Project, assert_has, corpus, run_in};

/// GitHub's limit on a pull-request comment, in characters.
const GITHUB_COMMENT_LIMIT: usize = 65_536;

/// A project holding the fixture pair `diff-pair/<old>` and `diff-pair/<new>` as `old_as` and
/// `new_as`.
fn pair(old: &str, new: &str, old_as: &str, new_as: &str) -> Project {
    let project = Project::empty();
    project.copy_fixture(&format!("diff-pair/{old}"), old_as);
    project.copy_fixture(&format!("diff-pair/{new}"), new_as);
    project
}

fn sarif_of(stdout: &str) -> serde_json::Value {
    let log: serde_json::Value = serde_json::from_str(stdout).unwrap();
    crate::gate::assert_valid_sarif(&log);
    log
}

#[test]
#[cfg_attr(no_corpus, ignore = "needs the corpus at ../shared/corpus (absent)")]
fn markdown_of_the_github_pair_fits_one_comment() {
    let Some(corpus) = corpus() else { return };
    let dir = corpus.join("github");
    let old = dir.join("api.github.com-v22.0.0.json");
    let new = dir.join("api.github.com-v23.0.2.json");
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let json = run_in(&dir, &["diff", old, new, "--message-format", "json"]).expect(1);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let md = run_in(&dir, &["diff", old, new, "--message-format", "markdown"]).expect(1);
    let md = md.stdout;
    assert!(
        md.chars().count() <= GITHUB_COMMENT_LIMIT,
        "{} characters",
        md.chars().count()
    );
    let summary = &doc["summary"];
    for severity in ["security", "breaking", "warning", "info", "ignored"] {
        let count = summary[severity].as_u64().unwrap();
        assert_has(&md, &format!("| {severity} | {count} |\n"));
    }
    // What is not listed is counted, with the command that lists it.
    let total = doc["changes"].as_array().unwrap().len();
    let details = &md[md.find("\n<details>").unwrap()..];
    let listed = details.lines().filter(|l| l.starts_with("| `")).count();
    assert!(listed < total, "the pair has more changes than fit");
    assert_has(
        &md,
        &format!("**{} of {total} changes are not listed**", total - listed),
    );
    assert_has(
        &md,
        &format!("`cargo contract-guard diff {old} {new} --message-format json`"),
    );
    // Every breaking change is listed: the info changes give way first.
    let breaking = summary["breaking"].as_u64().unwrap();
    assert_has(&md, &format!("<summary>Breaking ({breaking})</summary>"));
}

#[test]
fn findings_on_a_single_line_json_spec_have_their_column() {
    let project = pair("old.min.json", "new.min.json", "old.json", "new.json");
    let text = project.read("new.json");
    assert_eq!(
        text.trim_end().lines().count(),
        1,
        "the fixture is minified"
    );
    // The added enum value is on property `kind`: at its key's opening quote.
    let kind = text.find(r#""kind":{"#).unwrap() + 1;

    let human = project
        .run(&["diff", "old.json", "new.json", "--verbose"])
        .expect(1);
    assert_has(
        &human.stdout,
        &format!("--> new.json:1:{kind}  GET /pets  /components/schemas/Pet/properties/kind"),
    );
    let columns: BTreeSet<&str> = human
        .stdout
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> new.json:1:"))
        .map(|rest| rest.split_whitespace().next().unwrap())
        .collect();
    assert!(columns.len() >= 5, "findings told apart: {columns:?}");

    let json = project
        .run(&["diff", "old.json", "new.json", "--format", "json"])
        .expect(1);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let change = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == "response-enum-value-added")
        .unwrap();
    assert_eq!(
        change["location"],
        serde_json::json!({"file": "new.json", "line": 1, "column": kind})
    );

    let sarif = project
        .run(&["diff", "old.json", "new.json", "--format", "sarif"])
        .expect(1);
    let log = sarif_of(&sarif.stdout);
    assert_eq!(log["runs"][0]["columnKind"], "unicodeCodePoints");
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "response-enum-value-added")
        .unwrap();
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (&region["startLine"], &region["startColumn"]),
        (&1.into(), &kind.into())
    );

    let github = project
        .run(&["diff", "old.json", "new.json", "--format", "github"])
        .expect(1);
    assert_has(
        &github.stdout,
        &format!("::error file=new.json,line=1,col={kind},title=response-enum-value-added::"),
    );
}

/// The YAML pair with a property name holding a line break, compared as files whose names hold
/// `:` and `,`.
fn hostile_pair() -> Project {
    let project = Project::empty();
    let hostile = |name: &str| {
        std::fs::read_to_string(crate::support::fixture(&format!("diff-pair/{name}")))
            .unwrap()
            .replace("'100%, done: yes'", "\"100%, done:\\nyes\"")
    };
    project.write("specs/v1.yaml", &hostile("old.yaml"));
    project.write("specs/v2: new, final.yaml", &hostile("new.yaml"));
    project
}

#[test]
fn sarif_of_a_diff_has_every_required_field_and_stable_rule_ids() {
    let project = hostile_pair();
    let run = project
        .run(&[
            "diff",
            "specs/v1.yaml",
            "specs/v2: new, final.yaml",
            "--format",
            "sarif",
        ])
        .expect(1);
    let log = sarif_of(&run.stdout);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "cargo-contract-guard");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    // The rules are the catalogue, in its order: an id is its index for good.
    let ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let catalogue: Vec<&str> = contract_core::gates::diff::Rule::ALL
        .iter()
        .map(|r| r.id())
        .collect();
    assert_eq!(ids, catalogue);
    let results = run["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        7,
        "every change, info included: {results:#?}"
    );
    for result in results {
        let rule = result["ruleId"].as_str().unwrap();
        assert_eq!(ids[result["ruleIndex"].as_u64().unwrap() as usize], rule);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"]["uri"],
            "specs/v2: new, final.yaml"
        );
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(location["region"]["startColumn"].as_u64().unwrap() >= 1);
    }
    let loosened = results
        .iter()
        .find(|r| r["ruleId"] == "response-maximum-loosened")
        .unwrap();
    assert_has(
        loosened["message"]["text"].as_str().unwrap(),
        "`100%, done:\nyes`",
    );
}

#[test]
fn github_annotations_of_a_diff_escape_what_the_runner_reads() {
    let project = hostile_pair();
    let run = project
        .run(&[
            "diff",
            "specs/v1.yaml",
            "specs/v2: new, final.yaml",
            "--format",
            "github",
        ])
        .expect(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", run.stdout);
    for line in &lines {
        let (command, rest) = line[2..].split_once(' ').unwrap();
        assert!(["error", "warning", "notice"].contains(&command), "{line}");
        let (properties, _message) = rest.split_once("::").unwrap();
        // `:` and `,` of the file name are escaped, so the properties split cleanly.
        let names: Vec<&str> = properties
            .split(',')
            .map(|p| p.split_once('=').unwrap().0)
            .collect();
        assert_eq!(names, ["file", "line", "col", "title"], "{line}");
        assert_has(line, "file=specs/v2%3A new%2C final.yaml,");
    }
    // `%` and the line break in the property name are escaped in the message.
    assert_has(
        &run.stdout,
        "::warning file=specs/v2%3A new%2C final.yaml,line=57,col=9,title=response-maximum-loosened::warning: `maximum` of property `100%25, done:%0Ayes` changed from 10 to 20 (in GET /pets)\n",
    );
}

/// The SARIF log with what changes with every release left out: the tool's version, and the
/// rule catalogue (as its length) and the results' indexes into it.
fn stable_sarif(stdout: &str) -> String {
    let mut log = sarif_of(stdout);
    for result in log["runs"][0]["results"].as_array_mut().unwrap() {
        result["ruleIndex"] = "[index]".into();
    }
    let driver = &mut log["runs"][0]["tool"]["driver"];
    driver["version"] = "[version]".into();
    let rules = driver["rules"].as_array().unwrap().len();
    driver["rules"] = format!("[{rules} rules]").into();
    serde_json::to_string_pretty(&log).unwrap()
}

#[test]
fn snapshots_of_the_review_formats() {
    let project = pair("old.yaml", "new.yaml", "old.yaml", "new.yaml");
    let run = |format: &str| {
        project
            .run(&["diff", "old.yaml", "new.yaml", "--message-format", format])
            .expect(1)
            .stdout
    };
    insta::assert_snapshot!("diff_pair_markdown", run("markdown"));
    insta::assert_snapshot!("diff_pair_github", run("github"));
    insta::assert_snapshot!("diff_pair_sarif", stable_sarif(&run("sarif")));
}
