//! Prints the findings of a unified diff (or of paths): `diffcheck --diff FILE` / `diffcheck PATH...`.
use revdrill_analyzer_go::{analyze_diff, analyze_paths, render, Lang, Options};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = Options::default();
    let report = if args.first().map(String::as_str) == Some("--diff") {
        analyze_diff(&std::fs::read_to_string(&args[1]).unwrap(), None, &options)
    } else {
        analyze_paths(&args.iter().map(Into::into).collect::<Vec<_>>(), &options)
    };
    print!("{}", render::text(&report.diagnostics, Lang::En));
    eprintln!("files {} lines {}", report.files, report.lines);
}
