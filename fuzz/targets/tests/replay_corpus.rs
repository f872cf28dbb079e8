//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`, minimized by `cargo fuzz cmin`)
//! through every target on the stable toolchain: an input that once found a bug, or reached new
//! code, is run again by every `cargo test --workspace`. A missing or empty corpus directory is a
//! failure, so a target cannot silently lose its corpus.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use asxh_fuzz_targets::TARGETS;

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../corpus")
        .join(target)
}

fn corpus_files(target: &str) -> Vec<PathBuf> {
    let dir = corpus_dir(target);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the corpus of fuzz target {target} is missing ({}: {e}); run scripts/fuzz {target}",
            dir.display()
        )
    });
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("corpus directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "the corpus of fuzz target {target} ({}) is empty; run scripts/fuzz {target}",
        dir.display()
    );
    files
}

#[test]
fn every_target_has_a_corpus_and_every_corpus_belongs_to_a_target() {
    let known: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
    for name in &known {
        corpus_files(name);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
    for entry in std::fs::read_dir(&root).expect("fuzz/corpus") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy();
        assert!(
            known.contains(&name.as_ref()),
            "fuzz/corpus/{name} is not the corpus of any target in asxh_fuzz_targets::TARGETS"
        );
    }
}

#[test]
fn every_corpus_input_runs_through_its_target_without_panicking() {
    let mut failures = Vec::new();
    let mut total = 0;
    for (name, target) in TARGETS {
        for file in corpus_files(name) {
            let data = std::fs::read(&file).expect("corpus file");
            total += 1;
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| target(&data))) {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                failures.push(format!("{name}: {}: {message}", file.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} corpus inputs panicked:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
