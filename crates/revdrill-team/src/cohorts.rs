//! Cohorts (a mentor's group of learners) and assignments (drill sets with a due date).

use serde::Serialize;

use crate::accounts::{User, UserId};
use crate::db::Db;
use crate::error::TeamError;
use crate::policy::{self, CohortRelation};

/// Most drills one assignment may hold.
pub const MAX_ASSIGNMENT_DRILLS: usize = 50;

/// A cohort.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cohort {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Its mentor's id.
    pub mentor_id: UserId,
    /// Its mentor's name.
    pub mentor: String,
}

/// A member of a cohort, as its mentor sees them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    /// User id.
    pub id: UserId,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
}

/// A drill set given to a cohort.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// Id.
    pub id: i64,
    /// The cohort.
    pub cohort_id: i64,
    /// Title.
    pub title: String,
    /// Unix seconds, when set.
    pub due_at: Option<i64>,
    /// Drill ids, in order.
    pub drills: Vec<String>,
}

/// One drill of an assignment, for the learner it is assigned to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssignedDrill {
    /// Drill id.
    pub drill_id: String,
    /// The learner has a graded attempt of it.
    pub done: bool,
    /// Their best score, when done.
    pub best: Option<i16>,
}

/// An assignment with the learner's progress on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MyAssignment {
    /// Id.
    pub id: i64,
    /// The cohort's id.
    pub cohort_id: i64,
    /// Title.
    pub title: String,
    /// Unix seconds, when set.
    pub due_at: Option<i64>,
    /// Each drill with done and best score.
    pub drills: Vec<AssignedDrill>,
}

/// Checks a cohort or assignment title: 1-`max` characters, no control characters.
pub fn check_title(field: &'static str, s: &str, max: usize) -> Result<String, TeamError> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > max || t.chars().any(char::is_control) {
        return Err(TeamError::invalid(
            field,
            format!("1-{max} characters, no control characters"),
            format!("1-{max} 个字符，不含控制字符"),
        ));
    }
    Ok(t.to_string())
}

const COHORT_COLS: &str = "c.id, c.name, c.mentor_id, u.name AS mentor";

fn cohort(r: &tokio_postgres::Row) -> Cohort {
    Cohort { id: r.get("id"), name: r.get("name"), mentor_id: r.get("mentor_id"), mentor: r.get("mentor") }
}

impl Db {
    /// How `actor` relates to cohort `id`; `NotFound` when there is no such cohort.
    pub async fn cohort_relation(&self, actor: &User, id: i64) -> Result<CohortRelation, TeamError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT c.mentor_id = $2 AS mentor, \
                        EXISTS (SELECT 1 FROM cohort_members m WHERE m.cohort_id = c.id AND m.user_id = $2) AS member \
                 FROM cohorts c WHERE c.id = $1",
                &[&id, &actor.id],
            )
            .await?
            .ok_or(TeamError::NotFound)?;
        Ok(if row.get("mentor") {
            CohortRelation::Mentor
        } else if row.get("member") {
            CohortRelation::Member
        } else {
            CohortRelation::Outsider
        })
    }

    /// Whether `mentor` mentors a cohort `learner` belongs to.
    pub async fn mentors(&self, mentor: UserId, learner: UserId) -> Result<bool, TeamError> {
        let row = self
            .client()
            .await?
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM cohort_members m JOIN cohorts c ON c.id = m.cohort_id \
                                WHERE m.user_id = $1 AND c.mentor_id = $2)",
                &[&learner, &mentor],
            )
            .await?;
        Ok(row.get(0))
    }

    /// Creates a cohort mentored by `actor` (a mentor or an admin).
    pub async fn create_cohort(&self, actor: &User, name: &str) -> Result<Cohort, TeamError> {
        if !policy::can_create_cohort(actor) {
            return Err(TeamError::Forbidden);
        }
        let name = check_title("name", name, 100)?;
        let id: i64 = self
            .client()
            .await?
            .query_one("INSERT INTO cohorts (name, mentor_id) VALUES ($1, $2) RETURNING id", &[&name, &actor.id])
            .await?
            .get(0);
        Ok(Cohort { id, name, mentor_id: actor.id, mentor: actor.name.clone() })
    }

    /// The cohorts `actor` may see: every one for an admin, the ones they mentor or belong to
    /// otherwise.
    pub async fn cohorts(&self, actor: &User) -> Result<Vec<Cohort>, TeamError> {
        let sql = format!(
            "SELECT {COHORT_COLS} FROM cohorts c JOIN users u ON u.id = c.mentor_id \
             WHERE $2 OR c.mentor_id = $1 OR EXISTS (SELECT 1 FROM cohort_members m WHERE m.cohort_id = c.id AND m.user_id = $1) \
             ORDER BY c.id"
        );
        let all = actor.role == crate::accounts::Role::Admin;
        Ok(self.client().await?.query(&sql, &[&actor.id, &all]).await?.iter().map(cohort).collect())
    }

    /// One cohort with its assignments, and its members when `actor` manages it.
    pub async fn cohort(&self, actor: &User, id: i64) -> Result<(Cohort, Option<Vec<Member>>, Vec<Assignment>), TeamError> {
        let rel = self.cohort_relation(actor, id).await?;
        if !policy::can_see_cohort(actor, rel) {
            return Err(TeamError::Forbidden);
        }
        let c = self.client().await?;
        let sql = format!("SELECT {COHORT_COLS} FROM cohorts c JOIN users u ON u.id = c.mentor_id WHERE c.id = $1");
        let co = cohort(&c.query_one(&sql, &[&id]).await?);
        let members = if policy::can_manage_cohort(actor, rel) {
            let rows = c
                .query(
                    "SELECT u.id, u.name, u.email FROM cohort_members m JOIN users u ON u.id = m.user_id \
                     WHERE m.cohort_id = $1 ORDER BY u.name, u.id",
                    &[&id],
                )
                .await?;
            Some(rows.iter().map(|r| Member { id: r.get(0), name: r.get(1), email: r.get(2) }).collect())
        } else {
            None
        };
        let rows = c
            .query(
                "SELECT a.id, a.cohort_id, a.title, a.due_at, \
                        coalesce(array_agg(d.drill_id ORDER BY d.position) FILTER (WHERE d.drill_id IS NOT NULL), '{}') \
                 FROM assignments a LEFT JOIN assignment_drills d ON d.assignment_id = a.id \
                 WHERE a.cohort_id = $1 GROUP BY a.id ORDER BY a.due_at NULLS LAST, a.id",
                &[&id],
            )
            .await?;
        let assignments = rows
            .iter()
            .map(|r| Assignment { id: r.get(0), cohort_id: r.get(1), title: r.get(2), due_at: r.get(3), drills: r.get(4) })
            .collect();
        Ok((co, members, assignments))
    }

    /// Gives cohort `cohort` a drill set (one transaction); `actor` must manage the cohort.
    /// The drill ids must have been checked against the catalog by the caller.
    pub async fn assign(
        &self,
        actor: &User,
        cohort: i64,
        title: &str,
        drills: &[String],
        due_at: Option<i64>,
    ) -> Result<Assignment, TeamError> {
        let rel = self.cohort_relation(actor, cohort).await?;
        if !policy::can_manage_cohort(actor, rel) {
            return Err(TeamError::Forbidden);
        }
        let title = check_title("title", title, 200)?;
        if drills.is_empty() || drills.len() > MAX_ASSIGNMENT_DRILLS {
            return Err(TeamError::invalid(
                "drills",
                format!("1-{MAX_ASSIGNMENT_DRILLS} drill ids"),
                format!("1-{MAX_ASSIGNMENT_DRILLS} 个 drill id"),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = drills.iter().find(|d| !seen.insert(*d)) {
            return Err(TeamError::invalid("drills", format!("`{dup}` is listed twice"), format!("`{dup}` 重复出现")));
        }
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO assignments (cohort_id, title, due_at, created_by) VALUES ($1, $2, $3, $4) RETURNING id",
                &[&cohort, &title, &due_at, &actor.id],
            )
            .await?
            .get(0);
        for (pos, d) in drills.iter().enumerate() {
            let pos = pos as i32;
            tx.execute("INSERT INTO assignment_drills (assignment_id, position, drill_id) VALUES ($1, $2, $3)", &[&id, &pos, d])
                .await?;
        }
        tx.commit().await?;
        Ok(Assignment { id, cohort_id: cohort, title, due_at, drills: drills.to_vec() })
    }

    /// The assignments of every cohort `actor` belongs to, with their progress on each drill.
    pub async fn my_assignments(&self, actor: &User) -> Result<Vec<MyAssignment>, TeamError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT a.id, a.cohort_id, a.title, a.due_at, d.drill_id, \
                        (SELECT max(t.score) FROM attempts t WHERE t.user_id = $1 AND t.drill_id = d.drill_id \
                                                             AND t.score IS NOT NULL) AS best \
                 FROM assignments a \
                 JOIN cohort_members m ON m.cohort_id = a.cohort_id AND m.user_id = $1 \
                 JOIN assignment_drills d ON d.assignment_id = a.id \
                 ORDER BY a.due_at NULLS LAST, a.id, d.position",
                &[&actor.id],
            )
            .await?;
        let mut out: Vec<MyAssignment> = Vec::new();
        for r in &rows {
            let id: i64 = r.get(0);
            if out.last().is_none_or(|a| a.id != id) {
                out.push(MyAssignment { id, cohort_id: r.get(1), title: r.get(2), due_at: r.get(3), drills: Vec::new() });
            }
            let best: Option<i16> = r.get(5);
            if let Some(a) = out.last_mut() {
                a.drills.push(AssignedDrill { drill_id: r.get(4), done: best.is_some(), best });
            }
        }
        Ok(out)
    }
}

/// One learner's progress on one assigned drill: a row of the cohort's CSV export.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    /// Learner's name.
    pub learner: String,
    /// Learner's email.
    pub email: String,
    /// Assignment title.
    pub assignment: String,
    /// Due date, `YYYY-MM-DDTHH:MM:SSZ`, when set.
    pub due: Option<String>,
    /// Drill id.
    pub drill: String,
    /// Graded attempts of the drill.
    pub attempts: i64,
    /// Best score, when graded.
    pub best: Option<i16>,
}

impl Db {
    /// Every member's progress on every drill assigned to cohort `id`, by learner, then
    /// assignment, then drill; `actor` must manage the cohort.
    pub async fn cohort_results(&self, actor: &User, id: i64) -> Result<Vec<ResultRow>, TeamError> {
        if !policy::can_manage_cohort(actor, self.cohort_relation(actor, id).await?) {
            return Err(TeamError::Forbidden);
        }
        let rows = self
            .client()
            .await?
            .query(
                "SELECT u.name, u.email, a.title, \
                        to_char(to_timestamp(a.due_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), \
                        d.drill_id, count(t.id) FILTER (WHERE t.score IS NOT NULL), max(t.score) \
                 FROM cohort_members m JOIN users u ON u.id = m.user_id \
                 JOIN assignments a ON a.cohort_id = m.cohort_id \
                 JOIN assignment_drills d ON d.assignment_id = a.id \
                 LEFT JOIN attempts t ON t.user_id = u.id AND t.drill_id = d.drill_id \
                 WHERE m.cohort_id = $1 \
                 GROUP BY u.id, u.name, u.email, a.id, a.title, a.due_at, d.drill_id, d.position \
                 ORDER BY u.name, u.id, a.id, d.position",
                &[&id],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| ResultRow {
                learner: r.get(0),
                email: r.get(1),
                assignment: r.get(2),
                due: r.get(3),
                drill: r.get(4),
                attempts: r.get(5),
                best: r.get(6),
            })
            .collect())
    }
}

/// The rows as CSV (RFC 4180, CRLF), with a header line. A cell a spreadsheet would read as a
/// formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`, so a
/// learner's name cannot run in the mentor's spreadsheet.
pub fn results_csv(rows: &[ResultRow]) -> String {
    let mut out = String::from("learner,email,assignment,due,drill,graded_attempts,best_score,done\r\n");
    for r in rows {
        let cells = [
            r.learner.clone(),
            r.email.clone(),
            r.assignment.clone(),
            r.due.clone().unwrap_or_default(),
            r.drill.clone(),
            r.attempts.to_string(),
            r.best.map_or(String::new(), |b| b.to_string()),
            if r.best.is_some() { "yes" } else { "no" }.to_string(),
        ];
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(learner: &str) -> ResultRow {
        ResultRow {
            learner: learner.into(),
            email: "l@example.com".into(),
            assignment: "Week 1, part \"A\"".into(),
            due: Some("2030-01-01T00:00:00Z".into()),
            drill: "d".into(),
            attempts: 2,
            best: Some(87),
        }
    }

    #[test]
    fn csv_quotes_what_needs_quoting_and_defuses_formulas() {
        let csv = results_csv(&[row("=HYPERLINK(\"http://x\",\"y\")"), row("Li\nLearner"), row("-1+2")]);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], "learner,email,assignment,due,drill,graded_attempts,best_score,done");
        assert_eq!(
            lines[1],
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",l@example.com,\"Week 1, part \"\"A\"\"\",2030-01-01T00:00:00Z,d,2,87,yes"
        );
        assert!(lines[2].starts_with("\"Li\nLearner\","));
        assert!(lines[3].starts_with("'-1+2,"));
        let none = results_csv(&[ResultRow { best: None, attempts: 0, due: None, ..row("Chen") }]);
        assert!(none.ends_with("Chen,l@example.com,\"Week 1, part \"\"A\"\"\",,d,0,,no\r\n"), "{none}");
    }
}
