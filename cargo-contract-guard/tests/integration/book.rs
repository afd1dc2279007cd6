//! The manual (`docs/`, an mdBook) against the code and against itself: its tables of rules and
//! finding kinds list exactly what the code has, `SUMMARY.md` names every page, and every
//! relative link of the README and the book leads to a file and a heading that exist, as GitHub
//! renders them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use contract_core::gates::check::FindingKind;
use contract_core::gates::diff::Rule;

use crate::support::repo_root;

/// The lowering and normalisation tables list exactly the rule ids the core can put in a note.
#[test]
fn rewrite_rule_tables_list_exactly_the_rules_of_the_code() {
    let code = rewrite_rules_in_code(&repo_root().join("contract-core/src"));
    for prefix in ["lower/", "normalize/"] {
        assert!(
            code.iter().any(|id| id.starts_with(prefix)),
            "no `{prefix}` rule found in the core: the scan is broken"
        );
    }
    let page = read("docs/src/lowering.md");
    let book = first_column_ids(&page, "| rule | rewrite |");
    assert_same("docs/src/lowering.md", &book, "the core", &code);
}

/// The rule catalogue has a row for no rule the code lacks, and the validation-keyword family
/// it counts instead of listing is as large as it says.
#[test]
fn diff_rule_catalogue_lists_only_rules_of_the_code() {
    let page = read("docs/src/diff-rules.md");
    let rows = first_column_ids(&page, "| rule | severity | meaning |");
    let code: BTreeSet<String> = Rule::ALL.iter().map(|r| r.id().to_string()).collect();
    let unknown: Vec<_> = rows.difference(&code).collect();
    assert!(
        unknown.is_empty(),
        "docs/src/diff-rules.md has rows for rules the code lacks: {unknown:?}"
    );
    let family = code.difference(&rows).count();
    assert!(
        page.contains(&format!("Validation keywords form {family} more rules")),
        "docs/src/diff-rules.md does not say that validation keywords form {family} more rules"
    );
}

/// The table of finding kinds in the `check` page lists exactly the kinds of the code.
#[test]
fn finding_kind_table_lists_exactly_the_kinds_of_the_code() {
    let page = read("docs/src/check.md");
    let book = first_column_ids(&page, "| kind | meaning | fix |");
    let code: BTreeSet<String> = FindingKind::ALL
        .iter()
        .map(|k| k.id().to_string())
        .collect();
    assert_same("docs/src/check.md", &book, "FindingKind::ALL", &code);
}

/// Every page of `docs/src/` is in `SUMMARY.md` (mdbook builds only the pages it names).
#[test]
fn summary_names_every_page() {
    let summary = read("docs/src/SUMMARY.md");
    let linked: BTreeSet<String> = links(&summary).into_iter().collect();
    let pages: BTreeSet<String> = std::fs::read_dir(repo_root().join("docs/src"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".md") && name != "SUMMARY.md")
        .collect();
    assert_same("docs/src/SUMMARY.md", &linked, "docs/src/", &pages);
}

/// Every relative link in the README and the book names a file that exists and, for a link to
/// a heading, a heading of that file (GitHub's anchors).
#[test]
fn readme_and_book_links_resolve() {
    let root = repo_root();
    let mut files = vec![root.join("README.md")];
    files.extend(markdown_files(&root.join("docs/src")));
    let mut broken = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for link in links(&text) {
            if let Err(why) = check_link(file, &link) {
                let shown = file.strip_prefix(&root).unwrap().display().to_string();
                broken.push(format!("{shown}: `{link}`: {why}"));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// The helpers that read Markdown, on known text (a helper that found nothing would let the
/// tests above pass on nothing).
#[test]
fn link_helpers_read_markdown_as_github_does() {
    let text = "# `verify-binary`: the release gate\n\n## Record format (version 1)\n\n\
                ```sh\n# not a heading\n```\n\n# Record format (version 1)\n";
    let found = anchors(text);
    let expected = [
        "verify-binary-the-release-gate",
        "record-format-version-1",
        "record-format-version-1-1",
    ];
    assert_eq!(found, expected.map(String::from));
    let text = "See [a](a.md#x) and `[b](b.md)`, [c](https://example.org).\n```\n[d](d.md)\n```\n";
    assert_eq!(links(text), ["a.md#x"]);
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(repo_root().join(relative)).unwrap()
}

/// Fails naming what one side has and the other lacks.
fn assert_same(left: &str, l: &BTreeSet<String>, right: &str, r: &BTreeSet<String>) {
    let only_left: Vec<_> = l.difference(r).collect();
    let only_right: Vec<_> = r.difference(l).collect();
    assert!(
        only_left.is_empty() && only_right.is_empty(),
        "only in {left}: {only_left:?}\nonly in {right}: {only_right:?}"
    );
}

/// The rule ids (`"lower/…"`, `"normalize/…"` string literals) in the non-test code of the
/// `.rs` files under `dir`: every note's rule is such a literal (`Note::new` takes a
/// `&'static str`).
fn rewrite_rules_in_code(dir: &Path) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for file in rust_files(dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for prefix in ["\"lower/", "\"normalize/"] {
                for (at, _) in line.match_indices(prefix) {
                    let literal = line[at + 1..].split('"').next().unwrap();
                    ids.insert(literal.to_string());
                }
            }
        }
    }
    ids
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    files_under(dir, "rs")
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    files_under(dir, "md")
}

fn files_under(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path, extension));
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The code spans in the first column of the tables whose header row is `header`.
fn first_column_ids(page: &str, header: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut in_table = false;
    for line in page.lines() {
        if line == header {
            in_table = true;
        } else if !line.starts_with('|') {
            in_table = false;
        } else if in_table {
            let first = line[1..].split(" | ").next().unwrap();
            ids.extend(first.split('`').skip(1).step_by(2).map(String::from));
        }
    }
    ids
}

/// The lines of `text` outside fenced code blocks.
fn prose_lines(text: &str) -> Vec<&str> {
    let mut fenced = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            out.push(line);
        }
    }
    out
}

/// The targets of the inline links in `text` that are not web addresses, outside code.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in prose_lines(text) {
        // Code spans are the odd pieces between backticks.
        for prose in line.split('`').step_by(2) {
            for part in prose.split("](").skip(1) {
                let target = part.split(')').next().unwrap();
                if !target.contains("://") && !target.starts_with("mailto:") {
                    out.push(target.to_string());
                }
            }
        }
    }
    out
}

/// GitHub's anchor of each heading of `text`, in order (a repeated one gets `-1`, `-2`, …).
fn anchors(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for line in prose_lines(text) {
        let Some(title) = line.strip_prefix('#') else {
            continue;
        };
        let title = title.trim_start_matches('#');
        if !title.starts_with(' ') {
            continue;
        }
        let slug: String = title
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let repeats = seen.entry(slug.clone()).or_insert(0);
        out.push(match *repeats {
            0 => slug,
            n => format!("{slug}-{n}"),
        });
        *repeats += 1;
    }
    out
}

/// Whether `link`, written in `from`, leads to an existing file and heading.
fn check_link(from: &Path, link: &str) -> Result<(), String> {
    let (path, anchor) = match link.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (link, None),
    };
    let target = if path.is_empty() {
        from.to_path_buf()
    } else {
        from.parent().unwrap().join(path)
    };
    if !target.exists() {
        return Err(format!("`{}` does not exist", target.display()));
    }
    let Some(anchor) = anchor else { return Ok(()) };
    if target.extension().is_none_or(|e| e != "md") {
        return Err("an anchor into a file that is not Markdown".into());
    }
    let text = std::fs::read_to_string(&target).unwrap();
    if anchors(&text).iter().any(|a| a == anchor) {
        Ok(())
    } else {
        Err(format!("no heading with anchor `#{anchor}`"))
    }
}
