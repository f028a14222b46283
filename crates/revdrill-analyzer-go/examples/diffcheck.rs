//! Prints the findings of a unified diff (or of paths): `diffcheck --diff FILE` / `diffcheck PATH...`;
//! `FORMAT=sarif|github|json` picks another renderer.
use revdrill_analyzer_go::{Lang, Options, analyze_diff, analyze_paths, render};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = Options::default();
    let report = if args.first().map(String::as_str) == Some("--diff") {
        analyze_diff(&std::fs::read_to_string(&args[1]).unwrap(), None, &options)
    } else {
        analyze_paths(&args.iter().map(Into::into).collect::<Vec<_>>(), &options)
    };
    let out = match std::env::var("FORMAT").as_deref() {
        Ok("sarif") => render::sarif(&report.diagnostics, Lang::En),
        Ok("github") => render::github(&report.diagnostics, Lang::En),
        Ok("json") => render::json(&report.diagnostics),
        _ => render::text(&report.diagnostics, Lang::En),
    };
    print!("{out}");
    eprintln!("files {} lines {}", report.files, report.lines);
}
