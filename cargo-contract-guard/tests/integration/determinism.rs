//! Determinism: the same specs give byte-identical generated files and lock in two checkout
//! paths, with different `HOME`, locale, time zone and `SOURCE_DATE_EPOCH`.

use crate::support::{Project, corpus, fixture, repo_root, run_with_env};

fn build(project: &Project, specs: &[(&str, std::path::PathBuf)], env: &[(&str, &str)]) {
    for (name, source) in specs {
        let ext = source.extension().unwrap().to_str().unwrap();
        let rel = format!("specs/{name}.{ext}");
        project.write_bytes(&rel, &std::fs::read(source).unwrap());
        let out = format!("src/gen/{name}.rs");
        run_with_env(
            project.dir.path(),
            &["add", name, &rel, "--output", &out, "--no-deps"],
            env,
        )
        .expect(0);
    }
    run_with_env(project.dir.path(), &["generate"], env).expect(0);
}

#[test]
fn outputs_do_not_depend_on_path_home_locale_or_time() {
    let mut specs = vec![
        ("mini", fixture("mini.yaml")),
        (
            "petstore",
            repo_root().join("examples/petstore/specs/petstore.yaml"),
        ),
    ];
    if let Some(corpus) = corpus() {
        specs.push((
            "retail",
            corpus.join("apis-guru/googleapis.com__retail.json"),
        ));
    }
    let home_a = tempfile::tempdir().unwrap();
    let home_b = tempfile::tempdir().unwrap();
    let a = Project::single("app");
    // The second copy lives at a deeper, odd path.
    let outer = Project::empty();
    let b_dir = outer.path("checkout with space/ünïcode");
    std::fs::create_dir_all(&b_dir).unwrap();
    let b = Project {
        dir: tempfile::TempDir::new_in(&b_dir).unwrap(),
    };
    b.write("Cargo.toml", &a.read("Cargo.toml"));
    b.write("src/lib.rs", "");
    build(
        &a,
        &specs,
        &[
            ("HOME", home_a.path().to_str().unwrap()),
            ("LC_ALL", "C"),
            ("LANG", "C"),
            ("TZ", "UTC"),
            ("SOURCE_DATE_EPOCH", "0"),
        ],
    );
    build(
        &b,
        &specs,
        &[
            ("HOME", home_b.path().to_str().unwrap()),
            ("LC_ALL", "de_DE.UTF-8"),
            ("LANG", "tr_TR.UTF-8"),
            ("TZ", "Pacific/Kiritimati"),
            ("SOURCE_DATE_EPOCH", "1700000000"),
        ],
    );
    for (name, _) in &specs {
        let rel = format!("src/gen/{name}.rs");
        assert_eq!(
            a.read(&rel),
            b.read(&rel),
            "{rel} differs between checkouts"
        );
    }
    assert_eq!(a.read("contract-guard.lock"), b.read("contract-guard.lock"));
    assert_eq!(a.read("Cargo.toml"), b.read("Cargo.toml"));
}
