//! Spaced review of missed findings. A finding a learner missed or only partly found in a graded
//! attempt becomes a review card; cards are scheduled with FSRS-6 ([`fsrs`], default
//! parameters, 90 % desired retention); a card shows the hunk around the finding and asks one
//! question ([`card`]); its answer is graded against that finding alone, and the verdict is the
//! rating (found → Good, partly found → Hard, missed → Again).
//!
//! Architecture invariant: scheduling is a pure function of (card state, rating, time); the
//! time always comes from a [`Clock`] passed in, so tests use a fixed clock and never wait.
//! Architecture invariant: this crate reads and writes cards only through
//! [`revdrill_store::ReviewStore`]; the store calls [`Scheduler::next`] inside its transaction.
#![deny(missing_docs)]

pub mod card;
pub mod clock;
pub mod fsrs;

pub use clock::{Clock, DAY, day};

use revdrill_grader::Report;
use revdrill_store::{AttemptId, CardState, Rating, ReviewStore, StoreError};

use crate::fsrs::{DESIRED_RETENTION, Fsrs, Memory};

/// The longest interval, days (FSRS's stability ceiling).
pub const MAX_INTERVAL_DAYS: i64 = 36_500;

/// Active days read for the streak (a streak longer than this shows as this).
pub const STREAK_DAYS_READ: usize = 3660;

/// Graded attempts recorded as cards in one pass of [`record_pending`].
pub const RECORD_BATCH: usize = 200;

/// Schedules cards with FSRS-6 and its default parameters.
#[derive(Debug, Clone, Default)]
pub struct Scheduler {
    fsrs: Fsrs,
}

impl Scheduler {
    /// Whole days until the card is due at stability `s`: FSRS's interval at
    /// [`DESIRED_RETENTION`], rounded, at least one day.
    pub fn interval_days(&self, s: f64) -> i64 {
        (self.fsrs.interval(s, DESIRED_RETENTION).round() as i64).clamp(1, MAX_INTERVAL_DAYS)
    }

    /// The state of a card (`None`: a new one) after a review rated `g` at `at` (unix seconds):
    /// FSRS's next memory for the whole days since the last review, and a due time that many
    /// interval days after `at`.
    pub fn next(&self, prev: Option<&CardState>, g: Rating, at: i64) -> CardState {
        let days = prev.map_or(0, |p| (day(at) - day(p.last_review)).clamp(0, u32::MAX as i64) as u32);
        let memory = prev.map(|p| Memory { stability: p.stability, difficulty: p.difficulty });
        let m = self.fsrs.next(memory, days, g);
        CardState {
            stability: m.stability,
            difficulty: m.difficulty,
            due: at + self.interval_days(m.stability) * DAY,
            reps: prev.map_or(0, |p| p.reps) + 1,
            lapses: prev.map_or(0, |p| p.lapses) + u32::from(g == Rating::Again),
            last_review: at,
        }
    }
}

/// The end of the day of `now`: cards due before it are due today.
pub fn end_of_day(now: i64) -> i64 {
    (day(now) + 1) * DAY
}

/// Days in a row with practice, ending today, or yesterday when nothing is done yet today.
/// `days` are UTC day numbers, any order.
pub fn streak(days: &[i64], now: i64) -> u32 {
    let today = day(now);
    let mut d = if days.contains(&today) { today } else { today - 1 };
    let mut n = 0;
    while days.contains(&d) {
        n += 1;
        d -= 1;
    }
    n
}

/// Records a graded attempt's misses and partials as cards, and its hits as reviews of cards
/// that exist, at `at` (idempotent: an attempt recorded before changes nothing). Returns the
/// cards written.
pub fn record(store: &mut impl ReviewStore, attempt: AttemptId, report: &Report, at: i64) -> Result<usize, StoreError> {
    let s = Scheduler::default();
    store.record_attempt(attempt, &report.drill, &card::attempt_reviews(report), at, &|p, g, t| s.next(p, g, t))
}

/// Records every graded attempt not recorded yet (an attempt saved while recording failed, or
/// made before review cards existed), each at the time it was graded. A report that does not
/// read back records no card. Returns the cards written.
pub fn record_pending(store: &mut impl ReviewStore) -> Result<usize, StoreError> {
    let mut n = 0;
    for a in store.unrecorded_attempts(RECORD_BATCH)? {
        let report: Option<Report> = serde_json::from_str(&a.report_json).ok();
        n += match report {
            Some(r) => record(store, a.id, &Report { drill: a.drill_id.clone(), ..r }, a.finished_at)?,
            None => {
                let s = Scheduler::default();
                store.record_attempt(a.id, &a.drill_id, &[], a.finished_at, &|p, g, t| s.next(p, g, t))?
            }
        };
    }
    Ok(n)
}

#[cfg(test)]
mod tests;
