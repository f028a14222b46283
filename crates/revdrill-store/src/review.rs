//! Spaced review of missed findings: review cards, their FSRS state and their log.
//!
//! [`ReviewStore`] is a trait of its own, beside [`Store`](crate::Store): a store that keeps
//! attempts need not keep cards (the PostgreSQL team store does not yet). The store keeps the
//! state; it never schedules: every write that moves a card takes a [`Schedule`] function (the
//! FSRS scheduler of `revdrill-review`) and calls it inside the transaction that reads the card,
//! so two processes answering at once cannot lose a review.
//!
//! Architecture invariant: every write here is one transaction; a card answer is stored (with
//! the learner's words and the verdict shown) before any feedback is drawn from it.

use serde::Serialize;

use crate::{AttemptId, StoreError};

/// A review card's id.
pub type CardId = i64;

/// A review's id (a row of the review log).
pub type ReviewId = i64;

/// How well a card was recalled, on FSRS's four-point scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// Forgotten (a miss).
    Again = 1,
    /// Recalled with serious difficulty (partly found).
    Hard = 2,
    /// Recalled (found).
    Good = 3,
    /// Recalled easily.
    Easy = 4,
}

impl Rating {
    /// The stored number, 1-4.
    pub fn number(self) -> i64 {
        self as i64
    }

    /// The rating stored as `n`.
    pub fn from_number(n: i64) -> Option<Rating> {
        match n {
            1 => Some(Rating::Again),
            2 => Some(Rating::Hard),
            3 => Some(Rating::Good),
            4 => Some(Rating::Easy),
            _ => None,
        }
    }
}

/// A card's FSRS memory state and schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardState {
    /// Stability, in days.
    pub stability: f64,
    /// Difficulty, 1-10.
    pub difficulty: f64,
    /// When the card is next due, unix seconds.
    pub due: i64,
    /// Reviews so far (lapses recorded from attempts included).
    pub reps: u32,
    /// Reviews rated Again.
    pub lapses: u32,
    /// The last review, unix seconds.
    pub last_review: i64,
}

/// A review card: one finding of one drill.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    /// Id.
    pub id: CardId,
    /// Drill id.
    pub drill_id: String,
    /// Finding id.
    pub finding: String,
    /// Unix seconds.
    pub created_at: i64,
    /// FSRS state.
    #[serde(flatten)]
    pub state: CardState,
}

/// A graded attempt's verdict on one finding, as a review of its card: a miss or a partial makes
/// a card (or lapses it); a hit only moves a card that exists.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptReview {
    /// Finding id.
    pub finding: String,
    /// `miss`, `partial` or `hit`.
    pub verdict: String,
    /// The rating it counts as.
    pub rating: Rating,
}

/// The learner's answer to a card, graded.
#[derive(Debug, Clone, PartialEq)]
pub struct CardAnswer {
    /// The learner's words.
    pub answer: String,
    /// The verdict: `miss`, `partial` or `hit`.
    pub verdict: String,
    /// The rating it counts as.
    pub rating: Rating,
    /// The grader's verdict on the finding as JSON: the record of what the learner was told.
    pub result_json: String,
    /// `en` or `zh`.
    pub lang: String,
    /// When, unix seconds.
    pub at: i64,
}

/// One row of the review log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardReview {
    /// Id.
    pub id: ReviewId,
    /// The card.
    pub card_id: CardId,
    /// Its drill.
    pub drill_id: String,
    /// Its finding.
    pub finding: String,
    /// The attempt that lapsed the card, or none for an answer to the card itself.
    pub attempt_id: Option<AttemptId>,
    /// Unix seconds.
    pub reviewed_at: i64,
    /// The rating.
    pub rating: Rating,
    /// `miss`, `partial` or `hit`.
    pub verdict: String,
    /// The learner's words (empty for an attempt's lapse).
    pub answer: String,
    /// The stored verdict JSON (card answers).
    pub result_json: Option<String>,
    /// `en` or `zh`.
    pub lang: String,
    /// The card's stability after this review, days.
    pub stability: f64,
    /// The card's difficulty after this review.
    pub difficulty: f64,
    /// When the card was due next after this review, unix seconds.
    pub due: i64,
}

/// A graded attempt whose misses are not yet cards.
#[derive(Debug, Clone, PartialEq)]
pub struct GradedAttempt {
    /// Id.
    pub id: AttemptId,
    /// Drill id.
    pub drill_id: String,
    /// When it was graded, unix seconds.
    pub finished_at: i64,
    /// The stored report.
    pub report_json: String,
}

/// The scheduler: the next state of a card (`None`: a new card) reviewed with a rating at a time
/// (unix seconds).
pub type Schedule<'a> = &'a dyn Fn(Option<&CardState>, Rating, i64) -> CardState;

/// Review cards of one learner.
pub trait ReviewStore {
    /// Graded attempts not yet recorded as cards, oldest first (at most `limit`).
    fn unrecorded_attempts(&self, limit: usize) -> Result<Vec<GradedAttempt>, StoreError>;
    /// Records a graded attempt's verdicts at time `at`, in one transaction: a finding rated
    /// Again or Hard becomes a new card or a review of its card, one rated Good or Easy a review
    /// of its card if it has one (never a new card), each scheduled by `schedule`; the attempt is
    /// marked recorded. An attempt already recorded changes nothing. Returns the cards written.
    fn record_attempt(
        &mut self,
        attempt: AttemptId,
        drill_id: &str,
        reviews: &[AttemptReview],
        at: i64,
        schedule: Schedule<'_>,
    ) -> Result<usize, StoreError>;
    /// Cards due before `before` (unix seconds), most overdue first, at most `limit`.
    fn due_cards(&self, before: i64, limit: usize) -> Result<Vec<Card>, StoreError>;
    /// How many cards are due before `before`.
    fn due_count(&self, before: i64) -> Result<usize, StoreError>;
    /// One card; `NoSuchCard` when there is none.
    fn card(&self, id: CardId) -> Result<Card, StoreError>;
    /// Stores an answer to a card and its next state (from `schedule`), in one transaction.
    fn answer_card(&mut self, id: CardId, answer: &CardAnswer, schedule: Schedule<'_>) -> Result<CardReview, StoreError>;
    /// One row of the review log; `NoSuchReview` when there is none.
    fn card_review(&self, id: ReviewId) -> Result<CardReview, StoreError>;
    /// The days (unix seconds / 86 400, UTC) with a graded attempt or a card answer, newest
    /// first, at most `limit`.
    fn active_days(&self, limit: usize) -> Result<Vec<i64>, StoreError>;
}
