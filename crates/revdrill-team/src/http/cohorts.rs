//! Cohorts and assignments: create and list cohorts, one cohort with its members (for its
//! mentor and admins) and assignments, assign a drill set, and a learner's own assignments.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::{CurrentUser, JsonBody};
use crate::error::TeamError;
use crate::policy;
use crate::state::TeamState;

pub fn router() -> Router<TeamState> {
    Router::new()
        .route("/api/team/cohorts", get(list).post(create))
        .route("/api/team/cohorts/{id}", get(one))
        .route("/api/team/cohorts/{id}/assignments", post(assign))
        .route("/api/team/cohorts/{id}/results.csv", get(results))
        .route("/api/team/assignments", get(mine))
}

fn cohort_id(s: &str) -> Result<i64, TeamError> {
    s.parse().map_err(|_| TeamError::NotFound)
}

/// `GET /api/team/cohorts`: the cohorts the user may see.
async fn list(State(st): State<TeamState>, me: CurrentUser) -> Result<Json<serde_json::Value>, TeamError> {
    Ok(Json(json!(st.db().cohorts(&me.user).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewCohort {
    name: String,
}

/// `POST /api/team/cohorts {name}`: `201` with the cohort; the creator is its mentor.
async fn create(State(st): State<TeamState>, me: CurrentUser, JsonBody(b): JsonBody<NewCohort>) -> Result<Response, TeamError> {
    let c = st.db().create_cohort(&me.user, &b.name).await?;
    Ok((StatusCode::CREATED, Json(json!(c))).into_response())
}

/// `GET /api/team/cohorts/{id}`: the cohort, its assignments, and its members for its mentor
/// and admins (`members` is absent for learners).
async fn one(State(st): State<TeamState>, me: CurrentUser, Path(id): Path<String>) -> Result<Json<serde_json::Value>, TeamError> {
    let (cohort, members, assignments) = st.db().cohort(&me.user, cohort_id(&id)?).await?;
    let mut v = json!({ "cohort": cohort, "assignments": assignments });
    if let Some(m) = members {
        v["members"] = json!(m);
    }
    Ok(Json(v))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewAssignment {
    title: String,
    drills: Vec<String>,
    #[serde(default)]
    due_at: Option<i64>,
}

/// `POST /api/team/cohorts/{id}/assignments {title, drills, due_at}`: `201` with the
/// assignment; every drill id must be in the catalog.
async fn assign(
    State(st): State<TeamState>,
    me: CurrentUser,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewAssignment>,
) -> Result<Response, TeamError> {
    let cohort = cohort_id(&id)?;
    // Who may assign is decided before what is assigned is checked.
    if !policy::can_manage_cohort(&me.user, st.db().cohort_relation(&me.user, cohort).await?) {
        return Err(TeamError::Forbidden);
    }
    if let Some(unknown) = b.drills.iter().find(|d| st.catalog().get(d).is_none()) {
        return Err(TeamError::invalid("drills", format!("no drill `{unknown}`"), format!("没有 drill `{unknown}`")));
    }
    let a = st.db().assign(&me.user, cohort, &b.title, &b.drills, b.due_at).await?;
    Ok((StatusCode::CREATED, Json(json!(a))).into_response())
}

/// `GET /api/team/assignments`: the assignments of the user's cohorts, with done and best
/// score per drill.
async fn mine(State(st): State<TeamState>, me: CurrentUser) -> Result<Json<serde_json::Value>, TeamError> {
    Ok(Json(json!(st.db().my_assignments(&me.user).await?)))
}

/// `GET /api/team/cohorts/{id}/results.csv`: every member's progress on every assigned drill,
/// as CSV (for its mentor and admins).
async fn results(State(st): State<TeamState>, me: CurrentUser, Path(id): Path<String>) -> Result<Response, TeamError> {
    let id = cohort_id(&id)?;
    let rows = st.db().cohort_results(&me.user, id).await?;
    let disposition = format!("attachment; filename=\"cohort-{id}-results.csv\"");
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        crate::cohorts::results_csv(&rows),
    )
        .into_response())
}
