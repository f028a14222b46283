//! Agreement with hand-labelled answers, through `revdrill_grader::corpus`: per drill, the share
//! of (answer, finding) pairs where the grader's found / not found matches the label, the
//! false-credit rate and the misses. Two sets are measured:
//! - the tuning corpus, `catalog/corpus/<drill>.toml` (tuned against; must stay at or above
//!   [`TUNING_MIN_AGREEMENT`] / below [`TUNING_MAX_FALSE_CREDIT`] on every drill);
//! - fresh blind batches, `catalog/corpus/<batch>/<drill>.toml`, each held to the floor recorded
//!   for it in `catalog/corpus/series.toml` so that a change cannot silently undo them.
//!
//! Also checks that the comment rubric orders the hand-tiered comments of `tests/corpus/comments.toml`.
//! See `catalog/corpus/README.md`.
//! `cargo test -p revdrill-grader --test corpus -- --nocapture` prints the tables.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use revdrill_grader::Grader;
use revdrill_grader::corpus::series::{SERIES_FILE, Series};
use revdrill_grader::corpus::{self, Evaluation, figures};
use revdrill_pack::{AnswerSet, Drill};
use serde::Deserialize;

/// Every drill's tuning corpus must agree with its labels at least this often...
const TUNING_MIN_AGREEMENT: f64 = 0.95;
/// ...and credit at most this share of the pairs labelled not found.
const TUNING_MAX_FALSE_CREDIT: f64 = 0.03;
/// The tuning corpus must hold at least this many pairs over at least this many drills.
const TUNING_MIN_PAIRS: usize = 300;
const TUNING_MIN_DRILLS: usize = 4;

/// The catalog's labelled corpus: tuning files at the top, one folder per fresh batch.
fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog/corpus")
}

/// The fresh-batch series: batches in order, before-tuning figures and floors.
fn series() -> Series {
    let path = corpus_dir().join(SERIES_FILE);
    Series::parse(SERIES_FILE, &std::fs::read_to_string(&path).unwrap()).unwrap_or_else(|e| panic!("{e}"))
}

fn drills() -> Vec<Drill> {
    revdrill_catalog::embedded().unwrap()
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default();
    // `pending-*.toml` holds probes for grader changes not yet landed (see tests/probes.rs).
    let pending = |p: &Path| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("pending-"));
    files.retain(|p| p.extension().is_some_and(|e| e == "toml") && !p.ends_with(SERIES_FILE) && !pending(p));
    files.sort();
    files
}

/// Evaluates every corpus file in `dir`, by drill.
fn evaluate_dir(dir: &Path, drills: &[Drill]) -> BTreeMap<String, Evaluation> {
    let mut out: BTreeMap<String, Evaluation> = BTreeMap::new();
    for path in toml_files(dir) {
        let name = path.display().to_string();
        let file = corpus::parse(&name, &std::fs::read_to_string(&path).unwrap()).unwrap_or_else(|e| panic!("{e}"));
        let d = drills.iter().find(|d| d.id == file.drill).unwrap_or_else(|| panic!("{name}: no drill {}", file.drill));
        let ev = corpus::evaluate(&name, &file, &Grader::new(d)).unwrap_or_else(|e| panic!("{e}"));
        out.entry(d.id.clone()).or_default().merge(&ev);
    }
    out
}

/// The table of one set: a line per drill, then per language and kind over all drills.
fn table(title: &str, per_drill: &BTreeMap<String, Evaluation>) -> String {
    let mut all = Evaluation::default();
    let mut s = format!("== {title}\n");
    for (id, ev) in per_drill {
        s += &format!("{id:<30} {}\n", figures(&ev.total));
        all.merge(ev);
    }
    s += &format!("{:<30} {}\n", "all", figures(&all.total));
    for (lang, t) in &all.by_lang {
        s += &format!("  lang {lang:<23} {}\n", figures(t));
    }
    for (kind, t) in &all.by_kind {
        s += &format!("  kind {kind:<23} {}\n", figures(t));
    }
    s
}

fn disagreements(per_drill: &BTreeMap<String, Evaluation>) -> String {
    per_drill.iter().flat_map(|(id, ev)| ev.disagreements.iter().map(move |d| format!("{id} {d}\n"))).collect()
}

#[test]
fn grader_agrees_with_hand_labels() {
    let drills = drills();
    let per_drill = evaluate_dir(&corpus_dir(), &drills);
    let report = table("tuning corpus (tuned against)", &per_drill);
    println!("{report}{}", disagreements(&per_drill));
    let total: usize = per_drill.values().map(|e| e.total.pairs).sum();
    assert!(total >= TUNING_MIN_PAIRS, "the corpus needs at least {TUNING_MIN_PAIRS} pairs, has {total}");
    assert!(per_drill.len() >= TUNING_MIN_DRILLS, "the corpus needs at least {TUNING_MIN_DRILLS} drills");
    let failed: Vec<&String> = per_drill
        .iter()
        .filter(|(_, e)| e.total.agreement() < TUNING_MIN_AGREEMENT || e.total.false_credit_rate() > TUNING_MAX_FALSE_CREDIT)
        .map(|(id, _)| id)
        .collect();
    assert!(failed.is_empty(), "below {TUNING_MIN_AGREEMENT} / above {TUNING_MAX_FALSE_CREDIT}: {failed:?}\n{report}");
}

#[test]
fn fresh_batches_stay_above_their_floors() {
    let drills = drills();
    let (root, series) = (corpus_dir(), series());
    let mut folders: Vec<String> = std::fs::read_dir(&root)
        .map(|rd| {
            rd.filter_map(|e| e.ok()).filter(|e| e.path().is_dir()).map(|e| e.file_name().to_string_lossy().into()).collect()
        })
        .unwrap_or_default();
    folders.sort();
    let listed: Vec<&str> = series.batches.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(
        folders,
        {
            let mut l = listed.clone();
            l.sort();
            l
        },
        "every batch folder must be listed in {SERIES_FILE}, and only those"
    );
    let mut failed = Vec::new();
    for batch in &series.batches {
        let per_drill = evaluate_dir(&root.join(&batch.id), &drills);
        println!("{}{}", table(&format!("batch {}", batch.id), &per_drill), disagreements(&per_drill));
        let files: Vec<&String> = per_drill.keys().collect();
        assert_eq!(files, batch.drills.keys().collect::<Vec<_>>(), "batch {}: files and {SERIES_FILE} records differ", batch.id);
        for (id, ev) in &per_drill {
            let [min_agree, max_fc] = batch.drills[id].floor;
            let (a, f) = (ev.total.agreement(), ev.total.false_credit_rate());
            if a < min_agree || f > max_fc {
                failed.push(format!(
                    "{}/{id}: agreement {a:.3} (floor {min_agree}), false credit {f:.3} (ceiling {max_fc})",
                    batch.id
                ));
            }
        }
    }
    assert!(failed.is_empty(), "fresh batches regressed:\n{}", failed.join("\n"));
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

#[test]
fn comment_scores_order_the_tiers() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/comments.toml");
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
