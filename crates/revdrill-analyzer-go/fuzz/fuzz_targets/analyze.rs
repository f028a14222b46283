//! Fuzzes parsing and every rule: arbitrary bytes as a Go file, and as a unified diff.
#![no_main]

use libfuzzer_sys::fuzz_target;
use revdrill_analyzer_go::{analyze_diff, analyze_source, render, GoVersion, Lang, Options};

fuzz_target!(|data: &[u8]| {
    // Old semantics too, so the version-gated rules run.
    let options = Options { go_version: Some(GoVersion { major: 1, minor: 20 }), ..Options::default() };
    let diags = analyze_source("fuzz.go", data, &options);
    let _ = render::text(&diags, Lang::Zh);
    let _ = render::sarif(&diags, Lang::En);
    if let Ok(text) = std::str::from_utf8(data) {
        let report = analyze_diff(text, None, &options);
        let _ = render::github(&report.diagnostics, Lang::En);
    }
});
