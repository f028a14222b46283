//! Attempts: submit a review (graded, then stored whole in one transaction), list a user's
//! attempts, read one attempt; disputes and the mentor's queue.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use revdrill_feedback::{FeedbackView, new_dispute};
use revdrill_grader::Report;
use revdrill_pack::{AnswerSet, parse_answers};
use revdrill_store::Graded;
use serde::Deserialize;
use serde_json::json;

use super::{CurrentUser, JsonBody, JsonText, ReqLang, query_param};
use crate::error::TeamError;
use crate::state::TeamState;

/// Most attempts one list returns.
const MAX_LIST: usize = 1000;

pub fn router() -> Router<TeamState> {
    Router::new()
        .route("/api/drills/{id}/attempts", post(submit))
        .route("/api/attempts", get(list))
        .route("/api/attempts/{id}", get(one))
        .route("/api/attempts/{id}/disputes", post(dispute))
        .route("/api/team/disputes", get(disputes))
        .route("/api/team/disputes/{id}/resolution", post(resolve))
}

/// The optional `Idempotency-Key` header: 1-100 visible ASCII characters.
fn submission_key(h: &HeaderMap) -> Result<Option<String>, TeamError> {
    let Some(v) = h.get("idempotency-key") else { return Ok(None) };
    let k = v.to_str().unwrap_or("");
    if k.is_empty() || k.len() > 100 || !k.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(TeamError::invalid("Idempotency-Key", "1-100 visible ASCII characters", "1-100 个可见 ASCII 字符"));
    }
    Ok(Some(k.to_string()))
}

/// Reads an answers body for the drill `id` (the same format as the local app's).
fn parse(st: &TeamState, id: &str, body: &str) -> Result<AnswerSet, TeamError> {
    parse_answers("body", body, Some(st.drill(id)?)).map_err(|errs| {
        if errs.iter().all(|e| e.field.is_empty()) {
            TeamError::BadJson(errs.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; "))
        } else {
            TeamError::InvalidAnswers(errs.iter().map(|e| format!("{}: {}", e.field, e.message)).collect())
        }
    })
}

/// `POST /api/drills/{id}/attempts`: grades the signed-in user's answers and stores the attempt
/// whole (answers, report, categories: one transaction); `201 {attempt, score, report}`. The
/// body is the local app's answers JSON. With an `Idempotency-Key` header the user sent before,
/// nothing is stored again: `200` with the attempt stored the first time.
async fn submit(
    State(st): State<TeamState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    JsonText(text): JsonText,
) -> Result<Response, TeamError> {
    let drill_id = st.drill(&id)?.id.clone();
    let key = submission_key(&headers)?;
    let pid = drill_id.clone();
    let (answers, answers_json) = st
        .cpu(move |st| {
            let answers = parse(st, &pid, &text)?;
            let json = serde_json::to_string(&answers).map_err(|e| TeamError::Internal(e.to_string()))?;
            Ok((answers, json))
        })
        .await?;
    // Graded first, then stored whole in one transaction: a failure anywhere stores nothing
    // (the client still holds the answers and may send them again), a 201 means all is stored.
    let (report, graded) = st
        .cpu(move |st| {
            let report = st.grader(st.drill(&drill_id)?).grade(&answers);
            let graded = Graded {
                score: report.score,
                report_json: serde_json::to_string(&report).map_err(|e| TeamError::Internal(e.to_string()))?,
                categories: report.categories.iter().map(|c| (c.category.as_str().to_string(), c.earned, c.max)).collect(),
            };
            Ok((report, graded))
        })
        .await?;
    let (attempt, new) = st.db().record_attempt(me.user.id, &id, lang.code(), &answers_json, &graded, key.as_deref()).await?;
    if !new {
        // The same submission again: the attempt stored the first time, as it was graded then.
        let stored = st.db().own_attempt(me.user.id, attempt).await?.ok_or(TeamError::NotFound)?;
        let report: Report = serde_json::from_str(stored.report_json.as_deref().unwrap_or("null"))
            .map_err(|e| TeamError::Internal(format!("attempt #{attempt}: stored report: {e}")))?;
        let body = json!({ "attempt": attempt, "score": report.score, "report": report.to_json(lang) });
        return Ok((StatusCode::OK, Json(body)).into_response());
    }
    let body = json!({ "attempt": attempt, "score": report.score, "report": report.to_json(lang) });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// `GET /api/attempts?user=ID&limit=N`: a user's attempts, newest first; the signed-in user's
/// own without `user`. Another user's only for their cohort's mentor and admins.
async fn list(State(st): State<TeamState>, me: CurrentUser, uri: Uri) -> Result<Json<serde_json::Value>, TeamError> {
    let limit = match query_param(uri.query(), "limit") {
        Some(v) => v.parse::<usize>().ok().filter(|n| (1..=MAX_LIST).contains(n)).ok_or_else(|| {
            TeamError::invalid("limit", format!("1-{MAX_LIST}, not `{v}`"), format!("必须是 1-{MAX_LIST}，而不是 `{v}`"))
        })?,
        None => 20,
    };
    let user = match query_param(uri.query(), "user") {
        Some(v) => v.parse::<i64>().map_err(|_| TeamError::invalid("user", "a user id", "用户 id"))?,
        None => me.user.id,
    };
    if !st.db().may_read_attempts_of(&me.user, user).await? {
        return Err(TeamError::Forbidden);
    }
    Ok(Json(json!(st.db().history(user, limit).await?)))
}

/// `GET /api/attempts/{id}`: the attempt, its answers, the stored report (with the reference
/// review) and its disputes; for its owner, their cohort's mentor and admins.
async fn one(
    State(st): State<TeamState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ReqLang(lang): ReqLang,
) -> Result<Json<serde_json::Value>, TeamError> {
    let id: i64 = id.parse().map_err(|_| TeamError::NotFound)?;
    let (owner, attempt, disputes) = st.db().visible_attempt(&me.user, id).await?;
    let internal = |what: &str, e: serde_json::Error| TeamError::Internal(format!("attempt #{id}: stored {what}: {e}"));
    let answers: AnswerSet = serde_json::from_str(&attempt.answers_json).map_err(|e| internal("answers", e))?;
    let report = match attempt.report_json.as_deref() {
        Some(r) => Some(serde_json::from_str::<Report>(r).map_err(|e| internal("report", e))?.to_json(lang)),
        None => None,
    };
    Ok(Json(json!({
        "attempt": attempt.summary,
        "user_id": owner,
        "answers": answers,
        "report": report,
        "disputes": disputes,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewDispute {
    finding: String,
    #[serde(default)]
    statement: Option<usize>,
    #[serde(default)]
    note: String,
}

/// `POST /api/attempts/{id}/disputes {finding, statement?, note}`: the attempt's owner disputes
/// a verdict (checked against the stored report as in the local app: a missed or partial
/// finding needs the number of the statement that says it); `201` with the dispute, which their
/// mentor then sees in `GET /api/team/disputes`. Only the owner may dispute; the score stays.
async fn dispute(
    State(st): State<TeamState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ReqLang(lang): ReqLang,
    JsonBody(b): JsonBody<NewDispute>,
) -> Result<Response, TeamError> {
    let id: i64 = id.parse().map_err(|_| TeamError::NotFound)?;
    let (owner, attempt, disputes) = st.db().visible_attempt(&me.user, id).await?;
    if owner != me.user.id {
        return Err(TeamError::Forbidden);
    }
    let internal = |what: &str, e: serde_json::Error| TeamError::Internal(format!("attempt #{id}: stored {what}: {e}"));
    let answers: AnswerSet = serde_json::from_str(&attempt.answers_json).map_err(|e| internal("answers", e))?;
    let report: Report = serde_json::from_str(attempt.report_json.as_deref().ok_or(TeamError::Unfinished(id))?)
        .map_err(|e| internal("report", e))?;
    let view = FeedbackView::build(&report, st.catalog().get(&attempt.summary.drill_id), &answers, &disputes, lang);
    let d = new_dispute(&view, id, &b.finding, b.statement, &b.note).map_err(|e| TeamError::Invalid {
        field: "dispute",
        message: e.message(revdrill_pack::Lang::En),
        message_zh: e.message(revdrill_pack::Lang::Zh),
    })?;
    st.db().add_dispute(me.user.id, &d).await?.ok_or(TeamError::NotFound)?;
    let stored = st.db().disputes(me.user.id, Some(id)).await?.into_iter().find(|x| x.dispute.finding == d.finding);
    Ok((StatusCode::CREATED, Json(json!(stored))).into_response())
}

/// `GET /api/team/disputes`: the disputes the user may read, with the learner who made each:
/// a learner's own, a mentor's cohorts' learners' (their queue), every one for an admin.
async fn disputes(State(st): State<TeamState>, me: CurrentUser) -> Result<Json<serde_json::Value>, TeamError> {
    Ok(Json(json!(st.db().team_disputes(&me.user).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Resolution {
    accepted: bool,
    #[serde(default)]
    note: String,
}

/// `POST /api/team/disputes/{id}/resolution {accepted, note}`: the learner's mentor (or an
/// admin) accepts or rejects the dispute; `204`. The score does not change.
async fn resolve(
    State(st): State<TeamState>,
    me: CurrentUser,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<Resolution>,
) -> Result<StatusCode, TeamError> {
    let id: i64 = id.parse().map_err(|_| TeamError::NotFound)?;
    st.db().resolve_dispute(&me.user, id, b.accepted, &b.note).await?;
    Ok(StatusCode::NO_CONTENT)
}
