//! Untrusted specs cannot make the tool expand without bound (issue 15): inlining other files
//! has a budget, the generator is never handed a schema that merges into itself, and the
//! diff stays near-linear on big inputs.

use crate::support::{Project, fixture};

/// A 2.5 KB referenced file whose references copy each other a million times is refused by
/// `diff`, naming the reference and the file it reaches, instead of running for minutes.
#[test]
fn diff_refuses_a_referenced_file_that_expands_exponentially() {
    let project = Project::empty();
    let spec = std::fs::read(fixture("hostile/ref-exponential.yaml")).unwrap();
    let lib = std::fs::read(fixture("hostile/ref-exponential/lib.json")).unwrap();
    project.write_bytes("old.yaml", &spec);
    project.write_bytes("new.yaml", &spec);
    project.write_bytes("ref-exponential/lib.json", &lib);
    let run = project.run(&["diff", "old.yaml", "new.yaml"]).expect(2);
    insta::assert_snapshot!("diff_refuses_exponential_ref", run.transcript(&project));
}
