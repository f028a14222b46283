//! Attempts on PostgreSQL: the same records as `revdrill-store`'s SQLite (answers, graded report,
//! categories, disputes), each belonging to a user. The server stores a submission whole with
//! [`Db::record_attempt`]; `start_attempt` / `finish_attempt` are the trait's two steps.
//!
//! The async methods on [`Db`] take the owner's id; they are what the server calls. [`PgStore`]
//! is the same data behind the synchronous [`revdrill_store::Store`] trait, for one user: what
//! code written against the trait (the CLI's commands, `graded_reports`) runs on unchanged.

use revdrill_store::{
    Attempt, AttemptId, AttemptSummary, CategoryStat, Dispute, DisputeId, DisputeKind, DrillStat, Graded, NewDispute, Store,
    StoreError,
};
use serde::Serialize;
use tokio_postgres::Row;

use crate::accounts::{User, UserId};
use crate::db::Db;
use crate::error::TeamError;
use crate::policy;

/// The summary columns (attempts aliased `a`), in the order [`summary`] reads them.
const SUMMARY_COLS: &str = "a.id, a.drill_id, a.lang, a.started_at, a.finished_at, a.score, \
     (SELECT count(*) FROM disputes d WHERE d.attempt_id = a.id) AS disputed, a.user_id";

fn summary(r: &Row) -> AttemptSummary {
    AttemptSummary {
        id: r.get(0),
        drill_id: r.get(1),
        lang: r.get(2),
        started_at: r.get(3),
        finished_at: r.get(4),
        score: r.get::<_, Option<i16>>(5).map(|s| s.clamp(0, 100) as u8),
        disputed: u32::try_from(r.get::<_, i64>(6)).unwrap_or(u32::MAX),
    }
}

fn dispute(r: &Row) -> Result<Dispute, TeamError> {
    let kind: String = r.get("kind");
    Ok(Dispute {
        id: r.get("id"),
        drill_id: r.get("drill_id"),
        lang: r.get("lang"),
        created_at: r.get("created_at"),
        dispute: NewDispute {
            attempt_id: r.get("attempt_id"),
            finding: r.get("finding"),
            kind: DisputeKind::parse(&kind).ok_or_else(|| TeamError::Internal(format!("unknown dispute kind `{kind}`")))?,
            verdict: r.get("verdict"),
            statement: r.get("statement"),
            item: r.get("item"),
            line: r.get::<_, Option<i32>>("line").and_then(|l| u32::try_from(l).ok()),
            note: r.get("note"),
        },
    })
}

impl Db {
    /// Records a new attempt of `user` with the answers so far; returns its id.
    pub async fn start_attempt(&self, user: UserId, drill: &str, lang: &str, answers_json: &str) -> Result<AttemptId, TeamError> {
        let row = self
            .client()
            .await?
            .query_one(
                "INSERT INTO attempts (user_id, drill_id, lang, answers_json) VALUES ($1, $2, $3, $4) RETURNING id",
                &[&user, &drill, &lang, &answers_json],
            )
            .await?;
        Ok(row.get(0))
    }

    /// Stores a graded attempt whole: the answers, the score, the report and its categories in
    /// one transaction, so it exists completely or not at all (what the server does: a
    /// database that fails half-way leaves nothing for the learner to find ungraded). With a
    /// submission `key` the user already stored, nothing is written and the earlier attempt's
    /// id is returned with `false` (not new).
    pub async fn record_attempt(
        &self,
        user: UserId,
        drill: &str,
        lang: &str,
        answers_json: &str,
        graded: &Graded,
        key: Option<&str>,
    ) -> Result<(AttemptId, bool), TeamError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let score = i16::from(graded.score);
        let inserted = tx
            .query_opt(
                "INSERT INTO attempts (user_id, drill_id, lang, answers_json, score, report_json, finished_at, submission_key) \
                 VALUES ($1, $2, $3, $4, $5, $6, revdrill_now(), $7) \
                 ON CONFLICT (user_id, submission_key) DO NOTHING RETURNING id",
                &[&user, &drill, &lang, &answers_json, &score, &graded.report_json, &key],
            )
            .await?;
        let Some(row) = inserted else {
            let earlier =
                tx.query_one("SELECT id FROM attempts WHERE user_id = $1 AND submission_key = $2", &[&user, &key]).await?;
            return Ok((earlier.get(0), false));
        };
        let id: i64 = row.get(0);
        for (category, earned, max) in &graded.categories {
            tx.execute(
                "INSERT INTO attempt_categories (attempt_id, category, earned, max) VALUES ($1, $2, $3, $4)",
                &[&id, category, earned, max],
            )
            .await?;
        }
        tx.commit().await?;
        Ok((id, true))
    }

    /// Replaces the answers of `user`'s attempt in progress; `false` when they have no such attempt.
    pub async fn save_answers(&self, user: UserId, id: AttemptId, answers_json: &str) -> Result<bool, TeamError> {
        let n = self
            .client()
            .await?
            .execute("UPDATE attempts SET answers_json = $3 WHERE id = $1 AND user_id = $2", &[&id, &user, &answers_json])
            .await?;
        Ok(n == 1)
    }

    /// Stores the grade of `user`'s attempt and its categories, in one transaction; `false`
    /// when they have no such attempt.
    pub async fn finish_attempt(&self, user: UserId, id: AttemptId, graded: &Graded) -> Result<bool, TeamError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let score = i16::from(graded.score);
        let n = tx
            .execute(
                "UPDATE attempts SET score = $3, report_json = $4, finished_at = revdrill_now() WHERE id = $1 AND user_id = $2",
                &[&id, &user, &score, &graded.report_json],
            )
            .await?;
        if n != 1 {
            return Ok(false);
        }
        tx.execute("DELETE FROM attempt_categories WHERE attempt_id = $1", &[&id]).await?;
        for (category, earned, max) in &graded.categories {
            tx.execute(
                "INSERT INTO attempt_categories (attempt_id, category, earned, max) VALUES ($1, $2, $3, $4)",
                &[&id, category, earned, max],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// `user`'s newest attempts first.
    pub async fn history(&self, user: UserId, limit: usize) -> Result<Vec<AttemptSummary>, TeamError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let sql = format!("SELECT {SUMMARY_COLS} FROM attempts a WHERE a.user_id = $1 ORDER BY a.id DESC LIMIT $2");
        Ok(self.client().await?.query(&sql, &[&user, &limit]).await?.iter().map(summary).collect())
    }

    /// Attempt `id` with its owner, without any access check (callers check).
    async fn attempt_row(&self, id: AttemptId) -> Result<Option<(UserId, Attempt)>, TeamError> {
        let sql = format!("SELECT {SUMMARY_COLS}, a.answers_json, a.report_json FROM attempts a WHERE a.id = $1");
        let row = self.client().await?.query_opt(&sql, &[&id]).await?;
        Ok(row.map(|r| {
            let owner: i64 = r.get("user_id");
            (owner, Attempt { summary: summary(&r), answers_json: r.get("answers_json"), report_json: r.get("report_json") })
        }))
    }

    /// Attempt `id` of `user` only; `None` when it does not exist or is someone else's.
    pub async fn own_attempt(&self, user: UserId, id: AttemptId) -> Result<Option<Attempt>, TeamError> {
        Ok(self.attempt_row(id).await?.filter(|(owner, _)| *owner == user).map(|(_, a)| a))
    }

    /// Whether `actor` may read user `owner`'s attempts (see [`policy::can_read_attempts_of`]).
    pub async fn may_read_attempts_of(&self, actor: &User, owner: UserId) -> Result<bool, TeamError> {
        let mentors = actor.role == crate::accounts::Role::Mentor && self.mentors(actor.id, owner).await?;
        Ok(policy::can_read_attempts_of(actor, owner, mentors))
    }

    /// Attempt `id` with its owner and disputes, when `actor` may read it: `NotFound` when there
    /// is no such attempt, `Forbidden` when it belongs to someone `actor` may not read.
    pub async fn visible_attempt(&self, actor: &User, id: AttemptId) -> Result<(UserId, Attempt, Vec<Dispute>), TeamError> {
        let (owner, attempt) = self.attempt_row(id).await?.ok_or(TeamError::NotFound)?;
        if !self.may_read_attempts_of(actor, owner).await? {
            return Err(TeamError::Forbidden);
        }
        let disputes = self.disputes(owner, Some(id)).await?;
        Ok((owner, attempt, disputes))
    }

    /// Points per category over `user`'s graded attempts.
    pub async fn category_stats(&self, user: UserId) -> Result<Vec<CategoryStat>, TeamError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT c.category, sum(c.earned), sum(c.max), count(*) FROM attempt_categories c \
                 JOIN attempts a ON a.id = c.attempt_id WHERE a.user_id = $1 GROUP BY c.category ORDER BY c.category",
                &[&user],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| CategoryStat {
                category: r.get(0),
                earned: r.get(1),
                max: r.get(2),
                attempts: u32::try_from(r.get::<_, i64>(3)).unwrap_or(u32::MAX),
            })
            .collect())
    }

    /// Progress per drill of `user`.
    pub async fn drill_stats(&self, user: UserId) -> Result<Vec<DrillStat>, TeamError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT a.drill_id, count(*), max(a.score), \
                   (SELECT b.score FROM attempts b WHERE b.user_id = $1 AND b.drill_id = a.drill_id AND b.score IS NOT NULL \
                    ORDER BY b.id DESC LIMIT 1) \
                 FROM attempts a WHERE a.user_id = $1 AND a.score IS NOT NULL GROUP BY a.drill_id ORDER BY a.drill_id",
                &[&user],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| DrillStat {
                drill_id: r.get(0),
                attempts: u32::try_from(r.get::<_, i64>(1)).unwrap_or(u32::MAX),
                best: r.get::<_, i16>(2).clamp(0, 100) as u8,
                last: r.get::<_, i16>(3).clamp(0, 100) as u8,
            })
            .collect())
    }

    /// Records a dispute on `user`'s attempt, replacing one of the same finding; `None` when
    /// they have no such attempt.
    pub async fn add_dispute(&self, user: UserId, d: &NewDispute) -> Result<Option<DisputeId>, TeamError> {
        let line = d.line.and_then(|l| i32::try_from(l).ok());
        // One statement: the attempt's owner is checked in the same INSERT ... SELECT.
        let row = self
            .client()
            .await?
            .query_opt(
                "INSERT INTO disputes (attempt_id, finding, kind, verdict, statement, item, line, note) \
                 SELECT a.id, $3, $4, $5, $6, $7, $8, $9 FROM attempts a WHERE a.id = $1 AND a.user_id = $2 \
                 ON CONFLICT (attempt_id, finding) DO UPDATE SET kind = excluded.kind, verdict = excluded.verdict, \
                   statement = excluded.statement, item = excluded.item, line = excluded.line, note = excluded.note, \
                   created_at = revdrill_now(), resolution = NULL, resolved_by = NULL, resolved_at = NULL, \
                   resolution_note = NULL \
                 RETURNING id",
                &[&d.attempt_id, &user, &d.finding, &d.kind.as_str(), &d.verdict, &d.statement, &d.item, &line, &d.note],
            )
            .await?;
        Ok(row.map(|r| r.get(0)))
    }

    /// Withdraws the dispute of `finding` on `user`'s attempt; whether there was one.
    pub async fn remove_dispute(&self, user: UserId, attempt: AttemptId, finding: &str) -> Result<bool, TeamError> {
        let n = self
            .client()
            .await?
            .execute(
                "DELETE FROM disputes d USING attempts a WHERE d.attempt_id = a.id AND a.user_id = $1 \
                 AND d.attempt_id = $2 AND d.finding = $3",
                &[&user, &attempt, &finding],
            )
            .await?;
        Ok(n > 0)
    }

    /// `user`'s disputes, oldest first: of one attempt, or of all.
    pub async fn disputes(&self, user: UserId, attempt: Option<AttemptId>) -> Result<Vec<Dispute>, TeamError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT d.id, a.drill_id, a.lang, d.created_at, d.attempt_id, d.kind, d.finding, d.verdict, d.statement, \
                        d.item, d.line, d.note \
                 FROM disputes d JOIN attempts a ON a.id = d.attempt_id \
                 WHERE a.user_id = $1 AND ($2::bigint IS NULL OR d.attempt_id = $2) ORDER BY d.id",
                &[&user, &attempt],
            )
            .await?;
        rows.iter().map(dispute).collect()
    }
}

/// A dispute with the learner who made it, as a mentor's queue lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamDispute {
    /// The learner's id.
    pub user_id: UserId,
    /// The learner's name.
    pub user: String,
    /// The dispute.
    #[serde(flatten)]
    pub dispute: Dispute,
    /// `accepted` or `rejected`, once a mentor or admin decided.
    pub resolution: Option<String>,
    /// Why, in the mentor's words.
    pub resolution_note: Option<String>,
}

/// Longest note a mentor may give with a resolution, in characters.
pub const MAX_RESOLUTION_NOTE_CHARS: usize = 2000;

impl Db {
    /// The disputes `actor` may read, oldest first: their own, plus their cohorts' learners'
    /// for a mentor, every one for an admin.
    pub async fn team_disputes(&self, actor: &User) -> Result<Vec<TeamDispute>, TeamError> {
        let all = actor.role == crate::accounts::Role::Admin;
        let rows = self
            .client()
            .await?
            .query(
                "SELECT d.id, a.drill_id, a.lang, d.created_at, d.attempt_id, d.kind, d.finding, d.verdict, d.statement, \
                        d.item, d.line, d.note, d.resolution, d.resolution_note, u.id AS user_id, u.name AS user_name \
                 FROM disputes d JOIN attempts a ON a.id = d.attempt_id JOIN users u ON u.id = a.user_id \
                 WHERE $2 OR a.user_id = $1 OR EXISTS (SELECT 1 FROM cohort_members m JOIN cohorts c ON c.id = m.cohort_id \
                                                       WHERE m.user_id = a.user_id AND c.mentor_id = $1) \
                 ORDER BY d.id",
                &[&actor.id, &all],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(TeamDispute {
                    user_id: r.get("user_id"),
                    user: r.get("user_name"),
                    dispute: dispute(r)?,
                    resolution: r.get("resolution"),
                    resolution_note: r.get("resolution_note"),
                })
            })
            .collect()
    }

    /// Accepts or rejects dispute `id` (`accepted` true or false) with a note; `actor` must be
    /// an admin or mentor a cohort of the learner who made it (`NotFound`, `Forbidden`). The
    /// score does not change: a resolution is the mentor's answer, kept beside the dispute.
    pub async fn resolve_dispute(&self, actor: &User, id: i64, accepted: bool, note: &str) -> Result<(), TeamError> {
        if note.chars().count() > MAX_RESOLUTION_NOTE_CHARS {
            return Err(TeamError::invalid(
                "note",
                format!("at most {MAX_RESOLUTION_NOTE_CHARS} characters"),
                format!("最多 {MAX_RESOLUTION_NOTE_CHARS} 个字符"),
            ));
        }
        let c = self.client().await?;
        let owner: i64 = c
            .query_opt("SELECT a.user_id FROM disputes d JOIN attempts a ON a.id = d.attempt_id WHERE d.id = $1", &[&id])
            .await?
            .ok_or(TeamError::NotFound)?
            .get(0);
        let mentors = actor.role == crate::accounts::Role::Mentor && self.mentors(actor.id, owner).await?;
        if !policy::can_resolve_disputes_of(actor, mentors) {
            return Err(TeamError::Forbidden);
        }
        let decision = if accepted { "accepted" } else { "rejected" };
        c.execute(
            "UPDATE disputes SET resolution = $2, resolution_note = $3, resolved_by = $4, resolved_at = revdrill_now() WHERE id = $1",
            &[&id, &decision, &note.trim(), &actor.id],
        )
        .await?;
        Ok(())
    }
}

/// One user's attempts behind the synchronous [`Store`] trait. Each call blocks on the runtime
/// of `handle`: call it from a thread outside the runtime, or from `spawn_blocking`, never from
/// an async task.
pub struct PgStore {
    db: Db,
    user: UserId,
    rt: tokio::runtime::Handle,
}

impl PgStore {
    /// The attempts of `user` in `db`, run on `rt`.
    pub fn new(db: Db, user: UserId, rt: tokio::runtime::Handle) -> PgStore {
        PgStore { db, user, rt }
    }
}

fn store_err(e: TeamError) -> StoreError {
    StoreError::Other { path: "team database".into(), detail: e.to_string() }
}

impl Store for PgStore {
    fn start_attempt(&mut self, drill_id: &str, lang: &str, answers_json: &str) -> Result<AttemptId, StoreError> {
        self.rt.block_on(self.db.start_attempt(self.user, drill_id, lang, answers_json)).map_err(store_err)
    }

    fn save_answers(&mut self, id: AttemptId, answers_json: &str) -> Result<(), StoreError> {
        let found = self.rt.block_on(self.db.save_answers(self.user, id, answers_json)).map_err(store_err)?;
        found.then_some(()).ok_or(StoreError::NoSuchAttempt(id))
    }

    fn finish_attempt(&mut self, id: AttemptId, graded: &Graded) -> Result<(), StoreError> {
        let found = self.rt.block_on(self.db.finish_attempt(self.user, id, graded)).map_err(store_err)?;
        found.then_some(()).ok_or(StoreError::NoSuchAttempt(id))
    }

    fn history(&self, limit: usize) -> Result<Vec<AttemptSummary>, StoreError> {
        self.rt.block_on(self.db.history(self.user, limit)).map_err(store_err)
    }

    fn attempt(&self, id: AttemptId) -> Result<Attempt, StoreError> {
        self.rt.block_on(self.db.own_attempt(self.user, id)).map_err(store_err)?.ok_or(StoreError::NoSuchAttempt(id))
    }

    fn category_stats(&self) -> Result<Vec<CategoryStat>, StoreError> {
        self.rt.block_on(self.db.category_stats(self.user)).map_err(store_err)
    }

    fn drill_stats(&self) -> Result<Vec<DrillStat>, StoreError> {
        self.rt.block_on(self.db.drill_stats(self.user)).map_err(store_err)
    }

    fn add_dispute(&mut self, dispute: &NewDispute) -> Result<DisputeId, StoreError> {
        let id = self.rt.block_on(self.db.add_dispute(self.user, dispute)).map_err(store_err)?;
        id.ok_or(StoreError::NoSuchAttempt(dispute.attempt_id))
    }

    fn remove_dispute(&mut self, attempt: AttemptId, finding: &str) -> Result<bool, StoreError> {
        self.rt.block_on(self.db.remove_dispute(self.user, attempt, finding)).map_err(store_err)
    }

    fn disputes(&self, attempt: Option<AttemptId>) -> Result<Vec<Dispute>, StoreError> {
        self.rt.block_on(self.db.disputes(self.user, attempt)).map_err(store_err)
    }
}
