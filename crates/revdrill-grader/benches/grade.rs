//! How long grading one full answer set takes, per catalog drill (target: under 1 ms median).
//!
//! Run with `cargo bench -p revdrill-grader`. The grader is built once per drill, as the CLI and
//! the web app do; the measured part is `Grader::grade` on the drill's model answer.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use revdrill_grader::Grader;
use revdrill_pack::{load_pack, parse_answers};

fn bench(c: &mut Criterion) {
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    let (drills, errors) = load_pack(&catalog);
    assert!(errors.0.is_empty(), "{errors}");
    for drill in &drills {
        let Some((name, text)) = drill.examples.iter().find(|(n, _)| n.ends_with("model-en.json")) else { continue };
        let answers = parse_answers(name, text, Some(drill)).expect("model answer parses");
        let grader = Grader::new(drill);
        c.bench_function(&format!("grade/{}", drill.id), |b| b.iter(|| grader.grade(std::hint::black_box(&answers))));
    }
    let drill = &drills[0];
    c.bench_function("grader-build/first-drill", |b| b.iter(|| Grader::new(std::hint::black_box(drill))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
