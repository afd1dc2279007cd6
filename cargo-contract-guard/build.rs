//! Tells the end-to-end tests (`tests/integration/`) whether the shared corpus
//! (`../shared/corpus`, beside the repository) is there: without it, the tests that read it are
//! compiled as `#[ignore]`d with the reason, so a skip shows in `cargo test`'s output and its
//! count instead of passing silently. The binary itself does not use the cfg.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(no_corpus)");
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    // Rerun when the corpus appears or goes (a missing path is always stale to cargo).
    println!("cargo::rerun-if-changed={}", corpus.display());
    if !corpus.is_dir() {
        println!("cargo::rustc-cfg=no_corpus");
        println!(
            "cargo::warning=the corpus `{}` is absent: the tests that read it are ignored",
            corpus.display()
        );
    }
}
