//! Parse-only versus full analysis over a real Go tree, in one run.
//!
//! `REVDRILL_BENCH_DIR=/path/to/repo cargo bench -p revdrill-analyzer-go`. Both measurements
//! read the same files and use all cores the same way, so their ratio is the cost of the rules.
//! Without the variable the bench does nothing.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{Criterion, criterion_group, criterion_main};
use revdrill_analyzer_go::{Options, analyze_paths, go_files};

/// Reads and parses every file on all cores, as `analyze_paths` does, and returns the number
/// of nodes in the trees (so the work cannot be optimised away).
fn parse_only(files: &[PathBuf]) -> usize {
    let next = AtomicUsize::new(0);
    let total = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut parser = tree_sitter::Parser::new();
                parser.set_language(&tree_sitter_go::LANGUAGE.into()).unwrap();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    let Ok(bytes) = std::fs::read(path) else { continue };
                    let src = String::from_utf8_lossy(&bytes);
                    if let Some(tree) = parser.parse(src.as_ref(), None) {
                        total.fetch_add(tree.root_node().descendant_count(), Ordering::Relaxed);
                    }
                }
            });
        }
    });
    total.into_inner()
}

fn bench(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("REVDRILL_BENCH_DIR") else {
        eprintln!("REVDRILL_BENCH_DIR is not set: skipping the analyzer bench");
        return;
    };
    let paths = vec![PathBuf::from(dir)];
    let options = Options::default();
    let (files, _) = go_files(&paths, &options);
    let report = analyze_paths(&paths, &options);
    eprintln!(
        "{} files, {} lines, {} findings ({:.2} per 1,000 lines)",
        report.files,
        report.lines,
        report.diagnostics.len(),
        report.diagnostics.len() as f64 * 1000.0 / report.lines.max(1) as f64
    );
    let mut group = c.benchmark_group("go-tree");
    group.sample_size(10);
    group.bench_function("parse-only", |b| b.iter(|| parse_only(&files)));
    group.bench_function("full-analysis", |b| b.iter(|| analyze_paths(&paths, &options).diagnostics.len()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
