//! Agreement with hand-labelled answers (`tests/corpus/*.toml`): per drill, the share of
//! (answer, finding) pairs where the grader's found / not found matches the label, and the
//! false-credit rate (credit given where the label says not found). Also checks that the comment
//! rubric orders hand-tiered comments. See `tests/corpus/README.md`.

use std::collections::BTreeMap;
use std::path::Path;

use revdrill_grader::{Grader, Verdict};
use revdrill_pack::{AnswerSet, Drill, LineComment};
use serde::Deserialize;

#[derive(Deserialize)]
struct CorpusFile {
    drill: String,
    #[serde(rename = "case", default)]
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Case {
    answer: String,
    item: Option<String>,
    line: Option<u32>,
    lang: String,
    kind: String,
    #[serde(default)]
    expect: BTreeMap<String, String>,
    note: Option<String>,
}

#[derive(Deserialize)]
struct CommentFile {
    #[serde(rename = "comment", default)]
    comments: Vec<TieredComment>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct TieredComment {
    drill: String,
    tier: u8,
    text: String,
    note: Option<String>,
}

fn corpus_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn drills() -> Vec<Drill> {
    revdrill_catalog::embedded().unwrap()
}

fn answers_for(d: &Drill, c: &Case) -> AnswerSet {
    let mut a = AnswerSet { drill: d.id.clone(), ..Default::default() };
    match c.line {
        Some(line) => a.comments.push(LineComment { line, file: None, severity: None, body: c.answer.clone() }),
        None => {
            let item = c.item.clone().unwrap_or_else(|| d.checklist[0].id.clone());
            a.answers.insert(item, c.answer.clone());
        }
    }
    a
}

#[derive(Default, Debug)]
struct Tally {
    pairs: usize,
    agree: usize,
    negatives: usize,
    false_credit: usize,
    cases: usize,
}

#[test]
fn grader_agrees_with_hand_labels() {
    let drills = drills();
    let mut per_drill: BTreeMap<String, Tally> = BTreeMap::new();
    let mut disagreements = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir()).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    // `pending-*.toml` holds probes for grader changes not yet landed (see tests/probes.rs).
    let pending = |p: &Path| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("pending-"));
    for path in
        files.iter().filter(|p| p.extension().is_some_and(|e| e == "toml") && !p.ends_with("comments.toml") && !pending(p))
    {
        let text = std::fs::read_to_string(path).unwrap();
        let file: CorpusFile = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let d =
            drills.iter().find(|d| d.id == file.drill).unwrap_or_else(|| panic!("{}: no drill {}", path.display(), file.drill));
        let g = Grader::new(d);
        for c in &file.cases {
            for key in c.expect.keys() {
                assert!(d.finding(key).is_some(), "{}: unknown finding `{key}`", path.display());
            }
            let report = g.grade(&answers_for(d, c));
            let t = per_drill.entry(d.id.clone()).or_default();
            t.cases += 1;
            for f in &report.findings {
                let label = c.expect.get(&f.id).map(String::as_str).unwrap_or("not-found");
                assert!(label == "found" || label == "not-found", "{}: label `{label}`", path.display());
                let want = label == "found";
                let got = f.verdict != Verdict::Miss;
                t.pairs += 1;
                if want == got {
                    t.agree += 1;
                } else {
                    disagreements
                        .push(format!("[{}] {} {} want {} got {:?}: {}", c.kind, d.id, f.id, label, f.verdict, c.answer));
                }
                if !want {
                    t.negatives += 1;
                    if got {
                        t.false_credit += 1;
                    }
                }
            }
        }
    }
    let mut report = String::new();
    let mut failed = false;
    for (id, t) in &per_drill {
        let agreement = t.agree as f64 / t.pairs as f64;
        let false_credit = t.false_credit as f64 / t.negatives.max(1) as f64;
        report +=
            &format!("{id}: {} cases, {} pairs, agreement {agreement:.3}, false credit {false_credit:.3}\n", t.cases, t.pairs);
        failed |= agreement < 0.95 || false_credit > 0.03;
    }
    let total: usize = per_drill.values().map(|t| t.pairs).sum();
    println!("{report}{} disagreements of {total} pairs:\n{}", disagreements.len(), disagreements.join("\n"));
    assert!(total >= 300, "the corpus needs at least 300 pairs, has {total}");
    assert!(per_drill.len() >= 4, "the corpus needs at least 4 drills, has {}", per_drill.len());
    assert!(!failed, "agreement below 0.95 or false credit above 0.03:\n{report}\n{}", disagreements.join("\n"));
}

#[test]
fn comment_scores_order_the_tiers() {
    let path = corpus_dir().join("comments.toml");
    let file: CommentFile = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(file.comments.len() >= 40, "need at least 40 tiered comments, have {}", file.comments.len());
    let drills = drills();
    let mut scored: Vec<(u8, u8, String)> = Vec::new();
    for c in &file.comments {
        let d = drills.iter().find(|d| d.id == c.drill).unwrap();
        let item = d.checklist.iter().find(|i| i.kind == revdrill_pack::ItemKind::Comment).unwrap();
        let mut a = AnswerSet { drill: d.id.clone(), ..Default::default() };
        a.answers.insert(item.id.clone(), c.text.clone());
        let s = Grader::new(d).grade(&a).comment.score;
        scored.push((c.tier, s, c.text.clone()));
    }
    let top_min = scored.iter().filter(|s| s.0 == 3).map(|s| s.1).min().unwrap();
    let bottom_max = scored.iter().filter(|s| s.0 == 1).map(|s| s.1).max().unwrap();
    let mut lines: Vec<String> = scored.iter().map(|(t, s, x)| format!("tier {t} score {s:>3}: {x}")).collect();
    lines.sort();
    println!("{}", lines.join("\n"));
    assert!(top_min > bottom_max, "a top-tier comment ({top_min}) does not beat every bottom-tier one ({bottom_max})");
    let mean = |tier: u8| {
        let v: Vec<f64> = scored.iter().filter(|s| s.0 == tier).map(|s| s.1 as f64).collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    assert!(mean(3) > mean(2) && mean(2) > mean(1), "tier means out of order: {} {} {}", mean(3), mean(2), mean(1));
}
