//! Scores one labelled corpus file against a drill folder on disk, with every disagreement:
//! `cargo run -p revdrill-grader --example corpus -- catalog/DRILL_ID FILE.toml`. For pack authors
//! tuning a drill's concepts: the drill is read from the folder each run, so edits to its
//! `drill.toml` need no rebuild. (`revdrill packs check` prints the same figures, without the
//! disagreements.)

use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, file] = args.as_slice() else {
        eprintln!("usage: corpus DRILL_DIR CORPUS_FILE");
        std::process::exit(2);
    };
    let drill = revdrill_pack::load_dir(Path::new(dir)).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| {
        eprintln!("{file}: {e}");
        std::process::exit(2)
    });
    let grader = revdrill_grader::Grader::new(&drill);
    let result = revdrill_grader::corpus::parse(file, &text).and_then(|c| revdrill_grader::corpus::evaluate(file, &c, &grader));
    match result {
        Ok(ev) => {
            println!("{} {}", drill.id, revdrill_grader::corpus::figures(&ev.total));
            for d in &ev.disagreements {
                println!("{d}");
            }
        }
        Err(e) => {
            eprintln!("{}: {}", e.file, e.message);
            std::process::exit(2);
        }
    }
}
