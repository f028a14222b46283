//! Probe cases: corpus cases (`catalog/corpus/*.toml`) that also pin which traps and decoys fire,
//! with `traps = [...]` and/or `decoys = [...]`. Every grading fix to a drill adds two probes: the
//! correct answer that used to be punished, and the misconception that must still be caught, so
//! neither can come back. A probe must match exactly: the traps and decoys listed fire and no
//! others, and every finding is found or not found as labelled. `pending-*.toml` holds probes for
//! grader changes that have not landed yet; `cargo test -p revdrill-grader --test probes --
//! --ignored` runs them. See `catalog/corpus/README.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use revdrill_grader::{Grader, Verdict};
use revdrill_pack::{AnswerSet, Drill, LineComment};
use serde::Deserialize;

#[derive(Deserialize)]
struct ProbeFile {
    /// The drill of every case, unless a case names its own (pending files mix drills).
    drill: Option<String>,
    #[serde(rename = "case", default)]
    cases: Vec<Probe>,
}

#[derive(Deserialize)]
struct Probe {
    drill: Option<String>,
    answer: String,
    item: Option<String>,
    line: Option<u32>,
    #[serde(default)]
    expect: BTreeMap<String, String>,
    traps: Option<Vec<String>>,
    decoys: Option<Vec<String>>,
}

fn corpus_files(pending: bool) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && !p.ends_with("series.toml"))
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("pending-") == pending))
        .collect();
    files.sort();
    files
}

fn answers_for(d: &Drill, p: &Probe) -> AnswerSet {
    let mut a = AnswerSet { drill: d.id.clone(), ..Default::default() };
    match p.line {
        Some(line) => a.comments.push(LineComment { line, file: None, severity: None, body: p.answer.clone() }),
        None => {
            let item = p.item.clone().unwrap_or_else(|| d.checklist[0].id.clone());
            a.answers.insert(item, p.answer.clone());
        }
    }
    a
}

/// Grades every probe in `files`; returns one line per probe that does not match, and the count.
fn run(files: &[PathBuf]) -> (Vec<String>, usize) {
    let drills = revdrill_catalog::embedded().unwrap();
    let mut failures = Vec::new();
    let mut probes = 0;
    for path in files {
        let text = std::fs::read_to_string(path).unwrap();
        let file: ProbeFile = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for p in file.cases.iter().filter(|p| p.traps.is_some() || p.decoys.is_some()) {
            let id = p.drill.as_ref().or(file.drill.as_ref()).unwrap_or_else(|| panic!("{}: no drill", path.display()));
            let d = drills.iter().find(|d| &d.id == id).unwrap_or_else(|| panic!("{}: no drill {id}", path.display()));
            probes += 1;
            let report = Grader::new(d).grade(&answers_for(d, p));
            let mut wrong = Vec::new();
            if let Some(want) = &p.traps {
                let got: Vec<&str> = report.traps.iter().map(|t| t.id.as_str()).collect();
                if !same(want, &got) {
                    wrong.push(format!("traps want {want:?} got {got:?}"));
                }
            }
            if let Some(want) = &p.decoys {
                let got: Vec<&str> = report.decoys.iter().map(|t| t.id.as_str()).collect();
                if !same(want, &got) {
                    wrong.push(format!("decoys want {want:?} got {got:?}"));
                }
            }
            for f in &report.findings {
                let want = p.expect.get(&f.id).is_some_and(|l| l == "found");
                if want != (f.verdict != Verdict::Miss) {
                    wrong.push(format!("{} want {} got {:?}", f.id, if want { "found" } else { "not-found" }, f.verdict));
                }
            }
            if !wrong.is_empty() {
                failures.push(format!("{} [{}]: {}\n    {}", path.display(), d.id, wrong.join("; "), p.answer));
            }
        }
    }
    (failures, probes)
}

fn same(want: &[String], got: &[&str]) -> bool {
    let mut w: Vec<&str> = want.iter().map(String::as_str).collect();
    let mut g = got.to_vec();
    w.sort_unstable();
    g.sort_unstable();
    w == g
}

#[test]
fn probes_pin_traps_decoys_and_findings() {
    let (failures, probes) = run(&corpus_files(false));
    println!("{probes} probes");
    assert!(probes > 0, "no probe cases found");
    assert!(failures.is_empty(), "{} of {probes} probes do not match:\n{}", failures.len(), failures.join("\n"));
}

#[test]
#[ignore = "probes for grader changes that have not landed (catalog/corpus/pending-*.toml)"]
fn pending_probes() {
    let (failures, probes) = run(&corpus_files(true));
    assert!(failures.is_empty(), "{} of {probes} pending probes do not match:\n{}", failures.len(), failures.join("\n"));
}
