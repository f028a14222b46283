//! Disputes of a graded attempt's verdicts: "I said this" (a missed or partial finding, pointing
//! at one of the learner's numbered statements) and "this credit is wrong". They are stored with
//! the attempt, shown on the feedback and progress pages, and never change the score.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use revdrill_feedback::new_dispute;
use revdrill_store::Store;
use serde::Deserialize;
use serde_json::json;

use super::attempts::load;
use super::{JsonText, ReqLang};
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/attempts/{id}/disputes", post(add))
        .route("/api/attempts/{id}/disputes/{finding}", delete(withdraw))
        .route("/api/disputes", get(list))
}

/// The body of `POST /api/attempts/{id}/disputes`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    finding: String,
    #[serde(default)]
    statement: Option<usize>,
    #[serde(default)]
    note: String,
}

/// `POST /api/attempts/{id}/disputes`: records a dispute (replacing an earlier one of the same
/// finding); `201` with the stored dispute.
async fn add(
    State(st): State<AppState>,
    Path(id): Path<String>,
    lang: ReqLang,
    JsonText(body): JsonText,
) -> Result<Response, ApiError> {
    let b: Body = serde_json::from_str(&body).map_err(|e| ApiError::BadJson(e.to_string()))?;
    let stored = load(&st, &id).await?;
    let view = stored.view(&st, lang.lang);
    let d = new_dispute(&view, stored.attempt.summary.id, &b.finding, b.statement, &b.note).map_err(ApiError::InvalidDispute)?;
    let attempt = d.attempt_id;
    let finding = d.finding.clone();
    let all = st
        .with_store(move |s| {
            s.add_dispute(&d)?;
            s.disputes(Some(attempt))
        })
        .await?;
    let stored = all.into_iter().find(|x| x.dispute.finding == finding);
    Ok((StatusCode::CREATED, Json(json!(stored))).into_response())
}

/// `DELETE /api/attempts/{id}/disputes/{finding}`: withdraws the dispute; `204`, or `404` when
/// there was none.
async fn withdraw(State(st): State<AppState>, Path((id, finding)): Path<(String, String)>) -> Result<Response, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound)?;
    let removed = st
        .with_store(move |s| {
            s.attempt(id)?;
            s.remove_dispute(id, &finding)
        })
        .await?;
    if removed { Ok(StatusCode::NO_CONTENT.into_response()) } else { Err(ApiError::NotFound) }
}

/// `GET /api/disputes`: every dispute, oldest first (as `revdrill disputes --format json`).
async fn list(State(st): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let all = st.with_store(|s| s.disputes(None)).await?;
    Ok(Json(json!(all)))
}
