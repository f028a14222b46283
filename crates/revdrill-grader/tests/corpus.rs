//! Agreement with hand-labelled answers, through `revdrill_grader::corpus`: per drill, the share
//! of (answer, finding) pairs where the grader's found / not found matches the label, the
//! false-credit rate and the misses. Two sets are measured:
//! - the tuning corpus, `tests/corpus/<drill>.toml` (tuned against; must stay at or above
//!   [`TUNING_MIN_AGREEMENT`] / below [`TUNING_MAX_FALSE_CREDIT`] on every drill);
//! - fresh blind batches, `tests/corpus/batches/<batch>/<drill>.toml`, each held to the floors
//!   recorded for it in [`BATCH_FLOORS`] so that a change cannot silently undo them.
//!
//! Also checks that the comment rubric orders hand-tiered comments. See `tests/corpus/README.md`.
//! `cargo test -p revdrill-grader --test corpus -- --nocapture` prints the tables.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use revdrill_grader::Grader;
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

/// Floors recorded for each fresh batch after it was scored and the grader tuned on it:
/// (batch, drill, least agreement, most false credit). A batch or drill without a row is held to
/// [`BATCH_DEFAULT_FLOOR`].
const BATCH_FLOORS: &[(&str, &str, f64, f64)] = &[
    // batch1, after tuning (docs/grading.md, "Fresh-batch series"); before tuning it scored lower.
    ("batch1", "containerd-shimv1-leak", 0.96, 0.03),
    ("batch1", "geth-ethclient-notfound", 0.96, 0.02),
    ("batch1", "moby-plugin-body-leak", 0.97, 0.01),
    ("batch1", "sentry-threshold-prefetch", 0.96, 0.02),
    ("batch1", "stereoscope-untar-traversal", 0.97, 0.02),
    ("batch1", "tikv-client-async-mutex", 0.98, 0.02),
    // batch2, before tuning: never tuned on (docs/grading.md); the goal is 0.95 / 0.03.
    ("batch2", "containerd-shimv1-leak", 0.97, 0.03),
    ("batch2", "geth-ethclient-notfound", 0.97, 0.03),
    ("batch2", "moby-plugin-body-leak", 0.98, 0.01),
    ("batch2", "sentry-threshold-prefetch", 0.98, 0.01),
    ("batch2", "stereoscope-untar-traversal", 0.95, 0.03),
    ("batch2", "tikv-client-async-mutex", 0.96, 0.03),
    // new1: the 24 new drills' first batch, after their keys were tuned on it (tuned).
    ("new1", "airflow-dag-tags-n-plus-one", 0.97, 0.03),
    ("new1", "consul-dns-limits-loopvar", 0.99, 0.01),
    ("new1", "django-celery-dispatch-before-commit", 0.96, 0.04),
    ("new1", "dubbo-failback-retry-timer", 0.99, 0.01),
    ("new1", "etcd-lease-ctor-signature-break", 0.99, 0.01),
    ("new1", "gozero-blpop-wait-copy", 0.99, 0.01),
    ("new1", "gozero-errorctx-copy", 0.99, 0.01),
    ("new1", "gozero-timeout-goroutine-leak", 0.97, 0.03),
    ("new1", "hono-csrf-form-content-type", 0.97, 0.03),
    ("new1", "hyper-to-bytes-reserve", 0.98, 0.03),
    ("new1", "k8s-cache-sleep-sync-test", 0.98, 0.03),
    ("new1", "kafka-kraft-config-redaction", 0.96, 0.04),
    ("new1", "kratos-config-scan-race", 0.99, 0.01),
    ("new1", "kratos-error-http-code", 0.98, 0.01),
    ("new1", "nest-parseint-pipe-lenient", 0.97, 0.04),
    ("new1", "nest-shutdown-signal-reraise", 0.97, 0.03),
    ("new1", "prometheus-pool-magic-numbers", 0.95, 0.01),
    ("new1", "requests-redirect-auth-strip", 0.97, 0.02),
    ("new1", "rocketmq-commitlog-busy-flag", 0.98, 0.03),
    ("new1", "terraform-progress-sleep-test", 0.99, 0.01),
    ("new1", "tidb-idle-conn-recycle", 0.99, 0.01),
    ("new1", "tidb-regexp-compile-per-row", 0.99, 0.01),
    ("new1", "tikv-importer-unredacted-key", 0.97, 0.03),
    ("new1", "xline-watch-stop-lost", 0.98, 0.02),
    // new2: their second batch, before tuning: never tuned on (docs/grading.md). Most are below the
    // goal of 0.95 / 0.03; these floors (measured, less one point) only keep them from getting worse.
    ("new2", "airflow-dag-tags-n-plus-one", 0.88, 0.11),
    ("new2", "consul-dns-limits-loopvar", 0.93, 0.07),
    ("new2", "django-celery-dispatch-before-commit", 0.93, 0.04),
    ("new2", "dubbo-failback-retry-timer", 0.93, 0.04),
    ("new2", "etcd-lease-ctor-signature-break", 0.94, 0.03),
    ("new2", "gozero-blpop-wait-copy", 0.92, 0.07),
    ("new2", "gozero-errorctx-copy", 0.93, 0.05),
    ("new2", "gozero-timeout-goroutine-leak", 0.96, 0.03),
    ("new2", "hono-csrf-form-content-type", 0.93, 0.07),
    ("new2", "hyper-to-bytes-reserve", 0.95, 0.06),
    ("new2", "k8s-cache-sleep-sync-test", 0.89, 0.10),
    ("new2", "kafka-kraft-config-redaction", 0.99, 0.01),
    ("new2", "kratos-config-scan-race", 0.96, 0.03),
    ("new2", "kratos-error-http-code", 0.94, 0.04),
    ("new2", "nest-parseint-pipe-lenient", 0.89, 0.04),
    ("new2", "nest-shutdown-signal-reraise", 0.94, 0.05),
    ("new2", "prometheus-pool-magic-numbers", 0.97, 0.04),
    ("new2", "requests-redirect-auth-strip", 0.96, 0.03),
    ("new2", "rocketmq-commitlog-busy-flag", 0.92, 0.07),
    ("new2", "terraform-progress-sleep-test", 0.93, 0.07),
    ("new2", "tidb-idle-conn-recycle", 0.93, 0.04),
    ("new2", "tidb-regexp-compile-per-row", 0.96, 0.05),
    ("new2", "tikv-importer-unredacted-key", 0.91, 0.09),
    ("new2", "xline-watch-stop-lost", 0.94, 0.05),
];
/// Floors for a batch drill not listed in [`BATCH_FLOORS`]: (least agreement, most false credit).
const BATCH_DEFAULT_FLOOR: (f64, f64) = (0.0, 1.0);

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn drills() -> Vec<Drill> {
    revdrill_catalog::embedded().unwrap()
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default();
    // `pending-*.toml` holds probes for grader changes not yet landed (see tests/probes.rs).
    let pending = |p: &Path| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("pending-"));
    files.retain(|p| p.extension().is_some_and(|e| e == "toml") && !p.ends_with("comments.toml") && !pending(p));
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
    let root = corpus_dir().join("batches");
    let mut batches: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    batches.sort();
    let mut failed = Vec::new();
    for dir in &batches {
        let batch = dir.file_name().unwrap().to_string_lossy().to_string();
        let per_drill = evaluate_dir(dir, &drills);
        println!("{}{}", table(&format!("batch {batch}"), &per_drill), disagreements(&per_drill));
        for (id, ev) in &per_drill {
            let (min_agree, max_fc) = BATCH_FLOORS
                .iter()
                .find(|(b, d, ..)| *b == batch && d == id)
                .map(|&(_, _, a, f)| (a, f))
                .unwrap_or(BATCH_DEFAULT_FLOOR);
            let (a, f) = (ev.total.agreement(), ev.total.false_credit_rate());
            if a < min_agree || f > max_fc {
                failed
                    .push(format!("{batch}/{id}: agreement {a:.3} (floor {min_agree}), false credit {f:.3} (ceiling {max_fc})"));
            }
        }
    }
    for (b, d, ..) in BATCH_FLOORS {
        assert!(root.join(b).join(format!("{d}.toml")).exists(), "a floor names {b}/{d}, which has no file");
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
