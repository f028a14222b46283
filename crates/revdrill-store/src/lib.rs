//! Where attempts live. [`Store`] is the interface the CLI and the web app use; [`SqliteStore`]
//! is the embedded default (a team server will add PostgreSQL behind the same trait).
//!
//! Architecture invariant: the store keeps the learner's words and the grader's verdicts as
//! data; it never grades and never reads drill packs.
//! Architecture invariant: every write is one transaction; answers are written before feedback
//! is shown, so nothing a learner wrote is lost if grading or printing fails.
#![deny(missing_docs)]

mod review;
mod sqlite;
mod sqlite_review;

pub use review::*;
pub use sqlite::SqliteStore;

use serde::Serialize;

/// An attempt's id.
pub type AttemptId = i64;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database file or its folder could not be opened or created.
    #[error("cannot open the database {path}: {detail}")]
    Open {
        /// The database path.
        path: String,
        /// What the system said.
        detail: String,
    },
    /// Another process holds a lock on the database.
    #[error("the database {path} is locked by another process (is another revdrill running?)")]
    Locked {
        /// The database path.
        path: String,
    },
    /// The file is not a revdrill database, or it is damaged.
    #[error("the database {path} is damaged or not a revdrill database: {detail}")]
    Corrupt {
        /// The database path.
        path: String,
        /// What SQLite said.
        detail: String,
    },
    /// The database file (or its folder) cannot be written.
    #[error(
        "the database {path} is read-only: the file or its folder cannot be written (check their permissions, or pass --db with another path)"
    )]
    ReadOnly {
        /// The database path.
        path: String,
    },
    /// A SQLite file that another program made: revdrill leaves it alone.
    #[error("{path} is not a revdrill database (it holds the tables {}); pass --db with another path", tables.join(", "))]
    Foreign {
        /// The database path.
        path: String,
        /// Some of its tables.
        tables: Vec<String>,
    },
    /// A schema migration failed (the transaction was rolled back; nothing changed).
    #[error("cannot update the database {path} to schema version {version}: {detail}")]
    Migration {
        /// The database path.
        path: String,
        /// The migration that failed.
        version: i64,
        /// What SQLite said (without the SQL).
        detail: String,
    },
    /// The database was written by a newer revdrill.
    #[error("the database {path} has schema version {found}; this revdrill knows up to {known}: upgrade revdrill")]
    TooNew {
        /// The database path.
        path: String,
        /// Version found.
        found: i64,
        /// Newest version this build knows.
        known: i64,
    },
    /// Any other database failure.
    #[error("database error on {path}: {detail}")]
    Other {
        /// The database path.
        path: String,
        /// What SQLite said.
        detail: String,
    },
    /// No attempt with that id.
    #[error("no attempt #{0}")]
    NoSuchAttempt(AttemptId),
    /// No review card with that id.
    #[error("no review card #{0}")]
    NoSuchCard(CardId),
    /// No review with that id.
    #[error("no card review #{0}")]
    NoSuchReview(ReviewId),
}

/// One past attempt, as `history` lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttemptSummary {
    /// Id.
    pub id: AttemptId,
    /// Drill id.
    pub drill_id: String,
    /// `en` or `zh`.
    pub lang: String,
    /// Unix seconds.
    pub started_at: i64,
    /// Unix seconds, when finished.
    pub finished_at: Option<i64>,
    /// 0-100, when graded.
    pub score: Option<u8>,
    /// Verdicts of this attempt the learner disputes (the score stays as graded).
    pub disputed: u32,
}

/// A full attempt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attempt {
    /// The summary fields.
    #[serde(flatten)]
    pub summary: AttemptSummary,
    /// The learner's answers (grade input JSON).
    pub answers_json: String,
    /// The grader's report JSON, when graded.
    pub report_json: Option<String>,
}

/// Points per category, summed over attempts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryStat {
    /// Category name.
    pub category: String,
    /// Points earned.
    pub earned: f64,
    /// Points available.
    pub max: f64,
    /// Graded attempts that touched it.
    pub attempts: u32,
}

impl CategoryStat {
    /// The share of available points earned (0.0-1.0); `None` when nothing was available.
    pub fn share(&self) -> Option<f64> {
        (self.max > 0.0).then(|| self.earned / self.max)
    }
}

/// Per-drill progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrillStat {
    /// Drill id.
    pub drill_id: String,
    /// Graded attempts.
    pub attempts: u32,
    /// Best score.
    pub best: u8,
    /// Latest score.
    pub last: u8,
}

/// What a grade adds to an attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    /// 0-100.
    pub score: u8,
    /// The report as JSON.
    pub report_json: String,
    /// (category, earned, max).
    pub categories: Vec<(String, f64, f64)>,
}

/// A dispute's id.
pub type DisputeId = i64;

/// What the learner says is wrong with a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DisputeKind {
    /// "I said this": a finding graded missed or partial is in the learner's statement.
    SaidIt,
    /// A credited finding was not earned by the statement quoted for it.
    WrongCredit,
}

impl DisputeKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            DisputeKind::SaidIt => "said-it",
            DisputeKind::WrongCredit => "wrong-credit",
        }
    }

    /// The kind with this stored name.
    pub fn parse(s: &str) -> Option<DisputeKind> {
        match s {
            "said-it" => Some(DisputeKind::SaidIt),
            "wrong-credit" => Some(DisputeKind::WrongCredit),
            _ => None,
        }
    }
}

/// A dispute to record; checked against the attempt's stored report by the caller.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewDispute {
    /// The disputed attempt.
    pub attempt_id: AttemptId,
    /// Finding id.
    pub finding: String,
    /// What the learner says.
    pub kind: DisputeKind,
    /// The stored verdict disputed (`miss`, `partial` or `hit`).
    pub verdict: String,
    /// The learner's statement pointed at, or the one that earned the disputed credit.
    pub statement: String,
    /// The checklist item the statement was written under.
    pub item: Option<String>,
    /// Or the new-file line of the inline comment it was written as.
    pub line: Option<u32>,
    /// Why, in the learner's words (may be empty).
    pub note: String,
}

/// A recorded dispute, with its attempt's drill and language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dispute {
    /// Id.
    pub id: DisputeId,
    /// Drill id of the attempt.
    pub drill_id: String,
    /// Language of the attempt (`en` or `zh`).
    pub lang: String,
    /// Unix seconds.
    pub created_at: i64,
    /// What was disputed.
    #[serde(flatten)]
    pub dispute: NewDispute,
}

/// The storage interface.
pub trait Store {
    /// Records a new attempt with the answers so far; returns its id.
    fn start_attempt(&mut self, drill_id: &str, lang: &str, answers_json: &str) -> Result<AttemptId, StoreError>;
    /// Replaces the answers of an attempt in progress.
    fn save_answers(&mut self, id: AttemptId, answers_json: &str) -> Result<(), StoreError>;
    /// Stores the grade and marks the attempt finished.
    fn finish_attempt(&mut self, id: AttemptId, graded: &Graded) -> Result<(), StoreError>;
    /// The newest attempts first.
    fn history(&self, limit: usize) -> Result<Vec<AttemptSummary>, StoreError>;
    /// One attempt.
    fn attempt(&self, id: AttemptId) -> Result<Attempt, StoreError>;
    /// Points per category over all graded attempts.
    fn category_stats(&self) -> Result<Vec<CategoryStat>, StoreError>;
    /// Progress per drill.
    fn drill_stats(&self) -> Result<Vec<DrillStat>, StoreError>;
    /// Records a dispute of a graded attempt's verdict, replacing an earlier dispute of the same
    /// finding; the score is not changed. `NoSuchAttempt` when the attempt does not exist.
    fn add_dispute(&mut self, dispute: &NewDispute) -> Result<DisputeId, StoreError>;
    /// Withdraws the dispute of `finding` on an attempt; whether there was one.
    fn remove_dispute(&mut self, attempt: AttemptId, finding: &str) -> Result<bool, StoreError>;
    /// Disputes, oldest first: of one attempt, or of every attempt.
    fn disputes(&self, attempt: Option<AttemptId>) -> Result<Vec<Dispute>, StoreError>;
}

/// The report JSON of each graded attempt among the newest `limit`, newest first, as
/// `(attempt, drill, report JSON)`: what the phrasebook and the personal template read.
pub fn graded_reports(store: &impl Store, limit: usize) -> Result<Vec<(AttemptId, String, String)>, StoreError> {
    let mut out = Vec::new();
    for s in store.history(limit)?.into_iter().filter(|s| s.score.is_some()) {
        if let Some(report) = store.attempt(s.id)?.report_json {
            out.push((s.id, s.drill_id, report));
        }
    }
    Ok(out)
}
