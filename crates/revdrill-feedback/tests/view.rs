//! The feedback view on the seed drill: a stored report reads back unchanged, item feedback does
//! not spoil what a later item asks, disputes are checked against the learner's own statements,
//! and exported disputes read back in the corpus format.

use std::collections::BTreeMap;

use revdrill_feedback::{DisputeError, ExportError, FeedbackView, export_corpus, new_dispute};
use revdrill_grader::{Grader, Report, Source, Verdict};
use revdrill_pack::{AnswerSet, Drill, Lang};
use revdrill_store::{Dispute, DisputeKind};

const SEED: &str = "containerd-shimv1-leak";

fn seed() -> Drill {
    revdrill_catalog::embedded().unwrap().into_iter().find(|d| d.id == SEED).unwrap()
}

fn answers(items: &[(&str, &str)]) -> AnswerSet {
    AnswerSet {
        drill: SEED.into(),
        answers: items.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        comments: Vec::new(),
    }
}

fn model() -> AnswerSet {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../catalog/containerd-shimv1-leak/answers/model-en.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Only the goroutine leak, under the first item.
fn leak_only() -> AnswerSet {
    answers(&[(
        "concurrency",
        "The goroutine's only exit is `<-ctx.Done()`, so if the caller never cancels the context it leaks one goroutine per call.",
    )])
}

#[test]
fn a_stored_report_reads_back_as_it_was_graded() {
    let d = seed();
    for a in [model(), leak_only(), AnswerSet { drill: SEED.into(), ..Default::default() }] {
        let report = Grader::new(&d).grade(&a);
        let json = serde_json::to_string(&report).unwrap();
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back, report);
    }
}

#[test]
fn first_item_feedback_does_not_reveal_what_the_error_paths_item_asks() {
    let d = seed();
    let a = leak_only();
    let view = FeedbackView::build(&Grader::new(&d).grade(&a), Some(&d), &a, &[], Lang::En);
    let fb = view.item_feedback(0);
    let shown: Vec<(&str, Verdict, bool)> =
        fb.shown.iter().map(|s| (s.finding.id.as_str(), s.finding.verdict, s.reveal)).collect();
    // cancelled-context is also asked by item 2: neither named nor explained after item 1.
    assert_eq!(shown, vec![("goroutine-lifetime", Verdict::Hit, false), ("check-then-act-race", Verdict::Miss, true)]);
    assert_eq!(fb.withheld.len(), 1);
    assert_eq!((fb.withheld[0].item, fb.withheld[0].missed), (2, 1));
    let msg = fb.withheld[0].message(Lang::En);
    assert!(msg.contains("item 2 comes back to it"), "{msg}");
    let problem = &d.finding("cancelled-context").unwrap().problem.en;
    assert!(!msg.contains(problem.as_str()) && !msg.contains("cancelled-context"));
    assert!(fb.withheld[0].message(Lang::Zh).contains("第 2 项"));
    // After item 2, nothing later covers it: it is revealed.
    let fb2 = view.item_feedback(1);
    assert!(fb2.shown.iter().any(|s| s.finding.id == "cancelled-context" && s.reveal));
    assert!(fb2.withheld.is_empty());
}

#[test]
fn the_view_of_a_drill_that_is_not_loaded_keeps_the_verdicts() {
    let d = seed();
    let a = leak_only();
    let report = Grader::new(&d).grade(&a);
    let view = FeedbackView::build(&report, None, &a, &[], Lang::Zh);
    assert_eq!(view.score, report.score);
    assert!(view.title.is_none() && view.items.is_empty());
    assert_eq!(view.findings.len(), d.findings.len());
    assert!(view.findings.iter().all(|f| f.reference.is_none()));
    assert_eq!(view.findings[0].verdict_label, "命中");
    assert_eq!(view.statements.len(), 1);
}

fn dispute(id: i64, d: revdrill_store::NewDispute) -> Dispute {
    Dispute { id, drill_id: SEED.into(), lang: "en".into(), created_at: 0, dispute: d }
}

#[test]
fn disputes_point_at_the_learners_own_statements() {
    let d = seed();
    let a = answers(&[
        (
            "concurrency",
            "The goroutine's only exit is `<-ctx.Done()`, so it leaks when ctx is never cancelled. After the wait, the lookup runs on the very context that just ended.",
        ),
        ("error-paths", "这里的顺序感觉不太对。"),
    ]);
    let report = Grader::new(&d).grade(&a);
    let view = FeedbackView::build(&report, Some(&d), &a, &[], Lang::En);
    assert_eq!(view.statements.len(), 3);
    assert_eq!(view.statements[2].source, Source::Item { id: "error-paths".into() });
    let race = view.findings.iter().find(|f| f.id == "check-then-act-race").unwrap();
    assert_ne!(race.verdict, Verdict::Hit, "the dispute below needs a verdict that is not a hit");

    let said = new_dispute(&view, 7, "check-then-act-race", Some(3), "  this is the race  ").unwrap();
    assert_eq!(said.kind, DisputeKind::SaidIt);
    assert_eq!(
        (said.statement.as_str(), said.item.as_deref(), said.note.as_str()),
        (view.statements[2].text.as_str(), Some("error-paths"), "this is the race")
    );
    assert_eq!(
        new_dispute(&view, 7, "check-then-act-race", None, ""),
        Err(DisputeError::NeedsStatement("check-then-act-race".into()))
    );
    assert_eq!(new_dispute(&view, 7, "check-then-act-race", Some(4), ""), Err(DisputeError::NoSuchStatement { n: 4, max: 3 }));
    assert_eq!(new_dispute(&view, 7, "check-then-act-race", Some(0), ""), Err(DisputeError::NoSuchStatement { n: 0, max: 3 }));
    assert_eq!(new_dispute(&view, 7, "leek", Some(1), ""), Err(DisputeError::UnknownFinding("leek".into())));
    assert_eq!(
        new_dispute(&view, 7, "goroutine-lifetime", Some(1), ""),
        Err(DisputeError::StatementForCredit("goroutine-lifetime".into()))
    );
    assert_eq!(new_dispute(&view, 7, "check-then-act-race", Some(3), &"x".repeat(2001)), Err(DisputeError::NoteTooLong));

    let credit = new_dispute(&view, 7, "goroutine-lifetime", None, "").unwrap();
    assert_eq!(credit.kind, DisputeKind::WrongCredit);
    assert_eq!(Some(credit.statement.as_str()), view.findings[0].evidence.as_deref());

    // Shown as disputed in the view, score unchanged.
    let marked = FeedbackView::build(&report, Some(&d), &a, &[dispute(1, said.clone())], Lang::Zh);
    assert_eq!(marked.disputed(), 1);
    assert_eq!(marked.score, report.score);
    let m = marked.findings.iter().find(|f| f.id == "check-then-act-race").unwrap().disputed.as_ref().unwrap();
    assert!(m.label.contains("检查项 2"), "{}", m.label);
}

#[derive(serde::Deserialize, Debug)]
struct CorpusFile {
    drill: String,
    case: Vec<Case>,
}

#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Case {
    answer: String,
    item: Option<String>,
    line: Option<u32>,
    lang: String,
    kind: String,
    expect: BTreeMap<String, String>,
    note: Option<String>,
}

#[test]
fn exported_disputes_read_back_as_corpus_cases() {
    let d = seed();
    let a = model();
    let report = Grader::new(&d).grade(&a);
    let view = FeedbackView::build(&report, Some(&d), &a, &[], Lang::En);
    let said = revdrill_store::NewDispute {
        attempt_id: 3,
        finding: "task-still-present".into(),
        kind: DisputeKind::SaidIt,
        verdict: "miss".into(),
        statement: "出了错就这么算了，一点痕迹都没有 \"引号\"".into(),
        item: Some("error-paths".into()),
        line: None,
        note: "I said the task stays".into(),
    };
    let credit = new_dispute(&view, 3, "goroutine-lifetime", None, "").unwrap();
    let text =
        export_corpus(&[(dispute(1, said), Some(report.clone())), (dispute(2, credit.clone()), Some(report.clone()))]).unwrap();
    let back: CorpusFile = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(back.drill, SEED);
    assert_eq!(back.case.len(), 2);
    let c0 = &back.case[0];
    assert_eq!((c0.item.as_deref(), c0.line, c0.lang.as_str(), c0.kind.as_str()), (Some("error-paths"), None, "zh", "dispute"));
    assert_eq!(c0.expect.get("task-still-present").map(String::as_str), Some("found"));
    assert!(c0.note.as_deref().unwrap().contains("attempt #3") && c0.answer.contains("\"引号\""));
    // A wrong credit: the disputed finding is not listed (not-found); others the same statement earned stay found.
    let c1 = &back.case[1];
    assert_eq!(c1.answer, credit.statement);
    assert!(!c1.expect.contains_key("goroutine-lifetime"));
    for f in report
        .findings
        .iter()
        .filter(|f| f.id != "goroutine-lifetime" && f.evidence.as_deref() == Some(credit.statement.as_str()))
    {
        assert_eq!(c1.expect.get(&f.id).map(String::as_str), Some("found"), "{}", f.id);
    }
    assert_eq!(export_corpus(&[]), Err(ExportError::Nothing));
    let mut other = dispute(3, credit);
    other.drill_id = "other-drill".into();
    assert!(
        matches!(export_corpus(&[(other, None), (dispute(4, new_dispute(&view, 3, "goroutine-lifetime", None, "").unwrap()), None)]), Err(ExportError::SeveralDrills(v)) if v.len() == 2)
    );
}

/// A report as an earlier revdrill stored it must stay readable: history and the feedback page
/// read every attempt ever stored. A field added to `Report` needs `#[serde(default)]`.
#[test]
fn a_report_stored_by_an_earlier_version_still_reads() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
    let report: Report = serde_json::from_str(&std::fs::read_to_string(format!("{dir}stored-report-2026-11.json")).unwrap())
        .expect("a stored report of 2026-11 no longer reads: give new Report fields #[serde(default)]");
    let answers: AnswerSet =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}stored-answers-2026-11.json")).unwrap()).unwrap();
    let d = seed();
    let view = FeedbackView::build(&report, Some(&d), &answers, &[], Lang::Zh);
    assert_eq!(view.score, report.score);
    // The verdicts are the stored ones, whatever the drill holds today; reference texts come
    // from the drill for the findings it still has.
    let ids = |v: Vec<&str>| v.join(" ");
    assert_eq!(
        ids(view.findings.iter().map(|f| f.id.as_str()).collect()),
        ids(report.findings.iter().map(|f| f.id.as_str()).collect())
    );
    assert!(view.findings.iter().all(|f| f.reference.is_some() == d.finding(&f.id).is_some()));
    assert!(view.findings.iter().any(|f| f.reference.is_some()));
    assert!(view.comment.dimensions.iter().all(|x| x.name != "unknown"), "every stored dimension name is known");
}

#[test]
fn a_partial_verdict_a_later_item_covers_is_named_but_not_explained() {
    let d = seed();
    let a = leak_only();
    let mut report = Grader::new(&d).grade(&a);
    let fr = report.findings.iter_mut().find(|f| f.id == "cancelled-context").unwrap();
    fr.verdict = Verdict::Partial;
    fr.missing = vec!["cancelled-ctx".into()];
    let view = FeedbackView::build(&report, Some(&d), &a, &[], Lang::En);
    let fb = view.item_feedback(0);
    let partial = fb.shown.iter().find(|s| s.finding.id == "cancelled-context").unwrap();
    assert!(!partial.reveal, "neither what is missing nor the problem text before item 2");
    assert_eq!(fb.withheld.len(), 1);
    assert_eq!((fb.withheld[0].item, fb.withheld[0].missed, fb.withheld[0].partial), (2, 0, 1));
    assert!(fb.withheld[0].message(Lang::En).starts_with("A point in this area is not complete yet; item 2"));
    assert!(view.item_feedback(1).shown.iter().any(|s| s.finding.id == "cancelled-context" && s.reveal));
    assert!(view.item_feedback(99).shown.is_empty());
}
