//! `PgStore` through the `revdrill_store::Store` trait, the same calls the SQLite store's tests
//! make, plus what only a shared database has: each user sees and changes only their own
//! attempts, and a write is all or nothing.

mod common;

use revdrill_store::{AttemptId, DisputeKind, Graded, NewDispute, Store, StoreError};
use revdrill_team::{Db, PgStore};

fn graded(score: u8, cats: &[(&str, f64, f64)]) -> Graded {
    Graded { score, report_json: "{}".into(), categories: cats.iter().map(|(c, e, m)| (c.to_string(), *e, *m)).collect() }
}

fn said_it(attempt: AttemptId, finding: &str, statement: &str) -> NewDispute {
    NewDispute {
        attempt_id: attempt,
        finding: finding.into(),
        kind: DisputeKind::SaidIt,
        verdict: "miss".into(),
        statement: statement.into(),
        item: Some("concurrency".into()),
        line: None,
        note: String::new(),
    }
}

/// Two learners' stores on a fresh database (called outside the runtime: the trait blocks).
fn two_stores(rt: &tokio::runtime::Runtime) -> Option<(PgStore, PgStore, Db)> {
    let url = rt.block_on(common::fresh_database())?;
    let db = rt.block_on(Db::connect(&url)).unwrap();
    let ids: Vec<i64> = rt.block_on(async {
        let c = db.client().await.unwrap();
        let mut ids = Vec::new();
        for e in ["a@example.com", "b@example.com"] {
            let row = c.query_one("INSERT INTO users (email, name, role) VALUES ($1, 'x', 'learner') RETURNING id", &[&e]).await;
            ids.push(row.unwrap().get(0));
        }
        ids
    });
    let h = rt.handle().clone();
    Some((PgStore::new(db.clone(), ids[0], h.clone()), PgStore::new(db.clone(), ids[1], h), db))
}

#[test]
fn attempt_round_trip_and_stats() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some((mut s, _, _)) = two_stores(&rt) else { return };
    let a = s.start_attempt("d1", "en", "{\"answers\":{}}").unwrap();
    s.save_answers(a, "{\"answers\":{\"x\":\"y\"}}").unwrap();
    assert_eq!(s.attempt(a).unwrap().summary.score, None);
    s.finish_attempt(a, &graded(40, &[("concurrency", 10.0, 40.0)])).unwrap();
    let b = s.start_attempt("d1", "zh", "{}").unwrap();
    s.finish_attempt(b, &graded(90, &[("concurrency", 30.0, 40.0), ("testing", 15.0, 15.0)])).unwrap();
    let h = s.history(10).unwrap();
    assert_eq!(h.iter().map(|x| x.id).collect::<Vec<_>>(), vec![b, a]);
    assert_eq!(h[0].lang, "zh");
    assert!(h[0].finished_at.is_some());
    assert_eq!(s.attempt(a).unwrap().answers_json, "{\"answers\":{\"x\":\"y\"}}");
    let cats = s.category_stats().unwrap();
    assert_eq!(cats[0].category, "concurrency");
    assert_eq!((cats[0].earned, cats[0].max, cats[0].attempts), (40.0, 80.0, 2));
    let d = s.drill_stats().unwrap();
    assert_eq!((d[0].attempts, d[0].best, d[0].last), (2, 90, 90));
    let reports = revdrill_store::graded_reports(&s, 10).unwrap();
    assert_eq!(reports.len(), 2, "code written against the trait runs unchanged");
}

#[test]
fn disputes_round_trip_replace_and_count_in_history() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some((mut s, _, _)) = two_stores(&rt) else { return };
    let a = s.start_attempt("d1", "zh", "{}").unwrap();
    s.finish_attempt(a, &graded(40, &[])).unwrap();
    let b = s.start_attempt("d2", "en", "{}").unwrap();
    let first = s.add_dispute(&said_it(a, "race", "Get 和 Delete 之间有窗口")).unwrap();
    let mut again = said_it(a, "race", "the window between Get and Delete");
    again.note = "second thought".into();
    assert_eq!(s.add_dispute(&again).unwrap(), first, "disputing the same finding again replaces the dispute");
    let credit = NewDispute {
        kind: DisputeKind::WrongCredit,
        verdict: "hit".into(),
        line: Some(258),
        item: None,
        ..said_it(a, "leak", "leak")
    };
    s.add_dispute(&credit).unwrap();
    let all = s.disputes(None).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!((all[0].drill_id.as_str(), all[0].lang.as_str()), ("d1", "zh"));
    assert_eq!(all[0].dispute, again);
    assert_eq!(all[1].dispute, credit);
    assert!(s.disputes(Some(b)).unwrap().is_empty());
    let h = s.history(10).unwrap();
    assert_eq!(h.iter().map(|x| (x.id, x.disputed)).collect::<Vec<_>>(), vec![(b, 0), (a, 2)]);
    assert_eq!(s.attempt(a).unwrap().summary.score, Some(40), "a dispute never changes the score");
    assert!(s.remove_dispute(a, "leak").unwrap());
    assert!(!s.remove_dispute(a, "leak").unwrap());
    assert_eq!(s.attempt(a).unwrap().summary.disputed, 1);
}

#[test]
fn each_user_sees_and_changes_only_their_own_attempts() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some((mut mine, mut theirs, _)) = two_stores(&rt) else { return };
    let a = mine.start_attempt("d1", "en", "{\"answers\":{\"x\":\"mine\"}}").unwrap();
    mine.finish_attempt(a, &graded(70, &[("testing", 7.0, 10.0)])).unwrap();
    mine.add_dispute(&said_it(a, "race", "mine")).unwrap();
    assert!(matches!(theirs.attempt(a), Err(StoreError::NoSuchAttempt(id)) if id == a));
    assert!(theirs.history(10).unwrap().is_empty());
    assert!(theirs.category_stats().unwrap().is_empty() && theirs.drill_stats().unwrap().is_empty());
    assert!(theirs.disputes(None).unwrap().is_empty());
    assert!(matches!(theirs.save_answers(a, "{}"), Err(StoreError::NoSuchAttempt(_))));
    assert!(matches!(theirs.finish_attempt(a, &graded(0, &[])), Err(StoreError::NoSuchAttempt(_))));
    assert!(matches!(theirs.add_dispute(&said_it(a, "other", "x")), Err(StoreError::NoSuchAttempt(_))));
    assert!(!theirs.remove_dispute(a, "race").unwrap());
    // Nothing of theirs touched mine.
    let kept = mine.attempt(a).unwrap();
    assert_eq!((kept.summary.score, kept.summary.disputed), (Some(70), 1));
    assert_eq!(kept.answers_json, "{\"answers\":{\"x\":\"mine\"}}");
}

#[test]
fn a_failed_grade_write_leaves_nothing_half_written() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some((mut s, _, _)) = two_stores(&rt) else { return };
    let a = s.start_attempt("d1", "en", "{}").unwrap();
    // The same category twice breaks the categories' primary key after the score was updated:
    // the whole transaction must roll back.
    let bad = graded(80, &[("testing", 1.0, 2.0), ("testing", 1.0, 2.0)]);
    assert!(s.finish_attempt(a, &bad).is_err());
    let row = s.attempt(a).unwrap();
    assert_eq!((row.summary.score, row.summary.finished_at, row.report_json), (None, None, None));
    assert!(s.category_stats().unwrap().is_empty());
    s.finish_attempt(a, &graded(80, &[("testing", 1.0, 2.0)])).unwrap();
    assert_eq!(s.attempt(a).unwrap().summary.score, Some(80));
}
