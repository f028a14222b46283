//! The analyzer agrees with the answer keys: for every Go drill in `catalog/`, each finding that
//! names rule codes (`rules = [...]`) gets a finding of each of those rules on its anchor lines.
//! The seed drill is also checked explicitly, since it is what the rules were built against.

use std::path::{Path, PathBuf};

use revdrill_analyzer_go::{Diagnostic, Options, analyze_diff};

fn catalog() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog")
}

/// Anchor lines as written in `drill.toml`: numbers and `"a-b"` ranges.
fn anchor_lines(value: &toml::Value) -> Vec<u32> {
    let mut out = Vec::new();
    for v in value.as_array().into_iter().flatten() {
        if let Some(n) = v.as_integer() {
            out.push(n as u32);
        } else if let Some((a, b)) = v.as_str().and_then(|s| s.split_once('-'))
            && let (Ok(a), Ok(b)) = (a.trim().parse::<u32>(), b.trim().parse::<u32>())
        {
            out.extend(a..=b);
        }
    }
    out
}

/// A finding of `code` whose line range touches the anchor lines.
fn detected(diags: &[Diagnostic], code: &str, lines: &[u32]) -> bool {
    diags.iter().any(|d| d.code == code && lines.iter().any(|l| (d.line..=d.end_line).contains(l)))
}

#[test]
fn every_go_drill_agrees_with_its_rules() {
    let mut checked = 0;
    for entry in std::fs::read_dir(catalog()).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(dir.join("drill.toml")) else { continue };
        let drill: toml::Value = toml::from_str(&text).unwrap();
        if drill.get("language").and_then(|l| l.as_str()) != Some("go") {
            continue;
        }
        let diff_name = drill.get("diff").and_then(|d| d.as_str()).unwrap_or("change.diff");
        let diff = std::fs::read_to_string(dir.join(diff_name)).unwrap();
        let report = analyze_diff(&diff, None, &Options::default());
        for finding in drill.get("findings").and_then(|f| f.as_array()).into_iter().flatten() {
            let lines = anchor_lines(finding.get("lines").unwrap_or(&toml::Value::Array(vec![])));
            for code in finding.get("rules").and_then(|r| r.as_array()).into_iter().flatten() {
                let code = code.as_str().unwrap();
                let id = finding.get("id").and_then(|i| i.as_str()).unwrap_or("?");
                assert!(
                    detected(&report.diagnostics, code, &lines),
                    "{}: finding `{id}` names {code}, not reported on lines {lines:?}; got {:#?}",
                    dir.display(),
                    report.diagnostics.iter().map(|d| (d.code, d.line, d.end_line)).collect::<Vec<_>>()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "no Go drill names analyzer rules: the agreement check ran on nothing");
}

#[test]
fn seed_drill_is_detected() {
    let diff = std::fs::read_to_string(catalog().join("containerd-shimv1-leak/change.diff")).unwrap();
    let report = analyze_diff(&diff, None, &Options::default());
    let d = &report.diagnostics;
    // goroutine-lifetime 256-257, cancelled-context 257-259, check-then-act 258-259,
    // swallowed-errors 258-259, missing-tests 255.
    assert!(detected(d, "GO002", &[256, 257]), "{d:#?}");
    assert!(detected(d, "GO003", &[257, 258, 259]), "{d:#?}");
    assert!(detected(d, "GO004", &[258, 259]), "{d:#?}");
    assert!(detected(d, "GO005", &[258, 259]), "{d:#?}");
    // `s.tasks.Delete` drops an error, but the diff does not show the type of `s.tasks`: a
    // name is tied only to a declaration the analyzer can see, so GO006 stays quiet here.
    assert!(!detected(d, "GO006", &[258, 259]), "{d:#?}");
    assert!(detected(d, "GO018", &[255]), "{d:#?}");
    // Nothing on the unchanged context line 266 (`s.mu.Lock()`, a decoy).
    assert!(d.iter().all(|x| x.line != 266), "{d:#?}");
}
