//! Time each rule alone on one file: `rule_timing FILE`. For finding the slow rule on
//! pathological input; the bench is the reference for speed.
use std::time::Instant;

use revdrill_analyzer_go::{Options, analyze_source, rules};

fn main() {
    let path = std::env::args().nth(1).expect("FILE");
    let src = std::fs::read(&path).unwrap();
    for rule in rules() {
        let options = Options { select: vec![rule.code.to_string()], ..Options::default() };
        let t = Instant::now();
        let n = analyze_source(&path, &src, &options).len();
        eprintln!("{} {:>8.2}s {n}", rule.code, t.elapsed().as_secs_f64());
    }
}
