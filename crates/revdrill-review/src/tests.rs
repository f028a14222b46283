//! Review cards end to end on a real catalog drill and the SQLite store, with a fixed clock:
//! a missed finding becomes a card due on the day FSRS says, success pushes it out further each
//! time, a miss brings it back the next day.

use revdrill_catalog::Catalog;
use revdrill_grader::{Grader, Verdict};
use revdrill_pack::{AnswerSet, Drill, Lang};
use revdrill_store::{CardAnswer, CardId, Graded, ReviewStore, SqliteStore, Store};

use super::*;

/// 2026-12-01T09:00:00Z: the fixed "now" of these tests.
const T0: i64 = 1_796_115_600;

fn seed() -> Drill {
    Catalog::load(&[] as &[&str]).unwrap().get("containerd-shimv1-leak").expect("seed drill").clone()
}

/// Saves a graded attempt of `drill` with `answers` (item id → text) and records its misses at `at`.
fn attempt(s: &mut SqliteStore, g: &Grader, answers: &[(&str, &str)], at: i64) -> Report {
    let a = AnswerSet {
        drill: g.drill().id.clone(),
        answers: answers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..Default::default()
    };
    let report = g.grade(&a);
    let id = s.start_attempt(&a.drill, "en", "{}").unwrap();
    let graded = Graded { score: report.score, report_json: serde_json::to_string(&report).unwrap(), categories: vec![] };
    s.finish_attempt(id, &graded).unwrap();
    record(s, id, &report, at).unwrap();
    report
}

/// Answers card `id` at `at` with the finding's own model comment (or `text`), as `revdrill
/// review` does; returns the days until it is due again.
fn answer(s: &mut SqliteStore, g: &Grader, id: CardId, text: Option<&str>, at: i64) -> (Verdict, i64) {
    let c = s.card(id).unwrap();
    let model = g.drill().finding(&c.finding).unwrap().comment.clone();
    let text = text.unwrap_or(&model);
    let (result, rating) = card::grade(g, &c.finding, text).unwrap();
    let a = CardAnswer {
        answer: text.into(),
        verdict: result.verdict.as_str().into(),
        rating,
        result_json: serde_json::to_string(&result).unwrap(),
        lang: "en".into(),
        at,
    };
    let sch = Scheduler::default();
    let r = s.answer_card(id, &a, &|p, g, t| sch.next(p, g, t)).unwrap();
    (result.verdict, (r.due - at) / DAY)
}

#[test]
fn a_missed_finding_is_due_on_the_day_fsrs_says() {
    let (drill, mut s) = (seed(), SqliteStore::in_memory().unwrap());
    let g = Grader::new(&drill);
    let report = attempt(&mut s, &g, &[("concurrency", "Looks fine to me.")], T0);
    let missed = report.findings.iter().filter(|f| f.verdict == Verdict::Miss).count();
    assert_eq!(missed, drill.findings.len(), "a content-free answer misses everything");
    // FSRS-6: a first review rated Again has stability w0 = 0.212 days, under one day: the card
    // comes back the next day, not the same day.
    assert_eq!(Scheduler::default().interval_days(0.212), 1);
    assert_eq!(s.due_count(end_of_day(T0)).unwrap(), 0, "nothing is due the day of the miss");
    assert_eq!(s.due_count(end_of_day(T0 + DAY)).unwrap(), missed, "every miss is due the next day");
    let c = &s.due_cards(end_of_day(T0 + DAY), 100).unwrap()[0];
    assert_eq!((c.state.due, c.state.reps, c.state.lapses), (T0 + DAY, 1, 1));
    assert!((c.state.stability - 0.212).abs() < 1e-9 && (c.state.difficulty - 6.4133).abs() < 1e-9);
}

#[test]
fn success_grows_the_interval_and_a_miss_brings_the_card_back_soon() {
    let (drill, mut s) = (seed(), SqliteStore::in_memory().unwrap());
    let g = Grader::new(&drill);
    attempt(&mut s, &g, &[("concurrency", "Looks fine to me.")], T0);
    // A finding whose model comment, written as the answer, is found.
    let card = s
        .due_cards(i64::MAX, 100)
        .unwrap()
        .into_iter()
        .find(|c| {
            let f = drill.finding(&c.finding).unwrap();
            card::grade(&g, &f.id, &f.comment).unwrap().0.verdict == Verdict::Hit
        })
        .expect("some model comment states its finding");
    let mut now = card.state.due;
    let mut intervals = Vec::new();
    for _ in 0..5 {
        assert!(s.due_cards(end_of_day(now), 100).unwrap().iter().any(|c| c.id == card.id), "due at {now}");
        let (v, days) = answer(&mut s, &g, card.id, None, now);
        assert_eq!(v, Verdict::Hit);
        assert!(s.due_cards(end_of_day(now), 100).unwrap().iter().all(|c| c.id != card.id), "answered: not due today");
        intervals.push(days);
        now += days * DAY;
    }
    // The first two from FSRS-6's own numbers (see fsrs::tests): stability 1.89 then 6.27 days.
    assert_eq!(&intervals[..2], &[2, 6], "{intervals:?}");
    assert!(intervals.windows(2).all(|w| w[1] > w[0]), "each success pushes the card further out: {intervals:?}");
    assert!(*intervals.last().unwrap() > 30, "{intervals:?}");

    // A miss after months brings the card back within days: FSRS-6's post-lapse stability
    // (w11·D^-w12·((S+1)^w13 - 1)·e^(w14·(1-R))) is a few days for any S this size.
    let (v, days) = answer(&mut s, &g, card.id, Some("I would not comment; it is fine."), now);
    assert_eq!(v, Verdict::Miss);
    assert!((1..=7).contains(&days) && days * 10 < intervals[4], "back soon after a miss: {days} days after {intervals:?}");
    let c = s.card(card.id).unwrap();
    assert_eq!((c.state.reps, c.state.lapses), (7, 2));
    let (_, after) = answer(&mut s, &g, card.id, None, now + days * DAY);
    assert!(after < intervals[4], "relearning starts short again: {after} days");
}

#[test]
fn a_partly_found_finding_is_rated_hard_and_a_found_one_makes_no_card() {
    let (drill, mut s) = (seed(), SqliteStore::in_memory().unwrap());
    let g = Grader::new(&drill);
    let f = &drill.findings[0];
    let report = attempt(&mut s, &g, &[(drill.checklist[0].id.as_str(), f.comment.as_str())], T0);
    let cards = s.due_cards(i64::MAX, 100).unwrap();
    for fr in &report.findings {
        let c = cards.iter().find(|c| c.finding == fr.id);
        match fr.verdict {
            Verdict::Hit => assert!(c.is_none(), "{} was found", fr.id),
            Verdict::Partial => assert!((c.unwrap().state.stability - 1.2931).abs() < 1e-9, "Hard: S0 = w1"),
            Verdict::Miss => assert!((c.unwrap().state.stability - 0.212).abs() < 1e-9, "Again: S0 = w0"),
        }
    }
}

#[test]
fn a_later_attempt_that_finds_the_finding_pushes_its_card_out() {
    let (drill, mut s) = (seed(), SqliteStore::in_memory().unwrap());
    let g = Grader::new(&drill);
    attempt(&mut s, &g, &[("concurrency", "Looks fine to me.")], T0);
    let f = &drill.findings[0];
    let again = attempt(&mut s, &g, &[(drill.checklist[0].id.as_str(), f.comment.as_str())], T0 + DAY);
    assert_eq!(again.finding(&f.id).unwrap().verdict, Verdict::Hit, "the model comment finds it");
    let c = s.due_cards(i64::MAX, 100).unwrap().into_iter().find(|c| c.finding == f.id).unwrap();
    // Again, then Good a day later: FSRS-6 stability 1.89 days, due in 2.
    assert_eq!((c.state.reps, c.state.lapses, c.state.due), (2, 1, T0 + DAY + 2 * DAY));
    // Missed again on day 1, the others lapse again: none is due that day, all the next.
    assert_eq!(s.due_count(end_of_day(T0 + DAY)).unwrap(), 0);
    let missed_again = again.findings.iter().filter(|x| x.verdict != Verdict::Hit).count();
    assert_eq!(s.due_count(end_of_day(T0 + 2 * DAY)).unwrap(), missed_again);
}

#[test]
fn pending_attempts_are_recorded_once_at_their_own_time() {
    let (drill, mut s) = (seed(), SqliteStore::in_memory().unwrap());
    let g = Grader::new(&drill);
    let report = g.grade(&AnswerSet { drill: drill.id.clone(), ..Default::default() });
    let id = s.start_attempt(&drill.id, "en", "{}").unwrap();
    s.finish_attempt(id, &Graded { score: 0, report_json: serde_json::to_string(&report).unwrap(), categories: vec![] }).unwrap();
    let at = s.attempt(id).unwrap().summary.finished_at.unwrap();
    assert_eq!(record_pending(&mut s).unwrap(), drill.findings.len());
    assert_eq!(record_pending(&mut s).unwrap(), 0);
    assert!(s.due_cards(i64::MAX, 100).unwrap().iter().all(|c| c.state.last_review == at));
}

#[test]
fn the_excerpt_holds_the_anchor_lines_with_context() {
    let drill = seed();
    for f in &drill.findings {
        let Some(x) = card::excerpt(&drill, &f.id) else { continue };
        assert!(!x.anchors.is_empty() && x.anchors.iter().all(|i| x.shown.contains(i)), "{}", f.id);
        assert!(x.anchors.iter().all(|&i| f.anchors(x.hunk.lines[i].new_line.unwrap())));
        assert!(x.shown.len() <= x.anchors.last().unwrap() - x.anchors[0] + 1 + 2 * card::CONTEXT_LINES);
    }
    assert!(drill.findings.iter().any(|f| card::excerpt(&drill, &f.id).is_some()));
    assert!(card::excerpt(&drill, "no-such-finding").is_none());
    assert_ne!(card::question(Lang::En), card::question(Lang::Zh));
}

#[test]
fn the_streak_counts_days_in_a_row_up_to_today_or_yesterday() {
    let today = day(T0);
    assert_eq!(streak(&[], T0), 0);
    assert_eq!(streak(&[today, today - 1, today - 2, today - 4], T0), 3);
    assert_eq!(streak(&[today - 1, today - 2], T0), 2, "not broken before the day ends");
    assert_eq!(streak(&[today - 2], T0), 0);
}
