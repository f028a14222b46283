//! The catalog for signed-in users: the list, and one drill as the learner sees it (never its
//! answer key: `Drill::view` has none).

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use super::{CurrentUser, ReqLang};
use crate::error::TeamError;
use crate::state::TeamState;

pub fn router() -> Router<TeamState> {
    Router::new().route("/api/drills", get(list)).route("/api/drills/{id}", get(one))
}

/// `GET /api/drills`: one summary per drill.
async fn list(State(st): State<TeamState>, _me: CurrentUser) -> Json<serde_json::Value> {
    Json(json!(st.catalog().drills().iter().map(|d| d.summary()).collect::<Vec<_>>()))
}

/// `GET /api/drills/{id}`: the drill without its answer key, texts in the request's language.
async fn one(
    State(st): State<TeamState>,
    _me: CurrentUser,
    Path(id): Path<String>,
    ReqLang(lang): ReqLang,
) -> Result<Json<serde_json::Value>, TeamError> {
    Ok(Json(json!(st.drill(&id)?.view(lang))))
}
