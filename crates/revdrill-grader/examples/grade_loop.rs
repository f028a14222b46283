//! Grades every catalog drill's model answer N times: a load-independent cost measure under
//! callgrind, for when the machine is too busy for criterion's wall-clock numbers:
//!
//! ```sh
//! cargo build --release -p revdrill-grader --example grade_loop
//! valgrind --tool=callgrind target/release/examples/grade_loop 0    # setup only
//! valgrind --tool=callgrind target/release/examples/grade_loop 20   # setup + 20 grades a drill
//! ```
//! (instructions(20) - instructions(0)) / (20 × drills) is the cost of one grade.
fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(100);
    let drills = revdrill_catalog::embedded().unwrap();
    let mut total = 0u64;
    for d in &drills {
        let (name, text) = d.examples.iter().find(|(n, _)| n.ends_with("model-en.json")).unwrap();
        let a = revdrill_pack::parse_answers(name, text, Some(d)).unwrap();
        let g = revdrill_grader::Grader::new(d);
        for _ in 0..n {
            total += g.grade(&a).score as u64;
        }
    }
    println!("{total}");
}
