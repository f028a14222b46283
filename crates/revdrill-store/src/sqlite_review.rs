//! [`ReviewStore`] for the SQLite store: tables `review_cards`, `review_log` and
//! `review_recorded` (migration 0003). Every write runs in one `BEGIN IMMEDIATE` transaction, so
//! the card read, the scheduler's answer and the write happen under one write lock.

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use crate::review::*;
use crate::sqlite::classify;
use crate::{AttemptId, SqliteStore, StoreError};

/// Columns of `review_cards` (alias `c`) in the order [`card`] reads them.
const CARD_COLUMNS: &str =
    "c.id, c.drill_id, c.finding, c.created_at, c.stability, c.difficulty, c.due, c.reps, c.lapses, c.last_review";

/// Columns of `review_log` (alias `l`, joined with `c`) in the order [`review`] reads them.
const REVIEW_COLUMNS: &str = "l.id, l.card_id, c.drill_id, c.finding, l.attempt_id, l.reviewed_at, l.rating, l.verdict, \
     l.answer, l.result_json, l.lang, l.stability, l.difficulty, l.due";

/// Seconds in a day (days are UTC days).
const DAY: i64 = 86_400;

fn card(r: &rusqlite::Row<'_>) -> rusqlite::Result<Card> {
    Ok(Card {
        id: r.get(0)?,
        drill_id: r.get(1)?,
        finding: r.get(2)?,
        created_at: r.get(3)?,
        state: CardState {
            stability: r.get(4)?,
            difficulty: r.get(5)?,
            due: r.get(6)?,
            reps: r.get(7)?,
            lapses: r.get(8)?,
            last_review: r.get(9)?,
        },
    })
}

fn review(r: &rusqlite::Row<'_>) -> rusqlite::Result<CardReview> {
    Ok(CardReview {
        id: r.get(0)?,
        card_id: r.get(1)?,
        drill_id: r.get(2)?,
        finding: r.get(3)?,
        attempt_id: r.get(4)?,
        reviewed_at: r.get(5)?,
        // The table's CHECK admits only 1-4.
        rating: Rating::from_number(r.get(6)?).unwrap_or(Rating::Again),
        verdict: r.get(7)?,
        answer: r.get(8)?,
        result_json: r.get(9)?,
        lang: r.get(10)?,
        stability: r.get(11)?,
        difficulty: r.get(12)?,
        due: r.get(13)?,
    })
}

/// The card of (drill, finding), if any.
fn find_card(tx: &Transaction<'_>, drill_id: &str, finding: &str) -> rusqlite::Result<Option<Card>> {
    tx.query_row(
        &format!("SELECT {CARD_COLUMNS} FROM review_cards c WHERE c.drill_id = ?1 AND c.finding = ?2"),
        params![drill_id, finding],
        card,
    )
    .optional()
}

/// Writes a card's new state (inserting it when new); returns its id.
fn write_card(
    tx: &Transaction<'_>,
    old: Option<&Card>,
    drill_id: &str,
    finding: &str,
    s: &CardState,
) -> rusqlite::Result<CardId> {
    match old {
        Some(c) => {
            tx.execute(
                "UPDATE review_cards SET stability = ?2, difficulty = ?3, due = ?4, reps = ?5, lapses = ?6, last_review = ?7 \
                 WHERE id = ?1",
                params![c.id, s.stability, s.difficulty, s.due, s.reps, s.lapses, s.last_review],
            )?;
            Ok(c.id)
        }
        None => {
            tx.execute(
                "INSERT INTO review_cards (drill_id, finding, stability, difficulty, due, reps, lapses, last_review, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                params![drill_id, finding, s.stability, s.difficulty, s.due, s.reps, s.lapses, s.last_review],
            )?;
            Ok(tx.last_insert_rowid())
        }
    }
}

impl SqliteStore {
    fn write_tx(&mut self) -> Result<Transaction<'_>, StoreError> {
        let path = self.path().display().to_string();
        self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))
    }

    fn shown(&self) -> String {
        self.path().display().to_string()
    }
}

impl ReviewStore for SqliteStore {
    fn unrecorded_attempts(&self, limit: usize) -> Result<Vec<GradedAttempt>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.id, a.drill_id, COALESCE(a.finished_at, a.started_at), a.report_json FROM attempts a \
                 WHERE a.report_json IS NOT NULL AND a.id NOT IN (SELECT attempt_id FROM review_recorded) \
                 ORDER BY a.id LIMIT ?1",
            )
            .map_err(|e| classify(&self.shown(), e))?;
        let rows = stmt
            .query_map(params![limit as i64], |r| {
                Ok(GradedAttempt { id: r.get(0)?, drill_id: r.get(1)?, finished_at: r.get(2)?, report_json: r.get(3)? })
            })
            .map_err(|e| classify(&self.shown(), e))?;
        rows.collect::<Result<_, _>>().map_err(|e| classify(&self.shown(), e))
    }

    fn record_attempt(
        &mut self,
        attempt: AttemptId,
        drill_id: &str,
        reviews: &[AttemptReview],
        at: i64,
        schedule: Schedule<'_>,
    ) -> Result<usize, StoreError> {
        let path = self.shown();
        let err = |e| classify(&path, e);
        let tx = self.write_tx()?;
        let exists =
            tx.query_row("SELECT 1 FROM attempts WHERE id = ?1", params![attempt], |_| Ok(())).optional().map_err(err)?;
        if exists.is_none() {
            return Err(StoreError::NoSuchAttempt(attempt));
        }
        let done = tx
            .execute("INSERT OR IGNORE INTO review_recorded (attempt_id, recorded_at) VALUES (?1, ?2)", params![attempt, at])
            .map_err(err)?;
        if done == 0 {
            return Ok(0); // recorded before: nothing changes
        }
        let mut written = 0;
        for l in reviews {
            let old = find_card(&tx, drill_id, &l.finding).map_err(err)?;
            if old.is_none() && l.rating >= Rating::Good {
                continue; // found: no card to make
            }
            written += 1;
            let next = schedule(old.as_ref().map(|c| &c.state), l.rating, at);
            let id = write_card(&tx, old.as_ref(), drill_id, &l.finding, &next).map_err(err)?;
            tx.execute(
                "INSERT INTO review_log (card_id, attempt_id, reviewed_at, rating, verdict, stability, difficulty, due) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![id, attempt, at, l.rating.number(), l.verdict, next.stability, next.difficulty, next.due],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(written)
    }

    fn due_cards(&self, before: i64, limit: usize) -> Result<Vec<Card>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {CARD_COLUMNS} FROM review_cards c WHERE c.due < ?1 ORDER BY c.due, c.id LIMIT ?2"))
            .map_err(|e| classify(&self.shown(), e))?;
        let rows =
            stmt.query_map(params![before, limit.min(i64::MAX as usize) as i64], card).map_err(|e| classify(&self.shown(), e))?;
        rows.collect::<Result<_, _>>().map_err(|e| classify(&self.shown(), e))
    }

    fn due_count(&self, before: i64) -> Result<usize, StoreError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM review_cards WHERE due < ?1", params![before], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(|e| classify(&self.shown(), e))
    }

    fn card(&self, id: CardId) -> Result<Card, StoreError> {
        self.conn
            .query_row(&format!("SELECT {CARD_COLUMNS} FROM review_cards c WHERE c.id = ?1"), params![id], card)
            .optional()
            .map_err(|e| classify(&self.shown(), e))?
            .ok_or(StoreError::NoSuchCard(id))
    }

    fn answer_card(&mut self, id: CardId, a: &CardAnswer, schedule: Schedule<'_>) -> Result<CardReview, StoreError> {
        let path = self.shown();
        let err = |e| classify(&path, e);
        let tx = self.write_tx()?;
        let old = tx
            .query_row(&format!("SELECT {CARD_COLUMNS} FROM review_cards c WHERE c.id = ?1"), params![id], card)
            .optional()
            .map_err(err)?
            .ok_or(StoreError::NoSuchCard(id))?;
        let next = schedule(Some(&old.state), a.rating, a.at);
        write_card(&tx, Some(&old), &old.drill_id, &old.finding, &next).map_err(err)?;
        tx.execute(
            "INSERT INTO review_log (card_id, reviewed_at, rating, verdict, answer, result_json, lang, stability, difficulty, due) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![id, a.at, a.rating.number(), a.verdict, a.answer, a.result_json, a.lang, next.stability, next.difficulty, next.due],
        )
        .map_err(err)?;
        let rid = tx.last_insert_rowid();
        let row = tx
            .query_row(
                &format!("SELECT {REVIEW_COLUMNS} FROM review_log l JOIN review_cards c ON c.id = l.card_id WHERE l.id = ?1"),
                params![rid],
                review,
            )
            .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(row)
    }

    fn card_review(&self, id: ReviewId) -> Result<CardReview, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {REVIEW_COLUMNS} FROM review_log l JOIN review_cards c ON c.id = l.card_id WHERE l.id = ?1"),
                params![id],
                review,
            )
            .optional()
            .map_err(|e| classify(&self.shown(), e))?
            .ok_or(StoreError::NoSuchReview(id))
    }

    fn active_days(&self, limit: usize) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT DISTINCT d FROM ( \
                   SELECT finished_at / ?1 AS d FROM attempts WHERE score IS NOT NULL AND finished_at IS NOT NULL \
                   UNION SELECT reviewed_at / ?1 FROM review_log WHERE attempt_id IS NULL) \
                 ORDER BY d DESC LIMIT ?2",
            )
            .map_err(|e| classify(&self.shown(), e))?;
        let rows = stmt.query_map(params![DAY, limit as i64], |r| r.get(0)).map_err(|e| classify(&self.shown(), e))?;
        rows.collect::<Result<_, _>>().map_err(|e| classify(&self.shown(), e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Graded, Store};

    /// A stand-in scheduler: each review pushes the card out by (reps + 1) days, Again by one.
    fn toy(prev: Option<&CardState>, r: Rating, at: i64) -> CardState {
        let reps = prev.map_or(0, |p| p.reps) + 1;
        let lapses = prev.map_or(0, |p| p.lapses) + u32::from(r == Rating::Again);
        let days = if r == Rating::Again { 1 } else { i64::from(reps) + 1 };
        CardState { stability: days as f64, difficulty: 5.0, due: at + days * DAY, reps, lapses, last_review: at }
    }

    fn graded_attempt(s: &mut SqliteStore, drill: &str) -> AttemptId {
        let a = s.start_attempt(drill, "en", "{}").unwrap();
        s.finish_attempt(a, &Graded { score: 10, report_json: "{}".into(), categories: vec![] }).unwrap();
        a
    }

    fn lapse(finding: &str, rating: Rating) -> AttemptReview {
        let verdict = match rating {
            Rating::Again => "miss",
            Rating::Hard => "partial",
            Rating::Good | Rating::Easy => "hit",
        };
        AttemptReview { finding: finding.into(), verdict: verdict.into(), rating }
    }

    #[test]
    fn an_attempt_is_recorded_once_and_its_lapses_become_cards() {
        let mut s = SqliteStore::in_memory().unwrap();
        let a = graded_attempt(&mut s, "d1");
        assert_eq!(s.unrecorded_attempts(10).unwrap().iter().map(|g| g.id).collect::<Vec<_>>(), vec![a]);
        let lapses = [lapse("race", Rating::Again), lapse("leak", Rating::Hard)];
        assert_eq!(s.record_attempt(a, "d1", &lapses, 1_000, &toy).unwrap(), 2);
        assert_eq!(s.record_attempt(a, "d1", &lapses, 2_000, &toy).unwrap(), 0, "recording again changes nothing");
        assert!(s.unrecorded_attempts(10).unwrap().is_empty());
        assert_eq!(s.due_count(1_000 + DAY).unwrap(), 0, "due at the instant, not before");
        assert_eq!(s.due_count(1_000 + DAY + 1).unwrap(), 1);
        let due = s.due_cards(i64::MAX, 10).unwrap();
        assert_eq!(due.iter().map(|c| (c.finding.as_str(), c.state.reps)).collect::<Vec<_>>(), vec![("race", 1), ("leak", 1)]);

        // The same finding missed in a later attempt lapses the same card.
        let b = graded_attempt(&mut s, "d1");
        s.record_attempt(b, "d1", &[lapse("race", Rating::Again)], 5_000, &toy).unwrap();
        let race = s.card(due[0].id).unwrap();
        assert_eq!((race.state.reps, race.state.lapses, race.state.last_review), (2, 2, 5_000));
        assert_eq!(s.due_cards(i64::MAX, 10).unwrap().len(), 2);
    }

    #[test]
    fn a_found_finding_moves_its_card_but_never_makes_one() {
        let mut s = SqliteStore::in_memory().unwrap();
        let a = graded_attempt(&mut s, "d1");
        s.record_attempt(a, "d1", &[lapse("race", Rating::Again), lapse("leak", Rating::Good)], 0, &toy).unwrap();
        assert_eq!(s.due_cards(i64::MAX, 10).unwrap().iter().map(|c| c.finding.as_str()).collect::<Vec<_>>(), vec!["race"]);
        let b = graded_attempt(&mut s, "d1");
        assert_eq!(s.record_attempt(b, "d1", &[lapse("race", Rating::Good), lapse("leak", Rating::Good)], DAY, &toy).unwrap(), 1);
        let c = &s.due_cards(i64::MAX, 10).unwrap()[0];
        assert_eq!((c.state.reps, c.state.lapses, c.state.due), (2, 1, DAY + 3 * DAY));
    }

    #[test]
    fn an_answer_moves_the_card_and_is_logged_with_the_learners_words() {
        let mut s = SqliteStore::in_memory().unwrap();
        let a = graded_attempt(&mut s, "d1");
        s.record_attempt(a, "d1", &[lapse("race", Rating::Again)], 0, &toy).unwrap();
        let id = s.due_cards(i64::MAX, 1).unwrap()[0].id;
        let answer = CardAnswer {
            answer: "Get 和 Delete 之间有竞态".into(),
            verdict: "hit".into(),
            rating: Rating::Good,
            result_json: "{\"id\":\"race\"}".into(),
            lang: "zh".into(),
            at: 2 * DAY,
        };
        let r = s.answer_card(id, &answer, &toy).unwrap();
        assert_eq!(
            (r.finding.as_str(), r.rating, r.answer.as_str(), r.attempt_id),
            ("race", Rating::Good, answer.answer.as_str(), None)
        );
        assert_eq!(s.card_review(r.id).unwrap(), r);
        let c = s.card(id).unwrap();
        assert_eq!((c.state.reps, c.state.due), (2, 2 * DAY + 3 * DAY));
        assert!(matches!(s.answer_card(99, &answer, &toy), Err(StoreError::NoSuchCard(99))));
        assert!(matches!(s.card_review(99), Err(StoreError::NoSuchReview(99))));
    }

    #[test]
    fn active_days_hold_graded_attempts_and_card_answers() {
        let mut s = SqliteStore::in_memory().unwrap();
        let a = graded_attempt(&mut s, "d1");
        let today = s.attempt(a).unwrap().summary.finished_at.unwrap() / DAY;
        s.record_attempt(a, "d1", &[lapse("race", Rating::Again)], 3 * DAY, &toy).unwrap();
        let id = s.due_cards(i64::MAX, 1).unwrap()[0].id;
        let answer = CardAnswer {
            answer: "x".into(),
            verdict: "miss".into(),
            rating: Rating::Again,
            result_json: "{}".into(),
            lang: "en".into(),
            at: 5 * DAY + 7,
        };
        s.answer_card(id, &answer, &toy).unwrap();
        // The attempt's lapse (day 3) is not a day of practice of its own; the attempt's day is.
        assert_eq!(s.active_days(10).unwrap(), vec![today, 5]);
    }

    /// A database made before review cards gains them; its graded attempts wait to be recorded.
    #[test]
    fn a_version_2_database_gains_review_cards_and_keeps_its_attempts() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("db.sqlite");
        {
            let c = rusqlite::Connection::open(&p).unwrap();
            for (v, sql) in &crate::sqlite::MIGRATIONS[..2] {
                c.execute_batch(sql).unwrap();
                c.pragma_update(None, "user_version", v).unwrap();
            }
            c.execute(
                "INSERT INTO attempts (drill_id, lang, started_at, finished_at, answers_json, score, report_json) \
                 VALUES ('d', 'en', 1, 2, '{}', 70, '{}')",
                [],
            )
            .unwrap();
        }
        let s = SqliteStore::open(&p).unwrap();
        let waiting = s.unrecorded_attempts(10).unwrap();
        assert_eq!(waiting.iter().map(|g| (g.drill_id.as_str(), g.finished_at)).collect::<Vec<_>>(), vec![("d", 2)]);
        assert_eq!(s.due_count(i64::MAX).unwrap(), 0);
    }

    #[test]
    fn recording_an_unknown_attempt_is_refused() {
        let mut s = SqliteStore::in_memory().unwrap();
        assert!(matches!(s.record_attempt(5, "d", &[], 0, &toy), Err(StoreError::NoSuchAttempt(5))));
    }
}
