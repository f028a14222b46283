//! Attempts: submit a review (saved like `revdrill drill` saves one: the answers first, then the
//! graded report), list past attempts, and the feedback page with the reference review, drawn
//! from the stored report.

use std::fmt::Write;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use revdrill_feedback::FeedbackView;
use revdrill_grader::Report;
use revdrill_pack::{AnswerSet, Lang};
use revdrill_store::{Attempt, Dispute, Graded, Store};
use serde_json::json;

use super::drills::{header, parse_body};
use super::feedback;
use super::{JsonText, PageCtx, ReqLang, query_param};
use crate::error::ApiError;
use crate::html::{Nav, esc};
use crate::i18n::t;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/drills/{id}/attempts", post(submit))
        .route("/api/attempts", get(list))
        .route("/api/attempts/{id}", get(one))
        .route("/attempts/{id}", get(page))
}

/// `POST /api/drills/{id}/attempts`: stores the answers, grades them, stores the grade; `201`
/// with the attempt id, the score, the feedback page URL and the report.
async fn submit(
    State(st): State<AppState>,
    Path(id): Path<String>,
    lang: ReqLang,
    JsonText(body): JsonText,
) -> Result<Response, ApiError> {
    let lang = lang.lang;
    let drill_id = st.drill(&id)?.id.clone();
    // Parsing and grading run on the blocking pool (`AppState::cpu`), the store on its own.
    let (answers, answers_json) = st
        .cpu(move |st| {
            let answers = parse_body(st.drill(&id)?, &body)?;
            let json = serde_json::to_string(&answers).map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok((answers, json))
        })
        .await?;
    // The answers are written before grading, so nothing typed is lost if grading fails.
    let start_id = drill_id.clone();
    let attempt = st.with_store(move |s| s.start_attempt(&start_id, lang.code(), &answers_json)).await.map_err(not_saved)?;
    let (report, graded) = st
        .cpu(move |st| {
            let report = st.grader(st.drill(&drill_id)?).grade(&answers);
            let graded = Graded {
                score: report.score,
                report_json: serde_json::to_string(&report).map_err(|e| ApiError::Internal(e.to_string()))?,
                categories: report.categories.iter().map(|c| (c.category.as_str().to_string(), c.earned, c.max)).collect(),
            };
            Ok((report, graded))
        })
        .await?;
    // Its misses become review cards right after, idempotently (a failure is caught up by the
    // next `record_pending`).
    let (now, recorded) = (st.now(), report.clone());
    st.with_store(move |s| {
        s.finish_attempt(attempt, &graded)?;
        let _ = revdrill_review::record(s, attempt, &recorded, now);
        Ok(())
    })
    .await
    .map_err(not_saved)?;
    let body =
        json!({"attempt": attempt, "score": report.score, "url": format!("/attempts/{attempt}"), "report": report.to_json(lang)});
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// A database failure while storing a submission is said as "not saved", with the reason.
fn not_saved(e: ApiError) -> ApiError {
    match e {
        ApiError::Internal(detail) => ApiError::NotSaved(detail),
        other => other,
    }
}

/// `GET /api/attempts?limit=N`: past attempts, newest first (as `revdrill history --format json`).
async fn list(State(st): State<AppState>, uri: Uri) -> Result<Json<serde_json::Value>, ApiError> {
    let limit = match query_param(uri.query(), "limit") {
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| ApiError::BadQuery(format!("limit must be 1-1000, not `{v}`")))?,
        None => 20,
    };
    let rows = st.with_store(move |s| s.history(limit)).await?;
    Ok(Json(json!(rows)))
}

/// A graded attempt as the learner was told it: the answers, the *stored* report (never graded
/// again, so a change to the grader or a pack does not rewrite history, and a drill loaded with
/// `--packs` need not be loaded now), and its disputes.
pub struct Stored {
    /// The attempt row.
    pub attempt: Attempt,
    /// The learner's answers.
    pub answers: AnswerSet,
    /// The report the learner was shown.
    pub report: Report,
    /// The attempt's disputes.
    pub disputes: Vec<Dispute>,
}

impl Stored {
    /// The feedback view, with the drill's texts when the drill is loaded.
    pub fn view(&self, st: &AppState, lang: Lang) -> FeedbackView {
        FeedbackView::build(&self.report, st.catalog().get(&self.attempt.summary.drill_id), &self.answers, &self.disputes, lang)
    }
}

/// Reads attempt `id` (a path segment) with its stored report and disputes.
pub async fn load(st: &AppState, id: &str) -> Result<Stored, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound)?;
    let (attempt, disputes) = st.with_store(move |s| Ok((s.attempt(id)?, s.disputes(Some(id))?))).await?;
    let internal = |what: &str, e: serde_json::Error| ApiError::Internal(format!("attempt #{id}: stored {what}: {e}"));
    let answers: AnswerSet = serde_json::from_str(&attempt.answers_json).map_err(|e| internal("answers", e))?;
    let report_json = attempt.report_json.as_deref().ok_or(ApiError::Unfinished(id))?;
    let report: Report = serde_json::from_str(report_json).map_err(|e| internal("report", e))?;
    Ok(Stored { attempt, answers, report, disputes })
}

/// `GET /api/attempts/{id}`: the attempt, its answers, the stored report, the learner's
/// numbered statements and the disputes.
async fn one(State(st): State<AppState>, Path(id): Path<String>, lang: ReqLang) -> Result<Json<serde_json::Value>, ApiError> {
    let s = load(&st, &id).await?;
    let view = s.view(&st, lang.lang);
    Ok(Json(json!({
        "attempt": s.attempt.summary,
        "answers": s.answers,
        "report": s.report.to_json(lang.lang),
        "statements": view.statements,
        "disputes": s.disputes,
    })))
}

/// `GET /attempts/{id}`: the feedback page, drawn from the stored report's view.
async fn page(State(st): State<AppState>, Path(id): Path<String>, lang: ReqLang, uri: Uri) -> Response {
    let pc = PageCtx::new(&st, lang, &uri);
    let ctx = pc.ctx();
    let l = ctx.lang;
    let s = match load(&st, &id).await {
        Ok(x) => x,
        Err(e) => return ctx.error_page(&e).into_response(),
    };
    let view = s.view(&st, l);
    let drill = st.catalog().get(&s.attempt.summary.drill_id);
    let mut h = String::with_capacity(16 * 1024);
    h.push_str("<article class=\"feedback\">");
    match drill {
        Some(d) => header(&mut h, d, l),
        None => {
            let _ = write!(h, "<header class=\"card pr-head\"><h1 id=\"drill-title\">{}</h1></header>", esc(&view.drill_id));
        }
    }
    feedback::render(&mut h, &view, &s.answers, l);
    h.push_str("</article>");
    let title = format!("{} · {}", t(l, "Feedback", "反馈"), view.title.as_deref().unwrap_or(&view.drill_id));
    let attrs = format!(
        " data-attempt=\"{}\" data-drill=\"{}\"{}",
        s.attempt.summary.id,
        esc(&view.drill_id),
        feedback::script_strings(l)
    );
    ctx.page(Nav::Drill, &title, &attrs, &h).into_response()
}
